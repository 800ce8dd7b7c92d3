#include "app/source_holds.h"

#include <spdlog/spdlog.h>

namespace clee::app {

SourceHolds::SourceHolds(Store& store, double retry_seconds, double check_seconds)
    : store_(store), retry_seconds_(retry_seconds), check_seconds_(check_seconds) {}

bool SourceHolds::holding(const std::string& name) {
  Hold& h = holds_[name];
  double now = store_.env()->monotonic_seconds();
  if (h.hold && now >= h.next_check) {
    h.next_check = now + check_seconds_;
    if (!h.hold->held()) {
      spdlog::warn("{}: the hold on it was lost (the database session ended); taking it again", name);
      h.hold.reset();
      h.next_try = 0;
    }
  }
  if (h.hold) return true;
  if (now < h.next_try) return false;
  h.next_try = now + retry_seconds_;
  auto hold = store_.hold_source(name);
  if (!hold) {
    // Logged once per spell: the normal state of a standby daemon.
    if (hold.error().code != Code::kBusy) spdlog::error("{}: {}", name, hold.error().message);
    else if (!h.busy_logged) spdlog::info("{}: worked by another daemon; standing by (trying every {} s)", name, retry_seconds_);
    h.busy_logged = true;
    return false;
  }
  spdlog::info("{}: this daemon works it now", name);
  h.hold = std::move(*hold);
  h.next_check = now + check_seconds_;
  h.busy_logged = false;
  return true;
}

}  // namespace clee::app
