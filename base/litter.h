// Litter: the files operating systems, editors, browsers and file managers leave beside real
// documents (".DS_Store", "~$Outline.docx", "Thumbs.db", "report.docx.swp", "x.pdf.part",
// "__MACOSX/"). One list for every place that walks names — packet folders, zip entries, the
// inbox — so a file skipped in one is skipped in all.
#pragma once

#include <string_view>

namespace clee {

// True for a file or folder name (one path component) that is litter.
bool is_litter_name(std::string_view name);
// True when any component of a '/'-separated entry path is litter ("__MACOSX/x.pdf").
bool is_litter_path(std::string_view path);

}  // namespace clee
