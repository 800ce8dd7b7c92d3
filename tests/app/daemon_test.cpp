// The daemon through the real binary and a real config file: inbox watcher, Maildir schedule and
// worker pool together; SIGTERM stops it cleanly (exit 0, nothing half-done); SIGKILL in the
// middle of work leaves packets `processing` that the next start redoes — each packet exactly once.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>
#include "tests/support/shell.h"

namespace {
namespace fs = std::filesystem;

using clee::test::run;

class Daemon : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(testing::TempDir()) / ("daemon-" + std::to_string(::getpid()) + "-" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    for (const char* d : {"inbox", "Maildir/new", "Maildir/cur", "Maildir/tmp"}) fs::create_directories(root_ / d);
    std::ofstream(config()) << "data_dir = \"" << (root_ / "data").string() << "\"\n"
                            << "[inbox]\npath = \"" << (root_ / "inbox").string() << "\"\nstability_seconds = 0.3\n"
                            << "rescan_seconds = 1.0\n[daemon]\nworkers = 2\nmail_interval_seconds = 1.0\n"
                            << "[[mail]]\nname = \"office\"\nmaildir = \"" << (root_ / "Maildir").string() << "\"\n";
  }
  void TearDown() override {
    // A test that stopped early must not leave its daemon running (it would hold ctest's pipe).
    for (pid_t pid : started_)
      if (waitpid(pid, nullptr, WNOHANG) == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
      }
    fs::remove_all(root_);
  }
  std::string config() const { return (root_ / "clee-intake.toml").string(); }
  pid_t start(bool once = false, const std::string& log_name = "daemon.log") {
    pid_t pid = fork();
    if (pid == 0) {
      std::string log = (root_ / log_name).string();
      execl(CLEE_BINARY, CLEE_BINARY, "--log-level", "info", "--log-file", log.c_str(), "--config", config().c_str(), "daemon",
            once ? "--once" : static_cast<char*>(nullptr), static_cast<char*>(nullptr));
      _exit(127);
    }
    started_.push_back(pid);
    return pid;
  }
  // The queue as `queue list --json` shows it. While a daemon is creating the data folder a
  // reader may be refused for a moment: asked again (bounded), never an exception.
  nlohmann::json queue() {
    std::string out;
    for (int i = 0; i < 50; ++i) {
      out = run(std::string(CLEE_BINARY) + " --log-level off --config " + config() + " queue list --json 2>/dev/null");
      auto j = nlohmann::json::parse(out, nullptr, false);
      if (!j.is_discarded()) return j;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "queue list --json gave no JSON: " << out;
    return nlohmann::json::array();
  }
  // Waits (bounded) until the queue holds `n` packets none of which is still being checked.
  bool settle(size_t n) {
    for (int i = 0; i < 1200; ++i) {
      auto q = queue();
      size_t done = 0;
      for (const auto& p : q) done += p["status"] != "received" && p["status"] != "processing";
      if (q.size() == n && done == n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }
  void drop(int i) {
    fs::path tmp = root_ / ("p" + std::to_string(i) + ".part");
    std::ofstream(tmp) << "CLEE Request Form\nCourse Title: Daemon course " << i << "\nCredit Hours: 4\n";
    fs::rename(tmp, root_ / "inbox" / ("packet" + std::to_string(i) + ".txt"));
  }
  fs::path root_;
  std::vector<pid_t> started_;
};

TEST_F(Daemon, InboxAndMaildirTogetherThenCleanShutdownOnSigterm) {
  pid_t pid = start();
  for (int i = 0; i < 12; ++i) drop(i);
  fs::copy(std::string(CLEE_SOURCE_DIR) + "/fixtures/packets/packet.eml", root_ / "Maildir" / "new" / "1700000000.M1P1.host");
  ASSERT_TRUE(settle(13)) << queue().dump();
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by a signal instead of stopping";
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_TRUE(fs::exists(root_ / "Maildir" / "cur" / "1700000000.M1P1.host:2,S"));
  int processed = 0;
  for (auto& e : fs::directory_iterator(root_ / "inbox" / ".processed")) processed += e.is_regular_file();
  EXPECT_EQ(processed, 12);
  std::ifstream log(root_ / "daemon.log");
  std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("intake service stopped"), std::string::npos);
}

TEST_F(Daemon, SigkillMidWorkIsRedoneAtRestartExactlyOnce) {
  const int kPackets = 40;
  for (int i = 0; i < kPackets; ++i) drop(i);
  pid_t pid = start();
  // Kill as soon as the first packet is being checked or done: the rest are mid-way or waiting.
  for (int i = 0; i < 600 && queue().empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  int held = 0;
  for (const auto& p : queue()) held += p["status"] == "processing";
  std::printf("killed with %d packet(s) queued, %d of them mid-check\n", static_cast<int>(queue().size()), held);
  pid = start(/*once=*/true);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status));
  auto q = queue();
  std::set<std::string> sources;
  for (const auto& p : q) {
    sources.insert(p["source"].get<std::string>());
    EXPECT_NE(p["status"], "processing") << p.dump();
    EXPECT_NE(p["status"], "received") << p.dump();
  }
  EXPECT_EQ(q.size(), static_cast<size_t>(kPackets));
  EXPECT_EQ(sources.size(), q.size());  // none doubled
  int left = 0;
  for (auto& e : fs::directory_iterator(root_ / "inbox")) left += e.path().filename().string()[0] != '.';
  EXPECT_EQ(left, 0);
}

// Two daemons on one inbox: each item is claimed by exactly one (an atomic rename into its claim
// folder), so every item ends in .processed/ exactly once and none gets a false .failed/ reason
// (before, the loser of the race reported "no such file" for an item the winner had committed).
TEST_F(Daemon, TwoDaemonsOnOneInboxSettleEachItemExactlyOnce) {
  const int kItems = 100;
  pid_t a = start(false, "a.log"), b = start(false, "b.log");
  for (int i = 0; i < kItems; ++i) drop(i);
  ASSERT_TRUE(settle(kItems)) << queue().dump();
  // Settled in the queue; wait (bounded) for the last acknowledgements to land.
  auto count = [&](const char* folder) {
    int n = 0;
    if (fs::exists(root_ / "inbox" / folder))
      for (auto& e : fs::directory_iterator(root_ / "inbox" / folder)) n += e.is_regular_file();
    return n;
  };
  for (int i = 0; i < 200 && count(".processed") + count(".failed") < kItems; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  kill(a, SIGTERM);
  kill(b, SIGTERM);
  waitpid(a, nullptr, 0);
  waitpid(b, nullptr, 0);
  auto ingested = [&](const char* log) {
    std::ifstream in(root_ / log);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) n += line.find("ingested from inbox:") != std::string::npos;
    return n;
  };
  std::printf("daemon a ingested %d, daemon b %d\n", ingested("a.log"), ingested("b.log"));
  std::set<std::string> processed;
  for (auto& e : fs::directory_iterator(root_ / "inbox" / ".processed")) processed.insert(e.path().filename().string());
  EXPECT_EQ(processed.size(), static_cast<size_t>(kItems));
  for (int i = 0; i < kItems; ++i) EXPECT_TRUE(processed.count("packet" + std::to_string(i) + ".txt")) << i;
  EXPECT_FALSE(fs::exists(root_ / "inbox" / ".failed")) << "a .failed/ reason for a committed item";
  EXPECT_EQ(queue().size(), static_cast<size_t>(kItems));
  // A clean stop leaves no claims behind.
  for (auto& e : fs::directory_iterator(root_ / "inbox" / ".claimed")) ADD_FAILURE() << "left: " << e.path();
}

}  // namespace
