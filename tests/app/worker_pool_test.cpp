// The worker pool and the retry pacing: an exception that escapes a task is caught at the task
// boundary and the worker goes on; drain waits for the work; stop drops what has not started.
// Backoff doubles per failure up to its cap and forgets on success.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>

#include "app/backoff.h"
#include "app/worker_pool.h"

namespace clee::app {
namespace {
namespace fs = std::filesystem;

class WorkerPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "/pool-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  WorkerPool::StoreFactory stores() {
    return [this] { return Store::open(dir_); };
  }
  std::string dir_;
};

TEST_F(WorkerPoolTest, AThrowingTaskDoesNotEndItsWorker) {
  WorkerPool pool(1, stores());
  ASSERT_TRUE(pool.start());
  std::atomic<int> done{0};
  pool.submit([](Store&) { throw std::runtime_error("a bug"); });
  pool.submit([](Store&) { throw 42; });
  for (int i = 0; i < 5; ++i) pool.submit([&](Store&) { ++done; });
  pool.drain();
  EXPECT_EQ(done.load(), 5);
  EXPECT_EQ(pool.escaped_exceptions(), 2);
  EXPECT_EQ(pool.backlog(), 0u);
}

TEST_F(WorkerPoolTest, EachWorkerHasItsOwnStore) {
  WorkerPool pool(3, stores());
  ASSERT_TRUE(pool.start());
  std::mutex mu;
  std::set<Store*> seen;
  std::atomic<int> waiting{0};
  for (int i = 0; i < 3; ++i)
    pool.submit([&](Store& s) {
      {
        std::lock_guard<std::mutex> lock(mu);
        seen.insert(&s);
      }
      // Hold each worker until all three have a task, so the three run on three threads.
      ++waiting;
      while (waiting.load() < 3) std::this_thread::yield();
    });
  pool.drain();
  EXPECT_EQ(seen.size(), 3u);
}

TEST_F(WorkerPoolTest, StopDropsTasksNotStartedAndRefusesNewOnes) {
  WorkerPool pool(1, stores());
  ASSERT_TRUE(pool.start());
  std::atomic<bool> release{false}, running{false};
  std::atomic<int> ran{0};
  pool.submit([&](Store&) {
    running = true;
    while (!release.load()) std::this_thread::yield();
    ++ran;
  });
  while (!running.load()) std::this_thread::yield();  // the worker has it: only the rest wait
  for (int i = 0; i < 10; ++i) pool.submit([&](Store&) { ++ran; });
  std::thread stopper([&] { pool.stop(); });
  while (pool.submit([](Store&) {})) std::this_thread::yield();  // until stop() has begun
  release = true;
  stopper.join();
  EXPECT_EQ(ran.load(), 1);  // the running task finished; the waiting ones were dropped
}

TEST_F(WorkerPoolTest, AStoreThatCannotOpenStopsTheStart) {
  WorkerPool pool(2, [] { return Result<std::unique_ptr<Store>>(Error{Code::kReadOnly, "read-only data folder"}); });
  Status st = pool.start();
  ASSERT_FALSE(st);
  EXPECT_EQ(st.code(), Code::kReadOnly);
}

TEST(Guarded, ExceptionsBecomeInternalErrors) {
  Status st = guarded("reading x", []() -> Status { throw std::runtime_error("bad"); });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.code(), Code::kInternal);
  EXPECT_EQ(st.error().message, "reading x: bad");
  EXPECT_EQ(guarded("y", [] { return Status(Error{Code::kBusy, "held"}); }).code(), Code::kBusy);
}

TEST(BackoffTest, DoublesUpToTheCapAndForgetsOnSuccess) {
  Backoff b(10, 35);
  EXPECT_TRUE(b.ready("a", 0));
  EXPECT_DOUBLE_EQ(b.failed("a", 0), 10);
  EXPECT_FALSE(b.ready("a", 9.9));
  EXPECT_TRUE(b.ready("a", 10));
  EXPECT_DOUBLE_EQ(b.failed("a", 10), 20);
  EXPECT_DOUBLE_EQ(b.failed("a", 30), 35);  // 40, capped
  EXPECT_TRUE(b.ready("b", 30));            // per key
  b.clear("a");
  EXPECT_TRUE(b.ready("a", 30));
  EXPECT_DOUBLE_EQ(b.failed("a", 30), 10);
}

}  // namespace
}  // namespace clee::app
