// Page images for the packet page (see page_images.h).
#include "app/web/page_images.h"

#include <leptonica/allheaders.h>
#include <poppler/PDFDoc.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "extractors/bounded_splash.h"
#include "extractors/deadline.h"
#include "extractors/pdf.h"
#include "extractors/sniff.h"

namespace clee::web {
namespace {

// Cache files are PNGs of at most kMaxPixels pixels; anything larger is not ours.
constexpr uint64_t kMaxCacheBytes = 64ull << 20;

bool is_sha(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

Result<std::string> encode_png(Pix* pix) {
  l_uint8* data = nullptr;
  size_t size = 0;
  if (pix == nullptr || pixWriteMemPng(&data, &size, pix, 0) != 0 || data == nullptr)
    return Error{Code::kInternal, "the page image could not be encoded"};
  std::string out(reinterpret_cast<const char*>(data), size);
  lept_free(data);
  return out;
}

// A page in points as display_page draws it: the media box, turned by /Rotate.
PageSize pdf_page_size(PDFDoc& pdf, int n) {
  double w = pdf.getPageMediaWidth(n), h = pdf.getPageMediaHeight(n);
  if (pdf.getPageRotate(n) % 180 != 0) std::swap(w, h);
  return {n, w, h};
}

// The resolution of an image file (its own when plausible, else the usual scan's), per axis:
// the OCR of image files measures its boxes in points at the same resolutions.
double plausible_res(int res, int fallback) { return res >= 70 && res <= 1200 ? res : fallback; }

bool is_tiff_format(l_int32 f) {
  return f == IFF_TIFF || f == IFF_TIFF_PACKBITS || f == IFF_TIFF_RLE || f == IFF_TIFF_G3 || f == IFF_TIFF_G4 ||
         f == IFF_TIFF_LZW || f == IFF_TIFF_ZIP || f == IFF_TIFF_JPEG;
}

// Frame `page` of an image file, after its header is checked against the pixel limit.
Result<PixPtr> decode_frame(std::string_view bytes, int page, const Limits& limits) {
  const auto* data = reinterpret_cast<const l_uint8*>(bytes.data());
  l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
  if (pixReadHeaderMem(data, bytes.size(), &format, &w, &h, &bps, &spp, &cmap) != 0 || w <= 0 || h <= 0)
    return Error{Code::kUnreadableDocument, "the image header cannot be read"};
  if (is_tiff_format(format)) {
    if (readHeaderMemTiff(data, bytes.size(), page - 1, &w, &h, &bps, &spp, nullptr, &cmap, &format) != 0)
      return Error{Code::kNotFound, "no such page"};
  } else if (page != 1) {
    return Error{Code::kNotFound, "no such page"};
  }
  if (static_cast<uint64_t>(w) * static_cast<uint64_t>(h) > limits.max_image_pixels)
    return Error{Code::kLimitExceeded, "the image is too large to draw"};
  PixPtr pix(is_tiff_format(format) ? pixReadMemTiff(data, bytes.size(), page - 1) : pixReadMem(data, bytes.size()));
  if (!pix) return Error{Code::kUnreadableDocument, "the image cannot be decoded"};
  return pix;
}

PageSize image_page_size(Pix* pix, int page) {
  double xres = plausible_res(pixGetXRes(pix), 300);
  double yres = plausible_res(pixGetYRes(pix), static_cast<int>(xres));
  return {page, pixGetWidth(pix) * 72.0 / xres, pixGetHeight(pix) * 72.0 / yres};
}

// The resolution that draws `size` at kDpi, or less to stay under kMaxPixels.
double fitting_dpi(const PageSize& size) {
  double dpi = PageImages::kDpi;
  double pixels = (size.width / 72 * dpi) * (size.height / 72 * dpi);
  if (pixels > static_cast<double>(PageImages::kMaxPixels)) dpi *= std::sqrt(PageImages::kMaxPixels / pixels);
  return dpi;
}

Result<std::string> draw_pdf(std::string_view bytes, int page, const Limits& limits) {
  auto pdf = open_pdf(bytes);
  if (!pdf) return pdf.error();
  if (page < 1 || page > (*pdf)->getNumPages() || page > limits.max_pages) return Error{Code::kNotFound, "no such page"};
  double dpi = fitting_dpi(pdf_page_size(**pdf, page));
  if (dpi < 5) return Error{Code::kLimitExceeded, "the page is too large to draw"};
  SplashColor paper = {255, 255, 255};
  BoundedSplash dev(limits.max_image_pixels, paper);
  dev.startDoc(pdf->get());
  Deadline deadline(limits.max_seconds);
  display_page(**pdf, page, &dev, dpi, deadline, nullptr);
  if (deadline.hit()) return Error{Code::kLimitExceeded, "time limit reached while drawing the page"};
  if (dev.getBitmap() == nullptr) return Error{Code::kUnreadableDocument, "the page could not be drawn"};
  PixPtr pix = bitmap_to_pix(dev.getBitmap());
  return encode_png(pix.get());
}

Result<std::string> draw_image(std::string_view bytes, int page, const Limits& limits) {
  auto pix = decode_frame(bytes, page, limits);
  if (!pix) return pix.error();
  PageSize size = image_page_size(pix->get(), page);
  double dpi = fitting_dpi(size);
  // Scaled to `dpi` on both axes: a fax's unequal resolutions come out square.
  float fx = static_cast<float>(size.width / 72 * dpi / pixGetWidth(pix->get()));
  float fy = static_cast<float>(size.height / 72 * dpi / pixGetHeight(pix->get()));
  PixPtr scaled(pixScale(pix->get(), fx, fy));
  return encode_png(scaled.get());
}

}  // namespace

PageImages::PageImages(std::string data_dir, Limits limits, Env* env)
    : dir_(std::move(data_dir)), limits_(limits), env_(env) {}

std::string PageImages::cache_path(const std::string& sha256, int page) const {
  return dir_ + "/pages/" + sha256 + "-" + std::to_string(page) + ".png";
}

std::vector<PageSize> PageImages::page_sizes(std::string_view bytes) const {
  std::vector<PageSize> out;
  Format format = sniff_content(bytes).format;
  if (format == Format::kPdf) {
    auto pdf = open_pdf(bytes);
    if (!pdf) return out;
    int n = std::min((*pdf)->getNumPages(), limits_.max_pages);
    for (int i = 1; i <= n; ++i) out.push_back(pdf_page_size(**pdf, i));
  } else if (format == Format::kImage) {
    for (int i = 1; i <= limits_.max_pages; ++i) {
      auto pix = decode_frame(bytes, i, limits_);
      if (!pix) break;
      out.push_back(image_page_size(pix->get(), i));
    }
  }
  return out;
}

Result<std::string> PageImages::draw(std::string_view bytes, int page) const {
  Format format = sniff_content(bytes).format;
  if (format == Format::kPdf) return draw_pdf(bytes, page, limits_);
  if (format == Format::kImage) return draw_image(bytes, page, limits_);
  return Error{Code::kUnreadableDocument, "this kind of file has no page images"};
}

Result<std::string> PageImages::png(const std::string& sha256, int page,
                                    const std::function<Result<std::string>()>& read_original) {
  if (!is_sha(sha256) || page < 1 || page > limits_.max_pages) return Error{Code::kNotFound, "no such page"};
  const std::string path = cache_path(sha256, page);
  auto cached = env_->read_file(path, kMaxCacheBytes);
  // An empty cache file remembers a page that would not draw, so it is not tried on every view.
  if (cached && cached->empty()) return Error{Code::kUnreadableDocument, "the page could not be drawn"};
  if (cached) return cached;
  if (cached.error().code != Code::kNotFound) return cached.error();
  auto original = read_original();
  if (!original) return original.error();
  ++renders_;
  auto drawn = draw(*original, page);
  if (!drawn && drawn.error().code == Code::kNotFound) return drawn.error();
  if (!drawn) spdlog::info("web: page {} of {} not drawn: {}", page, sha256.substr(0, 12), drawn.error().message);
  Status made = env_->make_dirs(dir_ + "/pages");
  if (made) made = env_->write_durably(path, drawn ? std::string_view(*drawn) : std::string_view());
  if (!made) spdlog::warn("web: page image not cached: {}", made.error().message);
  return drawn;
}

}  // namespace clee::web
