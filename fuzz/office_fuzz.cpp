// The zipped and flat XML office formats read by our code: ODT/OTT/flat ODT (extractors/odt.cpp),
// PPTX slides (pptx.cpp) and XLSX sheets with number formats (xlsx.cpp, xlsx_numfmt.cpp). The
// sniffer picks the reader as extract_document would; bytes it does not recognise go through all
// three, so mutations that break the package still reach every reader. Each Document holds valid
// UTF-8, pages within max_pages, and either text or a typed error.
#include <cstdint>
#include <string>

#include "extractors/odt.h"
#include "extractors/pptx.h"
#include "extractors/sniff.h"
#include "extractors/xlsx.h"
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
  const Kind kind = sniff_content(bytes).kind;
  const bool any = kind != Kind::kOdt && kind != Kind::kFlatOdt && kind != Kind::kPptx && kind != Kind::kXlsx;
  if (any || kind == Kind::kOdt || kind == Kind::kFlatOdt)
    fuzz::check_document(extract_odt(bytes, "fuzz.odt", options), options.limits);
  if (any || kind == Kind::kPptx) fuzz::check_document(extract_pptx(bytes, "fuzz.pptx", options), options.limits);
  if (any || kind == Kind::kXlsx) fuzz::check_document(extract_xlsx(bytes, "fuzz.xlsx", options), options.limits);
  return 0;
}
