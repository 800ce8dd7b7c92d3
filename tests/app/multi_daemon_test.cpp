// Several daemons for one office on one PostgreSQL store, for availability: three daemon
// processes (three lease owners, as three hosts would be) share one database, one data folder,
// one inbox and one Maildir. 300 packets arrive (200 in the inbox, 100 by mail) while a daemon is
// SIGKILLed several times — at random, and every other time the one working the inbox — and
// restarted. Afterwards: every packet is in the queue once (0 lost, 0 doubled), checked exactly
// once, none stuck in received or processing; every inbox item and message was acknowledged once;
// the inbox was taken over by another daemon when its holder died. Then reviewers in several
// processes approve at once and get distinct, consecutive CLEE IDs.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/support/pg_server.h"
#include "tests/support/shell.h"

namespace {
namespace fs = std::filesystem;

using clee::test::run;

class MultiDaemon : public ::testing::Test {
 protected:
  static constexpr int kDaemons = 3, kInbox = 200, kMail = 100;

  void SetUp() override {
    root_ = fs::path(testing::TempDir()) / ("multi-daemon-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    for (const char* d : {"inbox", "Maildir/new", "Maildir/cur", "Maildir/tmp", "stage"}) fs::create_directories(root_ / d);
    std::string url = clee::test::PgServer::shared().new_database();
    ASSERT_FALSE(url.empty());
    std::ofstream(config()) << "data_dir = \"" << (root_ / "data").string() << "\"\n"
                            << "store = \"" << url << "\"\n"
                            << "[inbox]\npath = \"" << (root_ / "inbox").string() << "\"\nstability_seconds = 0.3\n"
                            << "rescan_seconds = 1.0\n[daemon]\nworkers = 2\nmail_interval_seconds = 1.0\n"
                            << "lease_seconds = 30\n"
                            << "[[mail]]\nname = \"office\"\nmaildir = \"" << (root_ / "Maildir").string() << "\"\n";
  }
  void TearDown() override {
    for (pid_t& pid : pids_)
      if (pid > 0) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
      }
    fs::remove_all(root_);
  }
  std::string config() const { return (root_ / "clee-intake.toml").string(); }
  fs::path log(int d) const { return root_ / ("daemon" + std::to_string(d) + ".log"); }

