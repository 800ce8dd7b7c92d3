// Course dates as a request form states them, read into calendar spans, and what they mean for
// an approval: the year a course is approved for by default, and the dates an approval period
// leaves out. Forms say dates many ways — "March 9-10, 2027", "9 and 16 March 2027",
// "Dec 30, 2026 - Jan 2, 2027", "3/9/2027, 3/16/2027", "2027-03-09", "Tuesday, April 4",
// "March 2027", "Spring 2027" — so the reader is a small tokenizer and a forgiving state machine,
// not a list of formats. Clock times ("0800-1600", "8:00 AM") and hour counts ("16 hours") are
// not dates. A date with no year is placed on the first such day no more than 30 days before the
// reference (the day the packet arrived): providers apply ahead of their courses. Months and
// seasons are spans marked approximate: Spring = March–May, Summer = June–August, Fall/Autumn =
// September–November, Winter YEAR = January–February of YEAR. Pure functions; no I/O.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clee {

struct CivilDate {
  int year = 0, month = 0, day = 0;
  auto operator<=>(const CivilDate&) const = default;
  std::string iso() const;  // "2027-03-09"
};

// "YYYY-MM-DD" (a longer ISO 8601 time after it is ignored); nullopt when it is not a real day.
std::optional<CivilDate> parse_iso_date(std::string_view text);
int days_in_month(int year, int month);

struct DateSpan {
  CivilDate first, last;        // first == last for one day
  bool year_inferred = false;   // the text gave no year
  bool approximate = false;     // a month, a season or a quarter, not days
};

struct CourseDates {
  std::vector<DateSpan> spans;  // in the order the text gives them
  bool empty() const { return spans.empty(); }
  CivilDate earliest() const;  // REQUIRES: !empty()
  CivilDate latest() const;    // REQUIRES: !empty()
};

CourseDates parse_course_dates(std::string_view text, CivilDate reference);

// The year an approval given on `today` is for by default: the year of the earliest course date
// when that is later than today's year (a course held next year is approved for next year),
// else today's year.
int default_approval_year(const CourseDates& dates, CivilDate today);

// Course dates an approval from `from` (the day it is given) through `through` (12/31 of its
// last year) does not cover, one human sentence each ("March 9, 2027 is after the approval
// period, which ends 2026-12-31"). Empty when every date falls inside.
std::vector<std::string> dates_outside(const CourseDates& dates, CivilDate from, CivilDate through);

}  // namespace clee
