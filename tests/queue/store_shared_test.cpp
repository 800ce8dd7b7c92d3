// One queue shared by several processes — on one host (SQLite) or many (PostgreSQL): workers that
// claim at once never take one packet twice (FOR UPDATE SKIP LOCKED), approvals from several
// processes take consecutive CLEE IDs, the same files recorded twice at once are one packet, an
// intake source is held by one process at a time and freed when it dies; on PostgreSQL a dropped
// connection is made again with its liveness lock, and a database that is not a queue is refused.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "tests/queue/store_fixture.h"

namespace clee {
namespace {

class SharedStoreTest : public StoreTest {
 protected:
  // Runs `body(k)` in `n` child processes at once (each with its own Store on this queue) and
  // waits for them; a child's exit status other than 0 fails the test.
  template <typename Body>
  void in_processes(int n, Body body) {
    store_.reset();  // a child never uses the parent's connection
    int go[2];
    ASSERT_EQ(pipe(go), 0);
    std::vector<pid_t> kids;
    for (int k = 0; k < n; ++k) {
      pid_t pid = fork();
      if (pid == 0) {
        close(go[1]);
        char c;
        (void)!read(go[0], &c, 1);  // start together
        auto s = Store::open(dir_, Env::Default(), options_);
        _exit(s ? body(**s, k) : 100);
      }
      kids.push_back(pid);
    }
    close(go[0]);
    close(go[1]);  // EOF releases every child at once
    for (pid_t pid : kids) {
      int status = 0;
      waitpid(pid, &status, 0);
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child exit " << WEXITSTATUS(status);
    }
    auto s = Store::open(dir_, &env_, options_);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }
  std::vector<std::string> lines(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> out;
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
  }
  size_t count_actions(const std::string& id, const std::string& action) {
    auto events = store_->audit(id);
    if (!events) return 0;
    size_t n = 0;
    for (const auto& e : events.value()) n += e.action == action;
    return n;
  }
};

TEST_P(SharedStoreTest, ClaimNextTakesTheOldestDuePacketAndSkipsWhatIsNotDue) {
  std::string first = receive("first"), second = receive("second"), third = receive("third");
  // The second failed transiently: not due until its backoff deadline.
  auto held = store_->claim(second, "w");
  ASSERT_TRUE(held);
  ASSERT_TRUE(store_->release_failed(*held, Error{Code::kBusy, "locked"}, "w"));
  auto a = store_->claim_next("w");
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(*a);
  EXPECT_EQ((*a)->packet_id, first);
  EXPECT_EQ(store_->get(first)->status, PacketStatus::kProcessing);
  auto b = store_->claim_next("w");
  ASSERT_TRUE(b && *b);
  EXPECT_EQ((*b)->packet_id, third);
  auto none = store_->claim_next("w");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  env_.advance(options_.retry_initial_seconds);
  auto later = store_->claim_next("w");
  ASSERT_TRUE(later && *later);
  EXPECT_EQ((*later)->packet_id, second);
}

// Four workers claim from one queue at once until it is empty: every packet is checked exactly
// once, and no claim fails (without SKIP LOCKED two workers pick the same oldest row on
// PostgreSQL and the second's claim fails).
TEST_P(SharedStoreTest, WorkersClaimingAtOnceTakeEachPacketExactlyOnce) {
  const int kPackets = 60;
  std::set<std::string> ids;
  for (int i = 0; i < kPackets; ++i) ids.insert(receive("shared packet " + std::to_string(i)));
  in_processes(4, [&](Store& s, int k) {
    std::ofstream out(dir_ + "/claimed-" + std::to_string(k));
    for (;;) {
      auto lease = s.claim_next("worker" + std::to_string(k));
      if (!lease) return 10;
      if (!*lease) return 0;
      out << (*lease)->packet_id << "\n" << std::flush;
      Report r;
      r.disposition = Disposition::kReadyForReview;
      if (!s.save_report(**lease, r, "worker")) return 11;
    }
  });
  std::multiset<std::string> claimed;
  for (int k = 0; k < 4; ++k)
    for (const auto& id : lines(dir_ + "/claimed-" + std::to_string(k))) claimed.insert(id);
  EXPECT_EQ(claimed.size(), ids.size());
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()), ids);
  for (const auto& id : ids) {
    EXPECT_EQ(store_->get(id)->status, PacketStatus::kReady) << id;
    EXPECT_EQ(count_actions(id, "checked"), 1u) << id;
  }
}

// Reviewers on several hosts approve at once: CLEE IDs are distinct and consecutive, no gaps.
TEST_P(SharedStoreTest, ApprovalsFromSeveralProcessesTakeConsecutiveCleeIds) {
  const int kPackets = 40, kProcs = 4;
  std::vector<std::string> ids;
  for (int i = 0; i < kPackets; ++i) ids.push_back(add("approve me " + std::to_string(i)));
  in_processes(kProcs, [&](Store& s, int k) {
    for (int i = k; i < kPackets; i += kProcs)
      if (!s.approve(ids[static_cast<size_t>(i)], "reviewer" + std::to_string(k), 1, rules_)) return 10;
    return 0;
  });
  std::set<std::string> clee_ids;
  for (const auto& id : ids) clee_ids.insert(store_->get(id)->clee_id);
  std::set<std::string> expected;
  for (int i = 1; i <= kPackets; ++i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "CLEE-2026-%04d", i);
    expected.insert(buf);
  }
  EXPECT_EQ(clee_ids, expected);
}

