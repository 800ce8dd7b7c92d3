// The course outline: its title, its blocks with hours (table rows, "Block 3 – Scene Evidence
// (2 hours)", "0800-1000 Topic", "Day 1 Topic .... 8 hours"), the total (stated, else summed;
// meals and breaks earn no credit) and the objectives.
#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include "pipeline/labels.h"
#include "pipeline/text.h"
#include "pipeline/understand.h"

namespace clee {
namespace {

bool blank(std::string_view v) { return text::normalise(v).empty(); }

// Title text without bullets, dot leaders and trailing separators.
std::string tidy_title(std::string t) {
  t = strip_numbering(t);
  for (size_t p; (p = t.find("..")) != std::string::npos;) {
    size_t e = t.find_first_not_of(". ", p);
    t.replace(p, (e == std::string::npos ? t.size() : e) - p, " ");
  }
  t = text::squash(t);
  return text::trim_punct(t, "-:(,|.");
}

// "0800-1000", "8:00 AM - 10:00 AM", "1:00-5:00 PM", "1300 – 1700 hrs" → hours between.
std::optional<double> time_range(const std::string& s, size_t* pos = nullptr, size_t* len = nullptr) {
  static const std::regex re(
      R"((\d{1,2}):?(\d{2})\s*([ap]\.?m\.?)?\s*(?:-|–|—|to)\s*(\d{1,2}):?(\d{2})\s*([ap]\.?m\.?)?)", std::regex::icase);
  std::smatch m;
  if (!std::regex_search(s, m, re)) return std::nullopt;
  auto hour = [](const std::string& h, const std::string& mi, const std::string& ap) {
    double v = std::stoi(h) + std::stoi(mi) / 60.0;
    if (!ap.empty() && std::tolower(static_cast<unsigned char>(ap[0])) == 'p' && v < 12) v += 12;
    if (!ap.empty() && std::tolower(static_cast<unsigned char>(ap[0])) == 'a' && v >= 12) v -= 12;
    return v;
  };
  std::string ap1 = m.str(3), ap2 = m.str(6);
  if (ap1.empty()) ap1 = ap2.empty() ? "" : (std::stoi(m.str(1)) <= std::stoi(m.str(4)) ? ap2 : "");
  double a = hour(m.str(1), m.str(2), ap1), b = hour(m.str(4), m.str(5), ap2);
  if (b < a && ap2.empty() && b + 12 > a && b < 12) b += 12;  // "12:00-1:00", "11:00-3:00"
  if (std::stoi(m.str(2)) >= 60 || std::stoi(m.str(5)) >= 60 || a >= 24 || b > 24 || b <= a || b - a > 12)
    return std::nullopt;
  if (pos) *pos = static_cast<size_t>(m.position(0));
  if (len) *len = static_cast<size_t>(m.length(0));
  return b - a;
}

struct Builder {
  Outline& o;
  const RulePack& rules;
  int hours_col = -1;         // column headed "Hours" in a schedule table
  bool hours_heading = false; // a "Topic ... Hours" heading line: rows below end in their hours

  static bool hours_word(const std::string& cell) {
    std::string n = text::normalise(cell);
    return n == "hours" || n == "hrs" || n == "hour" || n == "credit hours" || n == "clock hours" || n == "duration" ||
           n == "length" || n == "time hrs" || n == "hours allotted" || n == "contact hours";
  }

  bool excluded(const std::string& title) const {
    std::string low = text::lower(title);
    return std::any_of(rules.excluded_blocks.begin(), rules.excluded_blocks.end(),
                       [&](const std::string& w) { return text::contains_phrase(low, text::lower(w)); });
  }
  void block(const std::string& raw_title, double hours) {
    std::string title = tidy_title(raw_title);
    std::string n = text::normalise(title);
    if (n.rfind("total", 0) == 0 || n.find(" total") != std::string::npos) {
      o.total_hours = hours;
      return;
    }
    if (title.size() < 3 || hours <= 0 || hours > 80 || excluded(title)) return;
    o.blocks.push_back({title, hours});
  }

