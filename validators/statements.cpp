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

std::vector<Span> occurrences(const std::vector<std::string>& words, const std::vector<Phrase>& phrases) {
  std::vector<Span> out;
  for (size_t i = 0; i < words.size(); ++i) {
    size_t longest = 0;  // "annual refresher" over "annual"
    for (const auto& p : phrases) longest = std::max(longest, phrase_at(words, i, p));
    if (longest) out.push_back({i, i + longest});
  }
  return out;
}

bool any_in(const std::vector<std::string>& words, size_t from, size_t to, const std::vector<Phrase>& phrases) {
  for (size_t i = from; i < to; ++i)
    for (const auto& p : phrases)
      if (size_t n = phrase_at(words, i, p); n && i + n <= to) return true;
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

StatementFinder::StatementFinder(const RulePack& rules) {
  for (const auto& p : rules.patterns) {
    Compiled c{&p, {}, {}};
    for (const auto& group : p.all) {
      std::vector<Phrase> g;
      for (const auto& ph : group) g.push_back(phrase_words(ph));
      c.all.push_back(std::move(g));
    }
    for (const auto& e : p.except) c.except.push_back(phrase_words(e));
    patterns_.push_back(std::move(c));
  }
  for (const auto& n : rules.negation) negation_.push_back(phrase_words(n));
  for (const auto& b : rules.beyond) beyond_.push_back(phrase_words(b));
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
