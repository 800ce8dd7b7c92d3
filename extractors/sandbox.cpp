// Isolated extraction (see sandbox.h).
//
// fork + exec rather than fork alone: between fork and exec the child makes only system calls
// (dup2, setrlimit, execv, _exit), which is safe even when the parent runs other threads; the
// re-executed worker starts with fresh Poppler/Tesseract state. The price is the worker's process
// start (dynamic linking of Poppler, Tesseract, GMime, …), measured by bench/isolation_bench on a
// 3-page text PDF (fixtures/docs/text_outline.pdf), 2 shared cores at load ~7, 2026-11-24:
// in-process 1.6 ms wall / 0.6 ms CPU, isolated 60 ms wall / 21 ms CPU per document — about
// +20 ms CPU and +60 ms wall per document, negligible next to OCR (~1 s/page) but 35× a text PDF;
// so isolation is an option (daemon: on; `check` on trusted files: off).
#include "extractors/sandbox.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <iterator>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

#include "extractors/document_json.h"
#include "extractors/extract.h"
#include "extractors/util.h"

namespace clee {
namespace {

std::mutex g_exe_mu;
std::string& worker_exe() {
  static std::string exe = "/proc/self/exe";
  return exe;
}

Document failed(const std::string& name, std::string_view bytes, Error e) {
  Document d;
  d.name = name;
  d.bytes = bytes.size();
  d.sha256 = sha256_hex(bytes);
  d.format = sniff(bytes, &d.mime);
  d.error = std::move(e);
  return d;
}

void write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

void set_worker_executable(std::string path) {
  std::lock_guard<std::mutex> lock(g_exe_mu);
  worker_exe() = std::move(path);
}

Document extract_isolated(std::string_view bytes, const std::string& name, const ExtractOptions& options) {
  std::string exe;
  {
    std::lock_guard<std::mutex> lock(g_exe_mu);
    exe = worker_exe();
  }
  // stdin: the bytes; stdout: the Document JSON; stderr: a pipe too, never an inherited file —
  // RLIMIT_FSIZE=0 would kill the worker with SIGXFSZ on its first write to a regular file
  // (Poppler prints some allocation errors straight to stderr). It is logged at debug level.
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0) return failed(name, bytes, Error{Code::kUnreadableDocument, "pipe failed"});
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
    for (int fd : {in[0], in[1], out[0], out[1]}) close(fd);
    return failed(name, bytes, Error{Code::kUnreadableDocument, "pipe failed"});
  }
  // Arguments are prepared before fork: the child only makes system calls.
  std::vector<std::string> args = {exe, "--log-level", "off", "extract", "--worker", "--name", name,
                                   "--max-pages", std::to_string(options.limits.max_pages),
                                   "--max-seconds", std::to_string(options.limits.max_seconds),
                                   "--max-pixels", std::to_string(options.limits.max_image_pixels),
                                   "--max-bytes", std::to_string(options.limits.max_file_bytes),
                                   "--min-chars", std::to_string(options.min_chars_per_page),
                                   "--ocr-threads", std::to_string(options.ocr_threads)};
  if (!options.ocr) args.push_back("--no-ocr");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  rlimit as{options.limits.max_memory_bytes, options.limits.max_memory_bytes};
  (void)as;
  rlim_t cpu = static_cast<rlim_t>(options.limits.max_seconds * 2 + 5);  // CPU across OCR threads
  rlimit cpu_limit{cpu, cpu + 5};
  rlimit no_files{0, 0};
  rlimit no_core{0, 0};

  pid_t pid = fork();
  if (pid < 0) {
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) close(fd);
    return failed(name, bytes, Error{Code::kUnreadableDocument, "fork failed"});
  }
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
#if !defined(__SANITIZE_ADDRESS__)
    // AddressSanitizer reserves terabytes of address space for its shadow memory; under the
    // sanitizer build the memory cap is left to the wall-time and CPU limits.
    setrlimit(RLIMIT_AS, &as);
