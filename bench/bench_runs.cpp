// bench_runs: CPU time, wall time and peak RSS of short commands, measured per process with
// wait4(), for benchmarks that compare clee-intake with a peer tool in one run. The shell's
// /usr/bin/time rounds to 10 ms, more than a whole `clee-intake --version`; wait4's rusage is the
// kernel's own per-process account (user + system), which the machine's load disturbs far less
// than wall time.
//
// Usage: bench_runs N GROUP [--- GROUP]...
//   GROUP: one or more commands separated by ";;" (run one after the other: one trial).
// The groups run interleaved (trial 1 of every group, then trial 2, ...) so that a change of load
// during the run weighs on all of them alike. Each command's stdout and stderr go to /dev/null.
// Prints one line per group: "cpu_ms_median cpu_ms_min wall_ms_median peak_rss_kib failures".
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern char** environ;

namespace {

using Command = std::vector<std::string>;
using Group = std::vector<Command>;

struct Sample {
  double cpu_ms = 0, wall_ms = 0;
  long rss_kib = 0;
  bool failed = false;
};

double ms(const timeval& t) { return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_usec) / 1e3; }

// Runs one command to its end; adds its CPU and peak RSS to `s`.
void run(const Command& cmd, Sample& s) {
  std::vector<char*> argv;
  for (const auto& a : cmd) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    s.failed = true;
    return;
  }
  int status = 0;
  rusage u{};
  if (wait4(pid, &status, 0, &u) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) s.failed = true;
  s.cpu_ms += ms(u.ru_utime) + ms(u.ru_stime);
  s.rss_kib = std::max(s.rss_kib, u.ru_maxrss);
}

Sample trial(const Group& g) {
  Sample s;
  auto t0 = std::chrono::steady_clock::now();
  for (const auto& c : g) run(c, s);
  s.wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return s;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s N CMD [ARG...] [;; CMD...] [--- CMD...]\n", argv[0]);
    return 2;
  }
  int n = std::atoi(argv[1]);
  if (n < 1) n = 1;
  std::vector<Group> groups(1);
  groups.back().emplace_back();
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "---") == 0) {
      groups.emplace_back();
      groups.back().emplace_back();
    } else if (std::strcmp(argv[i], ";;") == 0) {
      groups.back().emplace_back();
    } else {
      groups.back().back().push_back(argv[i]);
    }
  }
  for (auto& g : groups)
    std::erase_if(g, [](const Command& c) { return c.empty(); });
  std::vector<std::vector<Sample>> samples(groups.size());
  for (int r = 0; r < n; ++r)
    for (size_t g = 0; g < groups.size(); ++g) samples[g].push_back(trial(groups[g]));
  for (const auto& ss : samples) {
    std::vector<double> cpu, wall;
    long rss = 0;
    int failures = 0;
    for (const auto& s : ss) {
      cpu.push_back(s.cpu_ms);
      wall.push_back(s.wall_ms);
      rss = std::max(rss, s.rss_kib);
      failures += s.failed;
    }
    std::printf("%.3f %.3f %.3f %ld %d\n", median(cpu), *std::min_element(cpu.begin(), cpu.end()), median(wall), rss,
                failures);
  }
  return 0;
}
