// base/env: the POSIX Env never follows a link or blocks on a FIFO when reading, writes durably
// without leaving temp files behind on failure, hashes what it copies, lists links as links, and
// runs children with exit codes, signals, wall-time kills and bounded output.
#include "base/env.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "base/hash.h"

namespace clee {
namespace {

namespace fs = std::filesystem;

class EnvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("clee-env-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string put(const std::string& name, const std::string& bytes) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  // Names in the folder that look like write_durably's temp files ("NAME.tmp.PID.N").
  std::vector<std::string> temp_files() {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_))
      if (e.path().filename().string().find(".tmp.") != std::string::npos) out.push_back(e.path().filename());
    return out;
  }

  Env* env_ = Env::Default();
  std::string dir_;
};

TEST_F(EnvTest, ReadFileReadsRegularFilesWithinTheLimit) {
  std::string path = put("a.txt", "hello\nworld");
  auto r = env_->read_file(path);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "hello\nworld");
  auto over = env_->read_file(path, 5);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, Code::kLimitExceeded);
  auto missing = env_->read_file(dir_ + "/absent");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Code::kNotFound);
  EXPECT_NE(missing.error().message.find(dir_ + "/absent"), std::string::npos) << "the message names the path";
}

TEST_F(EnvTest, ReadFileAndStreamFileRefuseASymlink) {
  std::string target = put("secret.txt", "password hashes");
  std::string link = dir_ + "/link.pdf";
  fs::create_symlink(target, link);
  auto r = env_->read_file(link);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Code::kUnsafeEntry);
  EXPECT_NE(r.error().message.find("symbolic link"), std::string::npos) << r.error().message;
  std::string seen;
  Status s = env_->stream_file(link, [&](std::string_view c) {
    seen.append(c);
    return Status::Ok();
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kUnsafeEntry);
  EXPECT_EQ(seen, "") << "not one byte of the link's target is read";
}

TEST_F(EnvTest, ReadFileRefusesAFifoWithoutBlocking) {
  std::string fifo = dir_ + "/pipe.pdf";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Nobody writes to the FIFO: a blocking open would hang this test.
  auto r = env_->read_file(fifo);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Code::kUnsafeEntry);
  Status s = env_->stream_file(fifo, [](std::string_view) { return Status::Ok(); });
  EXPECT_EQ(s.code(), Code::kUnsafeEntry);
  auto folder = env_->read_file(dir_);
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.error().code, Code::kUnsafeEntry);
}

TEST_F(EnvTest, StreamFileHandsOverEveryByteAndStopsAtTheFirstError) {
  std::string big(3 * (1 << 20) + 12345, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7 % 251);
  std::string path = put("big.bin", big);
  std::string got;
  int chunks = 0;
  Status s = env_->stream_file(path, [&](std::string_view c) {
    got.append(c);
    ++chunks;
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(got, big);
  EXPECT_GT(chunks, 1) << "a large file arrives in pieces (bounded memory)";
  int calls = 0;
  s = env_->stream_file(path, [&](std::string_view) {
    ++calls;
    return Status(Error{Code::kNoSpace, "disk full"});
  });
  EXPECT_EQ(s.code(), Code::kNoSpace);
  EXPECT_EQ(s.error().message, "disk full");
  EXPECT_EQ(calls, 1);
}

TEST_F(EnvTest, WriteDurablyReplacesTheFileAndLeavesNoTemp) {
  std::string path = dir_ + "/report.json";
  ASSERT_TRUE(env_->write_durably(path, "first").ok());
  ASSERT_TRUE(env_->write_durably(path, "second").ok());
  auto r = env_->read_file(path);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "second");
  EXPECT_TRUE(temp_files().empty());
}

TEST_F(EnvTest, WriteDurablyLeavesNoTempWhenTheRenameFails) {
  // The destination is a non-empty folder: the temp file is made and written, the rename fails.
  std::string path = dir_ + "/occupied";
  fs::create_directories(path + "/inside");
  Status s = env_->write_durably(path, "bytes that never land");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find(path), std::string::npos) << s.error().message;
  EXPECT_TRUE(temp_files().empty()) << temp_files().front();
  EXPECT_TRUE(fs::is_directory(path + "/inside")) << "what was there is untouched";
  // A folder that does not exist: nothing is created at all.
  Status missing = env_->write_durably(dir_ + "/no/such/folder/x", "x");
  EXPECT_EQ(missing.code(), Code::kNotFound);
}

