// OpenDocument text (.odt, .ott templates, and flat .fodt XML) read natively, through the same
// libzip + pugixml path as DOCX: content.xml for the body, styles.xml for headers/footers and
// list styles, meta.xml for metadata. Never opened as a packet of its parts.
//
// How the text reads (as DOCX does, docx.h):
// - One line per paragraph or heading; list items carry the marker their list style gives
//   ("1.", "a)", "iv.", "•"; counters per list, continued where the list says so), indented two
//   spaces per level.
// - A table row is one line with its cells separated by TABs and a row of Document::tables
//   (covered cells of a merge are skipped; repeated empty cells and rows are not multiplied).
// - Text boxes (draw:text-box) read after the paragraph anchoring them; notes follow the body as
//   "[n] text" with "[n]" where cited; comments and tracked deletions are not read.
// - Pages split where a paragraph style asks for a page break (fo:break-before/after="page").
// - Headers and footers of the master pages go to Document::headers_footers.
// Typed errors: a password-protected package (manifest encryption-data) → encrypted_document;
// no content.xml or bad XML → unreadable_document; entities → unsupported_format. Every part is
// inflated under Limits (zip.h); nesting depth is capped.
#pragma once

#include <string>
#include <string_view>

#include "extractors/document.h"
#include "extractors/limits.h"

namespace clee {

Document extract_odt(std::string_view bytes, const std::string& name, const ExtractOptions& options);

}  // namespace clee
