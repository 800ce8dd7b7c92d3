// TNEF container (tnef.h). Attribute and property layouts follow MS-OXTNEF 2.1.3.
#include "extractors/tnef.h"

#include "extractors/codepage.h"
#include "extractors/email.h"
#include "extractors/mapi.h"
#include "extractors/util.h"

namespace clee {
namespace {

constexpr uint32_t kSignature = 0x223E9F78;
constexpr int kMaxDepth = 8;
constexpr size_t kMaxProperties = 10'000;

// Attributes (id | type << 16) this reader uses.
constexpr uint32_t kAttSubject = 0x00018004, kAttBody = 0x0002800C, kAttAttachData = 0x0006800F,
                   kAttAttachTitle = 0x00018010, kAttAttachRendData = 0x00069002, kAttMapiProps = 0x00069003,
                   kAttAttachment = 0x00069005, kAttOemCodepage = 0x00069007;

class Cursor {
 public:
  explicit Cursor(std::string_view b) : b_(b) {}
  bool left(size_t n) const { return n <= b_.size() - p_; }
  size_t remaining() const { return b_.size() - p_; }
  uint32_t u32() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(b_[p_ + i])) << (8 * i);
    p_ += 4;
    return v;
  }
  uint16_t u16() {
    uint16_t v = static_cast<uint16_t>(static_cast<unsigned char>(b_[p_]) | static_cast<unsigned char>(b_[p_ + 1]) << 8);
    p_ += 2;
    return v;
  }
  std::string_view take(size_t n) {
    std::string_view s = b_.substr(p_, n);
    p_ += n;
    return s;
  }
  void skip(size_t n) { p_ += std::min(n, remaining()); }

 private:
  std::string_view b_;
  size_t p_ = 0;
};

size_t padded(size_t n) { return (n + 3) & ~size_t{3}; }

// A MAPI property list (attMAPIProps, attAttachment). Multi-valued properties keep their first value.
Status read_properties(std::string_view data, mapi::PropertyBag& bag) {
  Cursor c(data);
  if (!c.left(4)) return Error{Code::kUnreadableDocument, "TNEF: property list cut short"};
  uint32_t count = c.u32();
  if (count > kMaxProperties) return Error{Code::kLimitExceeded, "TNEF: more than 10000 properties"};
  auto bad = [] { return Error{Code::kUnreadableDocument, "TNEF: property list damaged"}; };
  for (uint32_t i = 0; i < count; ++i) {
    if (!c.left(4)) return bad();
    uint32_t tag = c.u32();
    uint16_t type = tag & 0xFFFF, id = static_cast<uint16_t>(tag >> 16);
    if (id >= 0x8000) {  // a named property: GUID, then a number or a name
      if (!c.left(20)) return bad();
      c.skip(16);
      uint32_t kind = c.u32();
      if (!c.left(4)) return bad();
      uint32_t v = c.u32();
      if (kind == 1) {
        if (!c.left(padded(v))) return bad();
        c.skip(padded(v));
      }
    }
    bool multi = type & 0x1000;
    type &= 0x0FFF;
    uint32_t values = 1;
    bool variable = type == mapi::kTypeString8 || type == mapi::kTypeUnicode || type == mapi::kTypeBinary ||
                    type == mapi::kTypeObject;
    if (multi || variable) {
      if (!c.left(4)) return bad();
      values = c.u32();
      if (values > c.remaining()) return bad();
    }
    size_t fixed = 0;
    switch (type) {
      case 0x0002: case 0x0003: case 0x0004: case 0x000A: case 0x000B: case 0x0001: fixed = 4; break;
      case 0x0005: case 0x0006: case 0x0007: case 0x0014: case 0x0040: fixed = 8; break;
      case 0x0048: fixed = 16; break;
      default: break;
    }
    std::string first;
    for (uint32_t k = 0; k < values; ++k) {
      std::string_view v;
      if (variable) {
        if (!c.left(4)) return bad();
        uint32_t len = c.u32();
        if (!c.left(padded(len)) && !c.left(len)) return bad();
        v = c.take(len);
        c.skip(padded(len) - len);
      } else if (fixed) {
        if (!c.left(fixed)) return bad();
        v = c.take(fixed);
      } else {
        return bad();  // an unknown type: its size cannot be known
      }
      if (k == 0) first = std::string(v);
    }
    if (type == mapi::kTypeObject) {  // 16-byte interface id, then the object (a TNEF stream for messages)
      first = first.size() >= 16 ? first.substr(16) : std::string();
    }
    bag.values[static_cast<uint32_t>(id) << 16 | type] = std::move(first);
  }
  return Status::Ok();
}

struct Walk {
  const Limits& limits;
  std::vector<ContainedFile> files;
  std::string body;
  uint64_t total = 0;
  int attributes = 0;

  Status stream(std::string_view bytes, int depth);
  Status finish_attachment(mapi::PropertyBag& props, std::string& data, const std::string& title, int depth);
};

