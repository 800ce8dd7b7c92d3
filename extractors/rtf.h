// RTF reading: a real tokenizer (control words with their parameters, control symbols, groups),
// not a strip of backslashes. Text comes out in reading order as UTF-8.
//
// - Characters: \'hh bytes decode in the code page in force (\ansicpg, or the current font's
//   \fcharset/\cpg from the font table; double-byte code pages such as 932 join their bytes), \uN
//   is a Unicode character (negative N and surrogate pairs handled) whose \ucN fallback
//   characters are skipped; \~ \_ \emdash \lquote ... map to their characters.
// - Destinations that hold no document text are skipped whole: \fonttbl (read for code pages),
//   \colortbl, \stylesheet, \info (read for metadata), \pict, \objdata, \fldinst (a field's
//   result, \fldrslt, is kept), \listtable, \rsidtbl, \themedata, comments (\annotation) and any
//   unknown {\* ...} group. Hidden (\v) and deleted (\deleted) text is dropped. \bin N skips N
//   raw bytes.
// - Layout as DOCX reads: one line per paragraph (\par, \line); a table row (\cell ... \row) is
//   one line with its cells separated by TABs and also a Document::tables row; \page starts a
//   new Page; headers and footers (\header*, \footer*) go to Document::headers_footers;
//   footnotes (\footnote) follow the body as "[n] text", with "[n]" where \chftn marks them;
//   list markers (\listtext, \pntext) are kept; text boxes (\shptxt) read in place.
// - Outlook's HTML-in-RTF (\fromhtml): RTF-only runs (\htmlrtf) are dropped and line breaks come
//   from the encapsulated tags.
// Limits: group nesting beyond 512 levels is read as flat text of no destination (never
// recursion); pages are capped at limits.max_pages; the cost is linear in the input.
#pragma once

#include <string>
#include <string_view>

#include "extractors/document.h"
#include "extractors/limits.h"

namespace clee {

Document extract_rtf(std::string_view bytes, const std::string& name, const ExtractOptions& options);

// The text of an RTF body (an Outlook message's decompressed RTF), pages and headers joined.
std::string rtf_to_text(std::string_view rtf, const Limits& limits);

}  // namespace clee
