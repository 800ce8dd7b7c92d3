// Typing documents and splitting combined PDFs into their documents by page content.
#include <algorithm>

#include "pipeline/names.h"
#include "pipeline/text.h"
#include "pipeline/understand.h"

namespace clee {
namespace {

UnderstoodDocument part(const Document& d, int first, int last, DocType type, double score, bool whole) {
  UnderstoodDocument u;
  u.doc = d;
  if (!whole) {
    u.doc.pages.assign(d.pages.begin() + (first - 1), d.pages.begin() + last);
    // Form fields and tables stay with the part whose pages hold them (page 0 = unknown → first part).
    u.doc.fields.clear();
    u.doc.tables.clear();
    u.doc.key_values.clear();
    for (const auto& t : d.tables)
      if (t.page >= first && t.page <= last) u.doc.tables.push_back(t);
    for (const auto& kv : d.key_values)
      if (kv.page >= first && kv.page <= last) u.doc.key_values.push_back(kv);
  }
  u.type = type;
  u.first_page = first;
  u.last_page = last;
  u.type_score = score;
  u.name = whole ? d.name
                 : d.name + (first == last ? " (page " + std::to_string(first) + ")"
                                           : " (pages " + std::to_string(first) + "-" + std::to_string(last) + ")");
  return u;
}

bool starts_with_name(const Page& p) {
  int seen = 0;
  for (const auto& line : text::lines(p.text)) {
    if (text::trim(line).empty()) continue;
    if (++seen > 3) break;
    if (name_heading(line)) return true;
  }
  return false;
}

}  // namespace

std::vector<UnderstoodDocument> understand_documents(const std::vector<Document>& docs,
                                                     const std::vector<std::string>& roles, const RulePack& rules) {
  std::vector<UnderstoodDocument> out;
  for (size_t i = 0; i < docs.size(); ++i) {
    const Document& d = docs[i];
    int n = static_cast<int>(d.pages.size());
    bool body = i < roles.size() && roles[i] == "body";
    if (d.error || n == 0) {
      out.push_back(part(d, 1, n, body ? DocType::kCoverLetter : DocType::kUnknown, 0, true));
      continue;
    }
    std::string all;
    for (const auto& p : d.pages) all += p.text + "\n";
    TypeScores whole = score_text(all, d.fields.size(), rules, layout_cue(d, 1, n > 0 ? d.pages.back().number : 0, rules));
    if (body) whole.cover += 5;
    double whole_score = 0;
    DocType whole_type = whole.best(&whole_score);
    if (n < 2 || d.format != Format::kPdf) {
      out.push_back(part(d, 1, n, whole_type, whole_score, true));
      continue;
    }
    // Per page: a type when the page says clearly what it is, else it continues the previous one.
    std::vector<DocType> types(static_cast<size_t>(n));
    std::vector<double> scores(static_cast<size_t>(n));
    std::vector<bool> cv_start(static_cast<size_t>(n));
    for (int p = 0; p < n; ++p) {
      const Page& page = d.pages[static_cast<size_t>(p)];
      TypeScores s = score_text(page.text, p == 0 ? d.fields.size() : 0, rules, layout_cue(d, page.number, page.number, rules));
      double sc = 0;
      DocType t = s.best(&sc);
      types[static_cast<size_t>(p)] = sc >= 3.0 ? t : DocType::kUnknown;
      scores[static_cast<size_t>(p)] = sc;
      cv_start[static_cast<size_t>(p)] = t == DocType::kInstructorCv && sc >= 3.0 && starts_with_name(page);
    }
    for (int p = 1; p < n; ++p)
      if (types[static_cast<size_t>(p)] == DocType::kUnknown) types[static_cast<size_t>(p)] = types[static_cast<size_t>(p - 1)];
    if (types[0] == DocType::kUnknown) types[0] = whole_type;
    std::vector<std::pair<int, int>> ranges;  // 0-based [first, last]
    for (int p = 0; p < n; ++p) {
      bool new_part = p == 0 || types[static_cast<size_t>(p)] != types[static_cast<size_t>(p - 1)] ||
                      (types[static_cast<size_t>(p)] == DocType::kInstructorCv && cv_start[static_cast<size_t>(p)]);
      if (new_part) ranges.push_back({p, p});
      else ranges.back().second = p;
    }
    if (ranges.size() < 2) {
      out.push_back(part(d, 1, n, whole_type, whole_score, true));
      continue;
    }
    for (size_t r = 0; r < ranges.size(); ++r) {
      auto [a, b] = ranges[r];
      UnderstoodDocument u = part(d, a + 1, b + 1, types[static_cast<size_t>(a)], scores[static_cast<size_t>(a)], false);
      if (r == 0) u.doc.fields = d.fields;  // AcroForm values belong to the form, which leads
      out.push_back(std::move(u));
    }
  }
  return out;
}

}  // namespace clee