Status Walk::finish_attachment(mapi::PropertyBag& props, std::string& data, const std::string& title, int depth) {
  // An attached message is a PT_OBJECT whose object is a TNEF stream of its own.
  if (const std::string* obj = props.raw(mapi::kAttachDataBin, mapi::kTypeObject); obj && obj->size() >= 4) {
    uint32_t sig = static_cast<uint32_t>(static_cast<unsigned char>((*obj)[0])) |
                   static_cast<uint32_t>(static_cast<unsigned char>((*obj)[1])) << 8 |
                   static_cast<uint32_t>(static_cast<unsigned char>((*obj)[2])) << 16 |
                   static_cast<uint32_t>(static_cast<unsigned char>((*obj)[3])) << 24;
    if (sig == kSignature) return stream(*obj, depth + 1);
  }
  if (data.empty())
    if (const std::string* bin = props.raw(mapi::kAttachDataBin, mapi::kTypeBinary)) data = *bin;
  if (data.empty()) return Status::Ok();
  total += data.size();
  if (data.size() > limits.max_file_bytes || total > limits.max_total_inflated)
    return Error{Code::kLimitExceeded, "attachments exceed the size limit"};
  std::string name = mapi::attachment_name(props);
  if (name.empty()) name = tidy_text(title);
  if (name.empty()) name = "attachment " + std::to_string(files.size() + 1);
  files.push_back({attachment_label(name), std::move(data), "attachment"});
  return Status::Ok();
}

Status Walk::stream(std::string_view bytes, int depth) {
  if (depth > kMaxDepth) return Error{Code::kLimitExceeded, "TNEF messages nested deeper than 8"};
  Cursor c(bytes);
  if (!c.left(6) || c.u32() != kSignature) return Error{Code::kUnreadableDocument, "not a TNEF stream"};
  c.skip(2);  // legacy key
  mapi::PropertyBag message;
  std::string subject, plain;
  int codepage = 1252;
  bool in_attachment = false;
  mapi::PropertyBag att;
  std::string att_data, att_title;
  while (c.left(9)) {
    if (++attributes > limits.max_entries * 4)
      return Error{Code::kLimitExceeded, "TNEF stream has too many attributes"};
    unsigned level = static_cast<unsigned char>(c.take(1)[0]);
    uint32_t id = c.u32(), len = c.u32();
    if (!c.left(len)) return Error{Code::kUnreadableDocument, "TNEF attribute runs past the end of the stream"};
    std::string_view data = c.take(len);
    if (c.left(2)) c.skip(2);  // checksum (not enforced: damage shows as bad lengths instead)
    if (level == 2 && id == kAttAttachRendData) {  // starts the next attachment
      if (in_attachment)
        if (Status s = finish_attachment(att, att_data, att_title, depth); !s) return s;
      in_attachment = true;
      att = mapi::PropertyBag{};
      att.codepage = codepage;
      att_data.clear();
      att_title.clear();
      if (static_cast<int>(files.size()) >= limits.max_entries)
        return Error{Code::kLimitExceeded, "message has more than " + std::to_string(limits.max_entries) + " attachments"};
    } else if (level == 2 && id == kAttAttachData) {
      att_data = std::string(data);
    } else if (level == 2 && id == kAttAttachTitle) {
      CodepageDecoder dec;
      att_title = dec.decode(data.substr(0, data.find('\0')), codepage);
    } else if (level == 2 && id == kAttAttachment) {
      if (Status s = read_properties(data, att); !s) return s;
    } else if (level == 1 && id == kAttOemCodepage && data.size() >= 4) {
      codepage = static_cast<int>(static_cast<unsigned char>(data[0]) | static_cast<unsigned char>(data[1]) << 8);
      message.codepage = codepage;
    } else if (level == 1 && id == kAttSubject) {
      subject = std::string(data.substr(0, data.find('\0')));
    } else if (level == 1 && id == kAttBody) {
      plain = std::string(data);
    } else if (level == 1 && id == kAttMapiProps) {
      if (Status s = read_properties(data, message); !s) return s;
    }
  }
  if (in_attachment)
    if (Status s = finish_attachment(att, att_data, att_title, depth); !s) return s;
  // The legacy attributes stand in for the MAPI ones when a writer left those out.
  if (!subject.empty() && !message.raw(mapi::kSubject, mapi::kTypeUnicode) && !message.raw(mapi::kSubject, mapi::kTypeString8))
    message.values[static_cast<uint32_t>(mapi::kSubject) << 16 | mapi::kTypeString8] = subject;
  if (!plain.empty() && !message.raw(mapi::kBody, mapi::kTypeUnicode) && !message.raw(mapi::kBody, mapi::kTypeString8))
    message.values[static_cast<uint32_t>(mapi::kBody) << 16 | mapi::kTypeString8] = plain;
  std::string text = mapi::message_text(message, limits);
  if (!text.empty()) body += (body.empty() ? "" : "\n\n") + text;
  return Status::Ok();
}

}  // namespace

Result<std::vector<ContainedFile>> unpack_tnef(std::string_view bytes, const Limits& limits) {
  Walk walk{limits, {}, {}, 0, 0};
  if (Status s = walk.stream(bytes, 0); !s) return s.error();
  std::string body = tidy_text(walk.body);
  if (!body.empty()) walk.files.insert(walk.files.begin(), ContainedFile{"message body (cover letter)", body, "body"});
  return walk.files;
}

}  // namespace clee
