// The POSIX Env. Durable writes: temp file in the same folder, fsync, rename, fsync the folder
// (a crash leaves the old file or the new one, never a mix). Reads never follow links: O_NOFOLLOW
// on the last component and O_NONBLOCK so a FIFO cannot block the open, then fstat must say
// "regular file". Child processes: fork + exec, where the child makes only system calls between
// the two (safe in a multi-threaded parent).
#include "base/env.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <thread>

#include "base/hash.h"

namespace clee {

Error errno_error(const std::string& what, const std::string& path, int err) {
  Code code = Code::kIoError;
  switch (err) {
    case ENOSPC:
    case EDQUOT: code = Code::kNoSpace; break;
    case EROFS:
    case EACCES:
    case EPERM: code = Code::kReadOnly; break;
    case ENOENT: code = Code::kNotFound; break;
    case ELOOP: code = Code::kUnsafeEntry; break;
    default: break;
  }
  std::string cause = err == ELOOP ? "is a symbolic link (not followed)" : std::strerror(err);
  return Error{code, what + " " + path + ": " + cause};
}

std::string format_utc(double epoch_seconds) {
  std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<double> parse_utc(std::string_view text) {
  std::string s(text);
  std::tm tm{};
  const char* end = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (!end || *end) {
    tm = {};
    end = strptime(s.c_str(), "%Y-%m-%d", &tm);
    if (!end || *end) return std::nullopt;
  }
  return static_cast<double>(timegm(&tm));
}

namespace {

std::string parent_of(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

Status fsync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_error("open folder", dir, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return errno_error("fsync folder", dir, err);
  return Status::Ok();
}

FileType type_of(mode_t mode) {
  if (S_ISREG(mode)) return FileType::kRegular;
  if (S_ISDIR(mode)) return FileType::kDirectory;
  if (S_ISLNK(mode)) return FileType::kSymlink;
  return FileType::kOther;
}

// Opens a regular file for reading without following a link and without blocking on a FIFO.
Result<int> open_regular(const std::string& path, struct stat* st) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return errno_error("open", path, errno);
  if (::fstat(fd, st) != 0) {
    Error e = errno_error("stat", path, errno);
    ::close(fd);
    return e;
  }
  if (!S_ISREG(st->st_mode)) {
    ::close(fd);
    return Error{Code::kUnsafeEntry, path + ": not a regular file (" +
                                         std::string(S_ISDIR(st->st_mode) ? "a folder" : "a device, pipe or socket") + ")"};
  }
  // Back to blocking reads for a regular file (O_NONBLOCK only protected the open).
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

Status write_all(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return errno_error("write", path, n < 0 ? errno : EIO);
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

// A temp file beside `path`, removed unless committed: the durable-write protocol in one place.
class TempFile {
 public:
  explicit TempFile(const std::string& path) : path_(path) {
    static std::atomic<unsigned> counter{0};
    tmp_ = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
    fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640);
    if (fd_ < 0) error_ = errno_error("create", tmp_, errno);
  }
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(tmp_.c_str());
  }
  Status opened() const { return error_ ? Status(*error_) : Status::Ok(); }
  Status append(std::string_view bytes) { return write_all(fd_, bytes, tmp_); }
  // fsync, close, rename over `path`, fsync the folder.
  Status commit() {
    if (::fsync(fd_) != 0) return errno_error("fsync", tmp_, errno);
    int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0) return errno_error("close", tmp_, errno);
    if (::rename(tmp_.c_str(), path_.c_str()) != 0) return errno_error("rename", tmp_, errno);
    committed_ = true;
    return fsync_dir(parent_of(path_));
  }

 private:
  std::string path_, tmp_;
  int fd_ = -1;
  bool committed_ = false;
  std::optional<Error> error_;
};

class PosixFileLock : public FileLock {
 public:
  explicit PosixFileLock(int fd) : fd_(fd) {}
  ~PosixFileLock() override { ::close(fd_); }  // closing the descriptor releases the flock

 private:
  int fd_;
};

class PosixEnv : public Env {
 public:
  Result<std::string> read_file(const std::string& path, uint64_t max_bytes) override {
    struct stat st {};
    auto fd = open_regular(path, &st);
    if (!fd) return fd.error();
    if (static_cast<uint64_t>(st.st_size) > max_bytes) {
      ::close(*fd);
      return Error{Code::kLimitExceeded, path + ": " + std::to_string(st.st_size) + " bytes, over the limit of " +
                                             std::to_string(max_bytes)};
    }
    std::string out;
    out.reserve(static_cast<size_t>(st.st_size));
    char buf[1 << 16];
    for (;;) {
      ssize_t n = ::read(*fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        Error e = errno_error("read", path, errno);
        ::close(*fd);
        return e;
      }
      if (n == 0) break;
      if (out.size() + static_cast<size_t>(n) > max_bytes) {  // grew while we read
        ::close(*fd);
        return Error{Code::kLimitExceeded, path + ": over the limit of " + std::to_string(max_bytes) + " bytes"};
      }
      out.append(buf, static_cast<size_t>(n));
    }
    ::close(*fd);
    return out;
  }

  Status stream_file(const std::string& path, const std::function<Status(std::string_view)>& chunk) override {
    struct stat st {};
    auto fd = open_regular(path, &st);
    if (!fd) return fd.error();
    std::string buf(1 << 20, '\0');
    Status result;
    for (;;) {
      ssize_t n = ::read(*fd, buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        result = errno_error("read", path, errno);
        break;
      }
      if (n == 0) break;
      if (Status s = chunk(std::string_view(buf.data(), static_cast<size_t>(n))); !s) {
        result = s;
        break;
      }
    }
    ::close(*fd);
    return result;
  }

  Status write_durably(const std::string& path, std::string_view bytes) override {
    TempFile t(path);
    if (Status s = t.opened(); !s) return s;
    if (Status s = t.append(bytes); !s) return s;
    return t.commit();
  }

  Status copy_durably(const std::string& from, const std::string& to, std::string* sha256) override {
    TempFile t(to);
    if (Status s = t.opened(); !s) return s;
    Sha256 hash;
    if (Status s = stream_file(from, [&](std::string_view c) {
          if (sha256) hash.update(c);
          return t.append(c);
        });
        !s)
      return s;
    if (sha256) *sha256 = hash.hex();
    return t.commit();
  }

  Status rename_durably(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return errno_error("rename", from, errno);
    return fsync_dir(parent_of(to));
  }

  Status remove(const std::string& path) override {
    if (::unlink(path.c_str()) == 0) return Status::Ok();
    if (errno == ENOENT) return Status::Ok();
    if (errno == EISDIR || errno == EPERM) {
      if (::rmdir(path.c_str()) == 0 || errno == ENOENT) return Status::Ok();
    }
    return errno_error("remove", path, errno);
  }

  Status remove_all(const std::string& path) override {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return errno == ENOENT ? Status::Ok() : Status(errno_error("stat", path, errno));
    if (S_ISDIR(st.st_mode)) {
      auto entries = list_dir(path);
      if (!entries) return entries.error();
      for (const auto& e : *entries)
        if (Status s = remove_all(path + "/" + e.name); !s) return s;
      if (::rmdir(path.c_str()) != 0 && errno != ENOENT) return errno_error("remove folder", path, errno);
      return Status::Ok();
    }
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return errno_error("remove", path, errno);
    return Status::Ok();
  }

  Status make_dirs(const std::string& path) override {
    if (path.empty()) return Status::Ok();
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode)) return Status::Ok();
      return Error{Code::kIoError, "create folder " + path + ": a file of that name is in the way"};
    }
    std::string parent = parent_of(path);
    if (parent != path && parent != "." && parent != "/")
      if (Status s = make_dirs(parent); !s) return s;
    if (::mkdir(path.c_str(), 0750) != 0 && errno != EEXIST) return errno_error("create folder", path, errno);
    return Status::Ok();
  }

  Result<FileInfo> stat(const std::string& path) override {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return errno_error("stat", path, errno);
    FileInfo info;
    info.type = type_of(st.st_mode);
    info.size = static_cast<uint64_t>(st.st_size);
    info.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    return info;
  }

  Result<std::vector<DirEntry>> list_dir(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return errno_error("open folder", path, errno);
    DIR* d = ::fdopendir(fd);
    if (!d) {
      Error e = errno_error("open folder", path, errno);
      ::close(fd);
      return e;
    }
    std::vector<DirEntry> out;
    errno = 0;
    while (dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      FileType t = FileType::kOther;
      struct stat st {};
      if (::fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) t = type_of(st.st_mode);
      else if (errno == ENOENT) continue;  // gone between readdir and stat
      out.push_back({std::move(name), t});
      errno = 0;
    }
    int err = errno;
    ::closedir(d);
    if (err != 0) return errno_error("read folder", path, err);
    return out;
  }

  bool exists(const std::string& path) override {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
  }

  Status check_writable(const std::string& dir) override {
    std::string probe = dir + "/.write-probe." + std::to_string(::getpid());
    int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
    if (fd < 0) return errno_error("write in", dir, errno);
    // One block, so a full disk shows here rather than in the middle of a packet.
    char block[4096] = {};
    ssize_t n = ::write(fd, block, sizeof block);
    int err = errno;
    ::close(fd);
    ::unlink(probe.c_str());
    if (n != static_cast<ssize_t>(sizeof block)) return errno_error("write in", dir, n < 0 ? err : ENOSPC);
    return Status::Ok();
  }

  Result<std::unique_ptr<FileLock>> lock_file(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0640);
    if (fd < 0) return errno_error("open lock", path, errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int err = errno;
      ::close(fd);
      if (err == EWOULDBLOCK) return Error{Code::kBusy, path + ": held by a running process"};
      return errno_error("lock", path, err);
    }
    return std::unique_ptr<FileLock>(new PosixFileLock(fd));
  }

  std::string now_utc() override { return format_utc(now_seconds()); }

  double now_seconds() override {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  }

  double monotonic_seconds() override {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  }

  void sleep_for(double seconds) override {
    if (seconds > 0) std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  }

  ChildResult run_child(const ChildSpec& spec) override;
};

