// Outlook .msg container (msg.h).
#include "extractors/msg.h"

#include <algorithm>
#include <cstdlib>

#include "extractors/email.h"
#include "extractors/mapi.h"
#include "extractors/ole.h"
#include "extractors/util.h"

namespace clee {
namespace {

constexpr int kMaxMessageDepth = 8;
constexpr size_t kTinyImageBytes = 10 * 1024;
constexpr size_t kEmbeddedLogoBytes = 64 * 1024;

// The properties of one message or attachment storage: every __substg1.0_ stream (up to the
// byte cap) and the fixed-size values of the property table. `header` is the table's header
// size: 32 for the top message, 24 for an embedded one, 8 for an attachment or recipient.
Result<mapi::PropertyBag> read_properties(const OleStorage& st, size_t header, uint64_t cap) {
  mapi::PropertyBag bag;
  for (const auto& e : st.entries()) {
    if (e.storage || e.name.size() != 20 || e.name.rfind("__substg1.0_", 0) != 0) continue;
    uint32_t tag = static_cast<uint32_t>(std::strtoul(e.name.substr(12).c_str(), nullptr, 16));
    uint16_t type = tag & 0xFFFF;
    if (type == mapi::kTypeBinary && (tag >> 16) == mapi::kAttachDataBin) continue;  // read when wanted
    auto v = st.read(e.name, cap);
    if (!v) {
      if (v.error().code == Code::kLimitExceeded) return v.error();
      continue;
    }
    bag.values[tag] = std::move(*v);
  }
  // Fixed-size properties (PT_LONG, PT_BOOLEAN, PT_SYSTIME...) live in the property table.
  std::string table = st.head("__properties_version1.0", 1 << 20);
  for (size_t p = header; p + 16 <= table.size(); p += 16) {
    uint32_t tag = static_cast<uint32_t>(static_cast<unsigned char>(table[p])) |
                   static_cast<uint32_t>(static_cast<unsigned char>(table[p + 1])) << 8 |
                   static_cast<uint32_t>(static_cast<unsigned char>(table[p + 2])) << 16 |
                   static_cast<uint32_t>(static_cast<unsigned char>(table[p + 3])) << 24;
    uint16_t type = tag & 0xFFFF;
    if (type == mapi::kTypeLong || type == mapi::kTypeBoolean || type == mapi::kTypeSysTime)
      bag.values.emplace(tag, table.substr(p + 8, 8));
  }
  if (auto cp = bag.integer(mapi::kMessageCodepage)) bag.codepage = static_cast<int>(*cp);
  else if (auto icp = bag.integer(mapi::kInternetCodepage)) bag.codepage = static_cast<int>(*icp);
  return bag;
}

struct Walk {
  const Limits& limits;
  std::vector<ContainedFile> files;
  std::string body;
  uint64_t total = 0;

