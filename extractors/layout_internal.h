// Internals shared by layout.cpp (lines, blocks, tables) and layout_pairs.cpp (key/value pairs);
// not for use outside the layout analysis.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "extractors/layout.h"

namespace clee::layout {

// The page as the analysis sees it once lines and blocks are built: boxes in the analysis frame
// (deskewed), parallel to Page::lines and Page::blocks, with the texts.
struct Frame {
  std::vector<Box> lines, blocks;
  std::vector<int> bands;  // per line: its band (text line across the page), top to bottom
  std::vector<std::string> line_text, block_text;
  std::vector<bool> line_bold;
};

double overlap(double a0, double a1, double b0, double b1);
bool ends_with_colon(std::string_view t);
// Spaces, tabs and line ends trimmed from both ends.
std::string trim(std::string_view s);
// A label as printed, without its colon and trailing blanks: "Course Title:" → "Course Title".
std::string key_text(std::string_view k);
size_t word_count(std::string_view t);
// Short, without a sentence's full stop, with letters: how a label looks.
bool key_shaped(std::string_view t);
// "Label: value" starts `t` (a colon ending one of its first eight words, text after it); the
// colon's offset in *colon_at.
bool starts_with_key(std::string_view t, size_t* colon_at);
// A horizontal ruling between two vertically adjacent boxes.
bool rule_between_y(const std::vector<Box>& rules, const Box& above, const Box& below);
std::vector<Box> analysis_boxes(const Page& page, double skew_degrees);
std::vector<Box> build_lines(Page& page, const std::vector<Box>& a, const PageGeometry& g, std::vector<int>* band_of);
Frame build_blocks(Page& page, const std::vector<Box>& line_boxes, const std::vector<int>& band_of, const PageGeometry& g);
// A table as rows of block indices, each row left to right.
using TableRows = std::vector<std::vector<size_t>>;
std::vector<TableRows> find_tables(const Page& page, const Frame& f);
Table to_table(const Page& page, const Frame& f, const TableRows& rows);
void find_pairs(const Page& page, const Frame& f, const std::vector<std::vector<size_t>>& table_rows,
                std::vector<KeyValue>& pairs);

}  // namespace clee::layout
