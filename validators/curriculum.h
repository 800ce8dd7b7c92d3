// Term overlap of a topic against a curriculum: the one scoring mechanism behind "is this block
// inside the basic academy curriculum?" (Pennsylvania's Act 120 units) and "which CLEE area is it
// in?" (Missouri's areas). A topic's words are normalised, stop words dropped and stemmed
// ("Traffic Stops" ~ "traffic stop"); frame words ("review", "update", "basics") and exercise
// words ("practical exercise", "examination") are kept in place but say how a topic is treated,
// not what it is, so they are not counted. An entry's coverage is the share of the topic's
// counted words that its terms (matched as whole, contiguous phrases) cover. No phrase list names
// what is new: a topic none of the basic curriculum's terms covers is new by definition.
// A TopicMatcher is read-only once made and may be shared between threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/rules.h"
#include "validators/statements.h"

namespace clee {

// "Traffic", "stops" → "traffic", "stop"; "policies" → "policy"; "writing", "write" → "writ".
std::string stem(std::string_view word);

struct TopicWords {
  std::vector<std::string> stems;  // in order, stop words removed
  std::vector<bool> counted;       // per stem: false for frame and exercise words
  size_t content = 0;              // counted stems
  bool exercise = false;           // an exercise word and nothing counted: a test, a drill, a debrief
};

struct TopicMatch {
  const CurriculumTopic* topic = nullptr;  // nullptr: no entry's terms occur
  double coverage = 0;                     // 0..1
  size_t covered = 0;                      // counted words covered
  std::vector<std::string> terms;          // the entry's terms found (as the pack spells them)
};

class TopicMatcher {
 public:
  explicit TopicMatcher(const RulePack& rules);
  TopicWords words(std::string_view text) const;
  // The entry of `topics` covering most of `w` (ties: more words covered, then pack order).
  TopicMatch best(const TopicWords& w, const std::vector<CurriculumTopic>& topics) const;

 private:
  std::vector<std::string> stems_of(const Phrase& phrase) const;
  PhraseSet stop_, frame_, exercise_;
};

// "Block 3 – Scene evidence", "Day 1 Distortion analysis", "Hour 2: Supervisor duties",
// "Module 4 – Flight evaluation" → the topic without its place in the schedule.
std::string block_topic(std::string_view title);

}  // namespace clee
