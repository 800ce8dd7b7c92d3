// Statements in sentences: where a sentence says what a course or block is — a refresher on a
// cycle, a requalification, the agency's own policy, academy basics re-taught — or that it goes
// deeper (prerequisites, advanced methods, certifications, specialised tools). The rule pack's
// [[content.patterns]] are matched on normalised words, each with its context: a negation in the
// few words before it cancels it ("this is not a refresher"), a `beyond` word turns a basic or
// refresher phrase into a prerequisite, which is depth ("builds on the basic academy course"),
// and a match inside an `except` phrase does not count ("evidence review", "peer review").
// Pure functions; a StatementFinder is read-only once made and may be shared between threads.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pipeline/model.h"
#include "pipeline/rules.h"

namespace clee {

// A phrase as words; the last may end in "*" (any ending).
using Phrase = std::vector<std::string>;
Phrase phrase_words(std::string_view normalised_phrase);
// Does `phrase` start at words[i]? Returns the number of words it spans (0 = no).
size_t phrase_at(const std::vector<std::string>& words, size_t i, const Phrase& phrase);

// A list of phrases indexed by their first word, so that finding them in a long text costs a
// lookup per word rather than a comparison per phrase.
class PhraseSet {
 public:
  PhraseSet() = default;
  explicit PhraseSet(const std::vector<std::string>& normalised_phrases);
  // The longest phrase starting at words[i], in words (0 = none).
  size_t longest_at(const std::vector<std::string>& words, size_t i) const;
  bool empty() const { return by_first_.empty() && starred_.empty(); }

 private:
  std::unordered_map<std::string, std::vector<Phrase>> by_first_;
  std::vector<Phrase> starred_;  // first word ends in "*"
};

struct Statement {
  const ContentPattern* pattern = nullptr;
  // What the sentence says: the pattern's category, or kNewOrAdvanced when a not-approvable
  // phrase stands as a prerequisite ("after completing the basic academy") or is negated.
  Category category = Category::kNone;
  std::string how;      // "" | "negated" | "prerequisite"
  std::string matched;  // the words that matched, as in the sentence
  double weight = 1;    // a negated phrase is a weak sign of depth: 0.5
};

class StatementFinder {
 public:
  explicit StatementFinder(const RulePack& rules);
  // Every pattern found in `sentence` (each pattern at most once), in pack order. Negated depth
  // patterns are dropped.
  std::vector<Statement> find(std::string_view sentence) const;

 private:
  struct Compiled {
    const ContentPattern* pattern;
    std::vector<PhraseSet> all;
    PhraseSet except;
  };
  std::vector<Compiled> patterns_;
  PhraseSet negation_, beyond_;
};

// Text shown in quotes: squashed whitespace, at most 300 bytes (cut on a UTF-8 boundary).
std::string quote_text(std::string_view s);

}  // namespace clee
