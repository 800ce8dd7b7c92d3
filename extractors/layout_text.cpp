// The layout's reading of widgets, of formats without geometry, and the search for a quote's
// place on a page (see layout.h).
#include <algorithm>
#include <cctype>

#include "extractors/layout_internal.h"

namespace clee {
namespace {

using layout::key_shaped;
using layout::key_text;
using layout::trim;
using layout::word_count;

bool bracketed(std::string_view t) {
  std::string s = trim(t);
  return s.size() >= 2 && ((s.front() == '(' && s.back() == ')') || (s.front() == '[' && s.back() == ']'));
}

bool inside(const Box& outer, const Box& b) {
  double cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2;
  return cx >= outer.x0 && cx <= outer.x1 && cy >= outer.y0 && cy <= outer.y1;
}

// "Label: value" or "Label:<TAB>value" or "Label<TAB>value" in one paragraph or cell.
bool split_inline(const std::string& t, std::string* key, std::string* value) {
  size_t colon = 0;
  if (layout::starts_with_key(t, &colon)) {
    *key = key_text(t.substr(0, colon));
    *value = trim(t.substr(colon + 1));
    return !key->empty() && !value->empty();
  }
  size_t tab = t.find('\t');
  if (tab == std::string::npos || tab == 0) return false;
  std::string k = key_text(t.substr(0, tab)), v = trim(t.substr(tab + 1));
  if (!key_shaped(k) || v.empty() || k.find('\t') != std::string::npos) return false;
  *key = k;
  *value = v;
  return true;
}

// The printed label of a widget: the nearest line left of it on its band, else just above it.
std::optional<std::pair<std::string, Box>> widget_label(const Page& page, const Box& w,
                                                        const std::vector<Box>& widgets) {
  long left = -1, above = -1;
  double left_d = 1e18, above_d = 1e18;
  for (size_t i = 0; i < page.lines.size(); ++i) {
    const Box& lb = page.lines[i].box;
    if (std::any_of(widgets.begin(), widgets.end(), [&](const Box& o) { return inside(o, lb); })) continue;  // a value
    double cy = (lb.y0 + lb.y1) / 2, h = lb.height();
    if (lb.x1 <= w.x0 + 2 && cy >= w.y0 - 2 && cy <= w.y1 + 2 && w.x0 - lb.x1 < page.width / 2 && w.x0 - lb.x1 < left_d) {
      left_d = w.x0 - lb.x1;
      left = static_cast<long>(i);
    }
    bool over = lb.y1 <= w.y0 + 2 && w.y0 - lb.y1 < 2.5 * h &&
                (layout::overlap(lb.x0, lb.x1, w.x0, w.x1) > 0 || std::abs(lb.x0 - w.x0) < 2 * h);
    if (over && w.y0 - lb.y1 < above_d) {
      above_d = w.y0 - lb.y1;
      above = static_cast<long>(i);
    }
  }
  long pick = left >= 0 ? left : above;
  if (pick < 0) return std::nullopt;
  const Line& line = page.lines[static_cast<size_t>(pick)];
  // A label that wraps: the whole block, when the block sits where the line does.
  if (line.block >= 0 && static_cast<size_t>(line.block) < page.blocks.size()) {
    const Block& b = page.blocks[static_cast<size_t>(line.block)];
    bool placed = left >= 0 ? b.box.x1 <= w.x0 + 2 : b.box.y1 <= w.y0 + 2;
    if (placed && b.lines > 1) return std::make_pair(key_text(block_text(page, b)), b.box);
  }
  return std::make_pair(key_text(line_text(page, line)), line.box);
}

}  // namespace

void label_widgets(const std::vector<Page>& pages, std::vector<FormField>& fields, std::vector<KeyValue>& pairs) {
  for (const Page& page : pages) {
    std::vector<Box> widgets;
    for (const auto& f : fields)
      if (f.box && f.page == page.number) widgets.push_back(*f.box);
    if (widgets.empty() || page.lines.empty()) continue;
    // Pairs whose value is a widget's own appearance text give way to the widget's pair.
    pairs.erase(std::remove_if(pairs.begin(), pairs.end(),
                               [&](const KeyValue& kv) {
                                 return kv.page == page.number && kv.value_box &&
                                        std::any_of(widgets.begin(), widgets.end(),
                                                    [&](const Box& w) { return inside(w, *kv.value_box); });
                               }),
                pairs.end());
    for (auto& f : fields) {
      if (!f.box || f.page != page.number) continue;
      auto label = widget_label(page, *f.box, widgets);
      if (!label || label->first.empty()) continue;
      f.label = label->first;
      std::string value = trim(f.value);
      if (value.empty() || value == "Off") continue;
      pairs.push_back({f.label, value, page.number, label->second, *f.box, "widget"});
    }
  }
}

void sort_by_page(Document& doc) {
  std::stable_sort(doc.tables.begin(), doc.tables.end(), [](const Table& a, const Table& b) { return a.page < b.page; });
  std::stable_sort(doc.key_values.begin(), doc.key_values.end(),
                   [](const KeyValue& a, const KeyValue& b) { return a.page < b.page; });
}

std::vector<KeyValue> key_values_from_paragraphs(const std::vector<Paragraph>& lines, int page) {
  std::vector<KeyValue> out;
  bool any_bold = false, any_regular = false;
  for (const auto& l : lines) {
    if (trim(l.text).empty() || l.heading) continue;
    (l.bold ? any_bold : any_regular) = true;
  }
  const bool mixed = any_bold && any_regular;
  auto is_label = [&](const Paragraph& l) {
    if (l.heading) return false;
    std::string t = trim(l.text);
    return (layout::ends_with_colon(t) && word_count(t) <= 12) || (mixed && l.bold && key_shaped(t));
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string t = trim(lines[i].text), key, value;
    if (t.empty()) continue;
    if (split_inline(t, &key, &value)) {
      out.push_back({key, value, page, std::nullopt, std::nullopt, "inline"});
      continue;
    }
    if (!is_label(lines[i])) continue;
    key = key_text(t);
    size_t j = i + 1;
    if (j < lines.size() && trim(lines[j].text).empty()) ++j;  // one blank line may sit between
    for (; j < lines.size() && j < i + 14 && value.size() < 600; ++j) {
      std::string u = trim(lines[j].text), k2, v2;
      if (u.empty() || lines[j].heading || is_label(lines[j]) || split_inline(u, &k2, &v2)) break;
      if (value.empty() && bracketed(u)) {
        key += " " + u;
        continue;
      }
      value += (value.empty() ? "" : "\n") + u;
    }
    if (value.empty()) continue;
    out.push_back({key, value, page, std::nullopt, std::nullopt, "below"});
    i = j - 1;
  }
  return out;
}

std::vector<KeyValue> key_values_from_rows(const Table& table) {
  std::vector<KeyValue> out;
  auto box = [&](size_t r, size_t c) -> std::optional<Box> {
    if (r < table.boxes.size() && c < table.boxes[r].size()) return table.boxes[r][c];
    return std::nullopt;
  };
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    bool colons = std::any_of(row.begin(), row.end(), [](const std::string& c) { return layout::ends_with_colon(c); });
    // A list's header row ("Name | Agency | Phone") pairs nothing; its cells are read by column.
    if (row.size() >= 3 && row.size() % 2 == 1 && !colons) continue;
    for (size_t c = 0; c < row.size(); ++c) {
      std::string key, value;
      if (split_inline(row[c], &key, &value)) {
        out.push_back({key, value, table.page, box(r, c), box(r, c), "inline"});
        continue;
      }
      const std::string& k = row[c];
      if (!key_shaped(k)) continue;
      if (c + 1 < row.size()) {
        // A value cell may hold a colon of its own ("Crisis Negotiation II: Barricade ...").
        const std::string& v = row[c + 1];
        if (trim(v).empty() || layout::ends_with_colon(v)) continue;
        out.push_back({key_text(k), trim(v), table.page, box(r, c), box(r, c + 1), "cell"});
        ++c;
      } else if (row.size() == 1 && layout::ends_with_colon(k) && r + 1 < table.rows.size() &&
                 table.rows[r + 1].size() == 1 && !trim(table.rows[r + 1][0]).empty()) {
        out.push_back({key_text(k), trim(table.rows[r + 1][0]), table.page, box(r, 0), box(r + 1, 0), "below"});
        ++r;
      }
    }
  }
  return out;
}

