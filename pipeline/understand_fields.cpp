// Request-form fields, whatever the form's style. One mechanism: candidates (label, value, page,
// region) from every source go through the rule pack's labels, and each field keeps the best
// (synonym over fuzzy over word match; then by source). The sources, most trusted first:
// fillable PDF fields by name; the key/value pairs the extractors read by layout (a label and the
// value beside or below it, wrapped lines kept; a widget and the text beside it; DOCX cells and
// "Label: value" paragraphs); then, where the layout has nothing (plain text, OCR slips), the
// tables (a header row of labels over a row of values) and the page text ("Label: value" lines,
// several on a line, the value on the following lines, tab-separated layout rows). A field not
// found stays null.
#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <regex>

#include "pipeline/labels.h"
#include "pipeline/names.h"
#include "pipeline/text.h"
#include "pipeline/understand.h"

namespace clee {
namespace {

struct Candidate {
  std::string field, value, quote;
  int page = 0;
  int quality = 0;  // label quality × 10 + source preference
  std::optional<Box> box = std::nullopt;  // label and value on the page, when the source has geometry
  bool layout = false;  // read from the extractors' key/value pairs
};

bool blank_value(std::string_view v) {
  std::string n = text::normalise(v);
  if (n.empty()) return true;  // "", "____", "--"
  return n == "n a" || n == "na" || n == "tbd" || n == "none";
}

// Leading/trailing debris around a value: underlines, stray quotes and bars from OCR, colons.
std::string clean_value(std::string_view v) {
  std::string t = text::squash(v);
  auto junk = [](unsigned char c) { return c == ':' || c == ';' || c == '|' || c == '_' || c == '\'' || c == '"' || c == '`'; };
  while (!t.empty() && junk(static_cast<unsigned char>(t.front()))) t.erase(0, 1);
  while (!t.empty() && junk(static_cast<unsigned char>(t.back()))) t.pop_back();
  for (std::string_view q : {"‘", "’", "“", "”"}) {
    while (t.rfind(q, 0) == 0) t.erase(0, q.size());
    while (t.size() >= q.size() && t.compare(t.size() - q.size(), q.size(), q) == 0) t.erase(t.size() - q.size());
  }
  return text::trim(t);
}

// An OCR speck read as a full stop inside a name ("Allegheny. County Police"): a '.' after a word of
// four or more lower-case letters with a capitalised word after it. A name has no sentence break;
// abbreviations ("St. Louis", "Co. Inc") are shorter.
std::string drop_specks(std::string v) {
  for (size_t at = v.find(". "); at != std::string::npos; at = v.find(". ", at + 1)) {
    size_t start = at;
    while (start > 0 && std::islower(static_cast<unsigned char>(v[start - 1]))) --start;
    bool word = at - start >= 4 && (start == 0 || v[start - 1] == ' ' || std::isupper(static_cast<unsigned char>(v[start - 1])));
    if (word && at + 2 < v.size() && std::isupper(static_cast<unsigned char>(v[at + 2]))) v.erase(at, 1);
  }
  return v;
}

// "ProviderName", "provider_name", "form1[0].CourseTitle[0]" → "provider name", "Course Title".
std::string field_name_to_label(const std::string& name) {
  std::string leaf = name;
  while (!leaf.empty() && leaf.back() == ']') leaf.erase(leaf.rfind('['));
  if (size_t dot = leaf.find_last_of('.'); dot != std::string::npos) leaf = leaf.substr(dot + 1);
  std::string out;
  for (size_t i = 0; i < leaf.size(); ++i) {
    char c = leaf[i];
    if (c == '[') break;
    if (i > 0 && std::isupper(static_cast<unsigned char>(c)) && std::islower(static_cast<unsigned char>(leaf[i - 1])))
      out.push_back(' ');
    out.push_back(c == '_' || c == '-' ? ' ' : c);
  }
  return out;
}

struct Pair {
  LabelMatch label;
  std::string label_text;
  size_t value_begin = 0, value_end = 0;
};

// Every "Label: value" in one line: "Provider: X    Provider No.: Y", "Contact: A | Phone: B".
// A label is the shortest run of words before a colon that names a field; the first label must
// start the line.
std::vector<Pair> colon_pairs(const std::string& s, const LabelIndex& index) {
  std::vector<Pair> pairs;
  size_t from = 0;  // where the current label may start
  for (size_t c = s.find(':'); c != std::string::npos; c = s.find(':', c + 1)) {
    if (c + 1 < s.size() && s[c + 1] == '/') continue;  // http://
    std::string_view before = std::string_view(s).substr(from, c - from);
    // Word starts in `before`, from the last.
    std::vector<size_t> starts;
    for (size_t i = before.size(); i-- > 0;)
      if (before[i] != ' ' && before[i] != '\t' && (i == 0 || before[i - 1] == ' ' || before[i - 1] == '\t' || before[i - 1] == '|'))
        starts.push_back(i);
    LabelMatch best;
    size_t best_start = 0;
    for (size_t k = 0; k < starts.size() && k < 6; ++k) {
      bool whole = k + 1 == starts.size();
      if (pairs.empty() && !whole) continue;  // the first label starts the line
      LabelMatch m = index.match(before.substr(starts[k]));
      // A later label must be a synonym, or two or three words that match by words ("Firearms
      // Academy:" at the end of an OCR'd value is no label).
      bool trailing = pairs.empty() ? false : text::normalise(std::string_view(s).substr(c + 1)).empty();
      if (m && !trailing && (pairs.empty() || m.quality >= 2 || (k >= 1 && k < 3))) {
        best = m;
        best_start = starts[k];
        break;
      }
    }
    if (!best) continue;
    if (!pairs.empty()) pairs.back().value_end = from + best_start;
    pairs.push_back({best, text::trim(before.substr(best_start)), c + 1, s.size()});
    from = c + 1;
  }
  return pairs;
}

class Collector {
 public:
  Collector(const LabelIndex& index, std::vector<Candidate>& out) : index_(index), out_(out) {}

