// Format sniffing by content: magic numbers first, then libmagic, then a text heuristic.
#include <magic.h>

#include <cstring>
#include <memory>
#include <mutex>

#include "extractors/extract.h"
#include "extractors/zip.h"

namespace clee {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// An email starts with RFC 5322 header lines; look at the first few non-empty lines.
bool looks_like_email(std::string_view b) {
  static const char* kHeaders[] = {"from:",       "received:", "return-path:", "mime-version:",
                                   "message-id:", "date:",     "subject:",     "to:",
                                   "delivered-to:", "x-",      "content-type:", "reply-to:"};
  std::string_view head = b.substr(0, 4096);
  int matched = 0, lines = 0;
  size_t pos = 0;
  while (pos < head.size() && lines < 12) {
    size_t nl = head.find('\n', pos);
    if (nl == std::string_view::npos) nl = head.size();
    std::string_view line = head.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty() || line == "\r") break;  // end of headers
    if (line[0] == ' ' || line[0] == '\t') continue;  // folded continuation
    ++lines;
    std::string lower;
    for (char c : line.substr(0, 20)) lower.push_back(static_cast<char>(std::tolower(c)));
    bool hit = false;
    for (const char* h : kHeaders) hit = hit || starts_with(lower, h);
    if (starts_with(lower, "from ") && lines == 1) hit = true;  // mbox "From " line
    if (hit) ++matched;
    else if (line.find(':') == std::string_view::npos) return false;
  }
  return matched >= 2;
}

bool looks_like_text(std::string_view b) {
  std::string_view head = b.substr(0, 8192);
  if (head.empty()) return false;
  size_t bad = 0;
  for (unsigned char c : head) {
    if (c == 0) return false;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ++bad;
  }
  return bad * 100 < head.size();
}

struct MagicCloser {
  void operator()(magic_t m) const { magic_close(m); }
};

std::string libmagic_mime(std::string_view b) {
  // libmagic handles are not thread-safe: one per thread.
  thread_local std::unique_ptr<std::remove_pointer_t<magic_t>, MagicCloser> handle;
  if (!handle) {
    magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_ELF);
    if (!m) return {};
    if (magic_load(m, nullptr) != 0) {
      magic_close(m);
      return {};
    }
    handle.reset(m);
  }
  const char* r = magic_buffer(handle.get(), b.data(), std::min<size_t>(b.size(), 1 << 20));
  return r ? r : "";
}

}  // namespace

const char* format_name(Format f) {
  switch (f) {
    case Format::kPdf: return "pdf";
    case Format::kDocx: return "docx";
    case Format::kImage: return "image";
    case Format::kText: return "text";
    case Format::kEmail: return "email";
    case Format::kZip: return "zip";
    case Format::kUnknown: break;
  }
  return "unknown";
}

bool is_container(Format f) { return f == Format::kZip || f == Format::kEmail; }

Format sniff(std::string_view b, std::string* mime) {
  auto set = [&](const char* m, Format f) {
    if (mime) *mime = m;
    return f;
  };
  // PDF: the header may be preceded by junk; readers accept it within the first 1 KiB.
  if (starts_with(b, "%PDF-")) return set("application/pdf", Format::kPdf);
  if (starts_with(b, "PK\x03\x04") || starts_with(b, "PK\x05\x06")) {
    if (zip_has_entry(b, "word/document.xml"))
      return set("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 Format::kDocx);
    return set("application/zip", Format::kZip);
  }
  if (b.substr(0, 1024).find("%PDF-") != std::string_view::npos) return set("application/pdf", Format::kPdf);
  if (starts_with(b, "\x89PNG\r\n\x1a\n")) return set("image/png", Format::kImage);
  if (starts_with(b, "\xff\xd8\xff")) return set("image/jpeg", Format::kImage);
  if (starts_with(b, "II*\0") || starts_with(b, std::string_view("MM\0*", 4)))
    return set("image/tiff", Format::kImage);
  if (starts_with(b, "GIF87a") || starts_with(b, "GIF89a")) return set("image/gif", Format::kImage);
  if (starts_with(b, "BM") && b.size() > 26) return set("image/bmp", Format::kImage);
  if (starts_with(b, "RIFF") && b.size() >= 12 && b.substr(8, 4) == "WEBP") return set("image/webp", Format::kImage);
  if (starts_with(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"))
    return set("application/x-ole-storage", Format::kUnknown);  // legacy .doc or encrypted OOXML
  if (looks_like_email(b)) return set("message/rfc822", Format::kEmail);
  std::string m = libmagic_mime(b);
  if (starts_with(m, "image/")) {
    if (mime) *mime = m;
    return Format::kImage;
  }
  if (looks_like_text(b)) return set("text/plain", Format::kText);
  if (mime) *mime = m.empty() ? "application/octet-stream" : m;
  return Format::kUnknown;
}

}  // namespace clee
