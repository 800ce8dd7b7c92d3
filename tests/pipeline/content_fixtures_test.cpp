// The content judgement through the real pipeline on tests/pipeline/data/content/ (made by
// tests/pipeline/data/make_content.py from content_courses.py): one packet per category, per
// Missouri curriculum area and per topic nobody listed (drones, human trafficking,
// cryptocurrency, crowd management, wellness, clandestine labs), plus the courses held back as a
// blind check. Each asserts the verdict, the category, a quote the verdict must show, that every
// block's judgement quotes its line, and for Missouri the hours per area, summing to the credit
// hours.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "pipeline/report_json.h"
#include "pipeline/runner.h"
#include "validators/validators.h"

namespace clee {
namespace {

using nlohmann::json;
const std::string kDir = std::string(CLEE_SOURCE_DIR) + "/tests/pipeline/data/content/";

json expected() {
  std::ifstream in(kDir + "EXPECTED.json");
  return in ? json::parse(in, nullptr, false) : json::object();
}

void compare(const json& exp, const json& rep) {
  const json& c = rep["content"];
  EXPECT_EQ(c["verdict"], exp["verdict"]);
  if (exp.contains("category_any")) {
    const auto& any = exp["category_any"];
    EXPECT_NE(std::find(any.begin(), any.end(), c["category"]), any.end()) << c["category"];
  } else {
    EXPECT_EQ(c["category"], exp["category"]);
  }
  bool quoted = false;
  for (const auto& e : c["evidence"]) quoted |= e["quote"].get<std::string>().find(exp["quote"].get<std::string>()) != std::string::npos;
  EXPECT_TRUE(quoted) << "the verdict does not quote \"" << exp["quote"] << "\": " << c["evidence"].dump(1);
  ASSERT_FALSE(c["blocks"].empty());
  for (const auto& b : c["blocks"]) {
    ASSERT_FALSE(b["evidence"].empty()) << b["title"];
    EXPECT_GT(b["evidence"][0]["page"].get<int>(), 0) << b["title"] << ": the block's line is quoted from its page";
    EXPECT_FALSE(b["evidence"][0]["rule"].get<std::string>().empty()) << b["title"];
  }
  std::map<std::string, double> areas;
  double sum = 0;
  for (const auto& a : c["areas"]) {
    areas[a["area"]] = a["hours"].get<double>();
    sum += a["hours"].get<double>();
    EXPECT_FALSE(a["evidence"].empty()) << a["area"];
  }
  if (exp.contains("areas")) {
    auto want = exp["areas"].get<std::map<std::string, double>>();
    EXPECT_EQ(areas, want);
    EXPECT_DOUBLE_EQ(sum, exp["credit_hours"].get<double>());
  } else {
    EXPECT_TRUE(areas.empty());  // Pennsylvania declares no areas
  }
}

TEST(ContentFixtures, EachCourseIsJudgedAsAClerkWould) {
  json all = expected();
  ASSERT_TRUE(all.contains("packets")) << "tests/pipeline/data/content/EXPECTED.json missing";
  std::map<std::string, RulePack> packs;
  for (const char* name : {"pa-mpoetc.toml", "mo-post.toml"}) {
    auto r = load_rules(std::string(CLEE_SOURCE_DIR) + "/rules/" + name);
    ASSERT_TRUE(r) << r.error().message;
    packs[name] = *r;
  }
  auto validators = make_validators();
  int checked = 0, blind = 0;
  for (const auto& exp : all["packets"]) {
    std::string path = exp["path"];
    SCOPED_TRACE(path);
    auto packet = load_packet(kDir + path, Limits{});
    ASSERT_TRUE(packet) << packet.error().message;
    Report r = run_packet(*packet, packs.at(exp["rules"]), validators, RunOptions{});
    EXPECT_EQ(r.fields.credit_hours, exp["credit_hours"].get<double>());
    compare(exp, report_to_json(r));
    ++checked;
    blind += exp.value("blind", false);
  }
  EXPECT_GE(checked, 40);
  EXPECT_GE(blind, 16);
}

}  // namespace
}  // namespace clee
