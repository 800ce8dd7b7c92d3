// Spreadsheet number formats (xlsx_numfmt.h).
#include "extractors/xlsx_numfmt.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

namespace clee {
namespace {

std::string general(double v) {
  if (std::isnan(v) || std::isinf(v)) return "#NUM!";
  char buf[64];
  double a = std::fabs(v);
  if (v == std::floor(v) && a < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  if (a >= 1e11 || (a > 0 && a < 1e-9)) {
    std::snprintf(buf, sizeof buf, "%.5E", v);
    std::string s = buf;  // "1.20000E+11" → "1.2E+11"
    size_t e = s.find('E');
    size_t last = s.find_last_not_of('0', e - 1);
    if (s[last] == '.') --last;
    return s.substr(0, last + 1) + s.substr(e);
  }
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// Splits a format code into its sections at ';' outside quotes, brackets and escapes.
std::vector<std::string> sections(std::string_view code) {
  std::vector<std::string> out(1);
  bool quote = false, bracket = false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == '\\' && !quote && i + 1 < code.size()) {
      out.back() += code.substr(i, 2);
      ++i;
      continue;
    }
    if (c == '"') quote = !quote;
    else if (!quote && c == '[') bracket = true;
    else if (!quote && c == ']') bracket = false;
    if (c == ';' && !quote && !bracket) {
      out.emplace_back();
      continue;
    }
    out.back() += c;
  }
  return out;
}

// The bracket text of "[...]" at i (without brackets); i moves past it.
std::string bracket_at(std::string_view s, size_t& i) {
  size_t end = s.find(']', i);
  if (end == std::string_view::npos) end = s.size();
  std::string inner(s.substr(i + 1, end - i - 1));
  i = end;
  return inner;
}

bool is_date_format(std::string_view s) {
  bool quote = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"') quote = !quote;
    if (quote) continue;
    if (c == '\\' || c == '_' || c == '*') {
      ++i;
      continue;
    }
    if (c == '[') {
      std::string b = bracket_at(s, i);
      if (!b.empty() && (b[0] == 'h' || b[0] == 'H' || b[0] == 'm' || b[0] == 'M' || b[0] == 's' || b[0] == 'S')) return true;
      continue;
    }
    char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (l == 'y' || l == 'd' || l == 'h' || l == 's' || l == 'm') return true;
    if (l == 'e' && i + 1 < s.size() && (s[i + 1] == '+' || s[i + 1] == '-')) return false;
  }
  return false;
}

struct Civil {
  int y, m, d;
};
// Days since 1970-01-01 → date (Howard Hinnant's algorithm).
Civil civil_from_days(long long z) {
  z += 719468;
  long long era = (z >= 0 ? z : z - 146096) / 146097;
  long long doe = z - era * 146097;
  long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long y = yoe + era * 400;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long long mp = (5 * doy + 2) / 153;
  int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return Civil{static_cast<int>(y + (m <= 2)), m, d};
}

std::string format_date(double v, std::string_view s, bool date1904) {
  static const char* kMonths[] = {"January", "February", "March", "April", "May", "June", "July", "August", "September",
                                  "October", "November", "December"};
  static const char* kDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
  if (v < 0 || v > 2958465) return general(v);  // beyond 9999-12-31
  long long whole = static_cast<long long>(std::floor(v));
  double frac = v - static_cast<double>(whole);
  long long ms = std::llround(frac * 86400000.0);
  if (ms >= 86400000) {
    ++whole;
    ms -= 86400000;
  }
  Civil c{1900, 2, 29};
  long long serial = whole + (date1904 ? 1462 : 0);
  // Serial 25569 is 1970-01-01; Excel counts a 1900-02-29 (serial 60) that never was.
  long long days = serial - (serial < 60 && !date1904 ? 25568 : 25569);
  if (date1904 || serial != 60) c = civil_from_days(days);
  int weekday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday; 0 = Sunday
  long long secs = ms / 1000;
  int hh = static_cast<int>(secs / 3600), mi = static_cast<int>(secs / 60 % 60), ss = static_cast<int>(secs % 60);
  bool ampm = false;
  for (size_t i = 0; i + 1 < s.size(); ++i)
    if ((s[i] == 'A' || s[i] == 'a') && (s[i + 1] == 'M' || s[i + 1] == 'm' || s[i + 1] == '/')) ampm = true;
  std::string out;
  char buf[32];
  bool last_was_hour = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c0 = s[i];
    char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c0)));
    size_t run = 1;
    while (i + run < s.size() && std::tolower(static_cast<unsigned char>(s[i + run])) == l) ++run;
    if (c0 == '"') {
      size_t end = s.find('"', i + 1);
      out += s.substr(i + 1, (end == std::string_view::npos ? s.size() : end) - i - 1);
      i = end == std::string_view::npos ? s.size() : end;
    } else if (c0 == '\\' && i + 1 < s.size()) {
      out += s[++i];
    } else if (c0 == '_' && i + 1 < s.size()) {
      out += ' ';
      ++i;
    } else if (c0 == '*' && i + 1 < s.size()) {
      ++i;
    } else if (c0 == '[') {
      std::string b = bracket_at(s, i);
      char k = b.empty() ? 0 : static_cast<char>(std::tolower(static_cast<unsigned char>(b[0])));
      long long total_s = whole * 86400 + secs;
      if (k == 'h') std::snprintf(buf, sizeof buf, "%0*lld", static_cast<int>(b.size()), total_s / 3600), out += buf;
      else if (k == 'm') std::snprintf(buf, sizeof buf, "%0*lld", static_cast<int>(b.size()), total_s / 60), out += buf;
      else if (k == 's') std::snprintf(buf, sizeof buf, "%0*lld", static_cast<int>(b.size()), total_s), out += buf;
      if (k == 'h') last_was_hour = true;
    } else if (l == 'y') {
      std::snprintf(buf, sizeof buf, run >= 3 ? "%04d" : "%02d", run >= 3 ? c.y : c.y % 100);
      out += buf;
      i += run - 1;
    } else if (l == 'm') {
      // Minutes after an hour or before seconds; months otherwise.
      size_t next = s.find_first_of("sShHyYdD", i + run);
      bool minute = last_was_hour || (next != std::string_view::npos && (s[next] == 's' || s[next] == 'S'));
      if (minute) std::snprintf(buf, sizeof buf, run >= 2 ? "%02d" : "%d", mi), out += buf;
      else if (run == 1) out += std::to_string(c.m);
      else if (run == 2) std::snprintf(buf, sizeof buf, "%02d", c.m), out += buf;
      else if (run == 3) out += std::string(kMonths[c.m - 1]).substr(0, 3);
      else if (run == 4) out += kMonths[c.m - 1];
      else out += kMonths[c.m - 1][0];
      last_was_hour = false;
      i += run - 1;
    } else if (l == 'd') {
      if (run == 1) out += std::to_string(c.d);
      else if (run == 2) std::snprintf(buf, sizeof buf, "%02d", c.d), out += buf;
      else if (run == 3) out += std::string(kDays[weekday]).substr(0, 3);
      else out += kDays[weekday];
      i += run - 1;
    } else if (l == 'h') {
      int h = ampm ? (hh % 12 == 0 ? 12 : hh % 12) : hh;
      std::snprintf(buf, sizeof buf, run >= 2 ? "%02d" : "%d", h);
      out += buf;
      last_was_hour = true;
      i += run - 1;
    } else if (l == 's') {
      std::snprintf(buf, sizeof buf, run >= 2 ? "%02d" : "%d", ss);
      out += buf;
      last_was_hour = false;
      i += run - 1;
    } else if ((c0 == 'A' || c0 == 'a') && s.substr(i, 5).size() == 5 &&
               (s.substr(i, 5) == "AM/PM" || s.substr(i, 5) == "am/pm")) {
      out += hh < 12 ? "AM" : "PM";
      i += 4;
    } else if ((c0 == 'A' || c0 == 'a') && s.substr(i, 3).size() == 3 && s[i + 1] == '/') {
      out += hh < 12 ? "A" : "P";
      i += 2;
    } else if (c0 == '0' && !out.empty() && out.back() != ' ') {
      // fractional seconds ("ss.0"): the dot was copied as a literal
      out += std::to_string((ms % 1000) / 100);
    } else {
      out += c0;
    }
  }
  return out;
}

