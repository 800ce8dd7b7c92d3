// load_packet through the Env: symbolic links (to /etc/passwd, to themselves), FIFOs and litter in
// a packet folder are never read or stored; limits on depth and count; file-system failures are
// typed errors, never exceptions.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "base/litter.h"
#include "pipeline/runner.h"
#include "tests/support/fault_env.h"

namespace clee {
namespace {
namespace fs = std::filesystem;

// The files a packet holds (read or by path) and the entries it refused, by label.
std::vector<std::string> held(const Packet& p) {
  std::vector<std::string> out;
  for (const auto& f : p.files)
    if (!f.refused) out.push_back(f.label);
  return out;
}
std::map<std::string, Error> refused(const Packet& p) {
  std::map<std::string, Error> out;
  for (const auto& f : p.files)
    if (f.refused) out[f.label] = *f.refused;
  return out;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class LoadPacket : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "/load-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_ + "/packet");
    std::ofstream(dir_ + "/packet/form.txt") << "CLEE Request Form\nCourse Title: Links\n";
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string packet() const { return dir_ + "/packet"; }
  std::string dir_;
};

TEST_F(LoadPacket, SymlinkToEtcPasswdIsNeitherReadNorStored) {
  std::string passwd = slurp("/etc/passwd");
  ASSERT_FALSE(passwd.empty());
  fs::create_symlink("/etc/passwd", packet() + "/passwd.txt");
  fs::create_directories(packet() + "/sub");
  fs::create_directory_symlink("/etc", packet() + "/sub/etc");  // a folder link is not walked either
  auto p = load_packet(packet(), Limits{});
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(held(*p), std::vector<std::string>{"form.txt"});
  auto r = refused(*p);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r["passwd.txt"].code, Code::kUnsafeEntry);
  EXPECT_EQ(r["passwd.txt"].message, "symbolic link, not followed");
  EXPECT_EQ(r["sub/etc"].code, Code::kUnsafeEntry);
  for (const auto& f : p->files) {
    EXPECT_EQ(f.bytes.find("root:"), std::string::npos) << f.label;
    if (f.refused) {
      EXPECT_TRUE(f.bytes.empty() && f.path.empty() && f.sha256.empty()) << f.label;
    }
  }
}

TEST_F(LoadPacket, AFolderOfLinksAloneIsNoPacket) {
  fs::remove(packet() + "/form.txt");
  fs::create_symlink("/etc/passwd", packet() + "/passwd.txt");
  auto p = load_packet(packet(), Limits{});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, Code::kUnsafeEntry);
}

TEST_F(LoadPacket, AFileOverTheLimitIsNamedByPathNotReadNorCut) {
  std::string big(5000, 'x');
  std::ofstream(packet() + "/big.bin") << big;
  Limits limits;
  limits.max_file_bytes = 1024;
  auto p = load_packet(packet(), limits);
  ASSERT_TRUE(p) << p.error().message;
  ASSERT_EQ(p->files.size(), 2u);
  const SourceFile& f = p->files[0];
  EXPECT_EQ(f.label, "big.bin");
  EXPECT_TRUE(f.bytes.empty());  // not read into memory
  EXPECT_EQ(f.size, 5000u);      // its whole size, not limit+1
  EXPECT_EQ(f.path, packet() + "/big.bin");
  EXPECT_FALSE(f.refused);
  EXPECT_TRUE(p->files[1].held());
}

TEST_F(LoadPacket, SelfReferencingLinkAndFifoDoNotThrowOrBlock) {
  fs::create_symlink("loop", packet() + "/loop");  // ELOOP for anything that follows it
  ASSERT_EQ(::mkfifo((packet() + "/pipe").c_str(), 0600), 0);  // a read would block forever
  auto p = load_packet(packet(), Limits{});
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(held(*p), std::vector<std::string>{"form.txt"});
  auto r = refused(*p);
  EXPECT_EQ(r["loop"].message, "symbolic link, not followed");
  EXPECT_EQ(r["pipe"].code, Code::kUnsafeEntry);
  EXPECT_NE(r["pipe"].message.find("not a regular file"), std::string::npos);
}

TEST_F(LoadPacket, APathThatIsItselfALinkIsRefused) {
  fs::create_symlink(packet(), dir_ + "/link");
  auto p = load_packet(dir_ + "/link", Limits{});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, Code::kUnsafeEntry);
  fs::create_symlink("/etc/passwd", dir_ + "/file-link");
  p = load_packet(dir_ + "/file-link", Limits{});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, Code::kUnsafeEntry);
}

TEST_F(LoadPacket, LitterIsSkippedWithTheOneList) {
  // Each of these was ingested by the walker's own, shorter list before (".swp" among them).
  for (const char* name : {"report.docx.swp", "~$form.docx", ".DS_Store", "Thumbs.db", "x.pdf.part", "notes.txt~"}) {
    ASSERT_TRUE(is_litter_name(name)) << name;
    std::ofstream(packet() + "/" + name) << "litter";
  }
  fs::create_directories(packet() + "/__MACOSX");
  std::ofstream(packet() + "/__MACOSX/._form.txt") << "litter";
  auto p = load_packet(packet(), Limits{});
  ASSERT_TRUE(p) << p.error().message;
  ASSERT_EQ(p->files.size(), 1u);  // not even named: litter is not the provider's
  EXPECT_EQ(p->files[0].label, "form.txt");
}

TEST_F(LoadPacket, NestedFoldersAreLabelledAndSortedAndBoundedInDepth) {
  fs::create_directories(packet() + "/b/c");
  std::ofstream(packet() + "/b/c/cv.txt") << "CV";
  std::ofstream(packet() + "/a.txt") << "A";
  std::string deep = packet();
  for (int i = 0; i < 12; ++i) deep += "/d" + std::to_string(i);
  fs::create_directories(deep);
  std::ofstream(deep + "/too-deep.txt") << "deep";
  auto p = load_packet(packet(), Limits{});
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(held(*p), (std::vector<std::string>{"a.txt", "b/c/cv.txt", "form.txt"}));
  auto r = refused(*p);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r.begin()->first, "d0/d1/d2/d3/d4/d5/d6/d7/d8");
  EXPECT_EQ(r.begin()->second.code, Code::kLimitExceeded);
}

TEST_F(LoadPacket, MoreFilesThanTheLimitIsATypedError) {
  for (int i = 0; i < 5; ++i) std::ofstream(packet() + "/f" + std::to_string(i) + ".txt") << i;
  Limits limits;
  limits.max_entries = 3;
  auto p = load_packet(packet(), limits);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, Code::kLimitExceeded);
}

TEST_F(LoadPacket, FileSystemFailuresAreTypedErrorsThroughTheEnv) {
  test::FaultEnv env;
  env.fail(test::FaultEnv::Op::kList, Code::kIoError);
  auto p = load_packet(packet(), Limits{}, &env);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, Code::kIoError);
  env.heal();
  env.fail(test::FaultEnv::Op::kRead, Code::kReadOnly);
  p = load_packet(packet(), Limits{}, &env);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, Code::kReadOnly);
  env.heal();
  p = load_packet(packet(), Limits{}, &env);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_GT(env.calls(test::FaultEnv::Op::kList), 0);  // it walked through the Env
}

TEST_F(LoadPacket, MissingPathIsUnreadable) {
  auto p = load_packet(dir_ + "/nothing-here", Limits{});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, Code::kUnreadableDocument);
}

}  // namespace
}  // namespace clee
