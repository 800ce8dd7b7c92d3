// The understanding half of the stage runner, for fuzz targets that start from text: pages of
// one combined PDF → understand_documents → fields, outline and CVs of every part → the
// validators → the Markdown and HTML summaries and the report JSON. Checks what must hold for
// any text: split parts cover the pages in order, the report round-trips through JSON, and
// every summary is produced.
#pragma once

#include <string>
#include <vector>

#include "pipeline/rules.h"

namespace clee::fuzz {

// A request form, an outline and a CV as page texts (the rule-pack target's fixed packet).
const std::vector<std::string>& sample_packet_pages();

void understand_and_validate(const std::vector<std::string>& pages, const RulePack& rules);

}  // namespace clee::fuzz
