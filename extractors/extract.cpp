// Dispatch: sniff a file's bytes, send leaves to their extractor, unpack containers one level at
// a time. Every path ends in a Document (possibly carrying a typed Error); nothing throws out.
#include "extractors/extract.h"

#include <spdlog/spdlog.h>

#include <exception>
#include <new>

#include "extractors/converter.h"
#include "extractors/doc.h"
#include "extractors/docx.h"
#include "extractors/email.h"
#include "extractors/heif.h"
#include "extractors/ocr.h"
#include "extractors/odt.h"
#include "extractors/ole.h"
#include "extractors/pdf.h"
#include "extractors/pptx.h"
#include "extractors/rtf.h"
#include "extractors/sandbox.h"
#include "extractors/sniff.h"
#include "extractors/util.h"
#include "extractors/xlsx.h"
#include "extractors/zip.h"

namespace clee {
namespace {

// An Excel 97-2003 workbook whose globals start with a FILEPASS record is encrypted (with a real
// password, or with Excel's default one, which LibreOffice opens by itself).
bool xls_has_filepass(std::string_view b) {
  auto ole = OleFile::open(b);
  if (!ole) return false;
  const OleStorage& root = (*ole)->root();
  std::string head = root.head(root.has("Workbook") ? "Workbook" : "Book", 8192);
  for (size_t p = 0, records = 0; p + 4 <= head.size() && records < 64; ++records) {
    unsigned type = static_cast<unsigned char>(head[p]) | static_cast<unsigned char>(head[p + 1]) << 8;
    unsigned len = static_cast<unsigned char>(head[p + 2]) | static_cast<unsigned char>(head[p + 3]) << 8;
    if (type == 0x002F) return true;
    p += 4 + len;
  }
  return false;
}

Document unsupported(const std::string& name, Format f, Error e) {
  Document d;
  d.name = name;
  d.format = f;
  d.error = std::move(e);
  return d;
}

// A native reader for each kind; containers and unknown bytes get a typed error.
Document extract_leaf(std::string_view bytes, const std::string& name, const Sniffed& s, const ExtractOptions& options) {
  switch (s.kind) {
    case Kind::kPdf: return extract_pdf(bytes, name, options);
    case Kind::kDocx: return extract_docx(bytes, name, options);
    case Kind::kDoc: return extract_doc(bytes, name, options);
    case Kind::kRtf: return extract_rtf(bytes, name, options);
    case Kind::kOdt: case Kind::kFlatOdt: return extract_odt(bytes, name, options);
    case Kind::kPptx: return extract_pptx(bytes, name, options);
    case Kind::kXlsx: return extract_xlsx(bytes, name, options);
    case Kind::kImage: return extract_image(bytes, name, options);
    case Kind::kHeif: return extract_heif(bytes, name, options);
    case Kind::kText: {
      Document doc;
      doc.name = name;
      doc.format = Format::kText;
      doc.pages.push_back(Page{1, tidy_text(sanitize_utf8(bytes)), false, -1, 0});
      return doc;
    }
    case Kind::kEncryptedOle:
      return unsupported(name, s.format,
                         Error{Code::kEncryptedDocument, "the Office document is password-protected or rights-managed"});
    case Kind::kOle: {
      // A compound file whose streams we cannot see is damaged (often cut short), not foreign.
      auto ole = OleFile::open(bytes);
      if (!ole) return unsupported(name, s.format, ole.error());
      if ((*ole)->root().entries().empty())
        return unsupported(name, s.format, Error{Code::kUnreadableDocument, "damaged OLE compound file: no streams"});
      return unsupported(name, s.format, Error{Code::kUnsupportedFormat, "an OLE compound file of no known kind"});
    }
    case Kind::kEml: case Kind::kMsg: case Kind::kTnef: case Kind::kZip:
      return unsupported(name, s.format, Error{Code::kUnsupportedFormat, "a container, not a document"});
    default:
      return unsupported(name, s.format, Error{Code::kUnsupportedFormat, "unsupported file type (" + s.mime + ")"});
  }
}

// Legacy formats: LibreOffice converts them (in this process's converter, never inside an
// isolated worker, whose rlimits forbid the files LibreOffice writes), then the native OOXML
// reader reads the result, isolated when asked.
Document extract_converted(std::string_view bytes, const std::string& name, const Sniffed& s,
                           const ExtractOptions& options) {
  bool flat = s.mime.find("flat-xml") != std::string::npos;
  const char* from = "doc";
  const char* to = "docx";
  switch (s.kind) {
    case Kind::kPpt: from = "ppt", to = "pptx"; break;
    case Kind::kXls: from = "xls", to = "xlsx"; break;
    case Kind::kOds: from = flat ? "fods" : "ods", to = "xlsx"; break;
    case Kind::kOdp: from = flat ? "fodp" : "odp", to = "pptx"; break;
    case Kind::kWordXml: from = "xml"; break;
    default: break;
  }
  auto converted = shared_converter().convert(bytes, from, to, options.limits);
  Document doc;
  if (!converted) {
    Error e = converted.error();
    if (s.kind == Kind::kXls && xls_has_filepass(bytes)) e = Error{Code::kEncryptedDocument, "the workbook is password-protected"};
    doc = unsupported(name, s.format, std::move(e));
  } else {
    doc = extract_document(*converted, name, options);
    doc.warnings.insert(doc.warnings.begin(), std::string("read through LibreOffice (") + from + " → " + to + ")");
  }
  doc.format = s.format;
  return doc;
}

}  // namespace

// unpack() and read_email_info() live in unpack.cpp (containers).

Document extract_document(std::string_view bytes, const std::string& name, const ExtractOptions& options) {
  Stopwatch clock;
  Sniffed s = sniff_content(bytes);
  Document doc;
  if (bytes.size() > options.limits.max_file_bytes) {
    doc = unsupported(name, s.format, Error{Code::kLimitExceeded, "file is " + std::to_string(bytes.size()) + " bytes (limit " +
                                                                     std::to_string(options.limits.max_file_bytes) + ")"});
  } else if (needs_converter(s.kind)) {
    doc = extract_converted(bytes, name, s, options);
  } else if (options.isolate) {
    return extract_isolated(bytes, name, options);
  } else {
    try {
      doc = extract_leaf(bytes, name, s, options);
    } catch (const std::bad_alloc&) {
      // Under isolation RLIMIT_AS turns a memory bomb into this.
      doc = unsupported(name, s.format, Error{Code::kLimitExceeded, "memory limit reached"});
    } catch (const std::exception& e) {
      doc = unsupported(name, s.format, Error{Code::kUnreadableDocument, std::string("extractor failed: ") + e.what()});
    }
  }
  doc.name = name;
  doc.mime = s.mime;
  doc.bytes = bytes.size();
  doc.sha256 = sha256_hex(bytes);
  doc.seconds = clock.seconds();
  spdlog::debug("extracted {} ({}, {} pages, {} OCR'd, {:.3f} s){}", name, format_name(doc.format), doc.pages.size(),
                doc.ocr_pages(), doc.seconds, doc.error ? " error: " + doc.error->message : "");
  return doc;
}

namespace {
void expand_into(std::string bytes, const std::string& label, const std::string& role, int depth, const Limits& limits,
                 std::vector<ExpandedFile>& out) {
  Format f = sniff(bytes);
  if (!is_container(f)) {
    out.push_back({label, std::move(bytes), role, std::nullopt});
    return;
  }
  auto fail = [&](Error e) {
    Document d;
    d.name = label;
    d.format = f;
    d.bytes = bytes.size();
    d.sha256 = sha256_hex(bytes);
    d.error = std::move(e);
    out.push_back({label, {}, role, std::move(d)});
  };
  if (depth >= limits.max_depth)
    return fail(Error{Code::kLimitExceeded, "containers nested deeper than " + std::to_string(limits.max_depth)});
  if (bytes.size() > limits.max_file_bytes)
    return fail(Error{Code::kLimitExceeded, "container is larger than the file size limit"});
  auto entries = unpack(bytes, label, limits);
  if (!entries) return fail(entries.error());
  for (auto& e : *entries) expand_into(std::move(e.bytes), label + "/" + e.label, e.role, depth + 1, limits, out);
}
}  // namespace

std::vector<ExpandedFile> expand_containers(std::string bytes, const std::string& label, const std::string& role,
                                            const Limits& limits) {
  std::vector<ExpandedFile> out;
  expand_into(std::move(bytes), label, role, 0, limits, out);
  return out;
}

std::vector<Document> extract_all(std::string_view bytes, const std::string& name, const ExtractOptions& options) {
  std::vector<Document> out;
  for (auto& f : expand_containers(std::string(bytes), name, "file", options.limits))
    out.push_back(f.failed ? std::move(*f.failed) : extract_document(f.bytes, f.label, options));
  return out;
}

}  // namespace clee
