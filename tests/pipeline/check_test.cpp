// The check pipeline on committed fixture packets (fixtures/make/make_all.py): each situation's
// expected report facts, through the real extractors, understanding and validators.
#include <gtest/gtest.h>

#include <algorithm>

#include "pipeline/report_json.h"
#include "pipeline/summary.h"
#include "pipeline/runner.h"
#include "validators/validators.h"

namespace clee {
namespace {

class Check : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto r = load_rules(std::string(CLEE_SOURCE_DIR) + "/rules/pa-mpoetc.toml");
    ASSERT_TRUE(r) << r.error().message;
    rules_ = new RulePack(*r);
  }
  static void TearDownTestSuite() { delete rules_; }

  Report check(const std::string& name) {
    auto p = load_packet(std::string(CLEE_SOURCE_DIR) + "/fixtures/packets/" + name, Limits{});
    EXPECT_TRUE(p) << name;
    if (!p) return {};
    return run_packet(*p, *rules_, make_validators(), RunOptions{});
  }
  static bool has(const Report& r, Code code) {
    return std::any_of(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.code == code; });
  }
  static std::vector<std::string> types(const Report& r) {
    std::vector<std::string> t;
    for (const auto& d : r.documents) t.push_back(doc_type_name(d.type));
    std::sort(t.begin(), t.end());
    return t;
  }
  static RulePack* rules_;
};
RulePack* Check::rules_ = nullptr;

TEST_F(Check, CompleteAdvancedWordPacket) {
  Report r = check("complete_advanced_docx");
  EXPECT_EQ(types(r), (std::vector<std::string>{"course_outline", "instructor_cv", "instructor_cv", "request_form"}));
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.disposition, Disposition::kReadyForReview);
  EXPECT_EQ(r.content.verdict, Verdict::kAdvanced);
  EXPECT_EQ(r.content.category, Category::kNewOrAdvanced);
  EXPECT_FALSE(r.content.evidence.empty());
  EXPECT_EQ(r.fields.course_title, "Advanced Crash Reconstruction Using Event Data Recorders");
  EXPECT_EQ(r.fields.credit_hours, 16);
  ASSERT_TRUE(r.fields.instructors);
  EXPECT_EQ(r.fields.instructors->size(), 2u);
  EXPECT_EQ(r.fields.provider_number, "MPOETC-CP-0412");
  EXPECT_EQ(r.fields.contact_email, "kwhitfield@keystonepsti.org");
  EXPECT_EQ(r.fields.contact_phone, "(717) 555-0142");
  EXPECT_EQ(r.outline.total_hours, 16);
  EXPECT_EQ(r.outline.blocks.size(), 6u);
  EXPECT_EQ(r.outline.objectives.size(), 4u);
}

TEST_F(Check, CompleteAdvancedPdfPacketWithOtherLabels) {
  Report r = check("complete_advanced_pdf");
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.fields.provider_name, "Keystone Public Safety Training Institute");  // "Sponsoring Agency:"
  EXPECT_EQ(r.fields.credit_hours, 16);                                           // "Total Hours:"
  EXPECT_EQ(r.fields.contact_name, "Karen Whitfield");                           // "Contact Person:"
  EXPECT_EQ(r.outline.total_hours, 16);
  EXPECT_EQ(r.content.verdict, Verdict::kAdvanced);
}

TEST_F(Check, FillableFormValuesOnlyInFields) {
  Report r = check("fillable_form");
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.fields.course_title, "Mobile Device Forensic Extraction for Investigators");
  EXPECT_EQ(r.fields.credit_hours, 24);
  EXPECT_EQ(r.fields.contact_email, "training@adfa-pa.com");
}

TEST_F(Check, EachNotApprovableCategory) {
  for (auto [packet, category] : std::vector<std::pair<std::string, std::string>>{
           {"refresher_annual", "annual_refresher"},
           {"requalification", "requalification"},
           {"basic_academy", "basic_academy"},
           {"department_policy", "department_policy"}}) {
    Report r = check(packet);
    EXPECT_EQ(r.content.verdict, Verdict::kNotAdvanced) << packet;
    EXPECT_EQ(category_name(r.content.category), category) << packet;
    EXPECT_TRUE(has(r, Code::kNotAdvancedContent)) << packet;
    ASSERT_FALSE(r.content.evidence.empty()) << packet;
    EXPECT_FALSE(r.content.evidence[0].quote.empty());
    EXPECT_FALSE(r.content.evidence[0].document.empty());
  }
}

