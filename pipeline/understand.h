// Understanding: which document is which (by content, never by file name), where a combined PDF
// splits into its documents, and what the request form, the outline and each CV say.
// Pure functions over extracted Documents and the rule pack; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pipeline/model.h"
#include "pipeline/rules.h"

namespace clee {

struct TypeScores {
  double form = 0, outline = 0, cv = 0, cover = 0;
  DocType best(double* score) const;
};

// What the layout says about pages: how many distinct form fields the key/value pairs read there
// name (by the rule pack's labels), and what share of the pages' text those pairs hold.
struct LayoutCue {
  int labelled = 0;
  double share = 0;  // 0..1
};
// The cue of the pages [first, last] (1-based) of `doc`.
LayoutCue layout_cue(const Document& doc, int first, int last, const RulePack& rules);

// Scores a text (and the form fields of its document, if any) for each document type. A page
// that is mostly label/value pairs (`cue`) is a form, whatever else its sentences mention.
TypeScores score_text(const std::string& text, size_t form_fields, const RulePack& rules, const LayoutCue& cue = {});

// Types every document; splits a multi-page PDF holding several documents into page ranges.
// `roles` parallel to `docs`: "body" marks an email's text body (a cover letter).
std::vector<UnderstoodDocument> understand_documents(const std::vector<Document>& docs,
                                                     const std::vector<std::string>& roles,
                                                     const RulePack& rules);

Fields extract_fields(const UnderstoodDocument& form, const RulePack& rules);
Outline extract_outline(const UnderstoodDocument& outline, const RulePack& rules);
InstructorCv extract_cv(const UnderstoodDocument& cv);

// The person a CV heading line names ("JOHN A. MILLER", "Resume of Sgt. Ann Lee", "Ann Lee | 555-0100"),
// or nullopt when the line is not a name.
std::optional<std::string> name_heading(const std::string& line);

// Splits an "Instructor(s)" value into names: "A; B", "A and B", "A, B" — but "Miller, John" and
// "Maria Lopez, LCSW" stay one name.
std::vector<std::string> split_names(const std::string& value);

}  // namespace clee
