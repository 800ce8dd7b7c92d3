// Extractors on committed fixtures made by reportlab, qpdf, python-docx, zipfile and email.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "extractors/extract.h"
#include "test_util.h"

namespace clee {
namespace {



TEST(Dispatch, PlainTextIsOnePage) {
  Document d = extract_document(fixture("docs/notes.pdf"), "notes.pdf", no_ocr());
  ASSERT_FALSE(d.error);
  EXPECT_EQ(d.format, Format::kText);
  ASSERT_EQ(d.pages.size(), 1u);
  EXPECT_EQ(d.pages[0].text, "Just a plain text note saved with a .pdf name.");
}

TEST(Dispatch, EveryDocumentCarriesItsIdentity) {
  std::string bytes = fixture("docs/text_outline.pdf");
  Document d = extract_document(bytes, "label only/../x.pdf", no_ocr());
  EXPECT_EQ(d.name, "label only/../x.pdf");
  EXPECT_EQ(d.bytes, bytes.size());
  EXPECT_EQ(d.sha256.size(), 64u);
  Document g = extract_document(fixture("docs/garbage.pdf"), "g.pdf", no_ocr());
  EXPECT_EQ(g.sha256.size(), 64u);  // also when it fails
  EXPECT_EQ(g.format, Format::kUnknown);
}

TEST(Dispatch, DocxBehindPdfNameGoesToTheDocxReader) {
  Document d = extract_document(fixture("docs/really_a_docx.pdf"), "really.pdf", no_ocr());
  ASSERT_FALSE(d.error) << d.error->message;
  EXPECT_EQ(d.format, Format::kDocx);
  EXPECT_FALSE(d.tables.empty() && d.pages.empty());
}

TEST(Dispatch, ContainersAreNotLeaves) {
  Document d = extract_document(fixture("docs/traversal.zip"), "t.zip", no_ocr());
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kUnsupportedFormat);
  // extract_all unpacks it instead.
  auto docs = extract_all(fixture("docs/with_attachments.eml"), "m.eml", no_ocr());
  ASSERT_GE(docs.size(), 3u);
  int pdfs = 0;
  for (const auto& x : docs) pdfs += x.format == Format::kPdf;
  EXPECT_EQ(pdfs, 2);
}

TEST(Docx, RichDocument) {
  Document d = extract_document(fixture("docs/rich.docx"), "rich.docx", no_ocr());
  ASSERT_FALSE(d.error) << d.error->message;
  std::string t = all_text(d);
  EXPECT_NE(t.find("First body paragraph with plain text."), std::string::npos);
  EXPECT_NE(t.find("Numbered item two"), std::string::npos);
  EXPECT_NE(t.find("INSERTED-TEXT-KEPT"), std::string::npos);
  EXPECT_EQ(t.find("DELETED-TEXT-DROPPED"), std::string::npos);
  // A text box's content once, not again from the VML fallback.
  size_t first = t.find("TEXTBOX-CONTENT");
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(t.find("TEXTBOX-CONTENT", first + 1), std::string::npos);
  EXPECT_EQ(t.find("HEADER:"), std::string::npos);
  ASSERT_EQ(d.headers_footers.size(), 2u);
  ASSERT_EQ(d.tables.size(), 1u);
  EXPECT_EQ(d.tables[0].rows[0][1], "Advanced Interview Techniques");
  std::map<std::string, std::string> f;
  for (const auto& x : d.fields) f[x.name] = x.value;
  EXPECT_EQ(f["Provider Number"], "CTP-7777");     // content control
  EXPECT_EQ(f["ContactName"], "Jane Q. Legacy");   // legacy FORMTEXT field
  EXPECT_EQ(d.metadata.title, "Rich test document");
}

TEST(Docx, LibreOfficeDocx) {
  Document d = extract_document(fixture("docs/lo_outline.docx"), "lo.docx", no_ocr());
  ASSERT_FALSE(d.error);
  EXPECT_NE(all_text(d).find("Mobile Device Forensic Extraction"), std::string::npos);
}

TEST(Docx, EntitiesAreRefusedNeverExpanded) {
  Document d = extract_document(fixture("docs/entity_bomb.docx"), "e.docx", no_ocr());
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kUnsupportedFormat);
}

TEST(Containers, ZipBombStopsAtTheLimit) {
  auto docs = extract_all(fixture("docs/bomb.zip"), "bomb.zip", no_ocr());
  ASSERT_EQ(docs.size(), 1u);
  ASSERT_TRUE(docs[0].error);
  EXPECT_EQ(docs[0].error->code, Code::kLimitExceeded);
}

TEST(Containers, TraversalNamesAreOnlyLabels) {
  auto docs = extract_all(fixture("docs/traversal.zip"), "t.zip", no_ocr());
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].name, "t.zip/../../etc/evil.pdf");
  EXPECT_EQ(docs[0].format, Format::kPdf);
  EXPECT_FALSE(docs[0].error);
}

TEST(Containers, NestingDepthLimit) {
  auto docs = extract_all(fixture("docs/nested_deep.zip"), "n.zip", no_ocr());
  ASSERT_EQ(docs.size(), 1u);
  ASSERT_TRUE(docs[0].error);
  EXPECT_EQ(docs[0].error->code, Code::kLimitExceeded);
}

