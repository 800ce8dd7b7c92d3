#include "pipeline/dates.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace clee {
namespace {

enum class Kind { kMonth, kSeason, kQuarter, kNumber, kYear, kDate, kRange, kList, kOther };

struct Token {
  Kind kind = Kind::kOther;
  int a = 0, b = 0, c = 0;  // month | season | quarter | number | year | date (y, m, d; y 0 = none)
};

// A date as far as the text has told it: a zero field is not known yet.
struct Partial {
  int year = 0, month = 0, day = 0;
  int season = 0;   // 1 spring, 2 summer, 3 fall, 4 winter
  int quarter = 0;  // 1..4
  bool year_backfilled = false;
};

struct Item {
  Partial a;
  std::optional<Partial> b;  // the end of a range
};

const char* kMonthNames[] = {"january", "february", "march",     "april",   "may",      "june",
                             "july",    "august",   "september", "october", "november", "december"};

int month_of(const std::string& w) {
  if (w == "sept") return 9;
  for (int i = 0; i < 12; ++i) {
    std::string full = kMonthNames[i];
    if (w == full || (w.size() == 3 && full.compare(0, 3, w) == 0)) return i + 1;
  }
  return 0;
}

int season_of(const std::string& w) {
  if (w == "spring") return 1;
  if (w == "summer") return 2;
  if (w == "fall" || w == "autumn") return 3;
  if (w == "winter") return 4;
  return 0;
}

bool is_year(int n) { return n >= 2000 && n <= 2099; }

// "0800-1600" and "1300 - 1700" are clock ranges, unless both ends could be years ("2026-2027").
bool clock_range(int x, int y) {
  auto clock = [](int v) { return v / 100 <= 24 && v % 100 < 60; };
  return clock(x) && clock(y) && !(is_year(x) && is_year(y));
}

class Tokenizer {
 public:
  explicit Tokenizer(std::string_view text) {
    for (char ch : text) s_.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  }

  std::vector<Token> run() {
    while (i_ < s_.size()) {
      unsigned char ch = static_cast<unsigned char>(s_[i_]);
      if (std::isdigit(ch)) number();
      else if (std::isalpha(ch)) word();
      else punct();
    }
    return out_;
  }

 private:
  // Digits with what follows them: a numeric date (3/9/2027, 2027-03-09, 3/9), a clock time or
  // range (skipped), an hour count (skipped), a year, or a day number ("9", "9th").
  void number() {
    std::vector<int> parts;
    std::vector<size_t> widths;
    char sep = 0;
    while (true) {
      size_t j = i_;
      while (j < s_.size() && std::isdigit(static_cast<unsigned char>(s_[j])) && j - i_ < 6) ++j;
      parts.push_back(std::atoi(s_.substr(i_, j - i_).c_str()));
      widths.push_back(j - i_);
      i_ = j;
      if (parts.size() < 3 && i_ + 1 < s_.size() && (s_[i_] == '/' || s_[i_] == '-' || s_[i_] == '.') &&
          (sep == 0 || sep == s_[i_]) && std::isdigit(static_cast<unsigned char>(s_[i_ + 1])) &&
          !(s_[i_] == '-' && parts.size() == 1 && widths[0] <= 2)) {  // "9-10" is a range of days
        sep = s_[i_];
        ++i_;
        continue;
      }
      break;
    }
    if (i_ < s_.size() && s_[i_] == ':') return skip_time();
    if (parts.size() == 3) return numeric_date(parts, widths);
    if (parts.size() == 2 && sep == '/') {
      if (parts[0] >= 1 && parts[0] <= 12 && parts[1] >= 1 && parts[1] <= 31) emit({Kind::kDate, 0, parts[0], parts[1]});
      return;
    }
    if (parts.size() == 2) {  // "0800-1600" or "2026-2027"
      if (!clock_range(parts[0], parts[1])) {
        emit_number(parts[0], widths[0]);
        emit({Kind::kRange});
        emit_number(parts[1], widths[1]);
      }
      return;
    }
    // One number: an hour count and a clock range with spaces ("0800 - 1600") are skipped.
    size_t j = i_;
    while (j < s_.size() && s_[j] == ' ') ++j;
    std::string rest = s_.substr(j, 6);
    if (rest.rfind("hour", 0) == 0 || rest.rfind("hr", 0) == 0 || rest.rfind("am", 0) == 0 || rest.rfind("pm", 0) == 0 ||
        rest.rfind("a.m", 0) == 0 || rest.rfind("p.m", 0) == 0 || rest.rfind("credit", 0) == 0 || rest.rfind("day", 0) == 0)
      return;
    if (widths[0] == 4 && !is_year(parts[0])) return;  // a clock time like 0800
    if (widths[0] == 4 && j < s_.size() && (s_[j] == '-' || s_[j] == '\xe2')) {
      size_t k = j + (s_[j] == '-' ? 1 : 3);
      while (k < s_.size() && s_[k] == ' ') ++k;
      size_t e = k;
      while (e < s_.size() && std::isdigit(static_cast<unsigned char>(s_[e]))) ++e;
      if (e - k == 4 && clock_range(parts[0], std::atoi(s_.substr(k, 4).c_str()))) {
        i_ = e;
        return;
      }
    }
    emit_number(parts[0], widths[0]);
    if (s_.compare(i_, 2, "st") == 0 || s_.compare(i_, 2, "nd") == 0 || s_.compare(i_, 2, "rd") == 0 ||
        s_.compare(i_, 2, "th") == 0)
      i_ += 2;
  }

