// The inbox side of the intake service: each tick claims the stable inbox items (an atomic rename
// into this process's claim folder, see pipeline/intake_inbox.h) as far as the worker pool has
// room, and hands each to a worker, which settles it to its end:
//   committed            → .processed/ (or deleted); a packet that failed checking → .failed/
//                          with its reason and the `retry` command (it is kept in the queue);
//   a link, FIFO, device → .failed/ with "unsafe_entry: symbolic link, not followed";
//   a transient failure  → back into the inbox, offered again after a backoff step (one log line
//                          per step), until max_attempts;
//   any other failure, or max_attempts reached → .failed/ with the reason.
// Attempts are counted durably in the store before the work starts, so an item that crashes the
// process every time (a crash loop) is counted too and moved aside, and the rest flows. An
// exception in the work is caught at the item's boundary and is a typed failure of that item.
//
// Thread-safety: tick() on one thread (the service's loop); handle() on worker threads.
#pragma once

#include <atomic>
#include <set>
#include <string>

#include "app/backoff.h"
#include "app/intake.h"
#include "app/worker_pool.h"
#include "pipeline/intake_inbox.h"

namespace clee::app {

struct InboxLoopOptions {
  size_t max_claimed = 4;       // items claimed and not yet settled, at most (the pool's queue)
  int max_attempts = 5;         // then the item goes to .failed/
  double retry_initial_seconds = 10, retry_max_seconds = 3600;
  double heartbeat_seconds = 30;  // well inside the claim expiry
  double recover_seconds = 30;    // how often to look for dead owners' claims
  bool once = false;              // one try per item in this run (`watch --once`)
};

class InboxLoop {
 public:
  InboxLoop(InboxWatcher& watcher, WorkerPool& pool, const Pipeline& pipeline, InboxLoopOptions options,
            Env* env = Env::Default());

  // One round: heartbeat and recovery when due, then claim and submit what is ready. `pending`
  // is set when more is to come soon (unstable items, or ready items the pool has no room for).
  void tick(bool* pending);
  // Settles one claimed item (what a worker runs). Never throws.
  void handle(Store& store, const InboxItem& claimed);
  // Items claimed by this loop and not yet settled.
  size_t in_flight() const { return in_flight_.load(); }
  // After the pool stopped: every item still claimed goes back into the inbox (a clean stop).
  void release_unsettled();

 private:
  Status settle(Store& store, const InboxItem& item);
  Status fail_item(Store& store, const InboxItem& item, int attempt, const Error& error);
  Result<int> note_attempt(Store& store, const std::string& key);
  void forget_attempts(Store& store, const std::string& key);
  void log_settle_error(const InboxItem& item, const Status& st);

  InboxWatcher& watcher_;
  WorkerPool& pool_;
  const Pipeline& pipeline_;
  InboxLoopOptions options_;
  Env* env_;
  Backoff backoff_;
  std::atomic<size_t> in_flight_{0};
  std::set<std::string> attempted_;  // once-mode; tick thread only
  double next_heartbeat_ = 0, next_recover_ = 0;
};

}  // namespace clee::app
