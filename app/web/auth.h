// Reviewer authentication for the web pages: salted, slow password hashes (PBKDF2-HMAC-SHA256,
// stored as `pbkdf2-sha256$ITER$SALT_HEX$HASH_HEX`), random 256-bit tokens, constant-time
// comparison, a server-side session table with expiry (each session carries its CSRF token), and
// a login rate limiter. Sessions and the limiter are owned by the server object and are safe to
// use from the HTTP server's worker threads (each guards its state with its own mutex).
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace clee::web {

inline constexpr int kDefaultPbkdf2Iterations = 310000;
inline constexpr int kMinPbkdf2Iterations = 200000;

// A fresh salted hash line for `password`.
std::string hash_password(const std::string& password, int iterations = kDefaultPbkdf2Iterations);
// True when `hash_line` is well formed (scheme, iterations ≥ kMinPbkdf2Iterations, hex salt and hash).
bool valid_hash_line(const std::string& hash_line);
// Recomputes and compares in constant time; false for malformed lines.
bool verify_password(const std::string& password, const std::string& hash_line);

// `bytes` random bytes from OpenSSL's CSPRNG, hex encoded (32 bytes = 256 bits by default).
std::string random_token(size_t bytes = 32);
// Equal length and equal bytes, in time independent of where they differ.
bool constant_time_equal(const std::string& a, const std::string& b);

struct Session {
  std::string user;  // "" = not logged in yet (a login page's session, holding its CSRF token)
  std::string csrf;
  std::chrono::steady_clock::time_point expires;
};

// id → session. Ids are random 256-bit tokens; the table keys on them directly (they are never
// logged). Expired sessions are dropped when looked up and swept on create. Sign-in page
// sessions (no user yet) live at most kAnonymousTtl, and when the table holds kMaxSessions they
// are dropped first, so anonymous requests cannot grow it without bound.
class SessionTable {
 public:
  static constexpr size_t kMaxSessions = 10000;
  static constexpr std::chrono::seconds kAnonymousTtl{1800};
  explicit SessionTable(std::chrono::seconds ttl) : ttl_(ttl) {}
  // Returns the new session's id.
  std::string create(const std::string& user);
  std::optional<Session> find(const std::string& id);
  void erase(const std::string& id);
  size_t size();

 private:
  std::chrono::seconds ttl_;
  std::mutex mu_;
  std::map<std::string, Session> sessions_;  // guarded by mu_
};

// Failed logins per key (client address, account name) inside a sliding window. A key with
// `max_failures` failures in the window is refused until the oldest one ages out.
class LoginLimiter {
 public:
  LoginLimiter(int max_failures, std::chrono::seconds window) : max_(max_failures), window_(window) {}
  bool allowed(const std::string& key);
  void failed(const std::string& key);
  void succeeded(const std::string& key);

 private:
  void prune(std::deque<std::chrono::steady_clock::time_point>& q, std::chrono::steady_clock::time_point now);
  int max_;
  std::chrono::seconds window_;
  std::mutex mu_;
  std::map<std::string, std::deque<std::chrono::steady_clock::time_point>> failures_;  // guarded by mu_
};

}  // namespace clee::web
