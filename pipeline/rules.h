// A jurisdiction rule pack (rules/*.toml): required documents and fields, label synonyms, the basic
// academy curriculum and the not-approvable patterns with their context, curriculum areas,
// certified providers, CLEE ID format, expiry policy.
// Loaded once, then read-only and shareable between threads.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "pipeline/model.h"

namespace clee {

// A statement the content judgement looks for in a sentence (a course's title, purpose and
// objectives, an outline block's title), with its context: every group in `all` must have a
// phrase in the sentence, the matches at most `within` words apart. A match inside an `except`
// phrase does not count ("evidence review" is not review of prior material), nor one after a
// negation ("this is not a refresher"); a basic or refresher phrase after a `beyond` word is a
// prerequisite ("builds on the basic course"), which is depth, not basic content.
// category: a not-approvable category, or kNewOrAdvanced for depth (advanced methods,
// prerequisites, certifications, specialised tools).
struct ContentPattern {
  std::string id;  // stable name used in Evidence::rule
  Category category = Category::kNone;
  std::vector<std::vector<std::string>> all;  // phrases, lower-case; "*" ends a word with any ending
  int within = 6;
  std::vector<std::string> except;
  int line = 0;  // in the rule file, for messages
};

// One entry of a curriculum, matched by term overlap: the basic academy's topics ([[curriculum]],
// Pennsylvania's Act 120 units) or a jurisdiction's CLEE areas ([[areas]], Missouri's).
struct CurriculumTopic {
  std::string id;    // area ids are the report's content.areas[].area
  std::string name;  // for people: "Criminal law and procedure", "Legal Studies"
  std::vector<std::string> terms;  // usual phrasing, lower-case ("traffic stop", "use of force")
  int line = 0;
};

// A label no synonym lists is matched by its words: every group in `all` must have a word in the
// label, and no word of `none` may be there ("Amount of Credit Requested" → credit_hours).
struct LabelWords {
  std::vector<std::vector<std::string>> all;
  std::vector<std::string> none;
};

struct RulePack {
  std::string path;    // file it came from ("store:SHA" for a pack read back from the store)
  std::string sha256;  // of `text`: the packet's report records it, so a re-check uses the same pack
  std::string text;    // the file's bytes, kept with the packet's originals
  std::string jurisdiction;
  std::vector<std::string> required_documents;  // request_form, course_outline, instructor_cv
  std::vector<std::string> required_fields;     // provider_name, course_title, credit_hours, ...
  std::map<std::string, std::vector<std::string>> label_synonyms;  // field → labels
  std::map<std::string, LabelWords> label_words;                   // field → word rules
  // Content: what is taught, measured against the basic curriculum (see validators/content.cpp).
  std::vector<ContentPattern> patterns;
  std::vector<CurriculumTopic> curriculum;  // the basic academy curriculum; empty = none to measure against
  std::vector<CurriculumTopic> areas;       // CLEE curriculum areas; empty = the pack declares none
  std::string default_area;                 // the area of a block no area's terms name
  // Categories whose hours are approvable (Pennsylvania: new_or_advanced only; Missouri also
  // counts agency policy updates, live firearms training and in-service refreshers).
  std::vector<Category> approvable = {Category::kNewOrAdvanced};
  // A block lies inside the basic curriculum when one entry's terms cover more than this share of
  // its topic words (0.5: "Legal updates", "Report writing" are inside; "Legal aspects of drones",
  // "Cognitive interview" are not).
  double min_overlap = 0.5;
  std::vector<std::string> stop_words;      // never topic words ("the", "law enforcement")
  std::vector<std::string> frame_words;     // say how a topic is treated, not what it is ("review", "update")
  std::vector<std::string> exercise_words;  // a block of only these is an exercise or test: it follows the course
  std::vector<std::string> negation;        // "not", "no", "rather than"
  std::vector<std::string> beyond;          // "builds on", "prerequisite", "beyond"
  double title_similarity_min = 0.5;
  double ocr_min_confidence = 60.0;
  double hours_tolerance = 0.25;
  // Outline rows that earn no credit ("1 hour = 1 credit, meals excluded"): lunch, breaks.
  std::vector<std::string> excluded_blocks = {"lunch", "break", "meal", "dinner", "breakfast"};
  std::vector<std::string> certified_providers;  // names or numbers; empty = not configured
  // What the list is called ("MPOETC-certified provider", "POST approved provider") and whether a
  // provider off the list may submit at all (Pennsylvania) or only earns no approved-provider
  // hours (Missouri: an info finding).
  std::string provider_list_name = "certified-provider";
  bool provider_required = true;
  std::string clee_id_format = "CLEE-{year}-{seq:04}";
  int default_years = 1;
};

// Parses a rule pack. A mistake (an empty file, a folder, an unknown key, a wrong type) is
// Code::kInvalidRules with "FILE:LINE: message".
Result<RulePack> load_rules(const std::string& path);
// The same from bytes already read (a pack kept in the store); `name` stands for the path.
Result<RulePack> load_rules_text(const std::string& text, const std::string& name);

bool approvable(const RulePack& rules, Category c);
// The declared area with this id, or nullptr.
const CurriculumTopic* find_area(const RulePack& rules, const std::string& id);

}  // namespace clee
