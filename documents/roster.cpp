// The CLEE roster: who attended an approved course, for Act 120 certified officers only.
#include "documents/canvas.h"
#include "documents/documents.h"

namespace clee::documents {
namespace {

constexpr double kLeft = Canvas::kMargin, kRight = Canvas::kWidth - Canvas::kMargin;
constexpr double kBottom = Canvas::kHeight - Canvas::kMargin - 18;  // room for the footer
constexpr double kRowHeight = 22;
const double kColumns[] = {26, 168, 120, 104};  // #, name, certification, department; signature takes the rest
const char* kHeads[] = {"#", "Officer name (print)", "Act 120 certification / TACS ID", "Department", "Signature"};

std::string or_not_stated(const std::string& s) { return s.empty() ? "not stated on the request form" : s; }

void footer(Canvas& c, const RosterInfo& r) {
  c.text(kLeft, Canvas::kHeight - Canvas::kMargin, kRight - kLeft,
         "CLEE Roster · " + r.clee_id + " · page " + std::to_string(c.page()), "Sans 7", Canvas::Align::kRight);
}

double table_head(Canvas& c, double y) {
  double h = kRowHeight, x = kLeft;
  for (int i = 0; i < 5; ++i) {
    double w = i < 4 ? kColumns[i] : kRight - x;
    h = std::max(h, c.text(x + 3, y + 5, w - 6, kHeads[i], "Sans Bold 8", Canvas::Align::kLeft, true) + 10);
    x += w;
  }
  c.shade(kLeft, y, kRight - kLeft, h, 0.9);
  x = kLeft;
  for (int i = 0; i < 5; ++i) {
    double w = i < 4 ? kColumns[i] : kRight - x;
    c.text(x + 3, y + 5, w - 6, kHeads[i], "Sans Bold 8");
    c.box(x, y, w, h);
    x += w;
  }
  return y + h;
}

void table_row(Canvas& c, double y, int n) {
  double x = kLeft;
  for (int i = 0; i < 5; ++i) {
    double w = i < 4 ? kColumns[i] : kRight - x;
    c.box(x, y, w, kRowHeight, 0.4);
    if (i == 0) c.text(x + 3, y + 6, w - 6, std::to_string(n), "Sans 8", Canvas::Align::kRight);
    x += w;
  }
}

// The course block: label and value per line, values wrapped.
double course_block(Canvas& c, const RosterInfo& r, double y) {
  const std::pair<const char*, std::string> rows[] = {
      {"CLEE ID", r.clee_id},
      {"Course title", r.title},
      {"Credit hours", r.hours},
      {"Training provider", r.provider},
      {"Course date(s)", or_not_stated(r.course_dates)},
      {"Location", or_not_stated(r.location)},
      {"Instructor(s)", r.instructors},
      {"Approved through", r.approved_through},
  };
  const double label_w = 132, value_x = kLeft + label_w;
  for (const auto& [label, value] : rows) {
    double h = std::max(c.text(value_x + 4, y + 4, kRight - value_x - 8, value, "Sans 10", Canvas::Align::kLeft, true),
                        12.0) + 8;
    c.shade(kLeft, y, label_w, h, 0.94);
    c.text(kLeft + 4, y + 4, label_w - 8, label, "Sans Bold 9");
    c.text(value_x + 4, y + 4, kRight - value_x - 8, value, "Sans 10");
    c.box(kLeft, y, kRight - kLeft, h, 0.4);
    y += h;
  }
  return y;
}

}  // namespace

Result<std::string> roster_pdf(const RosterInfo& r) {
  if (r.rows < 1 || r.rows > 500) return Error{Code::kUsage, "a roster has 1 to 500 lines"};
  auto canvas = Canvas::open("CLEE Roster " + r.clee_id, r.issued_on);
  if (!canvas) return canvas.error();
  Canvas& c = **canvas;
  double y = Canvas::kMargin;
  c.text(kLeft, y, kRight - kLeft, r.office_name, "Sans 9", Canvas::Align::kRight);
  y += c.text(kLeft, y, kRight - kLeft, "CLEE Roster", "Sans Bold 20") + 6;
  double banner = c.text(kLeft + 8, y + 6, kRight - kLeft - 16, "For Act 120 certified officers ONLY", "Sans Bold 12",
                         Canvas::Align::kCenter, true) + 12;
  c.shade(kLeft, y, kRight - kLeft, banner, 0.85);
  c.text(kLeft + 8, y + 6, kRight - kLeft - 16, "For Act 120 certified officers ONLY", "Sans Bold 12", Canvas::Align::kCenter);
  y += banner + 6;
  y += c.text(kLeft, y, kRight - kLeft,
              "Record on this roster only Act 120 certified officers who completed the course. The training provider "
              "keeps the signed roster to verify attendance if " + (r.office_name.empty() ? std::string("the office") : r.office_name) +
                  " or a police chief asks. Departments credit officers in TACS with the CLEE ID below.",
              "Sans 9") + 8;
  y = course_block(c, r, y) + 14;
  y = table_head(c, y);
  for (int n = 1; n <= r.rows; ++n) {
    if (y + kRowHeight > kBottom) {
      footer(c, r);
      c.new_page();
      y = Canvas::kMargin;
      y += c.text(kLeft, y, kRight - kLeft, "CLEE Roster " + r.clee_id + " — " + r.title + " (continued) · Act 120 certified officers only",
                  "Sans Bold 9") + 8;
      y = table_head(c, y);
    }
    table_row(c, y, n);
    y += kRowHeight;
  }
  if (y + 60 > kBottom) {
    footer(c, r);
    c.new_page();
    y = Canvas::kMargin;
  }
  y += 22;
  c.text(kLeft, y, kRight - kLeft,
         "Instructor / training coordinator: ______________________________   Signature: ____________________   Date: __________",
         "Sans 8.5");
  footer(c, r);
  return c.finish();
}

}  // namespace clee::documents
