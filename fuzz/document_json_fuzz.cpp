// The JSON that crosses the isolation boundary (extractors/document_json.cpp): a Document (what an
// isolated extraction's child sends its parent, so a compromised or crashed worker's output is
// hostile input) and ExtractOptions (what the parent sends the worker). Any JSON is a value or a
// typed error; a value that reads is written and read back to the same JSON.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "extractors/document_json.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clee;
  nlohmann::json j = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;
  if (auto d = document_from_json(j)) {
    nlohmann::json once = document_to_json(*d);
    auto again = document_from_json(once);
    fuzz::fuzz_check(again.ok(), "a Document written by document_to_json reads back");
    fuzz::fuzz_check_same(once, document_to_json(*again), "Document JSON round-trips");
  } else {
    fuzz::fuzz_check(!d.error().message.empty(), "a refused Document says why");
  }
  if (auto o = extract_options_from_json(j)) {
    nlohmann::json once = extract_options_to_json(*o);
    auto again = extract_options_from_json(once);
    fuzz::fuzz_check(again.ok(), "options written by extract_options_to_json read back");
    fuzz::fuzz_check_same(once, extract_options_to_json(*again), "ExtractOptions JSON round-trips");
  } else {
    fuzz::fuzz_check(o.error().code == Code::kCorrupt, "refused options are corrupt");
  }
  return 0;
}
