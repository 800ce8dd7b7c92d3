// Isolated extraction (see sandbox.h): build the request, run the worker through Env::run_child,
// interpret what came back.
//
// The price of isolation is the worker's process start (dynamic linking of Poppler, Tesseract,
// GMime, …): bench/isolation_bench measures it against in-process extraction in the same run
// (README, "Isolation"): tens of milliseconds per document, negligible next to OCR (~1 s/page) but
// many times a text PDF; so isolation is an option (daemon: on; `check` on trusted files: off).
#include "extractors/sandbox.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <mutex>
#include <new>
#include <thread>

#include "extractors/deadline.h"
#include "extractors/document_json.h"
#include "extractors/extract.h"
#include "extractors/util.h"

namespace clee {
namespace {

// The worker enforces max_seconds itself, inside the engines' loops, and replies with what it
// read; the parent kills it this much later (a hang inside a decoder never returns to a check).
constexpr double kKillGraceSeconds = 1.5;
// A reply is the Document's JSON: text, fields, tables. It can exceed the file (compressed text
// streams, OCR of an image) but not by much; past this the worker is killed.
constexpr uint64_t kReplyBaseBytes = 16u << 20;

std::mutex g_exe_mu;
std::string& exe_path() {
  static std::string exe = "/proc/self/exe";
  return exe;
}

// The Document the parent returns when the worker gave none: the parent's own view of the file.
Document failed(const std::string& name, std::string_view bytes, const std::string& sha256, Error e) {
  Document d;
  d.name = name;
  d.bytes = bytes.size();
  d.sha256 = sha256;
  d.format = sniff(bytes, &d.mime);
  d.error = std::move(e);
  return d;
}

uint64_t reply_cap(const ExtractOptions& o) { return kReplyBaseBytes + 4 * o.limits.max_file_bytes; }

// CPU seconds the worker may use: its wall time on every thread it may run, plus slack.
uint64_t cpu_budget(const ExtractOptions& o) {
  unsigned threads = 1;
  if (o.ocr) threads = o.ocr_threads > 0 ? static_cast<unsigned>(o.ocr_threads) : std::max(1u, std::thread::hardware_concurrency());
  return static_cast<uint64_t>(std::ceil((o.limits.max_seconds + kKillGraceSeconds) * threads)) + 5;
}

ChildSpec worker_spec(std::string_view bytes, const std::string& name, const ExtractOptions& options) {
  ChildSpec spec;
  // --log-level off: the worker's stderr is only read for a failure's reason.
  spec.argv = {worker_executable(), "--log-level", "off", "extract", "--worker"};
  spec.input = make_worker_request(bytes, name, options);
  spec.max_memory_bytes = options.limits.max_memory_bytes;
  spec.max_cpu_seconds = cpu_budget(options);
  // No file writes: stderr is a pipe (run_child), never an inherited log file, so this cannot
  // turn Poppler's messages into SIGXFSZ.
  spec.no_file_writes = true;
  spec.wall_seconds = options.limits.max_seconds + kKillGraceSeconds;
  spec.max_output_bytes = reply_cap(options);
  return spec;
}

std::string first_line(const std::string& s) {
  std::string line = s.substr(0, s.find('\n'));
  return line.size() > 200 ? line.substr(0, 200) + "…" : line;
}

// Why the worker gave no reply, when it did not exit normally; nullopt when it did.
std::optional<Error> failure_of(const ChildResult& r, const ExtractOptions& o) {
  if (!r.started) return Error{Code::kUnreadableDocument, "extractor could not be started: " + r.errors};
  if (r.timed_out)
    return Error{Code::kLimitExceeded, "time limit " + seconds_text(o.limits.max_seconds) +
                                           " s (the extractor did not stop and was killed)"};
  if (r.output_overflow)
    return Error{Code::kLimitExceeded, "the extractor's output passed " + std::to_string(reply_cap(o) >> 20) + " MiB"};
  if (r.signal != 0) {
    std::string what = std::to_string(r.signal) + ": " + strsignal(r.signal);
    if (r.signal == SIGXCPU) return Error{Code::kLimitExceeded, "CPU time limit (signal " + what + ")"};
    return Error{Code::kUnreadableDocument, "extractor crashed (signal " + what + ")"};
  }
  if (r.exit_code == kWorkerExitOutOfMemory)
    return Error{Code::kLimitExceeded,
                 "memory limit " + std::to_string(o.limits.max_memory_bytes >> 20) + " MiB reached"};
  if (r.exit_code == 127) return Error{Code::kUnreadableDocument, "extractor failed (exit 127: worker not found)"};
  if (r.exit_code != 0) {
    std::string why = first_line(r.errors);
    return Error{Code::kUnreadableDocument,
                 "extractor failed (exit " + std::to_string(r.exit_code) + (why.empty() ? "" : ": " + why) + ")"};
  }
  return std::nullopt;
}

// The worker's reply, accepted only as a complete Document about the bytes that were sent.
Result<Document> reply_of(const ChildResult& r, std::string_view bytes, const std::string& sha256) {
  auto parsed = nlohmann::json::parse(r.output, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Error{Code::kUnreadableDocument, "extractor returned malformed output"};
  auto doc = document_from_json(parsed);
  if (!doc) return Error{Code::kUnreadableDocument, "extractor returned " + doc.error().message};
  if (doc->sha256 != sha256 || doc->bytes != bytes.size())
    return Error{Code::kUnreadableDocument, "extractor replied about other bytes than it was sent"};
  return doc;
}

std::string read_all_stdin() {
  std::string in;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(0, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    in.append(buf, static_cast<size_t>(n));
  }
  return in;
}

void write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data.remove_prefix(static_cast<size_t>(n));
  }
}

[[noreturn]] void out_of_memory() {
  static const char kMessage[] = "out of memory\n";
  (void)!::write(2, kMessage, sizeof kMessage - 1);
  ::_exit(kWorkerExitOutOfMemory);
}

}  // namespace

