// A Document's JSON (extractors/document_json.cpp): what an isolated extraction's child sends its
// parent, so a compromised or crashed worker's output is hostile input. Any JSON is a Document or
// a typed error; a Document that reads is written and read back to the same JSON.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "extractors/document_json.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clee;
  nlohmann::json j = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;
  auto d = document_from_json(j);
  if (!d) return 0;
  nlohmann::json once = document_to_json(*d);
  auto again = document_from_json(once);
  fuzz::fuzz_check(again.ok(), "a Document written by document_to_json reads back");
  fuzz::fuzz_check_same(once, document_to_json(*again), "Document JSON round-trips");
  return 0;
}
