// The extractor model: what a file's bytes become. Plain data, no behaviour beyond small helpers.
//
// A Document is what one file (or one entry of a container) turned into: its format (sniffed from
// content, never from the name), its pages in reading order, its form fields, tables, headers and
// footers kept apart from the body, metadata, and, when extraction failed, a typed Error whose code
// is one of the report's finding codes. This header knows nothing of CLEE.
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

struct Page {
  int number = 0;            // 1-based
  std::string text;          // body text in reading order, UTF-8, lines separated by '\n'
  bool ocr = false;          // true when Tesseract made this text
  double ocr_confidence = -1;  // Tesseract mean word confidence 0..100, -1 when not OCR'd
  int rotation = 0;          // degrees the page was turned to read it (OSD), 0 when not
};

struct Table {
  int page = 0;  // 1-based page it sits on (DOCX: 1; a slide or a sheet for PPTX/XLSX)
  std::vector<std::vector<std::string>> rows;  // rows of cell texts
};

struct FormField {
  std::string name;   // the field's (fully qualified) name, or its label/tag for DOCX controls
  std::string value;  // the value as shown; checkboxes "Yes"/"Off"
  int page = 0;       // 1-based page, 0 when unknown
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