TEST_F(EnvTest, CopyDurablyCopiesAndHashesTheBytes) {
  std::string from = put("in.pdf", "abc");
  std::string to = dir_ + "/out.pdf";
  std::string sha;
  ASSERT_TRUE(env_->copy_durably(from, to, &sha).ok());
  // FIPS 180-2, appendix B.1: SHA-256("abc").
  EXPECT_EQ(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(*env_->read_file(to), "abc");
  std::string big(5 << 20, 'x');
  std::string big_from = put("big.bin", big);
  ASSERT_TRUE(env_->copy_durably(big_from, dir_ + "/big.copy", &sha).ok());
  EXPECT_EQ(sha, sha256_hex(big));
  EXPECT_TRUE(temp_files().empty());
}

TEST_F(EnvTest, CopyDurablyRefusesALinkAndLeavesNoTemp) {
  std::string target = put("secret.txt", "secret");
  std::string link = dir_ + "/link";
  fs::create_symlink(target, link);
  std::string sha = "unchanged";
  Status s = env_->copy_durably(link, dir_ + "/copy", &sha);
  EXPECT_EQ(s.code(), Code::kUnsafeEntry);
  EXPECT_FALSE(fs::exists(dir_ + "/copy"));
  EXPECT_TRUE(temp_files().empty());
  EXPECT_EQ(sha, "unchanged");
}

TEST_F(EnvTest, ListDirAndStatReportLinksAsLinks) {
  put("file.pdf", "x");
  fs::create_directories(dir_ + "/sub");
  fs::create_symlink(dir_ + "/file.pdf", dir_ + "/to_file");
  fs::create_symlink(dir_ + "/sub", dir_ + "/to_dir");
  fs::create_symlink("/nonexistent/target", dir_ + "/dangling");
  fs::create_symlink("self", dir_ + "/self");  // a link to itself (ELOOP when followed)
  ASSERT_EQ(::mkfifo((dir_ + "/fifo").c_str(), 0600), 0);
  auto entries = env_->list_dir(dir_);
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  std::map<std::string, FileType> types;
  for (const auto& e : *entries) types[e.name] = e.type;
  std::map<std::string, FileType> want = {{"file.pdf", FileType::kRegular}, {"sub", FileType::kDirectory},
                                          {"to_file", FileType::kSymlink},  {"to_dir", FileType::kSymlink},
                                          {"dangling", FileType::kSymlink}, {"self", FileType::kSymlink},
                                          {"fifo", FileType::kOther}};
  EXPECT_EQ(types, want);
  auto st = env_->stat(dir_ + "/to_dir");
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->type, FileType::kSymlink);
  EXPECT_EQ(env_->stat(dir_ + "/absent").error().code, Code::kNotFound);
  // A folder given through a link is not listed either.
  EXPECT_FALSE(env_->list_dir(dir_ + "/to_dir").ok());
  // Removing a link removes the link, never its target.
  ASSERT_TRUE(env_->remove(dir_ + "/to_file").ok());
  EXPECT_TRUE(fs::exists(dir_ + "/file.pdf"));
  EXPECT_TRUE(env_->remove(dir_ + "/to_file").ok()) << "already absent is fine";
}

