// What Outlook's two formats share: MAPI properties (MS-OXPROPS) and the compressed RTF body
// (MS-OXRTFCP, "LZFu"). A .msg keeps each property in its own OLE stream (msg.cpp); a TNEF
// winmail.dat serialises them in attribute blocks (tnef.cpp). Both end in a PropertyBag, from
// which the cover-letter text and an attachment's name and bytes are taken the same way.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "extractors/limits.h"

namespace clee::mapi {

// Property ids (the high 16 bits of a tag) and types (the low 16 bits).
enum : uint16_t {
  kSubject = 0x0037,
  kClientSubmitTime = 0x0039,
  kSentRepresentingEmail = 0x0065,
  kSenderName = 0x0C1A,
  kSenderEmail = 0x0C1F,
  kDisplayTo = 0x0E04,
  kBody = 0x1000,
  kRtfCompressed = 0x1009,
  kHtml = 0x1013,
  kInternetMessageId = 0x1035,
  kInternetReferences = 0x1039,
  kInReplyTo = 0x1042,
  kDisplayName = 0x3001,
  kAttachDataBin = 0x3701,  // PT_BINARY, or PT_OBJECT for an embedded message
  kAttachFilename = 0x3704,
  kAttachMethod = 0x3705,
  kAttachLongFilename = 0x3707,
  kAttachMimeTag = 0x370E,
  kAttachContentId = 0x3712,
  kInternetCodepage = 0x3FDE,
  kMessageCodepage = 0x3FFD,
  kSenderSmtpAddress = 0x5D01,
  kAttachmentHidden = 0x7FFE,
};
enum : uint16_t {
  kTypeLong = 0x0003,
  kTypeBoolean = 0x000B,
  kTypeObject = 0x000D,
  kTypeString8 = 0x001E,
  kTypeUnicode = 0x001F,
  kTypeSysTime = 0x0040,
  kTypeBinary = 0x0102,
};
enum : uint32_t { kAttachByValue = 1, kAttachEmbeddedMessage = 5, kAttachOle = 6 };

// Properties of one message or attachment: raw values by tag (id << 16 | type). Strings are
// decoded on the way out (8-bit ones in `codepage`).
struct PropertyBag {
  std::map<uint32_t, std::string> values;
  int codepage = 1252;

  const std::string* raw(uint16_t id, uint16_t type) const;
  // A string property as UTF-8, whichever of PT_UNICODE, PT_STRING8 or PT_BINARY it was written as.
  std::string text(uint16_t id) const;
  std::optional<uint32_t> integer(uint16_t id) const;
  // PT_SYSTIME (a FILETIME) as "YYYY-MM-DDTHH:MM:SSZ", "" when absent.
  std::string time(uint16_t id) const;
};

// MS-OXRTFCP: the RTF of a PR_RTF_COMPRESSED value (compressed "LZFu" or stored "MELA"), at most
// `max_bytes` of output. unreadable_document when the header or a back-reference is damaged.
Result<std::string> decompress_rtf(std::string_view data, uint64_t max_bytes);

// The cover letter of a message: the plain body, else the HTML body as text, else the RTF body
// as text (Outlook "rich text"), with the subject on top.
std::string message_text(const PropertyBag& props, const Limits& limits);

// An attachment's label: its long file name, else its short one, else its display name.
std::string attachment_name(const PropertyBag& props);

}  // namespace clee::mapi
