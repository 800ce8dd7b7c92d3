// LibreOffice as a converter for the formats no native reader of ours opens: PowerPoint 97–2003
// (.ppt → .pptx), Excel 97–2003 (.xls → .xlsx), Word 6/95 and Word 2003 XML (→ .docx), and ODF
// spreadsheets and presentations (.ods → .xlsx, .odp → .pptx).
// The result is read by our own OOXML readers, so a converted file reads exactly like a native
// one. (Word 97–2003, RTF and ODT have native readers and never come here.)
//
// LibreOffice runs as a child process through Env::run_child, never in-process: headless, under
// rlimits (address space, CPU) and a wall-time kill, with a private HOME, TMPDIR and user profile
// (-env:UserInstallation) in a folder of its own that is removed afterwards, macros disabled and
// linked content from untrusted places blocked in that profile, and no network when the system
// allows an unprivileged network namespace (unshare -rn; the log says when it does not).
//
// A LibreOffice start costs about a second, so one warm instance is kept (ConverterOptions::warm):
// the first conversion runs on its own (as `soffice --convert-to` would), then an instance is
// started in the background with a placeholder document open (which keeps it alive), and every
// later conversion is handed to it through LibreOffice's own single-instance pipe by a
// short-lived `soffice --convert-to` client: ~0.1-0.2 s instead of a start. The instance is replaced after max_jobs
// conversions or once it is older than lifetime_seconds, killed and replaced after any failure
// or timeout, and killed when the Converter is destroyed; an instance left behind by a crashed
// process is found by its folder (whose owner lock the kernel released) and killed on the next
// start. Thread-safe; conversions run one
// at a time.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "base/env.h"
#include "base/status.h"
#include "extractors/limits.h"

namespace clee {

struct ConverterOptions {
  std::string program;             // soffice.bin; "" = looked up in LibreOffice's usual places
  std::string work_dir;            // parent of the private folder; "" = $TMPDIR or /tmp
  bool warm = true;                // keep one instance running between conversions
  int max_jobs = 200;              // conversions per warm instance before it is replaced
  double lifetime_seconds = 900;   // a warm instance lives at most this long (idle or not)
};

class Converter {
 public:
  explicit Converter(Env* env = Env::Default(), ConverterOptions options = {});
  ~Converter();
  Converter(const Converter&) = delete;
  Converter& operator=(const Converter&) = delete;

  // Converts `bytes` (a file whose extension is `from`: "ppt", "xls", "doc", "xml") to `to`
  // ("pptx", "xlsx", "docx"; any --convert-to target, a filter after a colon allowed:
  // "txt:Text (encoded):UTF8") and returns the converted file's bytes. Errors: unsupported_format
  // when LibreOffice is not installed; limit_exceeded when it runs past limits.max_seconds;
  // unreadable_document when it cannot read the file (damaged, or password-protected).
  Result<std::string> convert(std::string_view bytes, std::string_view from, std::string_view to, const Limits& limits);

  bool available();  // LibreOffice was found

  struct Stats {
    int conversions = 0;  // successful ones
    int failures = 0;
    int starts = 0;       // warm instances started
    double last_seconds = 0;
  };
  Stats stats();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The process's converter (one warm LibreOffice per daemon), made on first use with
// Env::Default() and the default options.
Converter& shared_converter();

}  // namespace clee
