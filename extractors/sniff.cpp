// Format sniffing by content (sniff.h): magic numbers and container contents first, then
// libmagic, then a text heuristic.
#include "extractors/sniff.h"

#include <magic.h>

#include <cstring>
#include <memory>
#include <mutex>

#include "extractors/extract.h"
#include "extractors/ole.h"
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
    case Format::kDoc: return "doc";
    case Format::kRtf: return "rtf";
    case Format::kOdt: return "odt";
    case Format::kPptx: return "pptx";
    case Format::kXlsx: return "xlsx";
    case Format::kImage: return "image";
    case Format::kText: return "text";
    case Format::kEmail: return "email";
    case Format::kZip: return "zip";
    case Format::kUnknown: break;
  }
  return "unknown";
}

bool is_container(Format f) { return f == Format::kZip || f == Format::kEmail; }

bool needs_converter(Kind k) {
  return k == Kind::kDocLegacy || k == Kind::kWordXml || k == Kind::kPpt || k == Kind::kXls || k == Kind::kOds ||
         k == Kind::kOdp;
}

namespace {

Sniffed make(Kind k, Format f, std::string mime) { return Sniffed{k, f, std::move(mime)}; }

// OOXML and ODF packages by their parts; anything else stays a zip (a packet).
Sniffed sniff_zip(std::string_view b) {
  auto zr = ZipReader::open(b, Limits{});
  if (!zr) return make(Kind::kZip, Format::kZip, "application/zip");
  ZipReader& z = **zr;
  std::string types;
  if (const ZipEntry* ct = z.find("[Content_Types].xml"); ct && ct->size < (4u << 20))
    if (auto t = z.read(*ct)) types = std::move(*t);
  auto declares = [&](std::initializer_list<const char*> mains) {
    for (const char* m : mains)
      if (types.find(m) != std::string::npos) return true;
    return false;
  };
  // The main part's content type, not any part's: a DOCX with a chart declares a spreadsheet too.
  if (z.find("word/document.xml") ||
      declares({"wordprocessingml.document.main+xml", "wordprocessingml.template.main+xml",
                "ms-word.document.macroEnabled.main+xml", "ms-word.template.macroEnabledTemplate.main+xml"}))
    return make(Kind::kDocx, Format::kDocx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  if (z.find("ppt/presentation.xml") ||
      declares({"presentationml.presentation.main+xml", "presentationml.slideshow.main+xml",
                "presentationml.template.main+xml", "ms-powerpoint.presentation.macroEnabled.main+xml",
                "ms-powerpoint.slideshow.macroEnabled.main+xml"}))
    return make(Kind::kPptx, Format::kPptx, "application/vnd.openxmlformats-officedocument.presentationml.presentation");
  if (z.find("xl/workbook.xml") ||
      declares({"spreadsheetml.sheet.main+xml", "spreadsheetml.template.main+xml", "ms-excel.sheet.macroEnabled.main+xml"}))
    return make(Kind::kXlsx, Format::kXlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  // ODF: the `mimetype` entry (first and stored, by the spec; read wherever it is).
  if (const ZipEntry* mt = z.find("mimetype"); mt && mt->size < 256) {
    auto m = z.read(*mt);
    std::string mime = m ? *m : "";
    while (!mime.empty() && std::isspace(static_cast<unsigned char>(mime.back()))) mime.pop_back();
    if (mime == "application/vnd.oasis.opendocument.text" || mime == "application/vnd.oasis.opendocument.text-template" ||
        mime == "application/vnd.oasis.opendocument.text-master")
      return make(Kind::kOdt, Format::kOdt, mime);
    if (mime.rfind("application/vnd.oasis.opendocument.spreadsheet", 0) == 0) return make(Kind::kOds, Format::kXlsx, mime);
    if (mime.rfind("application/vnd.oasis.opendocument.presentation", 0) == 0) return make(Kind::kOdp, Format::kPptx, mime);
    // Drawings, formulas, databases: one document (unsupported), not a packet of its parts.
    if (mime.rfind("application/vnd.oasis.opendocument.", 0) == 0) return make(Kind::kUnknown, Format::kUnknown, mime);
  }
  return make(Kind::kZip, Format::kZip, "application/zip");
}

// OLE2 compound files by their stream names.
Sniffed sniff_ole(std::string_view b) {
  Sniffed other = make(Kind::kOle, Format::kUnknown, "application/x-ole-storage");
  auto f = OleFile::open(b);
  if (!f) return other;
  const OleStorage& root = (*f)->root();
  if (root.has("EncryptionInfo") || root.has("EncryptedPackage") || root.has("	DRMContent") ||
      root.has("	DRMDataSpace"))
    return make(Kind::kEncryptedOle, Format::kUnknown, "application/x-ole-storage");
  if (root.has("WordDocument")) {
    // FibBase: wIdent 0xA5EC and nFib >= 0xC0 for Word 97 and later (Word 6/95: 0x65..0x68), and
    // a table stream, which Word 6/95 files do not have.
    std::string fib = root.head("WordDocument", 12);
    auto u16 = [&](size_t o) { return static_cast<unsigned>(static_cast<unsigned char>(fib[o])) |
                                      static_cast<unsigned>(static_cast<unsigned char>(fib[o + 1])) << 8; };
    bool w97 = fib.size() >= 12 && u16(0) == 0xA5EC && u16(2) >= 0xC0 && (root.has("1Table") || root.has("0Table"));
    return make(w97 ? Kind::kDoc : Kind::kDocLegacy, Format::kDoc, "application/msword");
  }
  if (root.has("Workbook") || root.has("Book")) return make(Kind::kXls, Format::kXlsx, "application/vnd.ms-excel");
  if (root.has("PowerPoint Document")) {
    // A password-protected presentation keeps an "EncryptedSummary" stream beside its records.
    if (root.has("EncryptedSummary")) return make(Kind::kEncryptedOle, Format::kPptx, "application/vnd.ms-powerpoint");
    return make(Kind::kPpt, Format::kPptx, "application/vnd.ms-powerpoint");
  }
  if (root.has("__properties_version1.0")) return make(Kind::kMsg, Format::kEmail, "application/vnd.ms-outlook");
  for (const auto& e : root.entries())
    if (e.name.rfind("__substg1.0_", 0) == 0) return make(Kind::kMsg, Format::kEmail, "application/vnd.ms-outlook");
  return other;
}

// ISO base media file with a HEIF (HEVC) or AVIF brand; plain MP4/QuickTime video is not one.
std::string heif_mime(std::string_view b) {
  if (b.size() < 16 || b.substr(4, 4) != "ftyp") return {};
  uint32_t box = (static_cast<uint32_t>(static_cast<unsigned char>(b[0])) << 24) |
                 (static_cast<uint32_t>(static_cast<unsigned char>(b[1])) << 16) |
                 (static_cast<uint32_t>(static_cast<unsigned char>(b[2])) << 8) | static_cast<unsigned char>(b[3]);
  size_t end = std::min<size_t>(std::min<size_t>(b.size(), box), 256);
  auto brand_mime = [](std::string_view br) -> std::string {
    static const char* kHeic[] = {"heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs"};
    for (const char* h : kHeic)
      if (br == h) return "image/heic";
    if (br == "avif" || br == "avis") return "image/avif";
    if (br == "mif1" || br == "msf1") return "image/heif";
    return {};
  };
  if (std::string m = brand_mime(b.substr(8, 4)); !m.empty()) return m;
  for (size_t o = 16; o + 4 <= end; o += 4)  // compatible brands
    if (std::string m = brand_mime(b.substr(o, 4)); !m.empty()) return m;
  return {};
}

// Word 2003 XML and flat ODT: XML whose root element says what it is.
Sniffed sniff_xml(std::string_view b) {
  std::string_view head = b.substr(0, 4096);
  if (head.find("<w:wordDocument") != std::string_view::npos ||
      head.find("schemas.microsoft.com/office/word/2003/wordml") != std::string_view::npos ||
      head.find("progid=\"Word.Document\"") != std::string_view::npos)
    return make(Kind::kWordXml, Format::kDoc, "application/vnd.ms-wordml");
  if (head.find("office:document") != std::string_view::npos) {
    if (head.find("application/vnd.oasis.opendocument.text\"") != std::string_view::npos ||
        head.find("application/vnd.oasis.opendocument.text-template\"") != std::string_view::npos)
      return make(Kind::kFlatOdt, Format::kOdt, "application/vnd.oasis.opendocument.text-flat-xml");
    if (head.find("application/vnd.oasis.opendocument.spreadsheet\"") != std::string_view::npos)
      return make(Kind::kOds, Format::kXlsx, "application/vnd.oasis.opendocument.spreadsheet-flat-xml");
    if (head.find("application/vnd.oasis.opendocument.presentation\"") != std::string_view::npos)
      return make(Kind::kOdp, Format::kPptx, "application/vnd.oasis.opendocument.presentation-flat-xml");
  }
  return make(Kind::kUnknown, Format::kUnknown, "");
}

std::string_view skip_bom_and_space(std::string_view b) {
  if (b.substr(0, 3) == "\xEF\xBB\xBF") b.remove_prefix(3);
  while (!b.empty() && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n')) b.remove_prefix(1);
  return b;
}

}  // namespace

Sniffed sniff_content(std::string_view b) {
  // PDF: the header may be preceded by junk; readers accept it within the first 1 KiB.
  if (starts_with(b, "%PDF-")) return make(Kind::kPdf, Format::kPdf, "application/pdf");
  if (starts_with(b, "PK\x03\x04") || starts_with(b, "PK\x05\x06")) return sniff_zip(b);
  std::string_view lead = skip_bom_and_space(b);
  if (starts_with(lead, "{\\rtf")) return make(Kind::kRtf, Format::kRtf, "application/rtf");
  if (starts_with(b, "\x78\x9F\x3E\x22")) return make(Kind::kTnef, Format::kEmail, "application/vnd.ms-tnef");
  if (b.substr(0, 1024).find("%PDF-") != std::string_view::npos) return make(Kind::kPdf, Format::kPdf, "application/pdf");
  if (is_ole(b)) return sniff_ole(b);
  if (std::string m = heif_mime(b); !m.empty()) return make(Kind::kHeif, Format::kImage, m);
  if (starts_with(b, "\x89PNG\r\n\x1a\n")) return make(Kind::kImage, Format::kImage, "image/png");
  if (starts_with(b, "\xff\xd8\xff")) return make(Kind::kImage, Format::kImage, "image/jpeg");
  if (starts_with(b, "II*\0") || starts_with(b, std::string_view("MM\0*", 4)))
    return make(Kind::kImage, Format::kImage, "image/tiff");
  if (starts_with(b, "GIF87a") || starts_with(b, "GIF89a")) return make(Kind::kImage, Format::kImage, "image/gif");
  if (starts_with(b, "BM") && b.size() > 26) return make(Kind::kImage, Format::kImage, "image/bmp");
  if (starts_with(b, "RIFF") && b.size() >= 12 && b.substr(8, 4) == "WEBP") return make(Kind::kImage, Format::kImage, "image/webp");
  if (starts_with(lead, "<")) {
    Sniffed x = sniff_xml(lead);
    if (x.kind != Kind::kUnknown) return x;
  }
  if (looks_like_email(b)) return make(Kind::kEml, Format::kEmail, "message/rfc822");
  std::string m = libmagic_mime(b);
  if (starts_with(m, "image/")) return make(Kind::kImage, Format::kImage, m);
  if (looks_like_text(b)) return make(Kind::kText, Format::kText, "text/plain");
  return make(Kind::kUnknown, Format::kUnknown, m.empty() ? "application/octet-stream" : m);
}

Format sniff(std::string_view b, std::string* mime) {
  Sniffed s = sniff_content(b);
  if (mime) *mime = s.mime;
  return s.format;
}

}  // namespace clee
