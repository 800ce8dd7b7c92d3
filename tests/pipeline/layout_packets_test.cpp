// Every packet of fixtures/layout/EXPECTED.json (issue 10: forms a line-by-line reading got wrong,
// each made by the tool that makes such forms; the JSON written by fixtures/make/layout.py from the
// data it rendered) through the real pipeline: the form typed request_form (scans, faxes and
// photos by their layout), the packet complete (every instructor matched to a CV, accented names
// included), and every field the form holds read field by field.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "pipeline/report_json.h"
#include "pipeline/runner.h"
#include "validators/validators.h"

namespace clee {
namespace {

using nlohmann::json;

const std::string kLayout = std::string(CLEE_SOURCE_DIR) + "/fixtures/layout/";

json expected() {
  std::ifstream in(kLayout + "EXPECTED.json");
  return in ? json::parse(in, nullptr, false) : json::object();
}

std::vector<std::string> packet_names() {
  std::vector<std::string> out;
  json all = expected();
  if (all.contains("packets"))
    for (const auto& [name, _] : all["packets"].items()) out.push_back(name);
  return out;
}

class LayoutPacket : public ::testing::TestWithParam<std::string> {};

TEST_P(LayoutPacket, FormTypedAndEveryFieldRead) {
  const json exp = expected()["packets"][GetParam()];
  auto rules = load_rules(std::string(CLEE_SOURCE_DIR) + "/rules/pa-mpoetc.toml");
  ASSERT_TRUE(rules) << rules.error().message;
  auto packet = load_packet(kLayout + GetParam(), Limits{});
  ASSERT_TRUE(packet) << packet.error().message;
  json rep = report_to_json(run_packet(*packet, *rules, make_validators(), RunOptions{}));

  const std::string form = exp["form"];
  bool typed = false;
  for (const auto& d : rep["documents"]) {
    std::string name = d["name"];
    if (name.size() >= form.size() && name.compare(name.size() - form.size(), form.size(), form) == 0) {
      EXPECT_EQ(d["type"], "request_form") << name;
      typed = true;
    }
  }
  EXPECT_TRUE(typed) << form << " not in the report";
  EXPECT_EQ(rep["missing"], json::array());
  EXPECT_TRUE(rep["complete"].get<bool>());
  for (const auto& f : rep["findings"]) {
    EXPECT_NE(f["code"], "instructor_without_cv") << f["message"];
    EXPECT_NE(f["code"], "missing_field") << f["message"];
  }
  const json& fields = rep["fields"];
  for (const auto& [k, v] : exp["fields"].items()) {
    if (k == "credit_hours") {
      ASSERT_TRUE(fields[k].is_number()) << k;
      EXPECT_EQ(fields[k].get<double>(), v.get<double>());
    } else {
      EXPECT_EQ(fields[k], v) << "field " << k;
    }
  }
  EXPECT_EQ(fields["dates"], exp["dates"]);
  EXPECT_EQ(fields["location"], exp["location"]);

  // Each value's evidence keeps its region on the page where the form has geometry (PDF, scans);
  // a DOCX has none. Boxes in points: inside a letter page.
  const bool geometry = form.size() < 5 || form.compare(form.size() - 5, 5, ".docx") != 0;
  ASSERT_FALSE(rep["field_evidence"].empty());
  for (const auto& e : rep["field_evidence"]) {
    if (!geometry) {
      EXPECT_FALSE(e.contains("box")) << e.dump();
      continue;
    }
    ASSERT_TRUE(e.contains("box")) << e.dump();
    const json& b = e["box"];
    ASSERT_EQ(b.size(), 4u);
    EXPECT_TRUE(0 <= b[0] && b[0] < b[2] && b[2] <= 620 && 0 <= b[1] && b[1] < b[3] && b[3] <= 800) << e.dump();
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, LayoutPacket, ::testing::ValuesIn(packet_names()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

TEST(LayoutPackets, EveryFailureOfTheIssueHasItsPacket) {
  std::vector<std::string> names = packet_names();
  for (const char* want : {"word_table_wrap", "html_grid_form", "two_column_form", "fillable_textn",
                           "docx_labels_above", "fax_form", "photo_form", "accented_names"})
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
}

}  // namespace
}  // namespace clee
