// The inbox loop in-process, on the FaultEnv clock, with a real Store and worker pool: items are
// committed and moved to .processed/; a link goes to .failed/ as itself; a transient failure is
// retried after a backoff step, logged once per step, and moved aside after max_attempts; an
// exception in the work is a typed failure of that item and the next item flows.
#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "app/common.h"
#include "app/inbox_loop.h"
#include "tests/support/fault_env.h"

namespace clee::app {
namespace {
namespace fs = std::filesystem;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Throws from the walk of any folder named "bomb": an exception where the work reads an item.
class ThrowingEnv : public test::FaultEnv {
 public:
  Result<std::vector<DirEntry>> list_dir(const std::string& p) override {
    if (p.size() >= 5 && p.compare(p.size() - 5, 5, "/bomb") == 0) throw std::runtime_error("boom in " + p);
    return FaultEnv::list_dir(p);
  }
};

class InboxLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "/inboxloop-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(inbox());
    env_.set_time(1'800'000'000);
    Config c;
    c.ocr = false;
    auto p = make_pipeline(c);
    ASSERT_TRUE(p) << p.error().message;
    pipeline_ = std::move(*p);
    pool_ = std::make_unique<WorkerPool>(2, [&] { return Store::open(data(), &store_env_); });
    ASSERT_TRUE(pool_->start());
    InboxOptions io;
    io.poll = true;
    io.stability_seconds = 0;
    watcher_ = std::make_unique<InboxWatcher>(inbox(), io, &env_);
    ASSERT_TRUE(watcher_->start());
    InboxLoopOptions lo;
    lo.max_attempts = 3;
    lo.retry_initial_seconds = 10;
    lo.retry_max_seconds = 100;
    loop_ = std::make_unique<InboxLoop>(*watcher_, *pool_, *pipeline_, lo, &loop_env_);
  }
  void TearDown() override {
    pool_->stop();
    loop_.reset();
    watcher_.reset();
    fs::remove_all(dir_);
  }
  std::string inbox() const { return dir_ + "/inbox"; }
  std::string data() const { return dir_ + "/data"; }
  void drop(const std::string& name, int n) {
    std::ofstream(inbox() + "/" + name) << "CLEE Request Form\nCourse Title: Loop course " << n << "\nCredit Hours: 4\n";
  }
  // Ticks until nothing is in flight.
  void round() {
    bool pending = false;
    loop_->tick(&pending);
    pool_->drain();
  }
  size_t queued() {
    auto s = Store::open(data());
    auto l = (*s)->list();
    return l ? l->size() : 0;
  }
  std::string dir_;
  test::FaultEnv env_;        // the watcher's
  ThrowingEnv loop_env_;      // the loop's: reads the items, paces the retries
  test::FaultEnv store_env_;  // the store's: fails to keep originals when told
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<InboxWatcher> watcher_;
  std::unique_ptr<InboxLoop> loop_;
};

TEST_F(InboxLoopTest, ItemsAreCommittedThenMovedToProcessed) {
  for (int i = 0; i < 6; ++i) drop("p" + std::to_string(i) + ".txt", i);
  for (int i = 0; i < 4; ++i) round();  // at most 4 claimed at once (2 workers × 2)
  EXPECT_EQ(queued(), 6u);
  for (int i = 0; i < 6; ++i) EXPECT_TRUE(fs::exists(inbox() + "/.processed/p" + std::to_string(i) + ".txt"));
  EXPECT_FALSE(fs::exists(inbox() + "/.failed"));
  EXPECT_EQ(loop_->in_flight(), 0u);
}

TEST_F(InboxLoopTest, ALinkGoesToFailedAsItselfWithItsReason) {
  fs::create_symlink("/etc/passwd", inbox() + "/passwd");
  round();
  EXPECT_TRUE(fs::is_symlink(inbox() + "/.failed/passwd"));
  std::string reason = slurp(inbox() + "/.failed/passwd.reason.txt");
  EXPECT_NE(reason.find("unsafe_entry"), std::string::npos) << reason;
  EXPECT_NE(reason.find("symbolic link, not followed"), std::string::npos) << reason;
  EXPECT_EQ(queued(), 0u);
}

TEST_F(InboxLoopTest, ATransientFailureIsRetriedPerBackoffStepThenMovedAside) {
  auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(1000);
  auto old = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", sink));
  auto lines_about = [&](const std::string& name) {
    int n = 0;
    for (const auto& l : sink->last_formatted()) n += l.find("inbox " + name + ":") != std::string::npos;
    return n;
  };
  drop("a.txt", 1);
  store_env_.fail(test::FaultEnv::Op::kWrite, Code::kNoSpace);  // the store cannot take the original
  round();
  EXPECT_TRUE(fs::exists(inbox() + "/a.txt"));  // released, still in the inbox
  for (int i = 0; i < 50; ++i) round();  // a busy loop: no retry before the backoff step
  EXPECT_EQ(lines_about("a.txt"), 1);
  EXPECT_TRUE(fs::exists(inbox() + "/a.txt"));
  loop_env_.advance(10);  // step 1 → attempt 2
  round();
  EXPECT_EQ(lines_about("a.txt"), 2);
  loop_env_.advance(10);  // step 2 is 20 s: not yet
  round();
  EXPECT_EQ(lines_about("a.txt"), 2);
  loop_env_.advance(10);  // attempt 3 = max_attempts: moved aside with its reason
  round();
  spdlog::set_default_logger(old);
  EXPECT_FALSE(fs::exists(inbox() + "/a.txt"));
  std::string reason = slurp(inbox() + "/.failed/a.txt.reason.txt");
  EXPECT_NE(reason.find("no_space"), std::string::npos) << reason;
  EXPECT_EQ(queued(), 0u);
}

TEST_F(InboxLoopTest, AnExceptionInTheWorkIsATypedFailureOfThatItemAndTheNextFlows) {
  fs::create_directories(inbox() + "/bomb");
  drop("bomb/form.txt", 1);
  drop("good.txt", 2);
  round();
  std::string reason = slurp(inbox() + "/.failed/bomb.reason.txt");
  EXPECT_NE(reason.find("internal"), std::string::npos) << reason;
  EXPECT_NE(reason.find("boom"), std::string::npos) << reason;
  EXPECT_TRUE(fs::exists(inbox() + "/.processed/good.txt"));
  EXPECT_EQ(queued(), 1u);
  EXPECT_EQ(pool_->escaped_exceptions(), 0);
}

// A crash loop: an item the process died on, attempt after attempt (each attempt is noted in the
// store before the work starts, so the deaths are on record), is moved aside at the next start
// with its reason — and the rest flows.
TEST_F(InboxLoopTest, AnItemThatKeptCrashingTheProcessIsMovedAsideAndTheRestFlows) {
  {
    auto s = Store::open(data());
    ASSERT_TRUE(s);
    for (int i = 0; i < 3; ++i)  // three earlier runs died on it (max_attempts = 3)
      ASSERT_TRUE((*s)->note_source_attempt("inbox:crasher.txt", Error{Code::kInternal, "did not finish"}));
  }
  drop("crasher.txt", 1);
  drop("fine.txt", 2);
  round();
  std::string reason = slurp(inbox() + "/.failed/crasher.txt.reason.txt");
  EXPECT_NE(reason.find("3 attempts that did not finish"), std::string::npos) << reason;
  EXPECT_TRUE(fs::exists(inbox() + "/.processed/fine.txt"));
  EXPECT_EQ(queued(), 1u);
}

TEST_F(InboxLoopTest, AttemptsAreNotedBeforeTheWorkAndForgottenOnceSettled) {
  drop("a.txt", 1);
  round();
  EXPECT_TRUE(fs::exists(inbox() + "/.processed/a.txt"));
  auto s = Store::open(data());
  ASSERT_TRUE(s);
  // Forgotten: the next attempt at that name counts from one again.
  auto n = (*s)->note_source_attempt("inbox:a.txt", Error{Code::kInternal, "probe"});
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1);
}

}  // namespace
}  // namespace clee::app
