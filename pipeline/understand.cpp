// Which document is which, by content: weighted cue phrases per type plus the shape of the text
// (label/value pairs for a form, blocks with hours for an outline, employment years for a CV).
// File names play no part.
#include "pipeline/understand.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>

#include "pipeline/labels.h"
#include "pipeline/text.h"

namespace clee {
namespace {

struct Cue {
  const char* phrase;
  double weight;
  int max_count;
};

const Cue kFormCues[] = {{"request form", 3, 1}, {"clee request", 3, 1}, {"approval request", 2, 1},
                         {"application", 1, 1},  {"credit hours", 1, 1}, {"hours requested", 2, 1},
                         {"signature", 1, 1},    {"point of contact", 1.5, 1}, {"contact person", 1, 1},
                         {"provider", 0.5, 2},   {"sponsor*", 0.5, 2}, {"delivery method", 1, 1},
                         {"complete all fields", 1.5, 1},
                         {"submission", 0.5, 1}, {"applicant", 1, 1}, {"authorized signature", 1.5, 1},
                         {"approval", 0.5, 1}, {"course request", 2, 1}, {"submitting", 0.5, 1}};
const Cue kOutlineCues[] = {{"course outline", 3, 1}, {"outline", 1, 1}, {"objective*", 1.2, 3},
                            {"terminal objective", 2, 1}, {"enabling objective", 2, 1}, {"performance objective", 2, 1},
                            {"learning objective", 2, 1}, {"schedule", 1, 1}, {"agenda", 1, 1}, {"block", 0.4, 3},
                            {"evaluation", 1, 1}, {"lesson plan", 2, 1}, {"syllabus", 2, 1},
                            {"methods of instruction", 1.5, 1}, {"instructional method*", 1.5, 1}, {"day 1", 1, 1},
                            {"module", 0.4, 3}, {"unit", 0.3, 3}, {"participants will", 1.5, 1},
                            {"upon completion", 1.5, 1}, {"statement of purpose", 1.5, 1}, {"total hours", 0.5, 1},
                            {"topics", 0.5, 1}, {"curriculum", 0.5, 1},
                            {"overview", 0.5, 1}, {"scope", 0.5, 1}, {"lecture", 0.5, 1}, {"practical exercise", 1, 1},
                            {"written examination", 0.5, 1}, {"written test", 0.5, 1}, {"hour 1", 1, 1},
                            {"goal", 0.5, 1}};
const Cue kCvCues[] = {{"curriculum vitae", 4, 1}, {"resume", 3, 1}, {"résumé", 3, 1}, {"experience", 1.2, 2},
                       {"education", 1.5, 1}, {"employment", 1.5, 1}, {"certification*", 0.8, 2},
                       {"qualifications", 1, 1}, {"professional experience", 2, 1}, {"work history", 2, 1},
                       {"present", 0.5, 2}, {"b s", 0.5, 1}, {"bachelor*", 0.7, 1}, {"master*", 0.5, 1},
                       {"degree", 0.5, 1}, {"university", 0.7, 1}, {"college", 0.5, 1}, {"instructor", 0.3, 2},
                       {"references", 0.5, 1}, {"teaching", 0.7, 1}, {"publications", 1, 1},
                       {"work history", 1, 1}, {"career", 0.5, 1}, {"professional summary", 1.5, 1},
                       {"skills", 0.3, 1}, {"awards", 0.5, 1}, {"memberships", 0.5, 1}};
const Cue kCoverCues[] = {{"dear", 2, 1}, {"sincerely", 2, 1}, {"regards", 1.5, 1}, {"please find attached", 2, 1},
                          {"attached", 1, 1}, {"thank you", 1, 1}, {"enclosed", 1, 1}, {"to whom it may concern", 2, 1}};

double score_cues(const std::string& low, const Cue* cues, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; ++i) {
    int count = 0;
    size_t from = 0, at = 0;
    while (count < cues[i].max_count && from < low.size() &&
           text::contains_phrase(std::string_view(low).substr(from), cues[i].phrase, &at)) {
      ++count;
      from += at + 1;
    }
    s += count * cues[i].weight;
  }
  return s;
}

// Structure says more than words: outlines list blocks with hours or clock times, CVs list
// employment years ("2004-2024", "2015-present").
struct Shape {
  int hour_lines = 0, year_ranges = 0, numbered = 0;
};

Shape shape_of(const std::string& txt) {
  static const std::regex hours(R"((\d+(\.\d+)?\s*(hours?|hrs?)\b)|(\b\d{1,2}:?\d{2}\s*(-|–|to)\s*\d{1,2}:?\d{2}\b))", std::regex::icase);
  static const std::regex years(R"(\b(19|20)\d{2}\s*(-|–|—|to)\s*((19|20)\d{2}|present|current|now)\b)", std::regex::icase);
  static const std::regex numbered(R"(^\s*\d{1,2}[.)]\s+\S)");
  Shape s;
  for (const auto& line : text::lines(txt)) {
    if (line.size() > 200) continue;
    if (std::regex_search(line, hours)) ++s.hour_lines;
    if (std::regex_search(line, years)) ++s.year_ranges;
    if (std::regex_search(line, numbered)) ++s.numbered;
  }
  return s;
}

}  // namespace

