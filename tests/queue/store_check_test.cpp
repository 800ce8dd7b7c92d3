// queue/store_check.cpp: leases (claim, heartbeat, fencing, take-over after expiry whatever the
// host or pid), failures after the claim always release the packet (transient ones with backoff,
// permanent ones as failed), retry of stuck packets, and writers that wait for each other.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "tests/queue/store_fixture.h"

namespace clee {
namespace {

// requeue_expired until it requeues something (at most ~10 s of real time), as a daemon's sweep
// would run it again.
class LeaseTest : public StoreTest {
 protected:
  std::vector<std::string> requeued_once_gone() {
    for (int i = 0; i < 200; ++i) {
      auto redo = store_->requeue_expired("daemon");
      if (!redo) return {"error: " + redo.error().message};
      if (!redo->empty() || !postgres()) return *redo;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return {};
  }
};

TEST_P(StoreTest, ClaimGivesOneLeaseAndRefusesASecond) {
  std::string id = receive("lease");
  auto a = store_->claim(id, "a");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(store_->get(id)->status, PacketStatus::kProcessing);
  auto other = Store::open(dir_, &env_, options_);
  ASSERT_TRUE(other);
  auto b = (*other)->claim(id, "b");
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code, Code::kBusy);
  // The same process claiming again is a second claimant too: leases are per claim, not per pid.
  auto c = store_->claim(id, "a");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, Code::kBusy);
}

// Defect 3: ownership by host:pid never expired when the pid or host repeated (PID 1 in a
// container). A lease expires by time alone; the next claimant takes it over and the first
// holder's late result is refused (fencing).
TEST_P(StoreTest, ExpiredLeaseIsTakenOverWhateverThePidAndTheLateResultIsRefused) {
  std::string id = receive("expired");
  auto first = store_->claim(id, "daemon");
  ASSERT_TRUE(first);
  env_.advance(options_.lease_seconds + 1);  // the holder stopped renewing (killed, hung)
  auto redo = store_->requeue_expired("daemon");
  ASSERT_TRUE(redo);
  EXPECT_EQ(*redo, std::vector<std::string>{id});
  EXPECT_EQ(store_->get(id)->status, PacketStatus::kReceived);
  auto second = store_->claim(id, "daemon");
  ASSERT_TRUE(second);
  Report late;
  late.disposition = Disposition::kReadyForReview;
  Status st = store_->save_report(*first, late, "daemon");
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, Code::kBusy);
  EXPECT_TRUE(store_->save_report(*second, late, "daemon"));
  EXPECT_EQ(store_->get(id)->status, PacketStatus::kReady);
}