TEST_F(EnvTest, RunChildReportsTheExitCodeAndFeedsStdin) {
  ChildSpec spec;
  spec.argv = {"/bin/sh", "-c", "cat; exit 3"};
  spec.input = "from the parent";
  ChildResult r = env_->run_child(spec);
  EXPECT_TRUE(r.started);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.signal, 0);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.output, "from the parent");
}

TEST_F(EnvTest, RunChildReportsTheSignalThatEndedIt) {
  ChildSpec spec;
  spec.argv = {"/bin/sh", "-c", "kill -TERM $$"};
  ChildResult r = env_->run_child(spec);
  EXPECT_TRUE(r.started);
  EXPECT_EQ(r.signal, SIGTERM);
  EXPECT_FALSE(r.timed_out);
}

TEST_F(EnvTest, RunChildKillsAChildAtTheWallTimeDeadline) {
  ChildSpec spec;
  spec.argv = {"/bin/sleep", "600"};
  spec.wall_seconds = 0.3;
  ChildResult r = env_->run_child(spec);
  EXPECT_TRUE(r.started);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.signal, SIGKILL);
}

TEST_F(EnvTest, RunChildCapsOutputAndErrors) {
  ChildSpec spec;
  spec.argv = {"/bin/sh", "-c", "head -c 100000 /dev/zero >&2; exec head -c 10000000 /dev/zero"};
  spec.max_output_bytes = 4096;
  spec.max_error_bytes = 100;
  ChildResult r = env_->run_child(spec);
  EXPECT_TRUE(r.started);
  EXPECT_TRUE(r.output_overflow);
  EXPECT_LE(r.output.size(), 4096u);
  EXPECT_EQ(r.errors.size(), 100u);
  EXPECT_EQ(r.signal, SIGKILL) << "killed for writing too much";
}

TEST_F(EnvTest, RunChildWithoutAProgram) {
  ChildResult none = env_->run_child(ChildSpec{});
  EXPECT_FALSE(none.started);
  EXPECT_FALSE(none.errors.empty());
  ChildSpec spec;
  spec.argv = {dir_ + "/no-such-program"};
  ChildResult r = env_->run_child(spec);
  EXPECT_TRUE(r.started) << "the fork worked";
  EXPECT_EQ(r.exit_code, 127) << "exec failed in the child";
}

TEST_F(EnvTest, ErrnoErrorsMapToCodesAndNameThePath) {
  EXPECT_EQ(errno_error("write", "/d/x", ENOSPC).code, Code::kNoSpace);
  EXPECT_EQ(errno_error("write", "/d/x", EDQUOT).code, Code::kNoSpace);
  EXPECT_EQ(errno_error("write", "/d/x", EROFS).code, Code::kReadOnly);
  EXPECT_EQ(errno_error("write", "/d/x", EACCES).code, Code::kReadOnly);
  EXPECT_EQ(errno_error("open", "/d/x", ENOENT).code, Code::kNotFound);
  EXPECT_EQ(errno_error("open", "/d/x", ELOOP).code, Code::kUnsafeEntry);
  EXPECT_EQ(errno_error("read", "/d/x", EIO).code, Code::kIoError);
  EXPECT_EQ(errno_error("open", "/d/x", ELOOP).message, "open /d/x: is a symbolic link (not followed)");
  EXPECT_EQ(errno_error("write", "/d/x", ENOSPC).message, "write /d/x: " + std::string(std::strerror(ENOSPC)));
}

TEST_F(EnvTest, UtcTimesFormatAndParse) {
  EXPECT_EQ(format_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_utc(1795000000), "2026-11-18T11:06:40Z");
  EXPECT_EQ(parse_utc("2026-11-18T11:06:40Z"), 1795000000.0);
  EXPECT_EQ(parse_utc("2026-11-18"), 1794960000.0);
  EXPECT_FALSE(parse_utc("2026-11-18T06:13:20").has_value());
  EXPECT_FALSE(parse_utc("yesterday").has_value());
  EXPECT_FALSE(parse_utc("").has_value());
}

}  // namespace
}  // namespace clee
