// The web server's front door under hostile connections, over real loopback sockets: half-open
// and trickled requests, idle connections, floods from one address, too many or too large
// headers. The reviewer's signed-in request must still be answered (issue 8, defects 11 and 12).
#include <gtest/gtest.h>

#include <thread>
#include <httplib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

#include "tests/app/web_test_support.h"

namespace clee::web {
namespace {

namespace fs = std::filesystem;
using test::RawConn;
using test::Served;

long rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

class WebConnections : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { hash_ = new std::string(hash_password("right password")); }
  static void TearDownTestSuite() { delete hash_; }

  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("clee-web-conn-" + std::to_string(::getpid()))).string();
    fs::remove_all(dir_);
    WebConfig c = config();
    c.accounts.push_back({"Dana Reyes", *hash_});
    served_ = std::make_unique<Served>(c, dir_, rules_);
    ASSERT_TRUE(served_->ok());
    port_ = served_->port();
  }
  void TearDown() override {
    served_.reset();
    fs::remove_all(dir_);
  }
  virtual WebConfig config() { return WebConfig{}; }

  std::string host() const { return "Host: 127.0.0.1:" + std::to_string(port_) + "\r\n"; }

  // A signed-in GET /queue through httplib's client with a few seconds' timeout; prints how long
  // it took. The status, or 0 when no answer came.
  int timed_queue_get(const std::string& cookie, const char* what) {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(4);
    c.set_read_timeout(4);
    auto start = std::chrono::steady_clock::now();
    auto r = c.Get("/queue", httplib::Headers{{"Cookie", cookie}});
    std::printf("signed-in GET /queue %s: %.3f s\n", what, test::seconds_since(start));
    return r ? r->status : 0;
  }

  static std::string* hash_;
  std::string dir_;
  RulePack rules_;
  std::unique_ptr<Served> served_;
  int port_ = 0;
};

std::string* WebConnections::hash_ = nullptr;

// 200 clients (127.0.1.1 … 127.0.1.200), each with a request line and one header sent and the
// rest never: a signed-in request still answers.
TEST_F(WebConnections, SignedInRequestAnswersWhile200HalfOpenConnectionsAreHeld) {
  std::string cookie = test::sign_in(port_, "Dana Reyes", "right password");
  ASSERT_FALSE(cookie.empty());
  std::vector<std::unique_ptr<RawConn>> held;
  auto start = std::chrono::steady_clock::now();
  for (int i = 1; i <= 200; ++i) {
    held.push_back(std::make_unique<RawConn>(port_, "127.0.1." + std::to_string(i)));
    ASSERT_TRUE(held.back()->connected());
    ASSERT_TRUE(held.back()->send_all("GET /queue HTTP/1.1\r\n" + host()));
  }
  std::printf("200 half-open connections made in %.3f s\n", test::seconds_since(start));
  EXPECT_EQ(timed_queue_get(cookie, "with 200 half-open connections from 200 addresses"), 200);
  int still_open = 0;
  for (auto& c : held) still_open += !c->closed_within(0.001);
  EXPECT_EQ(still_open, 200);  // they were really held while the request was answered
}

// The same from the reviewer's own address (an office behind one NAT address): still answered.
TEST_F(WebConnections, SignedInRequestAnswersWhileItsOwnAddressHolds200HalfOpenConnections) {
  std::string cookie = test::sign_in(port_, "Dana Reyes", "right password");
  ASSERT_FALSE(cookie.empty());
  std::vector<std::unique_ptr<RawConn>> held;
  for (int i = 0; i < 200; ++i) {
    held.push_back(std::make_unique<RawConn>(port_));
    ASSERT_TRUE(held.back()->connected());
    held.back()->send_all("GET /queue HTTP/1.1\r\n" + host());
  }
  EXPECT_EQ(timed_queue_get(cookie, "with 200 half-open connections from its own address"), 200);
}