  void add(const LabelMatch& m, const std::string& label, const std::string& raw_value, int page, int bonus,
           std::optional<Box> box = std::nullopt) {
    std::string value = clean_value(m.parts > 1 ? piece(raw_value, m.part, m.parts) : raw_value);
    if (!m || blank_value(value) || is_hint(value)) return;
    out_.push_back({m.field, value, text::squash(strip_hints(label)) + ": " + value, page, m.quality * 10 + bonus, box});
  }

  // The `part`-th of `parts` pieces of a value under a label naming several things ("Jane Doe,
  // Coordinator" under "Name and Title of ..."); the whole value when it is not in that many.
  static std::string piece(const std::string& v, int part, int parts) {
    std::string t = text::squash(v);
    for (std::string_view sep : {", ", " - ", " / ", " | "}) {
      std::vector<std::string> ps;
      for (size_t pos = 0;;) {
        size_t at = t.find(sep, pos);
        ps.push_back(text::trim(t.substr(pos, at == std::string::npos ? std::string::npos : at - pos)));
        if (at == std::string::npos) break;
        pos = at + sep.size();
      }
      if (static_cast<int>(ps.size()) == parts) return ps[static_cast<size_t>(part)];
    }
    return v;
  }

  // The layout's pairs. A value that is itself a label ("Agency" under "Instructor Name" in a
  // list's header row) is a mis-paired header, not a value.
  void pairs(const std::vector<KeyValue>& kvs) {
    const size_t first = out_.size();
    for (const auto& kv : kvs) {
      LabelMatch m = index_.match(kv.key);
      if (!m || value_is_label(kv.value)) continue;
      std::string value = m.field == "instructors" ? list_lines(kv.value) : text::squash(kv.value);
      std::optional<Box> box;
      if (kv.key_box && kv.value_box) box = unite(*kv.key_box, *kv.value_box);
      // Several labels on one line ("Provider: X  Provider No.: Y" set with plain spaces): the
      // rule pack's labels find where each value ends.
      if (value.find(':') != std::string::npos) {
        std::string line = text::squash(kv.key) + ": " + value;
        std::vector<Pair> ps = colon_pairs(line, index_);
        if (ps.size() >= 2 && ps[0].label.field == m.field) {
          for (const auto& p : ps)
            add(p.label, p.label_text, line.substr(p.value_begin, p.value_end - p.value_begin), kv.page, 3, box);
          continue;
        }
      }
      add(m, kv.key, value, kv.page, 3, box);
    }
    for (size_t i = first; i < out_.size(); ++i) out_[i].layout = true;
  }

