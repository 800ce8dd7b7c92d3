#include "app/web/server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include "app/web/assets.h"
#include "app/web/pages.h"
#include "queue/exports.h"

namespace clee::web {
namespace {

constexpr const char* kCookie = "clee_session";
constexpr size_t kMaxEmailBytes = 256 * 1024;
const char* kIdPattern = "([A-Za-z0-9_-]{1,64})";

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string cookie_value(const httplib::Request& req, const std::string& name) {
  std::string all = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < all.size()) {
    size_t end = all.find(';', pos);
    if (end == std::string::npos) end = all.size();
    std::string part = all.substr(pos, end - pos);
    part.erase(0, part.find_first_not_of(' '));
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return "";
}

void html(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "text/html; charset=utf-8");
}

void redirect(httplib::Response& res, const std::string& to) {
  res.status = 303;
  res.set_header("Location", to);
}

// A download name made only of safe characters from the provider's label (never a path: the
// label's folders are dropped and nothing but [A-Za-z0-9 ._()-] survives).
std::string safe_filename(const std::string& label, size_t index) {
  std::string base = label.substr(label.find_last_of("/\\") == std::string::npos ? 0 : label.find_last_of("/\\") + 1);
  std::string out;
  for (unsigned char c : base) {
    if (std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '(' || c == ')' || c == ' ') out += static_cast<char>(c);
    else if (c >= 0x80 || c == '\'' || c == ',') out += '_';
  }
  out.erase(0, out.find_first_not_of(". "));
  while (!out.empty() && (out.back() == '.' || out.back() == ' ')) out.pop_back();
  if (out.size() > 120) out = out.substr(out.size() - 120);
  return out.empty() ? "document-" + std::to_string(index) : out;
}

std::string iso_now() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

std::string rfc5322_now() {
  std::time_t t = std::time(nullptr);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", std::gmtime(&t));
  return buf;
}

int status_for(const Error& e) {
  if (e.code == Code::kNotFound) return 404;
  if (e.code == Code::kInvalidTransition) return 409;
  return 500;
}

}  // namespace

WebServer::WebServer(WebConfig config, std::string data_dir, const RulePack& rules)
    : config_(std::move(config)),
      data_dir_(std::move(data_dir)),
      rules_(rules),
      sessions_(std::chrono::minutes(config_.session_minutes)),
      limiter_(config_.login_max_failures, std::chrono::seconds(config_.login_window_seconds)),
      http_(std::make_unique<httplib::Server>()),
      dummy_hash_(hash_password(random_token(8))) {
  routes();
}

WebServer::~WebServer() { stop(); }

Status WebServer::bind() {
  if (Status st = validate(config_); !st) return st;
  if (config_.port == 0) {
    int p = http_->bind_to_any_port(config_.host);
    if (p <= 0) return Error{Code::kBindFailed, "cannot listen on " + config_.host};
    port_ = p;
  } else {
    if (!http_->bind_to_port(config_.host, config_.port))
      return Error{Code::kBindFailed, "cannot listen on " + config_.host + ":" + std::to_string(config_.port)};
    port_ = config_.port;
  }
  return {};
}

void WebServer::serve() { http_->listen_after_bind(); }

bool WebServer::running() const { return http_->is_running(); }

void WebServer::stop() {
  if (http_ && http_->is_running()) http_->stop();
}

PageContext WebServer::context(const Session* s) const {
  PageContext ctx;
  if (s) {
    ctx.user = s->user;
    ctx.csrf = s->csrf;
  }
  ctx.now = iso_now();
  ctx.today = ctx.now.substr(0, 10);
  return ctx;
}

std::optional<Session> WebServer::logged_in(const httplib::Request& req, httplib::Response& res) {
  auto s = sessions_.find(cookie_value(req, kCookie));
  if (s && !s->user.empty()) return s;
  redirect(res, "/login");
  res.status = 302;
  return std::nullopt;
}

bool WebServer::csrf_ok(const httplib::Request& req, httplib::Response& res, const Session& s) {
  // Same-origin check first (browsers send Origin on POST); then the per-session token.
  std::string origin = req.get_header_value("Origin");
  if (!origin.empty() && origin != "null") {
    size_t scheme = origin.find("://");
    std::string host = scheme == std::string::npos ? origin : origin.substr(scheme + 3);
    // Behind a reverse proxy, the proxy must pass the public Host (or X-Forwarded-Host).
    if (host != req.get_header_value("Host") && host != req.get_header_value("X-Forwarded-Host")) {
      html(res, 403, error_page(context(&s), 403, "This form came from another site and was refused."));
      return false;
    }
  }
  if (!req.has_param("_csrf") || !constant_time_equal(req.get_param_value("_csrf"), s.csrf)) {
    html(res, 403, error_page(context(&s), 403, "The form's security token is missing or out of date. Reload the page and try again."));
    return false;
  }
  return true;
}

