// The inbox folder as an intake source. Each sub-folder or file at the top of the inbox is one
// packet. An item is offered only once it is stable (size and mtime unchanged for a while, measured
// through the Env without following a link), litter (base/litter.h) is ignored, and an item is
// taken by CLAIMING it: an atomic rename into this process's claim folder `.claimed/OWNER/NAME`
// (OWNER a random token per watcher). Of two processes (or two loops) that saw the same listing,
// exactly one rename succeeds; the other gets kNotFound and moves on, so nothing is reported
// failed that another process committed. A claimed item leaves the claim folder only when the
// caller decides: acknowledge (after its packet is committed) → `.processed/` (or deleted),
// reject → `.failed/NAME` with `.failed/NAME.reason.txt`, release → back into the inbox (a
// transient failure, retried later).
//
// Liveness: `.claimed/OWNER.alive` holds the owner's last heartbeat (Env wall clock) and host, and
// the owner holds an flock on `.claimed/OWNER.lock` for its life. An owner is dead when, on this
// host, its lock is free (the kernel drops it when a process ends, SIGKILL included: recovery at
// the next start is immediate), or, from any host, its heartbeat is older than
// `claim_expiry_seconds` (a host gone, a share without locks). recover_stale_claims() moves a dead
// owner's items back into the inbox, where any live process claims them again. Content is deduplicated by the queue, so an item recovered
// from an owner that was only slow is recognised as duplicate_packet, never doubled.
//
// A symbolic link, FIFO, socket or device at the top of the inbox is offered at once with its
// type; the caller claims it (the rename moves the link itself, never its target) and rejects it.
//
// inotify only wakes the watcher (wait()); the listing decides. An entry that inotify saw arrive
// complete — renamed in (IN_MOVED_TO) or closed after writing (IN_CLOSE_WRITE) — needs only a short
// settle (min(stability, 0.5 s)); everything else (folders filled in place, polling) waits the
// full time. Not thread-safe: one thread drives the watcher (ready_items, wait, claim, heartbeat,
// recover), while acknowledge / reject / release may be called from worker threads.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/env.h"

namespace clee {

struct InboxItem {
  std::string name;  // the entry's name at the top of the inbox
  std::string path;  // where it is: INBOX/NAME when offered, INBOX/.claimed/OWNER/NAME once claimed
  FileType type = FileType::kRegular;  // kSymlink / kOther are never read: reject them
};

struct InboxOptions {
  bool poll = false;
  double stability_seconds = 2.0;
  bool delete_processed = false;
  double claim_expiry_seconds = 120;  // a heartbeat older than this marks a dead owner
};

class InboxWatcher {
 public:
  InboxWatcher(std::string inbox, InboxOptions options, Env* env = Env::Default());
  ~InboxWatcher();
  InboxWatcher(const InboxWatcher&) = delete;
  InboxWatcher& operator=(const InboxWatcher&) = delete;

  // Creates the inbox and this owner's claim folder and writes the first heartbeat.
  Status start();
  const std::string& owner() const { return owner_; }

  // Items unchanged for stability_seconds (links and special files at once), in name order.
  // Names this process has claimed and not yet settled are left out. `pending` tells whether
  // unstable items remain (the caller should look again soon).
  std::vector<InboxItem> ready_items(bool* pending = nullptr);
  // Sleeps until inotify reports a change or `seconds` pass (Env::sleep_for when polling).
  void wait(double seconds);

  // Moves the item into this owner's claim folder; the returned item's path is the claimed one.
  // kNotFound: another process (or an earlier claim) took it first — skip it, nothing failed.
  Result<InboxItem> claim(const InboxItem& item);
  // Refreshes the heartbeat (recreating the claim folder if another process took it over).
  Status heartbeat();
  // Moves the items of every owner whose heartbeat expired back into the inbox. Returns how many.
  Result<int> recover_stale_claims();

  // Thread-safe (file system only), for claimed items. kNotFound from any of them means the claim
  // was taken over (this process was presumed dead): the other process owns the item now.
  Status acknowledge(const InboxItem& claimed);
  Status reject(const InboxItem& claimed, const std::string& reason);
  Status release(const InboxItem& claimed);
  // Releases everything in this owner's claim folder (a clean stop). Returns how many.
  Result<int> release_all();

 private:
  struct Seen {
    uint64_t size = 0;
    int64_t mtime_ns = 0;
    double stable_since = 0;
  };
  std::string claim_dir() const { return inbox_ + "/.claimed/" + owner_; }
  std::string alive_path(const std::string& owner) const { return inbox_ + "/.claimed/" + owner + ".alive"; }
  std::string lock_path(const std::string& owner) const { return inbox_ + "/.claimed/" + owner + ".lock"; }
  // Renames `from` to FOLDER/NAME, or a free variant of it, without replacing anything there.
  Status move_to(const std::string& from, const std::string& folder, const std::string& name, std::string* placed = nullptr);
  bool owner_expired(const std::string& owner);
  void forget_orphan(const std::string& file);
  void drain_events();

  std::string inbox_;
  InboxOptions options_;
  Env* env_;
  std::string owner_, host_;
  std::unique_ptr<FileLock> lock_;
  std::map<std::string, bool> arrived_complete_;  // name → last inotify event said "complete"
  int inotify_fd_ = -1;
  std::map<std::string, Seen> seen_;
};

// A random token for names that must differ between processes and runs (claim owners).
std::string random_owner_token();

}  // namespace clee
