// The `[web]` table of the configuration file: where the reviewer pages listen, who may log in,
// and the safety knobs. Read by `serve` and by the daemon. Example:
//
//   [web]
//   listen = "127.0.0.1:8080"      # loopback by default
//   allow_remote = false            # must be true to bind a non-loopback address
//   secure_cookies = false          # true behind TLS (adds the Secure cookie attribute)
//   public_catalog = false          # true: /public/catalog for officers and chiefs, no sign-in
//   session_minutes = 480
//   max_body_kib = 64
//   trusted_proxies = ["127.0.0.1"] # peers whose X-Forwarded-For/-Host/-Proto are believed
//   allowed_hosts = ["clee.example.org"]  # Host names served (default: listen address, loopback)
//   [[web.accounts]]
//   name = "Dana Reyes"
//   password_hash = "pbkdf2-sha256$310000$…$…"   # from `clee-intake serve --hash-password`
//   # or, for a one-person office, instead of accounts:
//   # shared_secret_hash = "pbkdf2-sha256$…"  and  shared_name = "Office"
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace clee {
class TomlTable;
}

namespace clee::web {

struct Account {
  std::string name;
  std::string password_hash;
};

struct WebConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  bool listen_set = false;  // `listen` was given in [web] (the daemon then serves the pages)
  bool allow_remote = false;
  bool secure_cookies = false;
  // /public/catalog (+ .csv, .pdf): the Approved CLEE Courses for anyone, no sign-in, read-only.
  bool public_catalog = false;
  int session_minutes = 480;
  size_t max_body_bytes = 64 * 1024;
  // Sign-in throttling per account and client address: from the login_max_failures-th failure
  // on, each attempt waits 1 s, 2 s, 4 s, ... up to login_window_seconds.
  int login_max_failures = 5;
  int login_window_seconds = 300;
  std::vector<Account> accounts;
  std::string shared_secret_hash;
  std::string shared_name = "Office";
  // Peers (IP addresses, canonical) whose X-Forwarded-For, -Host and -Proto headers are read.
  std::vector<std::string> trusted_proxies;
  // Host header values served (client_view.h); empty = default_allowed_hosts(host, port).
  std::vector<std::string> allowed_hosts;
  // The front door (connection_hub.h).
  size_t max_header_bytes = 16 * 1024;  // request line and headers
  int max_headers = 100;
  int max_connections = 512;
  int max_connections_per_address = 32;
  int threads = 8;
  int keep_alive_max_requests = 100;
  double keep_alive_seconds = 5;
  double request_seconds = 10;  // a request's head and body arrive within this of its first byte
  double write_seconds = 10;
};

// Parses "HOST:PORT" (or "[v6]:PORT") into `c`. Refuses a non-loopback host unless allow_remote.
Status set_listen(WebConfig& c, const std::string& listen);
bool is_loopback(const std::string& host);
// Reads the configuration file's `[web]` table into `c` (part of app/config.cpp's one parse).
// Errors carry file and line.
Status read_web_table(const TomlTable& web, WebConfig& c);
// The configuration is usable for serving: at least one account or a shared secret, and the bind
// address allowed.
Status validate(const WebConfig& c);

}  // namespace clee::web