  void numeric_date(const std::vector<int>& p, const std::vector<size_t>& w) {
    int y, m, d;
    if (w[0] == 4) y = p[0], m = p[1], d = p[2];  // 2027-03-09
    else {
      m = p[0], d = p[1], y = p[2];                // US order: 3/9/2027, 03/09/27
      if (w[2] == 2) y += 2000;
    }
    if (is_year(y) && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m)) emit({Kind::kDate, y, m, d});
  }

  void emit_number(int n, size_t width) {
    if (width == 4 && is_year(n)) emit({Kind::kYear, n});
    else if (width <= 2 && n >= 1 && n <= 31) emit({Kind::kNumber, n});
    else emit({Kind::kOther});
  }

  void skip_time() {
    while (i_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i_])) || s_[i_] == ':')) ++i_;
    size_t j = i_;
    while (j < s_.size() && s_[j] == ' ') ++j;
    if (s_.compare(j, 2, "am") == 0 || s_.compare(j, 2, "pm") == 0) i_ = j + 2;
    else if (s_.compare(j, 3, "a.m") == 0 || s_.compare(j, 3, "p.m") == 0) i_ = j + 3;
    // The end of a time range ("8:00 - 4:30") is a time too: drop the dash before it.
    j = i_;
    while (j < s_.size() && s_[j] == ' ') ++j;
    if (j < s_.size() && s_[j] == '-') {
      size_t k = j + 1;
      while (k < s_.size() && s_[k] == ' ') ++k;
      size_t e = k;
      while (e < s_.size() && std::isdigit(static_cast<unsigned char>(s_[e]))) ++e;
      if (e > k && e < s_.size() && s_[e] == ':') {
        i_ = e;
        skip_time();
      }
    }
  }

  void word() {
    size_t j = i_;
    while (j < s_.size() && std::isalpha(static_cast<unsigned char>(s_[j]))) ++j;
    std::string w = s_.substr(i_, j - i_);
    i_ = j;
    if (i_ < s_.size() && s_[i_] == '.') ++i_;  // "Sept." "Mar."
    if (int m = month_of(w)) return emit({Kind::kMonth, m});
    if (int s = season_of(w)) return emit({Kind::kSeason, s});
    if (w.size() == 1 && w[0] == 'q' && i_ < s_.size() && s_[i_] >= '1' && s_[i_] <= '4') {
      emit({Kind::kQuarter, s_[i_] - '0'});
      ++i_;
      return;
    }
    if (w == "to" || w == "through" || w == "thru" || w == "until" || w == "till") return emit({Kind::kRange});
    if (w == "and" || w == "or") return emit({Kind::kList});
    // Weekdays, "from", "on", "of", "the" carry nothing; anything else ends a range in progress.
    constexpr size_t kWeekdayWords = 17;  // the first entries of kQuiet
    static const char* kQuiet[] = {"mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu", "thur", "thurs",
                                   "thursday", "fri", "friday", "sat", "saturday", "sun", "sunday", "from", "on",
                                   "of", "the", "beginning", "starting", "begins", "dates", "date", "day", "days"};
    for (size_t k = 0; k < sizeof kQuiet / sizeof *kQuiet; ++k) {
      if (w != kQuiet[k]) continue;
      // "to Wednesday, September 15": the comma after a weekday separates nothing.
      if (k < kWeekdayWords && i_ < s_.size() && s_[i_] == ',') ++i_;
      return;
    }
    emit({Kind::kOther});
  }

  void punct() {
    unsigned char ch = static_cast<unsigned char>(s_[i_]);
    // En and em dashes (UTF-8 E2 80 93 / E2 80 94) are ranges like '-'.
    if (ch == 0xE2 && s_.compare(i_, 3, "\xe2\x80\x93") == 0) {
      i_ += 3;
      return emit({Kind::kRange});
    }
    if (ch == 0xE2 && s_.compare(i_, 3, "\xe2\x80\x94") == 0) {
      i_ += 3;
      return emit({Kind::kRange});
    }
    ++i_;
    if (ch == '-') return emit({Kind::kRange});
    if (ch == ',' || ch == ';' || ch == '&' || ch == '/' || ch == '\n' || ch == '+') return emit({Kind::kList});
  }

  // A comma between a day and its year ("March 9, 2027") is a list token too: harmless, since a
  // year applies to every date before it anyway.
  void emit(Token t) { out_.push_back(t); }

  std::string s_;
  size_t i_ = 0;
  std::vector<Token> out_;
};

