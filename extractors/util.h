// Small helpers shared by the extractors: hashing, UTF-8 hygiene, timing. No CLEE knowledge.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/hash.h"

namespace clee {

// Replaces invalid UTF-8 sequences with U+FFFD and drops NULs and other C0 controls except
// tab and newline, so extracted text is always safe to store and print.
std::string sanitize_utf8(std::string_view text);

// Appends the UTF-8 encoding of code point `cp`.
void append_utf8(std::string& out, char32_t cp);

// A list number as a Roman numeral ("iv", "IV"), as Word and ODF number list items; at most 20
// characters (numbers past a few thousand are cut, never looped over).
std::string roman_numeral(int n, bool upper);

// Collapses runs of blank lines and trims trailing spaces on each line.
std::string tidy_text(std::string_view text);

class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

}  // namespace clee