DocType TypeScores::best(double* score) const {
  std::pair<double, DocType> all[] = {{form, DocType::kRequestForm}, {outline, DocType::kCourseOutline},
                                      {cv, DocType::kInstructorCv}, {cover, DocType::kCoverLetter}};
  auto it = std::max_element(std::begin(all), std::end(all), [](auto& a, auto& b) { return a.first < b.first; });
  if (score) *score = it->first;
  return it->first >= 2.0 ? it->second : DocType::kUnknown;
}

LayoutCue layout_cue(const Document& doc, int first, int last, const RulePack& rules) {
  LayoutCue cue;
  if (doc.key_values.empty()) return cue;
  LabelIndex index(rules);
  std::set<std::string> fields;
  size_t held = 0, total = 0;
  for (const auto& p : doc.pages)
    if (p.number >= first && p.number <= last) total += p.text.size();
  for (const auto& kv : doc.key_values) {
    if (kv.page < first || kv.page > last) continue;
    LabelMatch m = index.match(kv.key);
    if (!m) continue;
    fields.insert(m.field);
    held += kv.key.size() + kv.value.size();
  }
  cue.labelled = static_cast<int>(fields.size());
  cue.share = total ? std::min(1.0, static_cast<double>(held) / static_cast<double>(total)) : 0;
  return cue;
}

TypeScores score_text(const std::string& txt, size_t form_fields, const RulePack& rules, const LayoutCue& cue) {
  std::string low = text::lower(txt);
  TypeScores s;
  s.form = score_cues(low, kFormCues, std::size(kFormCues));
  s.outline = score_cues(low, kOutlineCues, std::size(kOutlineCues));
  s.cv = score_cues(low, kCvCues, std::size(kCvCues));
  s.cover = score_cues(low, kCoverCues, std::size(kCoverCues));
  Shape shape = shape_of(txt);
  s.outline += std::min(shape.hour_lines, 6) * 0.5 + (shape.numbered >= 3 ? 0.5 : 0);
  s.cv += std::min(shape.year_ranges, 4) * 0.6;
  // Label: value lines (or label cells) naming known fields are the strongest sign of a form.
  LabelIndex index(rules);
  std::set<std::string> seen;
  for (const auto& line : text::lines(txt)) {
    std::string t = text::trim(line);
    size_t cut = std::min(t.find(':'), t.find('\t'));
    if (cut == std::string::npos || cut == 0) continue;
    if (LabelMatch m = index.match(t.substr(0, cut))) seen.insert(m.field);
  }
  int labelled = std::max(static_cast<int>(seen.size()), cue.labelled);
  s.form += std::min(labelled, 10) * 0.6 + (form_fields >= 3 ? 4 : 0);
  // Mostly label/value pairs: a form (a scanned or photographed one says so only by its layout).
  if (cue.labelled >= 4 && cue.share >= 0.35) s.form += 4;
  // Outlines and CVs mention a title or a name too; don't let a couple of labels win.
  if (labelled < 4 && form_fields < 3) s.form *= 0.7;
  return s;
}

}  // namespace clee
