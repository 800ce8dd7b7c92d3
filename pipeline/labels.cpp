#include "pipeline/labels.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "pipeline/text.h"

namespace clee {

std::string strip_numbering(std::string_view s) {
  std::string t = text::trim(s);
  // Bullets and dashes.
  for (std::string_view b : {"•", "◦", "▪", "–", "-", "*", "·"})
    if (t.rfind(b, 0) == 0) t = text::trim(std::string_view(t).substr(b.size()));
  // "3.", "3)", "(3)", "a.", "b)", "(c)", "III.".
  size_t i = 0;
  bool paren = i < t.size() && t[i] == '(';
  if (paren) ++i;
  size_t start = i;
  while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i])) && i - start < 3) ++i;
  bool digits = i > start;
  if (!digits) {
    while (i < t.size() && std::string_view("ivxIVX").find(t[i]) != std::string_view::npos && i - start < 4) ++i;
    if (i == start && i < t.size() && std::isalpha(static_cast<unsigned char>(t[i]))) ++i;
  }
  if (i == start || i >= t.size()) return t;
  char c = t[i];
  bool punct = c == '.' || c == ')' || (paren && c == ')');
  if (!punct) return t;  // "Hours" keeps its "H"; "24 hours" is a value, not "(24) Hours"
  ++i;
  if (i < t.size() && t[i] != ' ' && t[i] != '\t') return t;  // "e.g." / "3.5"
  return text::trim(std::string_view(t).substr(i));
}

std::string strip_hints(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char open = s[i], close = open == '(' ? ')' : open == '[' ? ']' : 0;
    size_t end = close ? s.find(close, i + 1) : std::string_view::npos;
    if (end != std::string_view::npos && end - i - 1 > 3) {
      i = end;
      out.push_back(' ');
      continue;
    }
    out.push_back(s[i]);
  }
  return text::trim(text::squash(out));
}

bool is_hint(std::string_view t) {
  std::string s = text::trim(t);
  return s.size() >= 2 && ((s.front() == '(' && s.back() == ')') || (s.front() == '[' && s.back() == ']')) &&
         s.find_first_of(")]") == s.size() - 1;
}

LabelIndex::LabelIndex(const RulePack& rules) : words_(&rules.label_words) {
  for (const auto& [field, labels] : rules.label_synonyms)
    for (const auto& l : labels) exact_[text::normalise(l)] = field;
}

LabelMatch LabelIndex::match(std::string_view raw) const {
  std::string label = strip_hints(raw);
  if (LabelMatch m = match_one(label)) return m;
  // "Name and Title of Contact Person", "Phone / Email": each thing it names, first first.
  std::string low = text::lower(label);
  std::string owner;
  if (size_t of = low.rfind(" of "); of != std::string::npos) {
    owner = label.substr(of);
    low = low.substr(0, of);
  }
  for (std::string_view sep : {" and ", " & ", " / ", "/"}) {
    size_t at = low.find(sep);
    if (at == std::string::npos) continue;
    const std::string parts[] = {label.substr(0, at), label.substr(at + sep.size(), low.size() - at - sep.size())};
    for (int k = 0; k < 2; ++k) {
      LabelMatch m = match_one(text::trim(parts[k]) + owner);
      if (m) return {m.field, std::min(m.quality, 2), k, 2};
    }
    break;
  }
  return {};
}

LabelMatch LabelIndex::match_one(std::string_view raw) const {
  std::string label = strip_numbering(raw);
  for (size_t p; (p = label.find('#')) != std::string::npos;) label.replace(p, 1, " number ");  // "Phone #"
  std::string n = text::normalise(label);
  if (n.empty() || n.size() > 60) return {};
  if (auto it = exact_.find(n); it != exact_.end()) return {it->second, 3};
  // "24 hours", "Credit Hours Requested 8" hold values; labels carry no bare numbers once list
  // numbering is stripped.
  for (const auto& w : text::words(n))
    if (std::all_of(w.begin(), w.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) return {};
  // OCR slips: a small edit distance to a synonym long enough not to collide with another word.
  if (n.size() >= 5) {
    std::string best;
    size_t best_d = 99;
    bool tie = false;
    for (const auto& [label, field] : exact_) {
      if (label.size() < 5) continue;
      size_t cap = label.size() >= 10 ? 2 : 1;
      size_t d = text::edit_distance(n, label, cap);
      if (d > cap) continue;
      if (d < best_d) {
        best_d = d;
        best = field;
        tie = false;
      } else if (d == best_d && field != best) {
        tie = true;
      }
    }
    if (!best.empty() && !tie) return {best, 2};
  }
  // Words: every group present, no excluded word; the most specific rule wins, a tie is no match.
  std::vector<std::string> ws = text::words(n);
  if (ws.size() > 7) return {};

  std::set<std::string> have(ws.begin(), ws.end());
  // Between equally specific rules the head noun decides: English puts it last ("Agency Contact" is
  // a contact, "Contact Agency" an agency).
  auto last_at = [&](const LabelWords& rule) {
    size_t at = 0;
    for (size_t i = 0; i < ws.size(); ++i)
      for (const auto& group : rule.all)
        if (std::find(group.begin(), group.end(), ws[i]) != group.end()) at = i + 1;
    return at;
  };
  std::string best;
  size_t best_groups = 0, best_at = 0;
  bool tie = false;
  for (const auto& [field, rule] : *words_) {
    bool ok = std::all_of(rule.all.begin(), rule.all.end(), [&](const std::vector<std::string>& group) {
      return std::any_of(group.begin(), group.end(), [&](const std::string& w) { return have.count(w) > 0; });
    });
    ok = ok && std::none_of(rule.none.begin(), rule.none.end(), [&](const std::string& w) { return have.count(w) > 0; });
    if (!ok) continue;
    size_t at = last_at(rule);
    if (rule.all.size() > best_groups || (rule.all.size() == best_groups && at > best_at)) {
      best = field;
      best_groups = rule.all.size();
      best_at = at;
      tie = false;
    } else if (rule.all.size() == best_groups && at == best_at) {
      tie = true;
    }
  }
  if (best.empty() || tie) return {};
  return {best, 1};
}

}  // namespace clee
