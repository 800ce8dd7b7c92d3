#include "pipeline/intake_inbox.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "base/litter.h"

namespace clee {

namespace {

constexpr int kMaxMeasureDepth = 8;
constexpr size_t kMaxMeasureEntries = 100'000;

// Size and latest mtime of a file, or of everything under a folder (links are measured as links,
// never followed). False when the entry vanished or could not be read.
bool measure(Env* env, const std::string& path, int depth, size_t* entries, uint64_t* size, int64_t* mtime) {
  auto info = env->stat(path);
  if (!info) return false;
  *size += info->size;
  *mtime = std::max(*mtime, info->mtime_ns);
  if (info->type != FileType::kDirectory || depth > kMaxMeasureDepth) return true;
  auto list = env->list_dir(path);
  if (!list) return false;
  for (const auto& e : *list) {
    if (++*entries > kMaxMeasureEntries) return true;  // enough to see it change
    if (!measure(env, path + "/" + e.name, depth + 1, entries, size, mtime)) return false;
  }
  return true;
}

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "?";
  return buf;
}

// True when nobody holds an owner's lock (its process has ended). False when it is held, or
// missing (an owner still starting), or cannot be tried.
bool lock_is_free(Env* env, const std::string& path) {
  if (!env->exists(path)) return false;
  return env->lock_file(path).ok();  // the probe's own lock is released at once
}

bool is_empty_folder(Env* env, const std::string& path) {
  auto list = env->list_dir(path);
  return list && list->empty();
}

}  // namespace

std::string random_owner_token() {
  std::random_device rd;
  std::mt19937_64 gen((static_cast<uint64_t>(rd()) << 32) ^ rd() ^ static_cast<uint64_t>(::getpid()));
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(gen()));
  return buf;
}

InboxWatcher::InboxWatcher(std::string inbox, InboxOptions options, Env* env)
    : inbox_(std::move(inbox)), options_(options), env_(env), owner_(random_owner_token()), host_(host_name()) {}

InboxWatcher::~InboxWatcher() {
  if (inotify_fd_ >= 0) close(inotify_fd_);
  // A clean stop leaves nothing claimed (the service releases or settles every item first); an
  // empty claim folder and its heartbeat go. Anything left is recovered by the next process.
  if (is_empty_folder(env_, claim_dir())) {
    (void)env_->remove(claim_dir());
    (void)env_->remove(alive_path(owner_));
    (void)env_->remove(lock_path(owner_));
  }
  lock_.reset();
}

Status InboxWatcher::start() {
  if (Status s = env_->make_dirs(inbox_); !s) return s;
  // The heartbeat first, then the folder: a claim folder without a heartbeat is a dead owner's.
  if (Status s = env_->make_dirs(inbox_ + "/.claimed"); !s) return s;
  // Lock, heartbeat, folder — in that order: a folder without a heartbeat is a dead owner's.
  // The owner's lock: held for the watcher's life, released by the kernel when the process ends
  // in any way, SIGKILL included — a restart gets a killed owner's items back at once.
  if (!lock_) {
    auto lock = env_->lock_file(lock_path(owner_));
    if (lock) lock_ = std::move(*lock);
  }
  if (Status s = heartbeat(); !s) return s;
  if (!options_.poll && inotify_fd_ < 0) {
    inotify_fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (inotify_fd_ >= 0 && inotify_add_watch(inotify_fd_, inbox_.c_str(),
                                              IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY | IN_DELETE | IN_MOVED_FROM) < 0) {
      close(inotify_fd_);
      inotify_fd_ = -1;  // fall back to polling
    }
  }
  return Status::Ok();
}

Status InboxWatcher::heartbeat() {
  char line[64];
  std::snprintf(line, sizeof line, "%.3f ", env_->now_seconds());
  if (Status s = env_->write_durably(alive_path(owner_), line + host_ + "\n"); !s) return s;
  return env_->make_dirs(claim_dir());
}