void WebServer::set_session_cookie(httplib::Response& res, const std::string& id, bool clear) const {
  std::string c = std::string(kCookie) + "=" + (clear ? "" : id) + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                  (clear ? "0" : std::to_string(config_.session_minutes * 60));
  if (config_.secure_cookies) c += "; Secure";
  res.set_header("Set-Cookie", c);
}

std::string WebServer::authenticate(const std::string& name, const std::string& password) const {
  bool shared_only = config_.accounts.empty();
  for (const auto& a : config_.accounts)
    if (lower(a.name) == lower(name)) return verify_password(password, a.password_hash) ? a.name : "";
  if (!config_.shared_secret_hash.empty() && (shared_only || name.empty() || lower(name) == lower(config_.shared_name)))
    return verify_password(password, config_.shared_secret_hash) ? config_.shared_name : "";
  // Unknown name: spend the same time as a real check, so timing does not reveal account names.
  (void)verify_password(password, dummy_hash_);
  return "";
}

Result<std::unique_ptr<Store>> WebServer::store() const { return Store::open(data_dir_, Env::Default(), store_options_); }

void WebServer::routes() {
  httplib::Server& h = *http_;
  h.set_payload_max_length(config_.max_body_bytes);
  h.set_read_timeout(10, 0);
  h.set_write_timeout(30, 0);
  h.set_default_headers({
      {"Content-Security-Policy",
       "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cache-Control", "no-store"},
  });
  h.set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    const char* msg = res.status == 404   ? "There is no such page or packet."
                      : res.status == 413 ? "The request is too large."
                                          : "The request could not be handled.";
    html(res, res.status, error_page(context(nullptr), res.status, msg));
    return httplib::Server::HandlerResponse::Handled;
  }));
  h.set_exception_handler([this](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
    spdlog::error("web: internal error on {} {}", req.method, req.path);
    html(res, 500, error_page(context(nullptr), 500, "Internal error; see the server log."));
  });
  h.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    spdlog::debug("web: {} {} {}", req.method, req.path, res.status);
  });

  h.Get("/static/style.css", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(stylesheet(), "text/css; charset=utf-8");
    res.set_header("Cache-Control", "max-age=300");
  });
  h.Get("/static/app.js", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(script(), "text/javascript; charset=utf-8");
    res.set_header("Cache-Control", "max-age=300");
  });
  h.Get("/", [](const httplib::Request&, httplib::Response& res) { redirect(res, "/queue"); });

  h.Get("/login", [this](const httplib::Request& req, httplib::Response& res) {
    std::string id = cookie_value(req, kCookie);
    auto s = sessions_.find(id);
    if (s && !s->user.empty()) return redirect(res, "/queue");
    if (!s) {
      id = sessions_.create("");
      s = sessions_.find(id);
      set_session_cookie(res, id);
    }
    html(res, 200, login_page(context(&*s), "", config_.accounts.empty()));
  });
  h.Post("/login", [this](const httplib::Request& req, httplib::Response& res) { login(req, res); });
  h.Post("/logout", [this](const httplib::Request& req, httplib::Response& res) {
    auto s = logged_in(req, res);
    if (!s || !csrf_ok(req, res, *s)) return;
    sessions_.erase(cookie_value(req, kCookie));
    set_session_cookie(res, "", true);
    redirect(res, "/login");
  });

  h.Get("/queue", [this](const httplib::Request& req, httplib::Response& res) { queue(req, res); });
  h.Get(std::string("/packets/") + kIdPattern, [this](const httplib::Request& req, httplib::Response& res) { packet(req, res); });
  h.Get(std::string("/packets/") + kIdPattern + "/files/([0-9]{1,4})",
        [this](const httplib::Request& req, httplib::Response& res) { download(req, res); });
  h.Get(std::string("/packets/") + kIdPattern + "/documents/([0-9]{1,4})",
        [this](const httplib::Request& req, httplib::Response& res) { document(req, res); });
  for (const char* action : {"approve", "reject", "request-info"}) {
    std::string a = action;
    h.Post(std::string("/packets/") + kIdPattern + "/" + a,
           [this, a](const httplib::Request& req, httplib::Response& res) { decide(req, res, a); });
  }
  h.Get("/catalog", [this](const httplib::Request& req, httplib::Response& res) { catalog(req, res, false); });
  h.Get("/catalog.csv", [this](const httplib::Request& req, httplib::Response& res) { catalog(req, res, true); });
}

