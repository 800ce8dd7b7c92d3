// Isolated extraction. Two workers: the project's real binary (`clee-intake extract --worker`), to
// prove the worker runs under every option it is handed; and tests/extractors/fake_worker, which
// speaks the same protocol and misbehaves as its document's name says (crash, hang, flood, …), to
// prove each misbehaviour becomes the right typed error without hanging the parent.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/hash.h"
#include "extractors/document_json.h"
#include "extractors/extract.h"
#include "extractors/sandbox.h"
#include "test_util.h"

namespace clee {
namespace {

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

ExtractOptions isolated() {
  ExtractOptions o;
  o.ocr = false;
  o.isolate = true;
  o.limits.max_seconds = 20;
  return o;
}

// ---- the real worker honours every option ----

class RealWorker : public ::testing::Test {
 protected:
  void SetUp() override { set_worker_executable(CLEE_BINARY); }
  Document run(const std::string& fixture_name, const ExtractOptions& o) {
    return extract_isolated(fixture(fixture_name), fixture_name, o);
  }
};

TEST_F(RealWorker, SameDocumentAsInProcess) {
  std::string pdf = fixture("docs/form_fillable.pdf");
  Document a = extract_isolated(pdf, "f.pdf", isolated());
  ExtractOptions in = isolated();
  in.isolate = false;
  Document b = extract_document(pdf, "f.pdf", in);
  ASSERT_FALSE(a.error) << a.error->message;
  // Everything but the timing survives the JSON round trip through the pipe.
  a.seconds = b.seconds = 0;
  EXPECT_EQ(document_to_json(a).dump(), document_to_json(b).dump());
  EXPECT_FALSE(a.fields.empty());
}

TEST_F(RealWorker, MaxPages) {
  ExtractOptions o = isolated();
  o.limits.max_pages = 1;
  Document d = run("docs/text_outline.pdf", o);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
  EXPECT_EQ(d.error->message, "the PDF has 3 pages (limit 1)");
}

TEST_F(RealWorker, MaxFileBytes) {
  ExtractOptions o = isolated();
  o.limits.max_file_bytes = 100;
  Document d = run("docs/text_outline.pdf", o);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
  EXPECT_TRUE(has(d.error->message, "(limit 100)")) << d.error->message;
}

TEST_F(RealWorker, MaxImagePixels) {
  ExtractOptions o = isolated();
  o.limits.max_image_pixels = 1000;
  Document d = run("docs/scan_form.png", o);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
  EXPECT_TRUE(has(d.error->message, "pixels (limit 1000)")) << d.error->message;
}

// A DOCX is a zip: the archive limits apply to its parts inside the worker.
TEST_F(RealWorker, ArchiveLimitsOnADocx) {
  ASSERT_FALSE(run("docs/containers/features.docx", isolated()).error);
  ExtractOptions entry = isolated();
  entry.limits.max_entry_bytes = 4096;  // word/document.xml is larger
  ExtractOptions entries = isolated();
  entries.limits.max_entries = 3;
  ExtractOptions total = isolated();
  total.limits.max_total_inflated = 5000;
  for (const auto& [o, expect] : {std::pair{entry, "beyond 4096 bytes"}, std::pair{entries, "(limit 3)"},
                                  std::pair{total, "archive inflates beyond 5000 bytes"}}) {
    Document d = run("docs/containers/features.docx", o);
    ASSERT_TRUE(d.error) << expect;
    EXPECT_EQ(d.error->code, Code::kLimitExceeded);
    EXPECT_TRUE(has(d.error->message, expect)) << d.error->message;
  }
}

TEST_F(RealWorker, MaxCompressionRatio) {
  // long_outline.docx's document.xml is over 1 MiB and deflates more than 20:1.
  ASSERT_FALSE(run("docs/long_outline.docx", isolated()).error);
  ExtractOptions o = isolated();
  o.limits.max_compression_ratio = 5;
  Document d = run("docs/long_outline.docx", o);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
  EXPECT_TRUE(has(d.error->message, "exceeds 5:1")) << d.error->message;
}

TEST_F(RealWorker, MaxSecondsHoldsInsideTheWorker) {
  // Page 2 of flate_space_bomb.pdf is 8 GiB of spaces: the worker stops itself at 2 s and replies
  // with page 1 (the parent's kill, 1.5 s later, would have left no pages).
  ExtractOptions o = isolated();
  o.limits.max_seconds = 2;
  Document d = run("docs/flate_space_bomb.pdf", o);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
  EXPECT_EQ(d.error->message, "time limit 2 s (read 1 of 3 pages)");
  ASSERT_EQ(d.pages.size(), 1u);
  EXPECT_TRUE(has(d.pages[0].text, "Page one")) << d.pages[0].text;
}

TEST_F(RealWorker, MinCharsPerPage) {
  ExtractOptions o = isolated();
  o.min_chars_per_page = 100000;
  Document w = run("docs/text_outline.pdf", o);
  ASSERT_EQ(w.warnings.size(), 1u);
  EXPECT_TRUE(has(w.warnings[0], "3 page(s)")) << w.warnings[0];
}

TEST_F(RealWorker, OcrOnAndOff) {
  Document off = run("docs/mixed_text_and_scan.pdf", isolated());
  EXPECT_EQ(off.ocr_pages(), 0);
  ASSERT_EQ(off.warnings.size(), 1u);
  EXPECT_TRUE(has(off.warnings[0], "OCR is off"));
  ExtractOptions on = isolated();
  on.ocr = true;
  Document d = run("docs/mixed_text_and_scan.pdf", on);
  ASSERT_FALSE(d.error) << d.error->message;
  EXPECT_EQ(d.ocr_pages(), 1);
  EXPECT_TRUE(has(d.pages[1].text, "Sponsoring Agency"));
}

TEST_F(RealWorker, UninstalledOcrLanguageIsATypedError) {
  ExtractOptions o = isolated();
  o.ocr = true;
  o.ocr_language = "xyz";
  Document d = run("docs/mixed_text_and_scan.pdf", o);
  ASSERT_TRUE(d.error) << "an OCR language that cannot be loaded must not pass in silence";
  EXPECT_EQ(d.error->code, Code::kUnreadableDocument);
  EXPECT_TRUE(has(d.error->message, "could not load language 'xyz'")) << d.error->message;
  EXPECT_TRUE(has(d.pages[0].text, "Performance Objectives"));  // the text layer is still read
}

// ---- what the parent asks of the Env ----

class RecordingEnv : public EnvWrapper {
 public:
  RecordingEnv() : EnvWrapper(Env::Default()) {}
  ChildResult run_child(const ChildSpec& spec) override {
    last = spec;
    return EnvWrapper::run_child(spec);
  }
  ChildSpec last;
};

TEST(SandboxSpec, LimitsBecomeRlimitsAndTheRequestCarriesTheOptions) {
  set_worker_executable(CLEE_BINARY);
  RecordingEnv env;
  ExtractOptions o = isolated();
  o.limits.max_memory_bytes = 1536ull << 20;
  o.limits.max_seconds = 7;
  std::string pdf = fixture("docs/text_outline.pdf");
  EXPECT_FALSE(extract_isolated(pdf, "t.pdf", o, &env).error);
  EXPECT_EQ(env.last.argv, (std::vector<std::string>{CLEE_BINARY, "--log-level", "off", "extract", "--worker"}));
  EXPECT_EQ(env.last.max_memory_bytes, 1536ull << 20);
  EXPECT_TRUE(env.last.no_file_writes);
  EXPECT_DOUBLE_EQ(env.last.wall_seconds, 8.5);
  EXPECT_GT(env.last.max_cpu_seconds, 7u);
  auto request = parse_worker_request(env.last.input);
  ASSERT_TRUE(request) << request.error().message;
  EXPECT_EQ(request->name, "t.pdf");
  EXPECT_EQ(request->bytes, pdf);
  EXPECT_EQ(extract_options_to_json(request->options), extract_options_to_json(o));
}

TEST(SandboxSpec, RequestsThatDoNotAddUpAreRefused) {
  std::string good = make_worker_request("12345", "n", ExtractOptions{});
  ASSERT_TRUE(parse_worker_request(good));
  EXPECT_FALSE(parse_worker_request(good.substr(0, good.size() - 1)));  // a byte short
  EXPECT_FALSE(parse_worker_request(good + "6"));                       // a byte over
  EXPECT_FALSE(parse_worker_request("{\"request\":\"extract\"}\n"));
  EXPECT_FALSE(parse_worker_request("no header line"));
  EXPECT_EQ(serve_extract_request("garbage\n"), kWorkerExitBadRequest);
}

// ---- the fake worker: every misbehaviour is a typed error ----

class FakeWorker : public ::testing::Test {
 protected:
  void SetUp() override { set_worker_executable(FAKE_WORKER); }
  void TearDown() override { set_worker_executable(CLEE_BINARY); }
  // Runs the fake on `fault` and checks the parent's view of the file survived.
  Document run(const std::string& fault, ExtractOptions o = isolated(),
               const std::string& fixture_name = "docs/text_outline.pdf") {
    std::string bytes = fixture(fixture_name);
    Document d = extract_isolated(bytes, fault, o);
    EXPECT_EQ(d.name, fault);
    EXPECT_EQ(d.bytes, bytes.size());
    EXPECT_EQ(d.sha256, sha256_hex(bytes));
    EXPECT_EQ(d.format, Format::kPdf);
    return d;
  }
};

TEST_F(FakeWorker, EveryOptionArrives) {
  ExtractOptions o = isolated();
  o.limits = {1, 2, 3, 4, 5.5, 6, 7, 8, 9.25, 10ull << 30};
  o.ocr = true;
  o.ocr_threads = 3;
  o.ocr_language = "eng+spa";
  o.min_chars_per_page = 11;
  Document d = run("echo-options", o);
  ASSERT_FALSE(d.error) << d.error->message;
  ASSERT_EQ(d.pages.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(d.pages[0].text), extract_options_to_json(o));
}

TEST_F(FakeWorker, CrashIsAnUnreadableDocument) {
  Document d = run("crash");
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kUnreadableDocument);
#if defined(__SANITIZE_ADDRESS__)
  // ASan catches the SIGSEGV itself, reports it and exits 1: still contained, told differently.
  EXPECT_TRUE(has(d.error->message, "extractor failed (exit 1")) << d.error->message;
#else
  EXPECT_TRUE(has(d.error->message, "extractor crashed (signal 11: Segmentation fault)")) << d.error->message;
#endif
  set_worker_executable(CLEE_BINARY);
  EXPECT_FALSE(extract_isolated(fixture("docs/text_outline.pdf"), "t.pdf", isolated()).error);  // next one works
}

TEST_F(FakeWorker, HangIsKilledAtTheTimeLimit) {
  // The worker reads only its header: the parent's feeder blocks on a full pipe (the scan is far
  // larger than a pipe buffer) until the kill.
  ExtractOptions o = isolated();
  o.limits.max_seconds = 1;
  Document d = run("hang", o, "docs/scan_dense_300dpi.pdf");
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
  EXPECT_EQ(d.error->message, "time limit 1 s (the extractor did not stop and was killed)");
}

TEST_F(FakeWorker, HangAfterClosingItsOutputIsKilledToo) {
  ExtractOptions o = isolated();
  o.limits.max_seconds = 1;
  Document d = run("hang-after-close", o);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
}

TEST_F(FakeWorker, MemoryHogStopsAtTheAddressSpaceLimit) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "ASan build: RLIMIT_AS is not applied (ASan's shadow memory needs the address space)";
#endif
  ExtractOptions o = isolated();
  o.limits.max_memory_bytes = 1ull << 30;
  Document d = run("oom", o);
  ASSERT_TRUE(d.error) << "the worker touched 3 GiB under a 1 GiB RLIMIT_AS";
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
  EXPECT_EQ(d.error->message, "memory limit 1024 MiB reached");
}

