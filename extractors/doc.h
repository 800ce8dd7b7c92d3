// Word 97–2003 (.doc) reading, natively: the OLE2 streams through libgsf (ole.h), then the
// Word binary format (MS-DOC) as antiword and LibreOffice read it — the FIB, the piece table in
// the table stream (the CLX; each piece 8-bit Windows-1252 or UTF-16LE), and the paragraph
// properties (PAPX in their FKP pages) only for what the text layout needs: which paragraph
// marks end a table cell or a table row.
//
// How the text reads (as DOCX does, docx.h):
// - One line per paragraph; list items carry their marker from the list definitions
//   (doc_lists.h: "1.", "a)", "•"), indented two spaces per level.
// - A table row is one line with its cells separated by TABs, and a row of Document::tables (a
//   nested table's text stays inside its outer cell).
// - Fields show their result, never their code (HYPERLINK, FORMTEXT, PAGE...); 0x0C breaks start
//   a new Page; pictures and drawing anchors are dropped.
// - Footnotes and endnotes follow the body as "[n] text", with "[n]" at the reference; text boxes
//   follow the body; headers and footers (the header document split by its PlcfHdd) go to
//   Document::headers_footers, deduplicated; comments are not read.
// - Metadata from the "\005SummaryInformation" property set.
// Typed errors: encrypted (the FIB's fEncrypted/fObfuscated) → encrypted_document; a FIB, piece
// table or stream that does not hold together → unreadable_document. Word 6/95 files (no table
// stream) are not read here: sniffing sends them to the converter. Limits: stream sizes
// (limits.max_entry_bytes), pages (limits.max_pages), field nesting; linear in the text.
#pragma once

#include <string>
#include <string_view>

#include "extractors/document.h"
#include "extractors/limits.h"

namespace clee {

Document extract_doc(std::string_view bytes, const std::string& name, const ExtractOptions& options);

}  // namespace clee
