#include "documents/canvas.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib.h>
#include <pango/pangocairo.h>

namespace clee::documents {
namespace {

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

struct LayoutUnref {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};
struct FontFree {
  void operator()(PangoFontDescription* f) const { pango_font_description_free(f); }
};

}  // namespace

std::string clean_text(const std::string& s, size_t max) {
  std::string in = s.substr(0, max * 2);
  gchar* valid = g_utf8_make_valid(in.c_str(), static_cast<gssize>(in.size()));
  std::string out;
  for (const char* p = valid; *p; ++p) {
    unsigned char c = static_cast<unsigned char>(*p);
    if (c == '\n') out.push_back('\n');
    else if (c < 0x20 || c == 0x7f) out.push_back(' ');
    else out.push_back(*p);
  }
  g_free(valid);
  if (out.size() > max) {
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out = out.substr(0, cut) + "…";
  }
  return out;
}

Result<std::unique_ptr<Canvas>> Canvas::open(const std::string& title, const std::string& date) {
  std::unique_ptr<Canvas> c(new Canvas());
  c->surface_ = cairo_pdf_surface_create_for_stream(append, &c->bytes_, kWidth, kHeight);
  if (cairo_surface_status(c->surface_) != CAIRO_STATUS_SUCCESS)
    return Error{Code::kInternal, std::string("cairo: ") + cairo_status_to_string(cairo_surface_status(c->surface_))};
  cairo_pdf_surface_set_metadata(c->surface_, CAIRO_PDF_METADATA_TITLE, clean_text(title, 200).c_str());
  cairo_pdf_surface_set_metadata(c->surface_, CAIRO_PDF_METADATA_CREATOR, "clee-intake");
  if (date.size() == 10) {
    std::string when = date + "T00:00:00Z";  // reproducible: the document's date, not the clock
    cairo_pdf_surface_set_metadata(c->surface_, CAIRO_PDF_METADATA_CREATE_DATE, when.c_str());
    cairo_pdf_surface_set_metadata(c->surface_, CAIRO_PDF_METADATA_MOD_DATE, when.c_str());
  }
  c->cr_ = cairo_create(c->surface_);
  cairo_set_source_rgb(c->cr_, 0, 0, 0);
  return c;
}

Canvas::~Canvas() {
  if (cr_) cairo_destroy(cr_);
  if (surface_) cairo_surface_destroy(surface_);
}

double Canvas::text(double x, double y, double width, const std::string& text, const char* font, Align align,
                    bool measure_only) {
  std::unique_ptr<PangoLayout, LayoutUnref> layout(pango_cairo_create_layout(cr_));
  // Points are points: pango's default of 96 dpi would draw "Sans 10" a third larger.
  pango_cairo_context_set_resolution(pango_layout_get_context(layout.get()), 72);
  pango_layout_context_changed(layout.get());
  std::unique_ptr<PangoFontDescription, FontFree> desc(pango_font_description_from_string(font));
  pango_layout_set_font_description(layout.get(), desc.get());
  pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(layout.get(), align == Align::kCenter  ? PANGO_ALIGN_CENTER
                                           : align == Align::kRight ? PANGO_ALIGN_RIGHT
                                                                    : PANGO_ALIGN_LEFT);
  std::string t = clean_text(text);
  pango_layout_set_text(layout.get(), t.c_str(), static_cast<int>(t.size()));  // plain text, never markup
  int w = 0, h = 0;
  pango_layout_get_size(layout.get(), &w, &h);
  if (!measure_only) {
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, layout.get());
  }
  return static_cast<double>(h) / PANGO_SCALE;
}

void Canvas::line(double x0, double y0, double x1, double y1, double width) {
  cairo_set_line_width(cr_, width);
  cairo_move_to(cr_, x0, y0);
  cairo_line_to(cr_, x1, y1);
  cairo_stroke(cr_);
}

void Canvas::box(double x, double y, double w, double h, double width) {
  cairo_set_line_width(cr_, width);
  cairo_rectangle(cr_, x, y, w, h);
  cairo_stroke(cr_);
}

void Canvas::shade(double x, double y, double w, double h, double gray) {
  cairo_save(cr_);
  cairo_set_source_rgb(cr_, gray, gray, gray);
  cairo_rectangle(cr_, x, y, w, h);
  cairo_fill(cr_);
  cairo_restore(cr_);
}

void Canvas::new_page() {
  cairo_show_page(cr_);
  ++page_;
}

Result<std::string> Canvas::finish() {
  if (!finished_) {
    cairo_show_page(cr_);
    cairo_destroy(cr_);
    cr_ = nullptr;
    cairo_surface_finish(surface_);
    finished_ = true;
  }
  cairo_status_t st = cairo_surface_status(surface_);
  if (st != CAIRO_STATUS_SUCCESS) return Error{Code::kInternal, std::string("cairo: ") + cairo_status_to_string(st)};
  return bytes_;
}

}  // namespace clee::documents
