// The scan image embedded in a PDF page, taken at its own resolution instead of re-rendering.
//
// A scanned page (scanner firmware, img2pdf, ocrmypdf input) is one full-page raster image and
// nothing else. Decoding that image directly gives Tesseract the scanner's pixels at the scanner's
// resolution, and skips rasterising at a guessed DPI (which resamples the scan a second time and
// costs a full Splash render). Pages that are anything else — several images, masks, vector
// drawing, text, an image covering only part of the page — return nothing, and the caller
// renders the page instead. Not thread-safe per PDFDoc: call it with a document the thread owns.
#pragma once

#include <leptonica/allheaders.h>

#include <cstdint>
#include <memory>

#include "extractors/deadline.h"

class PDFDoc;

namespace clee {

struct PixDeleter {
  void operator()(Pix* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

struct PageImage {
  PixPtr pix;       // 8 bpp gray, turned so that it reads as the page is displayed
  int dpi = 0;      // the image's own resolution on the page (pixels per inch of page width)
};

// Returns the page's single full-page image as an 8 bpp gray Pix, or an empty PageImage when the
// page is not a plain scan or the image holds more than `max_pixels` (checked before decoding).
// `page` is 1-based. Looking stops at `deadline` (the page is then not a plain scan).
PageImage embedded_page_image(PDFDoc& pdf, int page, uint64_t max_pixels, Deadline& deadline);

}  // namespace clee