void WebServer::login(const httplib::Request& req, httplib::Response& res) {
  std::string id = cookie_value(req, kCookie);
  auto s = sessions_.find(id);
  if (!s) {
    html(res, 403, error_page(context(nullptr), 403, "Your sign-in form expired. Open the sign-in page again."));
    return;
  }
  if (!csrf_ok(req, res, *s)) return;
  std::string name = req.get_param_value("user"), password = req.get_param_value("password");
  const std::string by_addr = "addr:" + req.remote_addr, by_name = "name:" + lower(name);
  if (!limiter_.allowed(by_addr) || !limiter_.allowed(by_name)) {
    spdlog::warn("web: sign-in refused for '{}' from {}: too many failures", name, req.remote_addr);
    html(res, 429, login_page(context(&*s), "Too many failed attempts. Wait a few minutes and try again.", config_.accounts.empty()));
    return;
  }
  std::string user = authenticate(name, password);
  if (user.empty()) {
    limiter_.failed(by_addr);
    limiter_.failed(by_name);
    spdlog::info("web: failed sign-in for '{}' from {}", name, req.remote_addr);
    html(res, 401, login_page(context(&*s), "That name and password do not match.", config_.accounts.empty()));
    return;
  }
  limiter_.succeeded(by_addr);
  limiter_.succeeded(by_name);
  sessions_.erase(id);  // a new id after sign-in: a planted pre-login id is worth nothing
  set_session_cookie(res, sessions_.create(user));
  spdlog::info("web: {} signed in from {}", user, req.remote_addr);
  redirect(res, "/queue");
}

void WebServer::queue(const httplib::Request& req, httplib::Response& res) {
  auto s = logged_in(req, res);
  if (!s) return;
  auto st = store();
  if (!st) return html(res, 500, error_page(context(&*s), 500, st.error().message));
  auto all = (*st)->list();
  if (!all) return html(res, 500, error_page(context(&*s), 500, all.error().message));
  QueueFilter f{req.get_param_value("status"), req.get_param_value("q")};
  std::string q = lower(f.query);
  std::vector<PacketRecord> shown;
  for (const auto& r : *all) {
    if (!f.status.empty() && status_name(r.status) != f.status) continue;
    if (!q.empty() && lower(r.provider).find(q) == std::string::npos && lower(r.title).find(q) == std::string::npos &&
        lower(r.clee_id).find(q) == std::string::npos && lower(r.id).find(q) == std::string::npos)
      continue;
    shown.push_back(r);
  }
  html(res, 200, queue_page(context(&*s), shown, *all, f));
}

void WebServer::packet(const httplib::Request& req, httplib::Response& res) {
  auto s = logged_in(req, res);
  if (!s) return;
  auto st = store();
  if (!st) return html(res, 500, error_page(context(&*s), 500, st.error().message));
  auto rec = (*st)->get(req.matches[1]);
  if (!rec) return html(res, status_for(rec.error()), error_page(context(&*s), status_for(rec.error()), rec.error().message));
  PacketView v;
  v.record = std::move(*rec);
  v.default_years = rules_.default_years;
  if (auto f = (*st)->files(v.record.id)) v.files = std::move(*f);
  if (auto d = (*st)->document_texts(v.record.id)) v.documents = std::move(*d);
  if (auto a = (*st)->audit(v.record.id)) v.audit = std::move(*a);
  if (!v.record.token.empty() && v.record.status == PacketStatus::kInfoRequested) {
    std::ifstream in(data_dir_ + "/outbox/" + v.record.id + "-" + v.record.token + ".eml", std::ios::binary);
    std::string eml(kMaxEmailBytes, '\0');
    in.read(eml.data(), static_cast<std::streamsize>(eml.size()));
    eml.resize(static_cast<size_t>(in.gcount()));
    v.prepared_email = std::move(eml);
  }
  html(res, 200, packet_page(context(&*s), v));
}

void WebServer::download(const httplib::Request& req, httplib::Response& res) {
  auto s = logged_in(req, res);
  if (!s) return;
  auto st = store();
  if (!st) return html(res, 500, error_page(context(&*s), 500, st.error().message));
  auto files = (*st)->files(req.matches[1]);
  size_t n = std::stoul(req.matches[2]);
  if (!files || files->empty() || n == 0 || n > files->size())
    return html(res, 404, error_page(context(&*s), 404, "There is no such document."));
  const StoredFile& f = (*files)[n - 1];
  auto bytes = (*st)->read_object(f.sha256);
  if (!bytes) return html(res, 500, error_page(context(&*s), 500, bytes.error().message));
  res.set_content(std::move(*bytes), "application/octet-stream");
  res.set_header("Content-Disposition", "attachment; filename=\"" + safe_filename(f.label, n) + "\"");
}

