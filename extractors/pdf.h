// PDF extraction with Poppler's core API: text per page in reading order (the same TextOutputDev
// pdftotext uses), AcroForm field values, metadata; encrypted files tried with the empty password;
// damaged files recovered where Poppler can. Pages without a usable text layer are handed to OCR.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "extractors/document.h"
#include "extractors/limits.h"

class PDFDoc;

namespace clee {

Document extract_pdf(std::string_view bytes, const std::string& name, const ExtractOptions& options);

// Opens a PDF held in memory (`bytes` must outlive the PDFDoc), trying the empty password.
// Initialises Poppler's global parameters once, thread-safely. Errors: encrypted_document,
// unreadable_document.
Result<std::unique_ptr<PDFDoc>> open_pdf(std::string_view bytes);

// Converts a PDF text string (PDFDocEncoding or UTF-16BE with BOM) to UTF-8.
std::string pdf_string_to_utf8(std::string_view s);

}  // namespace clee
