// The web server's sign-in, sign-out and session checks (WebServer members; see server.h). The
// sign-in form keeps no server state: GET /login gives the browser a nonce cookie and a form
// token signed over it (FormSigner); POST /login verifies both, then throttles per account and
// client address before any password is checked.
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <cmath>

#include "app/web/handler_util.h"
#include "app/web/server.h"

namespace clee::web {
namespace {

bool is_nonce(const std::string& s) { return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos; }

}  // namespace

void WebServer::set_cookie(httplib::Response& res, const std::string& name, const std::string& value, int max_age,
                           const std::string& path) const {
  std::string c = name + "=" + value + "; Path=" + path + "; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
  if (config_.secure_cookies) c += "; Secure";
  res.set_header("Set-Cookie", c);
}

PageContext WebServer::form_context(const std::string& nonce) const {
  PageContext ctx = context(nullptr);
  ctx.csrf = forms_.issue(nonce);
  return ctx;
}

std::optional<Session> WebServer::logged_in(const httplib::Request& req, httplib::Response& res) {
  auto s = sessions_.find(cookie_value(req, kSessionCookie));
  if (s) return s;
  redirect(res, "/login");
  res.status = 302;
  return std::nullopt;
}

bool WebServer::csrf_ok(const httplib::Request& req, httplib::Response& res, const Session& s) {
  // screen() already refused other origins; the token proves the form came from our page.
  if (!constant_time_equal(field(form_of(req), "_csrf"), s.csrf)) {
    html(res, 403, error_page(context(&s), 403, "The form's security token is missing or out of date. Reload the page and try again."));
    return false;
  }
  return true;
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

std::string WebServer::account_key(const std::string& name) const {
  for (const auto& a : config_.accounts)
    if (lower(a.name) == lower(name)) return "account:" + lower(a.name);
  if (!config_.shared_secret_hash.empty() && (config_.accounts.empty() || name.empty() || lower(name) == lower(config_.shared_name)))
    return "shared";
  return "unknown";
}

void WebServer::login_form(const httplib::Request& req, httplib::Response& res) {
  if (sessions_.find(cookie_value(req, kSessionCookie))) return redirect(res, "/queue");
  // Keep the browser's nonce while it is good, so forms open in several tabs all stay valid.
  std::string nonce = cookie_value(req, kSignInCookie);
  if (!is_nonce(nonce)) nonce = random_token();
  set_cookie(res, kSignInCookie, nonce, kSignInFormSeconds, "/login");
  html(res, 200, login_page(form_context(nonce), "", config_.accounts.empty()));
}

void WebServer::login(const httplib::Request& req, httplib::Response& res) {
  const httplib::Params form = form_of(req);
  const std::string nonce = cookie_value(req, kSignInCookie);
  if (!forms_.verify(field(form, "_csrf"), nonce)) {
    html(res, 403, error_page(context(nullptr), 403, "Your sign-in form expired. Open the sign-in page again."));
    return;
  }
  const ClientView who = client(req);
  const std::string name = field(form, "user"), password = field(form, "password");
  const std::string key = account_key(name) + "@" + who.address;
  const bool shared_only = config_.accounts.empty();
  if (double wait = throttle_.wait(key); wait > 0) {
    int seconds = static_cast<int>(std::ceil(wait));
    spdlog::warn("web: sign-in for '{}' from {} refused: {} s to wait after failed attempts", loggable(name), who.address, seconds);
    res.set_header("Retry-After", std::to_string(seconds));
    html(res, 429, login_page(form_context(nonce), "Too many failed attempts from here. Try again in " + std::to_string(seconds) +
                                                       (seconds == 1 ? " second." : " seconds."),
                              shared_only));
    return;
  }
  std::string user = authenticate(name, password);
  if (user.empty()) {
    throttle_.failed(key);
    spdlog::info("web: failed sign-in for '{}' from {}", loggable(name), who.address);
    html(res, 401, login_page(form_context(nonce), "That name and password do not match.", shared_only));
    return;
  }
  throttle_.succeeded(key);
  set_cookie(res, kSessionCookie, sessions_.create(user), config_.session_minutes * 60);
  set_cookie(res, kSignInCookie, "", 0, "/login");
  spdlog::info("web: {} signed in from {}", user, who.address);
  redirect(res, "/queue");
}

void WebServer::logout(const httplib::Request& req, httplib::Response& res) {
  auto s = logged_in(req, res);
  if (!s || !csrf_ok(req, res, *s)) return;
  sessions_.erase(cookie_value(req, kSessionCookie));
  set_cookie(res, kSessionCookie, "", 0);
  redirect(res, "/login");
}

}  // namespace clee::web
