// Form labels: which request-form field a printed label names. Three tiers, best first: a synonym
// from the rule pack (case, punctuation and numbering ignored: "3. Course Title:" = "course title"),
// the same with a small edit distance (OCR slips: "Cource Title"), and the label's words against
// the rule pack's word rules ("Amount of Credit Requested" → credit_hours). Read-only after
// construction; shareable between threads.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/rules.h"

namespace clee {

struct LabelMatch {
  std::string field;  // "" when the text names no field
  int quality = 0;    // 3 synonym, 2 synonym with an OCR slip, 1 by words, 0 none
  // A label naming two things ("Name and Title of Contact Person") matched by its `part`-th
  // (0-based) of `parts`: the value holds as many pieces ("Jane Doe, Coordinator").
  int part = 0, parts = 1;
  explicit operator bool() const { return quality > 0; }
};

class LabelIndex {
 public:
  explicit LabelIndex(const RulePack& rules);
  // `raw` is the label text alone ("Instructor(s)", "4. Total CLEE Credit Hours").
  LabelMatch match(std::string_view raw) const;

 private:
  LabelMatch match_one(std::string_view label) const;
  std::map<std::string, std::string> exact_;  // normalised synonym → field
  const std::map<std::string, LabelWords>* words_;
};

// "3. Course Title" → "Course Title"; "(b) Hours" → "Hours"; "• Provider" → "Provider".
std::string strip_numbering(std::string_view label);
// "Course Title (less than 60 characters)" → "Course Title"; "Instructor(s)" stays: a bracketed
// group of more than three characters is a hint, not the label.
std::string strip_hints(std::string_view label);
// True when `text` is wholly a bracketed hint ("(less than 60 characters)", "[optional]").
bool is_hint(std::string_view text);

}  // namespace clee
