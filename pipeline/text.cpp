#include "pipeline/text.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>

#include "extractors/util.h"

namespace clee::text {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view s) {
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return std::string(s);
}

size_t punct_len(std::string_view s, size_t i) {
  if (i >= s.size()) return 0;
  unsigned char c = static_cast<unsigned char>(s[i]);
  // U+2000-U+206F (dashes, curly quotes, bullets, ellipsis) and U+00A0, U+00AB, U+00BB, U+00B7.
  if (c == 0xE2 && i + 2 < s.size() && (static_cast<unsigned char>(s[i + 1]) == 0x80 || static_cast<unsigned char>(s[i + 1]) == 0x81))
    return 3;
  if (c == 0xC2 && i + 1 < s.size()) {
    unsigned char d = static_cast<unsigned char>(s[i + 1]);
    if (d == 0xA0 || d == 0xAB || d == 0xBB || d == 0xB7) return 2;
  }
  return 0;
}

std::string trim_punct(std::string_view s, std::string_view ascii) {
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  for (bool changed = true; changed && !s.empty();) {
    changed = false;
    if (ws(s.front()) || ascii.find(s.front()) != std::string_view::npos) {
      s.remove_prefix(1);
      changed = true;
    } else if (size_t n = punct_len(s, 0)) {
      s.remove_prefix(n);
      changed = true;
    }
  }
  for (bool changed = true; changed && !s.empty();) {
    changed = false;
    if (ws(s.back()) || (static_cast<unsigned char>(s.back()) < 0x80 && ascii.find(s.back()) != std::string_view::npos)) {
      s.remove_suffix(1);
      changed = true;
    } else if (s.size() >= 3 && punct_len(s, s.size() - 3) == 3) {
      s.remove_suffix(3);
      changed = true;
    } else if (s.size() >= 2 && punct_len(s, s.size() - 2) == 2) {
      s.remove_suffix(2);
      changed = true;
    }
  }
  return std::string(s);
}

std::string normalise(std::string_view s) {
  std::string out;
  bool space = false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (size_t n = punct_len(s, i)) {
      space = true;
      i += n - 1;
      continue;
    }
    if (std::isalnum(c) || c >= 0x80) {
      if (space && !out.empty()) out.push_back(' ');
      space = false;
      out.push_back(static_cast<char>(std::tolower(c)));
    } else {
      space = true;
    }
  }
  return out;
}

std::vector<std::string> lines(std::string_view s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t nl = s.find('\n', pos);
    if (nl == std::string_view::npos) nl = s.size();
    out.emplace_back(s.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::string n = normalise(s);
  size_t pos = 0;
  while (pos < n.size()) {
    size_t sp = n.find(' ', pos);
    if (sp == std::string::npos) sp = n.size();
    out.push_back(n.substr(pos, sp - pos));
    pos = sp + 1;
  }
  return out;
}

std::vector<std::string> sentences(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    std::string t = squash(cur);
    if (t.size() > 2) out.push_back(t);
    cur.clear();
  };
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\n') {
      // A line break ends a sentence only when the next line starts a new thought (a list item,
      // a heading, a blank line) — prose wrapped across lines stays together.
      size_t j = i + 1;
      bool blank = j < s.size() && s[j] == '\n';
      bool upper_next = j < s.size() && (std::isupper(static_cast<unsigned char>(s[j])) || std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '-' || s[j] == '\t');
      bool cur_ends = !cur.empty() && (cur.back() == ':' || cur.size() < 60);
      if (blank || (upper_next && cur_ends)) flush();
      else cur.push_back(' ');
      continue;
    }
    cur.push_back(c);
    if ((c == '.' || c == '!' || c == '?') && (i + 1 >= s.size() || s[i + 1] == ' ' || s[i + 1] == '\n')) {
      // "Dr." "Sgt." "e.g." are not sentence ends.
      size_t sp = cur.find_last_of(' ');
      std::string last = lower(cur.substr(sp == std::string::npos ? 0 : sp + 1));
      static const std::set<std::string> kAbbrev = {"dr.", "sgt.", "lt.", "cpl.", "det.", "ofc.", "mr.", "mrs.", "ms.",
                                                     "e.g.", "i.e.", "no.", "st.", "vs.", "inc.", "jr.", "sr.", "capt."};
      if (!kAbbrev.count(last) && !(last.size() == 2 && std::isalpha(static_cast<unsigned char>(last[0])))) flush();
    }
  }
  flush();
  return out;
}

size_t edit_distance(std::string_view a, std::string_view b, size_t cap) {
  if (a.size() > b.size() + cap || b.size() > a.size() + cap) return cap + 1;
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    size_t best = cur[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      best = std::min(best, cur[j]);
    }
    if (best > cap) return cap + 1;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::optional<double> parse_number(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(s[i]))) {
      size_t j = i;
      while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
      std::string num(s.substr(i, j - i));
      while (!num.empty() && num.back() == '.') num.pop_back();
      return std::strtod(num.c_str(), nullptr);
    }
  }
  static const char* kWords[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                                 "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                                 "eighteen", "nineteen", "twenty"};
  for (const auto& w : words(s)) {
    for (int k = 0; k <= 20; ++k)
      if (w == kWords[k]) return k;
    if (w == "forty") return 40;
    if (w == "thirty") return 30;
  }
  return std::nullopt;
}