  void form_fields(const std::vector<FormField>& fields) {
    for (const auto& f : fields) {
      std::string label = field_name_to_label(f.name);
      add(index_.match(label), label, f.value, f.page ? f.page : 1, 3, f.box);
    }
  }

  // Rows of cells: label cell + value cell anywhere in a row, a header row of labels over values,
  // a label row over a value row, "Label: value" inside a cell.
  void table(const std::vector<std::vector<std::string>>& rows, int page, int bonus) {
    for (size_t r = 0; r < rows.size(); ++r) {
      const auto& row = rows[r];
      std::vector<LabelMatch> m(row.size());
      int labels = 0, values = 0, synonyms = 0;
      for (size_t c = 0; c < row.size(); ++c) {
        // "Course Title:" is a label cell; "Course Title: X" holds its value (read below).
        size_t colon = row[c].find(':');
        bool trailing = colon != std::string::npos && colon + 1 == text::trim(row[c]).size();
        m[c] = colon == std::string::npos ? cell_label(row[c]) : trailing ? index_.match(row[c]) : LabelMatch{};
        if (m[c]) ++labels;
        else if (!text::trim(row[c]).empty()) ++values;
        if (m[c].quality >= 2) ++synonyms;
      }
      // Header row: labels over values, by column ("Instructor Name | Agency | Resume attached" over
      // one row per instructor). Other header cells may be labels we don't use.
      // Words alone ("Academy / Provider", "Lehigh Valley Police Academy") don't make a header row.
      bool header = r + 1 < rows.size() && synonyms >= 2 && synonyms > values &&
                    (row.size() > 2 || synonyms == 2) &&
                    rows[r + 1].size() == row.size() &&
                    std::none_of(rows[r + 1].begin(), rows[r + 1].end(),
                                 [&](const std::string& cell) { return index_.match(cell).quality >= 2; });
      if (header) {
        // A list (several rows of people) gives only the instructors; its other columns describe
        // each person ("Agency"), not the course.
        bool list = r + 2 < rows.size() && rows[r + 2].size() == row.size();
        for (size_t c = 0; c < row.size(); ++c) {
          if (!m[c] || (list && m[c].field != "instructors")) continue;
          std::string value;
          for (size_t below = r + 1; below < rows.size() && below <= r + (m[c].field == "instructors" ? 12 : 1); ++below) {
            if (c >= rows[below].size() || index_.match(rows[below][c])) break;
            if (text::trim(rows[below][c]).empty()) continue;
            if (!value.empty()) value.append("; ");
            value.append(rows[below][c]);
          }
          add(m[c], row[c], value, page, bonus);
        }
        r += list ? rows.size() : 1;
        continue;
      }
      if (labels == 1 && values == 0 && r + 1 < rows.size()) {  // a lone label over its value
        size_t c = static_cast<size_t>(std::find_if(m.begin(), m.end(), [](const LabelMatch& x) { return bool(x); }) - m.begin());
        const auto& next = rows[r + 1];
        if (c < next.size() && !index_.match(next[c]) && next[c].find(':') == std::string::npos) {
          if (row.size() == 1 || next.size() == row.size()) {
            add(m[c], row[c], next[c], page, bonus);
            ++r;
            continue;
          }
        }
      }
      for (size_t c = 0; c < row.size(); ++c) {
        // A value cell may read like a label by its words ("Regional Police Academy"); only a
        // synonym next to a label makes it a label too.
        if (m[c] && c + 1 < row.size() && m[c + 1].quality < 2 && !text::trim(row[c + 1]).empty()) {
          add(m[c], row[c], row[c + 1], page, bonus);
          ++c;
        } else if (!m[c]) {
          if (!text_line(row[c], page, bonus)) prefix_label(row[c], page, true);  // "Course Title X" in one box
        }
      }
    }
  }

