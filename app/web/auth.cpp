#include "app/web/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace clee::web {
namespace {

std::string to_hex(const unsigned char* p, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 15];
  }
  return out;
}

std::optional<std::vector<unsigned char>> from_hex(const std::string& s) {
  if (s.empty() || s.size() % 2) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::vector<unsigned char> out;
  for (size_t i = 0; i < s.size(); i += 2) {
    int hi = nibble(s[i]), lo = nibble(s[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<unsigned char>(hi * 16 + lo));
  }
  return out;
}

struct HashParts {
  int iterations = 0;
  std::vector<unsigned char> salt, hash;
};

std::optional<HashParts> parse(const std::string& line) {
  const std::string scheme = "pbkdf2-sha256$";
  if (line.rfind(scheme, 0) != 0) return std::nullopt;
  size_t a = scheme.size(), b = line.find('$', a);
  if (b == std::string::npos) return std::nullopt;
  size_t c = line.find('$', b + 1);
  if (c == std::string::npos) return std::nullopt;
  std::string iter = line.substr(a, b - a);
  if (iter.empty() || iter.size() > 9 || iter.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  HashParts p;
  p.iterations = std::stoi(iter);
  auto salt = from_hex(line.substr(b + 1, c - b - 1));
  auto hash = from_hex(line.substr(c + 1));
  if (!salt || !hash || salt->size() < 16 || hash->size() != 32) return std::nullopt;
  if (p.iterations < kMinPbkdf2Iterations) return std::nullopt;
  p.salt = std::move(*salt);
  p.hash = std::move(*hash);
  return p;
}

std::vector<unsigned char> derive(const std::string& password, const std::vector<unsigned char>& salt, int iterations) {
  std::vector<unsigned char> out(32);
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(), static_cast<int>(salt.size()),
                        iterations, EVP_sha256(), static_cast<int>(out.size()), out.data()) != 1)
    out.clear();
  return out;
}

}  // namespace

std::string random_token(size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  // RAND_bytes failing means the CSPRNG is unusable; never hand out a predictable token.
  if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1) throw std::runtime_error("RAND_bytes failed");
  return to_hex(buf.data(), buf.size());
}

bool constant_time_equal(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string hash_password(const std::string& password, int iterations) {
  std::vector<unsigned char> salt(16);
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) throw std::runtime_error("RAND_bytes failed");
  auto h = derive(password, salt, iterations);
  return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + to_hex(salt.data(), salt.size()) + "$" +
         to_hex(h.data(), h.size());
}

bool valid_hash_line(const std::string& hash_line) { return parse(hash_line).has_value(); }

bool verify_password(const std::string& password, const std::string& hash_line) {
  auto p = parse(hash_line);
  if (!p) return false;
  auto h = derive(password, p->salt, p->iterations);
  return h.size() == p->hash.size() && CRYPTO_memcmp(h.data(), p->hash.data(), h.size()) == 0;
}

std::string SessionTable::create(const std::string& user) {
  std::string id = random_token();
  auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = sessions_.begin(); it != sessions_.end();) it = it->second.expires <= now ? sessions_.erase(it) : std::next(it);
  if (sessions_.size() >= kMaxSessions)
    for (auto it = sessions_.begin(); it != sessions_.end();) it = it->second.user.empty() ? sessions_.erase(it) : std::next(it);
  sessions_[id] = Session{user, random_token(), now + (user.empty() ? std::min(ttl_, std::chrono::seconds(kAnonymousTtl)) : ttl_)};
  return id;
}

std::optional<Session> SessionTable::find(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return std::nullopt;
  if (it->second.expires <= std::chrono::steady_clock::now()) {
    sessions_.erase(it);
    return std::nullopt;
  }
  return it->second;
}

void SessionTable::erase(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(id);
}

size_t SessionTable::size() {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

void LoginLimiter::prune(std::deque<std::chrono::steady_clock::time_point>& q, std::chrono::steady_clock::time_point now) {
  while (!q.empty() && q.front() + window_ <= now) q.pop_front();
}

bool LoginLimiter::allowed(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return true;
  prune(it->second, std::chrono::steady_clock::now());
  return static_cast<int>(it->second.size()) < max_;
}

void LoginLimiter::failed(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& q = failures_[key];
  prune(q, std::chrono::steady_clock::now());
  q.push_back(std::chrono::steady_clock::now());
}

void LoginLimiter::succeeded(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_.erase(key);
}

}  // namespace clee::web
