#include "app/web/request_head.h"

#include <algorithm>
#include <cctype>

namespace clee::web {
namespace {

HeadScan refuse(int status, std::string reason) {
  HeadScan s;
  s.state = HeadScan::State::kRefused;
  s.status = status;
  s.reason = std::move(reason);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y)); });
}

std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

size_t count_lines(std::string_view v) {
  size_t n = 0;
  for (size_t p = v.find("\r\n"); p != std::string_view::npos; p = v.find("\r\n", p + 2)) ++n;
  return n;
}

// The header lines' meaning for the hub: body length and what it will not accept.
HeadScan read_fields(std::string_view head, const HeadLimits& limits) {
  HeadScan s;
  bool have_length = false;
  uint64_t length = 0;
  size_t pos = head.find("\r\n") + 2;  // after the request line
  while (pos < head.size()) {
    size_t end = head.find("\r\n", pos);
    std::string_view line = head.substr(pos, end - pos);
    pos = end + 2;
    if (line.empty()) break;  // the blank line
    if (line.front() == ' ' || line.front() == '\t') return refuse(400, "folded header line");
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return refuse(400, "header line without a name");
    std::string_view name = line.substr(0, colon), value = trim(line.substr(colon + 1));
    if (iequals(name, "Content-Length")) {
      if (value.empty() || value.size() > 15 || value.find_first_not_of("0123456789") != std::string_view::npos)
        return refuse(400, "bad Content-Length");
      uint64_t v = std::stoull(std::string(value));
      if (have_length && v != length) return refuse(400, "conflicting Content-Length headers");
      have_length = true;
      length = v;
    } else if (iequals(name, "Transfer-Encoding")) {
      // Browsers send form bodies with a length; a chunked body would hold a worker while it trickles.
      return refuse(411, "Transfer-Encoding in a request");
    } else if (iequals(name, "Content-Encoding") && !iequals(value, "identity")) {
      // cpp-httplib would inflate it without bound (64 KiB of gzip is 64 MB of form).
      return refuse(415, "compressed request body");
    } else if (iequals(name, "Expect") && iequals(value, "100-continue")) {
      s.expect_continue = true;
    }
  }
  s.state = HeadScan::State::kComplete;
  s.head_bytes = head.size();
  if (length > limits.max_body_bytes) s.body_too_large = true;
  else s.body_bytes = static_cast<size_t>(length);
  return s;
}

}  // namespace

HeadScan scan_head(std::string_view received, const HeadLimits& limits) {
  std::string_view window = received.substr(0, std::min(received.size(), limits.max_header_bytes));
  size_t end = window.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    size_t first = window.find("\r\n");
    if (first == std::string_view::npos && received.size() >= limits.max_header_bytes)
      return refuse(414, "request line over " + std::to_string(limits.max_header_bytes) + " bytes");
    if (count_lines(window) > static_cast<size_t>(limits.max_headers) + 1)
      return refuse(431, "more than " + std::to_string(limits.max_headers) + " header lines");
    if (received.size() >= limits.max_header_bytes)
      return refuse(431, "request head over " + std::to_string(limits.max_header_bytes) + " bytes");
    return HeadScan{};
  }
  std::string_view head = received.substr(0, end + 4);
  if (count_lines(head) > static_cast<size_t>(limits.max_headers) + 2)  // + the request line and the blank line
    return refuse(431, "more than " + std::to_string(limits.max_headers) + " header lines");
  for (size_t i = 0; i < head.size(); ++i) {
    char c = head[i];
    if ((c == '\r' && head[i + 1] != '\n') || (c == '\n' && (i == 0 || head[i - 1] != '\r')) || c == '\0')
      return refuse(400, "a bare CR, LF or NUL in the request head");
  }
  // RFC 9112 2.2 lets a server skip empty lines before the request line; browsers send none, so
  // they are refused rather than allowed to pad a slow head.
  if (head.rfind("\r\n", 0) == 0) return refuse(400, "empty request line");
  return read_fields(head, limits);
}

}  // namespace clee::web
