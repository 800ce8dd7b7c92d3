#include "app/web/server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <thread>

#include "app/catalog_export.h"
#include "app/decisions.h"
#include "app/intake.h"
#include "app/corrections.h"
#include "app/web/assets.h"
#include "app/web/connection_hub.h"
#include "app/web/handler_util.h"
#include "app/web/pages.h"
#include "queue/exports.h"

namespace clee::web {
namespace {

constexpr size_t kMaxEmailBytes = 256 * 1024;
const char* kIdPattern = "([A-Za-z0-9_-]{1,64})";

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

// The HTTP status for a store or intake error, by its code.
int status_for(const Error& e) {
  switch (e.code) {
    case Code::kNotFound: return 404;
    case Code::kInvalidTransition: return 409;
    case Code::kUsage: return 400;
    default: return is_transient(e.code) ? 503 : 500;  // busy, disk full: try again later
  }
}

// Drawing a page for the reviewer must not hold a web worker as long as extraction may take: a
// page that cannot be drawn in a few seconds is shown as text (and remembered as undrawable).
Limits page_image_limits() {
  Limits l;
  l.max_seconds = 5.0;
  return l;
}

HubLimits hub_limits(const WebConfig& c) {
  HubLimits l;
  l.head = HeadLimits{c.max_header_bytes, c.max_headers, c.max_body_bytes};
  l.max_connections = c.max_connections;
  l.max_connections_per_address = c.max_connections_per_address;
  l.uncapped = c.trusted_proxies;  // a proxy carries many clients
  l.threads = c.threads;
  l.keep_alive_max_requests = c.keep_alive_max_requests;
  l.keep_alive_seconds = c.keep_alive_seconds;
  l.request_seconds = c.request_seconds;
  l.write_seconds = c.write_seconds;
  return l;
}

// Every value of header `name`, joined with ", " (several X-Forwarded-For lines are one list).
std::string joined(const httplib::Request& req, const char* name) {
  std::string out;
  for (size_t i = 0, n = req.get_header_value_count(name); i < n; ++i) out += (i ? ", " : "") + req.get_header_value(name, i);
  return out;
}

}  // namespace

WebServer::WebServer(WebConfig config, std::string data_dir, const RulePack& rules, Env* env)
    : config_(std::move(config)),
      data_dir_(std::move(data_dir)),
      rules_(rules),
      env_(env),
      pages_(data_dir_, page_image_limits(), env_),
      sessions_(std::chrono::minutes(config_.session_minutes)),
      forms_(kSignInFormSeconds, env_),
      throttle_(config_.login_max_failures, config_.login_window_seconds, env_),
      http_(std::make_unique<GuardedServer>(hub_limits(config_))),
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
  if (!http_->widen_backlog(std::max(128, config_.max_connections)))
    spdlog::warn("web: could not widen the listen backlog: {}", std::strerror(errno));
  allowed_hosts_ = config_.allowed_hosts.empty() ? default_allowed_hosts(config_.host, port_) : config_.allowed_hosts;
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

ClientView WebServer::client(const httplib::Request& req) const {
  return view_client(req.remote_addr, req.get_header_value("Host"), joined(req, "X-Forwarded-For"),
                     joined(req, "X-Forwarded-Host"), joined(req, "X-Forwarded-Proto"), config_.trusted_proxies);
}

bool WebServer::screen(const httplib::Request& req, httplib::Response& res) {
  const ClientView who = client(req);
  if (!host_allowed(who.host, allowed_hosts_)) {
    spdlog::debug("web: {} {} for host '{}' from {} refused", req.method, loggable(req.path), loggable(who.host), who.address);
    html(res, 421, error_page(context(nullptr), 421, "This server does not answer to that name."));
    return true;
  }
  if (req.method == "GET" || req.method == "HEAD") return false;
  // Browsers send Origin on every POST; a request without one is not a browser's cross-site
  // request, and the CSRF token still has to match.
  std::string origin = req.get_header_value("Origin");
  if (req.has_header("Origin") && !same_origin(origin, who)) {
    spdlog::info("web: {} {} from origin '{}' (host '{}', {}) refused", req.method, loggable(req.path), loggable(origin),
                 loggable(who.host), who.address);
    html(res, 403, error_page(context(nullptr), 403, "This form came from another site and was refused."));
    return true;
  }
  return false;
}

Result<std::unique_ptr<Store>> WebServer::store() const { return Store::open(data_dir_, Env::Default(), store_options_); }

void WebServer::routes() {
  httplib::Server& h = *http_;
  // Reads and writes are the front door's (connection_hub.h); this is httplib's own 413 check.
  h.set_payload_max_length(config_.max_body_bytes);
  h.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    return screen(req, res) ? httplib::Server::HandlerResponse::Handled : httplib::Server::HandlerResponse::Unhandled;
  });
  h.set_default_headers({
      {"Content-Security-Policy",
       "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      // Not "no-referrer": under it browsers send "Origin: null" on our own form posts (Fetch,
      // "serializing a request origin"), and "null" must be refused. "same-origin" still sends
      // no Referer to any other site, and a real Origin only on same-origin requests.
      {"Referrer-Policy", "same-origin"},
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
    spdlog::error("web: internal error on {} {}", req.method, loggable(req.path));
    html(res, 500, error_page(context(nullptr), 500, "Internal error; see the server log."));
  });
  h.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    spdlog::debug("web: {} {} {}", req.method, loggable(req.path), res.status);
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

  h.Get("/login", [this](const httplib::Request& req, httplib::Response& res) { login_form(req, res); });
  h.Post("/login", [this](const httplib::Request& req, httplib::Response& res) { login(req, res); });
  h.Post("/logout", [this](const httplib::Request& req, httplib::Response& res) { logout(req, res); });

  h.Get("/queue", [this](const httplib::Request& req, httplib::Response& res) { queue(req, res); });
  h.Get(std::string("/packets/") + kIdPattern, [this](const httplib::Request& req, httplib::Response& res) { packet(req, res); });
  h.Get(std::string("/packets/") + kIdPattern + "/files/([0-9]{1,4})",
        [this](const httplib::Request& req, httplib::Response& res) { download(req, res); });
  h.Get(std::string("/packets/") + kIdPattern + "/pages/([0-9a-f]{64})/([0-9]{1,4})\\.png",
        [this](const httplib::Request& req, httplib::Response& res) { page_image(req, res); });
  h.Get(std::string("/packets/") + kIdPattern + "/documents/([0-9]{1,4})",
        [this](const httplib::Request& req, httplib::Response& res) { document(req, res); });
  for (const char* action : {"approve", "reject", "request-info"}) {
    std::string a = action;
    h.Post(std::string("/packets/") + kIdPattern + "/" + a,
           [this, a](const httplib::Request& req, httplib::Response& res) { decide(req, res, a); });
  }
  h.Post(std::string("/packets/") + kIdPattern + "/area",
         [this](const httplib::Request& req, httplib::Response& res) { correct_area(req, res); });
  h.Get("/catalog", [this](const httplib::Request& req, httplib::Response& res) { catalog(req, res, false); });
  h.Get("/catalog.csv", [this](const httplib::Request& req, httplib::Response& res) { catalog(req, res, true); });
  h.Get("/catalog.pdf", [this](const httplib::Request& req, httplib::Response& res) {
    if (logged_in(req, res)) public_catalog(res, "pdf");
  });
  // Off by default: the Approved CLEE Courses for officers and chiefs, read-only, no sign-in.
  if (config_.public_catalog)
    for (const char* format : {"html", "csv", "pdf"}) {
      std::string f = format;
      h.Get("/public/catalog" + (f == "html" ? std::string() : "." + f),
            [this, f](const httplib::Request&, httplib::Response& res) { public_catalog(res, f); });
    }
}

