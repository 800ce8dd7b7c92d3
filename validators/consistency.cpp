// Consistency: the form's credit hours against the outline's total, the form's title against the
// outline's — each disagreement quoted from both documents.
#include <cmath>
#include <sstream>

#include "pipeline/text.h"
#include "validators/validators.h"

namespace clee {
namespace {

std::string hours_text(double h) {
  std::ostringstream os;
  os << h;
  return os.str();
}

class Consistency : public Validator {
 public:
  const char* name() const override { return "consistency"; }
  void validate(const RulePack& rules, Report& r) const override {
    const Evidence* form_hours = nullptr;
    const Evidence* form_title = nullptr;
    for (const auto& e : r.fields.evidence) {
      if (e.rule == "credit_hours") form_hours = &e;
      if (e.rule == "course_title") form_title = &e;
    }
    if (r.fields.credit_hours && r.outline.total_hours &&
        std::fabs(*r.fields.credit_hours - *r.outline.total_hours) > rules.hours_tolerance) {
      Finding f{Code::kHoursMismatch, Severity::kWarning,
                "The form requests " + hours_text(*r.fields.credit_hours) + " credit hours but the outline totals " +
                    hours_text(*r.outline.total_hours) + " hours",
                r.outline.document, {}};
      if (form_hours) f.evidence.push_back(*form_hours);
      std::string quote = "total " + hours_text(*r.outline.total_hours) + " hours";
      for (const auto& b : r.outline.blocks) quote += "; " + b.title + ": " + hours_text(b.hours.value_or(0));
      f.evidence.push_back({r.outline.document, 0, quote.substr(0, 400), "outline_total"});
      r.findings.push_back(std::move(f));
    }
    if (r.fields.course_title && r.outline.title) {
      double overlap = std::max(text::word_overlap(*r.fields.course_title, *r.outline.title),
                                text::word_overlap(*r.outline.title, *r.fields.course_title));
      if (overlap < rules.title_similarity_min) {
        Finding f{Code::kTitleMismatch, Severity::kWarning,
                  "The form's course title \"" + *r.fields.course_title + "\" differs from the outline's \"" +
                      *r.outline.title + "\"",
                  r.outline.document, {}};
        if (form_title) f.evidence.push_back(*form_title);
        f.evidence.push_back({r.outline.document, 1, *r.outline.title, "outline_title"});
        r.findings.push_back(std::move(f));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Validator> make_consistency_validator() { return std::make_unique<Consistency>(); }

}  // namespace clee
