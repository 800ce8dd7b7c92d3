// The Tesseract side of OCR: one engine per worker thread, a small page pool, terminal progress.
//
// An OcrEngine owns a recogniser (LSTM, the document's language) and an orientation detector
// (OSD), is created once per worker thread and reused for every page that thread takes; it is not
// thread-safe. run_ocr_pool() hands page indices to up to N workers, each with its own engine.
// OpenMP inside Tesseract must be off (OMP_THREAD_LIMIT=1 in the environment when libgomp loads,
// which app/main.cpp arranges by re-executing itself): its default threading spins 2 cores against
// our page parallelism and turns ~1 s/page into ~7 s/page on this machine.
#pragma once

#include <tesseract/baseapi.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <string>

#include "extractors/document.h"
#include "extractors/layout.h"
#include "extractors/ocr_page_image.h"

namespace clee {

class OcrEngine {
 public:
  explicit OcrEngine(const char* language);
  ~OcrEngine();
  OcrEngine(const OcrEngine&) = delete;
  OcrEngine& operator=(const OcrEngine&) = delete;

  bool ok() const { return ok_; }

  // Recognises `pix` at `dpi`, upright first when needed, within `seconds` of wall time; fills
  // page.text, ocr, ocr_confidence and rotation (degrees turned clockwise to read it), and the
  // page's size and words in points (pixels × 72 / dpi, the upright image's axes), with what the
  // layout needs beyond them (Tesseract's text lines, the lines' slope) in `geometry`.
  Status recognise(Pix* pix, int dpi, double seconds, Page& page, PageGeometry* geometry = nullptr);

 private:
  struct Reading {
    std::string text;
    int confidence = 0;
    std::vector<Word> words;
    PageGeometry geometry;
  };
  void read_words(double points_per_pixel, Reading& out);
  Status read(Pix* pix, int dpi, double seconds, Reading& out);
  int detect_rotation(Pix* pix, int dpi);

  tesseract::TessBaseAPI recogniser_;
  tesseract::TessBaseAPI osd_;
  bool ok_ = false;
  bool osd_ok_ = false;
};

// Runs work(i, engine) for every i in [0, n) on up to `threads` workers (0 = all cores), each
// worker with its own OcrEngine. When no engine can be made, calls fail_all(message) once.
void run_ocr_pool(int n, int threads, const char* language,
                  const std::function<void(int, OcrEngine&)>& work,
                  const std::function<void(const std::string&)>& fail_all);

// "OCR name: page 3/12" on one updating stderr line, only when stderr is a terminal.
class OcrProgress {
 public:
  OcrProgress(std::string name, int total);
  ~OcrProgress();
  OcrProgress(const OcrProgress&) = delete;
  OcrProgress& operator=(const OcrProgress&) = delete;
  void tick();

 private:
  std::string name_;
  int total_;
  bool tty_;
  int done_ = 0;
  std::mutex mu_;
};

}  // namespace clee
