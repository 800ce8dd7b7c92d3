// Reviewer authentication and the [web] configuration: password hashes, tokens, sessions, signed
// sign-in form tokens, sign-in throttling, loopback-only by default, the new [web] keys, config
// errors with file and line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "app/config.h"
#include "app/web/auth.h"
#include "app/web/web_config.h"
#include "tests/support/fault_env.h"

namespace clee::web {
namespace {

std::string write_config(const std::string& name, const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() / ("clee-web-auth-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / name).string();
  std::ofstream(path) << text;
  return path;
}

TEST(WebAuth, HashVerifiesOnlyTheRightPassword) {
  std::string h = hash_password("correct horse");
  EXPECT_EQ(h.rfind("pbkdf2-sha256$310000$", 0), 0u);
  EXPECT_TRUE(valid_hash_line(h));
  EXPECT_TRUE(verify_password("correct horse", h));
  EXPECT_FALSE(verify_password("correct hors", h));
  EXPECT_FALSE(verify_password("", h));
  // Salted: the same password hashes differently each time.
  EXPECT_NE(h, hash_password("correct horse"));
}

TEST(WebAuth, MalformedOrWeakHashLinesAreRefused) {
  std::string h = hash_password("pw");
  EXPECT_FALSE(verify_password("pw", "plain:pw"));
  EXPECT_FALSE(verify_password("pw", h.substr(0, h.size() - 2)));
  std::string weak = hash_password("pw", 1000);
  EXPECT_FALSE(valid_hash_line(weak));  // fewer than 200000 iterations
  EXPECT_FALSE(verify_password("pw", weak));
  EXPECT_FALSE(valid_hash_line("pbkdf2-sha256$abc$00$00"));
}

TEST(WebAuth, TokensAreRandom256Bit) {
  std::string a = random_token(), b = random_token();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(a, b);
  EXPECT_TRUE(constant_time_equal(a, a));
  EXPECT_FALSE(constant_time_equal(a, b));
  EXPECT_FALSE(constant_time_equal(a, a.substr(1)));
}

TEST(WebAuth, SessionsHoldUserAndCsrfAndExpire) {
  SessionTable live(std::chrono::seconds(3600));
  std::string id = live.create("Dana");
  auto s = live.find(id);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->user, "Dana");
  EXPECT_EQ(s->csrf.size(), 64u);
  EXPECT_FALSE(live.find(id + "0"));
  live.erase(id);
  EXPECT_FALSE(live.find(id));
  SessionTable expired(std::chrono::seconds(0));  // every session is already past its expiry
  EXPECT_FALSE(expired.find(expired.create("Dana")));
}

TEST(WebAuth, SessionTableIsBoundedOldestFirst) {
  SessionTable t(std::chrono::seconds(3600));
  std::string first = t.create("Dana");
  std::this_thread::sleep_for(std::chrono::milliseconds(2));  // a later expiry than `first`
  std::string second = t.create("Dana");
  while (t.size() < SessionTable::kMaxSessions) (void)t.create("Lee");
  std::string latest = t.create("Lee");
  EXPECT_EQ(t.size(), SessionTable::kMaxSessions);
  EXPECT_FALSE(t.find(first));  // the one nearest its expiry made room
  EXPECT_TRUE(t.find(second));
  EXPECT_TRUE(t.find(latest));
}

TEST(WebAuth, FormTokensAreSignedBoundToTheirNonceAndExpire) {
  test::FaultEnv env;
  FormSigner signer(kSignInFormSeconds, &env), other(kSignInFormSeconds, &env);
  const std::string nonce = random_token(), token = signer.issue(nonce);
  EXPECT_EQ(token.size(), 80u);
  EXPECT_TRUE(signer.verify(token, nonce));
  EXPECT_FALSE(signer.verify(token, random_token()));  // another browser's cookie
  EXPECT_FALSE(signer.verify(token, ""));
  EXPECT_FALSE(other.verify(token, nonce));  // another process's key
  std::string forged = token;
  forged[14] = forged[14] == '0' ? '1' : '0';  // another issue time under the same MAC
  EXPECT_FALSE(signer.verify(forged, nonce));
  EXPECT_FALSE(signer.verify(token.substr(1), nonce));
  env.advance(kSignInFormSeconds - 1);
  EXPECT_TRUE(signer.verify(token, nonce));
  env.advance(2);
  EXPECT_FALSE(signer.verify(token, nonce));
  EXPECT_TRUE(signer.verify(signer.issue(nonce), nonce));  // a fresh form works again
}

TEST(WebAuth, ThrottleDelaysGrowPerKeyAndAreCapped) {
  test::FaultEnv env;
  LoginThrottle t(3, 60, &env);
  for (int i = 0; i < 2; ++i) {
    t.failed("dana@198.51.100.7");
    EXPECT_EQ(t.wait("dana@198.51.100.7"), 0) << "failure " << i + 1 << " is free";
  }
  double expected = 1;
  for (int i = 0; i < 9; ++i) {
    t.failed("dana@198.51.100.7");
    EXPECT_NEAR(t.wait("dana@198.51.100.7"), expected, 0.5);  // the real clock moves on a little
    env.advance(expected);
    EXPECT_EQ(t.wait("dana@198.51.100.7"), 0);
    expected = std::min(60.0, expected * 2);  // 1, 2, 4, ... 32, then 60 s at most
  }
  EXPECT_EQ(t.wait("dana@198.51.100.8"), 0);  // another address
  EXPECT_EQ(t.wait("lee@198.51.100.7"), 0);   // another account
  t.failed("dana@198.51.100.7");
  t.succeeded("dana@198.51.100.7");
  EXPECT_EQ(t.wait("dana@198.51.100.7"), 0);
  // A key quiet for the longest delay after its wait is forgotten: it starts free again.
  for (int i = 0; i < 5; ++i) t.failed("lee@198.51.100.9");
  env.advance(1000);
  t.failed("lee@198.51.100.9");
  EXPECT_EQ(t.wait("lee@198.51.100.9"), 0);
}

TEST(WebAuth, ThrottleTableIsBounded) {
  test::FaultEnv env;
  LoginThrottle t(1, 300, &env);
  for (size_t i = 0; i < LoginThrottle::kMaxKeys + 50; ++i) t.failed("k" + std::to_string(i));
  EXPECT_LE(t.size(), LoginThrottle::kMaxKeys);
  EXPECT_GT(t.wait("k" + std::to_string(LoginThrottle::kMaxKeys + 49)), 0);  // the newest is kept
}

TEST(WebConfigTest, LoopbackByDefault) {
  WebConfig c;
  c.accounts.push_back({"Dana", hash_password("pw")});
  EXPECT_TRUE(validate(c));
  EXPECT_TRUE(is_loopback("127.0.0.1"));
  EXPECT_TRUE(is_loopback("127.8.0.1"));
  EXPECT_TRUE(is_loopback("::1"));
  EXPECT_TRUE(is_loopback("localhost"));
  EXPECT_FALSE(is_loopback("0.0.0.0"));
  EXPECT_FALSE(is_loopback("192.168.1.4"));
  ASSERT_TRUE(set_listen(c, "192.168.1.4:8080"));
  Status refused = validate(c);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("allow_remote"), std::string::npos);
  c.allow_remote = true;
  EXPECT_TRUE(validate(c));
  EXPECT_FALSE(set_listen(c, "8080"));
  EXPECT_FALSE(set_listen(c, "127.0.0.1:99999"));
  ASSERT_TRUE(set_listen(c, "[::1]:9000"));
  EXPECT_EQ(c.host, "::1");
  EXPECT_EQ(c.port, 9000);
}

TEST(WebConfigTest, NoAccountsIsAnError) {
  WebConfig c;
  EXPECT_FALSE(validate(c));
}

TEST(WebConfigTest, ReadsWebTable) {
  std::string h = hash_password("pw");
  auto path = write_config("ok.toml", "data_dir = \"x\"\n[web]\nlisten = \"127.0.0.1:9123\"\nsecure_cookies = true\n"
                                      "max_body_kib = 16\n[[web.accounts]]\nname = \"Dana Reyes\"\npassword_hash = \"" + h + "\"\n");
  auto c = app::load_config(path);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->web.port, 9123);
  EXPECT_TRUE(c->web.secure_cookies);
  EXPECT_EQ(c->web.max_body_bytes, 16u * 1024);
  ASSERT_EQ(c->web.accounts.size(), 1u);
  EXPECT_EQ(c->web.accounts[0].name, "Dana Reyes");
}

