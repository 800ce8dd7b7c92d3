// The reviewer web pages over the durable queue: a small cpp-httplib server rendering plain HTML
// (queue, packet, document text, catalog) with sign-in, sessions, CSRF tokens on every form,
// strict security headers (no inline script) and these defences, each a defect of issue 8:
//   - connections are read by a front door (connection_hub.h) that bounds heads, bodies, idle
//     and slow clients and connections per address, so no client can hold the workers;
//   - a request must name an allowed Host (421 otherwise: DNS rebinding), and a state-changing
//     one must come from our own origin (Origin "null" refused) and carry its form fields, the
//     CSRF token among them, in a form body, never the query string;
//   - the sign-in form is stateless (a signed token, FormSigner), and failed sign-ins are
//     throttled per account and client address (LoginThrottle), so neither a flood of visitors
//     nor someone else's wrong passwords keeps a reviewer out;
//   - the client's address, host and scheme come from X-Forwarded-* only when the peer is a
//     trusted proxy (client_view.h).
//
// Every request opens its own Store connection (a Store is one-thread-at-a-time; SQLite in WAL
// mode lets the daemon and the CLI share the data folder). Decisions are recorded under the
// signed-in account's name, never a name from a form.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "app/web/auth.h"
#include "app/web/client_view.h"
#include "app/web/page_images.h"
#include "app/web/pages.h"
#include "app/web/web_config.h"
#include "base/env.h"
#include "pipeline/rules.h"
#include "queue/store.h"

namespace httplib {
struct Request;
struct Response;
}

namespace clee::app {
class Notices;
struct Config;
}  // namespace clee::app

namespace clee::web {

class GuardedServer;

class WebServer {
 public:
  // `rules` is used to issue CLEE IDs and default approval years; it must outlive the server.
  // `env` supplies the clock of the sign-in throttle and form tokens.
  WebServer(WebConfig config, std::string data_dir, const RulePack& rules, Env* env = Env::Default());
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // The queue the pages work on: `store` URL and lease settings (default: SQLite in data_dir).
  void use_store(StoreOptions options) { store_options_ = std::move(options); }
  // Binds the configured address (port 0 = any free port). Refuses non-loopback unless allowed.
  Status bind();
  int port() const { return port_; }
  // The page images' renderer (the default extract limits; tests count its renders).
  PageImages& page_images() { return pages_; }
  // Serves until stop() (from another thread). Returns when the listener closed.
  void serve();
  bool running() const;
  void stop();
  // The office's messages for decisions made here (approval, rejection, request for
  // information); without them a decision is recorded and queues no email.
  void set_notices(const app::Notices* notices) { notices_ = notices; }

 private:
  void routes();
  // Answers (and returns true for) a request for a Host not allowed, or a state-changing one
  // from another origin; false lets it through to its handler.
  bool screen(const httplib::Request& req, httplib::Response& res);
  ClientView client(const httplib::Request& req) const;
  void login_form(const httplib::Request& req, httplib::Response& res);
  void login(const httplib::Request& req, httplib::Response& res);
  void logout(const httplib::Request& req, httplib::Response& res);
  void queue(const httplib::Request& req, httplib::Response& res);
  void packet(const httplib::Request& req, httplib::Response& res);
  void download(const httplib::Request& req, httplib::Response& res);
  // The PNG of one page of one of the packet's originals (page_images.h).
  void page_image(const httplib::Request& req, httplib::Response& res);
  // The pages of the packet's originals with their sizes, for the packet page's images.
  std::vector<PageShot> page_shots(Store& store, const std::vector<StoredFile>& files);
  void document(const httplib::Request& req, httplib::Response& res);
  void decide(const httplib::Request& req, httplib::Response& res, const std::string& action);
  // A reviewer's correction of one outline block's curriculum area (audited; app/corrections.h).
  void correct_area(const httplib::Request& req, httplib::Response& res);
  void catalog(const httplib::Request& req, httplib::Response& res, bool csv);
  // The Approved CLEE Courses as of today: "html" (the standalone document), "csv" or "pdf".
  void public_catalog(httplib::Response& res, const std::string& format);

  PageContext context(const Session* s) const;
  void error_reply(httplib::Response& res, const Session* s, const Error& e) const;
  // The sign-in page's context: a fresh form token for the browser holding `nonce`.
  PageContext form_context(const std::string& nonce) const;
  // The signed-in session, or nullopt after answering 302 → /login.
  std::optional<Session> logged_in(const httplib::Request& req, httplib::Response& res);
  // The form body carries the session's CSRF token (constant-time compare), or nothing after a 403.
  bool csrf_ok(const httplib::Request& req, httplib::Response& res, const Session& s);
  void set_cookie(httplib::Response& res, const std::string& name, const std::string& value, int max_age,
                  const std::string& path = "/") const;
  // The account name on success, "" otherwise.
  std::string authenticate(const std::string& name, const std::string& password) const;
  // The throttle's account part for a typed name: the account it names, or one bucket for
  // every name that is no account (so made-up names cannot grow the throttle's table).
  std::string account_key(const std::string& name) const;
  Result<std::unique_ptr<Store>> store() const;

  WebConfig config_;
  std::string data_dir_;
  StoreOptions store_options_;
  const RulePack& rules_;
  Env* env_;
  PageImages pages_;
  SessionTable sessions_;
  FormSigner forms_;
  LoginThrottle throttle_;
  std::unique_ptr<GuardedServer> http_;
  std::vector<std::string> allowed_hosts_;  // set by bind()
  std::string dummy_hash_;  // verified against for unknown names, so timing reveals nothing
  int port_ = 0;
  const app::Notices* notices_ = nullptr;
};

// For `serve` and the daemon: binds, then serves until `stop` becomes true. Returns the process
// exit code (0 clean stop, 1 could not bind, 2 configuration error).
// `store`: where the queue is (any host can serve the pages: they need only the store and the
// data folder). `notices` (may be null: decisions then queue no email) must outlive the server.
int run_web_server(const WebConfig& config, const std::string& data_dir, const RulePack& rules, std::atomic<bool>& stop,
                   StoreOptions store = {}, const app::Notices* notices = nullptr);

}  // namespace clee::web

namespace clee::web {
// For the daemon: serves the configuration's [web] pages over its data folder and rule pack
// until `stop`; returns the exit code.
int run_web_server(const app::Config& config, std::atomic<bool>& stop);
}  // namespace clee::web