std::string squash(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

bool contains_phrase(std::string_view h, std::string_view p, size_t* at) {
  bool prefix = !p.empty() && p.back() == '*';
  if (prefix) p.remove_suffix(1);
  if (p.empty()) return false;
  auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80; };
  // A curly quote or dash (multi-byte punctuation) is a boundary too: "‘refresher’", "I–II".
  auto punct_before = [&](size_t at) {
    return (at >= 3 && punct_len(h, at - 3) == 3) || (at >= 2 && punct_len(h, at - 2) == 2);
  };
  size_t pos = 0;
  while ((pos = h.find(p, pos)) != std::string_view::npos) {
    bool left = pos == 0 || !is_word(h[pos - 1]) || punct_before(pos);
    size_t end = pos + p.size();
    bool right = prefix || end >= h.size() || !is_word(h[end]) || punct_len(h, end) > 0;
    if (left && right) {
      if (at) *at = pos;
      return true;
    }
    ++pos;
  }
  return false;
}

double word_overlap(std::string_view a, std::string_view b) {
  auto wa = words(a), wb = words(b);
  if (wa.empty()) return 0;
  std::set<std::string> sb(wb.begin(), wb.end());
  size_t hit = 0;
  for (const auto& w : wa) hit += sb.count(w);
  return static_cast<double>(hit) / static_cast<double>(wa.size());
}

namespace {

// Decodes one UTF-8 sequence at s[i] (advancing i); U+FFFD for a broken one.
char32_t next_code_point(std::string_view s, size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
  if (extra < 0 || i + static_cast<size_t>(extra) >= s.size() + (extra == 0 ? 1 : 0)) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = extra == 0 ? c : c & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) {
    unsigned char d = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
    if ((d & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (d & 0x3F);
  }
  i += static_cast<size_t>(extra) + 1;
  return cp;
}

void put_utf8(std::string& out, char32_t cp) { append_utf8(out, cp); }

// The base letters of U+00C0..U+017F ("" for none), two where the letter is a ligature.
std::string_view latin_base(char32_t cp) {
  static const char* const kLatin1[] = {  // U+00C0..U+00FF
      "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
      "D", "N", "O", "O", "O", "O", "O", "", "O", "U", "U", "U", "U", "Y", "TH", "ss",
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
      "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y"};
  // U+0100..U+017F, one letter each (U+0132/3 and U+0152/3 are ligatures, below).
  static const char kExtA[] =
      "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";
  static_assert(sizeof kExtA == 129, "one letter per code point");
  if (cp >= 0xC0 && cp <= 0xFF) return kLatin1[cp - 0xC0];
  if (cp == 0x132) return "IJ";
  if (cp == 0x133) return "ij";
  if (cp == 0x152) return "OE";
  if (cp == 0x153) return "oe";
  if (cp >= 0x100 && cp <= 0x17F) return std::string_view(&kExtA[cp - 0x100], 1);
  return {};
}

}  // namespace

std::string fold(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      out.push_back(s[i++]);
      continue;
    }
    char32_t cp = next_code_point(s, i);
    if (std::string_view base = latin_base(cp); !base.empty()) out += base;
    else if (cp == 0xD7 || cp == 0xF7) put_utf8(out, cp);
    else if (cp == 0x2018 || cp == 0x2019 || cp == 0x201B || cp == 0x2032 || cp == 0x02BC || cp == 0x00B4 || cp == 0x0060) out.push_back('\'');
    else if (cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0x2033) out.push_back('"');
    else if (cp >= 0x2010 && cp <= 0x2015) out.push_back('-');
    else if (cp == 0x00A0 || cp == 0x2007 || cp == 0x202F) out.push_back(' ');
    else if (cp == 0xFB01) out += "fi";
    else if (cp == 0xFB02) out += "fl";
    else if (cp >= 0x0300 && cp <= 0x036F) continue;  // a combining accent (decomposed text)
    else put_utf8(out, cp);
  }
  return out;
}

std::string name_key(std::string_view s) {
  std::string f = fold(s);
  f.erase(std::remove(f.begin(), f.end(), '\''), f.end());
  return normalise(f);
}

std::string lower_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(std::tolower(c)));
      ++i;
      continue;
    }
    char32_t cp = next_code_point(s, i);
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) cp += 0x20;
    else if (cp >= 0x100 && cp <= 0x17F && cp != 0x130 && cp != 0x131 && cp != 0x138 && cp != 0x149 && cp != 0x17F) {
      // Capitals sit on even code points, except in U+0139..U+0148 and U+0179..U+017E (odd).
      bool odd_caps = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
      if ((cp % 2 == 1) == odd_caps) ++cp;
    } else if (cp == 0x178) {
      cp = 0xFF;
    }
    put_utf8(out, cp);
  }
  return out;
}

}  // namespace clee::text