bool InboxWatcher::owner_expired(const std::string& owner) {
  auto text = env_->read_file(alive_path(owner), 4096);
  if (!text) return text.error().code == Code::kNotFound;  // the folder outlived its heartbeat
  double at = 0;
  char host[256] = {};
  if (std::sscanf(text->c_str(), "%lf %255s", &at, host) < 1) return true;  // a torn or foreign file
  // On this host the lock answers at once: free means the owner's process has ended.
  if (host_ == host && lock_is_free(env_, lock_path(owner))) return true;
  return env_->now_seconds() - at > options_.claim_expiry_seconds;
}

Result<int> InboxWatcher::recover_stale_claims() {
  auto owners = env_->list_dir(inbox_ + "/.claimed");
  if (!owners) return owners.error().code == Code::kNotFound ? Result<int>(0) : Result<int>(owners.error());
  int moved = 0;
  for (const auto& o : *owners) {
    if (o.type != FileType::kDirectory) {
      forget_orphan(o.name);
      continue;
    }
    if (o.name == owner_ || !owner_expired(o.name)) continue;
    std::string dir = inbox_ + "/.claimed/" + o.name;
    auto items = env_->list_dir(dir);
    if (!items) continue;
    for (const auto& it : *items) {
      Status s = move_to(dir + "/" + it.name, "", it.name);
      if (s) ++moved;
      else if (s.code() != Code::kNotFound) return s.error();  // kNotFound: another process took it back
    }
    (void)env_->remove(dir);
    (void)env_->remove(alive_path(o.name));
    (void)env_->remove(lock_path(o.name));
  }
  return moved;
}

// A heartbeat or lock file whose owner has no claim folder: one that died between the steps of
// start() or of a recovery. Removed once that owner is clearly gone (a starting owner holds its
// lock, so it is left alone).
void InboxWatcher::forget_orphan(const std::string& file) {
  size_t dot = file.rfind('.');
  if (dot == std::string::npos) return;
  std::string owner = file.substr(0, dot), kind = file.substr(dot);
  if ((kind != ".alive" && kind != ".lock") || owner == owner_) return;
  if (env_->exists(inbox_ + "/.claimed/" + owner)) return;
  std::string lock = lock_path(owner);
  if (env_->exists(lock) && !lock_is_free(env_, lock)) return;
  if (!owner_expired(owner)) return;
  (void)env_->remove(alive_path(owner));
  (void)env_->remove(lock);
}

// Reads pending inotify events and remembers, per top-level name, whether the latest one says
// the entry is complete (renamed in, or closed after writing) or still being written.
void InboxWatcher::drain_events() {
  if (inotify_fd_ < 0) return;
  alignas(inotify_event) char buf[16384];
  for (;;) {
    ssize_t n = read(inotify_fd_, buf, sizeof buf);
    if (n <= 0) return;
    for (ssize_t off = 0; off < n;) {
      const auto* e = reinterpret_cast<const inotify_event*>(buf + off);
      off += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
      if (e->len == 0) continue;
      std::string name(e->name);
      if (e->mask & (IN_MOVED_TO | IN_CLOSE_WRITE)) arrived_complete_[name] = true;
      else if (e->mask & (IN_CREATE | IN_MODIFY)) arrived_complete_[name] = false;
      else if (e->mask & (IN_DELETE | IN_MOVED_FROM)) arrived_complete_.erase(name);
    }
  }
}

