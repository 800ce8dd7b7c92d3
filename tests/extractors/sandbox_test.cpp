// Isolated extraction: the child is this project's real binary (`clee-intake extract --worker`).
// Faults are simulated honestly through a test-only environment variable read by the worker
// (CLEE_TEST_WORKER_FAULT: crash → raise(SIGSEGV), hang → pause() forever, hang-after-close →
// close stdout then hang, oom → touch 3 GiB, stderr → 100 kB on stderr): the parent gets a typed error and survives.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include "extractors/document_json.h"
#include "extractors/extract.h"
#include "extractors/sandbox.h"
#include "test_util.h"

namespace clee {
namespace {

class Sandbox : public ::testing::Test {
 protected:
  void SetUp() override { set_worker_executable(CLEE_BINARY); }
  void TearDown() override { unsetenv("CLEE_TEST_WORKER_FAULT"); }
  ExtractOptions options() {
    ExtractOptions o;
    o.ocr = false;
    o.isolate = true;
    o.limits.max_seconds = 5;
    return o;
  }
};

TEST_F(Sandbox, SameDocumentAsInProcess) {
  std::string pdf = fixture("docs/form_fillable.pdf");
  Document a = extract_document(pdf, "f.pdf", options());
  ExtractOptions in = options();
  in.isolate = false;
  Document b = extract_document(pdf, "f.pdf", in);
  ASSERT_FALSE(a.error) << a.error->message;
  // Everything but the timing survives the JSON round trip through the pipe.
  a.seconds = b.seconds = 0;
  EXPECT_EQ(document_to_json(a).dump(), document_to_json(b).dump());
  EXPECT_FALSE(a.fields.empty());
}

TEST_F(Sandbox, OptionsReachTheWorker) {
  ExtractOptions o = options();
  o.limits.max_pages = 2;
  Document d = extract_document(fixture("docs/text_outline.pdf"), "t.pdf", o);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
  ExtractOptions m = options();
  m.min_chars_per_page = 100000;
  Document w = extract_document(fixture("docs/text_outline.pdf"), "t.pdf", m);
  ASSERT_EQ(w.warnings.size(), 1u);
  EXPECT_NE(w.warnings[0].find("3 page(s)"), std::string::npos);
}

TEST_F(Sandbox, CrashIsContained) {
  setenv("CLEE_TEST_WORKER_FAULT", "crash", 1);
  Document d = extract_document(fixture("docs/text_outline.pdf"), "t.pdf", options());
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kUnreadableDocument);
#if defined(__SANITIZE_ADDRESS__)
  // ASan catches the SIGSEGV itself, reports it and exits 1: still contained, told differently.
  EXPECT_NE(d.error->message.find("extractor failed (exit 1"), std::string::npos) << d.error->message;
#else
  EXPECT_NE(d.error->message.find("extractor crashed (signal 11"), std::string::npos) << d.error->message;
#endif
  // The parent's view of the file is intact.
  EXPECT_EQ(d.format, Format::kPdf);
  EXPECT_EQ(d.name, "t.pdf");
  EXPECT_EQ(d.sha256.size(), 64u);
  // And the next document works.
  unsetenv("CLEE_TEST_WORKER_FAULT");
  EXPECT_FALSE(extract_document(fixture("docs/text_outline.pdf"), "t.pdf", options()).error);
}

TEST_F(Sandbox, HangIsKilledAtTheTimeLimit) {
  setenv("CLEE_TEST_WORKER_FAULT", "hang", 1);
  ExtractOptions o = options();
  o.limits.max_seconds = 1;
  Document d = extract_document(fixture("docs/text_outline.pdf"), "t.pdf", o);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
  EXPECT_EQ(d.error->message, "time limit 1 s");
}

TEST_F(Sandbox, HangAfterClosingItsOutputIsKilledToo) {
  setenv("CLEE_TEST_WORKER_FAULT", "hang-after-close", 1);
  ExtractOptions o = options();
  o.limits.max_seconds = 1;
  Document d = extract_document(fixture("docs/text_outline.pdf"), "t.pdf", o);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
}

TEST_F(Sandbox, AddressSpaceLimitStopsAMemoryHog) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "ASan build: RLIMIT_AS is not applied (ASan's shadow memory needs the address space)";
#endif
  setenv("CLEE_TEST_WORKER_FAULT", "oom", 1);
  ExtractOptions o = options();
  o.limits.max_memory_bytes = 1ull << 30;
  Document d = extract_document(fixture("docs/text_outline.pdf"), "t.pdf", o);
  ASSERT_TRUE(d.error) << "the worker allocated 3 GiB under a 1 GiB RLIMIT_AS";
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
  EXPECT_NE(d.error->message.find("memory"), std::string::npos);
}

TEST_F(Sandbox, WorkerStderrNeverHitsTheFileSizeLimit) {
  // The caller's stderr is a regular file (a redirected log); RLIMIT_FSIZE=0 in the worker would
  // turn any write to it into SIGXFSZ. The worker's stderr is a pipe instead.
  char path[] = "/tmp/clee-sandbox-stderr-XXXXXX";
  int log = mkstemp(path);
  ASSERT_GE(log, 0);
  int saved = dup(2);
  dup2(log, 2);
  setenv("CLEE_TEST_WORKER_FAULT", "stderr", 1);
  Document d = extract_document(fixture("docs/text_outline.pdf"), "t.pdf", options());
  dup2(saved, 2);
  close(saved);
  close(log);
  unlink(path);
  EXPECT_FALSE(d.error) << d.error->message;
  EXPECT_EQ(d.pages.size(), 3u);
}

TEST_F(Sandbox, MissingWorkerIsATypedError) {
  set_worker_executable("/nonexistent/clee-intake");
  Document d = extract_document(fixture("docs/text_outline.pdf"), "t.pdf", options());
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kUnreadableDocument);
  EXPECT_NE(d.error->message.find("worker not found"), std::string::npos);
}

}  // namespace
}  // namespace clee
