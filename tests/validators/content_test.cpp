// validators/content.cpp: each not-approvable category, negation, the "Advanced" title cap, rule
// exceptions, thin evidence, and quotes that name document, page and rule.
#include "test_reports.h"
#include "validators/validators.h"

namespace clee {
namespace {
using namespace testing_reports;

Report with_outline(const std::string& title, const std::string& text) {
  Report r;
  r.fields.course_title = title;
  r.documents.push_back(doc("form.pdf", DocType::kRequestForm, "Course Title: " + title));
  UnderstoodDocument o = doc("outline.pdf", DocType::kCourseOutline, "");
  o.doc.pages = {Page{1, "Course Outline", false, -1, 0}, Page{2, text, false, -1, 0}};
  r.documents.push_back(o);
  r.outline.document = "outline.pdf";
  make_content_validator()->validate(pa_rules(), r);
  return r;
}

TEST(Content, EachCategoryIsNamed) {
  struct Case {
    const char* title;
    const char* text;
    const char* category;
  } cases[] = {
      {"Handgun Update", "This annual refresher covers handgun safety. Officers complete it every year.", "annual_refresher"},
      {"Rifle 2027", "Officers shoot the annual qualification course of fire. Requalify with a score of 80%.",
       "requalification"},
      {"Vehicle Stops", "Participants revisit the basic academy skills of a traffic stop as taught in the academy.",
       "basic_academy"},
      {"Pursuit Changes", "Officers learn the department policy on pursuits. General Order 4.1 is explained.",
       "department_policy"},
  };
  for (const auto& c : cases) {
    Report r = with_outline(c.title, c.text);
    EXPECT_EQ(r.content.verdict, Verdict::kNotAdvanced) << c.category;
    EXPECT_EQ(category_name(r.content.category), std::string(c.category));
    EXPECT_TRUE(has(r, Code::kNotAdvancedContent));
    ASSERT_FALSE(r.content.evidence.empty());
    EXPECT_EQ(r.content.evidence[0].document, "outline.pdf");
    EXPECT_EQ(r.content.evidence[0].page, 2);  // the page the sentence is on
    EXPECT_FALSE(r.content.evidence[0].rule.empty());
  }
}

TEST(Content, NegatedPhrasesDoNotCount) {
  Report r = with_outline("Mobile Device Forensic Extraction",
                          "This is not a refresher course and there is no review of basic material. Investigators "
                          "learn new skills in advanced forensic analysis of smartphones.");
  EXPECT_EQ(r.content.verdict, Verdict::kAdvanced);
  EXPECT_FALSE(has(r, Code::kNotAdvancedContent));
}

TEST(Content, AdvancedTitleOverReviewContent) {
  Report r = with_outline("Advanced Defensive Tactics",
                          "This course is a review of basic academy defensive tactics. Officers refresh handcuffing.");
  EXPECT_EQ(r.content.verdict, Verdict::kNotAdvanced);
}

TEST(Content, ReviewInItsOtherSensesAndPrerequisitesDoNotCount) {
  Report r = with_outline("Latent Print Comparison",
                          "Prerequisite: completion of the basic latent print course. Examiners learn advanced "
                          "distortion analysis. Each comparison receives a peer review and a technical review. "
                          "Participants conduct a case review of a wrongful identification. Participants present expert "
                          "testimony on a complex comparison in a moot court.");
  EXPECT_EQ(r.content.verdict, Verdict::kAdvanced);
  for (const auto& e : r.content.evidence) EXPECT_EQ(e.rule.find("review-material"), std::string::npos) << e.quote;
}

TEST(Content, ThinEvidenceIsUncertain) {
  Report r = with_outline("Patrol Topics", "A day of patrol topics.");
  EXPECT_EQ(r.content.verdict, Verdict::kUncertain);
  EXPECT_TRUE(has(r, Code::kUncertainContent));
}

}  // namespace
}  // namespace clee
