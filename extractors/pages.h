// Shared by the flowing-text readers (DOC, RTF, ODT): turning the page buffers a reader filled
// into Document pages. A reader breaks pages only where the document asks for it, so a page can
// end up empty (a break at the very start, two breaks in a row): empty pages are dropped, the
// rest renumbered, and every table's page number follows its page.
#pragma once

#include <string>
#include <vector>

#include "extractors/document.h"

namespace clee {

// Moves `pages` (text per page, in order) and `tables` (Table::page = 1-based index into `pages`)
// into `doc`, tidied and sanitised. At least one page is always kept.
void finish_pages(std::vector<std::string>& pages, std::vector<Table>& tables, Document& doc);

}  // namespace clee