  // A table row: the hours are a short numeric cell or a time range, the title the longest text.
  void row(const std::vector<std::string>& cells) {
    for (size_t c = 0; c < cells.size(); ++c)
      if (hours_word(cells[c])) {
        hours_col = static_cast<int>(c);
        return;
      }
    std::optional<double> hours;
    std::string title;
    bool total = false;
    static const std::regex num(R"(^(\d+(?:\.\d+)?)\s*(?:hours?|hrs?\.?|h)?$)", std::regex::icase);
    static const std::regex day(R"(^(day|week|session|block|module|unit)?\s*\d+[.)]?$)", std::regex::icase);
    for (size_t i = 0; i < cells.size(); ++i) {
      std::string c = text::trim(cells[i]);
      if (c.empty()) continue;
      if (text::normalise(c).rfind("total", 0) == 0) total = true;
      std::smatch m;
      // Hours: the "Hours" column when there is one, else a clock range, else the last number
      // (a leading number is the block's index).
      if (hours_col >= 0 && static_cast<int>(i) == hours_col && std::regex_match(c, m, num)) {
        hours = std::stod(m.str(1));
        continue;
      }
      if (auto tr = time_range(c); tr && c.size() <= 24 && !hours) {
        hours = tr;
        continue;
      }
      if (std::regex_match(c, m, num)) {
        if (hours_col < 0 && (!hours || i + 1 == cells.size())) hours = std::stod(m.str(1));
        continue;
      }
      if (c.size() > title.size() && !std::regex_match(c, day)) title = c;
    }
    if (!hours) return;
    if (total) title = "Total";
    if (!title.empty()) block(title, *hours);
  }

