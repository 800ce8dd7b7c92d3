// The file system and the clock as the queue sees them: one narrow interface so tests can inject
// failures (a failed fsync, a crash between steps) and fix the time, as LevelDB's Env and ninja's
// DiskInterface do. Implementations must be thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "extractors/document.h"

namespace clee {

class Env {
 public:
  virtual ~Env() = default;
  // Writes `bytes` to `path` durably: a temp file in the same folder, fsync, rename, fsync folder.
  // Never leaves a partial file at `path`.
  virtual Status write_durably(const std::string& path, std::string_view bytes) = 0;
  virtual Result<std::string> read(const std::string& path) = 0;
  virtual bool exists(const std::string& path) = 0;
  virtual Status make_dirs(const std::string& path) = 0;
  // Renames within one file system and fsyncs the destination folder.
  virtual Status rename_durably(const std::string& from, const std::string& to) = 0;
  // The current UTC time as "YYYY-MM-DDTHH:MM:SSZ" (audit events, received/approved dates, the
  // CLEE ID's year). The default reads the system clock.
  virtual std::string now_utc();

  static Env* Default();
};

}  // namespace clee
