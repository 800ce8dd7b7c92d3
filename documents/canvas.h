// A small drawing surface over cairo's PDF backend and pango, for the documents in this folder:
// US Letter pages, plain-text layout with wrapping, lines and shaded boxes. Internal to
// documents/. RAII for every cairo/pango handle; text is made valid UTF-8, stripped of control
// characters and bounded before pango sees it.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"

typedef struct _cairo cairo_t;
typedef struct _cairo_surface cairo_surface_t;

namespace clee::documents {

class Canvas {
 public:
  static constexpr double kWidth = 612, kHeight = 792, kMargin = 48;  // points (US Letter)
  enum class Align { kLeft, kCenter, kRight };

  // `title` and `date` ("YYYY-MM-DD") go into the PDF's metadata.
  static Result<std::unique_ptr<Canvas>> open(const std::string& title, const std::string& date);
  ~Canvas();

  // Lays `text` out `width` points wide in `font` ("Sans Bold 14"); draws it with its top at
  // (x, y) unless `measure_only`. Returns its height.
  double text(double x, double y, double width, const std::string& text, const char* font,
              Align align = Align::kLeft, bool measure_only = false);
  void line(double x0, double y0, double x1, double y1, double width = 0.6);
  void box(double x, double y, double w, double h, double width = 0.6);
  void shade(double x, double y, double w, double h, double gray);
  void new_page();
  int page() const { return page_; }
  // Ends the document and returns its bytes.
  Result<std::string> finish();

 private:
  Canvas() = default;
  std::string bytes_;
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
  int page_ = 1;
  bool finished_ = false;
};

// Text as pango may take it: valid UTF-8, no control characters but newlines, at most `max` bytes.
std::string clean_text(const std::string& s, size_t max = 2000);

}  // namespace clee::documents
