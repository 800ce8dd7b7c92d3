#include "pipeline/understand.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>

#include "pipeline/names.h"
#include "pipeline/text.h"

namespace clee {
namespace {

struct Cue {
  const char* phrase;
  double weight;
  int max_count;
};

const Cue kFormCues[] = {{"request form", 3, 1}, {"clee request", 3, 1}, {"approval request", 2, 1},
                         {"application", 1, 1},  {"credit hours", 1, 1}, {"hours requested", 2, 1},
                         {"signature", 1, 1},    {"point of contact", 1.5, 1}, {"contact person", 1, 1},
                         {"provider", 0.5, 2},   {"sponsor*", 0.5, 2}, {"delivery method", 1, 1},
                         {"complete all fields", 1.5, 1}};
const Cue kOutlineCues[] = {{"course outline", 3, 1}, {"outline", 1, 1}, {"objective*", 1.2, 3},
                            {"terminal objective", 2, 1}, {"enabling objective", 2, 1}, {"performance objective", 2, 1},
                            {"learning objective", 2, 1}, {"schedule", 1, 1}, {"agenda", 1, 1}, {"block", 0.4, 3},
                            {"evaluation", 1, 1}, {"lesson plan", 2, 1}, {"syllabus", 2, 1},
                            {"methods of instruction", 1.5, 1}, {"instructional method*", 1.5, 1}, {"day 1", 1, 1},
                            {"module", 0.4, 3}, {"unit", 0.3, 3}, {"participants will", 1.5, 1},
                            {"upon completion", 1.5, 1}, {"statement of purpose", 1.5, 1}, {"total hours", 0.5, 1}};
const Cue kCvCues[] = {{"curriculum vitae", 4, 1}, {"resume", 3, 1}, {"résumé", 3, 1}, {"experience", 1.2, 2},
                       {"education", 1.5, 1}, {"employment", 1.5, 1}, {"certification*", 0.8, 2},
                       {"qualifications", 1, 1}, {"professional experience", 2, 1}, {"work history", 2, 1},
                       {"present", 0.5, 2}, {"b s", 0.5, 1}, {"bachelor*", 0.7, 1}, {"master*", 0.5, 1},
                       {"degree", 0.5, 1}, {"university", 0.7, 1}, {"college", 0.5, 1}, {"instructor", 0.3, 2},
                       {"references", 0.5, 1}, {"teaching", 0.7, 1}, {"publications", 1, 1}};
const Cue kCoverCues[] = {{"dear", 2, 1}, {"sincerely", 2, 1}, {"regards", 1.5, 1}, {"please find attached", 2, 1},
                          {"attached", 1, 1}, {"thank you", 1, 1}, {"enclosed", 1, 1}, {"to whom it may concern", 2, 1}};

double score_cues(const std::string& low, const Cue* cues, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; ++i) {
    int count = 0;
    size_t from = 0, at = 0;
    while (count < cues[i].max_count && from < low.size() &&
           text::contains_phrase(std::string_view(low).substr(from), cues[i].phrase, &at)) {
      ++count;
      from += at + 1;
    }
    s += count * cues[i].weight;
  }
  return s;
}

// A label→field lookup built from the rule pack's synonyms.
struct LabelIndex {
  std::map<std::string, std::string> exact;  // normalised label → field
  explicit LabelIndex(const RulePack& rules) {
    for (const auto& [field, labels] : rules.label_synonyms)
      for (const auto& l : labels) exact[text::normalise(l)] = field;
  }
  // Returns the field a label names, and a quality: 3 exact, 2 fuzzy (OCR slips).
  std::string match(const std::string& raw_label, int* quality) const {
    std::string n = text::normalise(raw_label);
    *quality = 0;
    if (n.empty() || n.size() > 48) return {};
    if (auto it = exact.find(n); it != exact.end()) {
      *quality = 3;
      return it->second;
    }
    // Trailing "requested", "#", "(s)" and the like: try dropping the last word.
    std::string best;
    size_t best_d = 99;
    for (const auto& [label, field] : exact) {
      if (label.size() < 5) continue;
      size_t cap = label.size() >= 10 ? 2 : 1;
      size_t d = text::edit_distance(n, label, cap);
      if (d <= cap && d < best_d) {
        best_d = d;
        best = field;
      }
    }
    if (!best.empty()) *quality = 2;
    return best;
  }
};

struct Candidate {
  std::string field, value, quote;
  int page = 0;
  int quality = 0;  // label quality × source preference
};

bool blank_value(const std::string& v) {
  for (char c : v)
    if (std::isalnum(static_cast<unsigned char>(c))) return false;
  return true;  // "", "____", "N/A"-less punctuation
}

// "ProviderName", "provider_name", "Course Title[0]" → "provider name", ...
std::string field_name_to_label(const std::string& name) {
  std::string leaf = name.substr(name.find_last_of('.') == std::string::npos ? 0 : name.find_last_of('.') + 1);
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

void collect_candidates(const UnderstoodDocument& ud, const LabelIndex& index, std::vector<Candidate>& out) {
  const Document& d = ud.doc;
  auto add = [&](const std::string& label, std::string value, int page, int source_bonus, const std::string& quote) {
    int q = 0;
    std::string field = index.match(label, &q);
    value = text::trim(value);
    if (field.empty() || blank_value(value)) return;
    out.push_back({field, value, text::squash(quote), page, q * 10 + source_bonus});
  };
  for (const auto& f : d.fields) add(field_name_to_label(f.name), f.value, f.page ? f.page : 1, 3, f.name + ": " + f.value);
  for (const auto& t : d.tables)
    for (const auto& row : t.rows)
      for (size_t i = 0; i + 1 < row.size(); i += 2) add(row[i], row[i + 1], t.page ? t.page : 1, 2, row[i] + ": " + row[i + 1]);
  for (const auto& p : d.pages) {
    auto ls = text::lines(p.text);
    for (size_t i = 0; i < ls.size(); ++i) {
      const std::string& line = ls[i];
      // "Label: value" (also several pairs on one line separated by tabs).
      size_t start = 0;
      while (start < line.size()) {
        size_t tab = line.find('\t', start);
        std::string cell = line.substr(start, tab == std::string::npos ? std::string::npos : tab - start);
        size_t colon = cell.find(':');
        if (colon != std::string::npos && colon > 0) {
          std::string value = cell.substr(colon + 1);
          // A value continued on the next line(s) until a blank line or another label.
          size_t j = i + 1;
          while (tab == std::string::npos && j < ls.size() && !text::trim(ls[j]).empty() &&
                 ls[j].find(':') == std::string::npos && value.size() < 600 && colon + 1 < cell.size()) {
            value += " " + text::trim(ls[j]);
            ++j;
          }
          add(cell.substr(0, colon), value, p.number, 1, text::squash(cell.substr(0, colon)) + ": " + text::squash(value));
        } else if (tab != std::string::npos) {
          // "Label<TAB>value" table rows from PDF layout text.
          std::string rest = line.substr(tab + 1);
          size_t tab2 = rest.find('\t');
          add(cell, rest.substr(0, tab2), p.number, 1, cell + " " + rest.substr(0, tab2));
        } else if (i + 1 < ls.size()) {
          // A label alone on its line, the value on the next non-empty line (form layouts, OCR).
          size_t j = i + 1;
          while (j < ls.size() && text::trim(ls[j]).empty() && j < i + 3) ++j;
          if (j < ls.size()) {
            int q = 0;
            std::string next_field = index.match(ls[j], &q);
            if (next_field.empty()) add(cell, ls[j], p.number, 0, cell + " / " + ls[j]);
          }
        }
        if (tab == std::string::npos) break;
        start = tab + 1;
      }
    }
  }
}

const std::regex& email_re() {
  static const std::regex re(R"(([A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}))");
  return re;
}
const std::regex& phone_re() {
  static const std::regex re(R"((\+?1[\s.\-]?)?\(?\d{3}\)?[\s.\-]?\d{3}[\s.\-]?\d{4}(\s*(x|ext\.?)\s*\d+)?)");
  return re;
}

}  // namespace

DocType TypeScores::best(double* score) const {
  std::pair<double, DocType> all[] = {{form, DocType::kRequestForm}, {outline, DocType::kCourseOutline},
                                      {cv, DocType::kInstructorCv}, {cover, DocType::kCoverLetter}};
  auto it = std::max_element(std::begin(all), std::end(all), [](auto& a, auto& b) { return a.first < b.first; });
  if (score) *score = it->first;
  return it->first >= 2.0 ? it->second : DocType::kUnknown;
}

TypeScores score_text(const std::string& txt, size_t form_fields, const RulePack& rules) {
  std::string low = text::lower(txt);
  TypeScores s;
  s.form = score_cues(low, kFormCues, std::size(kFormCues));
  s.outline = score_cues(low, kOutlineCues, std::size(kOutlineCues));
  s.cv = score_cues(low, kCvCues, std::size(kCvCues));
  s.cover = score_cues(low, kCoverCues, std::size(kCoverCues));
  // Label: value lines with known labels are the strongest sign of a form.
  LabelIndex index(rules);
  int labelled = 0;
  std::set<std::string> seen;
  for (const auto& line : text::lines(txt)) {
    size_t colon = line.find(':');
    std::string label = colon != std::string::npos ? line.substr(0, colon) : line.substr(0, line.find('\t'));
    int q = 0;
    std::string f = index.match(label, &q);
    if (!f.empty() && !seen.count(f)) {
      seen.insert(f);
      ++labelled;
    }
  }
  s.form += std::min(labelled, 10) * 0.6 + (form_fields >= 3 ? 4 : 0);
  // Outlines and CVs mention a title or a name too; don't let a couple of labels win.
  if (labelled < 4) s.form *= 0.7;
  return s;
}

std::vector<std::string> split_names(const std::string& value) {
  std::vector<std::string> parts;
  std::string v = value;
  for (const char* sep : {";", "\n", " and ", " & ", "/", "\t"}) {
    size_t p;
    while ((p = v.find(sep)) != std::string::npos) v.replace(p, std::string(sep).size(), "|");
  }
  size_t pos = 0;
  while (pos <= v.size()) {
    size_t bar = v.find('|', pos);
    if (bar == std::string::npos) bar = v.size();
    std::string part = text::trim(v.substr(pos, bar - pos));
    pos = bar + 1;
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
  return parts;
}

Fields extract_fields(const UnderstoodDocument& form, const RulePack& rules) {
  LabelIndex index(rules);
  std::vector<Candidate> cands;
  collect_candidates(form, index, cands);
  Fields f;
  std::map<std::string, const Candidate*> best;
  for (const auto& c : cands) {
    auto it = best.find(c.field);
    if (it == best.end() || c.quality > it->second->quality) best[c.field] = &c;
  }
  auto evidence = [&](const Candidate& c) {
    f.evidence.push_back({form.name, c.page, c.quote.substr(0, 300), c.field});
  };
  auto str = [&](const char* key, std::optional<std::string>& slot) {
    if (auto it = best.find(key); it != best.end()) {
      slot = text::squash(it->second->value);
      evidence(*it->second);
    }
  };
  str("provider_name", f.provider_name);
  str("provider_number", f.provider_number);
  str("course_title", f.course_title);
  str("contact_name", f.contact_name);
  str("dates", f.dates);
  str("location", f.location);
  str("delivery_method", f.delivery_method);
  str("description", f.description);
  if (auto it = best.find("credit_hours"); it != best.end()) {
    if (auto n = text::parse_number(it->second->value); n && *n > 0 && *n < 1000) {
      f.credit_hours = *n;
      evidence(*it->second);
    }
  }
  if (auto it = best.find("instructors"); it != best.end()) {
    f.instructors = split_names(it->second->value);
    if (f.instructors->empty()) f.instructors.reset();
    else evidence(*it->second);
  }
  std::smatch m;
  if (auto it = best.find("contact_email"); it != best.end() && std::regex_search(it->second->value, m, email_re())) {
    f.contact_email = m.str(1);
    evidence(*it->second);
  }
  if (auto it = best.find("contact_phone"); it != best.end() && std::regex_search(it->second->value, m, phone_re())) {
    f.contact_phone = text::trim(m.str(0));
    evidence(*it->second);
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

Outline extract_outline(const UnderstoodDocument& ud, const RulePack& rules) {
  Outline o;
  o.document = ud.name;
  static const std::set<std::string> kGeneric = {"course outline", "outline", "lesson plan", "syllabus",
                                                 "course syllabus", "training outline", "course agenda", "agenda"};
  // Title: a labelled title, else the first line that isn't a generic heading.
  LabelIndex index(rules);
  for (const auto& p : ud.doc.pages) {
    for (const auto& line : text::lines(p.text)) {
      size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      int q = 0;
      if (index.match(line.substr(0, colon), &q) == "course_title" && !blank_value(line.substr(colon + 1))) {
        o.title = text::squash(line.substr(colon + 1));
        break;
      }
    }
    if (o.title) break;
  }
  if (!o.title && !ud.doc.pages.empty()) {
    for (const auto& line : text::lines(ud.doc.pages.front().text)) {
      std::string t = text::squash(line);
      if (t.size() < 4 || kGeneric.count(text::normalise(t))) continue;
      o.title = t;
      break;
    }
  }
  // Blocks with hours: table rows (DOCX tables, PDF layout rows) and "Topic (2 hours)" lines.
  static const std::regex hours_in_text(R"(\(?\b(\d+(?:\.\d+)?)\s*(?:hours?|hrs?\.?|h)\b\)?)", std::regex::icase);
  static const std::regex time_range(R"(\b(\d{1,2}):?(\d{2})\s*[-–]\s*(\d{1,2}):?(\d{2})\b)");
  auto consider_row = [&](const std::vector<std::string>& cells, int page) {
    if (cells.size() < 2) return;
    std::optional<double> hours;
    std::string title;
    for (auto it = cells.rbegin(); it != cells.rend(); ++it) {
      std::string c = text::trim(*it);
      if (!hours && !c.empty() && c.size() <= 12 && std::isdigit(static_cast<unsigned char>(c[0]))) {
        hours = text::parse_number(c);
        continue;
      }
      if (title.empty() && c.size() > 2 && !std::all_of(c.begin(), c.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)) || ch == '.'; }))
        title = c;
    }
    (void)page;
    if (!hours || title.empty()) return;
    std::string n = text::normalise(title);
    if (n.rfind("total", 0) == 0) {
      o.total_hours = *hours;
      return;
    }
    o.blocks.push_back({text::squash(title), *hours});
  };
  if (!ud.doc.tables.empty()) {
    for (const auto& t : ud.doc.tables)
      for (const auto& row : t.rows) consider_row(row, t.page);
  } else {
    for (const auto& p : ud.doc.pages) {
      for (const auto& line : text::lines(p.text)) {
        if (line.find('\t') != std::string::npos) {
          std::vector<std::string> cells;
          size_t pos = 0;
          while (pos <= line.size()) {
            size_t tab = line.find('\t', pos);
            if (tab == std::string::npos) tab = line.size();
            cells.push_back(line.substr(pos, tab - pos));
            pos = tab + 1;
          }
          size_t before = o.blocks.size();
          bool had_total = o.total_hours.has_value();
          consider_row(cells, p.number);
          if (o.blocks.size() != before || o.total_hours.has_value() != had_total) continue;
        }
        std::smatch m;
        std::string t = text::squash(line);
        if (std::regex_search(t, m, hours_in_text) && t.size() < 160) {
          std::string title = text::trim(t.substr(0, static_cast<size_t>(m.position(0))));
          while (!title.empty() && (title.back() == '-' || title.back() == ':' || title.back() == '(' || title.back() == ',')) title.pop_back();
          title = text::trim(title);
          double h = std::stod(m.str(1));
          std::string n = text::normalise(title);
          if (n.find("total") != std::string::npos) o.total_hours = h;
          else if (title.size() > 2 && n.find("credit") == std::string::npos) o.blocks.push_back({title, h});
        } else if (std::regex_search(t, m, time_range) && t.size() < 160) {
          double a = std::stoi(m.str(1)) + std::stoi(m.str(2)) / 60.0, b = std::stoi(m.str(3)) + std::stoi(m.str(4)) / 60.0;
          if (b > a && b - a <= 12) o.blocks.push_back({text::trim(t.substr(static_cast<size_t>(m.position(0) + m.length(0)))), b - a});
        }
      }
    }
  }
  if (!o.total_hours && !o.blocks.empty()) {
    double sum = 0;
    for (const auto& b : o.blocks) sum += b.hours.value_or(0);
    o.total_hours = sum;
  }
  // Objectives: list items in a section whose heading mentions objectives.
  bool in_objectives = false;
  static const std::regex list_item(R"(^\s*(?:\d{1,2}[.)]|[a-z][.)]|[•\-\*–])\s*(.+))");
  for (const auto& p : ud.doc.pages) {
    for (const auto& line : text::lines(p.text)) {
      std::string t = text::trim(line);
      if (t.empty()) continue;
      std::string low = text::lower(t);
      bool heading = t.size() < 60 && t.back() != '.' && !std::regex_search(t, list_item);
      if (heading && low.find("objective") != std::string::npos) {
        in_objectives = true;
        continue;
      }
      if (in_objectives && heading && t.back() != ':' && low.find("participants") == std::string::npos &&
          low.find("student") == std::string::npos) {
        in_objectives = false;
      }
      std::smatch m;
      if (in_objectives && std::regex_search(t, m, list_item)) o.objectives.push_back(text::squash(m.str(1)));
      else if (in_objectives && t.size() > 20 && low.find("will be able") == std::string::npos) o.objectives.push_back(text::squash(t));
    }
  }
  return o;
}

InstructorCv extract_cv(const UnderstoodDocument& ud) {
  InstructorCv cv;
  cv.document = ud.name;
  if (!ud.doc.pages.empty()) {
    int seen = 0;
    for (const auto& line : text::lines(ud.doc.pages.front().text)) {
      std::string t = text::squash(line);
      if (t.empty()) continue;
      if (++seen > 6) break;
      // "Name: John Miller" or a bare name heading (possibly in capitals).
      std::string low = text::lower(t);
      if (low.rfind("name:", 0) == 0) t = text::trim(t.substr(5));
      std::string probe = t;
      bool all_caps = std::none_of(t.begin(), t.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); });
      if (all_caps) {  // "JOHN A. MILLER" → "John A. Miller" for the test below
        bool start = true;
        for (auto& c : probe) {
          c = start ? c : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          start = c == ' ' || c == '-';
        }
      }
      if (looks_like_name(probe.substr(0, probe.find(','))) || looks_like_name(probe)) {
        cv.name = all_caps ? probe : t;
        break;
      }
    }
  }
  static const char* kQual[] = {"certif", "instructor", "degree", "b.s", "b.a", "m.s", "m.a", "ph.d", "university",
                                "college", "academy", "years", "trained", "taught", "accredited", "licensed"};
  for (const auto& p : ud.doc.pages) {
    for (const auto& line : text::lines(p.text)) {
      std::string t = text::squash(line);
      std::string low = text::lower(t);
      if (t.size() < 8 || t.size() > 200) continue;
      for (const char* q : kQual) {
        if (low.find(q) != std::string::npos) {
          cv.qualifications.push_back(t);
          break;
        }
      }
      if (cv.qualifications.size() >= 12) break;
    }
  }
  return cv;
}

}  // namespace clee
