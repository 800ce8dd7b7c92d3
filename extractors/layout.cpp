// Lines, blocks and tables from word boxes (see layout.h); the pairs are in layout_pairs.cpp.
//
// Heights decide the tolerances: a page mixes sizes, so every test compares with the height of
// the lines involved, never with a fixed number of points. A word box is about 1.0-1.2 em tall;
// a space between words is about 0.25 em, a column gap a full em or more, the gap between two
// wrapped lines of one paragraph about 0.1 em, between paragraphs or table rows 0.5 em and more.
#include "extractors/layout.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>

#include "extractors/layout_internal.h"

namespace clee {

Box unite(const Box& a, const Box& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return {std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
}

namespace layout {

double overlap(double a0, double a1, double b0, double b1) { return std::min(a1, b1) - std::max(a0, b0); }

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

std::string key_text(std::string_view k) {
  std::string t = trim(k);
  while (!t.empty() && (t.back() == ':' || t.back() == ' ' || t.back() == '\t')) t.pop_back();
  return t;
}

size_t word_count(std::string_view t) {
  size_t n = 0;
  bool in = false;
  for (char c : t) {
    bool space = c == ' ' || c == '\t' || c == '\n';
    if (!space && !in) ++n;
    in = !space;
  }
  return n;
}

bool key_shaped(std::string_view t) {
  std::string s = trim(t);
  if (s.empty() || s.size() > 90 || word_count(s) > 10) return false;
  if (s.back() == '.' && !(s.size() >= 3 && s[s.size() - 3] == ' ')) return false;  // "No." stays a label
  return std::any_of(s.begin(), s.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
}

bool ends_with_colon(std::string_view t) {
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  return !t.empty() && t.back() == ':';
}

// Word boxes in the frame the analysis runs in: turned by the skew so that text lines are level.
std::vector<Box> analysis_boxes(const Page& page, double skew_degrees) {
  std::vector<Box> out;
  out.reserve(page.words.size());
  double a = skew_degrees * M_PI / 180, c = std::cos(a), s = std::sin(a);
  double cx = page.width / 2, cy = page.height / 2;
  for (const auto& w : page.words) {
    if (std::abs(skew_degrees) < 0.05) {
      out.push_back(w.box);
      continue;
    }
    // Turn the centre back by the skew (a line descending to the right becomes level); keep the size.
    double mx = (w.box.x0 + w.box.x1) / 2 - cx, my = (w.box.y0 + w.box.y1) / 2 - cy;
    double rx = mx * c + my * s + cx, ry = -mx * s + my * c + cy;
    double hw = w.box.width() / 2, hh = w.box.height() / 2;
    out.push_back({rx - hw, ry - hh, rx + hw, ry + hh});
  }
  return out;
}

namespace {

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

// Words grouped into bands (one text line across the page), each sorted left to right, bands top
// to bottom. Without hints each word is placed by its box; with an engine's lines, each of its
// lines stays whole and lines that share a band are merged.
std::vector<std::vector<int>> bands_of(const std::vector<Box>& a, const std::vector<int>& hint) {
  std::vector<std::vector<int>> units;
  if (hint.size() == a.size()) {
    std::map<int, size_t> slot;
    for (size_t i = 0; i < a.size(); ++i) {
      auto [it, fresh] = slot.emplace(hint[i], units.size());
      if (fresh) units.emplace_back();
      units[it->second].push_back(static_cast<int>(i));
    }
  } else {
    for (size_t i = 0; i < a.size(); ++i) units.push_back({static_cast<int>(i)});
  }
  std::vector<Box> ub(units.size());
  for (size_t u = 0; u < units.size(); ++u)
    for (int i : units[u]) ub[u] = unite(ub[u], a[static_cast<size_t>(i)]);
  std::vector<size_t> order(units.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return ub[x].y0 < ub[y].y0; });
  struct Open {
    size_t band;
    double y0, y1;
  };
  std::vector<std::vector<int>> bands;
  std::vector<Open> open;
  for (size_t u : order) {
    const Box& b = ub[u];
    open.erase(std::remove_if(open.begin(), open.end(), [&](const Open& o) { return o.y1 < b.y0; }), open.end());
    Open* best = nullptr;
    double best_share = 0.5;
    for (auto& o : open) {
      double share = overlap(o.y0, o.y1, b.y0, b.y1) / std::max(1e-6, std::min(o.y1 - o.y0, b.height()));
      if (share >= best_share) {
        best_share = share;
        best = &o;
      }
    }
    if (!best) {
      open.push_back({bands.size(), b.y0, b.y1});
      bands.emplace_back();
      best = &open.back();
    }
    bands[best->band].insert(bands[best->band].end(), units[u].begin(), units[u].end());
    // The band's extent is its first unit's: a run of slightly offset words must not chain.
  }
  for (auto& band : bands)
    std::sort(band.begin(), band.end(), [&](int x, int y) { return a[static_cast<size_t>(x)].x0 < a[static_cast<size_t>(y)].x0; });
  return bands;
}

// A vertical ruling that separates two horizontally adjacent boxes.
bool rule_between_x(const std::vector<Box>& rules, const Box& left, const Box& right) {
  double cy = (left.y0 + left.y1 + right.y0 + right.y1) / 4;
  for (const auto& r : rules)
    if (r.height() > r.width() && r.y0 <= cy && r.y1 >= cy && (r.x0 + r.x1) / 2 >= left.x1 - 1.5 &&
        (r.x0 + r.x1) / 2 <= right.x0 + 1.5)
      return true;
  return false;
}

}  // namespace

bool rule_between_y(const std::vector<Box>& rules, const Box& above, const Box& below) {
  double x0 = std::max(above.x0, below.x0), x1 = std::min(above.x1, below.x1);
  if (x1 <= x0) x0 = std::min(above.x0, below.x0), x1 = std::max(above.x1, below.x1);
  for (const auto& r : rules) {
    if (r.width() < r.height()) continue;
    double y = (r.y0 + r.y1) / 2;
    if (y < (above.y0 + above.y1) / 2 || y > (below.y0 + below.y1) / 2) continue;
    if (overlap(r.x0, r.x1, x0, x1) > 0.5 * (x1 - x0)) return true;
  }
  return false;
}

// Splits each band into lines at column gaps and vertical rulings; reorders page.words.
std::vector<Box> build_lines(Page& page, const std::vector<Box>& a, const PageGeometry& g, std::vector<int>* band_of) {
  std::vector<Word> words;
  std::vector<Box> line_boxes;  // in the analysis frame, parallel to page.lines
  words.reserve(page.words.size());
  page.lines.clear();
  band_of->clear();
  int band_index = 0;
  for (const auto& band : bands_of(a, g.line_hint)) {
    std::vector<double> hs;
    for (int i : band) hs.push_back(a[static_cast<size_t>(i)].height());
    double h = median(hs);
    size_t start = 0;
    for (size_t k = 1; k <= band.size(); ++k) {
      bool cut = k == band.size();
      if (!cut) {
        const Box& prev = a[static_cast<size_t>(band[k - 1])];
        const Box& next = a[static_cast<size_t>(band[k])];
        cut = next.x0 - prev.x1 > 0.8 * h || rule_between_x(g.rules, prev, next);
      }
      if (!cut) continue;
      Line line;
      line.first_word = static_cast<int>(words.size());
      line.words = static_cast<int>(k - start);
      Box ab;
      for (size_t j = start; j < k; ++j) {
        const Word& w = page.words[static_cast<size_t>(band[j])];
        line.box = unite(line.box, w.box);
        ab = unite(ab, a[static_cast<size_t>(band[j])]);
        words.push_back(w);
      }
      page.lines.push_back(line);
      line_boxes.push_back(ab);
      band_of->push_back(band_index);
      start = k;
    }
    ++band_index;
  }
  page.words = std::move(words);
  return line_boxes;
}

namespace {

struct LineInfo {
  std::string text;
  bool bold = false;
  double size = 0;       // font size, or the box height when the size is unknown
  int band = 0;
  int above = -1;        // the nearest line above in the same column
  bool fresh = true;     // nothing close above it: it starts a paragraph or a cell
  bool inline_key = false;  // "Label: value" starts the line
  bool colon_key = false;   // the line is a label ending with a colon
};

bool aligned_columns(const Box& p, const Box& l) {
  double h = std::max(p.height(), l.height());
  return std::abs(p.x0 - l.x0) <= 1.5 * h || overlap(p.x0, p.x1, l.x0, l.x1) >= 0.5 * std::min(p.width(), l.width());
}

double gap_between(const Box& above, const Box& below) { return below.y0 - above.y1; }

}  // namespace

bool starts_with_key(std::string_view t, size_t* colon_at) {
  // A colon ending one of the first eight words, with more text after it: "Course Title: X".
  int words = 0;
  bool in_word = false;
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == ' ' || c == '\t') {
      in_word = false;
      continue;
    }
    if (!in_word && ++words > 8) return false;
    in_word = true;
    if (c == ':' && (i + 1 == t.size() || t[i + 1] == ' ' || t[i + 1] == '\t') && i > 0) {
      if (t.substr(i + 1).find_first_not_of(" \t") == std::string_view::npos) return false;
      if (colon_at) *colon_at = i;
      return true;
    }
  }
  return false;
}

Frame build_blocks(Page& page, const std::vector<Box>& la, const std::vector<int>& band_of, const PageGeometry& g) {
  const size_t n = page.lines.size();
  std::vector<LineInfo> info(n);
  for (size_t i = 0; i < n; ++i) {
    const Line& l = page.lines[i];
    LineInfo& li = info[i];
    li.text = line_text(page, l);
    li.band = band_of[i];
    li.bold = l.words > 0;
    std::vector<double> sizes;
    for (int w = l.first_word; w < l.first_word + l.words; ++w) {
      const Word& word = page.words[static_cast<size_t>(w)];
      li.bold = li.bold && word.bold;
      sizes.push_back(word.font_size > 0 ? word.font_size : la[i].height());
    }
    li.size = median(sizes);
    li.inline_key = starts_with_key(li.text, nullptr);
    li.colon_key = ends_with_colon(li.text) && l.words <= 12;
    // The nearest line above in the same column (lines are in band order).
    for (size_t j = i; j-- > 0;) {
      if (la[j].y0 < la[i].y0 - 8 * la[i].height()) break;
      if (band_of[j] == band_of[i] || la[j].y1 > la[i].y0 + 0.35 * la[i].height()) continue;
      if (!aligned_columns(la[j], la[i])) continue;
      if (li.above < 0 || la[j].y1 > la[static_cast<size_t>(li.above)].y1) li.above = static_cast<int>(j);
    }
    if (li.above >= 0) {
      const Box& p = la[static_cast<size_t>(li.above)];
      double h = std::max(p.height(), la[i].height());
      li.fresh = gap_between(p, la[i]) > 0.65 * h || rule_between_y(g.rules, p, la[i]);
    }
  }
  // Whether another line on the band of `i` starts fresh (a new row begins there) or continues.
  auto band_has = [&](size_t i, bool fresh) {
    for (size_t j = i + 1; j < n && info[j].band == info[i].band; ++j)
      if (info[j].fresh == fresh) return true;
    for (size_t j = i; j-- > 0 && info[j].band == info[i].band;)
      if (info[j].fresh == fresh) return true;
    return false;
  };
  std::vector<int> block_of(n, -1);
  std::vector<std::vector<int>> members;
  std::vector<bool> beside;  // the block's first line has a line to its right on its band
  for (size_t i = 0; i < n; ++i) {
    const LineInfo& li = info[i];
    bool join = false;
    int p = li.above;
    if (p >= 0 && !li.fresh && members[static_cast<size_t>(block_of[static_cast<size_t>(p)])].back() == p) {
      const LineInfo& pi = info[static_cast<size_t>(p)];
      double ratio = std::max(pi.size, li.size) / std::max(1e-6, std::min(pi.size, li.size));
      join = ratio <= 1.25 && pi.bold == li.bold && !pi.colon_key && !li.inline_key;
      // A colon label under another label's first line continues it only in a grid row whose
      // other cells go on too ("Training Provider / Academy" over "Name:", the value beside).
      if (join && li.colon_key) join = beside[static_cast<size_t>(block_of[static_cast<size_t>(p)])] && !band_has(i, true);
      else if (join) join = !band_has(i, true);  // a new row starts on this band
    }
    if (join) {
      int b = block_of[static_cast<size_t>(p)];
      block_of[i] = b;
      members[static_cast<size_t>(b)].push_back(static_cast<int>(i));
      continue;
    }
    block_of[i] = static_cast<int>(members.size());
    members.push_back({static_cast<int>(i)});
    bool right = false;
    for (size_t j = i + 1; j < n && info[j].band == li.band; ++j) right = right || la[j].x0 > la[i].x1;
    beside.push_back(right);
  }
  // Blocks in order of their first line; lines and words renumbered so each block's lines and
  // each line's words are consecutive.
  Frame f;
  std::vector<Line> lines;
  std::vector<Word> words;
  for (const auto& m : members) {
    Block b;
    b.first_line = static_cast<int>(lines.size());
    b.lines = static_cast<int>(m.size());
    Box ab;
    for (int i : m) {
      Line l = page.lines[static_cast<size_t>(i)];
      int first = static_cast<int>(words.size());
      for (int w = l.first_word; w < l.first_word + l.words; ++w) words.push_back(page.words[static_cast<size_t>(w)]);
      l.first_word = first;
      l.block = static_cast<int>(page.blocks.size());
      b.box = unite(b.box, l.box);
      ab = unite(ab, la[static_cast<size_t>(i)]);
      lines.push_back(l);
      f.lines.push_back(la[static_cast<size_t>(i)]);
      f.bands.push_back(info[static_cast<size_t>(i)].band);
      f.line_text.push_back(info[static_cast<size_t>(i)].text);
      f.line_bold.push_back(info[static_cast<size_t>(i)].bold);
    }
    page.blocks.push_back(b);
    f.blocks.push_back(ab);
  }
  page.lines = std::move(lines);
  page.words = std::move(words);
  for (const auto& b : page.blocks) f.block_text.push_back(block_text(page, b));
  return f;
}

// Rows of blocks whose first lines share a band, two or more side by side, over two or more rows
// in a run: cells found by alignment. Each table is its rows of block indices, left to right.
std::vector<TableRows> find_tables(const Page& page, const Frame& f) {
  std::vector<TableRows> out;
  std::map<int, std::vector<size_t>> rows;  // blocks by the band of their first line
  for (size_t b = 0; b < page.blocks.size(); ++b) rows[f.bands[static_cast<size_t>(page.blocks[b].first_line)]].push_back(b);
  TableRows t;
  double prev_bottom = 0;
  auto flush = [&] {
    if (t.size() >= 2) out.push_back(std::move(t));
    t.clear();
  };
  for (auto& [band, blocks] : rows) {
    std::sort(blocks.begin(), blocks.end(), [&](size_t x, size_t y) { return f.blocks[x].x0 < f.blocks[y].x0; });
    bool disjoint = blocks.size() >= 2;
    for (size_t k = 1; k < blocks.size() && disjoint; ++k)
      disjoint = f.blocks[blocks[k]].x0 >= f.blocks[blocks[k - 1]].x1 - 1;
    double top = f.blocks[blocks[0]].y0, h = f.lines[static_cast<size_t>(page.blocks[blocks[0]].first_line)].height();
    if (!disjoint || (!t.empty() && top - prev_bottom > 3 * h)) flush();
    if (!disjoint) continue;
    prev_bottom = 0;
    for (size_t b : blocks) prev_bottom = std::max(prev_bottom, f.blocks[b].y1);
    t.push_back(blocks);
  }
  flush();
  return out;
}

Table to_table(const Page& page, const Frame& f, const TableRows& rows) {
  Table t;
  t.page = page.number;
  for (const auto& row : rows) {
    std::vector<std::string> cells;
    std::vector<Box> boxes;
    for (size_t b : row) {
      cells.push_back(f.block_text[b]);
      boxes.push_back(page.blocks[b].box);
    }
    t.rows.push_back(std::move(cells));
    t.boxes.push_back(std::move(boxes));
  }
  return t;
}

}  // namespace layout