  Status message(const OleStorage& st, size_t header, int depth);
  Status attachment(const OleStorage& st, int depth, int index);
};

Status Walk::message(const OleStorage& st, size_t header, int depth) {
  if (depth > kMaxMessageDepth)
    return Error{Code::kLimitExceeded, "messages nested deeper than " + std::to_string(kMaxMessageDepth)};
  auto props = read_properties(st, header, limits.max_entry_bytes);
  if (!props) return props.error();
  std::string text = mapi::message_text(*props, limits);
  if (!text.empty()) body += (body.empty() ? "" : "\n\n") + text;
  std::vector<std::string> names;
  for (const auto& e : st.entries())
    if (e.storage && e.name.rfind("__attach_version1.0_#", 0) == 0) names.push_back(e.name);
  std::sort(names.begin(), names.end());
  if (static_cast<int>(names.size()) > limits.max_entries)
    return Error{Code::kLimitExceeded, "message has more than " + std::to_string(limits.max_entries) + " attachments"};
  int index = 0;
  for (const auto& n : names) {
    auto a = st.storage(n);
    if (!a) continue;
    if (Status s = attachment(*a, depth, ++index); !s) return s;
  }
  return Status::Ok();
}

Status Walk::attachment(const OleStorage& st, int depth, int index) {
  auto props = read_properties(st, 8, limits.max_entry_bytes);
  if (!props) return props.error();
  uint32_t method = props->integer(mapi::kAttachMethod).value_or(mapi::kAttachByValue);
  if (auto inner = st.storage("__substg1.0_3701000D")) {
    // An attached message (or an OLE object): a message storage has its own property table.
    if (method == mapi::kAttachEmbeddedMessage || inner->has("__properties_version1.0"))
      return message(*inner, 24, depth + 1);
    return Status::Ok();  // an embedded OLE object (a chart, a package): not a file of the packet
  }
  auto data = st.read("__substg1.0_37010102", limits.max_file_bytes);
  if (!data) return data.error().code == Code::kLimitExceeded ? Status(data.error()) : Status::Ok();
  total += data->size();
  if (total > limits.max_total_inflated) return Error{Code::kLimitExceeded, "attachments exceed the size limit"};
  if (data->empty()) return Status::Ok();
  std::string mime = props->text(mapi::kAttachMimeTag);
  bool image = mime.rfind("image/", 0) == 0;
  bool hidden = props->integer(mapi::kAttachmentHidden).value_or(0) != 0;
  bool inline_cid = !props->text(mapi::kAttachContentId).empty();
  if (image && data->size() < kTinyImageBytes) return Status::Ok();  // signature or logo
  if (image && (hidden || inline_cid) && data->size() < kEmbeddedLogoBytes) return Status::Ok();
  std::string name = mapi::attachment_name(*props);
  if (name.empty()) name = "attachment " + std::to_string(index);
  files.push_back({attachment_label(name), std::move(*data), "attachment"});
  return Status::Ok();
}

}  // namespace

Result<std::vector<ContainedFile>> unpack_msg(std::string_view bytes, const Limits& limits) {
  auto ole = OleFile::open(bytes);
  if (!ole) return ole.error();
  Walk walk{limits, {}, {}, 0};
  if (Status s = walk.message((*ole)->root(), 32, 0); !s) return s.error();
  std::string body = tidy_text(walk.body);
  if (!body.empty()) walk.files.insert(walk.files.begin(), ContainedFile{"message body (cover letter)", body, "body"});
  return walk.files;
}

Result<EmailInfo> msg_email_info(std::string_view bytes) {
  auto ole = OleFile::open(bytes);
  if (!ole) return ole.error();
  auto props = read_properties((*ole)->root(), 32, 1 << 20);
  if (!props) return props.error();
  EmailInfo info;
  auto strip = [](std::string s) {
    auto a = s.find('<'), b = s.rfind('>');
    return a != std::string::npos && b != std::string::npos && b > a ? s.substr(a + 1, b - a - 1) : s;
  };
  info.message_id = strip(tidy_text(props->text(mapi::kInternetMessageId)));
  info.in_reply_to = strip(tidy_text(props->text(mapi::kInReplyTo)));
  info.subject = tidy_text(props->text(mapi::kSubject));
  std::string name = tidy_text(props->text(mapi::kSenderName));
  std::string email = tidy_text(props->text(mapi::kSenderSmtpAddress));
  if (email.empty()) email = tidy_text(props->text(mapi::kSentRepresentingEmail));
  if (email.empty() || email.find('@') == std::string::npos) email = tidy_text(props->text(mapi::kSenderEmail));
  info.from = name.empty() ? email : (email.empty() || email == name ? name : name + " <" + email + ">");
  info.to = tidy_text(props->text(mapi::kDisplayTo));
  info.date = props->time(mapi::kClientSubmitTime);
  std::string refs = props->text(mapi::kInternetReferences);
  for (size_t pos = refs.find('<'); pos != std::string::npos; pos = refs.find('<', pos + 1)) {
    size_t end = refs.find('>', pos);
    if (end == std::string::npos) break;
    info.references.push_back(refs.substr(pos + 1, end - pos - 1));
  }
  return info;
}

}  // namespace clee
