#include "app/web/web_config.h"

#include <arpa/inet.h>

#include "app/web/auth.h"
#include "app/web/client_view.h"
#include "base/toml_reader.h"

namespace clee::web {

bool is_loopback(const std::string& host) {
  if (host == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

Status set_listen(WebConfig& c, const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size())
    return Error{Code::kUsage, "--listen wants HOST:PORT, got '" + listen + "'"};
  std::string host = listen.substr(0, colon), port = listen.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5 || std::stoi(port) > 65535)
    return Error{Code::kUsage, "bad port in '" + listen + "'"};
  c.host = host;
  c.port = std::stoi(port);
  return {};
}

Status validate(const WebConfig& c) {
  if (!c.allow_remote && !is_loopback(c.host))
    return Error{Code::kUsage, "refusing to listen on non-loopback address " + c.host +
                              " (set allow_remote = true in [web] to serve other machines, ideally behind TLS)"};
  if (c.allowed_hosts.empty() && (c.host == "0.0.0.0" || c.host == "::"))
    return Error{Code::kUsage, "listening on " + c.host + " (every address) needs allowed_hosts in [web]: the names "
                              "browsers use to reach this server (requests for any other Host are refused)"};
  if (c.accounts.empty() && c.shared_secret_hash.empty())
    return Error{Code::kUsage, "no reviewer accounts: add [[web.accounts]] (name, password_hash) or shared_secret_hash to [web]; "
                          "make a hash with `clee-intake serve --hash-password`"};
  return {};
}

namespace {

// trusted_proxies, allowed_hosts and the connection limits.
Status read_front_door(const TomlTable& w, WebConfig& c) {
  std::vector<std::string> proxies;
  if (Status st = w.get("trusted_proxies", &proxies); !st) return st;
  for (const auto& p : proxies) {
    auto ip = canonical_ip(p);
    if (!ip) return w.error("trusted_proxies", "trusted_proxies: '" + p + "' is not an IP address");
    c.trusted_proxies.push_back(*ip);
  }
  if (Status st = w.get("allowed_hosts", &c.allowed_hosts); !st) return st;
  for (const auto& h : c.allowed_hosts)
    if (!valid_host_entry(h))
      return w.error("allowed_hosts", "allowed_hosts: '" + h + "' is not a host name or address with an optional :port");
  if (w.has("allowed_hosts") && c.allowed_hosts.empty()) return w.error("allowed_hosts", "allowed_hosts is empty: no request would be served");
  int64_t header_kib = static_cast<int64_t>(c.max_header_bytes / 1024);
  if (Status st = w.get("max_header_kib", &header_kib, 4, 1024); !st) return st;
  c.max_header_bytes = static_cast<size_t>(header_kib) * 1024;
  if (Status st = w.get("max_headers", &c.max_headers, 10, 1000); !st) return st;
  if (Status st = w.get("max_connections", &c.max_connections, 16, 100000); !st) return st;
  if (Status st = w.get("max_connections_per_address", &c.max_connections_per_address, 0, 100000); !st) return st;
  return w.get("threads", &c.threads, 1, 256);
}

}  // namespace

Status read_web_table(const TomlTable& w, WebConfig& c) {
#define TRY(expr)                \
  do {                           \
    if (Status s_ = (expr); !s_) \
      return s_;                 \
  } while (0)
  TRY(w.check_keys({"listen", "allow_remote", "public_catalog", "secure_cookies", "session_minutes", "max_body_kib", "login_max_failures",
                    "login_window_seconds", "accounts", "shared_secret_hash", "shared_name", "trusted_proxies",
                    "allowed_hosts", "max_header_kib", "max_headers", "max_connections", "max_connections_per_address",
                    "threads"}));
  TRY(w.get("allow_remote", &c.allow_remote));
  std::string listen;
  TRY(w.get("listen", &listen));
  if (w.has("listen"))
    if (Status st = set_listen(c, listen); !st) return w.error("listen", st.error().message);
  c.listen_set = w.has("listen");
  TRY(w.get("secure_cookies", &c.secure_cookies));
  TRY(w.get("public_catalog", &c.public_catalog));
  TRY(w.get("session_minutes", &c.session_minutes, 1, 7 * 24 * 60));
  int64_t body_kib = static_cast<int64_t>(c.max_body_bytes / 1024);
  TRY(w.get("max_body_kib", &body_kib, 1, 64 * 1024));
  c.max_body_bytes = static_cast<size_t>(body_kib) * 1024;
  TRY(w.get("login_max_failures", &c.login_max_failures, 1, 1000));
  TRY(w.get("login_window_seconds", &c.login_window_seconds, 1, 86400));
  TRY(read_front_door(w, c));
  TRY(w.get("shared_name", &c.shared_name));
  TRY(w.get("shared_secret_hash", &c.shared_secret_hash));
  if (!c.shared_secret_hash.empty() && !valid_hash_line(c.shared_secret_hash))
    return w.error("shared_secret_hash", "shared_secret_hash is not a pbkdf2-sha256 line with at least 200000 iterations");
  auto accounts = w.tables("accounts");
  if (!accounts) return accounts.error();
  for (const auto& a : *accounts) {
    TRY(a.check_keys({"name", "password_hash"}));
    Account acc;
    TRY(a.get("name", &acc.name));
    TRY(a.get("password_hash", &acc.password_hash));
    if (acc.name.empty()) return a.error("name", "a [[web.accounts]] entry needs a name");
    if (!valid_hash_line(acc.password_hash))
      return a.error("password_hash", "account '" + acc.name +
                                          "': password_hash is not a pbkdf2-sha256 line with at least 200000 "
                                          "iterations (make one with `clee-intake serve --hash-password`)");
    c.accounts.push_back(std::move(acc));
  }
#undef TRY
  return Status::Ok();
}

}  // namespace clee::web
