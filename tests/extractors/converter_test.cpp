// The LibreOffice converter: one warm instance serves many conversions; a hung or failing one is
// replaced; its private folder is removed; an instance orphaned by a crashed process is killed;
// without LibreOffice the error is typed. Needs soffice (skipped without it).
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>

#include "extractors/converter.h"
#include "extractors/sniff.h"
#include "test_util.h"

namespace clee {
namespace {
namespace fs = std::filesystem;

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("clee-conv-test-" + std::to_string(::getpid()) + "-" +
                                               std::to_string(reinterpret_cast<uintptr_t>(this) & 0xFFFF));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  size_t count(const std::string& prefix) const {
    size_t n = 0;
    for (auto& e : fs::directory_iterator(path)) n += e.path().filename().string().rfind(prefix, 0) == 0;
    return n;
  }
};

bool have_soffice() { return fs::exists("/usr/lib/libreoffice/program/soffice.bin"); }

TEST(Converter, WarmInstanceServesSeveralConversions) {
  if (!have_soffice()) GTEST_SKIP() << "LibreOffice not installed";
  TempDir tmp;
  {
    ConverterOptions opt;
    opt.work_dir = tmp.path.string();
    Converter c(Env::Default(), opt);
    Limits limits;
    auto a = c.convert(fixture("docs/formats/schedule.xls"), "xls", "xlsx", limits);
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(sniff_content(*a).kind, Kind::kXlsx);
    auto b = c.convert(fixture("docs/formats/outline_word2003.xml"), "xml", "docx", limits);
    ASSERT_TRUE(b) << b.error().message;
    EXPECT_EQ(sniff_content(*b).kind, Kind::kDocx);
    auto t = c.convert(fixture("docs/formats/outline.doc"), "doc", "txt:Text (encoded):UTF8", limits);
    ASSERT_TRUE(t) << t.error().message;
    EXPECT_NE(t->find("Apply conservation of linear momentum"), std::string::npos);
    Converter::Stats s = c.stats();
    EXPECT_EQ(s.conversions, 3);
    EXPECT_EQ(s.starts, 1);  // the later conversions were handed to the running instance
    EXPECT_EQ(tmp.count("clee-lo-"), 1u);
  }
  EXPECT_EQ(tmp.count("clee-lo-"), 0u);  // the private profile, HOME and jobs are gone
}

TEST(Converter, FailuresAreTypedAndTheInstanceReplaced) {
  if (!have_soffice()) GTEST_SKIP() << "LibreOffice not installed";
  TempDir tmp;
  ConverterOptions opt;
  opt.work_dir = tmp.path.string();
  Converter c(Env::Default(), opt);
  Limits limits;
  // A presentation cut short: LibreOffice cannot load it and writes nothing.
  std::string garbage = fixture("docs/formats/outline_slides.ppt").substr(0, 3000);
  auto bad = c.convert(garbage, "ppt", "pptx", limits);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Code::kUnreadableDocument);
  // A deadline too short to finish: killed, typed, the instance replaced, and the replacement
  // serves the next conversion.
  int starts = c.stats().starts;
  EXPECT_EQ(starts, 1);  // warm after the first conversion, failed or not
  Limits tight;
  tight.max_seconds = 0.05;
  auto slow = c.convert(fixture("docs/formats/outline_slides.ppt"), "ppt", "pptx", tight);
  ASSERT_FALSE(slow);
  EXPECT_EQ(slow.error().code, Code::kLimitExceeded);
  EXPECT_EQ(c.stats().starts, starts + 1);
  auto ok = c.convert(fixture("docs/formats/schedule.xls"), "xls", "xlsx", limits);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(c.stats().starts, starts + 1);
}

