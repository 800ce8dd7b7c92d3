// JSON form of a Document: what `clee-intake extract --format json` prints, and what an isolated
// extraction sends back to its parent.
#pragma once

#include <nlohmann/json.hpp>

#include "extractors/document.h"

namespace clee {

nlohmann::json document_to_json(const Document& doc);
Result<Document> document_from_json(const nlohmann::json& j);
Format format_from_name(std::string_view name);

}  // namespace clee
