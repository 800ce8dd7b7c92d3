// Layout analysis: what a page's geometry says about its text, for any extractor that has words
// with boxes (PDF text layers, OCR) and, without boxes, for paragraph and table structure (DOCX).
// It knows nothing of CLEE: a label is recognised by how it is set (a trailing colon, bold type,
// the left cell of a row, the text beside a fill-in box), never by what it says.
//
// From a page's words it builds
//   - lines: runs of words on one band with no column gap or ruling between them (a phrase);
//   - blocks: lines that read together (a paragraph, a wrapped cell, a label that wraps), split
//     where a ruling, a change of weight or size, a colon-ended label or a wide gap separates them;
//   - tables: rows of two or more blocks side by side whose tops align, over two or more rows;
//   - key/value pairs: a label and the value to its right on the same band, or below it in the
//     same column, the value keeping every wrapped line up to the next label or gap.
// Pure functions over plain data; thread-safe. Cost is O(n log n) in the words of a page, and a
// page with more than kMaxLayoutWords words keeps its words but gets no analysis.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extractors/document.h"

namespace clee {

inline constexpr size_t kMaxLayoutWords = 20000;

// What an extractor knows about a page beyond its words.
struct PageGeometry {
  std::vector<Box> rules;  // ruling lines drawn on the page: cell borders, fill-in underlines
  // Per word, the text line the engine put it on (Tesseract's lines survive skew); empty when
  // lines are to be found from the boxes alone.
  std::vector<int> line_hint;
  double skew_degrees = 0;  // the text lines' slope, positive when they descend to the right
};

// Builds page.lines and page.blocks from page.words (reordered into line order), then appends the
// page's tables and key/value pairs to the Document's lists.
void analyse_page(Page& page, const PageGeometry& geometry, std::vector<Table>& tables,
                  std::vector<KeyValue>& pairs);

// Each widget of `fields` with a box gets the printed text left of it on its band (or, failing
// that, just above it) as its label; a pair (label, value) is appended for each labelled widget
// that holds a value. `pages` must have their lines built.
void label_widgets(const std::vector<Page>& pages, std::vector<FormField>& fields, std::vector<KeyValue>& pairs);

// A paragraph of a format without geometry, with the weight it is set in.
struct Paragraph {
  std::string text;
  bool bold = false;
  bool heading = false;  // set as a heading (an outline level): neither label nor value
};
// Pairs from paragraphs (DOCX bodies): "Label: value", "Label:<TAB>value", a colon-ended or bold
// label paragraph over the value paragraphs that follow it. Boxes are null.
std::vector<KeyValue> key_values_from_paragraphs(const std::vector<Paragraph>& lines, int page);
// Pairs from a table without geometry: each row's label cell and the cell right of it, a lone
// label cell over the cell below it, "Label: value" inside a cell.
std::vector<KeyValue> key_values_from_rows(const Table& table);

// Coordinates to a hundredth of a point: finer than any page shows, and short and exact in JSON.
inline double round_pt(double v) { return std::round(v * 100) / 100; }
inline Box round_box(const Box& b) { return {round_pt(b.x0), round_pt(b.y0), round_pt(b.x1), round_pt(b.y1)}; }

// Orders the Document's tables and key/value pairs by page (pages may be analysed out of order).
void sort_by_page(Document& doc);

// The words of a line or block joined by spaces.
std::string line_text(const Page& page, const Line& line);
std::string block_text(const Page& page, const Block& block);

// The smallest box around the words of `page` that spell `quote` (case and punctuation aside),
// nullopt when the page has no such run of words. Used to place evidence on the page.
std::optional<Box> find_text_box(const Page& page, std::string_view quote);

}  // namespace clee
