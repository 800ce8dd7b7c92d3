// app/config: every key of the configuration file is read into Config; every key refuses a value
// of the wrong type and (for numbers) one just outside its range, with "FILE:LINE: message" naming
// the key; unknown keys, empty files, folders, missing files and duplicate mail names are errors.
// ([web]'s own keys are web_auth_test's; here only that they are read in the same pass.)
#include "app/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <vector>

namespace clee::app {
namespace {

namespace fs = std::filesystem;

struct KeyCase {
  const char* table;  // "" = the top level; "mail" = the first [[mail]]
  const char* key;
  const char* good;   // a valid TOML value, other than the default
  std::function<bool(const Config&)> landed;  // the good value is in Config
  const char* wrong_type;
  std::vector<const char*> in_range;      // the bounds themselves: accepted
  std::vector<const char*> out_of_range;  // just outside the bounds: refused
};

const std::vector<KeyCase>& key_cases() {
  static const std::vector<KeyCase> cases = {
      {"", "data_dir", "\"/var/lib/clee\"", [](const Config& c) { return c.data_dir == "/var/lib/clee"; }, "5", {}, {"\"\""}},
      {"", "rules", "\"/etc/clee/rules.toml\"", [](const Config& c) { return c.rules == "/etc/clee/rules.toml"; }, "true", {}, {}},
      {"limits", "max_file_bytes", "2048", [](const Config& c) { return c.limits.max_file_bytes == 2048; }, "\"big\"",
       {"1024", "1099511627776"}, {"1023", "1099511627777", "-1"}},
      {"limits", "max_pages", "7", [](const Config& c) { return c.limits.max_pages == 7; }, "7.5", {"1", "1000000"}, {"0", "1000001"}},
      {"limits", "max_image_pixels", "20000", [](const Config& c) { return c.limits.max_image_pixels == 20000; }, "\"many\"",
       {"10000", "10000000000"}, {"9999", "10000000001"}},
      {"limits", "max_entry_bytes", "4096", [](const Config& c) { return c.limits.max_entry_bytes == 4096; }, "[1]",
       {"1024", "1099511627776"}, {"1023", "1099511627777"}},
      {"limits", "max_compression_ratio", "50.5", [](const Config& c) { return c.limits.max_compression_ratio == 50.5; },
       "\"50\"", {"1.0", "1000000", "1"}, {"0.99", "1000000.5", "nan", "inf"}},
      {"limits", "max_total_inflated", "65536", [](const Config& c) { return c.limits.max_total_inflated == 65536; }, "false",
       {"1024", "1099511627776"}, {"1023", "1099511627777"}},
      {"limits", "max_entries", "12", [](const Config& c) { return c.limits.max_entries == 12; }, "\"12\"", {"1", "10000000"},
       {"0", "10000001"}},
      {"limits", "max_depth", "3", [](const Config& c) { return c.limits.max_depth == 3; }, "3.0", {"1", "32"}, {"0", "33"}},
      {"limits", "max_seconds", "20", [](const Config& c) { return c.limits.max_seconds == 20; }, "\"20s\"", {"0.1", "86400"},
       {"-1", "0", "0.09", "86400.5"}},
      {"limits", "max_memory_bytes", "134217728", [](const Config& c) { return c.limits.max_memory_bytes == 134217728; },
       "\"2G\"", {"67108864", "1099511627776"}, {"67108863", "1099511627777"}},
      {"extract", "isolate", "true", [](const Config& c) { return c.isolate; }, "\"yes\"", {"false"}, {}},
      {"extract", "ocr", "false", [](const Config& c) { return !c.ocr; }, "0", {"true"}, {}},
      {"extract", "ocr_language", "\"eng+spa\"", [](const Config& c) { return c.ocr_language == "eng+spa"; }, "[\"eng\"]",
       {"\"deu\"", "\"chi_sim\""}, {"\"\"", "\"eng;rm -rf\"", "\"../eng\"", "\"ENG\""}},
      {"extract", "ocr_threads", "3", [](const Config& c) { return c.ocr_threads == 3; }, "\"all\"", {"0", "256"}, {"-1", "257"}},
      {"extract", "min_chars_per_page", "5", [](const Config& c) { return c.min_chars_per_page == 5; }, "1.5",
       {"0", "100000"}, {"-1", "100001"}},
      {"inbox", "path", "\"/srv/drop\"", [](const Config& c) { return c.inbox.path == "/srv/drop"; }, "1", {}, {"\"\""}},
      {"inbox", "poll", "true", [](const Config& c) { return c.inbox.poll; }, "\"true\"", {}, {}},
      {"inbox", "stability_seconds", "0.5", [](const Config& c) { return c.inbox.stability_seconds == 0.5; }, "\"2\"",
       {"0", "3600"}, {"-0.1", "3600.5"}},
      {"inbox", "rescan_seconds", "5", [](const Config& c) { return c.inbox.rescan_seconds == 5; }, "true", {"0.1", "86400"},
       {"0", "86401"}},
      {"inbox", "delete_processed", "true", [](const Config& c) { return c.inbox.delete_processed; }, "1", {}, {}},
      {"daemon", "workers", "4", [](const Config& c) { return c.daemon.workers == 4; }, "\"two\"", {"1", "256"}, {"0", "257"}},
      {"daemon", "mail_interval_seconds", "60", [](const Config& c) { return c.daemon.mail_interval_seconds == 60; }, "\"1m\"",
       {"1", "86400"}, {"0.5", "86401"}},
      {"daemon", "max_attempts", "9", [](const Config& c) { return c.daemon.max_attempts == 9; }, "9.5", {"1", "1000"},
       {"0", "1001"}},
      {"daemon", "retry_initial_seconds", "2", [](const Config& c) { return c.daemon.retry_initial_seconds == 2; }, "\"2\"",
       {"0.01", "3600"}, {"0", "86401"}},
      {"daemon", "retry_max_seconds", "60", [](const Config& c) { return c.daemon.retry_max_seconds == 60; }, "[]",
       {"10", "604800"}, {"0.001", "604801"}},
      {"daemon", "lease_seconds", "30", [](const Config& c) { return c.daemon.lease_seconds == 30; }, "\"30\"", {"5", "86400"},
       {"4.9", "86401"}},
      {"mail", "name", "\"office\"", [](const Config& c) { return c.mail.at(0).name == "office"; }, "1", {}, {"\"\""}},
      {"mail", "user", "\"clee\"", [](const Config& c) { return c.mail.at(0).user == "clee"; }, "1", {}, {}},
      {"mail", "password", "\"s3cret\"", [](const Config& c) { return c.mail.at(0).password == "s3cret"; }, "1", {}, {}},
      {"mail", "insecure_tls", "true", [](const Config& c) { return c.mail.at(0).insecure_tls; }, "\"no\"", {}, {}},
      {"smtp", "url", "\"smtps://mail.example.gov:465\"", [](const Config& c) { return c.smtp.url == "smtps://mail.example.gov:465"; },
       "1", {"\"smtp://127.0.0.1:2525\""}, {"\"\"", "\"http://mail.example.gov\"", "\"mail.example.gov:25\""}},
      {"smtp", "from", "\"Office <clee@example.gov>\"", [](const Config& c) { return c.smtp.from == "Office <clee@example.gov>"; },
       "1", {"\"clee@example.gov\""}, {"\"\"", "\"the office\"", "\"a@b\\r\\nBcc: x@y\""}},
      {"smtp", "user", "\"clee\"", [](const Config& c) { return c.smtp.user == "clee"; }, "1", {}, {}},
      {"smtp", "password", "\"s3cret\"", [](const Config& c) { return c.smtp.password == "s3cret"; }, "1", {}, {}},
      {"smtp", "reply_to", "\"r@example.gov\"", [](const Config& c) { return c.smtp.reply_to == "r@example.gov"; }, "1", {},
       {"\"not an address\""}},
      {"smtp", "bcc_archive", "\"a@example.gov\"", [](const Config& c) { return c.smtp.bcc_archive == "a@example.gov"; }, "1",
       {}, {"\"two words\""}},
      {"smtp", "connect_timeout_seconds", "5", [](const Config& c) { return c.smtp.connect_timeout_seconds == 5; }, "\"5\"",
       {"1", "600"}, {"0.5", "601"}},
      {"smtp", "timeout_seconds", "30", [](const Config& c) { return c.smtp.timeout_seconds == 30; }, "\"30\"", {"1", "3600"},
       {"0.5", "3601"}},
      {"smtp", "send_interval_seconds", "10", [](const Config& c) { return c.smtp.send_interval_seconds == 10; }, "true",
       {"1", "86400"}, {"0.5", "86401"}},
      {"smtp", "retry_initial_seconds", "5", [](const Config& c) { return c.smtp.retry_initial_seconds == 5; }, "[]",
       {"1", "3600"}, {"0.5", "86401"}},
      {"smtp", "retry_max_seconds", "120", [](const Config& c) { return c.smtp.retry_max_seconds == 120; }, "\"2m\"",
       {"60", "604800"}, {"59", "604801"}},  // never below retry_initial_seconds (60)
      {"smtp", "give_up_hours", "2", [](const Config& c) { return c.smtp.give_up_hours == 2; }, "\"2\"", {"0.01", "1440"},
       {"0.001", "1441"}},
      {"notify", "office_name", "\"Office\"", [](const Config& c) { return c.notify.office_name == "Office"; }, "1", {}, {}},
      {"notify", "signature", "\"Staff\"", [](const Config& c) { return c.notify.signature == "Staff"; }, "1", {}, {}},
      {"notify", "receipts", "false", [](const Config& c) { return !c.notify.receipts; }, "\"no\"", {}, {}},
      {"notify", "html", "true", [](const Config& c) { return c.notify.html; }, "1", {}, {}},
      {"notify", "roster_rows", "20", [](const Config& c) { return c.notify.roster_rows == 20; }, "2.5", {"1", "500"}, {"0", "501"}},
      {"notify", "publish_dir", "\"/srv/published\"", [](const Config& c) { return c.notify.publish_dir == "/srv/published"; },
       "1", {}, {}},
  };
  return cases;
}

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("clee-config-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "clee-intake.toml").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  Result<Config> load(const std::string& text) {
    std::ofstream(path_) << text;
    return load_config(path_);
  }
  // The lines before `key = value` for a case's table (required keys of that table included).
  static std::string prelude(const KeyCase& k) {
    std::string t = std::string("# clee-intake test configuration\n") +
                    (k.table == std::string("mail")   ? "[[mail]]\n"
                     : *k.table                         ? "[" + std::string(k.table) + "]\n"
                                                        : "");
    if (k.table == std::string("inbox") && k.key != std::string("path")) t += "path = \"/srv/inbox\"\n";
    if (k.table == std::string("mail")) {
      t += "maildir = \"/var/mail/Maildir\"\n";
      if (k.key != std::string("name")) t += "name = \"m\"\n";
    }
    if (k.table == std::string("daemon") && k.key == std::string("retry_max_seconds")) t += "retry_initial_seconds = 0.01\n";
    if (k.table == std::string("smtp")) {
      if (k.key != std::string("url")) t += "url = \"smtp://127.0.0.1:25\"\n";
      if (k.key != std::string("from")) t += "from = \"Office <clee@example.gov>\"\n";
      if (k.key == std::string("user")) t += "password = \"p\"\n";
    }
    return t;
  }
  // "FILE:LINE: " of the line after the prelude.
  std::string at_key_line(const KeyCase& k) const {
    std::string p = prelude(k);
    return path_ + ":" + std::to_string(std::count(p.begin(), p.end(), '\n') + 1) + ": ";
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(ConfigTest, EveryKeyIsRead) {
  for (const auto& k : key_cases()) {
    SCOPED_TRACE(std::string(k.table) + "." + k.key);
    auto c = load(prelude(k) + k.key + " = " + k.good + "\n");
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_TRUE(k.landed(*c));
    EXPECT_EQ(c->path, path_);
  }
}

TEST_F(ConfigTest, EveryKeyRefusesTheWrongTypeAtItsLine) {
  for (const auto& k : key_cases()) {
    SCOPED_TRACE(std::string(k.table) + "." + k.key + " = " + k.wrong_type);
    auto c = load(prelude(k) + k.key + " = " + k.wrong_type + "\n");
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error().code, Code::kInvalidConfig);
    EXPECT_EQ(c.error().message.rfind(at_key_line(k), 0), 0u) << c.error().message;
    EXPECT_NE(c.error().message.find(k.key), std::string::npos) << c.error().message;
  }
}

TEST_F(ConfigTest, EveryBoundIsAcceptedAndEveryValueJustOutsideIsRefused) {
  for (const auto& k : key_cases()) {
    for (const char* v : k.in_range) {
      SCOPED_TRACE(std::string(k.table) + "." + k.key + " = " + v);
      auto c = load(prelude(k) + k.key + " = " + v + "\n");
      EXPECT_TRUE(c.ok()) << c.error().message;
    }
    for (const char* v : k.out_of_range) {
      SCOPED_TRACE(std::string(k.table) + "." + k.key + " = " + v);
      auto c = load(prelude(k) + k.key + " = " + v + "\n");
      ASSERT_FALSE(c.ok());
      EXPECT_EQ(c.error().code, Code::kInvalidConfig);
      EXPECT_EQ(c.error().message.rfind(at_key_line(k), 0), 0u) << c.error().message;
    }
  }
}

TEST_F(ConfigTest, TheIssuesExamplesAreRefusedWithTheirLines) {
  // Issue 8, item 17: each of these was accepted (isolate = "yes" even turned isolation OFF).
  struct {
    const char* text;
    int line;
    const char* says;
  } cases[] = {
      {"[extract]\nisolate = \"yes\"\n", 2, "[extract] isolate must be true or false, got \"yes\""},
      {"[daemon]\nworkers = \"two\"\n", 2, "[daemon] workers must be an integer from 1 to 256, got \"two\""},
      {"[limits]\nmax_pages = 0\n", 2, "[limits] max_pages must be an integer from 1 to 1000000, got 0"},
      {"[limits]\nmax_seconds = -1\n", 2, "[limits] max_seconds must be a number from 0.1 to 86400, got -1"},
  };
  for (const auto& c : cases) {
    auto r = load(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error().message, path_ + ":" + std::to_string(c.line) + ": " + c.says);
  }
}

TEST_F(ConfigTest, UnknownKeysAreRefusedInEveryTable) {
  struct {
    const char* text;
    int line;
    const char* says;
  } cases[] = {
      {"data_dir = \"/d\"\ndatadir = \"/d\"\n", 2, "unknown key 'datadir' in the top level"},
      {"[limits]\nmax_page = 5\n", 2, "unknown key 'max_page' in [limits]"},
      {"[extract]\nocr_lang = \"eng\"\n", 2, "unknown key 'ocr_lang' in [extract]"},
      {"[inbox]\npath = \"/i\"\n\ndelete = true\n", 4, "unknown key 'delete' in [inbox]"},
      {"[daemon]\nthreads = 2\n", 2, "unknown key 'threads' in [daemon]"},
      {"[[mail]]\nname = \"a\"\nmaildir = \"/m\"\n[[mail]]\nname = \"b\"\nmaildir = \"/n\"\nhost = \"x\"\n", 7,
       "unknown key 'host' in [[mail]] #2"},
      {"[web]\nport = 8080\n", 2, "unknown key 'port' in [web]"},
  };
  for (const auto& c : cases) {
    auto r = load(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error().code, Code::kInvalidConfig);
    EXPECT_EQ(r.error().message, path_ + ":" + std::to_string(c.line) + ": " + c.says);
  }
}

TEST_F(ConfigTest, EmptyFolderAndMissingFilesAreErrors) {
  auto empty = load("");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, Code::kInvalidConfig);
  EXPECT_EQ(empty.error().message, path_ + ":1: the file is empty");
  auto blank = load("\n   \n\t\n");
  ASSERT_FALSE(blank.ok());
  EXPECT_EQ(blank.error().message, path_ + ":1: the file is empty");
  auto folder = load_config(dir_.string());
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.error().code, Code::kInvalidConfig);
  EXPECT_EQ(folder.error().message, dir_.string() + ":0: is a folder, not a TOML file");
  auto missing = load_config((dir_ / "nope.toml").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Code::kInvalidConfig);
  EXPECT_EQ(missing.error().message, (dir_ / "nope.toml").string() + ":0: cannot read: no such file");
  auto malformed = load("[limits]\nmax_pages = = 3\n");
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.error().message.rfind(path_ + ":2: ", 0), 0u) << malformed.error().message;
}