// Reads the tokens into items. Days before their month ("9-10 March") wait for it; a year
// applies to every date since the previous year.
class Reader {
 public:
  explicit Reader(const std::vector<Token>& toks) : toks_(toks) {
    for (size_t i = 0; i + 1 < toks.size(); ++i) {
      if (toks[i].kind == Kind::kNumber && toks[i + 1].kind == Kind::kMonth) day_first_ = true;
      if (toks[i].kind == Kind::kMonth && toks[i + 1].kind == Kind::kNumber) month_first_ = true;
    }
    if (month_first_) day_first_ = false;
  }

  std::vector<Item> run() {
    for (size_t i = 0; i < toks_.size(); ++i) step(toks_[i], i);
    return std::move(items_);
  }

 private:
  void add(Partial p) {
    if (range_open_ && !items_.empty() && !items_.back().b) items_.back().b = p;
    else items_.push_back({p, std::nullopt});
    range_open_ = false;
  }

  Partial& at(std::pair<size_t, bool> where) { return where.second ? *items_[where.first].b : items_[where.first].a; }

  void step(const Token& t, size_t i) {
    Kind prev = i ? toks_[i - 1].kind : Kind::kOther;
    switch (t.kind) {
      case Kind::kMonth:
        month_ = t.a;
        if (day_first_ && !waiting_.empty()) {
          for (auto where : waiting_) at(where).month = t.a;
          waiting_.clear();
          range_open_ = false;
          return;
        }
        add(Partial{0, t.a, 0, 0, 0, false});
        month_only_ = index_of_last();
        since_year_.push_back(index_of_last());
        return;
      case Kind::kNumber: {
        if (month_only_ && prev == Kind::kMonth) {
          at(*month_only_).day = t.a;
          month_only_.reset();
          return;
        }
        month_only_.reset();
        if (!day_first_ && month_ == 0) return;  // a number with no month near it is no date
        add(Partial{0, day_first_ ? 0 : month_, t.a, 0, 0, false});
        since_year_.push_back(index_of_last());
        if (day_first_) waiting_.push_back(index_of_last());
        return;
      }
      case Kind::kDate:
        month_only_.reset();
        month_ = t.b;
        add(Partial{t.a, t.b, t.c, 0, 0, false});
        if (t.a == 0) since_year_.push_back(index_of_last());
        return;
      case Kind::kSeason:
      case Kind::kQuarter: {
        month_only_.reset();
        Partial p;
        (t.kind == Kind::kSeason ? p.season : p.quarter) = t.a;
        add(p);
        since_year_.push_back(index_of_last());
        return;
      }
      case Kind::kYear:
        month_only_.reset();
        for (auto where : since_year_) {
          Partial& p = at(where);
          if (p.year == 0) p.year = t.a, p.year_backfilled = true;
        }
        since_year_.clear();
        return;
      case Kind::kRange:
        if (!items_.empty() && !items_.back().b) range_open_ = true;
        return;
      case Kind::kList:
        range_open_ = false;
        return;
      case Kind::kOther:
        range_open_ = false;
        month_only_.reset();
        return;
    }
  }

  std::pair<size_t, bool> index_of_last() const { return {items_.size() - 1, items_.back().b.has_value()}; }

  const std::vector<Token>& toks_;
  std::vector<Item> items_;
  std::vector<std::pair<size_t, bool>> since_year_;  // partials without a year since the last one
  std::vector<std::pair<size_t, bool>> waiting_;     // day-first days waiting for their month
  std::optional<std::pair<size_t, bool>> month_only_;  // a month still open to its day ("March" … "9")
  bool range_open_ = false;
  bool day_first_ = false, month_first_ = false;
  int month_ = 0;
};