TEST(Containers, EmailAttachmentsBodyAndSignature) {
  std::string eml = fixture("docs/with_attachments.eml");
  auto files = unpack(eml, "m.eml", Limits{});
  ASSERT_TRUE(files) << files.error().message;
  ASSERT_EQ(files->size(), 4u);  // body + docx + 2 PDFs (one "inline"); the signature PNG skipped
  EXPECT_EQ((*files)[0].role, "body");
  EXPECT_NE((*files)[0].bytes.find("Please find attached"), std::string::npos);
  EXPECT_EQ((*files)[2].label, "../../evil.pdf");
  EXPECT_EQ((*files)[3].label, "Miller CV.pdf");  // Content-Disposition: inline
  auto info = read_email_info(eml);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->message_id, "packet-001@keystonepsti.org");
  EXPECT_EQ(info->subject, "CLEE approval request");
}

TEST(Images, PixelBombRefusedBeforeDecoding) {
  Document d = extract_document(fixture("docs/pixel_bomb.png"), "bomb.png", no_ocr());
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
}

TEST(Limits, FileSize) {
  ExtractOptions o = no_ocr();
  o.limits.max_file_bytes = 1000;
  Document d = extract_document(fixture("docs/text_outline.pdf"), "t.pdf", o);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
}

}  // namespace
}  // namespace clee

namespace clee {
namespace {

// `clee-intake extract` through the real binary: JSON on stdout, exit codes 0 / 1 / 2.
struct CliRun {
  int status = -1;
  std::string out;
};
CliRun run_with(const std::string& global, const std::string& args) {
  CliRun r;
  std::string cmd = std::string(CLEE_BINARY) + " --log-level off " + global + " extract " + args + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

CliRun run(const std::string& args) { return run_with("", args); }

TEST(ExtractCli, JsonForEveryFileAndExitCodes) {
  CliRun r = run("--no-ocr --format json " + fixture_path("docs/form_fillable.pdf") + " " +
              fixture_path("docs/encrypted_user.pdf"));
  ASSERT_EQ(r.status, 0) << "a document error is not a failure to read the file";
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["format"], "pdf");
  EXPECT_EQ(j[0]["error"], nullptr);
  EXPECT_EQ(j[0]["fields"].size(), 13u);
  EXPECT_EQ(j[1]["error"]["code"], "encrypted_document");
  EXPECT_EQ(run(fixture_path("docs/notes.pdf") + " /nonexistent/file.pdf").status, 1);
  EXPECT_EQ(run("").status, 2);
  EXPECT_EQ(run("--format xml " + fixture_path("docs/notes.pdf")).status, 2);
}

TEST(ExtractCli, TextDumpShowsPagesFieldsAndHeaders) {
  CliRun r = run("--no-ocr --isolate " + fixture_path("docs/text_outline.pdf"));
  ASSERT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("=== text_outline.pdf  [pdf, application/pdf"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--- page 3 ---"), std::string::npos);
  EXPECT_NE(r.out.find("header/footer: Keystone Public Safety Training Institute - Course Outline"), std::string::npos);
  CliRun m = run("--no-ocr " + fixture_path("docs/mixed_text_and_scan.pdf"));
  EXPECT_NE(m.out.find("warning: 1 page(s) have no text layer; OCR is off"), std::string::npos) << m.out;
}

TEST(ExtractCli, ConfigLimitsApplyAndFlagsOverrideThem) {
  char path[] = "/tmp/clee-extract-config-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  const std::string toml = "[limits]\nmax_pages = 1\n";
  ASSERT_EQ(write(fd, toml.data(), toml.size()), static_cast<ssize_t>(toml.size()));
  close(fd);
  const std::string file = fixture_path("docs/text_outline.pdf");
  auto error_of = [](const CliRun& r) { return nlohmann::json::parse(r.out)[0]["error"]; };
  CliRun limited = run_with("--config " + std::string(path), "--no-ocr --format json " + file);
  EXPECT_EQ(error_of(limited)["code"], "limit_exceeded") << limited.out;
  CliRun isolated = run_with("--config " + std::string(path), "--no-ocr --isolate --format json " + file);
  EXPECT_EQ(error_of(isolated)["message"], "the PDF has 3 pages (limit 1)") << isolated.out;
  CliRun overridden = run_with("--config " + std::string(path), "--no-ocr --max-pages 3 --format json " + file);
  EXPECT_EQ(error_of(overridden), nullptr) << overridden.out;
  unlink(path);
}

TEST(ExtractCli, MaxSecondsHoldsInProcess) {
  CliRun r = run("--no-ocr --max-seconds 2 --format json " + fixture_path("docs/flate_space_bomb.pdf"));
  ASSERT_EQ(r.status, 0);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j[0]["error"]["message"], "time limit 2 s (read 1 of 3 pages)");
  EXPECT_EQ(j[0]["pages"].size(), 1u);
}

TEST(ExtractCli, WorkerTakesNoLimitFlags) {
  // The worker's options arrive with the document; the old per-limit worker flags are gone.
  EXPECT_EQ(run("--worker --name x < /dev/null").status, 2);
  EXPECT_EQ(run("--worker < /dev/null").status, 2);  // an empty request: refused, exit 2
}

}  // namespace
}  // namespace clee
