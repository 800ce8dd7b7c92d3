// Outlook containers read by our code: .msg compound files (extractors/msg.cpp, mapi.cpp: property
// streams, attachments, embedded messages, compressed RTF bodies) and TNEF / winmail.dat
// (tnef.cpp). A hostile file is refused with a typed error or unpacked within the limits — no more
// entries than max_entries, none larger than max_entry_bytes, labels without control characters.
#include <cstdint>
#include <string>

#include "extractors/mapi.h"
#include "extractors/msg.h"
#include "extractors/tnef.h"
#include "fuzz/fuzz_support.h"

namespace {

void check_files(const clee::Result<std::vector<clee::ContainedFile>>& files, const clee::Limits& limits) {
  using clee::fuzz::fuzz_check;
  if (!files) return;
  fuzz_check(files->size() <= static_cast<size_t>(limits.max_entries), "entry count within the limit");
  for (const auto& f : *files) {
    fuzz_check(f.bytes.size() <= limits.max_entry_bytes, "entry within max_entry_bytes");
    for (char c : f.label) fuzz_check(c != '\n' && c != '\t' && c != '\0', "label without control characters");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  clee::fuzz::quiet_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clee;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const Limits limits = fuzz::small_limits();
  check_files(unpack_msg(bytes, limits), limits);
  (void)msg_email_info(bytes);
  check_files(unpack_tnef(bytes, limits), limits);
  if (auto rtf = mapi::decompress_rtf(bytes, limits.max_entry_bytes))
    fuzz::fuzz_check(rtf->size() <= limits.max_entry_bytes, "compressed RTF within its bound");
  return 0;
}
