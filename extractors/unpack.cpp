// Containers, one level at a time: a zip packet's entries, or an email's (.eml, Outlook .msg,
// TNEF winmail.dat) attachments and text body, become ContainedFiles. Names are labels for display only: they are never joined to a path, so
// `../../etc/x.pdf` stays a harmless label. Nesting (a zip in a zip, a forwarded message's zip) is
// handled by the caller (`extract_all`), which counts depth.
#include <string>

#include "extractors/email.h"
#include "extractors/extract.h"
#include "extractors/msg.h"
#include "extractors/sniff.h"
#include "extractors/tnef.h"
#include "extractors/util.h"
#include "extractors/zip.h"

namespace clee {
namespace {

// Entries that are operating-system or editor litter, not documents someone meant to send.
bool is_ignored_entry(const std::string& name) {
  size_t slash = name.find_last_of('/');
  std::string base = slash == std::string::npos ? name : name.substr(slash + 1);
  return name.rfind("__MACOSX/", 0) == 0 || name.find("/__MACOSX/") != std::string::npos || base.empty() ||
         base == ".DS_Store" || base == "Thumbs.db" || base == "desktop.ini" || base.rfind("~$", 0) == 0 ||
         base.rfind(".~lock.", 0) == 0 || base.rfind("._", 0) == 0;
}

}  // namespace

// Deliberately not resolved or shortened: the full name ("../../etc/evil.pdf") is what the
// reviewer should see, and labels are never used as paths anywhere.
std::string attachment_label(std::string_view raw) {
  std::string s = sanitize_utf8(raw);
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\') out.push_back('/');
    else if (c == '\n' || c == '\t') out.push_back(' ');
    else out.push_back(c);
  }
  if (out.size() > 255) out = sanitize_utf8(out.substr(0, 252)) + "...";
  return out;
}

namespace {

Result<std::vector<ContainedFile>> unpack_zip(std::string_view bytes, const Limits& limits) {
  auto zr = ZipReader::open(bytes, limits);
  if (!zr) return zr.error();
  std::vector<ContainedFile> out;
  for (const auto& e : (*zr)->entries()) {
    if (e.directory || is_ignored_entry(e.name)) continue;
    // Any failure (bomb, password, damage) is the archive's: its error is typed and bounded.
    auto data = (*zr)->read(e);
    if (!data) return data.error();
    out.push_back({attachment_label(e.name), std::move(*data), "entry"});
  }
  return out;
}

}  // namespace

Result<std::vector<ContainedFile>> unpack(std::string_view bytes, const std::string& label, const Limits& limits) {
  if (bytes.size() > limits.max_file_bytes)
    return Error{Code::kLimitExceeded, label + " is larger than the file size limit"};
  switch (sniff_content(bytes).kind) {
    case Kind::kZip: return unpack_zip(bytes, limits);
    case Kind::kEml: return unpack_email(bytes, limits);
    case Kind::kMsg: return unpack_msg(bytes, limits);
    case Kind::kTnef: return unpack_tnef(bytes, limits);
    default: return Error{Code::kUnsupportedFormat, label + " is not a container"};
  }
}

Result<EmailInfo> read_email_info(std::string_view bytes) {
  if (sniff_content(bytes).kind == Kind::kMsg) return msg_email_info(bytes);
  return parse_email_info(bytes);
}

}  // namespace clee
