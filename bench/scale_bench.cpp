// How checking scales with worker processes on one queue (SQLite or PostgreSQL), and what one
// packet costs. Prints one line of figures (key=value) and asserts nothing.
//
//   scale_bench load    --data DIR [--store URL] --packets N --from PACKET_DIR
//       N packets recorded (originals stored, rows committed, not checked): each is PACKET_DIR's
//       files plus a unique note, so none is a duplicate. Prints the intake rate.
//   scale_bench work    --data DIR [--store URL] --procs K
//       K worker processes take due packets with the daemon's own loop (app::process_next:
//       claim_next, heartbeat, load, check, save) until none is left. Prints packets/s and the
//       workers' CPU per packet.
//   scale_bench profile --data DIR [--store URL]
//       One worker, each step timed: claim_next, the heartbeat's own store connection, load,
//       the check itself (CPU), save_report — the per-packet costs the paper model uses.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include <spdlog/spdlog.h>

#include "app/common.h"
#include "app/intake.h"
#include "extractors/util.h"
#include "pipeline/runner.h"

namespace {

using clee::Store;

double cpu_seconds(int who) {
  rusage u{};
  getrusage(who, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct Args {
  std::string mode, data, store, from;
  int packets = 100, procs = 1;
};

clee::app::Config config(const Args& a) {
  clee::app::Config c;
  c.data_dir = a.data;
  c.store = a.store;
  c.ocr = false;  // the text-layer PDFs need none; OCR cost is issue 4's benchmark
  return c;
}

int load(const Args& a) {
  auto store = clee::app::open_store(config(a));
  if (!store) return std::fprintf(stderr, "%s\n", store.error().message.c_str()), 1;
  clee::Limits limits;
  clee::Stopwatch clock;
  for (int i = 0; i < a.packets; ++i) {
    auto p = clee::load_packet(a.from, limits);
    if (!p) return std::fprintf(stderr, "%s\n", p.error().message.c_str()), 1;
    p->source = "bench:" + std::to_string(i);
    p->files.push_back(clee::SourceFile::in_memory("note.txt", "Cover note for packet " + std::to_string(i) + "\n"));
    for (auto& f : p->files) {
      auto sha = f.path.empty() ? (*store)->put_object(f.bytes) : (*store)->put_object_file(f.path);
      if (!sha) return std::fprintf(stderr, "%s\n", sha.error().message.c_str()), 1;
      f.sha256 = *sha;
    }
    if (auto r = (*store)->receive(*p, "bench", "bench"); !r) return std::fprintf(stderr, "%s\n", r.error().message.c_str()), 1;
  }
  double s = clock.seconds();
  std::printf("packets=%d intake_seconds=%.3f intake_pps=%.1f\n", a.packets, s, a.packets / s);
  return 0;
}

int work(const Args& a) {
  auto pipeline = clee::app::make_pipeline(config(a));
  if (!pipeline) return std::fprintf(stderr, "%s\n", pipeline.error().message.c_str()), 1;
  int fds[2];
  if (pipe(fds) != 0) return 1;
  clee::Stopwatch clock;
  for (int k = 0; k < a.procs; ++k) {
    if (fork() == 0) {
      close(fds[0]);
      auto store = clee::app::open_store(config(a));
      if (!store) _exit(10);
      int done = 0;
      for (;;) {
        auto next = clee::app::process_next(**store, "bench", **pipeline);
        if (!next) _exit(11);
        if (!*next) break;
        ++done;
      }
      store->reset();
      (void)!write(fds[1], &done, sizeof done);
      _exit(0);
    }
  }
  close(fds[1]);
  int total = 0, n = 0, failures = 0;
  while (read(fds[0], &n, sizeof n) == sizeof n) total += n;
  for (int k = 0; k < a.procs; ++k) {
    int status = 0;
    wait(&status);
    failures += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  double s = clock.seconds();
  std::printf("procs=%d packets=%d seconds=%.3f pps=%.1f worker_cpu_ms_per_packet=%.2f failures=%d\n", a.procs, total, s,
              total / s, total ? 1000 * cpu_seconds(RUSAGE_CHILDREN) / total : 0.0, failures);
  return failures ? 1 : 0;
}

double thread_cpu() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int profile(const Args& a) {
  auto pipeline = clee::app::make_pipeline(config(a));
  auto store = clee::app::open_store(config(a));
  if (!pipeline || !store) return 1;
  double claim = 0, open = 0, load_s = 0, check = 0, save = 0;
  int n = 0;
  for (;; ++n) {
    clee::Stopwatch t;
    auto lease = (*store)->claim_next("bench");
    if (!lease) return std::fprintf(stderr, "%s\n", lease.error().message.c_str()), 1;
    if (!*lease) break;
    claim += t.seconds();
    clee::Stopwatch t2;
    auto own = (*store)->companion();  // the heartbeat's connection
    open += t2.seconds();
    clee::Stopwatch t3;
    auto packet = (*store)->load((*lease)->packet_id);
    load_s += t3.seconds();
    if (!packet) return 1;
    double c0 = thread_cpu();
    clee::Report report = clee::run_packet(*packet, (*pipeline)->rules, (*pipeline)->validators, (*pipeline)->options);
    check += thread_cpu() - c0;
    clee::Stopwatch t4;
    if (clee::Status st = (*store)->save_report(**lease, report, "bench"); !st) return 1;
    save += t4.seconds();
  }
  if (!n) return 1;
  std::printf("packets=%d claim_ms=%.2f heartbeat_open_ms=%.2f load_ms=%.2f check_cpu_ms=%.2f save_ms=%.2f\n", n,
              1000 * claim / n, 1000 * open / n, 1000 * load_s / n, 1000 * check / n, 1000 * save / n);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (argc > 1) a.mode = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--data") a.data = v;
    else if (k == "--store") a.store = v;
    else if (k == "--from") a.from = v;
    else if (k == "--packets") a.packets = std::atoi(v.c_str());
    else if (k == "--procs") a.procs = std::atoi(v.c_str());
  }
  spdlog::set_level(spdlog::level::warn);
  if (a.mode == "load" && !a.from.empty()) return load(a);
  if (a.mode == "work") return work(a);
  if (a.mode == "profile") return profile(a);
  std::fprintf(stderr, "usage: scale_bench load|work|profile --data DIR [--store URL] [--packets N --from DIR] [--procs K]\n");
  return 2;
}