std::vector<InboxItem> InboxWatcher::ready_items(bool* pending) {
  std::vector<InboxItem> out;
  if (pending) *pending = false;
  drain_events();
  auto list = env_->list_dir(inbox_);
  if (!list) return out;
  double now = env_->monotonic_seconds();
  std::map<std::string, Seen> next;
  for (const auto& e : *list) {
    if (is_litter_name(e.name)) continue;
    if (env_->exists(claim_dir() + "/" + e.name)) continue;  // one of that name is in flight here
    std::string path = inbox_ + "/" + e.name;
    if (e.type == FileType::kSymlink || e.type == FileType::kOther) {
      out.push_back({e.name, path, e.type});  // never read, never waited for: rejected as it is
      continue;
    }
    Seen s;
    size_t entries = 0;
    if (!measure(env_, path, 0, &entries, &s.size, &s.mtime_ns)) continue;
    // A folder still empty is being set up (files not copied in yet): not a packet yet.
    if (e.type == FileType::kDirectory && entries == 0) continue;
    auto old = seen_.find(e.name);
    bool same = old != seen_.end() && old->second.size == s.size && old->second.mtime_ns == s.mtime_ns;
    s.stable_since = same ? old->second.stable_since : now;
    next[e.name] = s;
    auto complete = arrived_complete_.find(e.name);
    double wait = complete != arrived_complete_.end() && complete->second ? std::min(options_.stability_seconds, 0.5)
                                                                           : options_.stability_seconds;
    if (now - s.stable_since >= wait) out.push_back({e.name, path, e.type});
    else if (pending) *pending = true;
  }
  seen_ = std::move(next);
  for (auto it = arrived_complete_.begin(); it != arrived_complete_.end();)
    it = seen_.count(it->first) ? std::next(it) : arrived_complete_.erase(it);
  std::sort(out.begin(), out.end(), [](const InboxItem& a, const InboxItem& b) { return a.name < b.name; });
  return out;
}

void InboxWatcher::wait(double seconds) {
  if (inotify_fd_ < 0) {
    env_->sleep_for(seconds);
    return;
  }
  pollfd p{inotify_fd_, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(seconds * 1000)) > 0) drain_events();
}

Result<InboxItem> InboxWatcher::claim(const InboxItem& item) {
  std::string to = claim_dir() + "/" + item.name;
  if (env_->exists(to)) return Error{Code::kBusy, item.name + ": one of that name is already claimed here"};
  // The one atomic step: whoever renames first owns the item; the loser sees kNotFound.
  if (Status s = env_->rename_durably(item.path, to); !s) {
    if (!env_->exists(item.path)) return Error{Code::kNotFound, item.name + ": taken by another process"};
    if (s.code() != Code::kNotFound) return s.error();
    // Our claim folder is gone (taken over while we were presumed dead): make it again, once.
    if (Status h = heartbeat(); !h) return h.error();
    if (Status again = env_->rename_durably(item.path, to); !again) return again.error();
  }
  seen_.erase(item.name);
  return InboxItem{item.name, to, item.type};
}

Status InboxWatcher::move_to(const std::string& from, const std::string& folder, const std::string& name,
                             std::string* placed) {
  std::string dir = folder.empty() ? inbox_ : inbox_ + "/" + folder;
  if (Status s = env_->make_dirs(dir); !s) return s;
  // rename() replaces an existing file silently: find a free name first. Only this process adds
  // this item's name variants, so the check and the rename do not race with each other here.
  std::string target = dir + "/" + name;
  for (int i = 1; env_->exists(target); ++i)
    target = folder.empty() ? dir + "/returned-" + std::to_string(i) + "-" + name : dir + "/" + name + "." + std::to_string(i);
  if (Status s = env_->rename_durably(from, target); !s) return s;
  if (placed) *placed = target;
  return Status::Ok();
}

Status InboxWatcher::acknowledge(const InboxItem& item) {
  if (options_.delete_processed) {
    if (!env_->exists(item.path)) return Error{Code::kNotFound, item.path + ": no longer claimed here"};
    return env_->remove_all(item.path);
  }
  return move_to(item.path, ".processed", item.name);
}

Status InboxWatcher::reject(const InboxItem& item, const std::string& reason) {
  std::string placed;
  if (Status st = move_to(item.path, ".failed", item.name, &placed); !st) return st;
  return env_->write_durably(placed + ".reason.txt", reason + "\n");
}

Status InboxWatcher::release(const InboxItem& item) { return move_to(item.path, "", item.name); }

Result<int> InboxWatcher::release_all() {
  auto items = env_->list_dir(claim_dir());
  if (!items) return items.error().code == Code::kNotFound ? Result<int>(0) : Result<int>(items.error());
  int n = 0;
  for (const auto& e : *items) {
    if (Status s = release({e.name, claim_dir() + "/" + e.name, e.type}); !s) return s.error();
    ++n;
  }
  return n;
}

}  // namespace clee
