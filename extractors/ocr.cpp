// OCR of PDF pages without a text layer and of image files (see ocr.h).
//
// PDF pages: each worker thread owns its PDFDoc (Poppler documents are not shared between
// threads) and its OcrEngine. A page that is a plain scan gives its embedded image at the
// scanner's resolution (ocr_page_image.h); any other page is rendered at 300 DPI, 8-bit gray.
// Images: the header is read before anything is decoded, so a pixel bomb costs nothing.
#include "extractors/ocr.h"

#include <poppler/PDFDoc.h>
#include <poppler/SplashOutputDev.h>
#include <poppler/splash/SplashBitmap.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>

#include "extractors/layout.h"
#include "extractors/bounded_splash.h"
#include "extractors/ocr_engine.h"
#include "extractors/ocr_page_image.h"
#include "extractors/pdf.h"
#include "extractors/util.h"

namespace clee {
namespace {

constexpr int kRenderDpi = 300;
// Scans finer than this are scaled down to kRenderDpi: Tesseract reads 300 DPI text as well as
// 600 DPI text, at a quarter of the pixels.
constexpr int kMaxUsefulDpi = 400;
// Below this Tesseract's layout analysis misjudges sizes; say at least this much.
constexpr int kMinDpi = 70;
// Rendering allocates width × height bytes; never more than this per page, whatever the limits.
constexpr uint64_t kMaxRenderPixels = 60'000'000;
// An image on a page is decoded in full however small it is drawn; past this it is not drawn.
constexpr uint64_t kMaxDecodePixels = 400'000'000;

// One worker's Poppler state, made on its first page.
struct PdfWorker {
  std::unique_ptr<PDFDoc> pdf;
  std::unique_ptr<BoundedSplash> dev;
};

// The image Tesseract reads for `number`: the embedded scan when the page is one, else a render.
Result<PageImage> page_image(PdfWorker& w, int number, uint64_t max_pixels, Deadline& deadline,
                             std::vector<std::string>* notes, const char** how) {
  uint64_t cap = std::min<uint64_t>(max_pixels, kMaxRenderPixels);
  PageImage img = embedded_page_image(*w.pdf, number, cap, deadline);
  if (img.pix) {
    *how = "embedded";
    if (img.dpi > kMaxUsefulDpi) {
      float f = static_cast<float>(kRenderDpi) / static_cast<float>(img.dpi);
      PixPtr smaller(pixScale(img.pix.get(), f, f));
      if (smaller) {
        img.pix = std::move(smaller);
        img.dpi = kRenderDpi;
      }
    }
    img.dpi = std::max(img.dpi, kMinDpi);
    return img;
  }
  *how = "rendered";
  // Keep the rendered page under the pixel cap by lowering the resolution.
  double wpt = w.pdf->getPageMediaWidth(number), hpt = w.pdf->getPageMediaHeight(number);
  double dpi = kRenderDpi;
  double pixels = (wpt / 72 * dpi) * (hpt / 72 * dpi);
  if (pixels > static_cast<double>(cap)) dpi *= std::sqrt(static_cast<double>(cap) / pixels);
  if (dpi < 50) return Error{Code::kLimitExceeded, "page too large to render"};
  w.dev->skipped.clear();
  display_page(*w.pdf, number, w.dev.get(), dpi, deadline, notes);
  notes->insert(notes->end(), w.dev->skipped.begin(), w.dev->skipped.end());
  if (deadline.hit()) return Error{Code::kLimitExceeded, "time limit reached while rendering"};
  img.pix = bitmap_to_pix(w.dev->getBitmap());
  if (!img.pix) return Error{Code::kUnreadableDocument, "could not render the page"};
  img.dpi = static_cast<int>(dpi);
  return img;
}

}  // namespace

int ocr_pdf_pages(std::string_view pdf_bytes, const std::vector<int>& pages, Document& doc,
                  const ExtractOptions& options, Deadline& deadline) {
  if (pages.empty()) return 0;
  std::mutex mu;  // guards doc, workers and done
  int done = 0;
  OcrProgress progress(doc.name, static_cast<int>(pages.size()));
  std::map<const OcrEngine*, PdfWorker> workers;
  auto work = [&](int i, OcrEngine& engine) {
    int number = pages[static_cast<size_t>(i)];
    auto warn = [&](const std::string& m) {
      std::lock_guard<std::mutex> lock(mu);
      doc.warnings.push_back("page " + std::to_string(number) + ": " + m);
    };
    if (deadline.passed()) return;  // the document's error says how far OCR got
    PdfWorker* w;
    {
      std::lock_guard<std::mutex> lock(mu);
      w = &workers[&engine];
    }
    if (!w->pdf) {
      auto opened = open_pdf(pdf_bytes);
      if (!opened) return warn("OCR: " + opened.error().message);
      w->pdf = std::move(*opened);
      SplashColor paper = {255, 255, 255};
      w->dev = std::make_unique<BoundedSplash>(std::min<uint64_t>(options.limits.max_image_pixels, kMaxDecodePixels),
                                               paper);
      w->dev->startDoc(w->pdf.get());
    }
    if (number < 1 || number > w->pdf->getNumPages()) return warn("OCR: no such page");
    Stopwatch page_clock;
    const char* how = "";
    std::vector<std::string> notes;
    auto img = page_image(*w, number, options.limits.max_image_pixels, deadline, &notes, &how);
    for (const auto& n : notes) warn("OCR render: " + n);
    if (deadline.hit()) return;
    if (!img) return warn("OCR skipped: " + img.error().message);
    double image_s = page_clock.seconds();
    Page page;
    page.number = number;
    PageGeometry geometry;
    Status st = engine.recognise(img->pix.get(), img->dpi, deadline.left(), page, &geometry);
    progress.tick();
    if (!st && st.error().code == Code::kLimitExceeded) return deadline.expire();
    if (!st) return warn(st.error().message);
    std::vector<Table> tables;
    std::vector<KeyValue> pairs;
    analyse_page(page, geometry, tables, pairs);
    spdlog::debug("OCR {} page {}: {} image {} DPI in {:.2f} s, total {:.2f} s, confidence {:.0f}, rotation {}",
                  doc.name, number, how, img->dpi, image_s, page_clock.seconds(), page.ocr_confidence,
                  page.rotation);
    std::lock_guard<std::mutex> lock(mu);
    ++done;
    Page& target = doc.pages[static_cast<size_t>(number - 1)];
    // Keep whatever text layer there was if OCR found less.
    if (page.text.size() < target.text.size()) return;
    target = std::move(page);
    doc.tables.insert(doc.tables.end(), tables.begin(), tables.end());
    doc.key_values.insert(doc.key_values.end(), pairs.begin(), pairs.end());
  };
  run_ocr_pool(static_cast<int>(pages.size()), options.ocr_threads, options.ocr_language.c_str(), work,
               [&](const std::string& m) {
                 if (!doc.error) doc.error = Error{Code::kUnreadableDocument, "OCR unavailable: " + m};
               });
  return done;
}

namespace {

bool is_tiff(l_int32 format) {
  switch (format) {
    case IFF_TIFF: case IFF_TIFF_G3: case IFF_TIFF_G4: case IFF_TIFF_LZW: case IFF_TIFF_ZIP:
    case IFF_TIFF_PACKBITS: case IFF_TIFF_RLE: case IFF_TIFF_JPEG:
      return true;
    default:
      return false;
  }
}

// Leptonica counts TIFF directories only through a FILE*: give it one over the bytes.
l_int32 tiff_page_count(std::string_view bytes) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(fmemopen(const_cast<char*>(bytes.data()), bytes.size(), "rb"), &fclose);
  l_int32 count = 0;
  if (!f || tiffGetCount(f.get(), &count) != 0) return 0;
  return count;
}

std::string size_text(uint64_t w, uint64_t h) { return std::to_string(w) + "x" + std::to_string(h); }

// Decodes every frame after checking its header against the limits (pixels, frame count).
Result<std::vector<PixPtr>> decode_frames(std::string_view bytes, const Limits& limits) {
  const auto* data = reinterpret_cast<const l_uint8*>(bytes.data());
  l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, iscmap = 0;
  if (pixReadHeaderMem(data, bytes.size(), &format, &w, &h, &bps, &spp, &iscmap) != 0 || w <= 0 || h <= 0)
    return Error{Code::kUnreadableDocument, "the image header cannot be read"};
  auto too_big = [&](uint64_t fw, uint64_t fh) { return fw * fh > limits.max_image_pixels; };
  auto pixel_error = [&](uint64_t fw, uint64_t fh) {
    return Error{Code::kLimitExceeded, "image is " + size_text(fw, fh) + " pixels (limit " +
                                           std::to_string(limits.max_image_pixels) + ")"};
  };
  if (too_big(static_cast<uint64_t>(w), static_cast<uint64_t>(h))) return pixel_error(w, h);
  std::vector<PixPtr> frames;
  if (!is_tiff(format)) {
    Pix* p = pixReadMem(data, bytes.size());
    if (p == nullptr) return Error{Code::kUnreadableDocument, "the image cannot be decoded"};
    frames.emplace_back(p);
    return frames;
  }
  // TIFF: count the directories and check each one's header before decoding any of them.
  l_int32 count = tiff_page_count(bytes);
  if (count <= 0)
    return Error{Code::kUnreadableDocument, "the TIFF directory cannot be read"};
  if (count > limits.max_pages)
    return Error{Code::kLimitExceeded, "TIFF has " + std::to_string(count) + " pages (limit " +
                                           std::to_string(limits.max_pages) + ")"};
  for (l_int32 n = 0; n < count; ++n) {
    l_int32 fw = 0, fh = 0;
    if (readHeaderMemTiff(data, bytes.size(), n, &fw, &fh, &bps, &spp, nullptr, &iscmap, &format) != 0)
      return Error{Code::kUnreadableDocument, "TIFF page " + std::to_string(n + 1) + " header cannot be read"};
    if (too_big(static_cast<uint64_t>(fw), static_cast<uint64_t>(fh))) return pixel_error(fw, fh);
  }
  size_t offset = 0;
  do {
    Pix* p = pixReadMemFromMultipageTiff(data, bytes.size(), &offset);
    if (p == nullptr) break;
    frames.emplace_back(p);
  } while (offset != 0 && static_cast<l_int32>(frames.size()) < count);
  if (frames.empty()) return Error{Code::kUnreadableDocument, "the TIFF cannot be decoded"};
  return frames;
}

}  // namespace