// One address cannot hold more than max_connections_per_address: its oldest waiting connections
// are closed to make room for new ones.
TEST_F(WebConnections, OneAddressHoldsAtMostItsShareOfConnections) {
  const int cap = WebConfig{}.max_connections_per_address;
  std::vector<std::unique_ptr<RawConn>> held;
  for (int i = 0; i < cap + 10; ++i) {
    held.push_back(std::make_unique<RawConn>(port_, "127.0.0.3"));
    held.back()->send_all("GET /queue HTTP/1.1\r\n" + host());
  }
  // At least ten are closed to make room, and the address keeps the rest (its share). Polled for
  // up to 8 s — inside the 10 s head timeout that would end them all — and no duration is
  // asserted. Which ten is not asserted: a loaded machine accepts in an order not quite the
  // connecting order, so the oldest-first choice is not checked here.
  auto closed_now = [&] {
    int n = 0;
    for (auto& c : held) n += c->closed_within(0.0);
    return n;
  };
  auto start = std::chrono::steady_clock::now();
  while (closed_now() < 10 && test::seconds_since(start) < 8) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_GE(closed_now(), 10);
  EXPECT_LT(closed_now(), cap + 10);
  // Another address is not affected, nor a complete request from the flooding one.
  EXPECT_EQ(test::request(port_, "GET", "/login").status, 200);
  EXPECT_EQ(test::request(port_, "GET", "/login", "", "", "127.0.0.3").status, 200);
}

// Which connection makes room at the cap: the oldest waiting one. Four connections from one
// address with a cap of three, each opened a moment after the last so the hub has taken it
// before the next (the order the flood test above cannot rely on): the first is closed, the
// other three are kept.
class WebConnectionsCapThree : public WebConnections {
  WebConfig config() override {
    WebConfig c;
    c.max_connections_per_address = 3;
    return c;
  }
};

TEST_F(WebConnectionsCapThree, TheOldestWaitingConnectionMakesRoom) {
  std::vector<std::unique_ptr<RawConn>> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(std::make_unique<RawConn>(port_, "127.0.0.4"));
    held.back()->send_all("GET /queue HTTP/1.1\r\n" + host());
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  EXPECT_TRUE(held[0]->closed_within(5.0)) << "the oldest is closed to admit the fourth";
  for (int i = 1; i < 4; ++i) EXPECT_FALSE(held[static_cast<size_t>(i)]->closed_within(0.2)) << i;
}

// A client that trickles its head a byte at a time is cut off when the head takes too long.
TEST_F(WebConnections, TrickledHeadIsCutOff) {
  RawConn c(port_);
  ASSERT_TRUE(c.send_all("GET /login HTTP/1.1\r\n" + host() + "X-Slow: "));
  auto start = std::chrono::steady_clock::now();
  bool closed = false;
  while (!closed && test::seconds_since(start) < 30) {
    c.send_all("a", 1);
    closed = c.closed_within(0.25);
  }
  EXPECT_TRUE(closed) << "the trickle was still being read after 30 s";
  std::printf("trickled head cut off after %.1f s\n", test::seconds_since(start));
  EXPECT_EQ(test::parse_response(c.received()).status, 408);
}

// A connection that never sends anything is closed by the server.
TEST_F(WebConnections, IdleConnectionIsClosed) {
  RawConn c(port_);
  EXPECT_TRUE(c.closed_within(20));
  EXPECT_EQ(c.received(), "");
}

// Keep-alive: many requests on one connection, then the server asks to close it.
TEST_F(WebConnections, KeepAliveServesManyRequestsThenCloses) {
  RawConn c(port_);
  const int max = WebConfig{}.keep_alive_max_requests;
  for (int i = 1; i <= max; ++i) {
    ASSERT_TRUE(c.send_all("GET /login HTTP/1.1\r\n" + host() + "\r\n")) << i;
    test::Response r = test::parse_response(c.read_response());
    ASSERT_EQ(r.status, 200) << i;
    EXPECT_EQ(r.header("connection") == "close", i == max) << i;
  }
  EXPECT_TRUE(c.closed_within(5));
}

// Pipelined requests sent in one write are answered in order.
TEST_F(WebConnections, PipelinedRequestsAreAnswered) {
  RawConn c(port_);
  ASSERT_TRUE(c.send_all("GET /login HTTP/1.1\r\n" + host() + "\r\nGET /static/style.css HTTP/1.1\r\n" + host() + "\r\n"));
  test::Response first = test::parse_response(c.read_response());
  test::Response second = test::parse_response(c.read_response());
  EXPECT_EQ(first.status, 200);
  EXPECT_NE(first.body.find("Reviewer sign-in"), std::string::npos);
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.header("content-type"), "text/css; charset=utf-8");
}

// A client that sends its head, then trickles its body, is cut off too (here after 1 s).
class WebConnectionsQuick : public WebConnections {
  WebConfig config() override {
    WebConfig c;
    c.request_seconds = 1;
    return c;
  }
};

