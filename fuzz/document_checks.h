// Invariants of every extracted Document, shared by the extractor fuzz targets: text is valid
// UTF-8 (extractors/util.h promises it), pages are numbered 1..n and within max_pages, and a
// failure is a finding code (never an internal one) with a message.
#pragma once

#include "extractors/document.h"
#include "extractors/limits.h"
#include "extractors/util.h"
#include "fuzz/fuzz_support.h"

namespace clee::fuzz {

inline bool utf8_clean(const std::string& s) { return sanitize_utf8(s) == s; }

inline void check_document(const Document& d, const Limits& limits) {
  fuzz_check(d.pages.size() <= static_cast<size_t>(limits.max_pages), "pages within max_pages");
  for (size_t i = 0; i < d.pages.size(); ++i) {
    fuzz_check(d.pages[i].number == static_cast<int>(i + 1), "pages numbered 1..n");
    fuzz_check(utf8_clean(d.pages[i].text), "page text is valid UTF-8");
  }
  for (const auto& f : d.fields)
    fuzz_check(utf8_clean(f.name) && utf8_clean(f.value), "form fields are valid UTF-8");
  for (const auto& h : d.headers_footers) fuzz_check(utf8_clean(h), "headers and footers are valid UTF-8");
  for (const std::string* m : {&d.metadata.title, &d.metadata.author, &d.metadata.subject})
    fuzz_check(utf8_clean(*m), "metadata is valid UTF-8");
  if (d.error) fuzz_check(is_finding_code(d.error->code) && !d.error->message.empty(), "an error is a typed finding");
}

}  // namespace clee::fuzz
