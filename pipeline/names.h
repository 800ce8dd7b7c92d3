// Person names as they appear on forms and CVs: "Sgt. John A. Miller (ret.)", "Dr. Maria Lopez,
// LCSW", "Miller, John". Reduces a name to its given and family name so two spellings compare:
// after Unicode folding (accents dropped, ’ = '), case and punctuation ignored.
#pragma once

#include <string>
#include <string_view>

namespace clee {

struct PersonName {
  std::string given;   // lower-case, "" when only one name is known
  std::string family;  // lower-case
  bool empty() const { return family.empty(); }
};

PersonName parse_person_name(std::string_view raw);
bool same_person(const PersonName& a, const PersonName& b);
// True when `line` reads like a bare person name (2-5 words, letters, capitalised, no verbs).
bool looks_like_name(std::string_view line);

}  // namespace clee