TEST_F(Check, AdvancedTitleOverReviewContentIsNotAdvanced) {
  Report r = check("advanced_title_review_content");
  EXPECT_EQ(r.content.verdict, Verdict::kNotAdvanced);
}

TEST_F(Check, NegatedRefresherIsAdvanced) {
  Report r = check("negated_refresher");
  EXPECT_EQ(r.content.verdict, Verdict::kAdvanced);
  EXPECT_FALSE(has(r, Code::kNotAdvancedContent));
}

TEST_F(Check, MissingDocuments) {
  for (auto [packet, missing] : std::vector<std::pair<std::string, std::string>>{
           {"missing_outline", "course_outline"}, {"missing_form", "request_form"}, {"missing_cv", "instructor_cv"}}) {
    Report r = check(packet);
    EXPECT_FALSE(r.complete) << packet;
    EXPECT_EQ(r.disposition, Disposition::kNeedsInformation);
    EXPECT_EQ(r.missing, std::vector<std::string>{missing}) << packet;
    EXPECT_TRUE(has(r, Code::kMissingDocument));
  }
}

TEST_F(Check, InstructorWithoutCv) {
  Report r = check("instructor_without_cv");
  EXPECT_FALSE(r.complete);
  EXPECT_TRUE(r.missing.empty());
  ASSERT_TRUE(has(r, Code::kInstructorWithoutCv));
  for (const auto& f : r.findings)
    if (f.code == Code::kInstructorWithoutCv) {
      EXPECT_NE(f.message.find("Lopez"), std::string::npos);
    }
}

TEST_F(Check, BlankRequiredFieldIsNullAndMissing) {
  Report r = check("blank_required_field");
  EXPECT_FALSE(r.fields.course_title);
  EXPECT_FALSE(r.fields.credit_hours);
  EXPECT_TRUE(has(r, Code::kMissingField));
  EXPECT_FALSE(r.complete);
}

TEST_F(Check, HoursMismatchQuotesBoth) {
  Report r = check("hours_mismatch");
  ASSERT_TRUE(has(r, Code::kHoursMismatch));
  for (const auto& f : r.findings)
    if (f.code == Code::kHoursMismatch) {
      EXPECT_GE(f.evidence.size(), 2u);
    }
}

TEST_F(Check, UnreadableDocument) {
  Report r = check("unreadable_document");
  EXPECT_TRUE(has(r, Code::kUnreadableDocument));
  EXPECT_FALSE(r.complete);
}

TEST_F(Check, CombinedPdfIsSplitByContent) {
  Report r = check("combined_scan0001.pdf");
  EXPECT_EQ(types(r), (std::vector<std::string>{"course_outline", "instructor_cv", "instructor_cv", "request_form"}));
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.documents[0].first_page, 1);
  EXPECT_EQ(r.documents[0].name, "combined_scan0001.pdf (page 1)");
}

TEST_F(Check, ScannedFormReadByOcr) {
  Report r = check("scanned_form");
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.fields.credit_hours, 16);
  bool ocr = false;
  for (const auto& d : r.documents) ocr = ocr || (d.type == DocType::kRequestForm && d.doc.ocr_pages() > 0);
  EXPECT_TRUE(ocr);
}

TEST_F(Check, EmailPacketWithCoverLetter) {
  Report r = check("packet.eml");
  EXPECT_EQ(types(r), (std::vector<std::string>{"course_outline", "cover_letter", "instructor_cv", "request_form"}));
  EXPECT_TRUE(has(r, Code::kInstructorWithoutCv));  // the message carries only Miller's CV
}

TEST_F(Check, ZipPacketWithMeaninglessNames) {
  Report r = check("packet.zip");
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.documents.size(), 4u);  // __MACOSX entries skipped
}

TEST_F(Check, JsonContractRoundTrip) {
  Report r = check("hours_mismatch");
  auto j = report_to_json(r);
  for (const char* key : {"schema", "source", "documents", "fields", "complete", "missing", "content", "findings", "disposition"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["schema"], "clee-intake.report/v1");
  EXPECT_TRUE(j["fields"]["provider_number"].is_string());
  EXPECT_TRUE(j["fields"]["credit_hours"].is_number());
  auto back = report_from_json(j);
  ASSERT_TRUE(back);
  EXPECT_EQ(report_to_json(*back)["findings"], j["findings"]);
}

TEST_F(Check, HtmlEscapesDocumentText) {
  Report r = check("complete_advanced_docx");
  r.fields.course_title = "<script>alert(1)</script>";
  std::string html = render_html(r);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  std::string md = render_markdown(r);
  EXPECT_EQ(md.find("<script>"), std::string::npos);
}

}  // namespace
}  // namespace clee
