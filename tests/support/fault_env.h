// A fault-injecting Env for tests, after LevelDB's FaultInjectionTestEnv: it forwards to the real
// file system and can
//   - "crash" after N mutating steps (every later write, copy, rename, removal or folder creation
//     fails, as if the power went; what was written durably before stays),
//   - fail the next calls of one kind with a chosen code (a full disk, a read-only folder),
//   - run on a clock the test sets and advances (audit times, leases, stability waits, backoff).
// It also counts the calls it saw, so a test can assert what a unit did to the file system.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "base/env.h"

namespace clee::test {

class FaultEnv : public EnvWrapper {
 public:
  enum class Op { kWrite, kCopy, kRename, kRemove, kMakeDirs, kRead, kList, kStat };

  FaultEnv() : EnvWrapper(Env::Default()) {}

  // After `steps` more mutating operations every one fails (-1 = never).
  void crash_after(int steps) { steps_left_ = steps; }
  bool crashed() const { return crashed_; }
  // The next `times` calls of `op` fail with `code` (times < 0: all of them).
  void fail(Op op, Code code, int times = -1) {
    std::lock_guard<std::mutex> lock(mu_);
    failures_[op] = {code, times};
  }
  void heal() {
    std::lock_guard<std::mutex> lock(mu_);
    failures_.clear();
    steps_left_ = -1;
    crashed_ = false;
  }
  int calls(Op op) {
    std::lock_guard<std::mutex> lock(mu_);
    return counts_[op];
  }

  // The clock: fixed at `epoch` until advanced (monotonic time advances with it).
  void set_time(double epoch_seconds) {
    std::lock_guard<std::mutex> lock(mu_);
    time_ = epoch_seconds;
  }
  void advance(double seconds) {
    std::lock_guard<std::mutex> lock(mu_);
    if (time_) *time_ += seconds;
    monotonic_offset_ += seconds;
  }

  Result<std::string> read_file(const std::string& p, uint64_t max) override {
    if (auto e = injected(Op::kRead, p, false)) return *e;
    return EnvWrapper::read_file(p, max);
  }
  Status stream_file(const std::string& p, const std::function<Status(std::string_view)>& c) override {
    if (auto e = injected(Op::kRead, p, false)) return *e;
    return EnvWrapper::stream_file(p, c);
  }
  Status write_durably(const std::string& p, std::string_view b) override {
    if (auto e = injected(Op::kWrite, p, true)) return *e;
    return EnvWrapper::write_durably(p, b);
  }
  Status copy_durably(const std::string& f, const std::string& t, std::string* sha) override {
    if (auto e = injected(Op::kCopy, t, true)) return *e;
    return EnvWrapper::copy_durably(f, t, sha);
  }
  Status rename_durably(const std::string& f, const std::string& t) override {
    if (auto e = injected(Op::kRename, f, true)) return *e;
    return EnvWrapper::rename_durably(f, t);
  }
  Status remove(const std::string& p) override {
    if (auto e = injected(Op::kRemove, p, true)) return *e;
    return EnvWrapper::remove(p);
  }
  Status remove_all(const std::string& p) override {
    if (auto e = injected(Op::kRemove, p, true)) return *e;
    return EnvWrapper::remove_all(p);
  }
  Status make_dirs(const std::string& p) override {
    if (target()->exists(p)) return Status::Ok();  // nothing to do, nothing to fail
    if (auto e = injected(Op::kMakeDirs, p, true)) return *e;
    return EnvWrapper::make_dirs(p);
  }
  Result<FileInfo> stat(const std::string& p) override {
    if (auto e = injected(Op::kStat, p, false)) return *e;
    return EnvWrapper::stat(p);
  }
  Result<std::vector<DirEntry>> list_dir(const std::string& p) override {
    if (auto e = injected(Op::kList, p, false)) return *e;
    return EnvWrapper::list_dir(p);
  }
  Status check_writable(const std::string& d) override {
    if (auto e = injected(Op::kWrite, d, false)) return *e;
    return EnvWrapper::check_writable(d);
  }

  Result<std::unique_ptr<FileLock>> lock_file(const std::string& p) override { return EnvWrapper::lock_file(p); }

  std::string now_utc() override { return format_utc(now_seconds()); }
  double now_seconds() override {
    std::lock_guard<std::mutex> lock(mu_);
    return time_ ? *time_ : target()->now_seconds() + monotonic_offset_;
  }
  double monotonic_seconds() override {
    std::lock_guard<std::mutex> lock(mu_);
    return target()->monotonic_seconds() + monotonic_offset_;
  }
  // Sleeping advances the test clock instead of waiting, so time-based loops run instantly.
  void sleep_for(double seconds) override {
    if (seconds > 0) advance(seconds);
  }

 private:
  std::optional<Error> injected(Op op, const std::string& path, bool mutating) {
    std::lock_guard<std::mutex> lock(mu_);
    ++counts_[op];
    if (mutating && steps_left_ >= 0) {
      if (steps_left_ == 0) {
        crashed_ = true;
        return Error{Code::kIoError, "crashed before touching " + path};
      }
      --steps_left_;
    }
    auto it = failures_.find(op);
    if (it != failures_.end() && it->second.times != 0) {
      if (it->second.times > 0) --it->second.times;
      return Error{it->second.code, "injected " + std::string(code_name(it->second.code)) + " on " + path};
    }
    return std::nullopt;
  }

  struct Failure {
    Code code;
    int times;
  };
  std::mutex mu_;
  int steps_left_ = -1;
  bool crashed_ = false;
  std::map<Op, Failure> failures_;
  std::map<Op, int> counts_;
  std::optional<double> time_;
  double monotonic_offset_ = 0;
};

}  // namespace clee::test