void analyse_page(Page& page, const PageGeometry& geometry, std::vector<Table>& tables, std::vector<KeyValue>& pairs) {
  page.lines.clear();
  page.blocks.clear();
  if (page.words.empty() || page.words.size() > kMaxLayoutWords) return;
  std::vector<Box> a = layout::analysis_boxes(page, geometry.skew_degrees);
  std::vector<int> band_of;
  std::vector<Box> la = layout::build_lines(page, a, geometry, &band_of);
  layout::Frame f = layout::build_blocks(page, la, band_of, geometry);
  std::vector<layout::TableRows> found = layout::find_tables(page, f);
  std::vector<std::vector<size_t>> rows;
  for (const auto& t : found) {
    tables.push_back(layout::to_table(page, f, t));
    rows.insert(rows.end(), t.begin(), t.end());
  }
  layout::find_pairs(page, f, rows, pairs);
}

std::string line_text(const Page& page, const Line& line) {
  std::string out;
  for (int i = line.first_word; i < line.first_word + line.words && i < static_cast<int>(page.words.size()); ++i) {
    if (!out.empty()) out.push_back(' ');
    out += page.words[static_cast<size_t>(i)].text;
  }
  return out;
}

std::string block_text(const Page& page, const Block& block) {
  std::string out;
  for (int i = block.first_line; i < block.first_line + block.lines && i < static_cast<int>(page.lines.size()); ++i) {
    if (!out.empty()) out.push_back(' ');
    out += line_text(page, page.lines[static_cast<size_t>(i)]);
  }
  return out;
}

}  // namespace clee
