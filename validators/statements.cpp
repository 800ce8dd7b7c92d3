#include "validators/statements.h"

#include <algorithm>

#include "pipeline/text.h"

namespace clee {
namespace {

// How far back (in words, within the sentence) a negation or a `beyond` word governs a phrase:
// "does not review", "is not a refresher", "not taught in the basic academy".
constexpr size_t kContextWords = 5;

struct Span {
  size_t begin, end;  // word positions [begin, end)
};

std::vector<Span> occurrences(const std::vector<std::string>& words, const PhraseSet& phrases) {
  std::vector<Span> out;
  if (phrases.empty()) return out;
  for (size_t i = 0; i < words.size(); ++i)  // the longest at each word: "annual refresher" over "annual"
    if (size_t n = phrases.longest_at(words, i)) out.push_back({i, i + n});
  return out;
}

bool any_in(const std::vector<std::string>& words, size_t from, size_t to, const PhraseSet& phrases) {
  for (size_t i = from; i < to; ++i)
    if (size_t n = phrases.longest_at(words, i); n && i + n <= to) return true;
  return false;
}

size_t gap(const Span& a, const Span& b) {
  if (a.end <= b.begin) return b.begin - a.end;
  if (b.end <= a.begin) return a.begin - b.end;
  return SIZE_MAX;  // overlapping: one phrase cannot stand for two groups
}

}  // namespace

Phrase phrase_words(std::string_view p) {
  Phrase out;
  size_t pos = 0;
  while (pos < p.size()) {
    size_t sp = p.find(' ', pos);
    if (sp == std::string_view::npos) sp = p.size();
    if (sp > pos) out.emplace_back(p.substr(pos, sp - pos));
    pos = sp + 1;
  }
  return out;
}

size_t phrase_at(const std::vector<std::string>& words, size_t i, const Phrase& phrase) {
  if (phrase.empty() || i + phrase.size() > words.size()) return 0;
  for (size_t k = 0; k < phrase.size(); ++k) {
    const std::string& w = words[i + k];
    const std::string& p = phrase[k];
    if (!p.empty() && p.back() == '*') {
      if (w.compare(0, p.size() - 1, p, 0, p.size() - 1) != 0) return 0;
    } else if (w != p) {
      return 0;
    }
  }
  return phrase.size();
}

PhraseSet::PhraseSet(const std::vector<std::string>& phrases) {
  for (const auto& p : phrases) {
    Phrase w = phrase_words(p);
    if (w.empty()) continue;
    if (w.front().back() == '*') starred_.push_back(std::move(w));
    else by_first_[w.front()].push_back(std::move(w));
  }
}

size_t PhraseSet::longest_at(const std::vector<std::string>& words, size_t i) const {
  size_t longest = 0;
  if (i >= words.size()) return 0;
  if (auto it = by_first_.find(words[i]); it != by_first_.end())
    for (const auto& p : it->second) longest = std::max(longest, phrase_at(words, i, p));
  for (const auto& p : starred_) longest = std::max(longest, phrase_at(words, i, p));
  return longest;
}

StatementFinder::StatementFinder(const RulePack& rules) : negation_(rules.negation), beyond_(rules.beyond) {
  for (const auto& p : rules.patterns) {
    Compiled c{&p, {}, PhraseSet(p.except)};
    for (const auto& group : p.all) c.all.emplace_back(group);
    patterns_.push_back(std::move(c));
  }
}

std::vector<Statement> StatementFinder::find(std::string_view sentence) const {
  std::vector<Statement> out;
  const std::vector<std::string> words = text::words(sentence);
  if (words.empty()) return out;
  for (const auto& c : patterns_) {
    std::vector<Span> excluded = occurrences(words, c.except);
    auto allowed = [&](const Span& s) {
      return std::none_of(excluded.begin(), excluded.end(), [&](const Span& e) { return s.begin < e.end && e.begin < s.end; });
    };
    std::vector<std::vector<Span>> found;
    for (const auto& group : c.all) {
      std::vector<Span> spans = occurrences(words, group);
      std::erase_if(spans, [&](const Span& s) { return !allowed(s); });
      found.push_back(std::move(spans));
    }
    if (std::any_of(found.begin(), found.end(), [](const auto& f) { return f.empty(); })) continue;
    // Anchor on each match of the first group; every other group needs a match near it.
    std::vector<Span> chosen;
    for (const Span& anchor : found[0]) {
      chosen = {anchor};
      for (size_t g = 1; g < found.size() && chosen.size() == g; ++g) {
        const Span* best = nullptr;
        for (const Span& s : found[g])
          if (gap(anchor, s) <= static_cast<size_t>(c.pattern->within) && (!best || gap(anchor, s) < gap(anchor, *best)))
            best = &s;
        if (best) chosen.push_back(*best);
      }
      if (chosen.size() == found.size()) break;
    }
    if (chosen.size() != found.size()) continue;
    Span all{SIZE_MAX, 0};
    for (const Span& s : chosen) all = {std::min(all.begin, s.begin), std::max(all.end, s.end)};
    Statement st{c.pattern, c.pattern->category, "", "", 1.0};
    for (size_t i = all.begin; i < all.end; ++i) st.matched += (i > all.begin ? " " : "") + words[i];
    size_t from = all.begin > kContextWords ? all.begin - kContextWords : 0;
    bool depth = c.pattern->category == Category::kNewOrAdvanced;
    if (any_in(words, from, all.begin, negation_)) {
      if (depth) continue;  // "no advanced ..." says nothing for depth
      st = {c.pattern, Category::kNewOrAdvanced, "negated", st.matched, 0.5};
    } else if (!depth && (c.pattern->category == Category::kBasicAcademy || c.pattern->category == Category::kAnnualRefresher) &&
               any_in(words, from, all.begin, beyond_)) {
      st = {c.pattern, Category::kNewOrAdvanced, "prerequisite", st.matched, 1.0};
    }
    out.push_back(std::move(st));
  }
  return out;
}

std::string quote_text(std::string_view s) {
  std::string q = text::squash(s);
  if (q.size() <= 300) return q;
  size_t cut = 300;
  while (cut > 0 && (static_cast<unsigned char>(q[cut]) & 0xC0) == 0x80) --cut;
  return q.substr(0, cut) + "…";
}

}  // namespace clee
