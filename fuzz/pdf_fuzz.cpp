// PDF through our code (extractors/pdf.cpp on Poppler's core API), OCR off, a few pages and a
// few seconds at most. Poppler's own bugs may surface here; they are reported, not patched.
#include <cstdint>
#include <string>

#include "extractors/extract.h"
#include "fuzz/document_checks.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  clee::fuzz::quiet_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clee;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ExtractOptions options = fuzz::small_options();
  options.limits.max_seconds = 3;
  Document d = extract_document(bytes, "fuzz.pdf", options);
  fuzz::check_document(d, options.limits);
  return 0;
}
