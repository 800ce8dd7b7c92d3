#include "app/web/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
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
    sessions_.erase(std::min_element(sessions_.begin(), sessions_.end(),
                                     [](const auto& a, const auto& b) { return a.second.expires < b.second.expires; }));
  sessions_[id] = Session{user, random_token(), now + ttl_};
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

FormSigner::FormSigner(double lifetime_seconds, Env* env) : lifetime_(lifetime_seconds), env_(env) {
  key_.resize(32);
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key_.data()), static_cast<int>(key_.size())) != 1)
    throw std::runtime_error("RAND_bytes failed");
}

std::string FormSigner::mac(const std::string& issued, const std::string& nonce) const {
  const std::string message = "clee-sign-in-form\n" + issued + "\n" + nonce;
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), out, &len);
  return to_hex(out, len);
}

std::string FormSigner::issue(const std::string& nonce) const {
  char issued[17];
  std::snprintf(issued, sizeof issued, "%016llx", static_cast<unsigned long long>(env_->monotonic_seconds()));
  return issued + mac(issued, nonce);
}

bool FormSigner::verify(const std::string& token, const std::string& nonce) const {
  if (token.size() != 16 + 64 || nonce.empty() || token.find_first_not_of("0123456789abcdef") != std::string::npos) return false;
  const std::string issued = token.substr(0, 16);
  if (!constant_time_equal(token.substr(16), mac(issued, nonce))) return false;
  double age = env_->monotonic_seconds() - static_cast<double>(std::stoull(issued, nullptr, 16));
  return age >= -1 && age <= lifetime_;
}

void LoginThrottle::sweep(double now) {
  for (auto it = entries_.begin(); it != entries_.end();)
    it = now >= it->second.next_attempt + max_delay_ ? entries_.erase(it) : std::next(it);
  while (entries_.size() >= kMaxKeys)
    entries_.erase(std::min_element(entries_.begin(), entries_.end(),
                                    [](const auto& a, const auto& b) { return a.second.seq < b.second.seq; }));
}

double LoginThrottle::wait(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return 0;
  return std::max(0.0, it->second.next_attempt - env_->monotonic_seconds());
}

void LoginThrottle::failed(const std::string& key) {
  double now = env_->monotonic_seconds();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    if (entries_.size() >= kMaxKeys) sweep(now);
    it = entries_.emplace(key, Entry{}).first;
  } else if (now >= it->second.next_attempt + max_delay_) {
    it->second = Entry{};  // quiet long enough: start over
  }
  Entry& e = it->second;
  ++e.failures;
  e.seq = ++seq_;
  int over = e.failures - delay_after_ + 1;
  double delay = over <= 0 ? 0 : std::min(max_delay_, std::ldexp(1.0, std::min(over - 1, 30)));
  e.next_attempt = now + delay;
}

void LoginThrottle::succeeded(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.erase(key);
}

size_t LoginThrottle::size() {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace clee::web
