// One document's wall-time budget (Limits::max_seconds), shared by every engine that works on the
// document: Poppler polls it through its abort-check callback and through the guard around each
// content stream (pdf.cpp), Tesseract gets the time left as its monitor deadline, and the OCR
// page loop checks it before each page. When it has passed, each engine stops where it is and the
// Document keeps what was read, with Code::kLimitExceeded "time limit N s (read M of K pages)".
//
// Thread-safe: OCR worker threads poll one Deadline together.
#pragma once

#include <atomic>
#include <string>

#include "base/status.h"
#include "extractors/util.h"

namespace clee {

class Deadline {
 public:
  explicit Deadline(double seconds) : limit_(seconds) {}
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  // True once the budget is spent (and from then on).
  bool passed() {
    if (!hit_.load(std::memory_order_relaxed) && clock_.seconds() >= limit_) hit_ = true;
    return hit_.load(std::memory_order_relaxed);
  }
  // True when passed() has been seen true: the work stopped early because of the time.
  bool hit() const { return hit_.load(std::memory_order_relaxed); }
  // Marks the budget spent: an engine that ran out of time on its own clock (Tesseract's monitor).
  void expire() { hit_ = true; }
  double left() const { return limit_ - clock_.seconds(); }
  double limit() const { return limit_; }

  // For Poppler's `bool (*abortCheckCbk)(void*)`, with this Deadline as the data.
  static bool poppler_abort_check(void* deadline) { return static_cast<Deadline*>(deadline)->passed(); }

 private:
  Stopwatch clock_;
  double limit_;
  std::atomic<bool> hit_{false};
};

// "12" for 12.0, "0.5" for 0.5: limits as the operator wrote them.
inline std::string seconds_text(double s) {
  std::string t = std::to_string(s);
  t.erase(t.find_last_not_of('0') + 1);
  if (!t.empty() && t.back() == '.') t.pop_back();
  return t;
}

// The error a document carries when its time ran out after `read` of `total` pages.
inline Error time_limit_error(double limit, int read, int total) {
  return Error{Code::kLimitExceeded, "time limit " + seconds_text(limit) + " s (read " + std::to_string(read) +
                                         " of " + std::to_string(total) + " pages)"};
}

}  // namespace clee