#endif
    setrlimit(RLIMIT_CPU, &cpu_limit);
    setrlimit(RLIMIT_FSIZE, &no_files);
    setrlimit(RLIMIT_CORE, &no_core);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  // Feed stdin from a thread so a child that stops reading cannot deadlock us.
  std::thread feeder([fd = in[1], bytes] {
    signal(SIGPIPE, SIG_IGN);
    write_all(fd, bytes);
    close(fd);
  });
  std::string json_text, stderr_text;
  Stopwatch clock;
  // The child enforces max_seconds itself between and inside pages and reports what it has; the
  // parent kills it one second later (a hang inside a decoder never returns to those checks).
  const double kill_at = options.limits.max_seconds + 1.0;
  bool timed_out = false;
  char buf[65536];
  for (bool open = true; open;) {
    double left = kill_at - clock.seconds();
    if (left <= 0) {
      timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    pollfd p[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    int r = poll(p, err[0] >= 0 ? 2 : 1, static_cast<int>(std::min(left, 1.0) * 1000) + 1);
    if (r < 0 && errno != EINTR) break;
    if (r <= 0) continue;
    if (err[0] >= 0 && (p[1].revents & (POLLIN | POLLHUP))) {
      ssize_t e = read(err[0], buf, sizeof buf);
      if (e > 0 && stderr_text.size() < 4096) stderr_text.append(buf, std::min<size_t>(static_cast<size_t>(e), 4096));
      if (e == 0) {
        close(err[0]);
        err[0] = -1;
      }
    }
    if (!(p[0].revents & (POLLIN | POLLHUP))) continue;
    ssize_t n = read(out[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) open = false;
    else json_text.append(buf, static_cast<size_t>(n));
  }
  close(out[0]);
  if (err[0] >= 0) close(err[0]);
  // The child closed its output; it may still hang before exiting. Wait up to the deadline.
  int status = 0;
  for (;;) {
    pid_t w = waitpid(pid, &status, timed_out ? 0 : WNOHANG);
    if (w == pid || (w < 0 && errno != EINTR)) break;
    if (w == 0 && clock.seconds() > kill_at) {
      timed_out = true;
      kill(pid, SIGKILL);
      continue;
    }
    if (w == 0) usleep(2000);
  }
  feeder.join();
  if (!stderr_text.empty()) spdlog::debug("extract worker for {} said: {}", name, stderr_text);
  const std::string limit_s = std::to_string(static_cast<int>(options.limits.max_seconds));
  if (timed_out) return failed(name, bytes, Error{Code::kLimitExceeded, "time limit " + limit_s + " s"});
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    std::string what = std::to_string(sig) + ": " + strsignal(sig);
    if (sig == SIGXCPU)
      return failed(name, bytes, Error{Code::kLimitExceeded, "CPU time limit (signal " + what + ")"});
    return failed(name, bytes, Error{Code::kUnreadableDocument, "extractor crashed (signal " + what + ")"});
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return failed(name, bytes, Error{Code::kUnreadableDocument, "extractor failed (exit " + std::to_string(WEXITSTATUS(status)) +
                                                            (WEXITSTATUS(status) == 127 ? ": worker not found" : "") + ")"});
  }
  auto parsed = nlohmann::json::parse(json_text, nullptr, false);
  if (parsed.is_discarded()) return failed(name, bytes, Error{Code::kUnreadableDocument, "extractor returned malformed output"});
  auto doc = document_from_json(parsed);
  if (!doc) return failed(name, bytes, doc.error());
  return *doc;
}

int run_extract_worker(const std::string& name, const ExtractOptions& options) {
  std::string bytes((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  if (const char* crash = std::getenv("CLEE_TEST_WORKER_FAULT")) {
    // Test hook: simulate an extractor that crashes or hangs on this document.
    if (std::string_view(crash) == "crash") raise(SIGSEGV);
    if (std::string_view(crash) == "hang") for (;;) pause();
    if (std::string_view(crash) == "stderr") {
      std::string noise(100000, '!');
      write_all(2, noise);  // as Poppler's "Bogus memory allocation size" messages do
    }
    if (std::string_view(crash) == "hang-after-close") {
      close(1);
      for (;;) pause();
    }
    if (std::string_view(crash) == "oom") {
      // Touch 3 GiB: only RLIMIT_AS stops this (bad_alloc → limit_exceeded below).
      try {
        std::vector<std::string> hog;
        for (int i = 0; i < 48; ++i) hog.emplace_back(64u << 20, 'x');
      } catch (const std::bad_alloc&) {
        Document d = failed(name, bytes, Error{Code::kLimitExceeded, "memory limit reached"});
        write_all(1, document_to_json(d).dump());
        return 0;
      }
    }
  }
  ExtractOptions local = options;
  local.isolate = false;
  Document d = extract_document(bytes, name, local);
  std::string out = document_to_json(d).dump();
  write_all(1, out);
  return 0;
}

}  // namespace clee
