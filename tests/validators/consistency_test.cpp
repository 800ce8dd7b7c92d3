// validators/consistency.cpp: form hours against the outline's total (quoting both), form title
// against the outline's.
#include "test_reports.h"
#include "validators/validators.h"

namespace clee {
namespace {
using namespace testing_reports;

TEST(Consistency, HoursMismatchQuotesBothDocuments) {
  Report r = complete_report();
  r.fields.evidence.push_back({"form.pdf", 1, "Credit Hours Requested: 16", "credit_hours"});
  r.outline.document = "outline.pdf";
  r.outline.total_hours = 12;
  r.outline.blocks = {{"Momentum analysis", 8}, {"Testimony", 4}};
  make_consistency_validator()->validate(pa_rules(), r);
  ASSERT_TRUE(has(r, Code::kHoursMismatch));
  const Finding& f = r.findings.front();
  ASSERT_EQ(f.evidence.size(), 2u);
  EXPECT_EQ(f.evidence[0].document, "form.pdf");
  EXPECT_EQ(f.evidence[0].quote, "Credit Hours Requested: 16");
  EXPECT_EQ(f.evidence[1].document, "outline.pdf");
  EXPECT_NE(f.evidence[1].quote.find("12"), std::string::npos);
}

TEST(Consistency, HoursWithinToleranceAgree) {
  Report r = complete_report();
  r.outline.total_hours = 16.0;
  make_consistency_validator()->validate(pa_rules(), r);
  EXPECT_FALSE(has(r, Code::kHoursMismatch));
}

TEST(Consistency, ClearlyDifferentTitleIsAWarning) {
  Report r = complete_report();
  r.outline.title = "Mobile Device Forensics";
  make_consistency_validator()->validate(pa_rules(), r);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].severity, Severity::kWarning);

  Report same = complete_report();
  same.outline.title = "Advanced Crash Reconstruction Using Event Data Recorders";
  make_consistency_validator()->validate(pa_rules(), same);
  EXPECT_TRUE(same.findings.empty());
}

}  // namespace
}  // namespace clee
