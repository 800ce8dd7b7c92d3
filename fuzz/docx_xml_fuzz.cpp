// The DOCX XML walk alone (extractors/docx.cpp): the input is split at 0x01 bytes into the parts
// of a package — document.xml, numbering.xml, styles.xml, footnotes.xml, endnotes.xml,
// header1.xml, core.xml, _rels/.rels, in that order — which are stored (not deflated) in a zip
// made in memory, so every mutation lands in the XML rather than in the compressed stream.
// run_fuzz.sh makes the seeds the same way from the DOCX fixtures and corpora.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "extractors/extract.h"
#include "fuzz/document_checks.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  clee::fuzz::quiet_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clee;
  static const char* kParts[] = {"word/document.xml", "word/numbering.xml", "word/styles.xml",
                                 "word/footnotes.xml", "word/endnotes.xml", "word/header1.xml",
                                 "docProps/core.xml",  "_rels/.rels"};
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::pair<std::string, std::string>> entries;
  auto parts = fuzz::split_parts(input, '\x01');
  for (size_t i = 0; i < parts.size() && i < std::size(kParts); ++i)
    if (i == 0 || !parts[i].empty()) entries.emplace_back(kParts[i], std::string(parts[i]));
  std::string docx = fuzz::stored_zip(entries);
  Document d = extract_document(docx, "fuzz.docx", fuzz::small_options());
  fuzz::fuzz_check(d.format == Format::kDocx, "a package with word/document.xml is a DOCX");
  fuzz::check_document(d, fuzz::small_options().limits);
  return 0;
}