void close_all(std::initializer_list<int> fds) {
  for (int fd : fds)
    if (fd >= 0) ::close(fd);
}

ChildResult PosixEnv::run_child(const ChildSpec& spec) {
  ChildResult r;
  if (spec.argv.empty()) {
    r.errors = "no program to run";
    return r;
  }
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0) {
    r.errors = std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  if (pipe2(out, O_CLOEXEC) != 0) {
    close_all({in[0], in[1]});
    r.errors = std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  if (pipe2(err, O_CLOEXEC) != 0) {
    close_all({in[0], in[1], out[0], out[1]});
    r.errors = std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  // Everything the child needs is prepared before fork: between fork and exec it only makes
  // system calls.
  std::vector<std::string> args = spec.argv;
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  rlimit as{spec.max_memory_bytes, spec.max_memory_bytes};
  rlimit cpu{spec.max_cpu_seconds, spec.max_cpu_seconds + 5};
  rlimit zero{0, 0};
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer reserves terabytes of address space for its shadow memory; under the
  // sanitizer build the memory cap is left to the wall-time and CPU limits.
  const bool apply_as = false;
#else
  const bool apply_as = spec.max_memory_bytes > 0;
#endif
  double start = monotonic_seconds();
  pid_t pid = fork();
  if (pid < 0) {
    close_all({in[0], in[1], out[0], out[1], err[0], err[1]});
    r.errors = std::string("fork: ") + std::strerror(errno);
    return r;
  }
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    if (apply_as) setrlimit(RLIMIT_AS, &as);
    if (spec.max_cpu_seconds > 0) setrlimit(RLIMIT_CPU, &cpu);
    if (spec.no_file_writes) setrlimit(RLIMIT_FSIZE, &zero);
    setrlimit(RLIMIT_CORE, &zero);
    execv(argv[0], argv.data());
    _exit(127);
  }
  r.started = true;
  close_all({in[0], out[1], err[1]});
  std::thread feeder([fd = in[1], &spec] {
    // A child that exits early closes its stdin: the write fails with EPIPE, which is fine. The
    // kernel also sends SIGPIPE to the writing thread, which would end the whole parent (a daemon);
    // blocked on this thread it stays pending here and is discarded when the thread ends.
    sigset_t pipe_signal;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
    std::string_view data = spec.input;
    while (!data.empty()) {
      ssize_t n = ::write(fd, data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      data.remove_prefix(static_cast<size_t>(n));
    }
    ::close(fd);
  });
  const double deadline = spec.wall_seconds > 0 ? start + spec.wall_seconds : 0;
  char buf[65536];
  int out_fd = out[0], err_fd = err[0];
  bool killed = false;
  auto kill_child = [&] {
    if (!killed) ::kill(pid, SIGKILL);
    killed = true;
  };
  while (out_fd >= 0 || err_fd >= 0) {
    double left = deadline > 0 ? deadline - monotonic_seconds() : 1.0;
    if (deadline > 0 && left <= 0) {
      r.timed_out = true;
      kill_child();
      break;
    }
    pollfd p[2];
    int n = 0;
    if (out_fd >= 0) p[n++] = {out_fd, POLLIN, 0};
    if (err_fd >= 0) p[n++] = {err_fd, POLLIN, 0};
    int rc = ::poll(p, static_cast<nfds_t>(n), static_cast<int>(std::min(left, 1.0) * 1000) + 1);
    if (rc < 0 && errno != EINTR) break;
    if (rc <= 0) continue;
    for (int i = 0; i < n; ++i) {
      if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t got = ::read(p[i].fd, buf, sizeof buf);
      if (got < 0 && errno == EINTR) continue;
      bool is_out = p[i].fd == out_fd;
      if (got <= 0) {
        ::close(p[i].fd);
        (is_out ? out_fd : err_fd) = -1;
        continue;
      }
      if (is_out) {
        if (r.output.size() + static_cast<size_t>(got) > spec.max_output_bytes) {
          r.output_overflow = true;
          kill_child();
        } else {
          r.output.append(buf, static_cast<size_t>(got));
        }
      } else if (r.errors.size() < spec.max_error_bytes) {
        r.errors.append(buf, std::min(static_cast<size_t>(got), spec.max_error_bytes - r.errors.size()));
      }
    }
    if (r.output_overflow) break;
  }
  close_all({out_fd, err_fd});
  // The child closed its output; it may still hang before exiting. Wait up to the deadline.
  int status = 0;
  for (;;) {
    pid_t w = ::waitpid(pid, &status, killed ? 0 : WNOHANG);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) break;
    if (w == 0 && deadline > 0 && monotonic_seconds() > deadline) {
      r.timed_out = true;
      kill_child();
      continue;
    }
    if (w == 0) ::usleep(2000);
  }
  feeder.join();
  r.seconds = monotonic_seconds() - start;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  return r;
}

}  // namespace

Env* Env::Default() {
  static PosixEnv env;
  return &env;
}

}  // namespace clee
