// The check pipeline on packets worded and laid out unlike the fixtures (made by
// tests/pipeline/data/make_variety.py with python-docx, reportlab, pandoc, Pillow + img2pdf and
// Python's email): numbered labels on a flattened form, a four-column Word table, a header row of
// labels over values, several "Label: value" pairs on one line, labels found by their words,
// clock-time schedules with a lunch row, "review" in its ordinary senses, a 3-page scan holding
// all three documents, an HTML-only e-mail with a zipped CV.
#include <gtest/gtest.h>

#include <algorithm>

#include "pipeline/runner.h"
#include "validators/validators.h"

namespace clee {
namespace {

class Variety : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto r = load_rules(std::string(CLEE_SOURCE_DIR) + "/rules/pa-mpoetc.toml");
    ASSERT_TRUE(r) << r.error().message;
    rules_ = new RulePack(*r);
  }
  static void TearDownTestSuite() { delete rules_; }

  Report check(const std::string& name) {
    auto p = load_packet(std::string(CLEE_SOURCE_DIR) + "/tests/pipeline/data/variety/" + name, Limits{});
    EXPECT_TRUE(p) << name;
    if (!p) return {};
    return run_packet(*p, *rules_, make_validators(), RunOptions{});
  }
  static std::vector<std::string> codes(const Report& r) {
    std::vector<std::string> c;
    for (const auto& f : r.findings) c.push_back(code_name(f.code));
    return c;
  }
  static RulePack* rules_;
};
RulePack* Variety::rules_ = nullptr;

TEST_F(Variety, FourColumnWordTableAndClockTimeSchedule) {
  Report r = check("lo_table4_negotiation");
  EXPECT_EQ(r.fields.provider_name, "Susquehanna Regional Police Academy");  // value cell reads like a label
  EXPECT_EQ(r.fields.provider_number, "ACAD-231");                           // "Agency MPOETC #"
  EXPECT_EQ(r.fields.course_title, "Crisis Negotiation II: Barricade and Suicide Intervention");
  EXPECT_EQ(r.fields.credit_hours, 16);  // "Sixteen (16)"
  ASSERT_TRUE(r.fields.instructors);
  EXPECT_EQ(*r.fields.instructors, (std::vector<std::string>{"Ruiz, Angela M.", "Thompson, Derek"}));
  EXPECT_EQ(r.fields.contact_email, "pbrenner@srpa-training.org");
  // 0800-1000, 1000-1200, 1300-1700 twice over two days; lunch earns no credit.
  EXPECT_EQ(r.outline.total_hours, 16);
  EXPECT_EQ(r.outline.blocks.size(), 5u);
  // "Cpl. Angela M. Ruiz, MS, CPP" and "DEREK J. THOMPSON" are the two instructors.
  EXPECT_TRUE(r.complete) << ::testing::PrintToString(codes(r));
  // "case review", "review recorded incidents" are not review material.
  EXPECT_EQ(r.content.verdict, Verdict::kAdvanced);
}

TEST_F(Variety, HeaderRowTableAndSeveralPairsOnALine) {
  Report r = check("pandoc_header_row_interviewing");
  EXPECT_EQ(r.fields.course_title, "Forensic Interviewing of Child Victims");
  EXPECT_EQ(r.fields.credit_hours, 12);
  EXPECT_EQ(r.fields.dates, "November 2-3, 2027");
  EXPECT_EQ(r.fields.provider_name, "Keystone Child Advocacy Training Center");
  EXPECT_EQ(r.fields.provider_number, "CTP-7781");
  EXPECT_EQ(r.fields.contact_name, "Jane Okafor");
  EXPECT_EQ(r.fields.contact_phone, "215-555-0100");
  ASSERT_TRUE(r.fields.instructors);  // a bulleted list under an "Instructors" line
  EXPECT_EQ(*r.fields.instructors, (std::vector<std::string>{"Dr. Evelyn Park, Psy.D.", "Det. Marcus Hale (ret.)"}));
  EXPECT_EQ(r.outline.total_hours, 12);
  EXPECT_EQ(r.outline.objectives.size(), 4u);  // terminal + three enabling
  EXPECT_TRUE(r.complete) << ::testing::PrintToString(codes(r));
  EXPECT_EQ(r.content.verdict, Verdict::kAdvanced);
}

TEST_F(Variety, NumberedLabelsOnAFlattenedFormAndPolicyContent) {
  Report r = check("canvas_numbered_policy");
  std::vector<std::string> types;
  for (const auto& d : r.documents) types.push_back(doc_type_name(d.type));
  EXPECT_EQ(std::count(types.begin(), types.end(), "request_form"), 1);  // "scan0001.pdf" is the form
  EXPECT_EQ(std::count(types.begin(), types.end(), "instructor_cv"), 2);  // one PDF, two people
  EXPECT_EQ(r.fields.provider_name, "City of Elkton Bureau of Police");  // "1. Sponsor/Provider"
  EXPECT_EQ(r.fields.credit_hours, 3);                                   // "4. Total CLEE Credit Hours"
  ASSERT_TRUE(r.fields.instructors);
  EXPECT_EQ(r.fields.instructors->size(), 2u);  // "Lt. Carla Benson, Capt. Omar Said"
  EXPECT_TRUE(r.complete) << ::testing::PrintToString(codes(r));
  EXPECT_EQ(r.content.verdict, Verdict::kNotAdvanced);
  EXPECT_EQ(r.content.category, Category::kDepartmentPolicy);
}

