// The office's printable documents as PDF, drawn with cairo and laid out with pango (wrapping,
// any script the fonts cover): the CLEE roster a provider receives with an approval — ONLY Act
// 120 certified officers are to be recorded on it, with the course's dates and place from the
// request form — and the Approved CLEE Courses document beside its CSV and HTML forms. Text is
// always laid out as plain text (never pango markup), so a course title can hold any character.
// The output is reproducible: the PDF's dates come from the inputs, not the clock.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace clee::documents {

struct RosterInfo {
  std::string office_name;       // "Pennsylvania MPOETC"
  std::string clee_id, title, provider, hours;
  std::string course_dates;      // as the form states them ("March 9-10, 2027"), "" = not stated
  std::string location;          // "" = not stated
  std::string instructors;       // "A. Miller, B. Chen"
  std::string approved_through;  // "2027-12-31"
  std::string issued_on;         // "2026-12-01": the PDF's creation date
  int rows = 30;                 // lines for officers (1..500)
};

struct CatalogEntry {
  std::string clee_id, title, hours, contact, contact_email, contact_phone, provider, expires_on;
};

struct CatalogInfo {
  std::string jurisdiction;
  std::string as_of;  // "2026-12-01"
  std::vector<CatalogEntry> rows;
};

Result<std::string> roster_pdf(const RosterInfo& info);
Result<std::string> catalog_pdf(const CatalogInfo& info);

}  // namespace clee::documents
