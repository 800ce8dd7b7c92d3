// OCR with Tesseract: images and the pages of a PDF that have no usable text layer.
//
// One Tesseract instance per worker thread (OpenMP off: OMP_THREAD_LIMIT=1), pages in parallel on
// options.ocr_threads threads (0 = all cores); page orientation fixed with OSD. Thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "extractors/deadline.h"
#include "extractors/document.h"
#include "extractors/limits.h"

namespace clee {

// OCRs the given 1-based pages of a PDF (`pdf_bytes`) and stores the text into doc.pages[n-1]
// (setting ocr=true, ocr_confidence, rotation), within `deadline`: no page starts after it, a
// render stops at it, Tesseract's monitor stops at it. Prefers a page's embedded scan image at
// its own resolution; renders the page otherwise. Per-page failures become doc.warnings; an OCR
// language that cannot be loaded sets doc.error (Code::kUnreadableDocument). Returns how many of
// `pages` were OCR'd to the end.
int ocr_pdf_pages(std::string_view pdf_bytes, const std::vector<int>& pages, Document& doc,
                  const ExtractOptions& options, Deadline& deadline);

// Extracts an image file (PNG, JPEG, TIFF incl. multi-page, BMP, GIF, WebP): one Page per frame.
// Pixel limits are checked from the header before decoding. Frames not OCR'd within
// limits.max_seconds stay empty and the Document carries Code::kLimitExceeded.
Document extract_image(std::string_view bytes, const std::string& name,
                       const ExtractOptions& options);

}  // namespace clee
