// What isolation costs: the same file extracted N times in-process and N times through
// extract_isolated (fork + exec of `clee-intake extract --worker`, rlimits, JSON over a pipe).
// Prints wall and CPU (this process + its children) per document for both, and the difference.
// Usage: isolation_bench FILE [N=20] [WORKER=the clee-intake this was built with]
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "extractors/extract.h"
#include "extractors/sandbox.h"
#include "extractors/util.h"

namespace {

double cpu_seconds(int who) {
  rusage u{};
  getrusage(who, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE [N] [WORKER]\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string bytes = ss.str();
  const int n = argc > 2 ? std::atoi(argv[2]) : 20;
  clee::set_worker_executable(argc > 3 ? argv[3] : CLEE_BINARY);
  clee::ExtractOptions o;
  o.ocr = false;

  // Warm-up (Poppler's global parameters, page cache for the worker binary).
  (void)clee::extract_document(bytes, "warm", o);
  o.isolate = true;
  (void)clee::extract_document(bytes, "warm", o);

  double results[2][2];
  size_t pages = 0;
  for (int isolated = 0; isolated < 2; ++isolated) {
    o.isolate = isolated == 1;
    double cpu0 = cpu_seconds(RUSAGE_SELF) + cpu_seconds(RUSAGE_CHILDREN);
    clee::Stopwatch clock;
    for (int i = 0; i < n; ++i) {
      clee::Document d = clee::extract_document(bytes, "bench", o);
      if (d.error) std::fprintf(stderr, "error: %s\n", d.error->message.c_str());
      pages = d.pages.size();
    }
    results[isolated][0] = clock.seconds() / n;
    results[isolated][1] = (cpu_seconds(RUSAGE_SELF) + cpu_seconds(RUSAGE_CHILDREN) - cpu0) / n;
  }
  std::printf("isolation cost on %s (%zu pages, %d runs each):\n", argv[1], pages, n);
  std::printf("  in-process: %7.1f ms wall, %7.1f ms CPU per document\n", 1000 * results[0][0], 1000 * results[0][1]);
  std::printf("  isolated:   %7.1f ms wall, %7.1f ms CPU per document\n", 1000 * results[1][0], 1000 * results[1][1]);
  std::printf("  cost:       %+7.1f ms wall, %+7.1f ms CPU per document\n", 1000 * (results[1][0] - results[0][0]),
              1000 * (results[1][1] - results[0][1]));
  return 0;
}
