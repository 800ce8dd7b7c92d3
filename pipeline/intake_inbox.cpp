#include "pipeline/intake_inbox.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace clee {
namespace fs = std::filesystem;

namespace {

double monotonic() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Size and latest mtime of a file, or of everything under a folder.
bool measure(const fs::path& p, uint64_t* size, int64_t* mtime) {
  std::error_code ec;
  *size = 0;
  *mtime = 0;
  auto take = [&](const fs::path& f) {
    auto s = fs::file_size(f, ec);
    if (!ec) *size += s;
    auto t = fs::last_write_time(f, ec);
    if (!ec) *mtime = std::max<int64_t>(*mtime, t.time_since_epoch().count());
  };
  if (fs::is_directory(p, ec)) {
    take(p);
    for (fs::recursive_directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec)) take(it->path());
  } else {
    take(p);
  }
  return !ec;
}

}  // namespace

bool InboxWatcher::ignored(const std::string& n) {
  auto ends = [&](const char* suf) {
    std::string s(suf);
    return n.size() >= s.size() && n.compare(n.size() - s.size(), s.size(), s) == 0;
  };
  return n.empty() || n[0] == '.' || n.rfind("~$", 0) == 0 || n == "Thumbs.db" || n == "desktop.ini" ||
         ends(".part") || ends(".crdownload") || ends(".tmp") || ends(".swp") || ends("~") || ends(".reason.txt");
}

InboxWatcher::InboxWatcher(std::string inbox, InboxOptions options) : inbox_(std::move(inbox)), options_(options) {
  std::error_code ec;
  fs::create_directories(inbox_, ec);
  if (!options_.poll) {
    inotify_fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (inotify_fd_ >= 0 &&
        inotify_add_watch(inotify_fd_, inbox_.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY | IN_DELETE | IN_MOVED_FROM) < 0) {
      close(inotify_fd_);
      inotify_fd_ = -1;  // fall back to polling
    }
  }
}

InboxWatcher::~InboxWatcher() {
  if (inotify_fd_ >= 0) close(inotify_fd_);
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
  double now = monotonic();
  std::map<std::string, Seen> next;
  std::error_code ec;
  for (fs::directory_iterator it(inbox_, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (ignored(name)) continue;
    Seen s;
    if (!measure(it->path(), &s.size, &s.mtime_ns)) continue;
    // A folder still empty is being set up (files not copied in yet): not a packet yet.
    if (it->is_directory() && s.size == 0 && fs::is_empty(it->path(), ec)) continue;
    auto old = seen_.find(name);
    if (old != seen_.end() && old->second.size == s.size && old->second.mtime_ns == s.mtime_ns) {
      s.stable_since = old->second.stable_since;
    } else {
      s.stable_since = now;
    }
    next[name] = s;
    auto complete = arrived_complete_.find(name);
    double wait = complete != arrived_complete_.end() && complete->second ? std::min(options_.stability_seconds, 0.5)
                                                                           : options_.stability_seconds;
    if (now - s.stable_since >= wait) out.push_back({name, it->path().string()});
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
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    return;
  }
  pollfd p{inotify_fd_, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(seconds * 1000)) > 0) drain_events();
}

Status InboxWatcher::move_to(const InboxItem& item, const std::string& folder) {
  fs::path dir = fs::path(inbox_) / folder;
  std::error_code ec;
  fs::create_directories(dir, ec);
  fs::path target = dir / item.name;
  for (int i = 1; fs::exists(target, ec); ++i) target = dir / (item.name + "." + std::to_string(i));
  fs::rename(item.path, target, ec);
  // Another process may have taken it first: gone from the inbox is what we wanted.
  if (ec && ec != std::errc::no_such_file_or_directory)
    return Error{Code::kIoError, "cannot move " + item.path + " to " + target.string() + ": " + ec.message()};
  return Status::Ok();
}

// acknowledge and reject touch only the file system, so a worker thread may call them while the
// watcher's own thread scans.
Status InboxWatcher::acknowledge(const InboxItem& item) {
  if (options_.delete_processed) {
    std::error_code ec;
    fs::remove_all(item.path, ec);
    if (ec) return Error{Code::kIoError, "cannot delete " + item.path + ": " + ec.message()};
    return Status::Ok();
  }
  return move_to(item, ".processed");
}

Status InboxWatcher::reject(const InboxItem& item, const std::string& reason) {
  Status st = move_to(item, ".failed");
  if (!st) return st;
  std::ofstream(fs::path(inbox_) / ".failed" / (item.name + ".reason.txt")) << reason << "\n";
  return Status::Ok();
}

}  // namespace clee
