// The web server's request policy over real loopback sockets (issue 8, defects 13 to 15): sign-in
// throttling per account and client address, the stateless sign-in form, trusted proxies,
// Origin and Host checks, form fields only from a POST's body, cookie lifetimes.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>

#include "tests/app/web_test_support.h"

namespace clee::web {
namespace {

namespace fs = std::filesystem;
using test::Response;
using test::Served;

class WebPolicy : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { hash_ = new std::string(hash_password("right password")); }
  static void TearDownTestSuite() { delete hash_; }

  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("clee-web-policy-" + std::to_string(::getpid()))).string();
    fs::remove_all(dir_);
  }
  void TearDown() override {
    served_.reset();
    fs::remove_all(dir_);
  }
  void start(WebConfig c = WebConfig{}) {
    c.accounts.push_back({"Dana Reyes", *hash_});
    config_ = c;
    served_ = std::make_unique<Served>(c, dir_, rules_);
    ASSERT_TRUE(served_->ok());
    port_ = served_->port();
  }

  // A sign-in attempt on a fresh form from `source`, with `extra` header lines.
  Response attempt(const std::string& password, const std::string& source = "127.0.0.1", const std::string& extra = "") {
    Response form = test::request(port_, "GET", "/login", extra, "", source);
    return test::request(port_, "POST", "/login", test::cookies_of(form) + extra,
                         "_csrf=" + test::csrf_in(form.body) + "&user=Dana+Reyes&password=" +
                             httplib::detail::encode_query_param(password),
                         source);
  }
  // Fails from `source` until refused with 429 (at most `limit` tries); the refusal.
  Response fail_until_refused(const std::string& source, const std::string& extra = "", int limit = 20) {
    Response r;
    for (int i = 0; i < limit && r.status != 429; ++i) r = attempt("wrong", source, extra);
    return r;
  }
  // The session's CSRF token, from a page it sees.
  std::string token_of(const std::string& cookie) {
    return test::csrf_in(test::request(port_, "GET", "/queue", "Cookie: " + cookie + "\r\n").body);
  }
  bool still_signed_in(const std::string& cookie) {
    return test::request(port_, "GET", "/queue", "Cookie: " + cookie + "\r\n").status == 200;
  }

  static std::string* hash_;
  std::string dir_;
  RulePack rules_;
  WebConfig config_;
  std::unique_ptr<Served> served_;
  int port_ = 0;
};

std::string* WebPolicy::hash_ = nullptr;

// ---- 13: throttling per (account, address), not a lock-out weapon ----

TEST_F(WebPolicy, WrongPasswordsFromOneAddressDoNotLockTheReviewerOutElsewhere) {
  start();
  Response refused = fail_until_refused("127.0.0.2");
  ASSERT_EQ(refused.status, 429);
  EXPECT_EQ(attempt("right password", "127.0.0.1").status, 303);
}

TEST_F(WebPolicy, RepeatedFailuresAreRefusedWith429AndRetryAfter) {
  start();
  Response refused = fail_until_refused("127.0.0.2");
  ASSERT_EQ(refused.status, 429);
  const std::string after = refused.header("retry-after");
  ASSERT_FALSE(after.empty());
  EXPECT_EQ(after.find_first_not_of("0123456789"), std::string::npos) << after;
  EXPECT_GE(std::stoi(after), 1);
  // While the delay runs even the right password is refused from that address (it is not tried).
  EXPECT_EQ(attempt("right password", "127.0.0.2").status, 429);
  EXPECT_EQ(refused.cookie("clee_session"), "");
}

TEST_F(WebPolicy, ForwardedForIsIgnoredUnlessThePeerIsATrustedProxy) {
  start();
  ASSERT_EQ(fail_until_refused("127.0.0.2", "X-Forwarded-For: 198.51.100.7\r\n").status, 429);
  // Another claimed client from the same peer is the same client.
  EXPECT_EQ(attempt("right password", "127.0.0.2", "X-Forwarded-For: 198.51.100.8\r\n").status, 429);
}

TEST_F(WebPolicy, ForwardedForFromATrustedProxyNamesTheClient) {
  WebConfig c;
  c.trusted_proxies = {"127.0.0.5"};
  start(c);
  ASSERT_EQ(fail_until_refused("127.0.0.5", "X-Forwarded-For: 198.51.100.7\r\n").status, 429);
  EXPECT_EQ(attempt("right password", "127.0.0.5", "X-Forwarded-For: 198.51.100.8\r\n").status, 303);
  // A client cannot prepend its own X-Forwarded-For entry to pass for someone else: the proxy
  // appends the real address, and that is the one used.
  EXPECT_EQ(attempt("right password", "127.0.0.5", "X-Forwarded-For: 198.51.100.8, 198.51.100.7\r\n").status, 429);
}