// A holder on this machine that died (SIGKILL, a crash) is known dead at once by its liveness
// lock, so a restarted daemon redoes the work without waiting for the lease to expire.
TEST_P(LeaseTest, LeaseOfAProcessThatDiedIsTakenOverAtOnce) {
  std::string id = receive("killed holder");
  pid_t child = fork();
  if (child == 0) {
    auto s = Store::open(dir_, Env::Default(), options_);
    if (!s || !(*s)->claim(id, "daemon")) _exit(1);
    ::kill(::getpid(), SIGKILL);  // dies holding the lease: no clean close
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_EQ(store_->get(id)->status, PacketStatus::kProcessing);
  // No time passes on the store's clock. (PostgreSQL ends the dead session a moment after the
  // process is gone; the wait is for that, bounded.)
  EXPECT_EQ(requeued_once_gone(), std::vector<std::string>{id});
  // A live holder in another process is left alone until its lease expires.
  std::string other = receive("live holder");
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t live = fork();
  if (live == 0) {
    auto s = Store::open(dir_, Env::Default(), options_);
    char ok = (s && (*s)->claim(other, "daemon")) ? 'y' : 'n';
    (void)!write(ready[1], &ok, 1);
    pause();
    _exit(0);
  }
  char ok = 0;
  ASSERT_EQ(read(ready[0], &ok, 1), 1);
  ASSERT_EQ(ok, 'y');
  EXPECT_TRUE(store_->requeue_expired("daemon")->empty());
  Status busy = store_->retry(other, "cli");
  EXPECT_FALSE(busy);
  kill(live, SIGKILL);
  waitpid(live, nullptr, 0);
  EXPECT_EQ(requeued_once_gone(), std::vector<std::string>{other});
  close(ready[0]);
  close(ready[1]);
}

TEST_P(StoreTest, ClaimTakesOverAnExpiredLeaseDirectlyAndAuditsIt) {
  std::string id = receive("takeover");
  ASSERT_TRUE(store_->claim(id, "a"));
  env_.advance(options_.lease_seconds + 1);
  auto b = store_->claim(id, "b");
  ASSERT_TRUE(b) << b.error().message;
  auto events = store_->audit(id);
  ASSERT_TRUE(events);
  EXPECT_EQ(events->back().action, "lease_taken_over");
}

TEST_P(StoreTest, HeartbeatKeepsALeaseAliveAndFailsOnceItWasLost) {
  std::string id = receive("heartbeat");
  auto lease = store_->claim(id, "a");
  ASSERT_TRUE(lease);
  for (int i = 0; i < 5; ++i) {  // five lease periods, renewed every half period
    env_.advance(options_.lease_seconds / 2);
    ASSERT_TRUE(store_->renew(*lease));
    ASSERT_TRUE(store_->requeue_expired("daemon")->empty());
  }
  env_.advance(options_.lease_seconds + 1);
  ASSERT_EQ(store_->requeue_expired("daemon")->size(), 1u);
  Status st = store_->renew(*lease);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, Code::kBusy);
}

// Defect 3, second half: `retry` refused packets stuck in processing.
TEST_P(StoreTest, RetryTakesAStuckPacketOnceItsLeaseExpired) {
  std::string id = receive("stuck");
  ASSERT_TRUE(store_->claim(id, "a"));
  Status busy = store_->retry(id, "cli");
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().code, Code::kBusy);
  env_.advance(options_.lease_seconds + 1);
  ASSERT_TRUE(store_->retry(id, "cli"));
  EXPECT_EQ(store_->get(id)->status, PacketStatus::kReceived);
  EXPECT_TRUE(store_->claim(id, "cli"));
}

// Defect 4: a failure after the claim (saving the report on a full disk) left the packet
// `processing` under the live daemon. Now every failure releases it; transient ones come back
// with a doubling backoff, and after max_attempts they are `failed` with the reason.
TEST_P(StoreTest, TransientFailuresBackOffThenFail) {
  std::string id = receive("full disk");
  double start = env_.now_seconds();
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    auto due = store_->due();
    ASSERT_TRUE(due);
    ASSERT_EQ(due->size(), 1u) << "attempt " << attempt;
    auto lease = store_->claim(id, "daemon");
    ASSERT_TRUE(lease) << lease.error().message;
    ASSERT_TRUE(store_->release_failed(*lease, Error{Code::kNoSpace, "/data/clee.sqlite: the disk is full"}, "daemon"));
    auto rec = store_->get(id);
    EXPECT_EQ(rec->attempts, attempt);
    if (attempt < options_.max_attempts) {
      EXPECT_EQ(rec->status, PacketStatus::kReceived);
      EXPECT_TRUE(store_->due()->empty()) << "not due before its backoff deadline";
      double delay = options_.retry_initial_seconds * (1 << (attempt - 1));
      EXPECT_EQ(rec->next_attempt_at, format_utc(env_.now_seconds() + delay));
      env_.advance(delay);
    } else {
      EXPECT_EQ(rec->status, PacketStatus::kFailed);
      EXPECT_NE(rec->error.find("no_space"), std::string::npos) << rec->error;
      EXPECT_NE(rec->error.find("gave up after"), std::string::npos) << rec->error;
    }
  }
  EXPECT_GT(env_.now_seconds(), start);
  // A manual retry starts the count again.
  ASSERT_TRUE(store_->retry(id, "cli"));
  EXPECT_EQ(store_->get(id)->attempts, 0);
  EXPECT_EQ(store_->due()->size(), 1u);
}

