// Isolated extraction: a document that crashes or hangs Poppler or Tesseract takes down only its
// own extraction. The document is extracted in a child process (this program re-executed as
// `clee-intake extract --worker`, started through Env::run_child) under rlimits (address space,
// CPU time, no file writes, no core dumps), a wall-time kill and a cap on its reply; the Document
// comes back as JSON on a pipe. Re-exec rather than a bare fork: the caller may be multi-threaded
// (OCR pools, the daemon's workers), and a forked child of a threaded process may only call
// async-signal-safe functions.
//
// The protocol, parent → worker on stdin: one line of JSON
//   {"request":"extract","name":LABEL,"bytes":N,"options":<extract_options_to_json>}
// then exactly N bytes of the document. Worker → parent on stdout: one Document (document_json.h).
// The worker runs under the options it was handed, all of them, and nothing else (no flags, no
// config file, no environment); the parent accepts only a complete Document about the bytes it sent.
#pragma once

#include <string>
#include <string_view>

#include "base/env.h"
#include "extractors/document.h"
#include "extractors/limits.h"

namespace clee {

// The executable that serves `extract --worker`; defaults to /proc/self/exe. Tests point it at a
// fake worker. Thread-safe.
void set_worker_executable(std::string path);
std::string worker_executable();

// Extracts one leaf file (as extract_document would, in-process) in a worker started through
// `env`. Every failure of the worker is a typed error on the returned Document, which always
// carries the parent's name, size, hash and sniffed format:
//   time (wall) or CPU limit, memory limit, reply too large     → Code::kLimitExceeded
//   crash (a signal), other exit, reply that is not a Document  → Code::kUnreadableDocument
Document extract_isolated(std::string_view bytes, const std::string& name, const ExtractOptions& options,
                          Env* env = Env::Default());

// ---- the worker's side ----

// What a worker is asked to do; `bytes` points into the request text.
struct WorkerRequest {
  std::string name;
  ExtractOptions options;
  std::string_view bytes;
};
std::string make_worker_request(std::string_view bytes, const std::string& name, const ExtractOptions& options);
// Code::kCorrupt when the header is not JSON, misses a key, or announces more or fewer bytes
// than follow it.
Result<WorkerRequest> parse_worker_request(std::string_view input);

// Exit statuses a worker uses besides 0 (the reply is on stdout).
inline constexpr int kWorkerExitBadRequest = 2;   // the request did not parse (reason on stderr)
inline constexpr int kWorkerExitOutOfMemory = 3;  // an allocation failed under RLIMIT_AS

// Makes any failed operator new end the process with kWorkerExitOutOfMemory (from any thread:
// an OCR thread's bad_alloc would otherwise terminate() as a crash).
void exit_when_out_of_memory();

// Serves one request (a worker's whole stdin): extracts in-process under the request's options and
// writes the Document JSON to stdout. Returns the exit status.
int serve_extract_request(std::string_view request);

// `extract --worker`: exit_when_out_of_memory(), then serves the request read from stdin.
int run_extract_worker();

}  // namespace clee
