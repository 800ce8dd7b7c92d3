// Key/value pairs (see layout.h): from a page's blocks and tables, from widgets and the text
// beside them, and from paragraphs and rows of formats without geometry. Also where a quote sits
// on a page.
//
// A label is recognised by how it is set, in this order of trust: "Label: value" on one line; a
// label ending in a colon with its value beside or under it; a bold label over or beside regular
// text; the left cell of a table row. A value keeps every line of its block (wrapped lines), lines
// joined by '\n' so a list stays a list; a note wholly in brackets under a label ("(less than 60
// characters)") belongs to the label and is never a value.
#include <algorithm>
#include <cctype>
#include <cmath>

#include "extractors/layout_internal.h"

namespace clee {
namespace layout {
namespace {


// "(less than 60 characters)", "[optional]": a note, wholly in brackets.
bool bracketed(std::string_view t) {
  std::string s = trim(t);
  return s.size() >= 2 && ((s.front() == '(' && s.back() == ')') || (s.front() == '[' && s.back() == ']'));
}

struct BlockView {
  std::string text;     // lines joined by spaces
  std::string value;    // lines joined by '\n'
  bool bold = false;    // every line bold
  double size = 0;      // its first line's font size (its height when unknown)
  bool colon = false;   // a label ending in a colon
  bool inline_key = false;
};

class Pairs {
 public:
  Pairs(const Page& page, const Frame& f, std::vector<KeyValue>& out) : page_(page), f_(f), out_(out) {
    const size_t nb = page.blocks.size();
    views_.resize(nb);
    used_.assign(nb, false);
    for (size_t b = 0; b < nb; ++b) {
      const Block& blk = page.blocks[b];
      BlockView& v = views_[b];
      v.bold = true;
      for (int l = blk.first_line; l < blk.first_line + blk.lines; ++l) {
        if (!v.value.empty()) v.value.push_back('\n');
        v.value += f.line_text[static_cast<size_t>(l)];
        v.bold = v.bold && f.line_bold[static_cast<size_t>(l)];
      }
      v.text = f.block_text[b];
      const Line& first = page.lines[static_cast<size_t>(blk.first_line)];
      v.size = first.words > 0 && page.words[static_cast<size_t>(first.first_word)].font_size > 0
                   ? page.words[static_cast<size_t>(first.first_word)].font_size
                   : f.lines[static_cast<size_t>(blk.first_line)].height();
      v.colon = ends_with_colon(v.text) && word_count(v.text) <= 12;
      v.inline_key = starts_with_key(f.line_text[static_cast<size_t>(blk.first_line)], nullptr);
      mixed_weight_ |= v.bold;
      any_regular_ |= !v.bold;
    }
    mixed_weight_ = mixed_weight_ && any_regular_;
  }

  void run(const std::vector<std::vector<size_t>>& table_rows) {
    for (size_t b = 0; b < views_.size(); ++b)
      if (views_[b].inline_key) inline_pair(b);
    for (size_t b = 0; b < views_.size(); ++b) {
      const BlockView& v = views_[b];
      bool label = v.colon || (mixed_weight_ && v.bold && key_shaped(v.text));
      if (label && !used_[b]) label_pair(b, v.bold && !v.colon);
    }
    // Captions: a printed form's small label at the top of its box, the entry under it.
    for (size_t b = 0; b < views_.size(); ++b)
      if (!used_[b] && key_shaped(views_[b].text)) caption_pair(b);
    // Table rows: the label cell and the cell right of it, for cells nothing else has paired.
    for (const auto& row : table_rows)
      for (size_t k = 0; k + 1 < row.size(); k += 2) {
        size_t b = row[k], v = row[k + 1];
        if (used_[b] || used_[v] || !key_shaped(views_[b].text) || views_[v].colon || views_[v].inline_key) continue;
        emit(b, v, "cell");
      }
  }

 private:
  Box line_box(int l) const { return page_.lines[static_cast<size_t>(l)].box; }

  // "Course Title: Advanced ..." (and the block's further lines): split at the colon word.
  void inline_pair(size_t b) {
    const Block& blk = page_.blocks[b];
    const Line& first = page_.lines[static_cast<size_t>(blk.first_line)];
    KeyValue kv;
    kv.page = page_.number;
    kv.how = "inline";
    Box kb, vb;
    std::string key, value;
    bool in_value = false;
    for (int w = first.first_word; w < first.first_word + first.words; ++w) {
      const Word& word = page_.words[static_cast<size_t>(w)];
      if (in_value) {
        if (!value.empty()) value.push_back(' ');
        value += word.text;
        vb = unite(vb, word.box);
        continue;
      }
      size_t colon = word.text.find(':');
      if (!key.empty()) key.push_back(' ');
      if (colon != std::string::npos && colon + 1 < word.text.size()) {  // "Title:Advanced"
        key += word.text.substr(0, colon);
        value = word.text.substr(colon + 1);
        in_value = true;
        kb = unite(kb, word.box);
        vb = unite(vb, word.box);
        continue;
      }
      key += word.text;
      kb = unite(kb, word.box);
      in_value = colon != std::string::npos;
    }
    for (int l = blk.first_line + 1; l < blk.first_line + blk.lines; ++l) {
      value += "\n" + f_.line_text[static_cast<size_t>(l)];
      vb = unite(vb, line_box(l));
    }
    kv.key = key_text(key);
    kv.value = trim(value);
    if (kv.key.empty() || kv.value.empty()) return;
    kv.key_box = kb;
    kv.value_box = vb;
    used_[b] = true;
    out_.push_back(std::move(kv));
  }

