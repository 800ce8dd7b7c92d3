// Dispatch: sniff a file's bytes, send leaves to their extractor, unpack containers one level at
// a time. Every path ends in a Document (possibly carrying a typed Error); nothing throws out.
#include "extractors/extract.h"

#include <spdlog/spdlog.h>

#include <exception>
#include <new>

#include "extractors/docx.h"
#include "extractors/email.h"
#include "extractors/ocr.h"
#include "extractors/pdf.h"
#include "extractors/sandbox.h"
#include "extractors/util.h"
#include "extractors/zip.h"

namespace clee {
namespace {

// OLE compound files: legacy .doc/.xls, or an OOXML file encrypted with a password.
Error ole_error(std::string_view b) {
  static const std::string kEncryptionInfo = [] {
    std::string s;
    for (char c : std::string("EncryptionInfo")) {
      s.push_back(c);
      s.push_back('\0');
    }
    return s;
  }();
  if (b.find(kEncryptionInfo) != std::string_view::npos)
    return Error{Code::kEncryptedDocument, "the Office document is password-protected"};
  return Error{Code::kUnsupportedFormat, "legacy Office (OLE) document: save it as .docx or PDF"};
}

}  // namespace

// unpack() and read_email_info() live in unpack.cpp (containers).

Document extract_document(std::string_view bytes, const std::string& name, const ExtractOptions& options) {
  if (options.isolate) return extract_isolated(bytes, name, options);
  Stopwatch clock;
  Document doc;
  std::string mime;
  Format f = sniff(bytes, &mime);
  if (bytes.size() > options.limits.max_file_bytes) {
    doc.name = name;
    doc.format = f;
    doc.error = Error{Code::kLimitExceeded, "file is " + std::to_string(bytes.size()) + " bytes (limit " +
                                               std::to_string(options.limits.max_file_bytes) + ")"};
  } else {
    try {
      switch (f) {
        case Format::kPdf: doc = extract_pdf(bytes, name, options); break;
        case Format::kDocx: doc = extract_docx(bytes, name, options); break;
        case Format::kImage: doc = extract_image(bytes, name, options); break;
        case Format::kText: {
          doc.name = name;
          doc.format = Format::kText;
          doc.pages.push_back(Page{1, tidy_text(sanitize_utf8(bytes)), false, -1, 0});
          break;
        }
        default:
          doc.name = name;
          doc.format = f == Format::kZip || f == Format::kEmail ? f : Format::kUnknown;
          if (mime == "application/x-ole-storage") doc.error = ole_error(bytes);
          else if (is_container(f)) doc.error = Error{Code::kUnsupportedFormat, "a container, not a document"};
          else doc.error = Error{Code::kUnsupportedFormat, "unsupported file type (" + mime + ")"};
      }
    } catch (const std::bad_alloc&) {
      // Under isolation RLIMIT_AS turns a memory bomb into this.
      doc = Document{};
      doc.format = f;
      doc.error = Error{Code::kLimitExceeded, "memory limit reached"};
    } catch (const std::exception& e) {
      doc.name = name;
      doc.error = Error{Code::kUnreadableDocument, std::string("extractor failed: ") + e.what()};
    }
  }
  doc.name = name;
  doc.mime = mime;
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