TEST(WebConfigTest, ReadsProxiesHostsAndConnectionLimits) {
  std::string h = hash_password("pw");
  auto path = write_config("front.toml", "[web]\nlisten = \"127.0.0.1:9123\"\ntrusted_proxies = [\"127.0.0.1\", \"::ffff:10.0.0.2\"]\n"
                                         "allowed_hosts = [\"clee.example.org\", \"[::1]:9123\"]\nmax_header_kib = 8\n"
                                         "max_headers = 50\nmax_connections = 300\nmax_connections_per_address = 10\n"
                                         "threads = 4\n[[web.accounts]]\nname = \"Dana\"\npassword_hash = \"" + h + "\"\n");
  auto c = app::load_config(path);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->web.trusted_proxies, (std::vector<std::string>{"127.0.0.1", "10.0.0.2"}));  // canonical
  EXPECT_EQ(c->web.allowed_hosts, (std::vector<std::string>{"clee.example.org", "[::1]:9123"}));
  EXPECT_EQ(c->web.max_header_bytes, 8u * 1024);
  EXPECT_EQ(c->web.max_headers, 50);
  EXPECT_EQ(c->web.max_connections, 300);
  EXPECT_EQ(c->web.max_connections_per_address, 10);
  EXPECT_EQ(c->web.threads, 4);
  WebConfig defaults;
  EXPECT_TRUE(defaults.trusted_proxies.empty());  // no proxy is trusted unless configured
  EXPECT_TRUE(defaults.allowed_hosts.empty());    // = the listen address and loopback names
}