  void line(const std::string& raw) {
    std::string t = text::squash(raw);
    if (t.empty() || t.size() > 160) return;
    std::string low = text::lower(t);
    static const std::regex total_re(R"(\btotal\b[^0-9]{0,40}?(\d+(?:\.\d+)?))", std::regex::icase);
    std::smatch m;
    if (low.find("hour") != std::string::npos || low.find("hrs") != std::string::npos) {
      if (std::regex_search(t, m, total_re)) {
        o.total_hours = std::stod(m.str(1));
        return;
      }
    }
    // Hours at the end ("Topic (2 hours)", "Topic .... 8 hours") or the start ("2 hrs – Topic").
    static const std::regex end_re(R"(^(.*?)[\s(\-–:,.]*(\d+(?:\.\d+)?)\s*(?:hours?|hrs?\.?|h)\s*\)?\.?$)", std::regex::icase);
    static const std::regex start_re(R"(^\(?(\d+(?:\.\d+)?)\s*(?:hours?|hrs?\.?)\)?\s*[-–:]?\s*(.+)$)", std::regex::icase);
    if (std::regex_match(t, m, end_re) && m.str(1).size() > 2) {
      std::string title = m.str(1);
      if (text::normalise(title).find("credit") == std::string::npos && text::words(title).size() <= 16)
        block(title, std::stod(m.str(2)));
      return;
    }
    if (std::regex_match(t, m, start_re)) {
      block(m.str(2), std::stod(m.str(1)));
      return;
    }
    // Under a "Block  Topic  Hours" heading (text without tabs): "3 Momentum analysis 4".
    static const std::regex heading_re(R"(\b(hours?|hrs)\s*$)", std::regex::icase);
    static const std::regex row_re(R"(^(?:\d{1,2}[.)]?\s+)?(.*?[A-Za-z].*?)\s+(\d{1,2}(?:\.\d+)?)$)");
    if (t.size() < 60 && std::regex_search(t, heading_re) && text::words(t).size() <= 6) {
      hours_heading = true;
      return;
    }
    if (hours_heading && std::regex_match(t, m, row_re)) {
      block(m.str(1), std::stod(m.str(2)));
      return;
    }
    size_t pos = 0, len = 0;
    if (auto tr = time_range(t, &pos, &len); tr && t.size() < 120) {
      std::string after = text::trim(t.substr(pos + len)), before = text::trim(t.substr(0, pos));
      block(after.size() >= 3 ? after : before, *tr);
    }
  }
};

bool heading_like(const std::string& t) {
  if (t.empty() || t.size() > 60 || t.back() == '.') return false;
  auto ws = text::words(t);
  if (ws.empty() || ws.size() > 6) return false;
  static const std::set<std::string> kSections = {"schedule", "agenda", "evaluation", "outline", "methods", "method",
                                                  "materials", "references", "purpose", "scope", "description",
                                                  "overview", "topics", "prerequisites", "instructor", "instructors",
                                                  "assessment", "testing", "content", "modules", "units", "course"};
  if (kSections.count(ws.front())) return true;
  int caps = 0, total = 0;
  size_t pos = 0;
  while (pos < t.size()) {
    size_t sp = t.find(' ', pos);
    if (sp == std::string::npos) sp = t.size();
    std::string w = t.substr(pos, sp - pos);
    pos = sp + 1;
    if (w.size() <= 3 && std::islower(static_cast<unsigned char>(w[0]))) continue;  // "of", "and"
    ++total;
    caps += std::isupper(static_cast<unsigned char>(w[0])) ? 1 : 0;
  }
  return total > 0 && caps == total;
}

}  // namespace

Outline extract_outline(const UnderstoodDocument& ud, const RulePack& rules) {
  Outline o;
  o.document = ud.name;
  static const std::set<std::string> kGeneric = {"course outline", "outline", "lesson plan", "syllabus", "course syllabus",
                                                 "training outline", "course agenda", "agenda", "curriculum"};
  LabelIndex index(rules);
  // Title: a labelled title, else the first line that isn't a generic heading.
  for (const auto& p : ud.doc.pages) {
    for (const auto& line : text::lines(p.text)) {
      size_t colon = line.find(':');
      if (colon == std::string::npos || blank(line.substr(colon + 1))) continue;
      if (index.match(line.substr(0, colon)).field == "course_title") {
        o.title = text::squash(line.substr(colon + 1));
        break;
      }
    }
    if (o.title) break;
  }
  if (!o.title && !ud.doc.pages.empty()) {
    for (const auto& line : text::lines(ud.doc.pages.front().text)) {
      std::string t = tidy_title(line);
      for (std::string_view q : {"‘", "’", "“", "”", "'", "\"", "|"})
        while (t.rfind(q, 0) == 0) t = text::trim(t.substr(q.size()));
      std::string n = text::normalise(t);
      if (t.size() < 4 || kGeneric.count(n)) continue;
      // "Advanced Latent Print Comparison - Course Outline", "Course Outline: Advanced ..." → the
      // part that names the course.
      std::string low = text::lower(t);
      for (const auto& g : kGeneric) {
        std::string head = g.substr(0, g.find(' '));
        if (n.size() > g.size() && n.compare(n.size() - g.size(), g.size(), g) == 0) {
          size_t at = low.rfind(head);
          if (at != std::string::npos && at > 3) t = tidy_title(t.substr(0, at));
          break;
        }
        if (n.size() > g.size() + 3 && n.compare(0, g.size() + 1, g + " ") == 0) {
          size_t at = low.find(g.substr(g.rfind(' ') == std::string::npos ? 0 : g.rfind(' ') + 1));
          if (at != std::string::npos) {
            std::string rest = t.substr(at + g.size() - (g.rfind(' ') == std::string::npos ? 0 : g.rfind(' ') + 1));
            t = text::trim(rest);
            t = text::trim_punct(t, ":-|");
          }
          break;
        }
      }
      o.title = t;
      break;
    }
  }
  Builder b{o, rules};
  bool tables = !ud.doc.tables.empty();
  for (const auto& t : ud.doc.tables)
    for (const auto& row : t.rows) b.row(row);
  for (const auto& p : ud.doc.pages) {
    for (const auto& line : text::lines(p.text)) {
      if (line.find('\t') != std::string::npos) {
        if (tables) continue;  // the same rows as Document::tables
        std::vector<std::string> cells;
        size_t pos = 0;
        while (pos <= line.size()) {
          size_t tab = line.find('\t', pos);
          if (tab == std::string::npos) tab = line.size();
          cells.push_back(line.substr(pos, tab - pos));
          pos = tab + 1;
        }
        size_t before = o.blocks.size();
        auto had_total = o.total_hours;
        b.row(cells);
        if (o.blocks.size() != before || o.total_hours != had_total) continue;
      }
      b.line(line);
    }
  }
  if (!o.total_hours && !o.blocks.empty()) {
    double sum = 0;
    for (const auto& blk : o.blocks) sum += blk.hours.value_or(0);
    o.total_hours = sum;
  }
  // Objectives: list items (or sentences) in a section whose heading mentions objectives.
  bool in_objectives = false;
  static const std::regex list_item(R"(^\s*(?:\d{1,2}[.)]|[a-z][.)]|[•\-\*–▪◦])\s*(.+))");
  for (const auto& p : ud.doc.pages) {
    for (const auto& line : text::lines(p.text)) {
      std::string t = text::trim(line);
      if (t.empty()) continue;
      std::string low = text::lower(t);
      std::smatch m;
      bool item = std::regex_search(t, m, list_item);
      std::string bare = text::normalise(t);
      if (t.size() < 60 && low.find("objective") != std::string::npos && bare.find(' ') == std::string::npos) {
        in_objectives = true;  // "- Objectives ." from OCR
        continue;
      }
      if (!item && t.size() < 60 && low.find("objective") != std::string::npos && t.back() != '.') {
        in_objectives = true;
        continue;
      }
      if (in_objectives && !item && heading_like(t) && low.find("participant") == std::string::npos &&
          low.find("student") == std::string::npos) {
        in_objectives = false;
        continue;
      }
      if (!in_objectives || o.objectives.size() >= 40) continue;
      static const std::regex ends_in_hours(R"(\d\s*(hours?|hrs?)\.?\)?$)", std::regex::icase);
      if (std::regex_search(t, ends_in_hours)) {  // the schedule has begun
        in_objectives = false;
        continue;
      }
      if (item) o.objectives.push_back(text::squash(m.str(1)));
      else if (t.size() > 20 && t.back() != ':')
        o.objectives.push_back(text::squash(t));
    }
  }
  return o;
}

}  // namespace clee
