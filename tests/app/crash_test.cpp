// The crash test: 300 items arrive — inbox text files and folders, zips, Maildir messages (some
// reusing one Message-ID with different bytes, some identical copies), packet folders holding
// links to /etc/passwd and links to themselves, links at the top of the inbox and in Maildir/new —
// while the daemon is SIGKILLed 15 times at random moments. Then one clean run settles the rest.
// At the end: nothing lost (every distinct content is a packet, or its item is still in its
// source: the inbox, .failed/, Maildir/new, the quarantine), nothing doubled (one packet per
// distinct content, and no packet that is not one of them), nothing stuck in `processing`, and no
// link's target stored. It prints the figures.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "base/hash.h"
#include "tests/support/shell.h"

namespace {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

using clee::test::run;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write(const fs::path& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

// One item as it will arrive, and the content the queue must end up holding for it.
struct Item {
  enum Kind { kInbox, kMail } kind;
  std::string name;            // in the inbox, or in Maildir/new
  std::set<std::string> shas;  // the files a packet of it holds (empty: never a packet)
};

class Crash : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(testing::TempDir()) / ("crash-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    for (const char* d : {"inbox", "Maildir/new", "Maildir/cur", "Maildir/tmp", "stage/inbox", "stage/mail"})
      fs::create_directories(root_ / d);
    std::ofstream(config()) << "data_dir = \"" << (root_ / "data").string() << "\"\n"
                            << "[extract]\nocr = false\n"
                            << "[inbox]\npath = \"" << (root_ / "inbox").string() << "\"\nstability_seconds = 0.2\n"
                            << "rescan_seconds = 0.5\n[daemon]\nworkers = 2\nmail_interval_seconds = 1\n"
                            << "lease_seconds = 5\n"
                            << "[[mail]]\nname = \"office\"\nmaildir = \"" << (root_ / "Maildir").string() << "\"\n";
  }
  void TearDown() override {
    for (pid_t pid : started_)  // a test that stopped early must not leave its daemon running
      if (waitpid(pid, nullptr, WNOHANG) == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
      }
    if (!HasFailure()) fs::remove_all(root_);
  }
  std::string config() const { return (root_ / "clee-intake.toml").string(); }

  static std::string form(const std::string& what) {
    return "CLEE Request Form\nCourse Title: " + what + "\nCredit Hours: 4\nProvider Name: Crash Test Academy\n";
  }
  static std::string message(const std::string& id, const std::string& subject, const std::string& body) {
    return "From: Pat Provider <pat@academy.example>\r\nTo: clee@pa.example\r\nSubject: " + subject +
           "\r\nDate: Tue, 24 Nov 2026 09:00:00 +0000\r\nMessage-ID: <" + id +
           ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n";
  }

  // Stages the 300 items (arrival happens later, by rename, while the daemon runs and dies).
  void stage() {
    fs::path in = root_ / "stage/inbox", mail = root_ / "stage/mail";
    auto add_inbox_file = [&](const std::string& name, const std::string& bytes) {
      write(in / name, bytes);
      items_.push_back({Item::kInbox, name, {clee::sha256_hex(bytes)}});
    };
    for (int i = 0; i < 140; ++i) add_inbox_file("text" + std::to_string(i) + ".txt", form("Text packet " + std::to_string(i)));
    for (int i = 0; i < 10; ++i)  // identical copies under other names: duplicate_packet
      add_inbox_file("copy" + std::to_string(i) + ".txt", form("Text packet " + std::to_string(i * 7)));
    for (int i = 0; i < 40; ++i) {
      std::string name = "folder" + std::to_string(i);
      fs::create_directories(in / name / "cv");
      std::string f = form("Folder packet " + std::to_string(i)), cv = "Curriculum Vitae\nInstructor " + std::to_string(i) + "\n";
      write(in / name / "request.txt", f);
      write(in / name / "cv" / "instructor.txt", cv);
      if (i % 3 == 0) fs::create_symlink("/etc/passwd", in / name / "passwd.txt");
      if (i % 3 == 1) fs::create_symlink("loop", in / name / "cv" / "loop");
      if (i % 5 == 2) {
        ASSERT_EQ(::mkfifo((in / name / "pipe").c_str(), 0600), 0);
      }
      items_.push_back({Item::kInbox, name, {clee::sha256_hex(f), clee::sha256_hex(cv)}});
    }
    for (int i = 0; i < 20; ++i) {
      fs::path z = root_ / "stage" / ("z" + std::to_string(i));
      fs::create_directories(z);
      write(z / "request.txt", form("Zipped packet " + std::to_string(i)));
      write(z / "outline.txt", "Course Outline\nBlock 1: zipped " + std::to_string(i) + " (4 hours)\n");
      std::string zip = (in / ("zipped" + std::to_string(i) + ".zip")).string();
      ASSERT_EQ(std::system(("cd " + z.string() + " && /usr/bin/python3 -m zipfile -c " + zip + " request.txt outline.txt").c_str()), 0);
      items_.push_back({Item::kInbox, "zipped" + std::to_string(i) + ".zip", {clee::sha256_hex(slurp(zip))}});
    }
    for (int i = 0; i < 5; ++i) {  // links at the top of the inbox: .failed/, never followed
      fs::create_symlink(i % 2 ? "/etc/passwd" : "self" + std::to_string(i), in / ("self" + std::to_string(i)));
      items_.push_back({Item::kInbox, "self" + std::to_string(i), {}});
    }
    auto add_mail = [&](const std::string& name, const std::string& bytes) {
      write(mail / name, bytes);
      items_.push_back({Item::kMail, name, {clee::sha256_hex(bytes)}});
    };
    int n = 0;
    auto mail_name = [&] {
      ++n;
      return "17000" + std::to_string(10000 + n) + ".M" + std::to_string(n) + "P1.host";
    };
    for (int i = 0; i < 60; ++i)
      add_mail(mail_name(), message("m" + std::to_string(i) + "@academy.example", "Packet " + std::to_string(i),
                                    form("Mailed packet " + std::to_string(i))));
    for (int i = 0; i < 10; ++i)  // one Message-ID, ten different messages: ten packets
      add_mail(mail_name(), message("resent@academy.example", "Resent " + std::to_string(i), form("Resent packet " + std::to_string(i))));
    for (int i = 0; i < 5; ++i) {  // identical bytes twice: one packet, one duplicate_packet
      std::string bytes = message("twice" + std::to_string(i) + "@academy.example", "Twice", form("Twice " + std::to_string(i)));
      add_mail(mail_name(), bytes);
      add_mail(mail_name(), bytes);
    }
    for (int i = 0; i < 5; ++i) {  // links in new/: quarantined as themselves
      std::string name = mail_name();
      fs::create_symlink(i % 2 ? "/etc/passwd" : name, mail / name);
      items_.push_back({Item::kMail, name, {}});
    }
  }

  // Moves the next `count` staged items into their sources (an atomic rename each).
  void arrive(size_t count) {
    for (; count > 0 && next_ < order_.size(); --count, ++next_) {
      const Item& it = items_[order_[next_]];
      fs::path from = root_ / "stage" / (it.kind == Item::kInbox ? "inbox" : "mail") / it.name;
      fs::path to = it.kind == Item::kInbox ? root_ / "inbox" / it.name : root_ / "Maildir/new" / it.name;
      fs::rename(from, to);
    }
  }

  pid_t start() {
    pid_t pid = fork();
    if (pid == 0) {
      std::string log = (root_ / "daemon.log").string();
      execl(CLEE_BINARY, CLEE_BINARY, "--log-level", "info", "--log-file", log.c_str(), "--config", config().c_str(), "daemon",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    started_.push_back(pid);
    return pid;
  }

  // Nothing left to take: the sources are empty, and no packet is waiting or being checked.
  bool settled() {
    for (auto& e : fs::directory_iterator(root_ / "inbox"))
      if (e.path().filename().string()[0] != '.') return false;
    if (!fs::is_empty(root_ / "Maildir/new")) return false;
    auto q = nlohmann::json::parse(
        run(std::string(CLEE_BINARY) + " --log-level off --config " + config() + " queue list --json 2>/dev/null"), nullptr, false);
    if (q.is_discarded()) return false;  // refused for a moment (the daemon is opening it): ask again
    for (const auto& p : q)
      if (p["status"] == "received" || p["status"] == "processing") return false;
    return true;
  }

  fs::path root_;
  std::vector<Item> items_;
  std::vector<size_t> order_;
  size_t next_ = 0;
  std::vector<pid_t> started_;
};

// The queue as stored: packet id → the sha256 of each original it holds (refused entries, named
// but never stored, left out), and its status.
struct Stored {
  std::map<std::string, std::set<std::string>> files;
  std::map<std::string, std::string> status;
  int duplicate_events = 0;
};

Stored read_store(const fs::path& data) {
  Stored s;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2((data / "clee.sqlite").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return s;
  auto each = [&](const char* sql, const std::function<void(sqlite3_stmt*)>& row) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) return;
    while (sqlite3_step(st) == SQLITE_ROW) row(st);
    sqlite3_finalize(st);
  };
  auto text = [](sqlite3_stmt* st, int i) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, i))); };
  each("SELECT packet_id, sha256 FROM files WHERE refused IS NULL", [&](sqlite3_stmt* st) { s.files[text(st, 0)].insert(text(st, 1)); });
  each("SELECT id, status FROM packets", [&](sqlite3_stmt* st) { s.status[text(st, 0)] = text(st, 1); });
  each("SELECT count(*) FROM audit WHERE action='duplicate_packet'",
       [&](sqlite3_stmt* st) { s.duplicate_events = sqlite3_column_int(st, 0); });
  sqlite3_close(db);
  return s;
}

