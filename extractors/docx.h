// DOCX extraction (libzip + pugixml): body paragraphs and lists, tables, text boxes, content
// controls and legacy form fields, tracked changes (insertions kept, deletions dropped), headers
// and footers kept apart, core metadata. DTDs and entities are never expanded or fetched.
//
// How the text reads (choices made for evidence quoting and "Label: value" recovery):
// - One line per paragraph. List items carry their marker from numbering.xml ("1.", "a)", "IV.",
//   "•", a task list's "☐"/"☒"), indented two spaces per level.
// - A table row is one body line with its cells separated by TABs ("Credit Hours\t12"); a cell's
//   own paragraphs join with spaces. Document::tables has the same rows as cell texts (a nested
//   table is listed after the table that holds it).
// - Pages: a DOCX has no layout, so pages split only on explicit breaks (w:br w:type="page",
//   pageBreakBefore); w:lastRenderedPageBreak is ignored (it moves with the last renderer).
// - Text boxes read once (mc:AlternateContent: the Choice, never the VML Fallback copy), after the
//   text of the paragraph anchoring them. Footnotes/endnotes follow the body as "[n] text", with
//   "[n]" where they are referenced. Headers/footers go to Document::headers_footers only.
// - Form fields: w:sdt content controls (name = alias, else tag; check boxes "Yes"/"Off";
//   placeholder text → ""), legacy FORMTEXT (result text) and FORMCHECKBOX ("Yes"/"Off", and ☐/☒
//   in the text). Symbol-font check boxes and bullets (w:sym, private-use characters) map to Unicode.
// - A part declaring entities (<!ENTITY) is refused as unsupported_format; a bare DOCTYPE is
//   skipped by pugixml (parse_doctype off). Every part is inflated under Limits (zip.h).
#pragma once

#include <string>
#include <string_view>

#include "extractors/document.h"
#include "extractors/limits.h"

namespace clee {

Document extract_docx(std::string_view bytes, const std::string& name, const ExtractOptions& options);

}  // namespace clee
