// Runs a shell command line for the tests that drive the built binary as a user would
// (`clee-intake ingest …`, `queue list`). run_status: its standard output and exit status (the
// command line says what becomes of standard error: `2>&1`, `2>/dev/null`); run: the output only,
// for the tests that check the status through the output or the queue.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace clee::test {

struct Ran {
  int status = -1;  // exit code; -1 when it could not start or was killed by a signal
  std::string out;
};

inline Ran run_status(const std::string& cmd) {
  Ran r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

inline std::string run(const std::string& cmd) { return run_status(cmd).out; }

}  // namespace clee::test
