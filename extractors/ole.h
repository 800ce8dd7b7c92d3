// OLE2 compound files (Microsoft's "structured storage": .doc, .xls, .ppt, Outlook .msg, and the
// wrapper of a password-protected OOXML file) read through libgsf, GNOME's structured-file
// library (used by Gnumeric and AbiWord; it walks the FAT, mini-FAT and directory for us and
// refuses broken chains).
//
// An OleFile is a read-only view of bytes held in memory (they must outlive it). Entry names are
// matched case-insensitively, as Office does ("WordDocument" and "worddocument" are the same
// stream). Every stream read is bounded by a byte limit. Not thread-safe per object; make one
// per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "extractors/document.h"

typedef struct _GsfInfile GsfInfile;
typedef struct _GsfInput GsfInput;

namespace clee {

struct GsfUnref {
  void operator()(void* p) const;
};
using GsfInputPtr = std::unique_ptr<GsfInput, GsfUnref>;

// One storage (folder) of a compound file: the root or a sub-storage.
class OleStorage {
 public:
  struct Entry {
    std::string name;
    bool storage = false;
    uint64_t size = 0;  // streams only
  };
  const std::vector<Entry>& entries() const { return entries_; }
  bool has(std::string_view name) const { return find(name) != nullptr; }
  const Entry* find(std::string_view name) const;  // case-insensitive

  // The whole stream `name`: kNotFound when absent, kLimitExceeded when larger than max_bytes,
  // kUnreadableDocument when its sectors cannot be read.
  Result<std::string> read(std::string_view name, uint64_t max_bytes) const;
  // The first `n` bytes (or fewer) of stream `name`; "" when absent.
  std::string head(std::string_view name, size_t n) const;
  // A sub-storage; kNotFound when absent or a stream.
  Result<OleStorage> storage(std::string_view name) const;
  // The stream as a libgsf input (for libgsf's own parsers); null when absent.
  GsfInputPtr input(std::string_view name) const;

  OleStorage(GsfInfile* infile);  // takes a reference
  OleStorage(const OleStorage& other);
  OleStorage& operator=(const OleStorage&) = delete;
  ~OleStorage();

 private:
  GsfInfile* infile_ = nullptr;
  std::vector<Entry> entries_;
};

class OleFile {
 public:
  // kUnreadableDocument when `bytes` are not a compound file libgsf can open.
  static Result<std::unique_ptr<OleFile>> open(std::string_view bytes);
  ~OleFile();
  const OleStorage& root() const { return *root_; }

 private:
  OleFile() = default;
  std::string repaired_;  // a copy of the bytes with the root entry's sibling links cleared, when needed
  GsfInput* source_ = nullptr;
  std::unique_ptr<OleStorage> root_;
};

// True when the bytes start with the compound-file signature D0 CF 11 E0 A1 B1 1A E1.
bool is_ole(std::string_view bytes);

// Title, author, subject, application and dates from the "\005SummaryInformation" property set.
Metadata ole_summary_information(const OleStorage& root);

}  // namespace clee