// ---- 14: the sign-in form needs no server-side state ----

TEST_F(WebPolicy, SignInFormSurvivesAFloodOfAnonymousVisits) {
  start();
  Response form = test::request(port_, "GET", "/login");
  ASSERT_EQ(form.status, 200);
  httplib::Client flood("127.0.0.1", port_);
  flood.set_keep_alive(true);
  for (int i = 0; i < 11000; ++i) ASSERT_EQ(flood.Get("/login")->status, 200) << i;
  Response r = test::request(port_, "POST", "/login", test::cookies_of(form),
                             "_csrf=" + test::csrf_in(form.body) + "&user=Dana+Reyes&password=right+password");
  EXPECT_EQ(r.status, 303);
  EXPECT_TRUE(still_signed_in("clee_session=" + r.cookie("clee_session")));
}

TEST_F(WebPolicy, SignInFormTokenIsBoundToItsBrowserAndSigned) {
  start();
  Response form = test::request(port_, "GET", "/login"), other = test::request(port_, "GET", "/login");
  const std::string body = "&user=Dana+Reyes&password=right+password";
  // Another browser's token with this browser's cookie, a forged token, no cookie: refused.
  EXPECT_EQ(test::request(port_, "POST", "/login", test::cookies_of(form), "_csrf=" + test::csrf_in(other.body) + body).status, 403);
  std::string forged = test::csrf_in(form.body);
  forged.back() = forged.back() == '0' ? '1' : '0';
  EXPECT_EQ(test::request(port_, "POST", "/login", test::cookies_of(form), "_csrf=" + forged + body).status, 403);
  EXPECT_EQ(test::request(port_, "POST", "/login", "", "_csrf=" + test::csrf_in(form.body) + body).status, 403);
  EXPECT_EQ(test::request(port_, "POST", "/login", test::cookies_of(form), "_csrf=" + test::csrf_in(form.body) + body).status, 303);
}

// ---- 15: proxies, Origin, form fields, Host, cookie lifetimes ----

TEST_F(WebPolicy, ForwardedHostIsIgnoredWithoutATrustedProxy) {
  start();
  std::string cookie = test::sign_in(port_, "Dana Reyes", "right password");
  ASSERT_FALSE(cookie.empty());
  Response r = test::request(port_, "POST", "/logout",
                             "Cookie: " + cookie + "\r\nOrigin: http://evil.example\r\nX-Forwarded-Host: evil.example\r\n",
                             "_csrf=" + token_of(cookie));
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(still_signed_in(cookie));
}

TEST_F(WebPolicy, ForwardedHostAndProtoFromATrustedProxyAreTheOrigin) {
  WebConfig c;
  c.trusted_proxies = {"127.0.0.1"};
  c.allowed_hosts = {"clee.example.org"};
  start(c);
  const std::string proxied = "X-Forwarded-Host: clee.example.org\r\nX-Forwarded-Proto: https\r\n";
  Response form = test::request(port_, "GET", "/login", proxied);
  ASSERT_EQ(form.status, 200);
  Response in = test::request(port_, "POST", "/login", test::cookies_of(form) + proxied + "Origin: https://clee.example.org\r\n",
                              "_csrf=" + test::csrf_in(form.body) + "&user=Dana+Reyes&password=right+password");
  ASSERT_EQ(in.status, 303);
  const std::string cookie = "clee_session=" + in.cookie("clee_session");
  const std::string token = test::csrf_in(test::request(port_, "GET", "/queue", "Cookie: " + cookie + "\r\n" + proxied).body);
  // The proxy said https: an http origin for the same host is another origin.
  EXPECT_EQ(test::request(port_, "POST", "/logout", "Cookie: " + cookie + "\r\n" + proxied + "Origin: http://clee.example.org\r\n",
                          "_csrf=" + token)
                .status,
            403);
  EXPECT_EQ(test::request(port_, "POST", "/logout", "Cookie: " + cookie + "\r\n" + proxied + "Origin: https://clee.example.org\r\n",
                          "_csrf=" + token)
                .status,
            303);
}

