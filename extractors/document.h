// The extractor model: what a file's bytes become. Plain data, no behaviour beyond small helpers.
//
// A Document is what one file (or one entry of a container) turned into: its format (sniffed from
// content, never from the name), its pages in reading order, its form fields, tables, headers and
// footers kept apart from the body, metadata, and, when extraction failed, a typed Error whose code
// is one of the report's finding codes. This header knows nothing of CLEE.
//
// Where the format has geometry (a PDF's text layer, OCR), a page also carries its words with
// boxes, grouped into lines and blocks (extractors/layout.h), and the Document the key/value
// pairs the layout read (a label and the value beside or below it). Coordinates are points
// (1/72 inch) from the page's top-left corner, the page as it is read: an OCR'd page turned
// upright by OSD has the upright page's axes; OCR pixels are converted to points.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace clee {

// What the bytes are, by content: the report's vocabulary,
// pdf|docx|doc|rtf|odt|pptx|xlsx|image|text|email|unknown. Legacy formats read through the
// converter report the family they are read as (.ppt → pptx, .xls → xlsx, Word 6/95 and Word 2003
// XML → doc); Outlook .msg and TNEF winmail.dat are email. `mime` keeps the exact type. `zip` only
// appears for a container that could not be opened (its entries become Documents).
enum class Format { kPdf, kDocx, kDoc, kRtf, kOdt, kPptx, kXlsx, kImage, kText, kEmail, kZip, kUnknown };

const char* format_name(Format f);  // "pdf", "docx", "doc", ...

// A rectangle on a page: points from the page's top-left corner, x to the right, y down.
struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double width() const { return x1 - x0; }
  double height() const { return y1 - y0; }
  bool empty() const { return !(x1 > x0) || !(y1 > y0); }
  bool operator==(const Box&) const = default;
};
// The smallest box holding both (an empty box holds nothing).
Box unite(const Box& a, const Box& b);

// A word as the page shows it. Font size and weight come from the PDF's fonts; OCR gives neither
// (0 / false) but a confidence.
struct Word {
  std::string text;
  Box box;
  double font_size = 0;    // points, 0 when unknown
  bool bold = false;
  double confidence = -1;  // OCR word confidence 0..100, -1 for a text layer
  bool operator==(const Word&) const = default;
};

// A run of words on one text line with no column gap or ruling between them: a phrase (a label,
// a value, one line of a cell or of a paragraph). Lines hold consecutive Page::words.
struct Line {
  int first_word = 0, words = 0;
  Box box;
  int block = 0;  // index into Page::blocks
  bool operator==(const Line&) const = default;
};

// Lines that read together: a paragraph, a table cell, a label or a value that wraps.
struct Block {
  int first_line = 0, lines = 0;  // consecutive Page::lines
  Box box;
  bool operator==(const Block&) const = default;
};

struct Page {
  int number = 0;            // 1-based
  std::string text;          // body text in reading order, UTF-8, lines separated by '\n'
  bool ocr = false;          // true when Tesseract made this text
  double ocr_confidence = -1;  // Tesseract mean word confidence 0..100, -1 when not OCR'd
  int rotation = 0;          // degrees the page was turned to read it (OSD), 0 when not
  int ocr_dpi = 0;           // the resolution Tesseract read it at, 0 when not OCR'd
  double width = 0, height = 0;  // points, as read (0 when the format has no geometry)
  std::vector<Word> words = {};  // in line order; empty when the format has no geometry
  std::vector<Line> lines = {};
  std::vector<Block> blocks = {};
};

struct Table {
  int page = 0;  // 1-based page it sits on (DOCX: 1; a slide or a sheet for PPTX/XLSX)
  std::vector<std::vector<std::string>> rows;  // rows of cell texts
  std::vector<std::vector<Box>> boxes = {};    // each cell's box, parallel to rows; empty without geometry
};

struct FormField {
  std::string name;   // the field's (fully qualified) name, or its label/tag for DOCX controls
  std::string value;  // the value as shown; checkboxes "Yes"/"Off"
  int page = 0;       // 1-based page, 0 when unknown
  std::optional<Box> box = std::nullopt;  // the widget's rectangle on `page`, when known
  std::string label = {};  // the printed text left of or above the widget, "" when none
};

// A label and its value read by layout: the value right of the label on the same band, or below
// it in the same column (wrapped lines included), a table cell and its neighbour, a widget and
// the text beside it, "Label: value" in one line. Boxes are null where the format has no
// geometry (DOCX).
struct KeyValue {
  std::string key, value;
  int page = 0;  // 1-based
  std::optional<Box> key_box = std::nullopt, value_box = std::nullopt;
  // "right" | "below" | "inline" | "cell" | "widget": for logs in the process that read it; not
  // in the JSON (whose keys are a contract), so "" once a Document crossed the worker boundary.
  std::string how = {};
};

struct Metadata {
  std::string title, author, subject, creator, producer, created, modified;  // "" when absent
};

struct Document {
  std::string name;    // a label (file or entry name), never used as a path
  std::string sha256;  // of the bytes this Document was made from (hex)
  uint64_t bytes = 0;
  Format format = Format::kUnknown;
  std::string mime;    // sniffed MIME type, e.g. "application/pdf"
  std::vector<Page> pages;
  std::vector<FormField> fields;
  std::vector<Table> tables;
  std::vector<KeyValue> key_values = {};  // by page, then top to bottom
  std::vector<std::string> headers_footers;  // kept apart from page text
  Metadata metadata;
  std::vector<std::string> warnings;  // non-fatal problems ("page 3: OCR skipped: limit")
  std::optional<Error> error;         // set when the document could not be (fully) read
  double seconds = 0;                 // wall time spent extracting

  int ocr_pages() const {
    int n = 0;
    for (const auto& p : pages) n += p.ocr ? 1 : 0;
    return n;
  }
  size_t chars() const {
    size_t n = 0;
    for (const auto& p : pages) n += p.text.size();
    return n;
  }
};

}  // namespace clee
