// The reviewer web pages over the durable queue: a small cpp-httplib server rendering plain HTML
// (queue, packet, document text, catalog) with login, sessions, CSRF tokens on every form, login
// rate limiting, request size limits and strict security headers (no inline script).
//
// Every request opens its own Store connection (a Store is one-thread-at-a-time; SQLite in WAL
// mode lets the daemon and the CLI share the data folder). Decisions are recorded under the
// logged-in account's name, never a name from a form.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "app/web/auth.h"
#include "app/web/pages.h"
#include "app/web/web_config.h"
#include "pipeline/rules.h"
#include "queue/store.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}

namespace clee::web {

class WebServer {
 public:
  // `rules` is used to issue CLEE IDs and default approval years; it must outlive the server.
  WebServer(WebConfig config, std::string data_dir, const RulePack& rules);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // The queue the pages work on: `store` URL and lease settings (default: SQLite in data_dir).
  void use_store(StoreOptions options) { store_options_ = std::move(options); }
  // Binds the configured address (port 0 = any free port). Refuses non-loopback unless allowed.
  Status bind();
  int port() const { return port_; }
  // Serves until stop() (from another thread). Returns when the listener closed.
  void serve();
  bool running() const;
  void stop();

 private:
  void routes();
  void login(const httplib::Request& req, httplib::Response& res);
  void queue(const httplib::Request& req, httplib::Response& res);
  void packet(const httplib::Request& req, httplib::Response& res);
  void download(const httplib::Request& req, httplib::Response& res);
  void document(const httplib::Request& req, httplib::Response& res);
  void decide(const httplib::Request& req, httplib::Response& res, const std::string& action);
  void catalog(const httplib::Request& req, httplib::Response& res, bool csv);

  PageContext context(const Session* s) const;
  // The signed-in session, or nullopt after answering 302 → /login.
  std::optional<Session> logged_in(const httplib::Request& req, httplib::Response& res);
  // Same origin and the session's CSRF token (constant-time compare), or nothing after a 403.
  bool csrf_ok(const httplib::Request& req, httplib::Response& res, const Session& s);
  void set_session_cookie(httplib::Response& res, const std::string& id, bool clear = false) const;
  // The account name on success, "" otherwise.
  std::string authenticate(const std::string& name, const std::string& password) const;
  Result<std::unique_ptr<Store>> store() const;

  WebConfig config_;
  std::string data_dir_;
  StoreOptions store_options_;
  const RulePack& rules_;
  SessionTable sessions_;
  LoginLimiter limiter_;
  std::unique_ptr<httplib::Server> http_;
  std::string dummy_hash_;  // verified against for unknown names, so timing reveals nothing
  int port_ = 0;
};

// For `serve` and the daemon: binds, then serves until `stop` becomes true. Returns the process
// exit code (0 clean stop, 1 could not bind, 2 configuration error).
// `store`: where the queue is (any host can serve the pages: they need only the store and the
// data folder).
int run_web_server(const WebConfig& config, const std::string& data_dir, const RulePack& rules, std::atomic<bool>& stop,
                   StoreOptions store = {});

}  // namespace clee::web

namespace clee::app {
struct Config;
}  // namespace clee::app

namespace clee::web {
// For the daemon: serves the configuration's [web] pages over its data folder and rule pack
// until `stop`; returns the exit code.
int run_web_server(const app::Config& config, std::atomic<bool>& stop);
}  // namespace clee::web
