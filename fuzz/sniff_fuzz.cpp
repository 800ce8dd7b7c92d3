// Sniffing (extractors/sniff.cpp): any bytes give one Format and a MIME type, never a crash, and
// the answer does not depend on whether the caller asked for the MIME type.
#include <cstdint>
#include <string>

#include "extractors/extract.h"
#include "extractors/zip.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clee;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string mime;
  Format f = sniff(bytes, &mime);
  fuzz::fuzz_check(!mime.empty(), "sniff gives a MIME type");
  fuzz::fuzz_check(sniff(bytes) == f, "sniff is the same with and without the MIME out-parameter");
  fuzz::fuzz_check(std::string(format_name(f)) != "", "a format has a name");
  // A DOCX is a zip (by its main part or by its declared content type, sniff.cpp's sniff_zip).
  if (f == Format::kDocx) fuzz::fuzz_check(bytes.substr(0, 2) == "PK", "a DOCX is a zip");
  return 0;
}