namespace {

// Lower-case ASCII letters and digits; other bytes (UTF-8) kept; everything else separates.
void tokens_of(std::string_view s, std::vector<std::string>& out) {
  std::string cur;
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c >= 0x80) {
      cur.push_back(static_cast<char>(std::tolower(c)));
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
}

}  // namespace

std::optional<Box> find_text_box(const Page& page, std::string_view quote) {
  std::vector<std::string> q;
  tokens_of(quote, q);
  if (q.size() > 40) q.resize(40);
  if (q.empty() || page.words.empty()) return std::nullopt;
  std::vector<std::string> tok;
  std::vector<size_t> word_of;
  for (size_t w = 0; w < page.words.size(); ++w) {
    tokens_of(page.words[w].text, tok);
    word_of.resize(tok.size(), w);
  }
  // The first place where the quote's tokens follow in order, few skipped on either side (OCR
  // slips, a label's colon word): at most 3 page tokens in a row, a fifth of the quote's.
  const size_t may_miss = q.size() / 5;
  std::optional<Box> best;
  size_t best_missed = may_miss + 1;
  for (size_t s = 0; s < tok.size() && best_missed > 0; ++s) {
    if (tok[s] != q[0] && (q.size() < 2 || tok[s] != q[1])) continue;
    size_t i = s, j = tok[s] == q[0] ? 0 : 1, missed = j, run = 0;
    Box box;
    while (i < tok.size() && j < q.size() && missed <= may_miss) {
      if (tok[i] == q[j]) {
        box = unite(box, page.words[word_of[i]].box);
        ++i, ++j, run = 0;
      } else if (run < 3) {
        ++i, ++run;
      } else {
        ++j, ++missed, run = 0;
        i -= 3;
      }
    }
    missed += q.size() - j;
    if (missed < best_missed && !box.empty()) {
      best_missed = missed;
      best = box;
    }
  }
  return best;
}

}  // namespace clee
