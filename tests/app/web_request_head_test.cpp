// scan_head: what a request head may be before a worker sees it (issue 8, defects 11 and 12).
#include <gtest/gtest.h>

#include "app/web/request_head.h"

namespace clee::web {
namespace {

using State = HeadScan::State;

HeadLimits limits() { return HeadLimits{1024, 10, 4096}; }

TEST(RequestHead, IncompleteUntilTheBlankLine) {
  EXPECT_EQ(scan_head("", limits()).state, State::kIncomplete);
  EXPECT_EQ(scan_head("GET / HTTP/1.1\r\nHost: a\r\n", limits()).state, State::kIncomplete);
  HeadScan s = scan_head("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /next", limits());
  ASSERT_EQ(s.state, State::kComplete);
  EXPECT_EQ(s.head_bytes, 27u);  // the pipelined request after it is not part of it
  EXPECT_EQ(s.body_bytes, 0u);
}

TEST(RequestHead, BodyLengthAndExpect) {
  HeadScan s = scan_head("POST /login HTTP/1.1\r\ncontent-length: 12\r\nExpect: 100-Continue\r\n\r\n", limits());
  ASSERT_EQ(s.state, State::kComplete);
  EXPECT_EQ(s.body_bytes, 12u);
  EXPECT_TRUE(s.expect_continue);
  EXPECT_FALSE(s.body_too_large);
  HeadScan big = scan_head("POST /login HTTP/1.1\r\nContent-Length: 4097\r\n\r\n", limits());
  ASSERT_EQ(big.state, State::kComplete);
  EXPECT_TRUE(big.body_too_large);  // answered 413 without reading it
  EXPECT_EQ(big.body_bytes, 0u);
  EXPECT_EQ(scan_head("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n", limits()).body_bytes, 3u);
}

TEST(RequestHead, TooManyOrTooLargeHeadersAre431AsSoonAsSeen) {
  std::string head = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 10; ++i) head += "X: y\r\n";
  EXPECT_EQ(scan_head(head + "\r\n", limits()).state, State::kComplete);  // exactly the limit
  EXPECT_EQ(scan_head(head + "X: y\r\n\r\n", limits()).status, 431);
  EXPECT_EQ(scan_head(head + "X: y\r\n", limits()).status, 431);  // before the head even ends
  EXPECT_EQ(scan_head("GET / HTTP/1.1\r\nX: " + std::string(1024, 'a'), limits()).status, 431);
  EXPECT_EQ(scan_head("GET /" + std::string(1024, 'a'), limits()).status, 414);
  // The limit counts the whole head: the blank line must fall inside it.
  std::string exact = "GET / HTTP/1.1\r\nX: " + std::string(1024 - 23, 'a') + "\r\n\r\n";
  ASSERT_EQ(exact.size(), 1024u);
  EXPECT_EQ(scan_head(exact, limits()).state, State::kComplete);
  EXPECT_EQ(scan_head("GET / HTTP/1.1\r\nX: " + std::string(1024 - 22, 'a') + "\r\n\r\n", limits()).status, 431);
}

TEST(RequestHead, BodiesThatWouldHoldAWorkerAreRefused) {
  EXPECT_EQ(scan_head("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", limits()).status, 411);
  EXPECT_EQ(scan_head("POST / HTTP/1.1\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n\r\n", limits()).status, 415);
  EXPECT_EQ(scan_head("POST / HTTP/1.1\r\nContent-Encoding: identity\r\nContent-Length: 3\r\n\r\n", limits()).state, State::kComplete);
}

TEST(RequestHead, MalformedHeadsAre400) {
  for (const char* bad : {"POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
                          "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "POST / HTTP/1.1\r\nContent-Length: 1e3\r\n\r\n",
                          "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", "GET / HTTP/1.1\r\nNo colon\r\n\r\n",
                          "GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\n", "GET / HTTP/1.1\r\nX: a\nY: b\r\n\r\n",
                          "GET / HTTP/1.1\r\nX: a\rY: b\r\n\r\n", "\r\nGET / HTTP/1.1\r\n\r\n"}) {
    HeadScan s = scan_head(bad, limits());
    EXPECT_EQ(s.state, State::kRefused) << bad;
    EXPECT_EQ(s.status, 400) << bad;
  }
  EXPECT_EQ(scan_head(std::string("GET / HTTP/1.1\r\nX: a\0b\r\n\r\n", 26), limits()).status, 400);
}

}  // namespace
}  // namespace clee::web