// First and last day a partial stands for; nullopt when it is not a real date.
std::optional<DateSpan> bounds(const Partial& p, int year) {
  DateSpan s;
  if (p.season) {
    static const int kFrom[] = {0, 3, 6, 9, 1}, kTo[] = {0, 5, 8, 11, 2};
    s.first = {year, kFrom[p.season], 1};
    s.last = {year, kTo[p.season], days_in_month(year, kTo[p.season])};
    s.approximate = true;
    return s;
  }
  if (p.quarter) {
    int from = 3 * p.quarter - 2, to = 3 * p.quarter;
    s.first = {year, from, 1};
    s.last = {year, to, days_in_month(year, to)};
    s.approximate = true;
    return s;
  }
  if (p.month < 1 || p.month > 12) return std::nullopt;
  if (p.day == 0) {
    s.first = {year, p.month, 1};
    s.last = {year, p.month, days_in_month(year, p.month)};
    s.approximate = true;
    return s;
  }
  if (p.day > days_in_month(year, p.month)) return std::nullopt;
  s.first = s.last = {year, p.month, p.day};
  return s;
}

// The year for a date the text gave none: the first such day no earlier than 30 days before
// the reference.
int infer_year(const Partial& p, CivilDate reference) {
  for (int y = reference.year - 1; y <= reference.year + 1; ++y) {
    auto b = bounds(p, y);
    if (!b) continue;
    CivilDate cut = reference;
    cut.day -= 30;
    while (cut.day < 1) {
      if (--cut.month < 1) cut.month = 12, --cut.year;
      cut.day += days_in_month(cut.year, cut.month);
    }
    if (b->last >= cut) return y;
  }
  return reference.year;
}

std::string pretty(const CivilDate& d) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s %d, %d", kMonthNames[d.month - 1], d.day, d.year);
  std::string s = buf;
  s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

}  // namespace

std::string CivilDate::iso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

int days_in_month(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

std::optional<CivilDate> parse_iso_date(std::string_view t) {
  if (t.size() < 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(t[i]))) return std::nullopt;
  CivilDate d{std::atoi(std::string(t.substr(0, 4)).c_str()), std::atoi(std::string(t.substr(5, 2)).c_str()),
              std::atoi(std::string(t.substr(8, 2)).c_str())};
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > days_in_month(d.year, d.month)) return std::nullopt;
  return d;
}

CivilDate CourseDates::earliest() const {
  CivilDate d = spans.front().first;
  for (const auto& s : spans) d = std::min(d, s.first);
  return d;
}

CivilDate CourseDates::latest() const {
  CivilDate d = spans.front().last;
  for (const auto& s : spans) d = std::max(d, s.last);
  return d;
}

CourseDates parse_course_dates(std::string_view text, CivilDate reference) {
  CourseDates out;
  if (text.size() > 4000) text = text.substr(0, 4000);  // a form field, not a document
  for (Item& item : Reader(Tokenizer(text).run()).run()) {
    if (item.b) {
      if (item.b->month == 0) item.b->month = item.a.month;  // "March 9-10"
      if (item.a.year == 0) item.a.year = item.b->year;
      if (item.b->year == 0) item.b->year = item.a.year;
    }
    bool inferred = item.a.year == 0;
    if (inferred && (item.a.season || item.a.quarter)) continue;  // "Spring" alone is too vague
    int ya = inferred ? infer_year(item.a, reference) : item.a.year;
    auto first = bounds(item.a, ya);
    if (!first) continue;
    DateSpan span = *first;
    span.year_inferred = inferred;
    if (item.b) {
      int yb = item.b->year == 0 || inferred ? ya : item.b->year;
      auto last = bounds(*item.b, yb);
      if (!last) continue;
      if (last->last < span.first && last->last.year == ya) {
        // "Dec 30 - Jan 2, 2027": the year written once belongs to the end.
        if (item.a.year_backfilled || inferred) {
          if (inferred) last = bounds(*item.b, ya + 1);
          else if (auto again = bounds(item.a, ya - 1)) span.first = again->first;
        }
      }
      if (!last || last->last < span.first) continue;
      span.last = last->last;
      span.approximate = span.approximate || last->approximate;
    }
    out.spans.push_back(span);
  }
  return out;
}

int default_approval_year(const CourseDates& dates, CivilDate today) {
  if (dates.empty()) return today.year;
  return std::max(today.year, dates.earliest().year);
}

std::vector<std::string> dates_outside(const CourseDates& dates, CivilDate from, CivilDate through) {
  std::vector<std::string> out;
  for (const auto& s : dates.spans) {
    std::string what = s.first == s.last ? pretty(s.first) : pretty(s.first) + " to " + pretty(s.last);
    if (s.approximate && s.first.day == 1) what = "the period " + what;
    if (s.last < from)
      out.push_back(what + " is before the approval, given " + from.iso());
    else if (s.first > through)
      out.push_back(what + " is after the approval period, which ends " + through.iso());
    else if (s.last > through)
      out.push_back(what + " runs past the approval period, which ends " + through.iso());
    else if (s.first < from && !s.approximate)
      out.push_back(what + " begins before the approval, given " + from.iso());
  }
  return out;
}

}  // namespace clee
