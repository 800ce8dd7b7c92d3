// Page images for the packet page: page N of a stored original drawn once at screen resolution
// as a PNG and kept in the data folder (pages/<sha256>-<N>.png), so a reviewer sees each page
// with the evidence regions over it. PDFs are drawn by Poppler (through display_page, inside
// the extract limits' time, with images past the pixel limit left undrawn); image files
// (PNG, JPEG, TIFF pages) are decoded by Leptonica after their header is checked, and scaled.
// A file that will not draw gives no image (Code::kUnreadableDocument or kLimitExceeded): the
// page still shows its text. Cache files are written and read through the Env (never a link).
//
// Thread-safe: each call opens its own Poppler document; two requests drawing the same page at
// once both write the same bytes (write_durably replaces atomically).
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/env.h"
#include "base/status.h"
#include "extractors/limits.h"

namespace clee::web {

// One page of an original, in points (the unit of evidence boxes), from its top-left corner.
struct PageSize {
  int page = 0;  // 1-based
  double width = 0, height = 0;
};

class PageImages {
 public:
  // Resolution pages are drawn at; a page larger than kMaxPixels is drawn at less.
  static constexpr double kDpi = 100;
  static constexpr uint64_t kMaxPixels = 4'000'000;

  PageImages(std::string data_dir, Limits limits, Env* env = Env::Default());

  // The pages of `bytes` (a PDF or an image file; at most limits.max_pages), with the size each
  // is drawn at. Empty for any other file or one that will not open.
  std::vector<PageSize> page_sizes(std::string_view bytes) const;

  // The PNG of page `page` of the original `sha256` (64 hex digits): the cached file, else drawn
  // from read_original() and cached. kNotFound for a page the file does not have.
  Result<std::string> png(const std::string& sha256, int page, const std::function<Result<std::string>()>& read_original);

  // How many pages were drawn (not served from the cache) since construction.
  int renders() const { return renders_.load(); }

  std::string cache_path(const std::string& sha256, int page) const;

 private:
  Result<std::string> draw(std::string_view bytes, int page) const;

  std::string dir_;
  Limits limits_;
  Env* env_;
  std::atomic<int> renders_{0};
};

}  // namespace clee::web
