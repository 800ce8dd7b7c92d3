// Tesseract engines, the per-thread page pool and the progress line (see ocr_engine.h).
#include "extractors/ocr_engine.h"

#include <spdlog/spdlog.h>
#include <tesseract/ocrclass.h>
#include <unistd.h>

#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

#include "extractors/util.h"

namespace clee {
namespace {

// A page read upright scores well above this (90-96 on the fixtures and bench scans); below it,
// a page that was turned (by Leptonica's test or OSD) is read again as it was, in case the turn
// was wrong.
constexpr int kUprightConfidence = 60;
// OSD's own confidence below this is noise (sparse pages, pictures): keep the page as it is.
constexpr float kOsdMinConfidence = 2.0f;

// Leptonica's orientation test (ascenders and descenders of Latin text, found by hit-miss
// transforms on a 1 bpp image at 150-300 ppi) decides a page's orientation when its signal for one
// of the four is at least this strong and beats the crosswise one by this ratio (Leptonica's own
// defaults); when it is unsure (too little text, pictures, another script) OSD decides. Measured on
// the bench scans at half of 300 DPI (~8 ms): 10-pt text scores 11-18 upright, 13.6 sideways and
// -13 upside down, all decided; 7-pt text only 2-3.5, so an undecided page is tested again at
// full resolution (~32 ms), where 7-, 8- and 10-pt text score 61-66 and turned pages as much.
constexpr float kOrientMinConfidence = 8.0f;
constexpr float kOrientMinRatio = 2.5f;

// The clockwise rotation (0/90/180/270) that makes `binary` upright, or -1 when the test is unsure.
int orientation(Pix* binary) {
  l_float32 upconf = 0, leftconf = 0;
  l_int32 orient = L_TEXT_ORIENT_UNKNOWN;
  if (pixOrientDetect(binary, &upconf, &leftconf, 0, 0) != 0 ||
      makeOrientDecision(upconf, leftconf, kOrientMinConfidence, kOrientMinRatio, &orient, 0) != 0)
    return -1;
  switch (orient) {
    case L_TEXT_ORIENT_UP: return 0;
    case L_TEXT_ORIENT_LEFT: return 90;  // text up to the left: a quarter turn clockwise
    case L_TEXT_ORIENT_DOWN: return 180;
    case L_TEXT_ORIENT_RIGHT: return 270;
    default: return -1;
  }
}

// Tesseract's recogniser scales every text line to the same height (36 px for the English model)
// before reading it, so the pixels a page has past what its small text needs are paid for only by
// the layout analysis before it (thresholding, connected components, line finding), which costs in
// proportion to them. A page is therefore read at the resolution at which its small text (the
// 25th percentile of letter heights) is kReadTextPx tall, never finer than it came. Measured with
// the tesseract CLI on the bench's 10-pt 300-DPI scans (small text 24 px): read at 200 DPI (16 px)
// 16 % less CPU and word recall unchanged (1.000, 0.997 → 1.000); at 170 DPI (13.6 px) 0.998, at
// 150 DPI (12 px) 0.989. At 16 px an 8-pt page read at 240 DPI ran a column of hours together
// ("6 8 6 4 24" → "686424"), so 18 px: 10-pt scans are read at 225 DPI, 8-pt ones as they came.
// kMinReadScale and kMinReadDpi bound a wrong estimate (a page of pictures, of large type only).
constexpr int kReadTextPx = 18;
constexpr double kMinReadScale = 0.5;
constexpr int kMinReadDpi = 150;
// Scaling costs ~20 ms a page: not worth it for less than this much fewer pixels.
constexpr double kMaxReadScale = 0.9;

// What a page's 1 bpp image says before it is read (one binarisation for both).
struct Survey {
  int rotation = -1;  // clockwise degrees that make it upright; -1 = the cheap test is unsure
  int small_text_px = 0;  // the 25th percentile of letter heights at the page's resolution; 0 = none
};

// The 25th percentile of the letters' heights in `binary`, 0 when there are too few to tell:
// components between a speck and a third of an inch, not much wider than tall (rules, lines and
// pictures are not letters). On a turned page these are the letters' widths, of the same order.
int small_text_height(Pix* binary, int dpi) {
  std::unique_ptr<BOXA, void (*)(BOXA*)> boxes(pixConnCompBB(binary, 8), [](BOXA* b) { boxaDestroy(&b); });
  if (!boxes) return 0;
  std::vector<int> heights;
  const int max_h = std::max(4, dpi / 3);
  for (l_int32 i = 0, n = boxaGetCount(boxes.get()); i < n; ++i) {
    l_int32 x, y, w, h;
    if (boxaGetBoxGeometry(boxes.get(), i, &x, &y, &w, &h) != 0) continue;
    if (h >= 3 && h <= max_h && w <= 4 * h) heights.push_back(h);
  }
  if (heights.size() < 50) return 0;
  auto q = heights.begin() + static_cast<std::ptrdiff_t>(heights.size() / 4);
  std::nth_element(heights.begin(), q, heights.end());
  return *q;
}

// Both from half the resolution when the page is finer than 200 DPI (4x cheaper), the orientation
// again from the full page when that was not enough. `orient` false: the text size only.
Survey survey(Pix* pix, int dpi, bool orient = true) {
  Survey out;
  PixPtr binary(pixConvertTo1(pix, 128));
  if (!binary) return out;
  PixPtr half;
  if (dpi > 200) half.reset(pixReduceRankBinaryCascade(binary.get(), 1, 0, 0, 0));
  Pix* coarse = half ? half.get() : binary.get();
  int k = half ? 2 : 1;
  out.small_text_px = small_text_height(coarse, dpi / k) * k;
  if (orient) {
    out.rotation = orientation(coarse);
    if (out.rotation < 0 && half) out.rotation = orientation(binary.get());
  }
  return out;
}

// The resolution to read a page surveyed as `s` at: `dpi`, or lower when its small text allows.
int read_dpi(const Survey& s, int dpi) {
  if (s.small_text_px <= 0) return dpi;
  double want = static_cast<double>(dpi) * kReadTextPx / s.small_text_px;
  want = std::max({want, dpi * kMinReadScale, static_cast<double>(kMinReadDpi)});
  return want < dpi * kMaxReadScale ? static_cast<int>(std::lround(want)) : dpi;
}

// `pix` scaled by `f` < 1, as gray or colour (a 1 bpp page becomes gray, anti-aliased). Without
// pixScale's sharpening: on the 8-pt bench scans read at 0.89 its halos cost words their spaces
// ("experttestimony"), where plain interpolation reads as well as the full-size page.
PixPtr scaled_down(Pix* pix, double f) {
  auto k = static_cast<l_float32>(f);
  if (pixGetDepth(pix) == 1) return PixPtr(pixScaleToGray(pix, k));
  return PixPtr(pixScaleGeneral(pix, k, k, 0.0f, 0));
}

}  // namespace

OcrEngine::OcrEngine(const char* language) {
  ok_ = recogniser_.Init(nullptr, language, tesseract::OEM_LSTM_ONLY) == 0;
  recogniser_.SetPageSegMode(tesseract::PSM_AUTO);
  recogniser_.SetVariable("debug_file", "/dev/null");
}

OcrEngine::~OcrEngine() {
  recogniser_.End();
  osd_.End();
}

Status OcrEngine::read(Pix* pix, int dpi, double seconds, Reading& out) {
  recogniser_.SetImage(pix);
  recogniser_.SetSourceResolution(dpi);
  tesseract::ETEXT_DESC monitor;
  monitor.set_deadline_msecs(static_cast<int32_t>(std::clamp(seconds, 0.001, 3600.0) * 1000));
  int rc = recogniser_.Recognize(&monitor);
  if (rc != 0 || monitor.deadline_exceeded()) {
    recogniser_.Clear();
    return Error{Code::kLimitExceeded,
                 "OCR did not finish within " + std::to_string(static_cast<int>(seconds)) + " s"};
  }
  std::unique_ptr<char[]> text(recogniser_.GetUTF8Text());
  out.text = text ? tidy_text(sanitize_utf8(text.get())) : std::string();
  read_words(72.0 / std::max(1, dpi), out);
  recogniser_.Clear();
  return Status::Ok();
}

// The recognised words with their boxes (in points) and confidences, each with the index of the
// text line Tesseract put it on; the lines' median slope is the page's skew.
void OcrEngine::read_words(double points_per_pixel, Reading& out) {
  std::unique_ptr<tesseract::ResultIterator> it(recogniser_.GetIterator());
  if (!it) return;
  std::vector<double> slopes;
  int line = -1;
  // MeanTextConf() is the mean of every word's confidence, truncated, but walks the page twice
  // more to get it: taken on this walk instead.
  long conf_sum = 0, conf_count = 0;
  do {
    conf_sum += static_cast<int>(it->Confidence(tesseract::RIL_WORD));
    ++conf_count;
    if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) {
      ++line;
      int x1, y1, x2, y2;
      if (it->Baseline(tesseract::RIL_TEXTLINE, &x1, &y1, &x2, &y2) && x2 - x1 > 100)
        slopes.push_back(static_cast<double>(y2 - y1) / (x2 - x1));
    }
    std::unique_ptr<char[]> w(it->GetUTF8Text(tesseract::RIL_WORD));
    int l, t, r, b;
    if (!w || !it->BoundingBox(tesseract::RIL_WORD, &l, &t, &r, &b)) continue;
    Word word;
    word.text = sanitize_utf8(w.get());
    if (word.text.find_first_not_of(" \t\n") == std::string::npos) continue;
    if (out.words.size() >= 2 * kMaxLayoutWords) continue;
    word.box = round_box({l * points_per_pixel, t * points_per_pixel, r * points_per_pixel, b * points_per_pixel});
    word.confidence = round_pt(it->Confidence(tesseract::RIL_WORD));
    out.words.push_back(std::move(word));
    out.geometry.line_hint.push_back(line);
  } while (it->Next(tesseract::RIL_WORD));
  out.confidence = conf_count ? static_cast<int>(conf_sum / conf_count) : 0;
  if (!slopes.empty()) {
    std::nth_element(slopes.begin(), slopes.begin() + static_cast<std::ptrdiff_t>(slopes.size() / 2), slopes.end());
    out.geometry.skew_degrees = std::atan(slopes[slopes.size() / 2]) * 180 / M_PI;
  }
}