  // The value of label block `b`: the block beside it on its first band, else the one under it.
  void label_pair(size_t b, bool by_weight) {
    const Box& kb = f_.blocks[b];
    const int band = f_.bands[static_cast<size_t>(page_.blocks[b].first_line)];
    const double h = f_.lines[static_cast<size_t>(page_.blocks[b].first_line)].height();
    std::string note;  // a bracketed note under the label joins the label
    auto usable = [&](size_t c) {
      const BlockView& v = views_[c];
      // A label by weight alone is no larger than its value: a bold heading over text is a heading.
      bool heading = by_weight && views_[b].size > 1.15 * v.size;
      return c != b && !used_[c] && !v.colon && !v.inline_key && !(by_weight && v.bold) && !bracketed(v.text) && !heading;
    };
    long right = -1, below = -1;
    for (size_t c = 0; c < views_.size(); ++c) {
      const Box& cb = f_.blocks[c];
      const int cband = f_.bands[static_cast<size_t>(page_.blocks[c].first_line)];
      const Box& cfirst = f_.lines[static_cast<size_t>(page_.blocks[c].first_line)];
      double cy = (cfirst.y0 + cfirst.y1) / 2;
      bool beside = cb.x0 >= kb.x1 - 1 && (cband == band || (cy >= kb.y0 && cy <= kb.y1));
      if (beside && usable(c) && (right < 0 || cb.x0 < f_.blocks[static_cast<size_t>(right)].x0)) right = static_cast<long>(c);
      double gap = cb.y0 - kb.y1;
      bool under = gap >= -0.3 * h && gap < 2.5 * h &&
                   (std::abs(cb.x0 - kb.x0) <= 1.5 * h || overlap(cb.x0, cb.x1, kb.x0, kb.x1) > 0.5 * std::min(cb.width(), kb.width()));
      if (under && bracketed(views_[c].text) && gap < 1.0 * h) note = views_[c].text;
      if (under && usable(c) && (below < 0 || cb.y0 < f_.blocks[static_cast<size_t>(below)].y0)) below = static_cast<long>(c);
    }
    long v = right >= 0 ? right : below;
    if (v < 0) return;
    emit(b, static_cast<size_t>(v), right >= 0 ? "right" : "below", note);
  }

  // Letters, all of them capitals: "TRAINING PROVIDER", "DATE(S)".
  static bool capitals(std::string_view t) {
    bool letter = false;
    for (char c : t) {
      if (std::islower(static_cast<unsigned char>(c))) return false;
      letter |= std::isupper(static_cast<unsigned char>(c)) != 0;
    }
    return letter;
  }

  // Label block `b` set as a caption over its entry: the block straight under it in its column
  // is set larger (a 7-point label over a 12-point entry), or the label is in capitals without
  // digits over a somewhat taller entry that is not (OCR knows heights, not sizes: capitals
  // stand lower than mixed case). A heading over its paragraph is larger, never a caption; a
  // code in capitals over a title in the same type ("ACAD-0412" over the course) is no caption.
  void caption_pair(size_t b) {
    const Box& kb = f_.blocks[b];
    const double h = f_.lines[static_cast<size_t>(page_.blocks[b].first_line)].height();
    long below = -1;
    for (size_t c = 0; c < views_.size(); ++c) {
      if (c == b) continue;
      const Box& cb = f_.blocks[c];
      double gap = cb.y0 - kb.y1;
      bool column = std::abs(cb.x0 - kb.x0) <= 1.5 * h ||
                    overlap(cb.x0, cb.x1, kb.x0, kb.x1) > 0.5 * std::min(cb.width(), kb.width());
      if (gap >= -0.3 * h && gap < 2.5 * h && column && (below < 0 || cb.y0 < f_.blocks[static_cast<size_t>(below)].y0))
        below = static_cast<long>(c);
    }
    if (below < 0) return;
    const size_t c = static_cast<size_t>(below);
    const BlockView &k = views_[b], &v = views_[c];
    if (used_[c] || v.colon || v.inline_key || bracketed(v.text)) return;
    bool smaller = v.size >= 1.25 * k.size;
    bool caps = capitals(k.text) && !capitals(v.text) && v.size >= 1.1 * k.size &&
                std::none_of(k.text.begin(), k.text.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); });
    if (smaller || caps) emit(b, c, "below");
  }

  void emit(size_t k, size_t v, const char* how, const std::string& note = "") {
    KeyValue kv;
    kv.page = page_.number;
    kv.how = how;
    kv.key = key_text(views_[k].text);
    if (!note.empty()) kv.key += " " + note;
    kv.value = trim(views_[v].value);
    if (kv.key.empty() || kv.value.empty()) return;
    kv.key_box = page_.blocks[k].box;
    kv.value_box = page_.blocks[v].box;
    used_[k] = used_[v] = true;
    out_.push_back(std::move(kv));
  }

  const Page& page_;
  const Frame& f_;
  std::vector<KeyValue>& out_;
  std::vector<BlockView> views_;
  std::vector<bool> used_;
  bool mixed_weight_ = false, any_regular_ = false;
};

}  // namespace

void find_pairs(const Page& page, const Frame& f, const std::vector<std::vector<size_t>>& table_rows,
                std::vector<KeyValue>& pairs) {
  std::vector<KeyValue> found;
  Pairs(page, f, found).run(table_rows);
  // Top to bottom, then left to right, as a reader meets them.
  std::stable_sort(found.begin(), found.end(), [](const KeyValue& a, const KeyValue& b) {
    double ay = a.key_box ? a.key_box->y0 : 0, by = b.key_box ? b.key_box->y0 : 0;
    if (std::abs(ay - by) > 2) return ay < by;
    return (a.key_box ? a.key_box->x0 : 0) < (b.key_box ? b.key_box->x0 : 0);
  });
  for (auto& kv : found) pairs.push_back(std::move(kv));
}

}  // namespace layout
}  // namespace clee