void WebServer::document(const httplib::Request& req, httplib::Response& res) {
  auto s = logged_in(req, res);
  if (!s) return;
  auto st = store();
  if (!st) return html(res, 500, error_page(context(&*s), 500, st.error().message));
  auto rec = (*st)->get(req.matches[1]);
  if (!rec) return html(res, status_for(rec.error()), error_page(context(&*s), status_for(rec.error()), rec.error().message));
  auto docs = (*st)->document_texts(rec->id);
  size_t n = std::stoul(req.matches[2]);
  if (!docs || !docs->is_array() || n == 0 || n > docs->size())
    return html(res, 404, error_page(context(&*s), 404, "There is no such document."));
  int page = 1;
  std::string p = req.get_param_value("page");
  if (!p.empty() && p.size() < 6 && p.find_first_not_of("0123456789") == std::string::npos) page = std::stoi(p);
  html(res, 200, document_page(context(&*s), *rec, (*docs)[n - 1], static_cast<int>(n), page));
}

void WebServer::decide(const httplib::Request& req, httplib::Response& res, const std::string& action) {
  auto s = logged_in(req, res);
  if (!s || !csrf_ok(req, res, *s)) return;
  auto st = store();
  if (!st) return html(res, 500, error_page(context(&*s), 500, st.error().message));
  const std::string id = req.matches[1];
  auto rec = (*st)->get(id);
  if (!rec) return html(res, status_for(rec.error()), error_page(context(&*s), status_for(rec.error()), rec.error().message));
  auto fail = [&](const Error& e) { html(res, status_for(e), error_page(context(&*s), status_for(e), e.message)); };
  // The reviewer is the signed-in account, never a form field.
  const std::string& reviewer = s->user;
  if (action == "approve") {
    std::string y = req.get_param_value("years");
    int years = rules_.default_years;
    if (!y.empty()) {
      if (y.size() > 2 || y.find_first_not_of("0123456789") != std::string::npos || std::stoi(y) < 1 || std::stoi(y) > 10)
        return html(res, 400, error_page(context(&*s), 400, "Years of approval must be 1 to 10."));
      years = std::stoi(y);
    }
    auto ap = (*st)->approve(id, reviewer, years, rules_);
    if (!ap) return fail(ap.error());
    spdlog::info("web: {} approved {} as {}", reviewer, id, ap->clee_id);
  } else if (action == "reject") {
    std::string reason = req.get_param_value("reason");
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
      return html(res, 400, error_page(context(&*s), 400, "A rejection needs a reason."));
    if (Status r = (*st)->reject(id, reviewer, reason); !r) return fail(r.error());
    spdlog::info("web: {} rejected {}", reviewer, id);
  } else {
    std::string message = req.get_param_value("message");
    auto token = (*st)->request_info(id, reviewer, message);
    if (!token) return fail(token.error());
    auto after = (*st)->get(id);
    if (!after) return fail(after.error());
    std::string path = (*st)->data_dir() + "/outbox/" + id + "-" + *token + ".eml";
    if (Status w = Env::Default()->write_durably(path, information_request_eml(*after, *token, message, reviewer, rfc5322_now())); !w)
      return fail(w.error());
    spdlog::info("web: {} requested information on {}", reviewer, id);
  }
  redirect(res, "/packets/" + id);
}

void WebServer::catalog(const httplib::Request& req, httplib::Response& res, bool csv) {
  auto s = logged_in(req, res);
  if (!s) return;
  auto st = store();
  if (!st) return html(res, 500, error_page(context(&*s), 500, st.error().message));
  std::string as_of = (*st)->now().substr(0, 10);
  auto rows = (*st)->catalog(as_of);
  if (!rows) return html(res, 500, error_page(context(&*s), 500, rows.error().message));
  if (!csv) return html(res, 200, catalog_page(context(&*s), *rows, as_of, rules_.jurisdiction));
  res.set_content(catalog_csv(*rows), "text/csv; charset=utf-8");
  res.set_header("Content-Disposition", "attachment; filename=\"approved-clee-courses-" + as_of + ".csv\"");
}

int run_web_server(const WebConfig& config, const std::string& data_dir, const RulePack& rules, std::atomic<bool>& stop,
                   StoreOptions store) {
  WebServer server(config, data_dir, rules);
  server.use_store(std::move(store));
  if (Status st = server.bind(); !st) {
    spdlog::error("web: {}", st.error().message);
    return st.error().code == Code::kUsage ? 2 : 1;
  }
  spdlog::info("web: reviewer pages on http://{}:{}/ (data {})", config.host.find(':') != std::string::npos ? "[" + config.host + "]" : config.host,
               server.port(), data_dir);
  std::atomic<bool> done{false};
  std::thread serving([&server, &done] {
    server.serve();
    done = true;
  });
  while (!stop.load() && !done.load()) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // stop() only works once the listener runs; wait for that (or for the listener to have failed).
  while (!done.load() && !server.running()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  server.stop();
  serving.join();
  spdlog::info("web: stopped");
  return 0;
}

}  // namespace clee::web
