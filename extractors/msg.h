// Outlook .msg files (MS-OXMSG): an OLE2 compound file (read with libgsf, ole.h) whose streams
// are MAPI properties (__substg1.0_TTTTIIII) and fixed-size property tables
// (__properties_version1.0), with one storage per attachment (__attach_version1.0_#N) and one
// per embedded message (the attachment's __substg1.0_3701000D).
//
// A .msg is a container like an .eml: its text body (else its HTML body, else its compressed RTF
// body, as text) is the cover letter, every attachment is a file of the packet under its own
// name (a label, never a path), and an attached message's attachments belong to the packet too
// (its body joins the cover letter, as a forwarded .eml's does). Tiny hidden or inline images
// (signatures, logos) are skipped as email.cpp skips them.
// Limits: attachments per message (limits.max_entries), bytes per attachment
// (limits.max_file_bytes) and in all (limits.max_total_inflated), embedded messages 8 deep.
#pragma once

#include <string_view>
#include <vector>

#include "extractors/extract.h"

namespace clee {

Result<std::vector<ContainedFile>> unpack_msg(std::string_view bytes, const Limits& limits);
Result<EmailInfo> msg_email_info(std::string_view bytes);

}  // namespace clee