TEST_F(Crash, ThreeHundredItemsFifteenKillsNothingLostDoubledStuckOrEscaped) {
  auto t0 = Clock::now();
  stage();
  ASSERT_EQ(items_.size(), 300u);
  std::mt19937 rng(20261201);
  for (size_t i = 0; i < items_.size(); ++i) order_.push_back(i);
  std::shuffle(order_.begin(), order_.end(), rng);

  const int kKills = 15;
  for (int kill_no = 0; kill_no < kKills; ++kill_no) {
    pid_t pid = start();
    // A fifteenth of the items arrive while it runs, spread over the run; it is killed at a
    // random moment 0.3-1.5 s in — while it starts, claims, stores, checks or acknowledges.
    int run_ms = 300 + static_cast<int>(rng() % 1200);
    size_t batch = items_.size() / kKills;
    auto deadline = Clock::now() + std::chrono::milliseconds(run_ms);
    for (size_t i = 0; i < batch; ++i) {
      arrive(1);
      std::this_thread::sleep_for(std::chrono::milliseconds(run_ms / static_cast<int>(batch)));
    }
    std::this_thread::sleep_until(deadline);
    kill(pid, SIGKILL);
    int st = 0;
    waitpid(pid, &st, 0);
    ASSERT_TRUE(WIFSIGNALED(st)) << "the daemon ended by itself (exit " << WEXITSTATUS(st) << "); see " << root_ / "daemon.log";
  }
  size_t before_clean_run = read_store(root_ / "data").files.size();
  arrive(items_.size());
  pid_t pid = start();
  bool done = false;
  for (int i = 0; i < 600 && !(done = settled()); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(done) << "the last run did not settle within 120 s";
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the clean stop did not exit 0";

  Stored stored = read_store(root_ / "data");
  std::set<std::set<std::string>> packets;
  for (const auto& [id, shas] : stored.files) packets.insert(shas);
  std::set<std::set<std::string>> expected;
  for (const auto& it : items_)
    if (!it.shas.empty()) expected.insert(it.shas);

  // Where an item not in the queue may still be, whole: its source or the places set aside.
  auto still_in_source = [&](const Item& it) {
    if (it.kind == Item::kInbox)
      return fs::exists(fs::symlink_status(root_ / "inbox" / it.name)) ||
             fs::exists(fs::symlink_status(root_ / "inbox/.failed" / it.name));
    std::string unique = it.name.substr(0, it.name.find(':'));
    return fs::exists(fs::symlink_status(root_ / "Maildir/new" / it.name)) ||
           fs::exists(fs::symlink_status(root_ / "Maildir/.Quarantine/cur" / (unique + ":2,")));
  };
  int lost = 0, set_aside = 0;
  for (const auto& it : items_) {
    bool queued = !it.shas.empty() && packets.count(it.shas);
    if (!queued && !still_in_source(it)) {
      ++lost;
      ADD_FAILURE() << "lost: " << it.name;
    }
  }
  if (fs::exists(root_ / "inbox/.failed"))
    for (auto& e : fs::directory_iterator(root_ / "inbox/.failed")) {
      std::string n = e.path().filename().string();
      set_aside += n.size() < 11 || n.compare(n.size() - 11, 11, ".reason.txt") != 0;
    }
  if (fs::exists(root_ / "Maildir/.Quarantine/cur"))
    for (auto& e : fs::directory_iterator(root_ / "Maildir/.Quarantine/cur")) { (void)e; ++set_aside; }

  // Doubled: two packets for one content, or a packet that is no item's content (a partial read).
  int doubled = static_cast<int>(stored.files.size() - packets.size());
  for (const auto& p : packets)
    if (!expected.count(p)) {
      ++doubled;
      ADD_FAILURE() << "a packet that is no item's content (" << p.size() << " files)";
    }
  int stuck = 0;
  for (const auto& [id, st] : stored.status) stuck += st == "processing" || st == "received";

  // No link's target was stored.
  std::string passwd = slurp("/etc/passwd");
  bool escaped = false;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root_ / "data/objects", ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec) && slurp(it->path()).find(passwd) != std::string::npos) escaped = true;

  double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("crash test: %zu items, %d kills, %zu packets committed (%zu of them under the kills; %zu distinct contents "
              "expected), %d duplicates "
              "recognised, %d set aside (inbox .failed/ + Maildir quarantine), %d lost, %d doubled, %d stuck, "
              "passwd stored: %s, %.1f s\n",
              items_.size(), kKills, stored.files.size(), before_clean_run, expected.size(), stored.duplicate_events, set_aside, lost, doubled,
              stuck, escaped ? "YES" : "no", seconds);
  EXPECT_EQ(lost, 0);
  EXPECT_EQ(doubled, 0);
  EXPECT_EQ(stuck, 0);
  EXPECT_FALSE(escaped);
  EXPECT_EQ(stored.files.size(), expected.size());   // every distinct content committed in the end
  EXPECT_GE(stored.duplicate_events, 15);            // 10 inbox copies + 5 identical messages, at least
  EXPECT_GE(set_aside, 10);                          // the 5 + 5 links, at least
}

}  // namespace
