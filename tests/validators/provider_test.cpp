// validators/provider.cpp: the certified-provider list (names or numbers, only when configured)
// and OCR quality against the rule pack's threshold.
#include "test_reports.h"
#include "validators/validators.h"

namespace clee {
namespace {
using namespace testing_reports;

TEST(Provider, NotCheckedWithoutAList) {
  Report r = complete_report();
  make_provider_validator()->validate(pa_rules(), r);
  EXPECT_FALSE(has(r, Code::kProviderNotCertified));
}

TEST(Provider, ListedByNameOrNumber) {
  RulePack rules = pa_rules();
  rules.certified_providers = {"KEYSTONE INSTITUTE", "CTP-0001"};
  Report by_name = complete_report();
  make_provider_validator()->validate(rules, by_name);
  EXPECT_FALSE(has(by_name, Code::kProviderNotCertified));

  Report by_number = complete_report();
  by_number.fields.provider_name = "Keystone Inst.";
  by_number.fields.provider_number = "ctp 0001";
  make_provider_validator()->validate(rules, by_number);
  EXPECT_FALSE(has(by_number, Code::kProviderNotCertified));

  Report other = complete_report();
  other.fields.provider_name = "Fly-by-Night Training LLC";
  make_provider_validator()->validate(rules, other);
  EXPECT_TRUE(has(other, Code::kProviderNotCertified));
  EXPECT_EQ(other.findings[0].severity, Severity::kError);  // Pennsylvania: only certified providers submit
  EXPECT_EQ(other.provider_listed, false);
  EXPECT_EQ(by_name.provider_listed, true);
}

TEST(Provider, MissouriApprovedProviderStatusIsInformation) {
  RulePack rules = mo_rules();
  rules.certified_providers = {"MO-POST-0077"};
  Report listed = complete_report();
  listed.fields.provider_number = "MO-POST-0077";
  make_provider_validator()->validate(rules, listed);
  EXPECT_EQ(listed.provider_listed, true);
  EXPECT_FALSE(has(listed, Code::kProviderNotCertified));
  Report other = complete_report();
  make_provider_validator()->validate(rules, other);
  EXPECT_EQ(other.provider_listed, false);
  ASSERT_TRUE(has(other, Code::kProviderNotCertified));
  EXPECT_EQ(other.findings[0].severity, Severity::kInfo);  // its hours count, just not as approved-provider hours
  EXPECT_NE(other.findings[0].message.find("POST approved provider"), std::string::npos) << other.findings[0].message;
  Report unchecked = complete_report();
  make_provider_validator()->validate(mo_rules(), unchecked);
  EXPECT_FALSE(unchecked.provider_listed);  // no list: not known, not false
}

TEST(Provider, NamesCompareFolded) {
  RulePack rules = pa_rules();
  rules.certified_providers = {"Académie de Police Sainte-Thérèse"};
  Report r = complete_report();
  r.fields.provider_name = "ACADEMIE DE POLICE SAINTE THERESE";
  make_provider_validator()->validate(rules, r);
  EXPECT_FALSE(has(r, Code::kProviderNotCertified));
}

TEST(OcrQuality, LowConfidencePagesAreNamed) {
  Report r = complete_report();
  r.documents[0].doc.pages[0].ocr = true;
  r.documents[0].doc.pages[0].ocr_confidence = 41;
  r.documents[1].doc.pages[0].ocr = true;
  r.documents[1].doc.pages[0].ocr_confidence = 88;
  make_ocr_quality_validator()->validate(pa_rules(), r);
  ASSERT_EQ(count(r, Code::kOcrLowConfidence), 1);
  EXPECT_EQ(r.findings[0].document, "form.pdf");
  EXPECT_EQ(r.findings[0].severity, Severity::kWarning);
}

}  // namespace
}  // namespace clee
