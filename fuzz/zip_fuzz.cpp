// Zip packets (extractors/zip.cpp, unpack.cpp): a hostile archive is refused with a typed error
// or unpacked within the limits — no entry larger than max_entry_bytes, no more inflated in all
// than max_total_inflated, labels without control characters.
#include <cstdint>
#include <string>

#include "extractors/extract.h"
#include "extractors/zip.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clee;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const Limits limits = fuzz::small_limits();
  auto entries = unpack(bytes, "fuzz.zip", limits);
  if (entries && sniff(bytes) == Format::kZip) {
    uint64_t total = 0;
    fuzz::fuzz_check(entries->size() <= static_cast<size_t>(limits.max_entries), "entry count within the limit");
    for (const auto& e : *entries) {
      fuzz::fuzz_check(e.bytes.size() <= limits.max_entry_bytes, "entry within max_entry_bytes");
      total += e.bytes.size();
      for (char c : e.label) fuzz::fuzz_check(c != '\n' && c != '\t' && c != '\0', "label without control characters");
    }
    fuzz::fuzz_check(total <= limits.max_total_inflated, "archive within max_total_inflated");
  }
  // The reader directly, as DOCX uses it: every entry read (or refused) in turn.
  auto zr = ZipReader::open(bytes, limits);
  if (zr) {
    for (const auto& e : (*zr)->entries()) {
      auto got = (*zr)->read(e);
      if (got) fuzz::fuzz_check(got->size() <= limits.max_entry_bytes, "read within max_entry_bytes");
    }
  }
  return 0;
}
