// Email (RFC 5322 / MIME) reading with GMime: attachments (including PDFs sent "inline", as Apple
// Mail does, and those inside forwarded messages), the text body as a cover letter, and the
// headers intake needs to thread replies. Tiny images (signatures, logos) are skipped.
#pragma once

#include <string_view>
#include <vector>

#include "extractors/extract.h"

namespace clee {

Result<std::vector<ContainedFile>> unpack_email(std::string_view bytes, const Limits& limits);
Result<EmailInfo> parse_email_info(std::string_view bytes);

}  // namespace clee
