// Provider eligibility: only certified academies and commercial training providers may submit.
// Checked against the rule pack's list when one is configured (names or numbers).
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
      if (std::string k = text::name_key(c); !k.empty() && k == name) return;
      if (std::string n = text::normalise(c); !n.empty() && n == number) return;
    }
    r.findings.push_back({Code::kProviderNotCertified, Severity::kError,
                          "Provider \"" + r.fields.provider_name.value_or("(not given)") + "\" (" +
                              r.fields.provider_number.value_or("no number") +
                              ") is not on the certified-provider list",
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
