#include "app/backoff.h"

#include <algorithm>
#include <cmath>

namespace clee::app {

bool Backoff::ready(const std::string& key, double now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  return it == entries_.end() || now >= it->second.ready_at;
}

double Backoff::failed(const std::string& key, double now) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry& e = entries_[key];
  ++e.failures;
  double wait = std::min(max_, initial_ * std::pow(2.0, std::min(e.failures - 1, 60)));
  e.ready_at = now + wait;
  return wait;
}

void Backoff::clear(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.erase(key);
}

}  // namespace clee::app