TEST_F(ConfigTest, NoPathGivesTheDefaults) {
  auto c = load_config("");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->path, "");
  EXPECT_EQ(c->data_dir, "./clee-data");
  EXPECT_FALSE(c->isolate);
  EXPECT_EQ(c->limits.max_pages, Limits{}.max_pages);
  EXPECT_TRUE(c->mail.empty());
}

TEST_F(ConfigTest, MailAccountsNeedUniqueNamesAndExactlyOneSource) {
  auto dup = load("[[mail]]\nname = \"office\"\nmaildir = \"/m\"\n\n[[mail]]\nname = \"office\"\nurl = \"imap://h/INBOX\"\n");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().message, path_ + ":6: two [[mail]] accounts are named 'office'");
  auto both = load("[[mail]]\nname = \"a\"\nmaildir = \"/m\"\nurl = \"imap://h/INBOX\"\n");
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.error().message, path_ + ":2: a [[mail]] account needs a name and exactly one of maildir or url");
  auto neither = load("[[mail]]\nname = \"a\"\nuser = \"u\"\n");
  ASSERT_FALSE(neither.ok());
  EXPECT_EQ(neither.error().code, Code::kInvalidConfig);
  auto scheme = load("[[mail]]\nname = \"a\"\nurl = \"pop3://h/INBOX\"\n");
  ASSERT_FALSE(scheme.ok());
  EXPECT_EQ(scheme.error().message, path_ + ":3: [[mail]] url must start with imap:// or imaps://");
  auto two = load("[[mail]]\nname = \"a\"\nmaildir = \"/m\"\n[[mail]]\nname = \"b\"\nurl = \"imaps://h:993/INBOX\"\n");
  ASSERT_TRUE(two.ok()) << two.error().message;
  ASSERT_EQ(two->mail.size(), 2u);
  EXPECT_EQ(two->mail[0].maildir, "/m");
  EXPECT_EQ(two->mail[1].url, "imaps://h:993/INBOX");
}

