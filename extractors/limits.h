// Limits and options every extractor runs under. Each breach becomes a `limit_exceeded` Error on
// that document only. All are configurable (the config file's [limits] table maps 1:1 to these).
#pragma once

#include <cstdint>
#include <string>

namespace clee {

struct Limits {
  uint64_t max_file_bytes = 100ull << 20;        // bytes per input file
  int max_pages = 500;                           // pages per document
  uint64_t max_image_pixels = 100'000'000;       // pixels per image (decoded)
  uint64_t max_entry_bytes = 200ull << 20;       // inflated bytes per zip/docx entry
  double max_compression_ratio = 200.0;          // inflated / compressed per zip entry
  uint64_t max_total_inflated = 1ull << 30;      // inflated bytes per archive
  int max_entries = 10'000;                      // entries per archive / parts per message
  int max_depth = 4;                             // container nesting depth
  double max_seconds = 120.0;                    // wall time per document
  uint64_t max_memory_bytes = 2ull << 30;        // address space of an isolated extraction
};

struct ExtractOptions {
  Limits limits;
  bool ocr = true;               // OCR pages without a usable text layer, and images
  int ocr_threads = 0;           // 0 = all cores
  std::string ocr_language = "eng";  // Tesseract language(s), e.g. "eng" or "eng+spa"
  int min_chars_per_page = 20;   // fewer than this on a page (after trimming) → OCR it
  bool isolate = false;          // run each extraction in a child process with rlimits
};

}  // namespace clee