Document extract_image(std::string_view bytes, const std::string& name, const ExtractOptions& options) {
  Document doc;
  doc.name = name;
  doc.format = Format::kImage;
  auto decoded = decode_frames(bytes, options.limits);
  if (!decoded) {
    doc.error = decoded.error();
    return doc;
  }
  std::vector<PixPtr>& frames = *decoded;
  doc.pages.resize(frames.size());
  for (size_t i = 0; i < frames.size(); ++i) doc.pages[i].number = static_cast<int>(i + 1);
  if (!options.ocr) {
    doc.warnings.push_back("image not OCR'd: OCR is off");
    return doc;
  }
  Deadline deadline(options.limits.max_seconds);
  std::mutex mu;
  int done = 0;
  OcrProgress progress(name, static_cast<int>(frames.size()));
  auto work = [&](int i, OcrEngine& engine) {
    Pix* pix = frames[static_cast<size_t>(i)].get();
    if (deadline.passed()) return;
    // The resolution in the file when it is plausible, else the usual scan resolution.
    int res = pixGetXRes(pix);
    int dpi = res >= kMinDpi && res <= 1200 ? res : kRenderDpi;
    Stopwatch page_clock;
    Page page;
    page.number = i + 1;
    PageGeometry geometry;
    Status st = engine.recognise(pix, dpi, deadline.left(), page, &geometry);
    progress.tick();
    if (!st && st.error().code == Code::kLimitExceeded) return deadline.expire();
    // A fax's pixels are not square (204 x 196 or 204 x 98 dpi): boxes measured at the
    // horizontal resolution are stretched to the vertical one, so points stay points.
    int yres = pixGetYRes(pix);
    if (st && dpi == res && yres >= kMinDpi / 2 && yres <= 1200 && yres != res && page.rotation % 180 == 0) {
      const double k = static_cast<double>(res) / yres;
      for (auto& w : page.words) w.box = round_box({w.box.x0, w.box.y0 * k, w.box.x1, w.box.y1 * k});
      page.height = round_pt(page.height * k);
    }
    std::vector<Table> tables;
    std::vector<KeyValue> pairs;
    if (st) analyse_page(page, geometry, tables, pairs);
    std::lock_guard<std::mutex> lock(mu);
    if (!st) {
      doc.warnings.push_back("page " + std::to_string(i + 1) + ": " + st.error().message);
      return;
    }
    spdlog::debug("OCR {} page {}: {} DPI, {:.2f} s, confidence {:.0f}, rotation {}", name, i + 1, dpi,
                  page_clock.seconds(), page.ocr_confidence, page.rotation);
    ++done;
    doc.pages[static_cast<size_t>(i)] = std::move(page);
    doc.tables.insert(doc.tables.end(), tables.begin(), tables.end());
    doc.key_values.insert(doc.key_values.end(), pairs.begin(), pairs.end());
  };
  run_ocr_pool(static_cast<int>(frames.size()), options.ocr_threads, options.ocr_language.c_str(), work,
               [&](const std::string& m) { doc.error = Error{Code::kUnreadableDocument, "OCR unavailable: " + m}; });
  if (deadline.hit() && !doc.error)
    doc.error = time_limit_error(options.limits.max_seconds, done, static_cast<int>(frames.size()));
  sort_by_page(doc);
  return doc;
}

}  // namespace clee
