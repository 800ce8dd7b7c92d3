// RTF through our tokenizer (extractors/rtf.cpp, rtf_words.cpp): groups nested without bound,
// control words with huge parameters, \binN runs past the end, unknown destinations, code pages
// and \uN escapes. The Document holds valid UTF-8 and either text or a typed error; the plain
// text reader stays within max_text_bytes' order of magnitude.
#include <cstdint>
#include <string>

#include "extractors/rtf.h"
#include "fuzz/document_checks.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  clee::fuzz::quiet_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clee;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const ExtractOptions options = fuzz::small_options();
  Document d = extract_rtf(bytes, "fuzz.rtf", options);
  fuzz::check_document(d, options.limits);
  std::string text = rtf_to_text(bytes, options.limits);
  fuzz::fuzz_check(fuzz::utf8_clean(text), "rtf_to_text gives valid UTF-8");
  return 0;
}
