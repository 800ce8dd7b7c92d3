// DOCX through our code (extractors/docx.cpp): whole files — the zip layer, the package
// relationships and every XML part — with OCR off and small limits. The Document that comes out
// holds valid UTF-8 everywhere, pages numbered 1..n, and either text or a typed error.
#include <cstdint>
#include <string>

#include "extractors/extract.h"
#include "fuzz/fuzz_support.h"
#include "fuzz/document_checks.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  clee::fuzz::quiet_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clee;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  Document d = extract_document(bytes, "fuzz.docx", fuzz::small_options());
  fuzz::check_document(d, fuzz::small_options().limits);
  return 0;
}
