// Helpers for the web server's connection and policy tests: a raw TCP client that picks its
// source address (127.0.0.0/8 is all loopback on Linux, so each 127.x.y.z is another "client"),
// sends exact bytes (half-open requests, trickles, oversized heads) and reads what comes back;
// a small HTTP/1.1 response parser; and a server fixture that runs a WebServer on a free port.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <thread>

#include "app/web/server.h"

namespace clee::web::test {

inline double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// One client connection, closed by the destructor.
class RawConn {
 public:
  RawConn(int port, const std::string& source = "127.0.0.1") {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in from{};
    from.sin_family = AF_INET;
    inet_pton(AF_INET, source.c_str(), &from.sin_addr);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
        ::connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~RawConn() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConn(const RawConn&) = delete;
  RawConn& operator=(const RawConn&) = delete;

  bool connected() const { return fd_ >= 0; }

  // Sends every byte; false when the server closed or reset the connection, or stopped reading
  // for `stall_seconds`.
  bool send_all(const std::string& bytes, double stall_seconds = 5) {
    size_t off = 0;
    while (fd_ >= 0 && off < bytes.size()) {
      pollfd p{fd_, POLLOUT, 0};
      if (::poll(&p, 1, static_cast<int>(stall_seconds * 1000)) <= 0) return false;
      ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<size_t>(n);
    }
    return fd_ >= 0;
  }

  // Reads one response: through its Content-Length body, or to the close, or until `timeout`.
  std::string read_response(double timeout = 5) {
    auto start = std::chrono::steady_clock::now();
    while (fd_ >= 0 && seconds_since(start) < timeout) {
      if (complete(buffer_)) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      char buf[65536];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      buffer_.append(buf, static_cast<size_t>(n));
    }
    size_t end = complete(buffer_);
    std::string out = end ? buffer_.substr(0, end) : buffer_;
    buffer_.erase(0, end ? end : buffer_.size());
    return out;
  }

  // True when the server closed (EOF or reset) within `timeout`; what it sent first is kept in
  // received().
  bool closed_within(double timeout) {
    auto start = std::chrono::steady_clock::now();
    for (double left = timeout; fd_ >= 0 && !closed_ && left >= 0; left = timeout - seconds_since(start)) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(std::min(left, 0.05) * 1000)) <= 0) continue;
      char buf[65536];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) closed_ = true;
      else buffer_.append(buf, static_cast<size_t>(n));
    }
    return closed_;
  }
  const std::string& received() const { return buffer_; }

 private:
  // The length of the first complete response in `b`, 0 when it is not complete yet.
  static size_t complete(const std::string& b) {
    size_t head = b.find("\r\n\r\n");
    if (head == std::string::npos) return 0;
    std::smatch m;
    std::string h = b.substr(0, head);
    static const std::regex re("\r\ncontent-length: *([0-9]+)", std::regex::icase);
    size_t body = std::regex_search(h, m, re) ? std::stoul(m[1]) : 0;
    return b.size() >= head + 4 + body ? head + 4 + body : 0;
  }

  int fd_ = -1;
  bool closed_ = false;
  std::string buffer_;
};

struct Response {
  int status = 0;  // 0: no response
  std::multimap<std::string, std::string> headers;  // names lowercased
  std::string body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  // The value of cookie `name` set by this response ("" when it sets none).
  std::string cookie(const std::string& name) const {
    for (auto [it, end] = headers.equal_range("set-cookie"); it != end; ++it)
      if (it->second.rfind(name + "=", 0) == 0) return it->second.substr(name.size() + 1, it->second.find(';') - name.size() - 1);
    return "";
  }
  // The whole Set-Cookie line for cookie `name`.
  std::string set_cookie(const std::string& name) const {
    for (auto [it, end] = headers.equal_range("set-cookie"); it != end; ++it)
      if (it->second.rfind(name + "=", 0) == 0) return it->second;
    return "";
  }
};

inline Response parse_response(const std::string& raw) {
  Response r;
  if (raw.rfind("HTTP/1.", 0) != 0 || raw.size() < 12) return r;
  r.status = std::atoi(raw.substr(9, 3).c_str());
  size_t head = raw.find("\r\n\r\n");
  size_t pos = raw.find("\r\n") + 2;
  while (head != std::string::npos && pos < head) {
    size_t end = raw.find("\r\n", pos);
    std::string line = raw.substr(pos, end - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon), value = line.substr(colon + 1);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      value.erase(0, value.find_first_not_of(' '));
      r.headers.emplace(name, value);
    }
    pos = end + 2;
  }
  if (head != std::string::npos) r.body = raw.substr(head + 4);
  return r;
}

// One request on a fresh connection from `source`; `extra` is more header lines ("Name: v\r\n").
inline Response request(int port, const std::string& method, const std::string& path, const std::string& extra = "",
                        const std::string& body = "", const std::string& source = "127.0.0.1") {
  RawConn c(port, source);
  std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n" + extra;
  if (!body.empty() || method == "POST")
    req += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  req += "Connection: close\r\n\r\n" + body;
  if (!c.send_all(req)) return {};
  return parse_response(c.read_response(10));
}

inline std::string csrf_in(const std::string& body) {
  std::smatch m;
  static const std::regex re("name=\"_csrf\" value=\"([0-9a-f]{64,})\"");
  return std::regex_search(body, m, re) ? m[1].str() : "";
}

// Every cookie a response sets, as a Cookie header line ("Cookie: a=1; b=2\r\n"), "" for none.
inline std::string cookies_of(const Response& r) {
  std::string out;
  for (auto [it, end] = r.headers.equal_range("set-cookie"); it != end; ++it) {
    std::string pair = it->second.substr(0, it->second.find(';'));
    if (pair.find('=') + 1 == pair.size()) continue;  // a cleared cookie
    out += (out.empty() ? "" : "; ") + pair;
  }
  return out.empty() ? "" : "Cookie: " + out + "\r\n";
}

// A WebServer on a free loopback port, serving from a thread until destroyed.
class Served {
 public:
  Served(WebConfig c, const std::string& data_dir, const RulePack& rules) {
    c.port = 0;
    server_ = std::make_unique<WebServer>(c, data_dir, rules);
    ok_ = static_cast<bool>(server_->bind());
    if (!ok_) return;
    thread_ = std::thread([this] { server_->serve(); });
    while (!server_->running()) std::this_thread::yield();
  }
  ~Served() {
    if (!ok_) return;
    server_->stop();
    thread_.join();
  }
  bool ok() const { return ok_; }
  int port() const { return server_->port(); }
  WebServer& server() { return *server_; }

 private:
  std::unique_ptr<WebServer> server_;
  std::thread thread_;
  bool ok_ = false;
};

// Signs in from `source` with a raw client; returns the session cookie ("clee_session=..."), ""
// when sign-in failed.
inline std::string sign_in(int port, const std::string& user, const std::string& password,
                           const std::string& source = "127.0.0.1") {
  Response form = request(port, "GET", "/login", "", "", source);
  std::string body = "_csrf=" + csrf_in(form.body) + "&user=" + httplib::detail::encode_query_param(user) +
                     "&password=" + httplib::detail::encode_query_param(password);
  Response r = request(port, "POST", "/login", cookies_of(form), body, source);
  if (r.status != 303) return "";
  std::string session = r.cookie("clee_session");
  return session.empty() ? "" : "clee_session=" + session;
}

}  // namespace clee::web::test
