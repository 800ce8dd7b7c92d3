// A jurisdiction rule pack (rules/*.toml): required documents and fields, label synonyms, content
// phrases and weights, thresholds, certified providers, CLEE ID format, expiry policy.
// Loaded once, then read-only and shareable between threads.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "pipeline/model.h"

namespace clee {

struct ContentRule {
  std::string id;        // stable rule name used as Evidence::rule
  Category category = Category::kNone;
  std::vector<std::string> phrases;  // case-insensitive phrases or regexes (see rule pack docs)
  double weight = 1.0;
  std::string where;     // "title" | "objectives" | "any"
  int line = 0;          // line in the rule file, for messages
  // A sentence holding one of these phrases does not count for this rule ("peer review" is not
  // review material; "prerequisite: the basic course" is not basic content).
  std::vector<std::string> except;
};

// A label no synonym lists is matched by its words: every group in `all` must have a word in the
// label, and no word of `none` may be there ("Amount of Credit Requested" → credit_hours).
struct LabelWords {
  std::vector<std::vector<std::string>> all;
  std::vector<std::string> none;
};

struct RulePack {
  std::string path;  // file it came from
  std::string jurisdiction;
  std::vector<std::string> required_documents;  // request_form, course_outline, instructor_cv
  std::vector<std::string> required_fields;     // provider_name, course_title, credit_hours, ...
  std::map<std::string, std::vector<std::string>> label_synonyms;  // field → labels
  std::map<std::string, LabelWords> label_words;                   // field → word rules
  std::vector<ContentRule> content_rules;
  double advanced_threshold = 2.0;
  double title_advanced_cap = 1.0;
  double title_similarity_min = 0.5;
  double not_advanced_threshold = 2.0;
  double ocr_min_confidence = 60.0;
  double hours_tolerance = 0.25;
  // Outline rows that earn no credit ("1 hour = 1 credit, meals excluded"): lunch, breaks.
  std::vector<std::string> excluded_blocks = {"lunch", "break", "meal", "dinner", "breakfast"};
  std::vector<std::string> certified_providers;  // names or numbers; empty = not configured
  std::string clee_id_format = "CLEE-{year}-{seq:04}";
  int default_years = 1;
};

// Parses a rule pack. A mistake (an empty file, a folder, an unknown key, a wrong type) is
// Code::kInvalidRules with "FILE:LINE: message".
Result<RulePack> load_rules(const std::string& path);

}  // namespace clee
