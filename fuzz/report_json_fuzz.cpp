// The report's JSON codec (pipeline/report_json.cpp), as the queue reads a stored report back:
// any JSON text is a Report or Code::kCorrupt, never an exception or a crash. A report that reads
// is written again, and what was written reads back to the same JSON (the codec is a fixed point
// after one pass), and both summaries render it.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz/fuzz_support.h"
#include "pipeline/report_json.h"
#include "pipeline/summary.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clee;
  nlohmann::json j = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;
  auto r = report_from_json(j);
  if (!r) {
    fuzz::fuzz_check(r.error().code == Code::kCorrupt, "a malformed report is corrupt");
    return 0;
  }
  nlohmann::json once = report_to_json(*r);
  auto again = report_from_json(once);
  fuzz::fuzz_check(again.ok(), "a report written by report_to_json reads back");
  fuzz::fuzz_check_same(once, report_to_json(*again), "report JSON round-trips");
  fuzz::fuzz_check(!render_markdown(*r).empty() && !render_html(*r).empty(), "summaries render");
  return 0;
}