  void page_text(const std::string& text_, int page) {
    std::vector<std::string> ls = text::lines(text_);
    for (size_t i = 0; i < ls.size(); ++i) {
      if (ls[i].find('\t') != std::string::npos) {  // layout rows: treat a run of them as a table
        // A value cell that wraps continues on lines without a tab ("Keystone Public Safety
        // Training<TAB>" then "Institute"); a blank line or a label ends the table.
        std::vector<std::vector<std::string>> rows;
        for (; i < ls.size(); ++i) {
          if (ls[i].find('\t') != std::string::npos) {
            rows.push_back(split_tabs(ls[i]));
            continue;
          }
          std::string t = text::trim(ls[i]);
          if (t.empty() || rows.back().size() < 2 || is_label_line(t) || t.size() > 80) break;
          rows.back().back() += " " + t;
        }
        --i;
        table(rows, page, 1);
        continue;
      }
      std::string line = text::trim(ls[i]);
      if (line.empty()) continue;
      std::vector<Pair> pairs = colon_pairs(line, index_);
      if (!pairs.empty()) {
        for (size_t k = 0; k < pairs.size(); ++k) {
          std::string value = line.substr(pairs[k].value_begin, pairs[k].value_end - pairs[k].value_begin);
          bool last = k + 1 == pairs.size();
          if (last && blank_value(value)) value = following(ls, i, pairs[k].label.field, nullptr);
          else if (last) value += continuation(ls, i, pairs[k].label.field, value);
          add(pairs[k].label, pairs[k].label_text, value, page, 1);
        }
        continue;
      }
      // A label alone on its line (no colon, or the OCR lost it): the value follows.
      if (LabelMatch m = index_.match(line); m && text::words(strip_hints(line)).size() <= 6 && line.back() != '.') {
        size_t used = i;
        std::string value = following(ls, i, m.field, &used);
        add(m, line, value, page, 0);
        if (!value.empty()) i = used - 1;
        continue;
      }
      // "Course Title Duty Handgun Qualification": a known two-word label, the value after it.
      prefix_label(line, page);
    }
  }

 private:
  static std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> cells;
    size_t pos = 0;
    while (pos <= line.size()) {
      size_t tab = line.find('\t', pos);
      if (tab == std::string::npos) tab = line.size();
      cells.push_back(text::trim(line.substr(pos, tab - pos)));
      pos = tab + 1;
    }
    return cells;
  }

  bool text_line(const std::string& line, int page, int bonus) {
    std::vector<Pair> pairs = colon_pairs(line, index_);
    for (const auto& p : pairs)
      add(p.label, p.label_text, line.substr(p.value_begin, p.value_end - p.value_begin), page, bonus);
    return !pairs.empty();
  }

  // A cell that is a label. "Contact Name Robert Kaminski" (label and value in one box) is not,
  // though its words would match: a synonym at its start says the rest is the value.
  LabelMatch cell_label(const std::string& cell) const {
    LabelMatch m = index_.match(cell);
    if (m.quality >= 2) return m;
    std::vector<std::string> raw;  // words as written
    for (size_t pos = 0; pos < cell.size();) {
      size_t sp = cell.find(' ', pos);
      if (sp == std::string::npos) sp = cell.size();
      if (sp > pos) raw.push_back(cell.substr(pos, sp - pos));
      pos = sp + 1;
    }
    for (size_t k = 1; k < raw.size() && k <= 5; ++k) {
      std::string head, rest;
      for (size_t w = 0; w < raw.size(); ++w) {
        std::string& part = w < k ? head : rest;
        if (!part.empty()) part.push_back(' ');
        part.append(raw[w]);
      }
      if (index_.match(head).quality < 3) continue;
      unsigned char first = static_cast<unsigned char>(rest[0]);
      bool number_like = std::isdigit(first) || first == '(' || rest.find('@') != std::string::npos;
      // "Contact Name Robert Kaminski", "Email rk@x.org" hold their value; "Organization
      // Submitting", "Title of Training Program", "Agency Contact" are longer labels.
      if ((k >= 2 && !std::islower(first) && index_.match(rest).quality < 2) || (k == 1 && number_like)) return {};
    }
    return m;
  }

