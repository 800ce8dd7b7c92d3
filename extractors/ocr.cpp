// OCR: Tesseract over page images, pages in parallel with one engine per worker thread.
//
// Each worker owns its TessBaseAPI pair (recogniser + orientation detector) and, for PDFs, its own
// PDFDoc and renderer (Poppler documents are not shared between threads). OpenMP inside Tesseract
// is switched off (OMP_THREAD_LIMIT=1): on a 2-core machine its default threading turns ~1 s/page
// into ~7 s/page; we get our parallelism from pages instead.
#include "extractors/ocr.h"

#include <leptonica/allheaders.h>
#include <poppler/PDFDoc.h>
#include <poppler/SplashOutputDev.h>
#include <poppler/splash/SplashBitmap.h>
#include <spdlog/spdlog.h>
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "extractors/pdf.h"
#include "extractors/util.h"

namespace clee {
namespace {

struct PixDeleter {
  void operator()(Pix* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

constexpr int kRenderDpi = 300;

void disable_openmp() {
  static std::once_flag once;
  std::call_once(once, [] { setenv("OMP_THREAD_LIMIT", "1", 0); });
}

// One worker's engines. Not thread-safe; each thread makes its own.
class OcrEngine {
 public:
  explicit OcrEngine(const char* language) {
    disable_openmp();
    ok_ = recogniser_.Init(nullptr, language, tesseract::OEM_LSTM_ONLY) == 0;
    recogniser_.SetPageSegMode(tesseract::PSM_AUTO);
    recogniser_.SetVariable("debug_file", "/dev/null");
    osd_ok_ = osd_.Init(nullptr, "osd", tesseract::OEM_TESSERACT_ONLY) == 0;
    osd_.SetPageSegMode(tesseract::PSM_OSD_ONLY);
    osd_.SetVariable("debug_file", "/dev/null");
  }
  ~OcrEngine() {
    recogniser_.End();
    osd_.End();
  }
  bool ok() const { return ok_; }

  // Recognises `pix` (turned upright first when OSD is confident), filling `page`.
  Status recognise(Pix* pix, int dpi, double seconds, Page& page) {
    PixPtr upright;
    int rotation = detect_rotation(pix, dpi);
    if (rotation != 0) {
      // pixRotateOrth turns clockwise by quads × 90°.
      upright.reset(pixRotateOrth(pix, rotation / 90));
      if (upright) pix = upright.get();
    }
    recogniser_.SetImage(pix);
    recogniser_.SetSourceResolution(dpi);
    tesseract::ETEXT_DESC monitor;
    monitor.set_deadline_msecs(static_cast<int32_t>(std::min(seconds, 3600.0) * 1000));
    if (recogniser_.Recognize(&monitor) != 0) {
      recogniser_.Clear();
      return Error{errc::kLimitExceeded, "OCR did not finish within " +
                                             std::to_string(static_cast<int>(seconds)) + " s"};
    }
    std::unique_ptr<char[]> text(recogniser_.GetUTF8Text());
    page.text = text ? tidy_text(sanitize_utf8(text.get())) : std::string();
    page.ocr = true;
    page.ocr_confidence = std::max(0, recogniser_.MeanTextConf());
    page.rotation = rotation;
    recogniser_.Clear();
    return Status::Ok();
  }

 private:
  // Returns the clockwise rotation (0/90/180/270) that makes the page upright.
  int detect_rotation(Pix* pix, int dpi) {
    if (!osd_ok_) return 0;
    osd_.SetImage(pix);
    osd_.SetSourceResolution(dpi);
    int orient_deg = 0;
    float orient_conf = 0, script_conf = 0;
    const char* script = nullptr;
    bool found = osd_.DetectOrientationScript(&orient_deg, &orient_conf, &script, &script_conf);
    osd_.Clear();
    // Low-confidence answers on sparse pages are noise; trust only clear ones.
    if (!found || orient_conf < 2.0f) return 0;
    // Tesseract reports how far the text is turned counter-clockwise; undo it clockwise.
    return (360 - orient_deg % 360) % 360;
  }

  tesseract::TessBaseAPI recogniser_;
  tesseract::TessBaseAPI osd_;
  bool ok_ = false;
  bool osd_ok_ = false;
};

// Converts a Splash 8-bit gray bitmap to a Leptonica 8 bpp Pix.
PixPtr bitmap_to_pix(SplashBitmap* bm) {
  int w = bm->getWidth(), h = bm->getHeight();
  PixPtr pix(pixCreate(w, h, 8));
  if (!pix) return pix;
  l_uint32* data = pixGetData(pix.get());
  int wpl = pixGetWpl(pix.get());
  const unsigned char* src = bm->getDataPtr();
  for (int y = 0; y < h; ++y) {
    l_uint32* line = data + y * wpl;
    const unsigned char* row = src + static_cast<size_t>(y) * bm->getRowSize();
    for (int x = 0; x < w; ++x) SET_DATA_BYTE(line, x, row[x]);
  }
  return pix;
}

// Runs `work(i, engine)` for i in [0, n) on up to `threads` workers, each with its own engine.
void run_parallel(int n, int threads, const char* language,
                  const std::function<void(int, OcrEngine&)>& work,
                  const std::function<void(const std::string&)>& fail_all) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = std::min(threads, n);
  std::atomic<int> next{0};
  std::atomic<bool> engine_failed{false};
  auto worker = [&] {
    OcrEngine engine(language);
    if (!engine.ok()) {
      engine_failed = true;
      return;
    }
    for (int i = next++; i < n; i = next++) work(i, engine);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (engine_failed && next.load() < n)
    fail_all(std::string("Tesseract could not load language '") + language + "'");
}

class Progress {
 public:
  Progress(std::string name, int total) : name_(std::move(name)), total_(total), tty_(isatty(2)) {}
  ~Progress() {
    if (tty_ && total_ > 1) std::fprintf(stderr, "\r\033[K");
  }
  void tick() {
    int d = ++done_;
    if (tty_ && total_ > 1) {
      std::lock_guard<std::mutex> lock(mu_);
      std::fprintf(stderr, "\rOCR %s: page %d/%d", name_.c_str(), d, total_);
      std::fflush(stderr);
    }
  }

 private:
  std::string name_;
  int total_;
  bool tty_;
  std::atomic<int> done_{0};
  std::mutex mu_;
};

}  // namespace

void ocr_pdf_pages(std::string_view pdf_bytes, const std::vector<int>& pages, Document& doc,
                   const ExtractOptions& options) {
  if (pages.empty()) return;
  Stopwatch clock;
  std::mutex mu;
  Progress progress(doc.name, static_cast<int>(pages.size()));
  struct Worker {
    std::unique_ptr<PDFDoc> pdf;
    std::unique_ptr<SplashOutputDev> dev;
  };
  // Poppler documents are per thread; keyed by the engine each thread owns.
  std::mutex workers_mu;
  std::map<OcrEngine*, Worker> workers;
  auto work = [&](int i, OcrEngine& engine) {
    int number = pages[static_cast<size_t>(i)];
    Worker* w;
    {
      std::lock_guard<std::mutex> lock(workers_mu);
      w = &workers[&engine];
    }
    auto warn = [&](const std::string& m) {
      std::lock_guard<std::mutex> lock(mu);
      doc.warnings.push_back("page " + std::to_string(number) + ": " + m);
    };
    double left = options.limits.max_seconds - clock.seconds();
    if (left <= 0) return warn("OCR skipped: document time limit reached");
    if (!w->pdf) {
      auto opened = open_pdf(pdf_bytes);
      if (!opened) return warn("OCR: " + opened.error().message);
      w->pdf = std::move(*opened);
      SplashColor paper = {255, 255, 255};
      w->dev = std::make_unique<SplashOutputDev>(splashModeMono8, 4, false, paper);
      w->dev->startDoc(w->pdf.get());
    }
    Stopwatch page_clock;
    // Keep the rendered page under the pixel limit by lowering the resolution.
    double wpt = w->pdf->getPageMediaWidth(number), hpt = w->pdf->getPageMediaHeight(number);
    double dpi = kRenderDpi;
    double pixels = (wpt / 72 * dpi) * (hpt / 72 * dpi);
    double cap = static_cast<double>(std::min<uint64_t>(options.limits.max_image_pixels, 60'000'000));
    if (pixels > cap) dpi *= std::sqrt(cap / pixels);
    if (dpi < 50) return warn("OCR skipped: page too large to render");
    w->pdf->displayPage(w->dev.get(), number, dpi, dpi, 0, true, false, false);
    PixPtr pix = bitmap_to_pix(w->dev->getBitmap());
    if (!pix) return warn("OCR: could not render the page");
    Page page;
    page.number = number;
    Status st = engine.recognise(pix.get(), static_cast<int>(dpi), left, page);
    progress.tick();
    if (!st) return warn(st.error().message);
    spdlog::debug("OCR {} page {}: {:.2f} s, confidence {:.0f}, rotation {}", doc.name, number,
                  page_clock.seconds(), page.ocr_confidence, page.rotation);
    std::lock_guard<std::mutex> lock(mu);
    Page& target = doc.pages[static_cast<size_t>(number - 1)];
    // Keep whatever text layer there was if OCR found less.
    if (page.text.size() >= target.text.size()) target = std::move(page);
  };
  run_parallel(static_cast<int>(pages.size()), options.ocr_threads, options.ocr_language, work,
               [&](const std::string& m) { doc.warnings.push_back("OCR unavailable: " + m); });
  // Workers (and their PDFDocs) are destroyed before the engines' threads are gone: fine, they
  // hold no thread affinity.
  workers.clear();
}

Document extract_image(std::string_view bytes, const std::string& name, const ExtractOptions& options) {
  Document doc;
  doc.name = name;
  doc.format = Format::kImage;
  const auto* data = reinterpret_cast<const l_uint8*>(bytes.data());
  l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, iscmap = 0;
  if (pixReadHeaderMem(data, bytes.size(), &format, &w, &h, &bps, &spp, &iscmap) != 0 || w <= 0 || h <= 0) {
    doc.error = Error{errc::kUnreadable, "the image header cannot be read"};
    return doc;
  }
  uint64_t pixels = static_cast<uint64_t>(w) * static_cast<uint64_t>(h);
  if (pixels > options.limits.max_image_pixels) {
    doc.error = Error{errc::kLimitExceeded, "image is " + std::to_string(w) + "x" + std::to_string(h) +
                                               " pixels (limit " + std::to_string(options.limits.max_image_pixels) + ")"};
    return doc;
  }
  std::vector<PixPtr> frames;
  if (format == IFF_TIFF || format == IFF_TIFF_G3 || format == IFF_TIFF_G4 || format == IFF_TIFF_LZW ||
      format == IFF_TIFF_ZIP || format == IFF_TIFF_PACKBITS || format == IFF_TIFF_RLE || format == IFF_TIFF_JPEG) {
    size_t offset = 0;
    do {
      if (static_cast<int>(frames.size()) >= options.limits.max_pages) {
        doc.error = Error{errc::kLimitExceeded, "TIFF has more than " + std::to_string(options.limits.max_pages) + " pages"};
        return doc;
      }
      Pix* p = pixReadMemFromMultipageTiff(data, bytes.size(), &offset);
      if (!p) break;
      frames.emplace_back(p);
      if (static_cast<uint64_t>(pixGetWidth(p)) * static_cast<uint64_t>(pixGetHeight(p)) > options.limits.max_image_pixels) {
        doc.error = Error{errc::kLimitExceeded, "a TIFF page exceeds the pixel limit"};
        return doc;
      }
    } while (offset != 0);
  } else {
    Pix* p = pixReadMem(data, bytes.size());
    if (p) frames.emplace_back(p);
  }
  if (frames.empty()) {
    doc.error = Error{errc::kUnreadable, "the image cannot be decoded"};
    return doc;
  }
  doc.pages.resize(frames.size());
  for (size_t i = 0; i < frames.size(); ++i) doc.pages[i].number = static_cast<int>(i + 1);
  if (!options.ocr) {
    doc.warnings.push_back("image not OCR'd: OCR is off");
    return doc;
  }
  Stopwatch clock;
  std::mutex mu;
  Progress progress(name, static_cast<int>(frames.size()));
  auto work = [&](int i, OcrEngine& engine) {
    Pix* pix = frames[static_cast<size_t>(i)].get();
    int dpi = pixGetXRes(pix) >= 70 && pixGetXRes(pix) <= 1200 ? pixGetXRes(pix) : kRenderDpi;
    Page page;
    page.number = i + 1;
    Status st = engine.recognise(pix, dpi, std::max(1.0, options.limits.max_seconds - clock.seconds()), page);
    progress.tick();
    std::lock_guard<std::mutex> lock(mu);
    if (!st) {
      doc.warnings.push_back("page " + std::to_string(i + 1) + ": " + st.error().message);
      return;
    }
    doc.pages[static_cast<size_t>(i)] = std::move(page);
  };
  run_parallel(static_cast<int>(frames.size()), options.ocr_threads, options.ocr_language, work,
               [&](const std::string& m) { doc.error = Error{errc::kUnreadable, "OCR unavailable: " + m}; });
  return doc;
}

}  // namespace clee
