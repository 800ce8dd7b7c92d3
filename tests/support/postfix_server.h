// A private Postfix SMTP server for a test suite (tests/support/start_postfix.sh): three
// listeners on free loopback ports — STARTTLS, smtps, and one offering no TLS — with AUTH
// "clee"/"secret", a self-signed certificate for 127.0.0.1, and every message, whatever its
// domain, delivered to one Maildir the test reads (nothing leaves the machine). refused@example.org answers 550,
// busy@example.org 451. Needs root (Postfix's master does).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace clee::test {

// A loopback port nothing listens on right now.
inline int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

class PostfixServer {
 public:
  // Starts the server in `dir` (made afresh). Returns "" on success, else the script's output.
  std::string start(const std::string& dir) {
    dir_ = dir;
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    submit_ = free_port();
    smtps_ = free_port();
    while (smtps_ == submit_) smtps_ = free_port();
    plain_ = free_port();
    while (plain_ == submit_ || plain_ == smtps_) plain_ = free_port();
    std::string cmd = "bash " CLEE_SOURCE_DIR "/tests/support/start_postfix.sh '" + dir_ + "' " + std::to_string(submit_) +
                      " " + std::to_string(smtps_) + " " + std::to_string(plain_) + " > '" + dir_ + "/start.out' 2>&1";
    if (std::system(cmd.c_str()) != 0) return slurp(dir_ + "/start.out");
    started_ = true;
    return "";
  }
  void stop() {
    if (!started_) return;
    std::string cmd = "bash " CLEE_SOURCE_DIR "/tests/support/stop_postfix.sh '" + dir_ + "'";
    if (std::system(cmd.c_str()) != 0) return;
    started_ = false;
  }
  ~PostfixServer() { stop(); }

  std::string starttls_url() const { return "smtp://127.0.0.1:" + std::to_string(submit_); }
  std::string smtps_url() const { return "smtps://127.0.0.1:" + std::to_string(smtps_); }
  std::string plain_url() const { return "smtp://127.0.0.1:" + std::to_string(plain_); }
  std::string ca_file() const { return dir_ + "/tls/cert.pem"; }
  std::string maildir() const { return dir_ + "/mail/inbox"; }
  std::string log() const { return slurp(dir_ + "/log/postfix.log"); }

  // The delivered messages (new/ and cur/), oldest file name first.
  std::vector<std::string> messages() const {
    std::vector<std::string> names;
    for (const char* sub : {"/new", "/cur"}) {
      std::error_code ec;
      for (const auto& e : std::filesystem::directory_iterator(maildir() + sub, ec)) names.push_back(e.path().string());
    }
    std::sort(names.begin(), names.end());
    std::vector<std::string> out;
    for (const auto& n : names) out.push_back(slurp(n));
    return out;
  }
  // Waits (up to `seconds`) until at least `n` messages were delivered; returns them.
  std::vector<std::string> wait_for(size_t n, double seconds = 30) const {
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<int>(seconds * 1000));
    while (messages().size() < n && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return messages();
  }
  void clear() const {
    for (const char* sub : {"/new", "/cur"}) {
      std::error_code ec;
      for (const auto& e : std::filesystem::directory_iterator(maildir() + sub, ec)) std::filesystem::remove(e.path(), ec);
    }
  }

  static std::string slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }

 private:
  std::string dir_;
  int submit_ = 0, smtps_ = 0, plain_ = 0;
  bool started_ = false;
};

}  // namespace clee::test