TEST_F(WebPolicy, OriginNullIsRefused) {
  start();
  std::string cookie = test::sign_in(port_, "Dana Reyes", "right password");
  ASSERT_FALSE(cookie.empty());
  Response r = test::request(port_, "POST", "/logout", "Cookie: " + cookie + "\r\nOrigin: null\r\n", "_csrf=" + token_of(cookie));
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(still_signed_in(cookie));
  Response form = test::request(port_, "GET", "/login");
  EXPECT_EQ(test::request(port_, "POST", "/login", test::cookies_of(form) + "Origin: null\r\n",
                          "_csrf=" + test::csrf_in(form.body) + "&user=Dana+Reyes&password=right+password")
                .status,
            403);
}

TEST_F(WebPolicy, PostFieldsComeOnlyFromTheBody) {
  start();
  std::string cookie = test::sign_in(port_, "Dana Reyes", "right password");
  ASSERT_FALSE(cookie.empty());
  Response r = test::request(port_, "POST", "/logout?_csrf=" + token_of(cookie), "Cookie: " + cookie + "\r\n", "");
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(still_signed_in(cookie));
  // Sign-in fields in the query string are not read either.
  Response form = test::request(port_, "GET", "/login");
  Response in = test::request(port_, "POST", "/login?user=Dana+Reyes&password=right+password", test::cookies_of(form),
                              "_csrf=" + test::csrf_in(form.body));
  EXPECT_NE(in.status, 303);
  // Nor a body that is not a form.
  EXPECT_EQ(test::request(port_, "POST", "/logout", "Cookie: " + cookie + "\r\nContent-Type: text/plain\r\n", "_csrf=" + token_of(cookie))
                .status,
            403);
}

TEST_F(WebPolicy, RequestsForOtherHostsAre421) {
  start();
  const std::string port = std::to_string(port_);
  auto with_host = [&](const std::string& host) {
    test::RawConn c(port_);
    c.send_all("GET /login HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    return test::parse_response(c.read_response()).status;
  };
  EXPECT_EQ(with_host("evil.example:" + port), 421);  // DNS rebinding: a name that resolves to us
  EXPECT_EQ(with_host("evil.example"), 421);
  EXPECT_EQ(with_host("127.0.0.1:" + port), 200);
  EXPECT_EQ(with_host("localhost:" + port), 200);
  EXPECT_EQ(with_host("LOCALHOST:" + port), 200);
  EXPECT_EQ(with_host("[::1]:" + port), 200);
  EXPECT_EQ(with_host("127.0.0.1:1" + port), 421);  // the right name on another port
  // A trusted proxy's X-Forwarded-Host is checked too; an untrusted one's is not consulted.
  EXPECT_EQ(test::request(port_, "GET", "/login", "X-Forwarded-Host: evil.example\r\n").status, 200);
}

TEST_F(WebPolicy, AllowedHostsReplaceTheDefaults) {
  WebConfig c;
  c.allowed_hosts = {"clee.example.org", "review.example.org:8443"};
  start(c);
  auto with_host = [&](const std::string& host) {
    test::RawConn conn(port_);
    conn.send_all("GET /login HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    return test::parse_response(conn.read_response()).status;
  };
  EXPECT_EQ(with_host("clee.example.org"), 200);
  EXPECT_EQ(with_host("clee.example.org:" + std::to_string(port_)), 200);  // no port given: any port
  EXPECT_EQ(with_host("review.example.org:8443"), 200);
  EXPECT_EQ(with_host("review.example.org:8080"), 421);
  EXPECT_EQ(with_host("127.0.0.1:" + std::to_string(port_)), 421);
}

TEST_F(WebPolicy, CookieLifetimesMatchTheServer) {
  WebConfig c;
  c.session_minutes = 45;
  start(c);
  Response form = test::request(port_, "GET", "/login");
  const std::string anonymous = test::cookies_of(form);
  ASSERT_FALSE(anonymous.empty());
  std::string line = form.headers.find("set-cookie")->second;
  EXPECT_NE(line.find("Max-Age=" + std::to_string(kSignInFormSeconds)), std::string::npos) << line;
  EXPECT_NE(line.find("HttpOnly"), std::string::npos);
  EXPECT_NE(line.find("SameSite=Strict"), std::string::npos);
  Response in = test::request(port_, "POST", "/login", anonymous, "_csrf=" + test::csrf_in(form.body) + "&user=Dana+Reyes&password=right+password");
  ASSERT_EQ(in.status, 303);
  EXPECT_NE(in.set_cookie("clee_session").find("Max-Age=2700"), std::string::npos) << in.set_cookie("clee_session");
}

}  // namespace
}  // namespace clee::web