  // The lines of a list value: one name a line ("; " between them), unless the list carries its
  // own separators ("A; B" wrapping over two lines) or a line plainly runs on into the next.
  static std::string list_lines(const std::string& v) {
    std::vector<std::string> ls = text::lines(v);
    bool separated = v.find(';') != std::string::npos || v.find("\u2022") != std::string::npos;
    std::string out;
    for (size_t i = 0; i < ls.size(); ++i) {
      std::string t = text::trim(ls[i]);
      if (t.empty()) continue;
      if (!out.empty()) {
        std::string low = text::lower(out);
        bool runs_on = separated || out.back() == ',' || std::islower(static_cast<unsigned char>(t[0])) ||
                       (low.size() >= 4 && low.compare(low.size() - 4, 4, " and") == 0);
        out += runs_on ? " " : "; ";
      }
      out += t;
    }
    return out;
  }

  bool value_is_label(const std::string& v) const {
    std::string t = text::trim(v);
    if (t.find_first_of("0123456789@") != std::string::npos || text::words(t).size() > 5) return false;
    return index_.match(t).quality >= 2;
  }

  bool is_label_line(const std::string& line) const {
    std::string t = text::trim(line);
    if (t.find('\t') != std::string::npos) return true;
    if (!colon_pairs(t, index_).empty()) return true;
    if (text::words(t).size() > 6) return false;
    // Matched only by its words, a line with a comma is a value naming a role ("Dana Whitfield,
    // Training Coordinator"), not a label.
    LabelMatch m = index_.match(t);
    return m.quality >= 2 || (m && t.find(',') == std::string::npos);
  }

  // The value printed under a label: the next line; for instructors the list that follows, for a
  // description the paragraph that follows.
  std::string following(const std::vector<std::string>& ls, size_t i, const std::string& field, size_t* used) const {
    size_t j = i + 1;
    while (j < ls.size() && text::trim(ls[j]).empty() && j < i + 3) ++j;
    std::string value;
    bool list = field == "instructors", para = field == "description";
    for (; j < ls.size(); ++j) {
      std::string t = text::trim(ls[j]);
      if (value.empty() && is_hint(t)) continue;  // "(less than 60 characters)" under its label
      if (t.empty() || is_label_line(t)) break;
      if (list) t = strip_numbering(t);
      if (!value.empty()) value.append(list ? "; " : " ");
      value.append(t);
      if ((!list && !para) || value.size() > 600 || (list && j > i + 12)) {
        ++j;
        break;
      }
    }
    if (used) *used = j;  // first line not taken
    return value;
  }

  // A value that wraps onto the next lines: a description always; other fields only when the
  // line plainly continues (ends with a comma or "and", or the next starts in lower case).
  std::string continuation(const std::vector<std::string>& ls, size_t i, const std::string& field, std::string value) const {
    std::string extra;
    for (size_t j = i + 1; j < ls.size() && value.size() + extra.size() < 600; ++j) {
      std::string t = text::trim(ls[j]);
      if (t.empty() || is_label_line(t)) break;
      std::string cur = text::trim(value + extra);
      bool open = !cur.empty() && std::string_view(",;&-/").find(cur.back()) != std::string_view::npos;
      std::string low = text::lower(cur);
      for (const char* w : {" and", " of", " for", " the", " &"})
        if (low.size() >= std::string(w).size() && low.compare(low.size() - std::string(w).size(), std::string::npos, w) == 0) open = true;
      bool lower_next = std::islower(static_cast<unsigned char>(t[0]));
      if (!(field == "description" || open || lower_next)) break;
      extra.push_back(' ');
      extra.append(t);
    }
    return extra;
  }

  // A synonym label followed by its value without a colon: OCR'd forms, and Word boxes that hold
  // the label above the value (`in_cell`, where a one-word label may lead a number or address).
  void prefix_label(const std::string& line, int page, bool in_cell = false) {
    std::vector<std::string> raw;
    size_t pos = 0;
    while (pos < line.size()) {
      size_t sp = line.find(' ', pos);
      if (sp == std::string::npos) sp = line.size();
      if (sp > pos) raw.push_back(line.substr(pos, sp - pos));
      pos = sp + 1;
    }
    if (raw.size() < 2) return;
    for (size_t k = std::min<size_t>(5, raw.size() - 1); k >= 1; --k) {
      std::string label, rest;
      for (size_t w = 0; w < raw.size(); ++w) {
        std::string& part = w < k ? label : rest;
        if (!part.empty()) part.push_back(' ');
        part.append(raw[w]);
      }
      LabelMatch m = index_.match(label);
      // In a box only a synonym exactly ("Name of Training Agency" is not "Date of Training" + value).
      if (m.quality < (in_cell ? 3 : 2) || rest.empty() || std::islower(static_cast<unsigned char>(rest[0]))) continue;
      bool number_like = std::isdigit(static_cast<unsigned char>(rest[0])) || rest[0] == '(' || rest.find('@') != std::string::npos;
      if (k == 1 && !(in_cell && m.quality == 3 && number_like)) continue;
      m.quality = in_cell ? 2 : 1;  // weaker than a labelled pair; in a box, label and value belong together
      add(m, label, rest, page, 0);
      return;
    }
  }

