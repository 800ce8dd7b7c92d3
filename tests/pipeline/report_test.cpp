// pipeline/report.cpp and pipeline/text.cpp: a report holding document text that is not valid
// UTF-8 still prints (U+FFFD in its place) and reads back; punctuation trimming keeps UTF-8 whole.
#include <gtest/gtest.h>

#include "pipeline/report_json.h"
#include "pipeline/summary.h"
#include "pipeline/text.h"

namespace clee {
namespace {

TEST(ReportJson, InvalidUtf8FromADocumentIsReplacedNotFatal) {
  Report r;
  r.source = "packet";
  r.fields.course_title = std::string("Crash \xE2\x80", 8);  // an en dash cut in half
  r.content.evidence.push_back({"outline.pdf", 2, std::string("caf\xE9 review", 11), "review-material"});
  nlohmann::json j = report_to_json(r);
  std::string out;
  ASSERT_NO_THROW(out = j.dump());
  EXPECT_NE(out.find("\xEF\xBF\xBD"), std::string::npos);  // U+FFFD
  auto back = report_from_json(nlohmann::json::parse(out));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->content.evidence.size(), 1u);
  EXPECT_EQ(back->content.evidence[0].page, 2);
}

TEST(Text, TrimPunctKeepsUtf8Whole) {
  EXPECT_EQ(text::trim_punct("– Module 1 – Airspace –", "-:"), "Module 1 – Airspace");
  EXPECT_EQ(text::trim_punct("‘Course Outline |", "|"), "Course Outline");
  EXPECT_EQ(text::trim_punct("☒ Classroom", "-"), "☒ Classroom");  // a symbol, not punctuation
  EXPECT_EQ(text::normalise("‘Course Name’:"), "course name");
  EXPECT_TRUE(text::contains_phrase("the “refresher” course", "refresher"));
}

}  // namespace
}  // namespace clee
