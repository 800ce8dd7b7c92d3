// SHA-256 over bytes, in one call or streamed (OpenSSL's EVP). Hex digests, lower case.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace clee {

std::string sha256_hex(std::string_view bytes);

// Incremental SHA-256 for data that arrives in pieces (a file streamed into the store).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  std::string hex();  // finishes; call once

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace clee
