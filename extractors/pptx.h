// PowerPoint (.pptx, .ppsx, .potx, .pptm) read natively with libzip + pugixml: one Page per slide,
// in the presentation's slide order (p:sldIdLst), hidden slides included.
//
// Reading order on a slide: the title placeholder first, then every other shape by its position
// (top to bottom, then left to right), a group's shapes together; a placeholder without its own
// position takes its layout's (or master's). Each paragraph is a line (indented two spaces per
// outline level); a table (a:tbl) is one line per row with TAB-separated cells and a row of
// Document::tables (page = slide number); SmartArt text is read from its diagram data part.
// Footer, date and slide-number placeholders go to Document::headers_footers; the slide's
// speaker notes follow its text. Metadata from docProps/core.xml and app.xml.
// Typed errors: no presentation part → unreadable_document; entities → unsupported_format. Every
// part is inflated under Limits (zip.h); slides beyond limits.max_pages are left out (a warning).
#pragma once

#include <string>
#include <string_view>

#include "extractors/document.h"
#include "extractors/limits.h"

namespace clee {

Document extract_pptx(std::string_view bytes, const std::string& name, const ExtractOptions& options);

}  // namespace clee
