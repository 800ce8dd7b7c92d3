// What a client may send before the web server spends a thread on it: the request head (request
// line and headers) is scanned as its bytes arrive, bounded in bytes and in header lines, and
// the body's length is known before a worker is involved. cpp-httplib as Debian builds it reads
// a head line by line with no total bound (a 29 MB header line is buffered whole; a million
// headers are parsed and answered 200), and its limits are compiled into the shared library, so
// defining CPPHTTPLIB_* macros in our code changes nothing; the connection hub (connection_hub.h)
// checks every head with `scan_head` first. Pure functions, no I/O.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace clee::web {

struct HeadLimits {
  size_t max_header_bytes = 16 * 1024;  // request line + header lines + the blank line
  int max_headers = 100;
  size_t max_body_bytes = 64 * 1024;
};

struct HeadScan {
  enum class State { kIncomplete, kComplete, kRefused };
  State state = State::kIncomplete;
  // kRefused: the status to answer (400 malformed, 411 Transfer-Encoding, 414 request line too
  // long, 415 Content-Encoding, 431 too many or too large headers) and why, for the log.
  int status = 0;
  std::string reason;
  // kComplete: the head's length through the blank line, and the body's (Content-Length).
  size_t head_bytes = 0;
  size_t body_bytes = 0;
  // kComplete: Content-Length is over max_body_bytes. The body is not read; the server answers
  // 413 and closes the connection.
  bool body_too_large = false;
  bool expect_continue = false;  // "Expect: 100-continue": the client waits to send the body
};

// Scans the bytes received so far on a connection for one request's head. kIncomplete while
// more bytes may still make a valid head; refuses as soon as the bytes cannot.
HeadScan scan_head(std::string_view received, const HeadLimits& limits);

}  // namespace clee::web
