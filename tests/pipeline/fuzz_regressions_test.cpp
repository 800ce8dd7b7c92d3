// Inputs the fuzz targets (fuzz/) found to crash or misbehave in pipeline/, as unit tests of the
// behaviour that fixed them. The inputs themselves are in fuzz/regressions/<target>/ and are
// also replayed through the targets by the fuzz.<target> tests.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>

#include <nlohmann/json.hpp>

#include "pipeline/report_json.h"

namespace clee {
namespace {

using nlohmann::json;

json stored_report() {
  std::ifstream in(CLEE_SOURCE_DIR "/fuzz/seeds/report_json/complete_advanced_pdf.json");
  return json::parse(in);
}

// report_json_fuzz: a page range of 1e63 was converted to int (undefined behaviour; UBSan stops).
TEST(FuzzRegressions, ReportWithAPageNumberBeyondIntIsCorrupt) {
  std::ifstream in(CLEE_SOURCE_DIR "/fuzz/regressions/report_json/page_range_float_overflow.json");
  auto r = report_from_json(json::parse(in));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Code::kCorrupt);
  EXPECT_NE(r.error().message.find("'last' must be an integer"), std::string::npos) << r.error().message;
}

TEST(FuzzRegressions, ReportNumbersThatAreNotPageNumbersAreCorrupt) {
  struct {
    const char* what;
    std::function<void(json&)> edit;
  } cases[] = {
      {"page_range with one element (read past the array)", [](json& j) { j["documents"][0]["page_range"] = {1}; }},
      {"page_range not an array", [](json& j) { j["documents"][0]["page_range"] = "1-2"; }},
      {"a fractional page", [](json& j) { j["documents"][0]["page_range"] = {1.5, 2}; }},
      {"a negative page count", [](json& j) { j["documents"][0]["pages"] = -1; }},
      {"more pages than any document may have", [](json& j) { j["documents"][0]["pages"] = 1'000'001; }},
      {"more pages in all than any packet may have",
       [](json& j) {
         j["documents"][0]["pages"] = 600'000;
         j["documents"][1]["pages"] = 600'000;
       }},
      {"a page count beyond int64", [](json& j) { j["documents"][0]["pages"] = 18446744073709551615ull; }},
      {"an evidence page beyond int", [](json& j) { j["content"]["evidence"][0]["page"] = 2.5e10; }},
      {"an evidence page that is text", [](json& j) { j["field_evidence"][0]["page"] = "one"; }},
      {"ocr_pages as a float", [](json& j) { j["documents"][0]["ocr_pages"] = 1e300; }},
  };
  for (const auto& c : cases) {
    json j = stored_report();
    ASSERT_TRUE(report_from_json(j).ok()) << "the stored report itself reads";
    c.edit(j);
    auto r = report_from_json(j);
    ASSERT_FALSE(r.ok()) << c.what;
    EXPECT_EQ(r.error().code, Code::kCorrupt) << c.what;
  }
}

TEST(FuzzRegressions, HugeHoursAreWrittenAsNumbersAndReadBack) {
  // report_to_json printed whole hours as integers through a cast that is undefined beyond
  // long long's range (credit_hours = 1e300 from a stored report).
  json j = stored_report();
  j["fields"]["credit_hours"] = 1e300;
  j["outline"]["total_hours"] = -1e19;
  auto r = report_from_json(j);
  ASSERT_TRUE(r.ok()) << r.error().message;
  json out = report_to_json(*r);
  EXPECT_EQ(out["fields"]["credit_hours"].get<double>(), 1e300);
  EXPECT_EQ(out["outline"]["total_hours"].get<double>(), -1e19);
  EXPECT_TRUE(out["fields"]["credit_hours"].is_number_float());
  // Whole hours in range still print as integers ("16", not "16.0").
  j["fields"]["credit_hours"] = 16.0;
  EXPECT_TRUE(report_to_json(*report_from_json(j))["fields"]["credit_hours"].is_number_integer());
}

}  // namespace
}  // namespace clee
