// Reviewer authentication for the web pages: salted, slow password hashes (PBKDF2-HMAC-SHA256,
// stored as `pbkdf2-sha256$ITER$SALT_HEX$HASH_HEX`), random 256-bit tokens, constant-time
// comparison, a server-side table of signed-in sessions with expiry (each carries its CSRF
// token), stateless signed tokens for the sign-in form, and sign-in throttling per account and
// client address. All are owned by the server object and safe to use from its worker threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "base/env.h"

namespace clee::web {

inline constexpr int kDefaultPbkdf2Iterations = 310000;
inline constexpr int kMinPbkdf2Iterations = 200000;
// How long a sign-in form (its token and its cookie) stays good.
inline constexpr int kSignInFormSeconds = 1800;

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
  std::string user;
  std::string csrf;  // the token every form of this session carries
  std::chrono::steady_clock::time_point expires;
};

// id → signed-in session. Ids are random 256-bit tokens; the table keys on them directly (they
// are never logged). A session lives `ttl` from sign-in (the cookie's Max-Age says the same).
// Expired sessions are dropped when looked up and swept on create; at kMaxSessions the one
// nearest its expiry goes. Only a right password creates a session: the sign-in form has none
// (FormSigner), so anonymous requests cannot fill or churn the table.
class SessionTable {
 public:
  static constexpr size_t kMaxSessions = 10000;
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

// Stateless sign-in form tokens: HMAC-SHA256 under a random per-process key over the issue time
// and a nonce, so showing the form stores nothing. The nonce is the browser's sign-in cookie,
// which binds a token to the browser that fetched the form (a token seen elsewhere is useless
// without that cookie). A token is good for `lifetime` seconds, and only in this process (a
// restart asks for the form again). Times come from `env`'s monotonic clock. Thread-safe
// (immutable after construction).
class FormSigner {
 public:
  FormSigner(double lifetime_seconds, Env* env);
  // A token for the form shown to the browser holding `nonce`.
  std::string issue(const std::string& nonce) const;
  // True when this process issued `token` for `nonce` less than the lifetime ago.
  bool verify(const std::string& token, const std::string& nonce) const;
  double lifetime() const { return lifetime_; }

 private:
  std::string mac(const std::string& issued, const std::string& nonce) const;
  double lifetime_;
  Env* env_;
  std::string key_;  // 32 random bytes
};

// Sign-in throttling per key (the server's key is account + client address): from the
// `delay_after`-th failure on, the next attempt must wait, 1 s after that failure, then 2 s,
// 4 s, ... doubling with each further failure up to `max_delay` seconds. A success clears the key; a key with no
// failure for `max_delay` after its wait ended is forgotten. Wrong passwords from one address
// therefore slow only that address's attempts on that account: nobody elsewhere is locked out.
// At most kMaxKeys keys are kept (the least recently failed go first). Times come from `env`'s
// monotonic clock. Thread-safe.
class LoginThrottle {
 public:
  static constexpr size_t kMaxKeys = 10000;
  LoginThrottle(int delay_after, double max_delay_seconds, Env* env)
      : delay_after_(delay_after), max_delay_(max_delay_seconds), env_(env) {}
  // Seconds `key` must still wait before its next attempt; 0 = it may try now.
  double wait(const std::string& key);
  void failed(const std::string& key);
  void succeeded(const std::string& key);
  size_t size();

 private:
  struct Entry {
    int failures = 0;
    double next_attempt = 0;  // monotonic seconds
    uint64_t seq = 0;         // when it last failed, in failure order
  };
  void sweep(double now);  // REQUIRES: mu_ held
  int delay_after_;
  double max_delay_;
  Env* env_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;  // guarded by mu_
  uint64_t seq_ = 0;                      // guarded by mu_
};

}  // namespace clee::web
