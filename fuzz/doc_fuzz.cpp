// Word 97-2003 through our reader (extractors/doc.cpp, doc_lists.cpp, ole.cpp over libgsf): the
// compound file's sectors and directory, the FIB, the piece table, list tables and the summary
// properties, from hostile bytes. Never the converter (legacy Word 6/95 goes to LibreOffice, which
// is not ours). The Document holds valid UTF-8 and either text or a typed error.
#include <cstdint>
#include <string>

#include "extractors/doc.h"
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
  Document d = extract_doc(bytes, "fuzz.doc", options);
  fuzz::check_document(d, options.limits);
  return 0;
}
