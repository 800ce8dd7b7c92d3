#include "extractors/mapi.h"

#include <cstring>

#include "base/env.h"
#include "extractors/codepage.h"
#include "extractors/email.h"
#include "extractors/rtf.h"
#include "extractors/util.h"

namespace clee::mapi {

const std::string* PropertyBag::raw(uint16_t id, uint16_t type) const {
  auto it = values.find(static_cast<uint32_t>(id) << 16 | type);
  return it == values.end() ? nullptr : &it->second;
}

std::string PropertyBag::text(uint16_t id) const {
  std::string s;
  if (const std::string* u = raw(id, kTypeUnicode)) {
    s = utf16le_to_utf8(*u);
  } else if (const std::string* a = raw(id, kTypeString8)) {
    CodepageDecoder dec;
    s = dec.decode(*a, codepage);
  } else if (const std::string* b = raw(id, kTypeBinary)) {
    s = sanitize_utf8(*b);  // PR_HTML is often binary: bytes of the HTML in its own charset
  }
  while (!s.empty() && s.back() == '\0') s.pop_back();  // NUL terminators some writers keep
  return sanitize_utf8(s);
}

std::optional<uint32_t> PropertyBag::integer(uint16_t id) const {
  const std::string* v = raw(id, kTypeLong);
  if (!v) v = raw(id, kTypeBoolean);
  if (!v || v->size() < 2) return std::nullopt;
  uint32_t r = 0;
  for (size_t i = 0; i < std::min<size_t>(v->size(), 4); ++i) r |= static_cast<uint32_t>(static_cast<unsigned char>((*v)[i])) << (8 * i);
  return r;
}

std::string PropertyBag::time(uint16_t id) const {
  const std::string* v = raw(id, kTypeSysTime);
  if (!v || v->size() < 8) return {};
  uint64_t ft = 0;
  for (size_t i = 0; i < 8; ++i) ft |= static_cast<uint64_t>(static_cast<unsigned char>((*v)[i])) << (8 * i);
  double epoch = static_cast<double>(ft) / 1e7 - 11644473600.0;  // FILETIME: 100 ns since 1601
  if (epoch < 0 || epoch > 253402300799.0) return {};
  return format_utc(epoch);
}

Result<std::string> decompress_rtf(std::string_view d, uint64_t max_bytes) {
  if (d.size() < 16) return Error{Code::kUnreadableDocument, "compressed RTF: header cut short"};
  auto u32 = [&](size_t o) {
    return static_cast<uint32_t>(static_cast<unsigned char>(d[o])) | static_cast<uint32_t>(static_cast<unsigned char>(d[o + 1])) << 8 |
           static_cast<uint32_t>(static_cast<unsigned char>(d[o + 2])) << 16 | static_cast<uint32_t>(static_cast<unsigned char>(d[o + 3])) << 24;
  };
  uint32_t comp_size = u32(0), raw_size = u32(4), type = u32(8);
  size_t end = std::min<size_t>(d.size(), static_cast<size_t>(comp_size) + 4);
  if (type == 0x414C454D) return std::string(d.substr(16, std::min<size_t>(raw_size, max_bytes)));  // "MELA": stored
  if (type != 0x75465A4C) return Error{Code::kUnreadableDocument, "compressed RTF: unknown compression"};
  static const char kPrebuf[] =
      "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS "
      "Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par "
      "\\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";
  char dict[4096];
  std::memset(dict, 0, sizeof dict);
  size_t pre = sizeof kPrebuf - 1;  // 207
  std::memcpy(dict, kPrebuf, pre);
  size_t wp = pre;
  std::string out;
  out.reserve(std::min<uint64_t>(raw_size, max_bytes));
  size_t p = 16;
  while (p < end) {
    unsigned control = static_cast<unsigned char>(d[p++]);
    for (int bit = 0; bit < 8 && p < end; ++bit) {
      if (!(control & (1u << bit))) {
        char c = d[p++];
        out.push_back(c);
        dict[wp++ % 4096] = c;
      } else {
        if (p + 1 >= end) return out;
        unsigned ref = static_cast<unsigned char>(d[p]) << 8 | static_cast<unsigned char>(d[p + 1]);
        p += 2;
        size_t offset = ref >> 4, len = (ref & 0x0F) + 2;
        if (offset == wp % 4096) return out;  // the end marker
        for (size_t k = 0; k < len; ++k) {
          char c = dict[(offset + k) % 4096];
          out.push_back(c);
          dict[wp++ % 4096] = c;
        }
      }
      if (out.size() > max_bytes) return Error{Code::kLimitExceeded, "compressed RTF body inflates beyond the limit"};
    }
  }
  return out;
}

std::string message_text(const PropertyBag& props, const Limits& limits) {
  std::string body = props.text(kBody);
  if (tidy_text(body).empty()) {
    std::string html = props.text(kHtml);
    if (!html.empty()) body = html_to_text(html);
  }
  if (tidy_text(body).empty())
    if (const std::string* rtf = props.raw(kRtfCompressed, kTypeBinary))
      if (auto r = decompress_rtf(*rtf, limits.max_entry_bytes)) body = rtf_to_text(*r, limits);
  body = tidy_text(body);
  std::string subject = tidy_text(props.text(kSubject));
  if (subject.empty()) return body;
  return "Subject: " + subject + (body.empty() ? "" : "\n\n" + body);
}

std::string attachment_name(const PropertyBag& props) {
  for (uint16_t id : {kAttachLongFilename, kAttachFilename, kDisplayName}) {
    std::string n = tidy_text(props.text(id));
    if (!n.empty()) return n;
  }
  return {};
}

}  // namespace clee::mapi
