// See evidence_boxes.h.
#include "pipeline/evidence_boxes.h"

#include "extractors/layout.h"

namespace clee {
namespace {

const Page* page_of(const Report& r, const Evidence& e) {
  if (e.page <= 0) return nullptr;
  for (const auto& u : r.documents) {
    if (u.name != e.document) continue;
    for (const auto& p : u.doc.pages)
      if (p.number == e.page && !p.words.empty()) return &p;
  }
  return nullptr;
}

void place(const Report& r, Evidence& e) {
  if (e.box) return;
  const Page* p = page_of(r, e);
  if (!p) return;
  e.box = find_text_box(*p, e.quote);
  // "Label: value" quotes a field whose label and value may sit apart: the value alone.
  if (size_t at = e.quote.find(": "); !e.box && at != std::string::npos)
    e.box = find_text_box(*p, std::string_view(e.quote).substr(at + 2));
}

}  // namespace

void place_evidence(Report& r) {
  for (auto& e : r.fields.evidence) place(r, e);
  for (auto& e : r.content.evidence) place(r, e);
  for (auto& b : r.content.blocks)
    for (auto& e : b.evidence) place(r, e);
  for (auto& a : r.content.areas)
    for (auto& e : a.evidence) place(r, e);
  for (auto& f : r.findings)
    for (auto& e : f.evidence) place(r, e);
}

}  // namespace clee
