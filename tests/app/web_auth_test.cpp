// Reviewer authentication and the [web] configuration: password hashes, tokens, sessions, the
// login rate limiter, loopback-only by default, config errors with file and line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "app/config.h"
#include "app/web/auth.h"
#include "app/web/web_config.h"

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

TEST(WebAuth, AnonymousSessionsCannotGrowTheTableWithoutBound) {
  SessionTable t(std::chrono::seconds(3600));
  std::string reviewer = t.create("Dana");
  std::string first_anonymous = t.create("");
  while (t.size() < SessionTable::kMaxSessions) (void)t.create("");
  std::string latest = t.create("");
  EXPECT_LE(t.size(), 2u);  // the anonymous ones were dropped, the signed-in one kept
  EXPECT_TRUE(t.find(reviewer));
  EXPECT_TRUE(t.find(latest));
  EXPECT_FALSE(t.find(first_anonymous));
}

TEST(WebAuth, LimiterRefusesAfterTooManyFailures) {
  LoginLimiter l(3, std::chrono::seconds(3600));
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(l.allowed("addr:1"));
    l.failed("addr:1");
  }
  EXPECT_FALSE(l.allowed("addr:1"));
  EXPECT_TRUE(l.allowed("addr:2"));
  l.succeeded("addr:1");
  EXPECT_TRUE(l.allowed("addr:1"));
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
  ASSERT_TRUE(set_listen(c, "0.0.0.0:8080"));
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
