// The intake service's worker pool: a fixed number of threads, each with its own Store connection
// (a Store serves one thread), taking tasks from one queue. No exception leaves a worker: a task
// that throws is logged and counted at the task boundary and the worker takes the next one; the
// code that knows the item (the inbox and mail loops) wraps its own work in `guarded` first, so
// the exception becomes a typed failure of that item.
//
// Thread-safety: submit, backlog, drain and stop may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "queue/store.h"

namespace clee::app {

// Runs `fn`; an exception becomes Error{Code::kInternal, "WHAT: what()"}.
Status guarded(const std::string& what, const std::function<Status()>& fn);

class WorkerPool {
 public:
  using Task = std::function<void(Store&)>;
  using StoreFactory = std::function<Result<std::unique_ptr<Store>>()>;

  WorkerPool(int workers, StoreFactory open_store);
  ~WorkerPool();  // stop()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Opens every worker's store, then starts the threads; an Error when a store cannot be opened.
  Status start();
  // Queues a task; false once stopping (the task is dropped).
  bool submit(Task task);
  // Tasks waiting or running.
  size_t backlog();
  int workers() const { return workers_; }
  // Waits until no task is waiting or running.
  void drain();
  // Takes no more tasks, drops the waiting ones, lets the running ones finish, joins the threads.
  void stop();
  // Tasks that threw past their own guard (a bug to fix; the worker went on).
  int escaped_exceptions() const { return escaped_.load(); }

 private:
  void run(Store& store);

  int workers_;
  StoreFactory open_store_;
  std::vector<std::unique_ptr<Store>> stores_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable cv_, idle_cv_;
  std::deque<Task> tasks_;  // guarded by mu_
  size_t running_ = 0;      // guarded by mu_
  bool stopping_ = false;   // guarded by mu_
  std::atomic<int> escaped_{0};
};

}  // namespace clee::app