void set_worker_executable(std::string path) {
  std::lock_guard<std::mutex> lock(g_exe_mu);
  exe_path() = std::move(path);
}

std::string worker_executable() {
  std::lock_guard<std::mutex> lock(g_exe_mu);
  return exe_path();
}

std::string make_worker_request(std::string_view bytes, const std::string& name, const ExtractOptions& options) {
  nlohmann::json header = {
      {"request", "extract"}, {"name", name}, {"bytes", bytes.size()}, {"options", extract_options_to_json(options)}};
  // dump() escapes every control character, so the header is one line whatever the name holds.
  std::string out = header.dump();
  out.push_back('\n');
  out.append(bytes);
  return out;
}

Result<WorkerRequest> parse_worker_request(std::string_view input) {
  size_t nl = input.find('\n');
  if (nl == std::string_view::npos) return Error{Code::kCorrupt, "bad request: no header line"};
  auto header = nlohmann::json::parse(input.substr(0, nl), nullptr, /*allow_exceptions=*/false);
  if (header.is_discarded() || !header.is_object()) return Error{Code::kCorrupt, "bad request: the header is not JSON"};
  if (header.value("request", "") != "extract") return Error{Code::kCorrupt, "bad request: not an extract request"};
  if (!header.contains("name") || !header["name"].is_string() || !header.contains("bytes") ||
      !header["bytes"].is_number_unsigned() || !header.contains("options"))
    return Error{Code::kCorrupt, "bad request: the header needs name, bytes and options"};
  auto options = extract_options_from_json(header["options"]);
  if (!options) return Error{Code::kCorrupt, "bad request: " + options.error().message};
  WorkerRequest r{header["name"].get<std::string>(), std::move(*options), input.substr(nl + 1)};
  if (r.bytes.size() != header["bytes"].get<uint64_t>())
    return Error{Code::kCorrupt, "bad request: " + std::to_string(r.bytes.size()) + " bytes follow the header, " +
                                     header["bytes"].dump() + " announced"};
  return r;
}

Document extract_isolated(std::string_view bytes, const std::string& name, const ExtractOptions& options, Env* env) {
  const std::string sha256 = sha256_hex(bytes);
  ChildResult r = env->run_child(worker_spec(bytes, name, options));
  if (!r.errors.empty()) spdlog::debug("extract worker for {} said: {}", name, r.errors);
  if (auto e = failure_of(r, options)) return failed(name, bytes, sha256, std::move(*e));
  auto doc = reply_of(r, bytes, sha256);
  if (!doc) return failed(name, bytes, sha256, doc.error());
  doc->name = name;
  return std::move(*doc);
}

void exit_when_out_of_memory() { std::set_new_handler(out_of_memory); }

int serve_extract_request(std::string_view input) {
  auto request = parse_worker_request(input);
  if (!request) {
    write_all(2, request.error().message + "\n");
    return kWorkerExitBadRequest;
  }
  ExtractOptions local = request->options;
  local.isolate = false;  // this is the isolated process
  Document d = extract_document(request->bytes, request->name, local);
  write_all(1, document_to_json(d).dump());
  return 0;
}

int run_extract_worker() {
  exit_when_out_of_memory();
  return serve_extract_request(read_all_stdin());
}

}  // namespace clee
