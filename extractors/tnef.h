// TNEF (MS-OXTNEF), the "winmail.dat" attachment Outlook sends with rich-text mail: the real
// attachments and the message body travel inside it. Read natively (the format is a flat list of
// length-prefixed attribute blocks) rather than through libytnef, which prints diagnostics to
// stdout (our report's channel), keeps global state and has a history of memory-safety fixes.
//
// A TNEF stream is a container like an .eml: the message body (plain, else HTML, else the
// compressed RTF, as text) is the cover letter, every attachment a file of the packet named by
// its long file name (a label, never a path); an attached message (PT_OBJECT holding a nested
// TNEF stream) contributes its attachments and body too.
// Limits: attributes and attachments (limits.max_entries), bytes per attachment and in all,
// nesting 8 deep; every length is checked against the bytes left.
#pragma once

#include <string_view>
#include <vector>

#include "extractors/extract.h"

namespace clee {

Result<std::vector<ContainedFile>> unpack_tnef(std::string_view bytes, const Limits& limits);

}  // namespace clee
