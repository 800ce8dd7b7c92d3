// A real PostgreSQL server for the tests that run against the PostgreSQL store: started on first
// use (tests/support/pg_test_server.sh: initdb and pg_ctl as the unprivileged `postgres` account,
// loopback only, a free port, a temporary folder), one per test binary, stopped when the binary
// exits (or, should it crash, by the script's watcher). Each test takes a new empty database.
#pragma once

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "queue/sql.h"

namespace clee::test {

class PgServer {
 public:
  // The binary's server, started the first time it is asked for. A server that cannot start
  // fails the calling test with the script's output.
  static PgServer& shared() {
    static std::unique_ptr<PgServer> server(new PgServer());
    return *server;
  }
  ~PgServer() {
    if (!dir_.empty() && ::getpid() == owner_) {  // not in a forked child
      (void)std::system(("bash " + script() + " stop " + dir_ + " >/dev/null 2>&1").c_str());
      std::filesystem::remove_all(dir_);
    }
  }
  bool running() const { return running_; }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  std::string url(const std::string& database) const {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
  }
  // A new, empty database; returns its URL ("" and a test failure if the server is not up).
  std::string new_database() {
    EXPECT_TRUE(running_) << "PostgreSQL test server: " << error_;
    if (!running_) return "";
    std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(++databases_);
    Status st = admin("CREATE DATABASE " + name);
    EXPECT_TRUE(st) << st.error().message;
    return url(name);
  }
  // Runs `sql` in the `postgres` database (CREATE DATABASE, pg_terminate_backend, ...).
  Status admin(const std::string& sql) {
    auto db = sql::connect_postgres(url("postgres"), {});
    if (!db) return db.error();
    return (*db)->exec(sql);
  }

 private:
  PgServer() : owner_(::getpid()) {
    char tmpl[] = "/tmp/clee-pg-XXXXXX";
    if (!mkdtemp(tmpl)) {
      error_ = "mkdtemp failed";
      return;
    }
    dir_ = tmpl;
    for (int attempt = 0; attempt < 5 && !running_; ++attempt) {
      port_ = free_port();
      std::string log = dir_ + "-start.log";
      std::string cmd = "bash " + script() + " start " + dir_ + " " + std::to_string(port_) + " " +
                        std::to_string(::getpid()) + " >" + log + " 2>&1";
      running_ = std::system(cmd.c_str()) == 0;
      if (!running_) {
        error_ = read_all(log);
        std::filesystem::remove_all(dir_ + "/data");
      }
      std::filesystem::remove(log);
    }
  }
  static std::string script() { return std::string(CLEE_SOURCE_DIR) + "/tests/support/pg_test_server.sh"; }
  static int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
      port = ntohs(a.sin_port);
    ::close(fd);
    return port;
  }
  static std::string read_all(const std::string& path) {
    std::string out;
    if (FILE* f = std::fopen(path.c_str(), "r")) {
      char buf[4096];
      size_t n;
      while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
      std::fclose(f);
    }
    return out;
  }

  pid_t owner_;
  std::string dir_, error_;
  int port_ = 0;
  bool running_ = false;
  int databases_ = 0;
};

}  // namespace clee::test
