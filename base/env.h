// The operating system as every stage sees it: files, the clock and child processes behind one
// narrow interface, so tests substitute it (a fault-injecting wrapper that fails an fsync, drops
// unsynced writes or "crashes" between steps; a clock that jumps) — LevelDB's Env and ninja's
// DiskInterface are the models. The store, the inbox watcher, Maildir, the outbox and the sandbox
// all go through it; nothing in product code calls the file system around it.
//
// Paths are never followed through a symbolic link by the reading and listing calls: `stat` and
// `list_dir` report a link as FileType::kSymlink, and `read_file` / `stream_file` refuse a link
// (O_NOFOLLOW) and anything that is not a regular file (a FIFO would block, a device never ends).
// Callers walk folders with `list_dir` and decide what to do with each entry.
//
// Implementations must be thread-safe. Env::Default() lives for the whole process.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace clee {

enum class FileType { kRegular, kDirectory, kSymlink, kOther };

struct FileInfo {
  FileType type = FileType::kOther;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
};

struct DirEntry {
  std::string name;
  FileType type = FileType::kOther;  // of the entry itself (lstat): a link is kSymlink
};

// A child process to run: argv[0] is the executable's path. Limits are set in the child before
// exec (RLIMIT_AS, RLIMIT_CPU, RLIMIT_FSIZE, no core dumps); the parent kills it at the wall-time
// deadline. stdin is fed from a thread, so a child that stops reading cannot block the parent.
struct ChildSpec {
  std::vector<std::string> argv;
  std::string input;                   // written to the child's stdin, then closed
  uint64_t max_memory_bytes = 0;       // RLIMIT_AS; 0 = no limit
  uint64_t max_cpu_seconds = 0;        // RLIMIT_CPU; 0 = no limit
  bool no_file_writes = false;         // RLIMIT_FSIZE = 0
  double wall_seconds = 0;             // killed (SIGKILL) after this; 0 = no limit
  size_t max_output_bytes = 512u << 20;  // stdout kept up to this; the child is killed beyond it
  size_t max_error_bytes = 4096;       // stderr kept up to this (the rest is read and dropped)
};

struct ChildResult {
  bool started = false;     // false: the process could not be created (see `errors`)
  int exit_code = -1;       // when it exited
  int signal = 0;           // when a signal ended it
  bool timed_out = false;   // killed at the wall-time deadline
  bool output_overflow = false;  // killed for writing more than max_output_bytes
  std::string output, errors;
  double seconds = 0;
};

// An advisory lock on a file (flock), released when this object is destroyed — or by the kernel
// when the process dies, whatever its pid or host name: liveness that cannot be faked by a pid
// that repeats.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

class Env {
 public:
  virtual ~Env() = default;

  // ---- files ----
  // The whole file, refused when larger than `max_bytes` (Code::kLimitExceeded) or not a regular
  // file (Code::kUnsafeEntry). Never follows a symbolic link.
  virtual Result<std::string> read_file(const std::string& path, uint64_t max_bytes = UINT64_MAX) = 0;
  // Hands the file to `chunk` piece by piece (bounded memory for any size). Same refusals as
  // read_file; stops at the first chunk that returns an error and returns it.
  virtual Status stream_file(const std::string& path, const std::function<Status(std::string_view)>& chunk) = 0;
  // Writes `bytes` to `path` durably: a temp file `path.tmp.*` in the same folder, fsync, rename,
  // fsync the folder. Never leaves a partial file at `path`; removes its temp file on failure.
  virtual Status write_durably(const std::string& path, std::string_view bytes) = 0;
  // Copies a regular file (never through a link) to `to` as write_durably does, streaming.
  // `sha256` (optional) receives the hex digest of the bytes copied.
  virtual Status copy_durably(const std::string& from, const std::string& to, std::string* sha256 = nullptr) = 0;
  // Renames within one file system and fsyncs the destination folder. Fails if `to` exists
  // and is a non-empty folder.
  virtual Status rename_durably(const std::string& from, const std::string& to) = 0;
  // Removes a file, a link (never its target) or an empty folder. Ok when already absent.
  virtual Status remove(const std::string& path) = 0;
  // Removes a folder tree without following links. Ok when already absent.
  virtual Status remove_all(const std::string& path) = 0;
  virtual Status make_dirs(const std::string& path) = 0;
  // lstat: a link is reported as a link. Code::kNotFound when absent.
  virtual Result<FileInfo> stat(const std::string& path) = 0;
  // The folder's entries ("." and ".." left out), in no particular order.
  virtual Result<std::vector<DirEntry>> list_dir(const std::string& path) = 0;
  virtual bool exists(const std::string& path) = 0;
  // Ok when a file can be created in `dir` (the folder is writable, the disk not full).
  virtual Status check_writable(const std::string& dir) = 0;
  // Takes an exclusive lock on `path` (created if absent, never through a link) without waiting:
  // Code::kBusy when another holder has it.
  virtual Result<std::unique_ptr<FileLock>> lock_file(const std::string& path) = 0;