TEST_F(FakeWorker, CpuLimitSignal) {
  Document d = run("cpu");
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
  EXPECT_TRUE(has(d.error->message, "CPU time limit (signal 24")) << d.error->message;
}

TEST_F(FakeWorker, HugeOutputIsCutOff) {
  ExtractOptions o = isolated();
  o.limits.max_file_bytes = 1 << 20;  // reply cap: 16 MiB + 4 × 1 MiB
  Document d = run("huge", o);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
  EXPECT_EQ(d.error->message, "the extractor's output passed 20 MiB");
}

TEST_F(FakeWorker, RepliesThatAreNotADocumentAreRefused) {
  for (const auto& [fault, expect] :
       {std::pair{"malformed", "malformed output"}, std::pair{"not-a-document", "not a document: missing 'name'"},
        std::pair{"other-bytes", "other bytes than it was sent"}, std::pair{"exit", "exit 9: worker gave up"}}) {
    Document d = run(fault);
    ASSERT_TRUE(d.error) << fault;
    EXPECT_EQ(d.error->code, Code::kUnreadableDocument);
    EXPECT_TRUE(has(d.error->message, expect)) << d.error->message;
    EXPECT_TRUE(d.pages.empty());
  }
}

TEST_F(FakeWorker, StderrNeverHitsTheFileSizeLimit) {
  // The caller's stderr is a regular file (a redirected log); RLIMIT_FSIZE=0 in the worker would
  // turn any write to it into SIGXFSZ. The worker's stderr is a pipe instead.
  char path[] = "/tmp/clee-sandbox-stderr-XXXXXX";
  int log = mkstemp(path);
  ASSERT_GE(log, 0);
  int saved = dup(2);
  dup2(log, 2);
  Document d = run("stderr");
  dup2(saved, 2);
  close(saved);
  close(log);
  unlink(path);
  EXPECT_FALSE(d.error) << d.error->message;
  EXPECT_EQ(d.pages.size(), 3u);
}

TEST(SandboxStart, MissingWorkerIsATypedError) {
  set_worker_executable("/nonexistent/clee-intake");
  Document d = extract_isolated(fixture("docs/text_outline.pdf"), "t.pdf", isolated());
  set_worker_executable(CLEE_BINARY);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kUnreadableDocument);
  EXPECT_TRUE(has(d.error->message, "worker not found")) << d.error->message;
}

}  // namespace
}  // namespace clee