TEST_F(ConfigTest, CrossKeyRulesAndTablesOfTheWrongKind) {
  auto retry = load("[daemon]\nretry_initial_seconds = 60\nretry_max_seconds = 10\n");
  ASSERT_FALSE(retry.ok());
  EXPECT_EQ(retry.error().message,
            path_ + ":3: [daemon] retry_max_seconds must not be less than retry_initial_seconds");
  auto no_path = load("[inbox]\npoll = true\n");
  ASSERT_FALSE(no_path.ok());
  EXPECT_NE(no_path.error().message.find("[inbox] needs a path"), std::string::npos) << no_path.error().message;
  auto not_table = load("limits = 5\n");
  ASSERT_FALSE(not_table.ok());
  EXPECT_EQ(not_table.error().message, path_ + ":1: [limits] must be a table, got an integer");
  auto mail_table = load("[mail]\nname = \"a\"\n");
  ASSERT_FALSE(mail_table.ok());
  EXPECT_NE(mail_table.error().message.find("[[mail]] must be an array of tables"), std::string::npos)
      << mail_table.error().message;
}

TEST_F(ConfigTest, WebIsReadInTheSamePass) {
  auto c = load("data_dir = \"/d\"\n[web]\nlisten = \"127.0.0.1:9090\"\n");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->web.port, 9090);
  EXPECT_TRUE(c->web.listen_set);
  auto bad = load("data_dir = \"/d\"\n[web]\nsession_minutes = \"long\"\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Code::kInvalidConfig);
  EXPECT_EQ(bad.error().message.rfind(path_ + ":3: ", 0), 0u) << bad.error().message;
}

}  // namespace
}  // namespace clee::app
