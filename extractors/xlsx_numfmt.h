// Spreadsheet number formats (ECMA-376 18.8.30 numFmt; Excel's format codes): a cell's number as
// the sheet shows it, so "7.5" hours, "$1,250.00", "45%", "10/01/2026" and "09:30" read as the
// provider typed them rather than as 7.5000000001 or the date serial 46296.
//
// Handles sections (positive;negative;zero;text), literals ("text", \x, _x, *x), [Color] and
// [$sym-locale] brackets, digit placeholders (0 # ?), thousands separators and scaling commas,
// percent, scientific notation, dates and times (y m d h m s, AM/PM, elapsed [h]/[mm]/[ss], the
// 1900 leap-year bug and the 1904 date system) and Excel's General. Fractions (# ?/?) read as
// General. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace clee {

// The format code of a built-in number format id (0 = General, 14 = m/d/yyyy...); "" when the id
// is not built in.
std::string builtin_number_format(int id);

// Formats `value` with format code `code` ("General" or "" for General).
std::string format_number(double value, std::string_view code, bool date1904 = false);

}  // namespace clee
