// Rule packs (pipeline/rules.cpp through base/toml_reader.cpp): any TOML text loads as a pack or
// is refused with Code::kInvalidRules and "FILE:LINE: message". A pack that loads is then used
// as the real one would be: a small packet's text is understood and validated with it, so
// hostile synonyms, word rules and content phrases meet the code that reads them.
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "fuzz/packet_text.h"
#include "pipeline/rules.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  clee::fuzz::quiet_logs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clee;
  fuzz::TempFile file(std::string_view(reinterpret_cast<const char*>(data), size), ".toml");
  auto pack = load_rules(file.path());
  if (!pack) {
    fuzz::fuzz_check(pack.error().code == Code::kInvalidRules, "a bad rule pack is invalid_rules");
    fuzz::fuzz_check(pack.error().message.rfind(file.path() + ":", 0) == 0, "the error starts with FILE:");
    return 0;
  }
  fuzz::fuzz_check(!pack->required_documents.empty() && !pack->patterns.empty(),
                   "a loaded pack has required documents and content patterns");
  fuzz::understand_and_validate(fuzz::sample_packet_pages(), *pack);
  return 0;
}
