// The Approved CLEE Courses document: CLEE ID, course title, credit hours and contact, current
// courses only, as a printable PDF.
#include "documents/canvas.h"
#include "documents/documents.h"

namespace clee::documents {
namespace {

constexpr double kLeft = Canvas::kMargin, kRight = Canvas::kWidth - Canvas::kMargin;
constexpr double kBottom = Canvas::kHeight - Canvas::kMargin - 18;
const double kWidths[] = {100, 186, 36, 130};  // CLEE ID, title, hours, contact; expires takes the rest
const char* kHeads[] = {"CLEE ID", "Course title", "Hours", "Contact", "Expires"};

double width_of(int i) {
  double used = 0;
  for (double w : kWidths) used += w;
  return i < 4 ? kWidths[i] : kRight - kLeft - used;
}

std::string contact_text(const CatalogEntry& e) {
  std::string s = e.contact;
  for (const std::string* part : {&e.contact_email, &e.contact_phone, &e.provider})
    if (!part->empty()) s += (s.empty() ? "" : "\n") + *part;
  return s;
}

double row(Canvas& c, double y, const std::string (&cells)[5], const char* font, bool measure, double gray = -1) {
  double h = 0;
  for (int i = 0; i < 5; ++i) h = std::max(h, c.text(0, 0, width_of(i) - 8, cells[i], font, Canvas::Align::kLeft, true));
  h += 8;
  if (measure) return h;
  if (gray >= 0) c.shade(kLeft, y, kRight - kLeft, h, gray);
  double x = kLeft;
  for (int i = 0; i < 5; ++i) {
    c.text(x + 4, y + 4, width_of(i) - 8, cells[i], font);
    c.box(x, y, width_of(i), h, 0.4);
    x += width_of(i);
  }
  return h;
}

void footer(Canvas& c, const CatalogInfo& info) {
  c.text(kLeft, Canvas::kHeight - Canvas::kMargin, kRight - kLeft,
         "Approved CLEE Courses · as of " + info.as_of + " · page " + std::to_string(c.page()), "Sans 7",
         Canvas::Align::kRight);
}

}  // namespace

Result<std::string> catalog_pdf(const CatalogInfo& info) {
  auto canvas = Canvas::open("Approved CLEE Courses " + info.as_of, info.as_of);
  if (!canvas) return canvas.error();
  Canvas& c = **canvas;
  const std::string heads[5] = {kHeads[0], kHeads[1], kHeads[2], kHeads[3], kHeads[4]};
  double y = Canvas::kMargin;
  y += c.text(kLeft, y, kRight - kLeft, (info.jurisdiction.empty() ? "" : info.jurisdiction + " — ") + std::string("Approved CLEE Courses"),
              "Sans Bold 16") + 4;
  y += c.text(kLeft, y, kRight - kLeft,
              "As of " + info.as_of + " · " + std::to_string(info.rows.size()) +
                  " course(s). Expired courses are removed; check this document often. For a course's details call or "
                  "email its contact.",
              "Sans 8.5") + 10;
  y += row(c, y, heads, "Sans Bold 8", false, 0.9);
  if (info.rows.empty()) c.text(kLeft, y + 8, kRight - kLeft, "No approved course is current.", "Sans 10");
  for (const auto& e : info.rows) {
    const std::string cells[5] = {e.clee_id, e.title, e.hours, contact_text(e), e.expires_on};
    double h = row(c, y, cells, "Sans 8.5", true);
    if (y + h > kBottom) {
      footer(c, info);
      c.new_page();
      y = Canvas::kMargin;
      y += row(c, y, heads, "Sans Bold 8", false, 0.9);
    }
    y += row(c, y, cells, "Sans 8.5", false);
  }
  footer(c, info);
  return c.finish();
}

}  // namespace clee::documents