std::string format_plain_number(double v, std::string_view s) {
  // Split into literal prefix, numeric pattern and literal suffix; brackets and quotes handled.
  std::string prefix, suffix, pattern;
  int percent = 0;
  bool in_pattern = false, after_pattern = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    std::string lit;
    bool literal = true;
    if (c == '"') {
      size_t end = s.find('"', i + 1);
      lit = std::string(s.substr(i + 1, (end == std::string_view::npos ? s.size() : end) - i - 1));
      i = end == std::string_view::npos ? s.size() : end;
    } else if (c == '\\' && i + 1 < s.size()) {
      lit = std::string(1, s[++i]);
    } else if (c == '_' && i + 1 < s.size()) {
      lit = " ";
      ++i;
    } else if (c == '*' && i + 1 < s.size()) {
      ++i;
    } else if (c == '[') {
      std::string b = bracket_at(s, i);
      if (b.size() > 1 && b[0] == '$') lit = b.substr(1, b.find('-') == std::string::npos ? std::string::npos : b.find('-') - 1);
    } else if (c == '%') {
      ++percent;
      lit = "%";
    } else if (c == '0' || c == '#' || c == '?' || ((c == '.' || c == ',') && (in_pattern || (i + 1 < s.size() && std::strchr("0#?", s[i + 1])))) ||
               ((c == 'E' || c == 'e') && in_pattern && i + 1 < s.size() && (s[i + 1] == '+' || s[i + 1] == '-'))) {
      literal = false;
      if (after_pattern) {  // placeholders after a literal inside the number: keep them in the pattern
        pattern += suffix;
        suffix.clear();
        after_pattern = false;
      }
      in_pattern = true;
      pattern += c;
      if (c == 'E' || c == 'e') pattern += s[++i];
    } else if (c == '@') {
      lit = "";
    } else {
      lit = std::string(1, c);
    }
    if (literal) {
      if (in_pattern) {
        in_pattern = false;
        after_pattern = true;
      }
      (pattern.empty() ? prefix : suffix) += lit;
    }
  }
  if (pattern.empty()) return prefix + suffix;
  double a = std::fabs(v) * std::pow(100.0, percent);
  size_t e = pattern.find_first_of("Ee");
  std::string mant = pattern.substr(0, e);
  size_t dot = mant.find('.');
  std::string ipart = mant.substr(0, dot), fpart = dot == std::string::npos ? "" : mant.substr(dot + 1);
  // Trailing commas scale by a thousand each; a comma between placeholders groups thousands.
  int scale = 0;
  while (!ipart.empty() && ipart.back() == ',') {
    ipart.pop_back();
    ++scale;
  }
  a /= std::pow(1000.0, scale);
  bool group = ipart.find(',') != std::string::npos;
  int min_int = 0, decimals = 0, min_dec = 0;
  for (char c : ipart) min_int += c == '0';
  for (char c : fpart)
    if (c == '0' || c == '#' || c == '?') {
      ++decimals;
      if (c == '0') ++min_dec;
    }
  if (!std::isfinite(a)) return "#NUM!";  // a percent or scale pushed it past double
  int exponent = 0;
  if (e != std::string::npos && a != 0) {
    exponent = static_cast<int>(std::floor(std::log10(a)));
    a /= std::pow(10.0, exponent);
  }
  // Half away from zero, as spreadsheets round (printf rounds 2.5 to even).
  double unit = std::pow(10.0, std::min(decimals, 15));
  if (a * unit < 9e15) a = std::round(a * unit) / unit;
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.*f", std::min(decimals, 30), a);
  std::string num = buf;
  std::string ip = num.substr(0, num.find('.')), fp = num.find('.') == std::string::npos ? "" : num.substr(num.find('.') + 1);
  while (static_cast<int>(fp.size()) > min_dec && !fp.empty() && fp.back() == '0') fp.pop_back();
  if (ip == "0" && min_int == 0) ip.clear();
  while (static_cast<int>(ip.size()) < min_int) ip = "0" + ip;
  if (group && ip.size() > 3) {
    std::string g;
    for (size_t k = 0; k < ip.size(); ++k) {
      if (k && (ip.size() - k) % 3 == 0) g += ',';
      g += ip[k];
    }
    ip = g;
  }
  std::string out = ip + (fp.empty() && fpart.empty() ? "" : (fp.empty() ? (decimals ? "." : "") : "." + fp));
  if (!out.empty() && out.back() == '.' && min_dec == 0) out.pop_back();
  if (e != std::string::npos) {
    std::string ex = pattern.substr(e + 2);
    std::snprintf(buf, sizeof buf, "%0*d", static_cast<int>(std::max<size_t>(ex.size(), 1)), std::abs(exponent));
    out += std::string("E") + (exponent < 0 ? "-" : (pattern[e + 1] == '+' ? "+" : "")) + buf;
  }
  return prefix + out + suffix;
}

}  // namespace

