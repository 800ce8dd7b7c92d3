// PDF extraction with Poppler's core API: text per page in reading order (the same TextOutputDev
// pdftotext uses), AcroForm field values, metadata; encrypted files tried with the empty password;
// damaged files recovered where Poppler can. Pages without a usable text layer are handed to OCR.
//
// Every page is drawn through display_page(), which keeps Poppler inside the document's Deadline.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "extractors/deadline.h"
#include "extractors/document.h"
#include "extractors/limits.h"

class OutputDev;
class PDFDoc;
class Stream;

namespace clee {

// Reads the text of every page (up to limits.max_pages) within limits.max_seconds, then OCRs the
// pages without a usable text layer in the time left. When the time runs out the Document keeps
// the pages read so far and carries Code::kLimitExceeded "time limit N s (read M of K pages)".
Document extract_pdf(std::string_view bytes, const std::string& name, const ExtractOptions& options);

// Draws page `number` (1-based) of `pdf` on `dev` at `dpi` as PDFDoc::displayPage(dev, number, dpi,
// dpi, 0, useMediaBox, no crop, not printing) does, annotations included, but bounded by
// `deadline`: Poppler's abort check runs between content-stream operators, and the page's content
// streams are read through a guard that ends them at the deadline (a single operator can hold
// gigabytes: a string, a run of whitespace from a Flate bomb) and refuses the ones encoded with
// an image codec (JBIG2, JPX, DCT, CCITT: content streams are operators, never pixels, and a JBIG2
// or JPX decoder runs to completion — tens of seconds for a giant bitmap — before the first byte
// reaches the parser). A refused stream adds a line to `warnings`. Not thread-safe per PDFDoc.
void display_page(PDFDoc& pdf, int number, OutputDev* dev, double dpi, Deadline& deadline,
                  std::vector<std::string>* warnings);

// The pixels decoding an image stream makes: `width` × `height` as the image dictionary says, or
// for JBIG2 the largest page or region its segments declare when that is more (Poppler's JBIG2
// decoder allocates and decodes what the segments say, whatever the dictionary claims; such a
// decode cannot be interrupted). Reads at most the first MiB of the undecoded data. Devices that
// decode images compare this with the pixel limit before decoding anything.
uint64_t decoded_pixels(Stream* image, int width, int height);

// The largest bitmap (in pixels) that a JBIG2 embedded stream (ITU-T T.88 annex D.3: segments, no
// file header) declares in its page-information and region segment headers; 0 when it declares
// none within `segments`. Saturates instead of overflowing.
uint64_t jbig2_declared_pixels(std::string_view segments);

// Opens a PDF held in memory (`bytes` must outlive the PDFDoc), trying the empty password.
// Initialises Poppler's global parameters once, thread-safely. Errors: encrypted_document,
// unreadable_document.
Result<std::unique_ptr<PDFDoc>> open_pdf(std::string_view bytes);

// Converts a PDF text string (PDFDocEncoding or UTF-16BE with BOM) to UTF-8.
std::string pdf_string_to_utf8(std::string_view s);

}  // namespace clee