// Returns the clockwise rotation (0/90/180/270) that makes the page upright, 0 when unsure.
// The OSD engine is made on the first page that needs it: most pages never do (survey()),
// and it holds ~15 MB per thread.
int OcrEngine::detect_rotation(Pix* pix, int dpi) {
  if (!osd_tried_) {
    osd_tried_ = true;
    osd_ok_ = osd_.Init(nullptr, "osd", tesseract::OEM_TESSERACT_ONLY) == 0;
    osd_.SetPageSegMode(tesseract::PSM_OSD_ONLY);
    osd_.SetVariable("debug_file", "/dev/null");
  }
  if (!osd_ok_) return 0;
  osd_.SetImage(pix);
  osd_.SetSourceResolution(dpi);
  int orient_deg = 0;
  float orient_conf = 0, script_conf = 0;
  const char* script = nullptr;
  bool found = osd_.DetectOrientationScript(&orient_deg, &orient_conf, &script, &script_conf);
  osd_.Clear();
  if (!found || orient_conf < kOsdMinConfidence) return 0;
  // Tesseract reports how far the text is turned counter-clockwise; undo it clockwise.
  return (360 - orient_deg % 360) % 360;
}

// Orientation first (Leptonica's cheap test, OSD only when it is unsure),
// then one reading of the upright image at the resolution its small text needs (read_dpi).
// Measured (bench/run_ocr_bench.sh
// pages, 2 of 6 turned, 2 threads): OSD first 15.3 s CPU for the 6 pages; "read as is, OSD only
// when the reading is poor" 18.8 s, because a turned page then costs a wasted reading (~2.5 s,
// and Tesseract reads sideways text slowly) while OSD costs ~0.26 s a page. Reading first would
// win only when fewer than ~1 page in 10 arrives turned; OSD first also bounds a turned page's
// cost. Should OSD turn a page wrongly, the poor reading sends us back to the page as it was.
Status OcrEngine::recognise(Pix* pix, int dpi, double seconds, Page& page, PageGeometry* geometry) {
  Stopwatch clock;
  Survey look = survey(pix, dpi);
  int rotation = look.rotation >= 0 ? look.rotation : detect_rotation(pix, dpi);
  PixPtr upright;
  if (rotation != 0) upright.reset(pixRotateOrth(pix, rotation / 90));  // clockwise by quads × 90°
  if (!upright) rotation = 0;
  // Sideways, the survey measured the letters' widths: measure them again as they will be read.
  if (rotation % 180 != 0) look = survey(upright.get(), dpi, false);
  Pix* read_pix = upright ? upright.get() : pix;
  int read_res = dpi;
  PixPtr smaller;
  if (int fine = read_dpi(look, dpi); fine != dpi && (smaller = scaled_down(read_pix, static_cast<double>(fine) / dpi))) {
    spdlog::debug("OCR: small text {} px at {} DPI, read at {} DPI", look.small_text_px, dpi, fine);
    read_pix = smaller.get();
    read_res = fine;
  }
  Reading best;
  // OSD has no monitor: what it took comes out of the reading's time.
  if (Status st = read(read_pix, read_res, seconds - clock.seconds(), best); !st) return st;
  if (rotation != 0 && best.confidence < kUprightConfidence) {
    Reading as_is;
    if (read(pix, dpi, seconds - clock.seconds(), as_is) && as_is.confidence > best.confidence) {
      best = std::move(as_is);
      rotation = 0;
      read_pix = pix;
      read_res = dpi;
    }
  }
  page.text = std::move(best.text);
  page.ocr = true;
  page.ocr_confidence = best.confidence;
  page.rotation = rotation;
  page.ocr_dpi = read_res;
  page.width = round_pt(pixGetWidth(read_pix) * 72.0 / std::max(1, read_res));
  page.height = round_pt(pixGetHeight(read_pix) * 72.0 / std::max(1, read_res));
  page.words = std::move(best.words);
  if (geometry) *geometry = std::move(best.geometry);
  return Status::Ok();
}

void run_ocr_pool(int n, int threads, const char* language,
                  const std::function<void(int, OcrEngine&)>& work,
                  const std::function<void(const std::string&)>& fail_all) {
  if (n <= 0) return;
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

OcrProgress::OcrProgress(std::string name, int total)
    : name_(std::move(name)), total_(total), tty_(isatty(STDERR_FILENO) == 1) {}

OcrProgress::~OcrProgress() {
  if (tty_ && total_ > 1) std::fprintf(stderr, "\r\033[K");
}

void OcrProgress::tick() {
  std::lock_guard<std::mutex> lock(mu_);
  ++done_;
  if (tty_ && total_ > 1) {
    std::fprintf(stderr, "\r\033[KOCR %s: page %d/%d", name_.c_str(), done_, total_);
    std::fflush(stderr);
  }
}

}  // namespace clee
