// A read-only view of a zip archive held in memory (libzip), with the limits that stop zip bombs:
// entry count, inflated bytes per entry (counted while inflating, never trusted from the
// directory), compression ratio, and total inflated bytes. Used by DOCX and by zip packets.
// Not thread-safe; one ZipReader per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "extractors/document.h"
#include "extractors/limits.h"

struct zip;

namespace clee {

struct ZipEntry {
  std::string name;
  uint64_t size = 0;             // as declared by the central directory
  uint64_t compressed_size = 0;
  bool encrypted = false;
  bool directory = false;
  int64_t index = 0;
};

class ZipReader {
 public:
  // `bytes` must outlive the reader.
  static Result<std::unique_ptr<ZipReader>> open(std::string_view bytes, const Limits& limits);
  ~ZipReader();

  const std::vector<ZipEntry>& entries() const { return entries_; }
  const ZipEntry* find(std::string_view name) const;
  // Inflates one entry under the limits: limit_exceeded, encrypted_document or unreadable_document.
  Result<std::string> read(const ZipEntry& entry);

 private:
  ZipReader() = default;
  zip* archive_ = nullptr;
  Limits limits_;
  uint64_t total_inflated_ = 0;
  std::vector<ZipEntry> entries_;
};

// True when the zip in `bytes` has an entry named `name` (used by sniffing; cheap, no inflation).
bool zip_has_entry(std::string_view bytes, std::string_view name);

}  // namespace clee
