// Course dates from request forms: the ways providers write them, what is not a date, the year
// an approval is for by default, and the dates an approval period leaves out.
#include "pipeline/dates.h"

#include <gtest/gtest.h>

namespace clee {
namespace {

const CivilDate kDec1{2026, 12, 1};

// "first..last[~][?]" per span, joined by " "; "~" approximate, "?" year inferred.
std::string spans(std::string_view text, CivilDate ref = kDec1) {
  std::string out;
  for (const auto& s : parse_course_dates(text, ref).spans) {
    if (!out.empty()) out += " ";
    out += s.first.iso();
    if (s.last != s.first) out += ".." + s.last.iso();
    if (s.approximate) out += "~";
    if (s.year_inferred) out += "?";
  }
  return out;
}

TEST(Dates, OneDayAndRanges) {
  EXPECT_EQ(spans("April 4, 2027"), "2027-04-04");
  EXPECT_EQ(spans("March 9-10, 2027"), "2027-03-09..2027-03-10");
  EXPECT_EQ(spans("July 12 \xe2\x80\x93 14, 2027"), "2027-07-12..2027-07-14");
  EXPECT_EQ(spans("March 30 - April 2, 2027"), "2027-03-30..2027-04-02");
  EXPECT_EQ(spans("Dec 30, 2026 - Jan 2, 2027"), "2026-12-30..2027-01-02");
  EXPECT_EQ(spans("Dec. 30 through Jan. 2, 2027"), "2026-12-30..2027-01-02");
  EXPECT_EQ(spans("Tuesday, September 14th to Wednesday, September 15th, 2027"), "2027-09-14..2027-09-15");
  EXPECT_EQ(spans("9-10 March 2027"), "2027-03-09..2027-03-10");
  EXPECT_EQ(spans("14 Sept 2027"), "2027-09-14");
}

TEST(Dates, Lists) {
  EXPECT_EQ(spans("March 9, 16 and 23, 2027"), "2027-03-09 2027-03-16 2027-03-23");
  EXPECT_EQ(spans("March 9, 2027; April 13, 2027 & May 11, 2027"), "2027-03-09 2027-04-13 2027-05-11");
  EXPECT_EQ(spans("9 and 16 March 2027"), "2027-03-09 2027-03-16");
  EXPECT_EQ(spans("Feb 2, 2027\nMarch 3, 2027"), "2027-02-02 2027-03-03");
}

TEST(Dates, Numeric) {
  EXPECT_EQ(spans("3/9/2027"), "2027-03-09");
  EXPECT_EQ(spans("03/09/27, 03/16/27"), "2027-03-09 2027-03-16");
  EXPECT_EQ(spans("2027-03-09 to 2027-03-10"), "2027-03-09..2027-03-10");
  EXPECT_EQ(spans("3/9-3/10/2027"), "2027-03-09..2027-03-10");
  EXPECT_EQ(spans("2/30/2027"), "");  // no such day
}

TEST(Dates, MonthsSeasonsQuarters) {
  EXPECT_EQ(spans("Spring 2027"), "2027-03-01..2027-05-31~");
  EXPECT_EQ(spans("Fall 2027"), "2027-09-01..2027-11-30~");
  EXPECT_EQ(spans("Autumn 2027"), "2027-09-01..2027-11-30~");
  EXPECT_EQ(spans("Winter 2028"), "2028-01-01..2028-02-29~");
  EXPECT_EQ(spans("March 2027"), "2027-03-01..2027-03-31~");
  EXPECT_EQ(spans("March - May 2027"), "2027-03-01..2027-05-31~");
  EXPECT_EQ(spans("Q2 2027"), "2027-04-01..2027-06-30~");
  EXPECT_EQ(spans("Fall 2026 - Spring 2027"), "2026-09-01..2027-05-31~");
}

TEST(Dates, TimesAndHoursAreNotDates) {
  EXPECT_EQ(spans("March 9, 2027 0800-1600"), "2027-03-09");
  EXPECT_EQ(spans("March 9, 2027, 0800 - 1600 hrs"), "2027-03-09");
  EXPECT_EQ(spans("March 9, 2027 8:00 AM - 4:30 PM"), "2027-03-09");
  EXPECT_EQ(spans("March 9, 2027 (8 hours), 2 days"), "2027-03-09");
  EXPECT_EQ(spans("1200-2000 on 4/4/2027"), "2027-04-04");
  EXPECT_EQ(spans("TBD"), "");
  EXPECT_EQ(spans("Ongoing, monthly"), "");
  EXPECT_EQ(spans("Room 12, 16 seats"), "");
}

TEST(Dates, MissingYearIsTheNextSuchDay) {
  // Applied for on 1 Dec 2026: "April 4" is next April; "Dec 15" this December.
  EXPECT_EQ(spans("April 4"), "2027-04-04?");
  EXPECT_EQ(spans("December 15-16"), "2026-12-15..2026-12-16?");
  EXPECT_EQ(spans("Dec 30 - Jan 2"), "2026-12-30..2027-01-02?");
  EXPECT_EQ(spans("Spring"), "");  // a season with no year is too vague
  // A course a week ago (a late application) keeps its year.
  EXPECT_EQ(spans("November 24", kDec1), "2026-11-24?");
}

TEST(Dates, Bounded) {
  std::string long_text(100000, '9');
  EXPECT_TRUE(parse_course_dates(long_text, kDec1).empty());
  std::string many;
  for (int i = 0; i < 2000; ++i) many += "March 9, ";
  EXPECT_LE(parse_course_dates(many, kDec1).spans.size(), 1000u);
}

TEST(Dates, ApprovalYearFollowsTheCourse) {
  // The case: approving on 1 Dec 2026 a course held in March 2027.
  EXPECT_EQ(default_approval_year(parse_course_dates("March 9-10, 2027", kDec1), kDec1), 2027);
  EXPECT_EQ(default_approval_year(parse_course_dates("December 15, 2026", kDec1), kDec1), 2026);
  EXPECT_EQ(default_approval_year(parse_course_dates("", kDec1), kDec1), 2026);
  // Earliest date decides: a course starting this year and running into next.
  EXPECT_EQ(default_approval_year(parse_course_dates("Dec 14, 2026; Jan 11, 2027", kDec1), kDec1), 2026);
  // A past date (a late application) never approves for a past year.
  EXPECT_EQ(default_approval_year(parse_course_dates("May 5, 2025", kDec1), kDec1), 2026);
}

TEST(Dates, DatesOutsideThePeriod) {
  auto d = parse_course_dates("March 9, 2027; Jan 11, 2028", kDec1);
  EXPECT_EQ(dates_outside(d, kDec1, {2028, 12, 31}), std::vector<std::string>{});
  auto w = dates_outside(d, kDec1, {2027, 12, 31});
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0], "January 11, 2028 is after the approval period, which ends 2027-12-31");
  auto before = dates_outside(parse_course_dates("March 9-10, 2027", kDec1), kDec1, {2026, 12, 31});
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0], "March 9, 2027 to March 10, 2027 is after the approval period, which ends 2026-12-31");
  auto past = dates_outside(parse_course_dates("November 2, 2026", kDec1), kDec1, {2026, 12, 31});
  ASSERT_EQ(past.size(), 1u);
  EXPECT_EQ(past[0], "November 2, 2026 is before the approval, given 2026-12-01");
  auto across = dates_outside(parse_course_dates("Dec 30, 2027 - Jan 2, 2028", kDec1), kDec1, {2027, 12, 31});
  ASSERT_EQ(across.size(), 1u);
  EXPECT_NE(across[0].find("runs past the approval period"), std::string::npos);
}

TEST(Dates, IsoDates) {
  EXPECT_EQ(parse_iso_date("2026-12-01T10:00:00Z")->iso(), "2026-12-01");
  EXPECT_FALSE(parse_iso_date("2026-02-30"));
  EXPECT_FALSE(parse_iso_date("12/01/2026"));
  EXPECT_EQ(days_in_month(2028, 2), 29);
  EXPECT_EQ(days_in_month(2100, 2), 28);
}

}  // namespace
}  // namespace clee
