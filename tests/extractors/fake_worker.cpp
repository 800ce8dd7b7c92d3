// A worker that misbehaves on request, for tests/extractors/sandbox_test.cpp: the parent under test
// points set_worker_executable() here. It speaks the real protocol (sandbox.h) and reads the
// fault to simulate from the document's name; any other name is served by the real worker code.
//   crash             raise(SIGSEGV)
//   hang              read only the header line, then wait forever (the parent's feeder blocks)
//   hang-after-close  close stdout and stderr, then wait forever
//   stderr            100 kB on stderr (as Poppler's "Bogus memory allocation size" lines), then serve
//   oom               touch 3 GiB, as a decoder on a bomb would (RLIMIT_AS must stop it)
//   cpu               raise(SIGXCPU), as the kernel does at RLIMIT_CPU
//   exit              say why on stderr and exit 9
//   malformed         reply with half a JSON object
//   not-a-document    reply with JSON that is not a Document
//   other-bytes       reply with a Document about other bytes than were sent
//   huge              reply with 32 MiB
//   echo-options      reply with a Document whose page 1 text is the options as the worker read them
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "base/hash.h"
#include "extractors/document_json.h"
#include "extractors/extract.h"
#include "extractors/sandbox.h"

namespace {

void write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data.remove_prefix(static_cast<size_t>(n));
  }
}

std::string read_line() {
  std::string line;
  char c;
  while (::read(0, &c, 1) == 1 && c != '\n') line.push_back(c);
  return line;
}

std::string read_rest() {
  std::string rest;
  char buf[65536];
  ssize_t n;
  while ((n = ::read(0, buf, sizeof buf)) > 0) rest.append(buf, static_cast<size_t>(n));
  return rest;
}

[[noreturn]] void wait_forever() {
  for (;;) pause();
}

void reply(const clee::Document& d) { write_all(1, clee::document_to_json(d).dump()); }

}  // namespace

int main() {
  const std::string header = read_line();
  const std::string name = nlohmann::json::parse(header, nullptr, false).value("name", "");
  if (name == "crash") raise(SIGSEGV);
  if (name == "cpu") raise(SIGXCPU);
  if (name == "hang") wait_forever();
  if (name == "hang-after-close") {
    close(1);
    close(2);
    wait_forever();
  }
  const std::string request = header + "\n" + read_rest();
  auto parsed = clee::parse_worker_request(request);
  if (!parsed) {
    write_all(2, parsed.error().message + "\n");
    return clee::kWorkerExitBadRequest;
  }
  if (name == "stderr") write_all(2, std::string(100000, '!'));
  if (name == "exit") {
    write_all(2, "worker gave up\n");
    return 9;
  }
  if (name == "oom") {
    clee::exit_when_out_of_memory();
    std::vector<std::string> hog;
    for (int i = 0; i < 48; ++i) hog.emplace_back(64u << 20, 'x');  // touched: really resident
  }
  if (name == "malformed") {
    write_all(1, "{\"name\": \"malformed\", \"pages\": [");
    return 0;
  }
  if (name == "not-a-document") {
    write_all(1, "{\"hello\": \"world\"}");
    return 0;
  }
  if (name == "other-bytes") {
    clee::Document d;
    d.name = name;
    d.bytes = 3;
    d.sha256 = std::string(64, '0');
    reply(d);
    return 0;
  }
  if (name == "huge") {
    write_all(1, std::string(32u << 20, ' '));
    return 0;
  }
  if (name == "echo-options") {
    clee::Document d;
    d.name = name;
    d.bytes = parsed->bytes.size();
    d.sha256 = clee::sha256_hex(parsed->bytes);
    d.format = clee::sniff(parsed->bytes, &d.mime);
    d.pages.push_back({1, clee::extract_options_to_json(parsed->options).dump(), false, -1, 0});
    reply(d);
    return 0;
  }
  return clee::serve_extract_request(request);
}
