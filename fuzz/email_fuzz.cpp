// Email (extractors/email.cpp): GMime parsing, the attachment walk and the header reading of
// eml bytes. Bounded: no more parts than max_entries, no more attachment bytes than
// max_total_inflated; every label and header valid UTF-8 after our sanitising.
#include <cstdint>
#include <string>

#include "extractors/extract.h"
#include "extractors/util.h"
#include "fuzz/fuzz_support.h"

namespace {
bool is_clean(const std::string& s) { return clee::sanitize_utf8(s) == s; }
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clee;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const Limits limits = fuzz::small_limits();
  // unpack() sniffs first; a message whose headers do not look like mail goes to GMime too,
  // through read_email_info below.
  auto files = unpack(bytes, "fuzz.eml", limits);
  if (files && sniff(bytes) == Format::kEmail) {
    uint64_t attached = 0;
    fuzz::fuzz_check(files->size() <= static_cast<size_t>(limits.max_entries) + 1, "parts within max_entries");
    for (const auto& f : *files) {
      fuzz::fuzz_check(is_clean(f.label), "attachment label is valid UTF-8");
      if (f.role == "attachment") attached += f.bytes.size();
      else fuzz::fuzz_check(f.role == "body" && is_clean(f.bytes), "a body is clean text");
    }
    fuzz::fuzz_check(attached <= limits.max_total_inflated, "attachments within max_total_inflated");
  }
  auto info = read_email_info(bytes);
  if (info) {
    for (const std::string* s : {&info->message_id, &info->subject, &info->from, &info->to, &info->date,
                                 &info->in_reply_to})
      fuzz::fuzz_check(is_clean(*s), "header is valid UTF-8");
  }
  return 0;
}
