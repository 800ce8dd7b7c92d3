// Isolated extraction: a document that crashes or hangs Poppler or Tesseract takes down only its
// own extraction. The document is extracted in a child process (this program re-executed as
// `clee-intake extract --worker`) under rlimits (address space, CPU time, no file writes, no core
// dumps) and a wall-time kill; the Document comes back as JSON on a pipe. Re-exec rather than a
// bare fork: the caller may be multi-threaded (OCR pools, the daemon's workers), and a forked
// child of a threaded process may only call async-signal-safe functions.
#pragma once

#include <string>
#include <string_view>

#include "extractors/document.h"
#include "extractors/limits.h"

namespace clee {

// The executable that serves `extract --worker`; defaults to /proc/self/exe.
void set_worker_executable(std::string path);

Document extract_isolated(std::string_view bytes, const std::string& name, const ExtractOptions& options);

// The child's side: reads bytes from stdin, extracts in-process, writes the Document JSON to stdout.
int run_extract_worker(const std::string& name, const ExtractOptions& options);

}  // namespace clee
