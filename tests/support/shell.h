// Runs a shell command line for the tests that drive the built binary as a user would
// (`clee-intake ingest …`, `queue list`): its standard output, whatever the exit status (the
// tests check the status through the output or the queue, not here).
#pragma once

#include <cstdio>
#include <string>

namespace clee::test {

inline std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

}  // namespace clee::test
