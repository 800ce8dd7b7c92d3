#include "queue/env.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace clee {
namespace {

Error io_error(const std::string& what, const std::string& path) {
  return Error{"io_error", what + " " + path + ": " + std::strerror(errno)};
}

Status fsync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("open folder", dir);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return io_error("fsync folder", dir);
  return Status::Ok();
}

std::string parent_of(const std::string& path) {
  auto p = std::filesystem::path(path).parent_path().string();
  return p.empty() ? "." : p;
}

class PosixEnv : public Env {
 public:
  Status write_durably(const std::string& path, std::string_view bytes) override {
    static std::atomic<unsigned> counter{0};
    std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0) return io_error("create", tmp);
    size_t off = 0;
    while (off < bytes.size()) {
      ssize_t n = ::write(fd, bytes.data() + off, bytes.size() - off);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        Error e = io_error("write", tmp);
        ::close(fd);
        ::unlink(tmp.c_str());
        return e;
      }
      off += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0) {
      Error e = io_error("fsync", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return e;
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
      Error e = io_error("rename", tmp);
      ::unlink(tmp.c_str());
      return e;
    }
    return fsync_dir(parent_of(path));
  }

  Result<std::string> read(const std::string& path) override {
    std::ifstream in(path, std::ios::binary);
    if (!in) return io_error("read", path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  bool exists(const std::string& path) override { return ::access(path.c_str(), F_OK) == 0; }

  Status make_dirs(const std::string& path) override {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) return Error{"io_error", "create folder " + path + ": " + ec.message()};
    return Status::Ok();
  }

  Status rename_durably(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return io_error("rename", from);
    return fsync_dir(parent_of(to));
  }
};

}  // namespace

std::string Env::now_utc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Env* Env::Default() {
  static PosixEnv env;
  return &env;
}

}  // namespace clee
