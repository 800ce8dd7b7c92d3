// base/toml_reader: files that are missing, folders, empty or malformed are errors with
// FILE:LINE; every getter checks type and range and names the line of the offending key; unknown
// keys are refused; tables and arrays of tables say where they are.
#include "base/toml_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace clee {
namespace {

namespace fs = std::filesystem;

class TomlReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("clee-toml-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& text) {
    std::string path = (dir_ / "t.toml").string();
    std::ofstream(path) << text;
    return path;
  }
  // Parses `text` and hands its top-level table to `check`.
  template <typename F>
  void with_table(const std::string& text, F check) {
    std::string path = write(text);
    auto parsed = parse_toml_file(path, Code::kInvalidConfig);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    check(TomlTable(path, *parsed, "the top level", Code::kInvalidConfig), path);
  }

  fs::path dir_;
};

TEST_F(TomlReaderTest, MissingFolderEmptyAndMalformedFilesAreErrorsWithFileAndLine) {
  auto missing = parse_toml_file((dir_ / "absent.toml").string(), Code::kInvalidRules);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Code::kInvalidRules);
  EXPECT_EQ(missing.error().message, (dir_ / "absent.toml").string() + ":0: cannot read: no such file");

  auto folder = parse_toml_file(dir_.string(), Code::kInvalidRules);
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.error().message, dir_.string() + ":0: is a folder, not a TOML file");

  std::string blank = write(" \n\t\n");
  auto empty = parse_toml_file(blank, Code::kInvalidConfig);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, Code::kInvalidConfig);
  EXPECT_EQ(empty.error().message, blank + ":1: the file is empty");

  std::string bad = write("a = 1\nb = 2\nc = = 3\nd = 4\n");
  auto malformed = parse_toml_file(bad, Code::kInvalidConfig);
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.error().message.rfind(bad + ":", 0), 0u) << malformed.error().message;
  EXPECT_NE(malformed.error().message.find(":3:"), std::string::npos) << malformed.error().message;
}

TEST_F(TomlReaderTest, GettersReadValuesAndLeaveAbsentKeysAlone) {
  with_table("s = \"x\"\nb = true\ni = 5\nu = 7\nd = 2.5\nn = 3\nlist = [\"a\", \"b\"]\n", [](const TomlTable& t, auto&) {
    std::string s = "default";
    bool b = false;
    int i = 0;
    uint64_t u = 0;
    double d = 0, n = 0;
    std::vector<std::string> list;
    EXPECT_TRUE(t.get("s", &s).ok());
    EXPECT_TRUE(t.get("b", &b).ok());
    EXPECT_TRUE(t.get("i", &i, 1, 10).ok());
    EXPECT_TRUE(t.get("u", &u, 1, 10).ok());
    EXPECT_TRUE(t.get("d", &d, 0.0, 5.0).ok());
    EXPECT_TRUE(t.get("n", &n, 0.0, 5.0).ok());  // an integer where a number is wanted is fine
    EXPECT_TRUE(t.get("list", &list).ok());
    EXPECT_EQ(s, "x");
    EXPECT_TRUE(b);
    EXPECT_EQ(i, 5);
    EXPECT_EQ(u, 7u);
    EXPECT_EQ(d, 2.5);
    EXPECT_EQ(n, 3.0);
    EXPECT_EQ(list, (std::vector<std::string>{"a", "b"}));
    std::string untouched = "kept";
    int64_t also = 42;
    EXPECT_TRUE(t.get("absent", &untouched).ok());
    EXPECT_TRUE(t.get("absent", &also, 0, 100).ok());
    EXPECT_EQ(untouched, "kept");
    EXPECT_EQ(also, 42);
  });
}

