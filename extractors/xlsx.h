// Excel workbooks (.xlsx, .xlsm, .xltx, Strict OOXML too) read natively with libzip + pugixml:
// one Page per worksheet in workbook order (hidden ones too; chart sheets have no cells).
//
// A sheet's page starts with the sheet's name, then one line per non-empty row with its cells
// separated by TABs (gaps kept as empty cells, trailing ones trimmed), then the text of its text
// boxes; the same rows are a Document::tables table (page = sheet number). Cells read as shown:
// shared and inline strings, booleans TRUE/FALSE, error values, formulas by their cached value,
// and numbers through their number format (xlsx_numfmt.h: "7.5", "$1,250.00", "10/1/2026",
// "9:30 AM"), in the workbook's 1900 or 1904 date system. Sheet headers and footers (with their
// &-codes removed) go to Document::headers_footers; comments are not read.
// Limits: every part inflated under Limits (zip.h); at most 1,000,000 cells per workbook and
// 1,024 columns per row (a warning says what was left out); sheets beyond limits.max_pages.
#pragma once

#include <string>
#include <string_view>

#include "extractors/document.h"
#include "extractors/limits.h"

namespace clee {

Document extract_xlsx(std::string_view bytes, const std::string& name, const ExtractOptions& options);

}  // namespace clee