  void start(int d) {
    pid_t pid = fork();
    if (pid == 0) {
      std::string l = log(d).string();
      execl(CLEE_BINARY, CLEE_BINARY, "--log-level", "info", "--log-file", l.c_str(), "--config", config().c_str(), "daemon",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    pids_[static_cast<size_t>(d)] = pid;
  }
  void kill_daemon(int d) {
    kill(pids_[static_cast<size_t>(d)], SIGKILL);
    waitpid(pids_[static_cast<size_t>(d)], nullptr, 0);
    pids_[static_cast<size_t>(d)] = -1;
  }
  // Lines of daemon d's log that say it took the inbox over, each as its timestamp
  // ("[YYYY-MM-DD HH:MM:SS.mmm] ..." sorts as text).
  std::vector<std::string> inbox_takes(int d) {
    std::vector<std::string> out;
    std::ifstream in(log(d));
    std::string want = "inbox:" + (root_ / "inbox").string() + ": this daemon works it now";
    for (std::string line; std::getline(in, line);)
      if (line.find(want) != std::string::npos) out.push_back(line.substr(0, 25));
    return out;
  }
  // The daemon that took the inbox last (-1: none yet).
  int inbox_holder() {
    int holder = -1;
    std::string latest;
    for (int d = 0; d < kDaemons; ++d)
      for (const auto& t : inbox_takes(d))
        if (t > latest) {
          latest = t;
          holder = d;
        }
    return holder;
  }
  int inbox_takeovers() {
    size_t n = 0;
    for (int d = 0; d < kDaemons; ++d) n += inbox_takes(d).size();
    return static_cast<int>(n);
  }
  void drop_inbox(int i) {
    fs::path tmp = root_ / "stage" / ("p" + std::to_string(i));
    std::ofstream(tmp) << "CLEE Request Form\nCourse Title: Shared inbox course " << i << "\nCredit Hours: 4\n";
    fs::rename(tmp, root_ / "inbox" / ("packet" + std::to_string(i) + ".txt"));
  }
  void drop_mail(int i) {
    fs::path tmp = root_ / "Maildir" / "tmp" / ("m" + std::to_string(i));
    std::ofstream(tmp) << "From: Provider " << i << " <p" << i << "@example.org>\r\nTo: clee@pa.gov\r\n"
                       << "Subject: CLEE request " << i << "\r\nMessage-ID: <multi-" << i << "@example.org>\r\n"
                       << "Date: Mon, 02 Nov 2026 10:15:00 -0500\r\nMIME-Version: 1.0\r\n"
                       << "Content-Type: text/plain; charset=utf-8\r\n\r\n"
                       << "CLEE Request Form\r\nCourse Title: Mail course " << i << "\r\nCredit Hours: 3\r\n";
    fs::rename(tmp, root_ / "Maildir" / "new" / ("17000000" + std::to_string(i) + ".M" + std::to_string(i) + ".host"));
  }
  nlohmann::json queue() {
    auto j = nlohmann::json::parse(run(std::string(CLEE_BINARY) + " --log-level off --config " + config() + " queue list --json"),
                                   nullptr, false);
    return j.is_array() ? j : nlohmann::json::array();
  }
  size_t files_in(const fs::path& dir) {
    size_t n = 0;
    if (fs::exists(dir))
      for (auto& e : fs::directory_iterator(dir)) n += e.is_regular_file();
    return n;
  }
  // Waits (bounded) until every packet is in the queue, checked, and every source item settled.
  bool settle() {
    for (int i = 0; i < 1800; ++i) {
      auto q = queue();
      size_t done = 0;
      for (const auto& p : q) done += p["status"] != "received" && p["status"] != "processing";
      if (q.size() == kInbox + kMail && done == q.size() && files_in(root_ / "inbox") == 0 &&
          files_in(root_ / "Maildir" / "new") == 0)
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  fs::path root_;
  std::vector<pid_t> pids_ = std::vector<pid_t>(kDaemons, -1);
};

TEST_F(MultiDaemon, ThreeDaemonsOnePostgresKilledAtRandomLoseNothingDoubleNothing) {
  for (int d = 0; d < kDaemons; ++d) start(d);
  std::mt19937 rng(static_cast<unsigned>(::getpid()));
  int inbox_next = 0, mail_next = 0, kills = 0, holder_kills = 0;
  // Arrivals in rounds; after each round one daemon is killed and started again.
  for (int round = 0; round < 6; ++round) {
    for (int k = 0; k < kInbox / 6 + 1 && inbox_next < kInbox; ++k) drop_inbox(inbox_next++);
    for (int k = 0; k < kMail / 6 + 1 && mail_next < kMail; ++k) drop_mail(mail_next++);
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(600, 1800)(rng)));
    int victim = std::uniform_int_distribution<int>(0, kDaemons - 1)(rng);
    if (round % 2 == 1 && inbox_holder() >= 0) {
      victim = inbox_holder();
      ++holder_kills;
    }
    kill_daemon(victim);
    ++kills;
    std::printf("round %d: killed daemon %d (%zu packets queued)\n", round, victim, queue().size());
    start(victim);
  }
  ASSERT_EQ(inbox_next, kInbox);
  ASSERT_EQ(mail_next, kMail);
  ASSERT_TRUE(settle()) << queue().size() << " packets queued; inbox " << files_in(root_ / "inbox") << ", new "
                        << files_in(root_ / "Maildir" / "new");
  auto q = queue();
  std::set<std::string> sources, ids;
  std::map<std::string, int> statuses;
  for (const auto& p : q) {
    sources.insert(p["source"].get<std::string>());
    ids.insert(p["id"].get<std::string>());
    statuses[p["status"].get<std::string>()]++;
  }
  EXPECT_EQ(q.size(), static_cast<size_t>(kInbox + kMail));  // none lost
  EXPECT_EQ(sources.size(), q.size());                        // none doubled
  EXPECT_EQ(statuses["received"] + statuses["processing"] + statuses["failed"], 0) << nlohmann::json(statuses).dump();
  // Checked exactly once each: a check cut short by a kill never saved, and was redone once.
  int duplicates = 0, redone = 0;
  for (const auto& id : ids) {
    auto shown = nlohmann::json::parse(run(std::string(CLEE_BINARY) + " --log-level off --config " + config() + " show " + id +
                                           " --format json"),
                                       nullptr, false);
    int checked = 0;
    for (const auto& e : shown["audit"]) {
      checked += e["action"] == "checked";
      duplicates += e["action"] == "duplicate_packet";
      redone += e["action"] == "requeued" || e["action"] == "lease_taken_over";
    }
    EXPECT_EQ(checked, 1) << id << ": " << shown["audit"].dump();
  }
  std::printf("%d kills (%d of the inbox's holder), %d inbox take-overs, %d checks redone, %d items offered twice\n",
              kills, holder_kills, inbox_takeovers(), redone, duplicates);
  // One daemon works the inbox at a time: an item is offered again only when a daemon died
  // between committing it and moving it out (at most one per worker per kill). Three daemons
  // all watching the inbox would each take most items.
  EXPECT_LE(duplicates, kills * 2);
  EXPECT_EQ(files_in(root_ / "inbox" / ".processed"), static_cast<size_t>(kInbox));
  EXPECT_EQ(files_in(root_ / "Maildir" / "cur"), static_cast<size_t>(kMail));
  EXPECT_GE(kills, 6);
  // Each time the inbox's holder was killed another daemon (or its own restart) took it over.
  EXPECT_GE(inbox_takeovers(), 1 + holder_kills);
}

TEST_F(MultiDaemon, ApprovalsFromSeveralProcessesAtOnceGetConsecutiveCleeIds) {
  for (int i = 0; i < 40; ++i) drop_inbox(i);
  for (int d = 0; d < kDaemons; ++d) start(d);
  nlohmann::json q;
  for (int i = 0; i < 1200; ++i) {
    q = queue();
    size_t done = 0;
    for (const auto& p : q) done += p["status"] == "needs_information" || p["status"] == "ready_for_review";
    if (q.size() == 40 && done == 40) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(q.size(), 40u);
  // Four reviewers' shells, each approving ten packets one after the other, all at once.
  std::vector<pid_t> reviewers;
  for (int r = 0; r < 4; ++r) {
    std::string script;
    for (int k = r; k < 40; k += 4)
      script += std::string(CLEE_BINARY) + " --log-level off --config " + config() + " approve " +
                q[static_cast<size_t>(k)]["id"].get<std::string>() + " --reviewer r" + std::to_string(r) + " >>" +
                (root_ / ("approved" + std::to_string(r))).string() + " || exit 1\n";
    pid_t pid = fork();
    if (pid == 0) {
      execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    reviewers.push_back(pid);
  }
  for (pid_t pid : reviewers) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  std::set<std::string> clee_ids;
  for (const auto& p : queue()) clee_ids.insert(p["clee_id"].is_string() ? p["clee_id"].get<std::string>() : "");
  std::time_t now = std::time(nullptr);
  int year = std::gmtime(&now)->tm_year + 1900;
  std::set<std::string> expected;
  for (int i = 1; i <= 40; ++i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "CLEE-%d-%04d", year, i);
    expected.insert(buf);
  }
  EXPECT_EQ(clee_ids, expected);
}

}  // namespace
