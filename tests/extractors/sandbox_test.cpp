// Isolated extraction: a crash or hang in the child becomes a typed error; the caller survives.
#include <gtest/gtest.h>
#include <stdlib.h>

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
    o.limits.max_seconds = 3;
    return o;
  }
};

TEST_F(Sandbox, SameDocumentAsInProcess) {
  std::string pdf = fixture("docs/text_outline.pdf");
  Document a = extract_document(pdf, "t.pdf", options());
  ExtractOptions in = options();
  in.isolate = false;
  Document b = extract_document(pdf, "t.pdf", in);
  ASSERT_FALSE(a.error) << a.error->message;
  ASSERT_EQ(a.pages.size(), b.pages.size());
  EXPECT_EQ(a.pages[0].text, b.pages[0].text);
  EXPECT_EQ(a.sha256, b.sha256);
}

TEST_F(Sandbox, CrashIsContained) {
  setenv("CLEE_TEST_WORKER_FAULT", "crash", 1);
  Document d = extract_document(fixture("docs/text_outline.pdf"), "t.pdf", options());
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, "unreadable_document");
  EXPECT_NE(d.error->message.find("crashed"), std::string::npos) << d.error->message;
}

TEST_F(Sandbox, HangIsKilledAtTheTimeLimit) {
  setenv("CLEE_TEST_WORKER_FAULT", "hang", 1);
  ExtractOptions o = options();
  o.limits.max_seconds = 1;
  Document d = extract_document(fixture("docs/text_outline.pdf"), "t.pdf", o);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, "limit_exceeded");
}

}  // namespace
}  // namespace clee