TEST_F(Variety, LabelsMatchedByTheirWords) {
  Report r = check("lines_latent_prints");
  EXPECT_EQ(r.fields.provider_name, "Commonwealth Forensic Science Institute");  // "Agency/Organization Submitting Request"
  EXPECT_EQ(r.fields.provider_number, "CTP-9043");                              // "Provider Certification #"
  EXPECT_EQ(r.fields.course_title, "Advanced Latent Print Comparison");         // "Name of Program"
  EXPECT_EQ(r.fields.credit_hours, 24);                                         // "Amount of Credit Requested"
  EXPECT_EQ(r.fields.contact_name, "Helen Vance");                              // "Primary Point of Contact"
  EXPECT_EQ(r.fields.contact_phone, "717-555-0111");                            // "Tel.:" after the e-mail
  ASSERT_TRUE(r.fields.description);                                            // value on the next lines
  EXPECT_NE(r.fields.description->find("blind verification"), std::string::npos);
  EXPECT_EQ(r.outline.title, "Advanced Latent Print Comparison");
  EXPECT_EQ(r.outline.total_hours, 24);
  EXPECT_TRUE(r.complete) << ::testing::PrintToString(codes(r));
  EXPECT_EQ(r.content.verdict, Verdict::kAdvanced);  // "peer review", "technical review" are not refreshers
}

TEST_F(Variety, ThreePageScanHoldingAllThreeDocuments) {
  Report r = check("scanned_combined_requal");
  ASSERT_EQ(r.documents.size(), 3u);
  EXPECT_EQ(r.documents[0].type, DocType::kRequestForm);
  EXPECT_EQ(r.documents[1].type, DocType::kCourseOutline);
  EXPECT_EQ(r.documents[2].type, DocType::kInstructorCv);
  EXPECT_EQ(r.documents[2].doc.ocr_pages(), 1);
  ASSERT_EQ(r.cvs.size(), 1u);
  EXPECT_EQ(r.cvs[0].name, "Paul Novak");  // the heading line of page 3 (once a running header)
  EXPECT_EQ(r.fields.credit_hours, 4);
  EXPECT_EQ(r.fields.contact_email, "rgomez@bvfa.net");
  EXPECT_TRUE(r.complete) << ::testing::PrintToString(codes(r));
  EXPECT_EQ(r.content.verdict, Verdict::kNotAdvanced);
  EXPECT_EQ(r.content.category, Category::kRequalification);
}

TEST_F(Variety, HtmlOnlyEmailWithZippedCvAndAnInServiceDay) {
  Report r = check("eml_inservice/submission.eml");
  std::vector<std::string> types;
  for (const auto& d : r.documents) types.push_back(doc_type_name(d.type));
  std::sort(types.begin(), types.end());
  EXPECT_EQ(types, (std::vector<std::string>{"course_outline", "cover_letter", "instructor_cv", "request_form"}));
  EXPECT_EQ(r.fields.provider_name, "Mon Valley Municipal Police Training Cooperative");
  EXPECT_EQ(r.fields.course_title, "Annual In-Service Update 2027");
  EXPECT_EQ(r.fields.credit_hours, 8);
  EXPECT_FALSE(r.fields.provider_number);  // not on the form
  EXPECT_TRUE(r.complete) << ::testing::PrintToString(codes(r));
  EXPECT_EQ(r.content.verdict, Verdict::kNotAdvanced);  // never says "refresher"
  EXPECT_EQ(r.content.category, Category::kAnnualRefresher);
}

TEST_F(Variety, LabelAndValueInOneWordBoxAndNameInThePageHeader) {
  Report r = check("docx_stacked_cells_drones");
  EXPECT_EQ(r.fields.provider_name, "Allegheny Aviation Safety Academy");  // not the instructor table's "Agency"
  EXPECT_EQ(r.fields.provider_number, "CTP-8830");
  EXPECT_EQ(r.fields.course_title, "Small UAS Flight Operations for Public Safety");
  EXPECT_EQ(r.fields.credit_hours, 8);  // "Credit Hours Requested 8" in one box
  EXPECT_EQ(r.fields.contact_name, "Robert Kaminski");
  ASSERT_TRUE(r.fields.instructors);  // one per row under "Instructor Name"
  EXPECT_EQ(*r.fields.instructors, (std::vector<std::string>{"Robert Kaminski", "Dana Whitaker"}));
  ASSERT_EQ(r.cvs.size(), 2u);
  EXPECT_TRUE(r.cvs[0].name == "Bob Kaminski" || r.cvs[1].name == "Bob Kaminski");  // from the DOCX header
  EXPECT_TRUE(r.complete) << ::testing::PrintToString(codes(r));  // Bob is Robert
  EXPECT_EQ(r.outline.total_hours, 8);  // "Module 2 – Thermal imaging searches – 2.5 hrs"
  EXPECT_EQ(r.outline.objectives.size(), 3u);
}

TEST_F(Variety, WordDocumentSavedAsOnePdfIsSplit) {
  Report r = check("lo_combined");
  ASSERT_EQ(r.documents.size(), 4u);
  EXPECT_EQ(r.documents[0].type, DocType::kRequestForm);
  EXPECT_EQ(r.documents[1].type, DocType::kCourseOutline);
  EXPECT_EQ(r.documents[2].type, DocType::kInstructorCv);
  EXPECT_EQ(r.documents[3].type, DocType::kInstructorCv);
  EXPECT_EQ(r.documents[3].first_page, 4);
  EXPECT_EQ(r.outline.total_hours, 8);
  EXPECT_EQ(r.outline.objectives.size(), 3u);  // the schedule lines after them are not objectives
  EXPECT_TRUE(r.complete) << ::testing::PrintToString(codes(r));
  EXPECT_NE(r.content.verdict, Verdict::kNotAdvanced);
}

}  // namespace
}  // namespace clee