TEST_F(TomlReaderTest, TypeAndRangeErrorsNameTheLineAndTheValue) {
  with_table("flag = \"yes\"\nworkers = \"two\"\npages = 0\nsecs = -1.5\nbig = 99999999999\nlist = [\"a\", 2]\n"
             "neg = -3\n",
             [](const TomlTable& t, const std::string& path) {
               bool flag = true;
               auto e = t.get("flag", &flag);
               ASSERT_FALSE(e.ok());
               EXPECT_EQ(e.error().code, Code::kInvalidConfig);
               EXPECT_EQ(e.error().message, path + ":1: the top level flag must be true or false, got \"yes\"");
               EXPECT_TRUE(flag) << "a refused value leaves the default";
               int workers = 2;
               e = t.get("workers", &workers, 1, 256);
               ASSERT_FALSE(e.ok());
               EXPECT_EQ(e.error().message, path + ":2: the top level workers must be an integer from 1 to 256, got \"two\"");
               int pages = 500;
               e = t.get("pages", &pages, 1, 1000);
               ASSERT_FALSE(e.ok());
               EXPECT_EQ(e.error().message, path + ":3: the top level pages must be an integer from 1 to 1000, got 0");
               double secs = 1;
               e = t.get("secs", &secs, 0.1, 60.0);
               ASSERT_FALSE(e.ok());
               EXPECT_EQ(e.error().message.rfind(path + ":4: ", 0), 0u) << e.error().message;
               int big = 0;  // beyond int: refused by the range, never truncated
               EXPECT_FALSE(t.get("big", &big, 0, 1000000).ok());
               std::vector<std::string> list;
               e = t.get("list", &list);
               ASSERT_FALSE(e.ok());
               EXPECT_EQ(e.error().message, path + ":6: the top level list must contain only strings, got an integer");
               uint64_t neg = 0;
               EXPECT_FALSE(t.get("neg", &neg, 0, 10).ok()) << "a negative value is not an unsigned one";
               std::string s;
               e = t.get("pages", &s);
               ASSERT_FALSE(e.ok());
               EXPECT_EQ(e.error().message, path + ":3: the top level pages must be a string, got an integer");
             });
}

TEST_F(TomlReaderTest, UnknownKeysAreRefusedAtTheirLine) {
  with_table("known = 1\n\ntypo = 2\n", [](const TomlTable& t, const std::string& path) {
    EXPECT_TRUE(t.check_keys({"known", "typo"}).ok());
    auto e = t.check_keys({"known"});
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.error().message, path + ":3: unknown key 'typo' in the top level");
  });
}

TEST_F(TomlReaderTest, TablesAndArraysOfTablesSayWhereTheyAre) {
  with_table("[limits]\nmax_pages = 0\n[[mail]]\nname = \"a\"\n[[mail]]\nname = 5\n[web.inner]\nx = 1\n",
             [](const TomlTable& t, const std::string& path) {
               auto limits = t.table("limits");
               ASSERT_TRUE(limits.ok());
               ASSERT_TRUE(limits->has_value());
               EXPECT_EQ((*limits)->where(), "[limits]");
               int pages = 1;
               auto e = (*limits)->get("max_pages", &pages, 1, 10);
               ASSERT_FALSE(e.ok());
               EXPECT_EQ(e.error().message, path + ":2: [limits] max_pages must be an integer from 1 to 10, got 0");
               auto mail = t.tables("mail");
               ASSERT_TRUE(mail.ok());
               ASSERT_EQ(mail->size(), 2u);
               EXPECT_EQ((*mail)[1].where(), "[[mail]] #2");
               std::string name;
               e = (*mail)[1].get("name", &name);
               ASSERT_FALSE(e.ok());
               EXPECT_EQ(e.error().message, path + ":6: [[mail]] #2 name must be a string, got an integer");
               auto web = t.table("web");
               ASSERT_TRUE(web.ok() && web->has_value());
               auto inner = (*web)->table("inner");
               ASSERT_TRUE(inner.ok() && inner->has_value());
               EXPECT_EQ((*inner)->where(), "[web.inner]");
               auto absent = t.table("daemon");
               ASSERT_TRUE(absent.ok());
               EXPECT_FALSE(absent->has_value());
               // A key holding the wrong kind of value for a table or an array of tables.
               auto not_table = (*mail)[0].table("name");
               ASSERT_FALSE(not_table.ok());
               EXPECT_EQ(not_table.error().message.rfind(path + ":4: ", 0), 0u) << not_table.error().message;
               auto not_array = t.tables("limits");
               ASSERT_FALSE(not_array.ok());
               EXPECT_NE(not_array.error().message.find("must be an array of tables"), std::string::npos);
             });
}

}  // namespace
}  // namespace clee
