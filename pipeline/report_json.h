// The report's JSON form: the contract in DESIGN.md ("The report contract"), with our extra keys
// (outline, cvs, field evidence, page ranges). Part of the model: the queue stores reports with it
// and reads them back; `check --json` prints it. Page texts are not in the report (the queue
// keeps them beside it).
#pragma once

#include <nlohmann/json.hpp>

#include "pipeline/model.h"

namespace clee {

// Always valid UTF-8 (bytes that are not become U+FFFD), so every writer can dump it.
nlohmann::json report_to_json(const Report& report);
// The inverse; Code::kCorrupt when a key is missing or a name is outside its vocabulary.
Result<Report> report_from_json(const nlohmann::json& j);

}  // namespace clee
