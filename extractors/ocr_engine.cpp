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
// a page OSD turned is read again as it was, in case OSD was wrong.
constexpr int kUprightConfidence = 60;
// OSD's own confidence below this is noise (sparse pages, pictures): keep the page as it is.
constexpr float kOsdMinConfidence = 2.0f;

}  // namespace

OcrEngine::OcrEngine(const char* language) {
  ok_ = recogniser_.Init(nullptr, language, tesseract::OEM_LSTM_ONLY) == 0;
  recogniser_.SetPageSegMode(tesseract::PSM_AUTO);
  recogniser_.SetVariable("debug_file", "/dev/null");
  osd_ok_ = osd_.Init(nullptr, "osd", tesseract::OEM_TESSERACT_ONLY) == 0;
  osd_.SetPageSegMode(tesseract::PSM_OSD_ONLY);
  osd_.SetVariable("debug_file", "/dev/null");
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
  out.confidence = std::max(0, recogniser_.MeanTextConf());
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
  do {
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
    word.box = round_box({l * points_per_pixel, t * points_per_pixel, r * points_per_pixel, b * points_per_pixel});
    word.confidence = round_pt(it->Confidence(tesseract::RIL_WORD));
    out.words.push_back(std::move(word));
    out.geometry.line_hint.push_back(line);
  } while (out.words.size() < 2 * kMaxLayoutWords && it->Next(tesseract::RIL_WORD));
  if (!slopes.empty()) {
    std::nth_element(slopes.begin(), slopes.begin() + static_cast<std::ptrdiff_t>(slopes.size() / 2), slopes.end());
    out.geometry.skew_degrees = std::atan(slopes[slopes.size() / 2]) * 180 / M_PI;
  }
}

// Returns the clockwise rotation (0/90/180/270) that makes the page upright, 0 when unsure.
int OcrEngine::detect_rotation(Pix* pix, int dpi) {
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

// Orientation first, then one reading of the upright image. Measured (bench/run_ocr_bench.sh
// pages, 2 of 6 turned, 2 threads): OSD first 15.3 s CPU for the 6 pages; "read as is, OSD only
// when the reading is poor" 18.8 s, because a turned page then costs a wasted reading (~2.5 s,
// and Tesseract reads sideways text slowly) while OSD costs ~0.26 s a page. Reading first would
// win only when fewer than ~1 page in 10 arrives turned; OSD first also bounds a turned page's
// cost. Should OSD turn a page wrongly, the poor reading sends us back to the page as it was.
Status OcrEngine::recognise(Pix* pix, int dpi, double seconds, Page& page, PageGeometry* geometry) {
  Stopwatch clock;
  int rotation = detect_rotation(pix, dpi);
  PixPtr upright;
  if (rotation != 0) upright.reset(pixRotateOrth(pix, rotation / 90));  // clockwise by quads × 90°
  if (!upright) rotation = 0;
  Reading best;
  // OSD has no monitor: what it took comes out of the reading's time.
  if (Status st = read(upright ? upright.get() : pix, dpi, seconds - clock.seconds(), best); !st) return st;
  if (rotation != 0 && best.confidence < kUprightConfidence) {
    Reading as_is;
    if (read(pix, dpi, seconds - clock.seconds(), as_is) && as_is.confidence > best.confidence) {
      best = std::move(as_is);
      rotation = 0;
    }
  }
  Pix* shown = rotation != 0 && upright ? upright.get() : pix;
  page.text = std::move(best.text);
  page.ocr = true;
  page.ocr_confidence = best.confidence;
  page.rotation = rotation;
  page.width = round_pt(pixGetWidth(shown) * 72.0 / std::max(1, dpi));
  page.height = round_pt(pixGetHeight(shown) * 72.0 / std::max(1, dpi));
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