TEST_F(WebConnectionsQuick, TrickledBodyIsCutOff) {
  RawConn c(port_);
  ASSERT_TRUE(c.send_all("POST /login HTTP/1.1\r\n" + host() + "Content-Type: application/x-www-form-urlencoded\r\n"
                         "Content-Length: 1000\r\n\r\n_csrf="));
  bool closed = false;
  for (int i = 0; i < 100 && !closed; ++i) {
    c.send_all("a", 1);
    closed = c.closed_within(0.1);
  }
  EXPECT_TRUE(closed);
  EXPECT_EQ(test::parse_response(c.received()).status, 408);
}

TEST_F(WebConnections, ExpectContinueGetsTheBodyRead) {
  std::string body = "_csrf=x&user=a&password=b";
  RawConn c(port_);
  ASSERT_TRUE(c.send_all("POST /login HTTP/1.1\r\n" + host() + "Content-Type: application/x-www-form-urlencoded\r\n"
                         "Expect: 100-continue\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n"));
  EXPECT_EQ(test::parse_response(c.read_response()).status, 100);
  ASSERT_TRUE(c.send_all(body));
  test::Response r = test::parse_response(c.read_response());
  if (r.status == 100) r = test::parse_response(c.read_response());  // httplib's own 100, then the answer
  EXPECT_EQ(r.status, 403);  // read and judged: the form token is not ours
}

// Sends `head` and reads the answer; a clean refusal (the connection closed without an answer)
// is reported as 0.
int answer_to(int port, const std::string& head) {
  RawConn c(port);
  c.send_all(head);
  return test::parse_response(c.read_response(10)).status;
}

TEST_F(WebConnections, TooManyHeadersAre431) {
  std::string some = "GET /login HTTP/1.1\r\n" + host(), many = some;
  for (int i = 0; i < 200; ++i) some += "X-H" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(answer_to(port_, some + "\r\n"), 431);
  for (int i = 0; i < 5000; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  int status = answer_to(port_, many + "\r\n");
  EXPECT_TRUE(status == 431 || status == 0) << status;
  EXPECT_EQ(test::request(port_, "GET", "/login").status, 200);  // and the server still answers
}

TEST_F(WebConnections, HugeHeaderIs431) {
  int status = answer_to(port_, "GET /login HTTP/1.1\r\n" + host() + "X-Big: " + std::string(1 << 20, 'a') + "\r\n\r\n");
  EXPECT_TRUE(status == 431 || status == 0) << status;
  // A head just over the limit, in one small request: 431 for certain.
  EXPECT_EQ(answer_to(port_, "GET /login HTTP/1.1\r\n" + host() + "X-Big: " + std::string(WebConfig{}.max_header_bytes, 'a') +
                                 "\r\n\r\n"),
            431);
  EXPECT_EQ(test::request(port_, "GET", "/login").status, 200);
}

TEST_F(WebConnections, HugeHeadersDoNotGrowTheServer) {
  const std::string big = "GET /login HTTP/1.1\r\n" + host() + "X-Big: " + std::string(29u << 20, 'a') + "\r\n\r\n";
  long before = rss_kib();
  for (int i = 0; i < 6; ++i) {
    RawConn c(port_);
    c.send_all(big);
    c.read_response(2);
  }
  long after = rss_kib();
  std::printf("RSS before %ld MiB, after six 29 MiB headers %ld MiB\n", before / 1024, after / 1024);
  EXPECT_LT(after - before, 64 * 1024);
  EXPECT_EQ(test::request(port_, "GET", "/login").status, 200);
}

// Bodies the pages never need, which would cost a thread or memory to read: refused up front.
TEST_F(WebConnections, ChunkedAndCompressedBodiesAreRefused) {
  EXPECT_EQ(answer_to(port_, "POST /login HTTP/1.1\r\n" + host() + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"), 411);
  EXPECT_EQ(answer_to(port_, "POST /login HTTP/1.1\r\n" + host() + "Content-Encoding: gzip\r\nContent-Length: 4\r\n\r\nabcd"), 415);
  EXPECT_EQ(answer_to(port_, "POST /login HTTP/1.1\r\n" + host() + "Content-Length: 4\r\nContent-Length: 5\r\n\r\nabcd"), 400);
}

}  // namespace
}  // namespace clee::web
