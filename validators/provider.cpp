// Provider eligibility against the rule pack's provider list (names or numbers), when it has one.
// Pennsylvania: only certified academies and commercial training providers may submit, so a
// provider off the list is an error. Missouri: any provider's hours count, but only an "approved
// provider"'s count toward the 8 approved-provider hours, so it is information. Either way the
// report records whether the provider is listed.
#include "pipeline/text.h"
#include "validators/validators.h"

namespace clee {
namespace {

class ProviderEligibility : public Validator {
 public:
  const char* name() const override { return "provider"; }
  void validate(const RulePack& rules, Report& r) const override {
    if (rules.certified_providers.empty()) return;
    std::string name = r.fields.provider_name ? text::name_key(*r.fields.provider_name) : "";
    std::string number = r.fields.provider_number ? text::normalise(*r.fields.provider_number) : "";
    for (const auto& c : rules.certified_providers) {
      // Names compare folded (accents, curly apostrophes, case and punctuation aside).
      std::string k = text::name_key(c), n = text::normalise(c);
      if ((!k.empty() && k == name) || (!n.empty() && n == number)) {
        r.provider_listed = true;
        return;
      }
    }
    r.provider_listed = false;
    std::string who = "Provider \"" + r.fields.provider_name.value_or("(not given)") + "\" (" +
                      r.fields.provider_number.value_or("no number") + ")";
    if (rules.provider_required)
      r.findings.push_back({Code::kProviderNotCertified, Severity::kError,
                            who + " is not on the " + rules.provider_list_name + " list", "", {}});
    else
      r.findings.push_back({Code::kProviderNotCertified, Severity::kInfo,
                            who + " is not on the " + rules.provider_list_name +
                                " list: its hours count, but not toward the hours an officer must take from a listed provider",
                            "", {}});
  }
};

class OcrQuality : public Validator {
 public:
  const char* name() const override { return "ocr_quality"; }
  void validate(const RulePack& rules, Report& r) const override {
    for (const auto& d : r.documents)
      for (const auto& p : d.doc.pages)
        if (p.ocr && p.ocr_confidence < rules.ocr_min_confidence)
          r.findings.push_back({Code::kOcrLowConfidence, Severity::kWarning,
                                d.name + " page " + std::to_string(p.number) + " was read by OCR with confidence " +
                                    std::to_string(static_cast<int>(p.ocr_confidence)) + "; check it by eye",
                                d.name, {}});
  }
};

}  // namespace

std::unique_ptr<Validator> make_provider_validator() { return std::make_unique<ProviderEligibility>(); }
std::unique_ptr<Validator> make_ocr_quality_validator() { return std::make_unique<OcrQuality>(); }

}  // namespace clee