  // ---- clock ----
  // The current UTC time as "YYYY-MM-DDTHH:MM:SSZ" (audit events, received/approved dates).
  virtual std::string now_utc() = 0;
  // Seconds since the Unix epoch (leases, backoff deadlines).
  virtual double now_seconds() = 0;
  // A monotonic clock in seconds (stability waits, timeouts).
  virtual double monotonic_seconds() = 0;
  virtual void sleep_for(double seconds) = 0;

  // ---- processes ----
  virtual ChildResult run_child(const ChildSpec& spec) = 0;

  static Env* Default();
};

// Forwards every call to another Env; tests override what they need (LevelDB's EnvWrapper).
class EnvWrapper : public Env {
 public:
  explicit EnvWrapper(Env* target) : target_(target) {}
  Env* target() const { return target_; }

  Result<std::string> read_file(const std::string& p, uint64_t max) override { return target_->read_file(p, max); }
  Status stream_file(const std::string& p, const std::function<Status(std::string_view)>& c) override {
    return target_->stream_file(p, c);
  }
  Status write_durably(const std::string& p, std::string_view b) override { return target_->write_durably(p, b); }
  Status copy_durably(const std::string& f, const std::string& t, std::string* sha) override {
    return target_->copy_durably(f, t, sha);
  }
  Status rename_durably(const std::string& f, const std::string& t) override { return target_->rename_durably(f, t); }
  Status remove(const std::string& p) override { return target_->remove(p); }
  Status remove_all(const std::string& p) override { return target_->remove_all(p); }
  Status make_dirs(const std::string& p) override { return target_->make_dirs(p); }
  Result<FileInfo> stat(const std::string& p) override { return target_->stat(p); }
  Result<std::vector<DirEntry>> list_dir(const std::string& p) override { return target_->list_dir(p); }
  bool exists(const std::string& p) override { return target_->exists(p); }
  Status check_writable(const std::string& d) override { return target_->check_writable(d); }
  Result<std::unique_ptr<FileLock>> lock_file(const std::string& p) override { return target_->lock_file(p); }
  std::string now_utc() override { return target_->now_utc(); }
  double now_seconds() override { return target_->now_seconds(); }
  double monotonic_seconds() override { return target_->monotonic_seconds(); }
  void sleep_for(double s) override { target_->sleep_for(s); }
  ChildResult run_child(const ChildSpec& s) override { return target_->run_child(s); }

 private:
  Env* target_;
};

// Formats seconds since the epoch as "YYYY-MM-DDTHH:MM:SSZ".
std::string format_utc(double epoch_seconds);
// Parses "YYYY-MM-DDTHH:MM:SSZ" (or a date "YYYY-MM-DD"); nullopt when malformed.
std::optional<double> parse_utc(std::string_view text);

// An Error for a failed system call: the code from errno (ENOSPC → kNoSpace, EROFS/EACCES →
// kReadOnly, ENOENT → kNotFound, ELOOP → kUnsafeEntry, else kIoError), the message
// "WHAT PATH: strerror".
Error errno_error(const std::string& what, const std::string& path, int err);

}  // namespace clee
