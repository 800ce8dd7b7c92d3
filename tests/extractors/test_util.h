// Shared by the extractor tests: reading committed fixtures.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "extractors/document.h"
#include "extractors/limits.h"

inline std::string fixture_path(const std::string& rel) { return std::string(CLEE_SOURCE_DIR) + "/fixtures/" + rel; }

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string fixture(const std::string& rel) { return read_file(fixture_path(rel)); }

// Extraction options without OCR, for tests about text layers and containers.
inline clee::ExtractOptions no_ocr() {
  clee::ExtractOptions o;
  o.ocr = false;
  return o;
}

// All page texts of a document, one page after the other.
inline std::string all_text(const clee::Document& d) {
  std::string t;
  for (const auto& p : d.pages) t += p.text + "\n";
  return t;
}
