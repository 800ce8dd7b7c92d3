// Tesseract engines, the per-thread page pool and the progress line (see ocr_engine.h).
#include "extractors/ocr_engine.h"

#include <spdlog/spdlog.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

#include "extractors/util.h"

namespace clee {
namespace {

// A page read upright by LSTM scores well above this; sideways or upside-down text read as if it
// were upright scores far below it (measured on the fixtures: see README, OCR notes). Only pages
// under it pay for orientation detection.
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
    return Error{errc::kLimitExceeded,
                 "OCR did not finish within " + std::to_string(static_cast<int>(seconds)) + " s"};
  }
  std::unique_ptr<char[]> text(recogniser_.GetUTF8Text());
  out.text = text ? tidy_text(sanitize_utf8(text.get())) : std::string();
  out.confidence = std::max(0, recogniser_.MeanTextConf());
  out.sideways = mostly_vertical_lines();
  recogniser_.Clear();
  return Status::Ok();
}

// Tesseract's layout analysis finds sideways text by itself and reads it turned, with a good
// confidence: then most text lines are taller than wide. True for such a page.
bool OcrEngine::mostly_vertical_lines() {
  std::unique_ptr<tesseract::ResultIterator> it(recogniser_.GetIterator());
  if (!it) return false;
  long long vertical = 0, horizontal = 0;
  do {
    int l = 0, t = 0, r = 0, b = 0;
    if (!it->BoundingBox(tesseract::RIL_TEXTLINE, &l, &t, &r, &b)) continue;
    long long w = r - l, h = b - t;
    (h > 2 * w ? vertical : horizontal) += w * h;
  } while (it->Next(tesseract::RIL_TEXTLINE));
  return vertical > horizontal;
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

// Most scans arrive upright, and OSD costs ~60% of a dense page's recognition (0.3 s vs 0.5 s
// CPU, measured on fixtures/docs/scan_dense_300dpi.pdf), so the page is read as it is first. Only
// a poor reading pays for OSD and, when OSD finds the page turned, a second reading of the turned
// image; the better of the two wins. A sideways page Tesseract already read well (its layout
// analysis turns vertical text lines) pays OSD only to record the turn.
Status OcrEngine::recognise(Pix* pix, int dpi, double seconds, Page& page) {
  Stopwatch clock;
  Reading first;
  if (Status st = read(pix, dpi, seconds, first); !st) return st;
  int rotation = 0;
  if (first.sideways && first.confidence >= kUprightConfidence) {
    int turn = detect_rotation(pix, dpi);
    if (turn == 90 || turn == 270) rotation = turn;
  } else if (first.confidence < kUprightConfidence) {
    int turn = detect_rotation(pix, dpi);
    if (turn != 0) {
      PixPtr upright(pixRotateOrth(pix, turn / 90));  // clockwise by quads × 90°
      Reading second;
      if (upright && read(upright.get(), dpi, seconds - clock.seconds(), second) &&
          second.confidence > first.confidence) {
        first = std::move(second);
        rotation = turn;
      }
    }
  }
  page.text = std::move(first.text);
  page.ocr = true;
  page.ocr_confidence = first.confidence;
  page.rotation = rotation;
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