TEST(Converter, WithoutLibreOfficeTheErrorIsTyped) {
  TempDir tmp;
  ConverterOptions opt;
  opt.work_dir = tmp.path.string();
  opt.program = "/nonexistent/soffice.bin";
  Converter c(Env::Default(), opt);
  if (have_soffice()) {
    // The configured program is missing but the usual one exists: it is used instead.
    EXPECT_TRUE(c.available());
    return;
  }
  auto r = c.convert("x", "ppt", "pptx", Limits{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kUnsupportedFormat);
}

// An Env whose first reads of a pid file find it empty, as a reader could catch the file the
// instance's shell had created and not yet written.
class EmptyPidFilesFirst : public EnvWrapper {
 public:
  using EnvWrapper::EnvWrapper;
  Result<std::string> read_file(const std::string& p, uint64_t max) override {
    if (p.size() > 4 && p.compare(p.size() - 4, 4, ".pid") == 0 && empty_reads > 0) {
      --empty_reads;
      return std::string();
    }
    return EnvWrapper::read_file(p, max);
  }
  std::atomic<int> empty_reads{3};
};

// Found by the formats bench: a one-file `extract` converts on its own, starts the warm instance
// and exits at once; the stop read the new instance's pid file empty, killed nothing, and the
// process then waited out the instance's lifetime (900 s + 60). It is stopped in seconds now.
TEST(Converter, StoppingAJustStartedInstanceDoesNotWaitOutItsLifetime) {
  if (!have_soffice()) GTEST_SKIP() << "LibreOffice not installed";
  TempDir tmp;
  ConverterOptions opt;
  opt.work_dir = tmp.path.string();
  EmptyPidFilesFirst env(Env::Default());
  auto c = std::make_unique<Converter>(&env, opt);
  auto t = c->convert(fixture("docs/formats/outline.doc"), "doc", "txt:Text (encoded):UTF8", Limits{});
  ASSERT_TRUE(t) << t.error().message;
  ASSERT_EQ(c->stats().starts, 1);  // the warm instance was just started
  auto stopped = std::async(std::launch::async, [&] { c.reset(); });
  bool in_time = stopped.wait_for(std::chrono::seconds(60)) == std::future_status::ready;
  EXPECT_TRUE(in_time) << "the converter's destructor waited for an instance it did not kill";
  if (!in_time) {  // end the instance ourselves so the test can finish
    for (auto& dir : fs::directory_iterator(tmp.path))
      for (auto& f : fs::directory_iterator(dir.path()))
        if (f.path().filename().string().rfind("server-", 0) == 0) ::kill(-std::stoi(read_file(f.path().string())), SIGKILL);
  }
  stopped.wait();
  EXPECT_EQ(env.empty_reads.load(), 0) << "the pid file was read again until it held the pid";
}

TEST(Converter, InstanceLeftByACrashedProcessIsKilled) {
  if (!have_soffice()) GTEST_SKIP() << "LibreOffice not installed";
  TempDir tmp;
  // A folder no living converter holds the lock of.
  fs::path stale = tmp.path / "clee-lo-crashed-0";
  fs::create_directories(stale);
  // Its "LibreOffice": a process whose command line names the stale folder.
  pid_t orphan = fork();
  if (orphan == 0) {
    setsid();
    execl("/bin/sh", "sh", "-c", "sleep 300; true", stale.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  std::ofstream(stale / "server-1.pid") << orphan << "\n";
  // Wait until it runs the shell (the converter only kills a process whose command line names
  // the folder; before exec it is still a copy of this test).
  for (int i = 0; i < 200 && read_file("/proc/" + std::to_string(orphan) + "/cmdline").find(stale.string()) == std::string::npos; ++i)
    usleep(10000);
  ConverterOptions opt;
  opt.work_dir = tmp.path.string();
  Converter c(Env::Default(), opt);
  // A folder whose converter is alive (its owner lock held) is left alone.
  fs::path live = tmp.path / "clee-lo-live-0";
  fs::create_directories(live);
  auto held = Env::Default()->lock_file((live / "owner.lock").string());
  ASSERT_TRUE(held);
  ASSERT_TRUE(c.available());
  int status = 0;
  ASSERT_EQ(waitpid(orphan, &status, 0), orphan);  // it was killed, not left running
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(live));
}

}  // namespace
}  // namespace clee
