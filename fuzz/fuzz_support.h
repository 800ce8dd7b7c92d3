// What every fuzz target shares: small limits so one input runs in milliseconds, quiet logs, a
// temp file for the parsers that take a path, a stored (uncompressed) zip writer so a target can
// fuzz the XML parts of a DOCX without fighting the deflate layer, and `fuzz_check`, which turns
// a broken invariant into an abort that libFuzzer (or the replay test) reports as a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "extractors/limits.h"

namespace clee::fuzz {

// Limits a real configuration could hold, set small: a few pages, a few MiB, a few seconds.
Limits small_limits();
// small_limits(), OCR off (Tesseract is not ours), in-process.
ExtractOptions small_options();

// Silences spdlog (a fuzzer runs millions of inputs; the logs would be the bottleneck).
void quiet_logs();

// Aborts with `what` when `ok` is false: an invariant of the unit under test failed.
void fuzz_check(bool ok, const char* what);

// Aborts unless `a` == `b`, printing the JSON patch between them (round-trip checks).
void fuzz_check_same(const nlohmann::json& a, const nlohmann::json& b, const char* what);

// A file holding `bytes` in a private temp folder, removed with the object.
class TempFile {
 public:
  TempFile(std::string_view bytes, const char* suffix);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string dir_, path_;
};

// A zip archive with every entry stored (method 0), CRCs correct: what python's zipfile writes
// with ZIP_STORED.
std::string stored_zip(const std::vector<std::pair<std::string, std::string>>& entries);

// Splits `data` at every `sep` byte.
std::vector<std::string_view> split_parts(std::string_view data, char sep);

}  // namespace clee::fuzz
