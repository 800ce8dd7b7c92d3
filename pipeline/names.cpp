#include "pipeline/names.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

#include "pipeline/text.h"

namespace clee {
namespace {

const std::set<std::string> kTitles = {
    "sgt", "sergeant", "dr", "doctor", "officer", "ofc", "ptl", "patrolman", "det", "detective", "lt", "lieutenant",
    "cpl", "corporal", "capt", "captain", "chief", "trooper", "tpr", "deputy", "sheriff", "mr", "mrs", "ms", "miss",
    "prof", "professor", "sr", "jr", "ii", "iii", "iv", "ret", "retired", "inspector", "insp", "agent", "special",
    "sa", "major", "maj", "col", "colonel", "commander", "cmdr", "supt", "superintendent", "asst", "assistant",
    "investigator", "inv", "cpt", "sgt1", "msgt", "pfc", "spc", "rev", "hon", "esq", "phd", "md", "lcsw", "lpc",
    "ma", "ms", "msw", "mba", "jd", "bs", "ba", "bsc", "msc", "edd", "psyd", "rn", "emt", "cpp", "cfe", "cfi",
    "ccpa", "gasf", "actar", "mpa", "llm"};

}  // namespace

PersonName parse_person_name(std::string_view raw) {
  // Folded first: "José Núñez-O’Brien" and "JOSE NUNEZ-O'BRIEN" are one name; an apostrophe
  // joins ("O'Brien" = "OBrien").
  std::string s;
  for (char c : text::fold(raw))
    if (c != '\'') s.push_back(c);
  // Drop parentheticals: "(ret.)", "(Lead)".
  std::string clean;
  int depth = 0;
  for (char c : s) {
    if (c == '(') ++depth;
    else if (c == ')') depth = depth > 0 ? depth - 1 : 0;
    else if (depth == 0) clean.push_back(c);
  }
  // "Miller, John" (family first) vs "Maria Lopez, LCSW" (credentials after the comma).
  std::vector<std::string> parts;
  size_t pos = 0;
  while (pos <= clean.size()) {
    size_t comma = clean.find(',', pos);
    if (comma == std::string::npos) comma = clean.size();
    parts.push_back(clean.substr(pos, comma - pos));
    pos = comma + 1;
  }
  auto keep = [](const std::string& part) {
    std::vector<std::string> out;
    for (const auto& w : text::words(part))
      if (!kTitles.count(w) && w.size() > 1 && !std::isdigit(static_cast<unsigned char>(w[0]))) out.push_back(w);
    return out;
  };
  std::vector<std::string> first = keep(parts[0]);
  if (parts.size() >= 2) {
    std::vector<std::string> second = keep(parts[1]);
    // "Garcia-Lopez, Maria": a given name after the comma is written in mixed case; credentials
    // ("Maria Lopez, CISSP") are capitals.
    bool mixed = false;  // a word like "Maria" or "John": a capital, then only lower-case letters
    {
      size_t pos = 0;
      const std::string& p1 = parts[1];
      while (pos < p1.size()) {
        size_t sp = p1.find(' ', pos);
        if (sp == std::string::npos) sp = p1.size();
        std::string w = p1.substr(pos, sp - pos);
        pos = sp + 1;
        if (w.size() >= 2 && std::isupper(static_cast<unsigned char>(w[0])) &&
            std::all_of(w.begin() + 1, w.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); }))
          mixed = true;
      }
    }
    if ((first.size() == 1 || (first.size() >= 2 && mixed)) && !second.empty()) {  // "Miller, John A."
      PersonName n;
      n.family = first.back();
      n.given = second[0];
      return n;
    }
  }
  PersonName n;
  if (first.empty()) return n;
  n.family = first.back();
  if (first.size() >= 2) n.given = first.front();
  return n;
}