TEST_P(StoreTest, PermanentFailureIsFailedAtOnceWithItsReason) {
  std::string id = receive("broken");
  auto lease = store_->claim(id, "daemon");
  ASSERT_TRUE(lease);
  ASSERT_TRUE(store_->release_failed(*lease, Error{Code::kInternal, "checking failed: bad_alloc"}, "daemon"));
  auto rec = store_->get(id);
  EXPECT_EQ(rec->status, PacketStatus::kFailed);
  EXPECT_EQ(rec->error, "internal: checking failed: bad_alloc");
  EXPECT_EQ(rec->lease_owner, "");
}

// Defect 4 end to end through the Env: saving fails because the database cannot be written. The
// release itself must then also be possible later (not left `processing` forever).
TEST_P(StoreTest, AReleaseAfterAFailedSaveLeavesNothingHeld) {
  std::string id = receive("save fails");
  auto lease = store_->claim(id, "daemon");
  ASSERT_TRUE(lease);
  ASSERT_TRUE(store_->release_failed(*lease, Error{Code::kBusy, "database is locked"}, "daemon"));
  EXPECT_EQ(store_->get(id)->status, PacketStatus::kReceived);
  EXPECT_TRUE(store_->requeue_expired("daemon")->empty());
}

TEST_P(StoreTest, SourceAttemptsAreCountedDurablyAndForgotten) {
  Error e{Code::kUnsafeEntry, "Maildir/new/loop: is a symbolic link (not followed)"};
  EXPECT_EQ(*store_->note_source_attempt("maildir:m:loop", e), 1);
  EXPECT_EQ(*store_->note_source_attempt("maildir:m:loop", e), 2);
  store_.reset();
  auto again = Store::open(dir_, &env_, options_);  // a restart (a crash loop counts too)
  ASSERT_TRUE(again);
  EXPECT_EQ(*(*again)->note_source_attempt("maildir:m:loop", e), 3);
  ASSERT_TRUE((*again)->forget_source_attempts("maildir:m:loop"));
  EXPECT_EQ(*(*again)->note_source_attempt("maildir:m:loop", e), 1);
}

// Defect 8, the store's half: two processes writing at once wait for each other; none gets
// "database is locked". Each child opens its own data-folder connection and records 50 packets.
TEST_P(StoreTest, TwoProcessesWritingAtOnceBothSucceed) {
  store_.reset();
  std::vector<pid_t> kids;
  for (int k = 0; k < 2; ++k) {
    pid_t pid = fork();
    if (pid == 0) {
      auto s = Store::open(dir_, Env::Default(), options_);
      if (!s) _exit(10);
      for (int i = 0; i < 50; ++i) {
        std::string content = "proc " + std::to_string(k) + " packet " + std::to_string(i);
        Packet p;
        p.source = content;
        p.files.push_back(SourceFile::in_memory("x.txt", content));
        if (!(*s)->put_object(content)) _exit(11);
        auto r = (*s)->receive(p, "test", "t");
        if (!r) _exit(12);
        auto lease = (*s)->claim(r->id, "t");
        if (!lease) _exit(13);
        Report rep;
        if (!(*s)->save_report(*lease, rep, "t")) _exit(14);
      }
      _exit(0);
    }
    kids.push_back(pid);
  }
  for (pid_t pid : kids) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child exit " << WEXITSTATUS(status);
  }
  auto s = Store::open(dir_, Env::Default(), options_);
  ASSERT_TRUE(s);
  EXPECT_EQ((*s)->list()->size(), 100u);
}

CLEE_BOTH_BACKENDS(StoreTest);
CLEE_BOTH_BACKENDS(LeaseTest);

}  // namespace
}  // namespace clee
