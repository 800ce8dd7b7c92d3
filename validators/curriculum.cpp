#include "validators/curriculum.h"

#include <algorithm>
#include <regex>

#include "pipeline/text.h"

namespace clee {
namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Positions of `words` covered by any of `phrases`.
std::vector<bool> covered_by(const std::vector<std::string>& words, const PhraseSet& phrases) {
  std::vector<bool> out(words.size(), false);
  for (size_t i = 0; i < words.size(); ++i) {
    size_t longest = phrases.longest_at(words, i);  // "scenario based" over "scenario"
    for (size_t k = i; k < i + longest; ++k) out[k] = true;
  }
  return out;
}

bool stem_matches(const std::string& term_stem, const std::string& stem) {
  if (!term_stem.empty() && term_stem.back() == '*') return stem.compare(0, term_stem.size() - 1, term_stem, 0, term_stem.size() - 1) == 0;
  return term_stem == stem;
}

}  // namespace

// A few suffix rules, applied alike to topics and terms: enough for plurals and -ing/-ed forms
// to meet ("stops"/"stop", "interviewing"/"interview", "searches"/"search", "writing"/"write").
std::string stem(std::string_view word) {
  std::string w(word);
  if (w.size() > 4 && ends_with(w, "ies")) w = w.substr(0, w.size() - 3) + "y";
  else if (w.size() > 4 && ends_with(w, "sses")) w.resize(w.size() - 2);
  else if (w.size() > 3 && w.back() == 's' && !ends_with(w, "ss") && !ends_with(w, "us") && !ends_with(w, "is")) w.pop_back();
  if (w.size() > 5 && ends_with(w, "ing")) w.resize(w.size() - 3);
  else if (w.size() > 4 && ends_with(w, "ed")) w.resize(w.size() - 2);
  if (w.size() > 4 && w.back() == 'e') w.pop_back();
  return w;
}

TopicMatcher::TopicMatcher(const RulePack& rules)
    : stop_(rules.stop_words), frame_(rules.frame_words), exercise_(rules.exercise_words) {}

TopicWords TopicMatcher::words(std::string_view s) const {
  std::vector<std::string> all = text::words(s);
  std::vector<bool> stop = covered_by(all, stop_);
  std::vector<std::string> kept;
  for (size_t i = 0; i < all.size(); ++i)  // numbers ("2027", "4.12") name no topic
    if (!stop[i] && all[i].find_first_not_of("0123456789") != std::string::npos) kept.push_back(all[i]);
  std::vector<bool> frame = covered_by(kept, frame_), exercise = covered_by(kept, exercise_);
  TopicWords w;
  bool any_exercise = false;
  for (size_t i = 0; i < kept.size(); ++i) {
    w.stems.push_back(stem(kept[i]));
    bool counted = !frame[i] && !exercise[i];
    w.counted.push_back(counted);
    w.content += counted;
    any_exercise |= exercise[i];
  }
  w.exercise = any_exercise && w.content == 0;
  return w;
}

std::vector<std::string> TopicMatcher::stems_of(const Phrase& phrase) const {
  std::vector<bool> stop = covered_by(phrase, stop_);
  std::vector<std::string> out;
  for (size_t i = 0; i < phrase.size(); ++i)
    if (!stop[i]) out.push_back(phrase[i].back() == '*' ? phrase[i] : stem(phrase[i]));
  return out;
}

TopicMatch TopicMatcher::best(const TopicWords& w, const std::vector<CurriculumTopic>& topics) const {
  TopicMatch best;
  if (w.content == 0) return best;
  for (const auto& topic : topics) {
    // Each term's covered positions; then the terms that explain the coverage, longest first
    // ("report writing", not also "report" and "reports").
    std::vector<std::pair<std::string, std::vector<size_t>>> hits;
    for (const auto& term : topic.terms) {
      std::vector<std::string> t = stems_of(phrase_words(term));
      if (t.empty() || t.size() > w.stems.size()) continue;
      std::vector<size_t> at;
      for (size_t i = 0; i + t.size() <= w.stems.size(); ++i) {
        bool hit = true;
        for (size_t k = 0; k < t.size() && hit; ++k) hit = stem_matches(t[k], w.stems[i + k]);
        if (hit)
          for (size_t k = 0; k < t.size(); ++k)
            if (w.counted[i + k]) at.push_back(i + k);
      }
      if (!at.empty()) hits.push_back({term, std::move(at)});
    }
    std::stable_sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
    std::vector<bool> covered(w.stems.size(), false);
    std::vector<std::string> terms;
    for (const auto& [term, at] : hits) {
      bool adds = std::any_of(at.begin(), at.end(), [&](size_t i) { return !covered[i]; });
      if (!adds) continue;
      for (size_t i : at) covered[i] = true;
      terms.push_back(term);
    }
    size_t n = static_cast<size_t>(std::count(covered.begin(), covered.end(), true));
    double coverage = static_cast<double>(n) / static_cast<double>(w.content);
    if (n > 0 && (coverage > best.coverage || (coverage == best.coverage && n > best.covered)))
      best = {&topic, coverage, n, std::move(terms)};
  }
  return best;
}

std::string block_topic(std::string_view title) {
  static const std::regex place(
      R"(^\s*(?:(?:block|module|unit|day|hour|session|part|lesson|section|segment|topic|period|week)\s*(?:[0-9]{1,2}|[ivx]{1,4})[a-z]?\b|[0-9]{1,2}(?:\.[0-9]{1,2})?[.)]?(?=\s))\s*(?:-|–|—|:|\.|\))?\s*)",
      std::regex::icase);
  std::string t(title);
  std::smatch m;
  if (std::regex_search(t, m, place) && m.length(0) > 0 && static_cast<size_t>(m.length(0)) < t.size()) t = t.substr(m.length(0));
  return text::trim_punct(t, "-:.,;|");
}

}  // namespace clee
