// JSON forms of the extractor's data: a Document (what `clee-intake extract --format json`
// prints, and what an isolated extraction sends back to its parent) and the ExtractOptions an
// isolated worker runs under (what the parent sends it).
//
// Both round-trip exactly: from_json(to_json(x)) == x for every field. The readers are strict —
// a missing key, a value of the wrong type, an unknown format or error code is an Error, never a
// default — because their input crosses a process boundary: a worker's reply that is not a whole
// Document must not pass for one, and a worker must not run under options it half understood.
#pragma once

#include <nlohmann/json.hpp>

#include "extractors/document.h"
#include "extractors/limits.h"

namespace clee {

nlohmann::json document_to_json(const Document& doc);
// Code::kCorrupt when `j` is not a complete Document.
Result<Document> document_from_json(const nlohmann::json& j);
Format format_from_name(std::string_view name);  // kUnknown for names not in the vocabulary

// {"version": kExtractOptionsVersion, "limits": {...}, "ocr": ..., ...}: every field of
// ExtractOptions and its Limits, by the field's own name.
inline constexpr int kExtractOptionsVersion = 1;
nlohmann::json extract_options_to_json(const ExtractOptions& options);
// Code::kCorrupt for another version, a missing or unknown key, or a value of the wrong type.
Result<ExtractOptions> extract_options_from_json(const nlohmann::json& j);

}  // namespace clee
