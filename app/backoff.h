// Retry pacing for source items (inbox entries, mail messages) in this process: after the n-th
// failure in a row an item waits initial·2^(n-1) seconds, at most `max`, before it is offered
// again — so an item that keeps failing is tried, and logged, once per backoff step instead of at
// every scan. Times come from the caller (the Env's monotonic clock), so tests advance them.
// The durable attempt count that moves an item aside lives in the store (sources); this only
// paces. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>

namespace clee::app {

class Backoff {
 public:
  Backoff(double initial_seconds, double max_seconds) : initial_(initial_seconds), max_(max_seconds) {}

  // True when `key` has no pending wait at `now`.
  bool ready(const std::string& key, double now);
  // Records a failure at `now`; returns the seconds until the item is ready again.
  double failed(const std::string& key, double now);
  // Forgets the key (it succeeded or left its source).
  void clear(const std::string& key);

 private:
  struct Entry {
    int failures = 0;
    double ready_at = 0;
  };
  double initial_, max_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;  // guarded by mu_
};

}  // namespace clee::app