  const LabelIndex& index_;
  std::vector<Candidate>& out_;
};

const std::regex& email_re() {
  static const std::regex re(R"(([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}))");
  return re;
}
const std::regex& phone_re() {
  static const std::regex re(R"((\+?1[\s.\-]?)?\(?\d{3}\)?[\s.\-]?\d{3}[\s.\-]?\d{4}(\s*(x|ext\.?)\s*\d+)?)");
  return re;
}

// "2 days (16 hours)" → 16; "Sixteen (16)" → 16; "16.0" → 16.
std::optional<double> hours_value(const std::string& v) {
  static const std::regex with_unit(R"((\d+(?:\.\d+)?)\s*(?:clock\s+|contact\s+|credit\s+|clee\s+)?(?:hours?|hrs?\b|credits?))",
                                    std::regex::icase);
  std::smatch m;
  if (std::regex_search(v, m, with_unit)) return std::stod(m.str(1));
  return text::parse_number(v);
}

}  // namespace

std::vector<std::string> split_names(const std::string& value) {
  std::vector<std::string> parts;
  // Separators between names become '|' (built anew: GCC 12 warns falsely on in-place replace).
  std::string v;
  for (size_t i = 0; i < value.size();) {
    size_t skip = 0;
    for (std::string_view sep : {";", "\n", " and ", " & ", " / ", "/", "\t", "•"})
      if (std::string_view(value).substr(i, sep.size()) == sep) {
        skip = sep.size();
        break;
      }
    if (skip) {
      v.push_back('|');
      i += skip;
    } else {
      v.push_back(value[i++]);
    }
  }
  size_t pos = 0;
  while (pos <= v.size()) {
    size_t bar = v.find('|', pos);
    if (bar == std::string::npos) bar = v.size();
    std::string part = clean_value(strip_numbering(text::trim(v.substr(pos, bar - pos))));
    pos = bar + 1;
    // "Dr. Maria Lopez, LCSW." — a full stop after capitals ends the list, not an abbreviation.
    if (part.size() > 3 && part.back() == '.' && std::isupper(static_cast<unsigned char>(part[part.size() - 2])) &&
        std::isupper(static_cast<unsigned char>(part[part.size() - 3])))
      part.pop_back();
    if (part.empty()) continue;
    // Commas: split only between full names ("John Miller, Maria Lopez"), not "Miller, John" or
    // "Maria Lopez, LCSW".
    std::vector<std::string> pieces;
    size_t cpos = 0;
    while (cpos <= part.size()) {
      size_t comma = part.find(',', cpos);
      if (comma == std::string::npos) comma = part.size();
      pieces.push_back(text::trim(part.substr(cpos, comma - cpos)));
      cpos = comma + 1;
    }
    std::string current;
    for (const auto& piece : pieces) {
      bool full = text::words(piece).size() >= 2 && !parse_person_name(piece).given.empty();
      if (!current.empty() && full && !parse_person_name(current).given.empty()) {
        parts.push_back(current);
        current = piece;
      } else {
        current = current.empty() ? piece : current + ", " + piece;
      }
    }
    if (!current.empty()) parts.push_back(current);
  }
  // A bare "Smith" line after "Miller, John" has no given name; keep what reads as a person.
  parts.erase(std::remove_if(parts.begin(), parts.end(), [](const std::string& p) { return parse_person_name(p).empty(); }),
              parts.end());
  return parts;
}

