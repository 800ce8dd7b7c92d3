// The content judgement's parts that are units of their own: reading what a course says about
// itself, and judging one outline block against the basic curriculum. The Content validator
// (content.cpp) weighs the judged blocks by their hours into the verdict.
//
// A block is judged by what it names, in this order:
//   1. its own statements (validators/statements.h): "Qualification course of fire" is
//      requalification, "Department policy changes" department policy, "Review of handcuffing"
//      re-covers prior material;
//   2. a block whose words are only exercise or frame words ("Practical exercise and written
//      examination", "Fundamentals review") names no topic: it follows the course's main content;
//   3. otherwise its topic against the basic curriculum (validators/curriculum.h): inside it
//      (the overlap quoted) it is basic academy material unless depth lifts it beyond — its own
//      ("Expert testimony and report writing") or the course's ("builds on the basic course") —
//      or the course says it is a refresher, a requalification or policy, which then names it;
//      outside every curriculum entry it is new, whatever its subject, unless the course's title
//      itself says the whole course is not approvable ("Annual In-Service Update").
#pragma once

#include <string>
#include <vector>

#include "pipeline/model.h"
#include "pipeline/rules.h"
#include "validators/curriculum.h"
#include "validators/statements.h"

namespace clee {

// Not-approvable categories, strongest first: a requalification or policy course that also says
// "annual" is named by what it re-qualifies or whose rules it teaches; re-covering on a cycle
// (annual_refresher) is more specific than re-teaching academy skills (basic_academy).
int category_rank(Category c);  // higher is stronger; 0 for kNone and kNewOrAdvanced

struct QuotedStatement {
  Statement statement;
  Evidence evidence;  // the sentence, where it is, and the pattern as `rule`
  bool in_title = false;
};

// What the course says about itself: its title, the form's description, and the outline's
// sentences that are not block lines (purpose, scope, objectives).
struct CourseReading {
  std::vector<QuotedStatement> statements;
  // The course's stance: a not-approvable category it states (kNone if none), or depth.
  Category stance = Category::kNone;  // kNewOrAdvanced = depth statements outweigh the rest
  bool stance_in_title = false;
  std::vector<Evidence> stance_evidence;
  bool has_objectives = false, has_description = false;
};

CourseReading read_course(const Report& r, const StatementFinder& finder);

// The outline documents' lines, read once: where each block's title stands.
class OutlineLines {
 public:
  explicit OutlineLines(const Report& r);
  // The shortest line holding `title` as whole words (the schedule row, not a purpose sentence
  // that happens to contain it): document, page and the line quoted.
  Evidence find(const std::string& title) const;

 private:
  struct Line {
    std::string document;
    int page;
    std::string text, words;  // words: " " + normalised + " "
  };
  std::vector<Line> lines_;
  std::string outline_;
};

// Judges one block (steps 1 and 3 above); a block that names no topic is left with
// category kNone for the caller to settle.
BlockJudgement judge_block(const RulePack& rules, const StatementFinder& finder, const TopicMatcher& topics,
                           const CourseReading& course, const Evidence& line, const std::string& title, double hours);

// The block's curriculum area (rules.areas): the area whose terms cover most of its topic, else
// "" for the caller to settle (an exercise block follows the course, anything else takes the
// pack's default_area).
void assign_area(const RulePack& rules, const TopicMatcher& topics, BlockJudgement& b);

}  // namespace clee
