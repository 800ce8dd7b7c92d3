#include "app/worker_pool.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace clee::app {

Status guarded(const std::string& what, const std::function<Status()>& fn) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return Error{Code::kInternal, what + ": " + e.what()};
  } catch (...) {
    return Error{Code::kInternal, what + ": an unknown exception"};
  }
}

WorkerPool::WorkerPool(int workers, StoreFactory open_store)
    : workers_(workers < 1 ? 1 : workers), open_store_(std::move(open_store)) {}

WorkerPool::~WorkerPool() { stop(); }

Status WorkerPool::start() {
  for (int i = 0; i < workers_; ++i) {
    auto store = open_store_();
    if (!store) return store.error();
    stores_.push_back(std::move(*store));
  }
  for (auto& s : stores_) threads_.emplace_back([this, store = s.get()] { run(*store); });
  return Status::Ok();
}

bool WorkerPool::submit(Task task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return false;
    tasks_.push_back(std::move(task));
  }
  cv_.notify_one();
  return true;
}

size_t WorkerPool::backlog() {
  std::lock_guard<std::mutex> lock(mu_);
  return tasks_.size() + running_;
}

void WorkerPool::drain() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_cv_.wait(lock, [&] { return (tasks_.empty() || stopping_) && running_ == 0; });
}

void WorkerPool::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    tasks_.clear();  // their items are still in their sources (or claims, released by the caller)
  }
  cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
  idle_cv_.notify_all();
}

void WorkerPool::run(Store& store) {
  for (;;) {
    Task task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
      if (stopping_) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
      ++running_;
    }
    // The last line of defence: the loops guard their own items; this keeps the worker alive.
    Status st = guarded("worker task", [&] {
      task(store);
      return Status::Ok();
    });
    if (!st) {
      escaped_++;
      spdlog::error("{}", st.error().message);
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      --running_;
    }
    idle_cv_.notify_all();
  }
}

}  // namespace clee::app
