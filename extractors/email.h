// Email (RFC 5322 / MIME) reading with GMime: attachments (including PDFs sent "inline", as Apple
// Mail does, and those inside forwarded messages), the text body as a cover letter, and the
// headers intake needs to thread replies. Tiny images (signatures, logos) are skipped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "extractors/extract.h"

namespace clee {

Result<std::vector<ContainedFile>> unpack_email(std::string_view bytes, const Limits& limits);
Result<EmailInfo> parse_email_info(std::string_view bytes);

// The text of an HTML body (tags stripped, block ends as line breaks, entities decoded); shared
// with the Outlook readers (msg.h, tnef.h).
std::string html_to_text(std::string_view html);

// A display label for an entry or attachment name: valid UTF-8, no control characters, '\' shown
// as '/', at most 255 bytes. Never resolved or used as a path (unpack.cpp).
std::string attachment_label(std::string_view raw);

}  // namespace clee