TEST(WebConfigTest, BadProxiesAndHostsAreRefusedWithTheirLine) {
  auto proxy = app::load_config(write_config("p.toml", "[web]\nlisten = \"127.0.0.1:1\"\ntrusted_proxies = [\"proxy.lan\"]\n"));
  ASSERT_FALSE(proxy);
  EXPECT_NE(proxy.error().message.find(":3: trusted_proxies: 'proxy.lan' is not an IP address"), std::string::npos)
      << proxy.error().message;
  auto host = app::load_config(write_config("h.toml", "[web]\nallowed_hosts = [\"http://clee.example.org/\"]\n"));
  ASSERT_FALSE(host);
  EXPECT_NE(host.error().message.find(":2: allowed_hosts"), std::string::npos) << host.error().message;
  auto none = app::load_config(write_config("n.toml", "[web]\nallowed_hosts = []\n"));
  ASSERT_FALSE(none);
  auto threads = app::load_config(write_config("t.toml", "[web]\nthreads = 0\n"));
  ASSERT_FALSE(threads);
}

TEST(WebConfigTest, EveryAddressNeedsAllowedHosts) {
  WebConfig c;
  c.accounts.push_back({"Dana", hash_password("pw")});
  c.allow_remote = true;
  ASSERT_TRUE(set_listen(c, "0.0.0.0:8080"));
  Status refused = validate(c);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("allowed_hosts"), std::string::npos);
  c.allowed_hosts = {"clee.example.org"};
  EXPECT_TRUE(validate(c));
}

TEST(WebConfigTest, ErrorsCarryFileAndLine) {
  auto path = write_config("bad.toml", "[web]\nlisten = \"127.0.0.1:9123\"\n[[web.accounts]]\nname = \"Dana\"\npassword_hash = \"secret\"\n");
  auto c = app::load_config(path);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find(path + ":5:"), std::string::npos) << c.error().message;  // the password_hash line
  auto unknown = app::load_config(write_config("unknown.toml", "[web]\nlisten = \"127.0.0.1:1\"\npasword = \"x\"\n"));
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find(":3: unknown key 'pasword'"), std::string::npos) << unknown.error().message;
}

}  // namespace
}  // namespace clee::web
