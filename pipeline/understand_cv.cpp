// An instructor's CV or resume: whose it is (the name heading among the first lines, or "Name:",
// or the page header; ranks, degrees and credentials kept as written) and the lines that state
// qualifications (certifications, instructor history, education, years of experience).
#include <algorithm>
#include <cctype>
#include <set>

#include "pipeline/names.h"
#include "pipeline/text.h"
#include "pipeline/understand.h"

namespace clee {
namespace {

// "JOHN A. MILLER, PH.D." → "John A. Miller, PH.D.": capitals become title case before the first
// comma; credentials after it stay as written.
// Bytes of the word separator at t[i] (space, hyphen, period, straight or curly apostrophe), 0 for none.
size_t separator_len(const std::string& t, size_t i) {
  if (std::string_view(" -'.").find(t[i]) != std::string_view::npos) return 1;
  return t.compare(i, 3, "\u2019") == 0 ? 3 : 0;
}

std::string title_case_name(const std::string& t) {
  size_t comma = std::min(t.find(','), t.size());
  std::string out;
  size_t i = 0;
  while (i < comma) {
    if (size_t n = separator_len(t, i)) {  // ". " between words, "O’" before one
      out.append(t, i, n);
      i += n;
      continue;
    }
    // A word's first letter (one UTF-8 sequence) as written, the rest in lower case ("JOSÉ" → "José").
    size_t len = 1;
    while (i + len < comma && (static_cast<unsigned char>(t[i + len]) & 0xC0) == 0x80) ++len;
    out.append(t, i, len);
    i += len;
    size_t end = i;
    while (end < comma && separator_len(t, end) == 0) ++end;
    out += text::lower_utf8(std::string_view(t).substr(i, end - i));
    i = end;
  }
  return out + t.substr(comma);
}

bool all_caps(const std::string& t) {
  std::string f = text::fold(t);
  return std::none_of(f.begin(), f.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); });
}

}  // namespace

std::optional<std::string> name_heading(const std::string& raw_line) {
  std::string t = text::squash(raw_line);
  // "John Miller | 555-0100 | jm@x.org", "John Miller • Harrisburg, PA"
  for (std::string_view sep : {" | ", " • ", " · ", "|", "•"})
    if (size_t at = t.find(sep); at != std::string::npos && at > 3) t = text::trim(t.substr(0, at));
  t = text::trim_punct(t, "|_-:*'\"");
  std::string low = text::lower(t);
  for (const char* prefix : {"name:", "instructor:", "resume of ", "curriculum vitae of ", "curriculum vitae:",
                             "resume:", "cv:", "cv of "}) {
    if (low.rfind(prefix, 0) == 0) {
      t = text::trim(t.substr(std::string(prefix).size()));
      break;
    }
  }
  if (t.size() < 4) return std::nullopt;
  std::string probe = all_caps(t) ? title_case_name(t) : t;
  if (looks_like_name(probe.substr(0, probe.find(','))) && !parse_person_name(probe).empty() &&
      !parse_person_name(probe).given.empty())
    return probe;
  return std::nullopt;
}

InstructorCv extract_cv(const UnderstoodDocument& ud) {
  InstructorCv cv;
  cv.document = ud.name;
  if (!ud.doc.pages.empty()) {
    int seen = 0;
    for (const auto& line : text::lines(ud.doc.pages.front().text)) {
      if (text::trim(line).empty()) continue;
      if (++seen > 8) break;
      if (auto n = name_heading(line)) {
        cv.name = n;
        break;
      }
    }
  }
  // Resume templates often put the name in the page header.
  for (size_t i = 0; !cv.name && i < ud.doc.headers_footers.size() && i < 4; ++i)
    cv.name = name_heading(ud.doc.headers_footers[i]);
  static const char* kQual[] = {"certif", "instructor", "degree", "b.s", "b.a", "m.s", "m.a", "ph.d", "university",
                                "college", "academy", "years", "trained", "taught", "accredited", "licensed", "diploma"};
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
