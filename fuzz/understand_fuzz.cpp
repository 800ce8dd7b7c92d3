// Understanding from text (pipeline/understand*.cpp, split.cpp), with the bundled rule pack: the
// input, cut into pages at form feeds, is one PDF's text; it is typed and split into documents,
// and fields, the outline and CVs are read from every part, then validated and summarised. Text
// is sanitised first, as every extractor does before understanding sees it.
#include <cstdint>
#include <string>
#include <vector>

#include "extractors/util.h"
#include "fuzz/fuzz_support.h"
#include "fuzz/packet_text.h"
#include "pipeline/rules.h"

namespace {
const clee::RulePack& bundled_rules() {
  static const clee::RulePack pack = [] {
    auto r = clee::load_rules(CLEE_SOURCE_DIR "/rules/pa-mpoetc.toml");
    clee::fuzz::fuzz_check(r.ok(), "the bundled rule pack loads");
    return *r;
  }();
  return pack;
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  clee::fuzz::quiet_logs();
  bundled_rules();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clee;
  std::string text = sanitize_utf8(std::string_view(reinterpret_cast<const char*>(data), size));
  std::vector<std::string> pages;
  for (auto p : fuzz::split_parts(text, '\f')) pages.emplace_back(tidy_text(p));
  if (pages.size() > 16) pages.resize(16);
  fuzz::understand_and_validate(pages, bundled_rules());
  return 0;
}