Fields extract_fields(const UnderstoodDocument& form, const RulePack& rules) {
  LabelIndex index(rules);
  std::vector<Candidate> cands;
  Collector collect(index, cands);
  collect.form_fields(form.doc.fields);
  collect.pairs(form.doc.key_values);
  for (const auto& t : form.doc.tables) collect.table(t.rows, t.page ? t.page : 1, 2);
  for (const auto& p : form.doc.pages) collect.page_text(p.text, p.number);

  // A value the layout paired with one field's label is not another field's value, however the
  // page text reads (a label wrapped over two lines reads as two labels there).
  std::map<std::pair<int, std::string>, std::string> owner;  // (page, value) → field
  for (const auto& c : cands)
    if (c.layout) owner.emplace(std::make_pair(c.page, text::normalise(c.value)), c.field);
  cands.erase(std::remove_if(cands.begin(), cands.end(),
                             [&](const Candidate& c) {
                               auto it = owner.find({c.page, text::normalise(c.value)});
                               return !c.layout && it != owner.end() && it->second != c.field;
                             }),
              cands.end());
  Fields f;
  // Per field the best candidate whose value reads as that field's kind of value: a title that
  // mentions credit over a line of prose is not the hours, a value without an address is no e-mail.
  auto pick = [&](const std::string& field, const std::function<bool(const std::string&)>& valid) -> const Candidate* {
    const Candidate* best = nullptr;
    for (const auto& c : cands)
      if (c.field == field && (!best || c.quality > best->quality) && valid(c.value)) best = &c;
    return best;
  };
  auto any = [](const std::string&) { return true; };
  auto evidence = [&](const Candidate& c) {
    f.evidence.push_back({form.name, c.page, c.quote.substr(0, 300), c.field, c.box});
  };
  auto ocr = [&](int page) {
    return std::any_of(form.doc.pages.begin(), form.doc.pages.end(), [&](const Page& p) { return p.number == page && p.ocr; });
  };
  auto str = [&](const char* key, std::optional<std::string>& slot, bool name = false) {
    if (const Candidate* c = pick(key, any)) {
      slot = name && ocr(c->page) ? drop_specks(c->value) : c->value;
      evidence(*c);
    }
  };
  str("provider_name", f.provider_name, true);
  str("provider_number", f.provider_number);
  str("course_title", f.course_title, true);
  str("contact_name", f.contact_name);
  str("dates", f.dates);
  str("location", f.location, true);
  str("delivery_method", f.delivery_method);
  str("description", f.description);
  auto hours_ok = [](const std::string& v) {
    auto n = hours_value(v);
    return n && *n > 0 && *n < 1000;
  };
  if (const Candidate* c = pick("credit_hours", hours_ok)) {
    f.credit_hours = *hours_value(c->value);
    evidence(*c);
  }
  if (const Candidate* c = pick("instructors", [](const std::string& v) { return !split_names(v).empty(); })) {
    f.instructors = split_names(c->value);
    evidence(*c);
  }
  std::smatch m;
  auto email_ok = [](const std::string& v) { return std::regex_search(v, email_re()); };
  auto phone_ok = [](const std::string& v) { return std::regex_search(v, phone_re()); };
  if (const Candidate* c = pick("contact_email", email_ok); c && std::regex_search(c->value, m, email_re())) {
    f.contact_email = m.str(1);
    evidence(*c);
  }
  if (const Candidate* c = pick("contact_phone", phone_ok); c && std::regex_search(c->value, m, phone_re())) {
    f.contact_phone = text::trim(m.str(0));
    evidence(*c);
  }
  // The contact's name often sits on the line with the e-mail ("Contact: Jane Doe, jdoe@x.org").
  if (f.contact_name && f.contact_email) {
    std::string& n = *f.contact_name;
    if (size_t at = n.find(*f.contact_email); at != std::string::npos) n = clean_value(n.substr(0, at));
    if (n.empty()) f.contact_name.reset();
  }
  // An address or number printed on the form without a label we know is still on the form.
  for (const auto& p : form.doc.pages) {
    if (!f.contact_email && std::regex_search(p.text, m, email_re())) {
      f.contact_email = m.str(1);
      f.evidence.push_back({form.name, p.number, m.str(0), "contact_email"});
    }
    if (!f.contact_phone && std::regex_search(p.text, m, phone_re())) {
      f.contact_phone = text::trim(m.str(0));
      f.evidence.push_back({form.name, p.number, m.str(0), "contact_phone"});
    }
  }
  return f;
}

}  // namespace clee
