// The inbox folder as an intake source. Each sub-folder or file at the top of the inbox is one
// packet. An item is offered only once it is stable (size and mtime unchanged for a while), temp
// and system files are ignored, and an item leaves the inbox only when the caller acknowledges it
// — after its packet is committed — to .processed/ (or deleted), or to .failed/ with a reason file.
// inotify wakes the watcher; a periodic rescan (and --poll mode, for network shares where inotify
// sees nothing) catches the rest. An entry that inotify saw arrive complete — renamed into the
// inbox (IN_MOVED_TO) or a file closed after writing (IN_CLOSE_WRITE) with no event since — needs
// only a short settle (min(stability, 0.5 s)) instead of the full stability wait; everything else
// (folders filled in place, polling) waits the full time. Not thread-safe: one watcher per thread,
// except acknowledge/reject (below).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "extractors/document.h"

namespace clee {

struct InboxItem {
  std::string name;  // the entry's name at the top of the inbox
  std::string path;
};

struct InboxOptions {
  bool poll = false;
  double stability_seconds = 2.0;
  bool delete_processed = false;
};

class InboxWatcher {
 public:
  InboxWatcher(std::string inbox, InboxOptions options);
  ~InboxWatcher();
  InboxWatcher(const InboxWatcher&) = delete;
  InboxWatcher& operator=(const InboxWatcher&) = delete;

  // Items unchanged for stability_seconds, in name order. Also reports whether unstable items
  // remain (the caller should look again soon).
  std::vector<InboxItem> ready_items(bool* pending = nullptr);
  // Sleeps until inotify reports a change or `seconds` pass.
  void wait(double seconds);
  // Thread-safe (file system only): may be called from workers while the watcher scans.
  Status acknowledge(const InboxItem& item);
  Status reject(const InboxItem& item, const std::string& reason);

  static bool ignored(const std::string& name);

 private:
  struct Seen {
    uint64_t size = 0;
    int64_t mtime_ns = 0;
    double stable_since = 0;
  };
  Status move_to(const InboxItem& item, const std::string& folder);
  void drain_events();
  std::string inbox_;
  std::map<std::string, bool> arrived_complete_;  // name → last inotify event said "complete"
  InboxOptions options_;
  int inotify_fd_ = -1;
  std::map<std::string, Seen> seen_;
};

}  // namespace clee
