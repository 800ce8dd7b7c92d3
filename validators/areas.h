// Hours per curriculum area (Missouri): a course's credit may be split across areas, so each
// outline block carries an area (from the rule pack's [[areas]], see validators/content.cpp) and
// the report's content.areas adds the blocks' hours up per area, scaled to the credit hours the
// form requests and rounded to quarter hours so that they sum to it exactly. A reviewer may
// correct one block's area; the tally is then made again from the blocks. Pure functions over the
// Report, used by the content validator, the reviewer pages and the re-check that re-applies a
// reviewer's corrections.
#pragma once

#include <string>

#include "base/status.h"
#include "pipeline/model.h"

namespace clee {

// Rebuilds report.content.areas from report.content.blocks (areas in the order the pack declared
// them, names from report.rules.areas). No areas when no block has an area.
void tally_areas(Report& report);

// Sets block `index`'s area to `area` (an id the report's pack declared) as corrected by `by`,
// then tallies again; `was` names the area before (default: the block's current one).
// Code::kNotFound for a block that is not there, Code::kUsage for an area the pack does not declare.
Status correct_block_area(Report& report, size_t index, const std::string& area, const std::string& by,
                          const std::string* was = nullptr);

}  // namespace clee