// The same files recorded by two processes at the same moment are one packet and one duplicate,
// never an error.
TEST_P(SharedStoreTest, TheSameFilesFromTwoProcessesAtOnceAreOnePacket) {
  const int kPackets = 40;
  in_processes(2, [&](Store& s, int) {
    for (int i = 0; i < kPackets; ++i) {
      Packet p = packet("twice " + std::to_string(i));
      if (!s.put_object(p.files[0].bytes)) return 10;
      if (auto r = s.receive(p, "test", "t"); !r) {
        std::fprintf(stderr, "receive: %s: %s\n", code_name(r.error().code), r.error().message.c_str());
        return 11;
      }
    }
    return 0;
  });
  auto all = store_->list();
  ASSERT_EQ(all->size(), static_cast<size_t>(kPackets));
  for (const auto& p : *all) {
    EXPECT_EQ(count_actions(p.id, "received"), 1u);
    EXPECT_EQ(count_actions(p.id, "duplicate_packet"), 1u);
  }
}

TEST_P(SharedStoreTest, ASourceIsHeldByOneProcessAtATimeAndFreedWhenItDies) {
  auto other = Store::open(dir_, &env_, options_);
  ASSERT_TRUE(other);
  {
    auto mine = store_->hold_source("inbox:/srv/clee/inbox");
    ASSERT_TRUE(mine) << mine.error().message;
    EXPECT_TRUE((*mine)->held());
    auto theirs = (*other)->hold_source("inbox:/srv/clee/inbox");
    ASSERT_FALSE(theirs);
    EXPECT_EQ(theirs.error().code, Code::kBusy);
    EXPECT_TRUE((*other)->hold_source("mail:office"));  // another source is free
  }
  EXPECT_TRUE((*other)->hold_source("inbox:/srv/clee/inbox"));  // released with its hold
  // A holder that is killed frees the source for the next one.
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t child = fork();
  if (child == 0) {
    auto s = Store::open(dir_, Env::Default(), options_);
    auto hold = s ? (*s)->hold_source("mail:office") : Result<std::unique_ptr<SourceHold>>(Error{});
    char ok = hold ? 'y' : 'n';
    (void)!write(ready[1], &ok, 1);
    pause();
    _exit(0);
  }
  char ok = 0;
  ASSERT_EQ(read(ready[0], &ok, 1), 1);
  ASSERT_EQ(ok, 'y');
  EXPECT_EQ(store_->hold_source("mail:office").error().code, Code::kBusy);
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  bool taken = false;
  // (PostgreSQL ends the dead session a moment after the process; bounded wait for that.)
  for (int i = 0; i < 200 && !taken; ++i) {
    taken = static_cast<bool>(store_->hold_source("mail:office"));
    if (!taken) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(taken);
  close(ready[0]);
  close(ready[1]);
}

class PgStoreTest : public SharedStoreTest {};

// The server ends this Store's session (a restart, a failover, an administrator): the next
// statement reports the loss (kIoError, transient; what it did may or may not have happened),
// the one after runs on a new session — which holds this Store's liveness lock again, so
// another host does not take its leases as a dead holder's.
TEST_P(PgStoreTest, ADroppedConnectionIsMadeAgainWithItsLivenessLock) {
  std::string id = receive("held across a reconnect");
  auto lease = store_->claim(id, "w");
  ASSERT_TRUE(lease);
  std::string db = options_.url.substr(options_.url.rfind('/') + 1);
  ASSERT_TRUE(test::PgServer::shared().admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname='" +
                                             db + "'"));
  auto lost = store_->list();
  if (!lost) {
    EXPECT_EQ(lost.error().code, Code::kIoError) << lost.error().message;
  }
  auto again = store_->list();
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->size(), 1u);
  auto other = Store::open(dir_, &env_, options_);
  ASSERT_TRUE(other);
  EXPECT_TRUE((*other)->requeue_expired("daemon")->empty()) << "the holder is alive";
  EXPECT_TRUE(store_->save_report(*lease, Report{}, "w"));
}

// A database that already holds other tables is not made into a queue, nor changed.
TEST_P(PgStoreTest, ADatabaseThatIsNotAQueueIsRefusedAndLeftAsItWas) {
  StoreOptions foreign = fresh_options();
  {
    auto db = sql::connect_postgres(foreign.url, {});
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->exec("CREATE TABLE packets(parcel_no INTEGER)"));
  }
  auto s = Store::open(dir_ + "-foreign", Env::Default(), foreign);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("packets"), std::string::npos) << s.error().message;
  auto db = sql::connect_postgres(foreign.url, {});
  ASSERT_TRUE(db);
  sql::Stmt schema(**db, "SELECT to_regclass('clee_schema') IS NULL, to_regclass('audit') IS NULL");
  ASSERT_TRUE(schema.step());
  EXPECT_EQ(schema.text(0), "t");  // the migration rolled back whole
  EXPECT_EQ(schema.text(1), "t");
}

TEST_P(PgStoreTest, AnUnreachableServerIsATransientIoError) {
  StoreOptions nowhere;
  nowhere.url = "postgresql://postgres:secret@127.0.0.1:1/clee";
  auto s = Store::open(dir_ + "-nowhere", Env::Default(), nowhere);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Code::kIoError);
  EXPECT_TRUE(is_transient(s.error().code));
  EXPECT_EQ(s.error().message.find("secret"), std::string::npos) << "the password is never printed";
  StoreOptions bad;
  bad.url = "mysql://db/clee";
  EXPECT_EQ(Store::open(dir_, Env::Default(), bad).error().code, Code::kUsage);
}

CLEE_BOTH_BACKENDS(SharedStoreTest);
INSTANTIATE_TEST_SUITE_P(Postgres, PgStoreTest, ::testing::Values(Backend::kPostgres), backend_name);

}  // namespace
}  // namespace clee