void WebServer::public_catalog(httplib::Response& res, const std::string& format) {
  auto st = store();
  if (!st) return html(res, 503, error_page(context(nullptr), 503, "The catalog is not available right now."));
  std::string as_of = (*st)->now().substr(0, 10);
  auto rows = (*st)->catalog(as_of);
  if (!rows) return html(res, 503, error_page(context(nullptr), 503, "The catalog is not available right now."));
  std::string name = "approved-clee-courses-" + as_of;
  CatalogAreas areas = catalog_areas(**st, *rows);
  if (format == "csv") {
    res.set_content(catalog_csv(*rows, areas), "text/csv; charset=utf-8");
    res.set_header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
  } else if (format == "pdf") {
    auto pdf = app::catalog_pdf(*rows, as_of, rules_.jurisdiction);
    if (!pdf) return html(res, 500, error_page(context(nullptr), 500, pdf.error().message));
    res.set_content(std::move(*pdf), "application/pdf");
    res.set_header("Content-Disposition", "inline; filename=\"" + name + ".pdf\"");
  } else {
    res.set_content(catalog_html(*rows, as_of, rules_.jurisdiction, areas), "text/html; charset=utf-8");
  }
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
  if (!rec) return error_reply(res, &*s, rec.error());
  PacketView v;
  v.record = std::move(*rec);
  v.default_years = rules_.default_years;
  if (auto plan = app::plan_approval(v.record, (*st)->now().substr(0, 10), std::nullopt, rules_.default_years)) {
    v.approval_year = plan->year;
    v.course_dates = plan->course_dates;
    v.approval_warnings = plan->warnings;
  }
  if (v.record.status != PacketStatus::kApproved && v.record.status != PacketStatus::kRejected)
    v.renewal = app::find_renewal(**st, v.record);
  if (auto f = (*st)->files(v.record.id)) v.files = std::move(*f);
  if (auto d = (*st)->document_texts(v.record.id)) v.documents = std::move(*d);
  if (auto a = (*st)->audit(v.record.id)) v.audit = std::move(*a);
  v.pages = page_shots(**st, v.files);
  if (!v.record.token.empty() && v.record.status == PacketStatus::kInfoRequested) {
    // Through the Env: never a link, never more than kMaxEmailBytes (then it is not shown).
    if (auto eml = env_->read_file(data_dir_ + "/outbox/" + v.record.id + "-" + v.record.token + ".eml", kMaxEmailBytes))
      v.prepared_email = std::move(*eml);
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

void WebServer::page_image(const httplib::Request& req, httplib::Response& res) {
  auto s = logged_in(req, res);
  if (!s) return;
  auto st = store();
  if (!st) return html(res, 500, error_page(context(&*s), 500, st.error().message));
  // Only an original of this packet: an object's hash alone opens nothing.
  auto files = (*st)->files(req.matches[1]);
  const std::string sha = req.matches[2];
  bool ours = files && std::any_of(files->begin(), files->end(), [&](const StoredFile& f) { return f.refused.empty() && f.sha256 == sha; });
  if (!ours) return html(res, 404, error_page(context(&*s), 404, "There is no such page."));
  Limits limits;
  auto png = pages_.png(sha, std::stoi(req.matches[3]), [&] { return (*st)->read_object(sha, limits.max_file_bytes); });
  if (!png) return html(res, 404, error_page(context(&*s), 404, "This page has no image."));
  res.set_content(std::move(*png), "image/png");
  res.set_header("Cache-Control", "private, max-age=3600");
}

std::vector<PageShot> WebServer::page_shots(Store& store, const std::vector<StoredFile>& files) {
  std::vector<PageShot> shots;
  Limits limits;
  for (const StoredFile& f : files) {
    if (!f.refused.empty() || f.bytes > limits.max_file_bytes) continue;
    auto bytes = store.read_object(f.sha256, limits.max_file_bytes);
    if (!bytes) continue;
    for (const PageSize& p : pages_.page_sizes(*bytes)) shots.push_back({f.sha256, p.page, p.width, p.height});
  }
  return shots;
}

void WebServer::document(const httplib::Request& req, httplib::Response& res) {
  auto s = logged_in(req, res);
  if (!s) return;
  auto st = store();
  if (!st) return html(res, 500, error_page(context(&*s), 500, st.error().message));
  auto rec = (*st)->get(req.matches[1]);
  if (!rec) return error_reply(res, &*s, rec.error());
  auto docs = (*st)->document_texts(rec->id);
  size_t n = std::stoul(req.matches[2]);
  if (!docs || !docs->is_array() || n == 0 || n > docs->size())
    return html(res, 404, error_page(context(&*s), 404, "There is no such document."));
  int page = 1;
  std::string p = req.get_param_value("page");
  if (!p.empty() && p.size() < 6 && p.find_first_not_of("0123456789") == std::string::npos) page = std::stoi(p);
  html(res, 200, document_page(context(&*s), *rec, (*docs)[n - 1], static_cast<int>(n), page));
}

// A failure as a page: its status from the code, and "try again" for a busy or full store.
void WebServer::error_reply(httplib::Response& res, const Session* s, const Error& e) const {
  int status = status_for(e);
  if (status == 503) res.set_header("Retry-After", "5");
  html(res, status, error_page(context(s), status, e.message));
}

void WebServer::decide(const httplib::Request& req, httplib::Response& res, const std::string& action) {
  auto s = logged_in(req, res);
  if (!s || !csrf_ok(req, res, *s)) return;
  auto fail = [&](const Error& e) { error_reply(res, &*s, e); };
  auto st = store();
  if (!st) return fail(st.error());
  const std::string id = req.matches[1];
  if (auto rec = (*st)->get(id); !rec) return fail(rec.error());
  const httplib::Params form = form_of(req);
  // The reviewer is the signed-in account, never a form field.
  const std::string& reviewer = s->user;
  if (action == "approve") {
    auto number = [&](const char* name, size_t digits, int& out) {
      std::string y = field(form, name);
      if (y.empty()) return true;
      if (y.size() > digits || y.find_first_not_of("0123456789") != std::string::npos) return false;
      out = std::stoi(y);
      return true;
    };
    int years = rules_.default_years, year = 0;
    if (!number("years", 2, years) || years < 1 || years > 10)
      return html(res, 400, error_page(context(&*s), 400, "Years of approval must be 1 to 10."));
    if (!number("year", 4, year)) return html(res, 400, error_page(context(&*s), 400, "The approval year is not a year."));
    auto rec = (*st)->get(id);
    if (!rec) return fail(rec.error());
    auto plan = app::plan_approval(*rec, (*st)->now().substr(0, 10), year > 0 ? std::optional<int>(year) : std::nullopt, years);
    if (!plan) return html(res, 400, error_page(context(&*s), 400, plan.error().message));
    auto ap = app::approve_packet(**st, notices_, id, reviewer, *plan, rules_);
    if (!ap) return fail(ap.error());
    spdlog::info("web: {} approved {} as {}", reviewer, id, ap->clee_id);
  } else if (action == "reject") {
    std::string reason = field(form, "reason");
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
      return html(res, 400, error_page(context(&*s), 400, "A rejection needs a reason."));
    if (Status r = app::reject_packet(**st, notices_, id, reviewer, reason); !r) return fail(r.error());
    spdlog::info("web: {} rejected {}", reviewer, id);
  } else {
    // The one writer of information requests (the CLI uses it too): records, then writes the email.
    auto token = app::request_information(**st, notices_, id, reviewer, field(form, "message"));
    if (!token) return fail(token.error());
    spdlog::info("web: {} requested information on {}", reviewer, id);
  }
  redirect(res, "/packets/" + id);
}

void WebServer::correct_area(const httplib::Request& req, httplib::Response& res) {
  auto s = logged_in(req, res);
  if (!s || !csrf_ok(req, res, *s)) return;
  auto fail = [&](const Error& e) { error_reply(res, &*s, e); };
  auto st = store();
  if (!st) return fail(st.error());
  const std::string id = req.matches[1];
  const httplib::Params form = form_of(req);
  std::string block = field(form, "block"), area = field(form, "area");
  if (block.empty() || block.size() > 4 || block.find_first_not_of("0123456789") != std::string::npos || std::stoi(block) < 1)
    return html(res, 400, error_page(context(&*s), 400, "Which outline block? (a block number is missing)"));
  // The reviewer is the signed-in account, never a form field.
  if (Status c = app::correct_area(**st, id, static_cast<size_t>(std::stoi(block) - 1), area, s->user); !c) return fail(c.error());
  spdlog::info("web: {} set block {} of {} to area {}", s->user, block, id, loggable(area));
  redirect(res, "/packets/" + id + "#areas");
}

void WebServer::catalog(const httplib::Request& req, httplib::Response& res, bool csv) {
  auto s = logged_in(req, res);
  if (!s) return;
  auto st = store();
  if (!st) return html(res, 500, error_page(context(&*s), 500, st.error().message));
  std::string as_of = (*st)->now().substr(0, 10);
  auto rows = (*st)->catalog(as_of);
  if (!rows) return html(res, 500, error_page(context(&*s), 500, rows.error().message));
  CatalogAreas areas = catalog_areas(**st, *rows);
  if (!csv) return html(res, 200, catalog_page(context(&*s), *rows, as_of, rules_.jurisdiction, areas));
  res.set_content(catalog_csv(*rows, areas), "text/csv; charset=utf-8");
  res.set_header("Content-Disposition", "attachment; filename=\"approved-clee-courses-" + as_of + ".csv\"");
}

int run_web_server(const WebConfig& config, const std::string& data_dir, const RulePack& rules, std::atomic<bool>& stop,
                   StoreOptions store, const app::Notices* notices) {
  WebServer server(config, data_dir, rules);
  server.use_store(std::move(store));
  server.set_notices(notices);
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