std::string builtin_number_format(int id) {
  switch (id) {
    case 0: return "General";
    case 1: return "0";
    case 2: return "0.00";
    case 3: return "#,##0";
    case 4: return "#,##0.00";
    case 9: return "0%";
    case 10: return "0.00%";
    case 11: return "0.00E+00";
    case 12: return "# ?/?";
    case 13: return "# ?" "?/?" "?";
    case 14: return "m/d/yyyy";
    case 15: return "d-mmm-yy";
    case 16: return "d-mmm";
    case 17: return "mmm-yy";
    case 18: return "h:mm AM/PM";
    case 19: return "h:mm:ss AM/PM";
    case 20: return "h:mm";
    case 21: return "h:mm:ss";
    case 22: return "m/d/yyyy h:mm";
    case 37: return "#,##0 ;(#,##0)";
    case 38: return "#,##0 ;[Red](#,##0)";
    case 39: return "#,##0.00;(#,##0.00)";
    case 40: return "#,##0.00;[Red](#,##0.00)";
    case 45: return "mm:ss";
    case 46: return "[h]:mm:ss";
    case 47: return "mmss.0";
    case 48: return "##0.0E+0";
    case 49: return "@";
    default: return "";
  }
}

std::string format_number(double v, std::string_view code, bool date1904) {
  if (code.empty() || code == "General" || code == "general") return general(v);
  if (std::isnan(v) || std::isinf(v)) return "#NUM!";
  std::vector<std::string> sec = sections(code);
  std::string s = sec[0];
  bool negative_section = false;
  if (v < 0 && sec.size() >= 2) {
    s = sec[1];
    negative_section = true;
  } else if (v == 0 && sec.size() >= 3) {
    s = sec[2];
  }
  if (s.find('?') != std::string::npos && s.find('/') != std::string::npos) return general(v);  // fractions
  if (s == "General" || s.empty()) return s.empty() ? "" : general(v);
  if (is_date_format(s)) return format_date(v, s, date1904);
  std::string out = format_plain_number(v, s);
  if (v < 0 && !negative_section) {
    bool nonzero = out.find_first_of("123456789") != std::string::npos;
    if (nonzero) out = "-" + out;
  }
  return out;
}

}  // namespace clee
