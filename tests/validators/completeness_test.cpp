// validators/completeness.cpp on hand-made reports: documents, required fields, a CV per
// instructor, unreadable documents, and how `complete` and `disposition` follow.
#include "test_reports.h"
#include "validators/validators.h"

namespace clee {
namespace {
using namespace testing_reports;

TEST(Completeness, CompletePacketIsReadyForReview) {
  Report r = complete_report();
  make_completeness_validator()->validate(pa_rules(), r);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.disposition, Disposition::kReadyForReview);
  EXPECT_TRUE(r.missing.empty());
  EXPECT_TRUE(r.findings.empty());
}

TEST(Completeness, MissingOutlineIsListedAndBlocks) {
  Report r = complete_report();
  r.documents.erase(r.documents.begin() + 1);
  make_completeness_validator()->validate(pa_rules(), r);
  EXPECT_EQ(r.missing, std::vector<std::string>{"course_outline"});
  EXPECT_TRUE(has(r, Code::kMissingDocument));
  EXPECT_FALSE(r.complete);
  EXPECT_EQ(r.disposition, Disposition::kNeedsInformation);
}

TEST(Completeness, BlankRequiredFieldIsAFinding) {
  Report r = complete_report();
  r.fields.contact_email.reset();
  r.fields.credit_hours.reset();
  make_completeness_validator()->validate(pa_rules(), r);
  EXPECT_EQ(count(r, Code::kMissingField), 2);
  EXPECT_FALSE(r.complete);
}

TEST(Completeness, EveryInstructorNeedsACvWhateverTheSpelling) {
  Report r = complete_report();
  r.fields.instructors = std::vector<std::string>{"Miller, John", "Dr. Maria Lopez, LCSW"};
  make_completeness_validator()->validate(pa_rules(), r);
  ASSERT_EQ(count(r, Code::kInstructorWithoutCv), 1);
  auto f = std::find_if(r.findings.begin(), r.findings.end(), [](const Finding& x) { return x.code == Code::kInstructorWithoutCv; });
  EXPECT_NE(f->message.find("Maria Lopez"), std::string::npos);
  EXPECT_FALSE(r.complete);

  Report ok = complete_report();
  ok.fields.instructors = std::vector<std::string>{"Miller, John", "Dr. Maria Lopez, LCSW"};
  ok.documents.push_back(doc("lopez.pdf", DocType::kInstructorCv, "Maria T. Lopez, Ph.D., LCSW\nCurriculum Vitae"));
  ok.cvs.push_back({std::string("Maria T. Lopez, Ph.D., LCSW"), {}, "lopez.pdf"});
  make_completeness_validator()->validate(pa_rules(), ok);
  EXPECT_FALSE(has(ok, Code::kInstructorWithoutCv));
  EXPECT_TRUE(ok.complete);
}

TEST(Completeness, TwoNamesRunTogetherInOneCell) {
  Report r = complete_report();
  r.fields.instructors = std::vector<std::string>{"John Miller Maria Lopez"};
  r.documents.push_back(doc("lopez.pdf", DocType::kInstructorCv, "Maria Lopez\nResume"));
  r.cvs.push_back({std::string("Maria Lopez"), {}, "lopez.pdf"});
  make_completeness_validator()->validate(pa_rules(), r);
  EXPECT_FALSE(has(r, Code::kInstructorWithoutCv));

  Report missing = complete_report();
  missing.fields.instructors = std::vector<std::string>{"John Miller Maria Lopez"};
  make_completeness_validator()->validate(pa_rules(), missing);
  EXPECT_TRUE(has(missing, Code::kInstructorWithoutCv));
}

TEST(Completeness, UnreadableDocumentKeepsItsCodeAndBlocks) {
  Report r = complete_report();
  UnderstoodDocument bad = doc("locked.pdf", DocType::kUnknown, "");
  bad.doc.pages.clear();
  bad.doc.error = Error{Code::kEncryptedDocument, "the PDF needs a password"};
  r.documents.push_back(bad);
  make_completeness_validator()->validate(pa_rules(), r);
  ASSERT_TRUE(has(r, Code::kEncryptedDocument));
  EXPECT_EQ(r.findings.front().document, "locked.pdf");
  EXPECT_FALSE(r.complete);
  EXPECT_EQ(r.disposition, Disposition::kNeedsInformation);
}

TEST(Completeness, NotAdvancedContentIsStillForTheReviewer) {
  Report r = complete_report();
  for (auto& d : r.documents)
    if (d.type == DocType::kCourseOutline) d.doc.pages[0].text = "Annual refresher. Officers review the basic academy skills.";
  for (const auto& v : make_validators()) v->validate(pa_rules(), r);
  EXPECT_EQ(r.content.verdict, Verdict::kNotAdvanced);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.disposition, Disposition::kReadyForReview);  // the reviewer decides; the finding says why
}

}  // namespace
}  // namespace clee
