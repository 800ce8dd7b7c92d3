// Where on its page each piece of a report's evidence sits. Field values read from the layout's
// key/value pairs carry their boxes already; every other quote (a field read from the text, a
// sentence the content judgement quoted, a block's line) is looked up among the words of the
// page it names, so a reviewer is shown the region (the packet page's highlights). Documents
// without geometry (DOCX, plain text) leave boxes null.
#pragma once

#include "pipeline/model.h"

namespace clee {

// Fills Evidence::box where it is unknown and the quote is found on its page. Cost: one pass
// over the words of the quoted page per quote (quotes are few: tens per packet).
void place_evidence(Report& report);

}  // namespace clee