namespace {

// Common English short forms of given names; either side may use either form.
const std::vector<std::pair<const char*, const char*>> kNicknames = {
    {"bob", "robert"}, {"rob", "robert"}, {"bobby", "robert"}, {"bill", "william"}, {"will", "william"},
    {"billy", "william"}, {"jim", "james"}, {"jimmy", "james"}, {"mike", "michael"}, {"tom", "thomas"},
    {"dave", "david"}, {"dan", "daniel"}, {"danny", "daniel"}, {"chris", "christopher"}, {"chris", "christine"},
    {"matt", "matthew"}, {"joe", "joseph"}, {"steve", "steven"}, {"steve", "stephen"}, {"rick", "richard"},
    {"dick", "richard"}, {"rich", "richard"}, {"kate", "katherine"}, {"kathy", "katherine"}, {"cathy", "catherine"},
    {"liz", "elizabeth"}, {"beth", "elizabeth"}, {"pat", "patrick"}, {"pat", "patricia"}, {"patty", "patricia"},
    {"tony", "anthony"}, {"ed", "edward"}, {"eddie", "edward"}, {"ted", "edward"}, {"jeff", "jeffrey"},
    {"greg", "gregory"}, {"ken", "kenneth"}, {"ron", "ronald"}, {"don", "donald"}, {"tim", "timothy"},
    {"andy", "andrew"}, {"drew", "andrew"}, {"sam", "samuel"}, {"nick", "nicholas"}, {"ben", "benjamin"},
    {"jen", "jennifer"}, {"jenny", "jennifer"}, {"sue", "susan"}, {"deb", "deborah"}, {"debbie", "deborah"},
    {"larry", "lawrence"}, {"jerry", "gerald"}, {"chuck", "charles"}, {"charlie", "charles"}, {"hank", "henry"},
    {"jack", "john"}, {"johnny", "john"}, {"al", "albert"}, {"alex", "alexander"}, {"fred", "frederick"},
    {"frank", "francis"}, {"joe", "joseph"}, {"peggy", "margaret"}, {"maggie", "margaret"}, {"meg", "margaret"},
    {"vicky", "victoria"}, {"vince", "vincent"}, {"walt", "walter"}, {"zach", "zachary"}, {"gene", "eugene"}};

bool same_given(const std::string& a, const std::string& b) {
  if (a == b) return true;
  // "Sam" / "Samuel", "Chris" / "Christopher": a short form that starts the long one.
  const std::string& s = a.size() < b.size() ? a : b;
  const std::string& l = a.size() < b.size() ? b : a;
  if (s.size() >= 3 && l.compare(0, s.size(), s) == 0) return true;
  for (const auto& [nick, full] : kNicknames)
    if ((a == nick && b == full) || (a == full && b == nick)) return true;
  return false;
}

}  // namespace

bool same_person(const PersonName& a, const PersonName& b) {
  if (a.empty() || b.empty()) return false;
  bool family = a.family == b.family || (a.family.size() > 4 && text::edit_distance(a.family, b.family, 1) <= 1);
  if (!family) return false;
  if (a.given.empty() || b.given.empty()) return true;
  return same_given(a.given, b.given);
}

bool looks_like_name(std::string_view line) {
  std::string t = text::squash(text::fold(line));
  if (t.empty() || t.size() > 60) return false;
  int words = 0, capitalised = 0;
  for (const auto& w : text::lines(t)) (void)w;
  size_t pos = 0;
  while (pos < t.size()) {
    size_t sp = t.find(' ', pos);
    if (sp == std::string::npos) sp = t.size();
    std::string w = t.substr(pos, sp - pos);
    pos = sp + 1;
    if (w.empty()) continue;
    ++words;
    for (char c : w)
      if (std::isdigit(static_cast<unsigned char>(c)) || c == ':' || c == '@') return false;
    static const std::set<std::string> kParticles = {"de", "van", "von", "der", "den", "la", "le", "del", "da",
                                                     "di", "du", "bin", "al", "y", "st"};
    if (std::isupper(static_cast<unsigned char>(w[0])) || w[0] == '(' || kParticles.count(text::lower(w))) ++capitalised;
  }
  if (!t.empty() && t.back() == '.' && (t.size() < 3 || t[t.size() - 3] != ' ')) return false;  // a sentence, not "John A."
  static const std::set<std::string> kNotNames = {"curriculum", "vitae", "resume", "course", "outline", "request",
                                                  "form", "objectives", "experience", "education", "schedule",
                                                  "training", "certifications", "summary", "page", "clee",
                                                  "university", "college", "county", "department", "police",
                                                  "academy", "school", "institute", "inc", "llc", "professional",
                                                  "profile", "objective", "qualifications", "employment", "skills",
                                                  "references", "contact", "information", "personal", "work",
                                                  "history", "unit", "division", "bureau", "office", "center",
                                                  "centre", "pilot", "specialist",
                                                  "aviation", "science", "justice", "criminal", "of", "and",
                                                  "the", "for", "in", "at"};
  for (const auto& w : text::words(t))
    if (kNotNames.count(w)) return false;
  return words >= 2 && words <= 7 && capitalised == words;
}

}  // namespace clee
