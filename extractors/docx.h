// DOCX extraction (libzip + pugixml): body paragraphs and lists, tables, text boxes, content
// controls and legacy form fields, tracked changes (insertions kept, deletions dropped), headers
// and footers kept apart, core metadata. DTDs and entities are never expanded or fetched.
#pragma once

#include <string>
#include <string_view>

#include "extractors/document.h"
#include "extractors/limits.h"

namespace clee {

Document extract_docx(std::string_view bytes, const std::string& name, const ExtractOptions& options);

}  // namespace clee
