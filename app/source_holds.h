// Which intake sources (the inbox, each mail account) this daemon works right now. Of several
// daemons for one office — on one host or many — one holds each source at a time
// (Store::hold_source); the others try again every few seconds, so when the holder dies (its
// lock or database session ends with it) another takes the source over. A hold that was lost (the
// database session ended) is noticed within `check_seconds` and taken again when it can be.
//
// Thread-safety: one thread (the service's loop), with the Store it was given.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "queue/store.h"

namespace clee::app {

class SourceHolds {
 public:
  explicit SourceHolds(Store& store, double retry_seconds = 3, double check_seconds = 5);
  // True while this process holds `name` ("inbox:PATH", "mail:ACCOUNT"), taking it when free.
  // Never waits: a source another process holds is tried again after retry_seconds.
  bool holding(const std::string& name);
  // Gives every hold up (a clean stop: another daemon takes over at once).
  void release_all() { holds_.clear(); }

 private:
  struct Hold {
    std::unique_ptr<SourceHold> hold;
    double next_try = 0, next_check = 0;
    bool busy_logged = false;
  };
  Store& store_;
  double retry_seconds_, check_seconds_;
  std::map<std::string, Hold> holds_;
};

}  // namespace clee::app
