#include "app/web/web_config.h"

#include <arpa/inet.h>

#include <set>
#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

#include "app/web/auth.h"

namespace clee::web {
namespace {

Error config_error(const std::string& path, const toml::source_region& where, const std::string& what) {
  return Error{Code::kInvalidConfig, path + ":" + std::to_string(where.begin.line) + ": " + what};
}

}  // namespace

bool is_loopback(const std::string& host) {
  if (host == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

Status set_listen(WebConfig& c, const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size())
    return Error{Code::kUsage, "--listen wants HOST:PORT, got '" + listen + "'"};
  std::string host = listen.substr(0, colon), port = listen.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5 || std::stoi(port) > 65535)
    return Error{Code::kUsage, "bad port in '" + listen + "'"};
  c.host = host;
  c.port = std::stoi(port);
  return {};
}

Status validate(const WebConfig& c) {
  if (!c.allow_remote && !is_loopback(c.host))
    return Error{Code::kUsage, "refusing to listen on non-loopback address " + c.host +
                              " (set allow_remote = true in [web] to serve other machines, ideally behind TLS)"};
  if (c.accounts.empty() && c.shared_secret_hash.empty())
    return Error{Code::kUsage, "no reviewer accounts: add [[web.accounts]] (name, password_hash) or shared_secret_hash to [web]; "
                          "make a hash with `clee-intake serve --hash-password`"};
  return {};
}

Result<WebConfig> load_web_config(const std::string& path) {
  WebConfig c;
  if (path.empty()) return c;
  try {
    toml::table t = toml::parse_file(path);
    auto* w = t["web"].as_table();
    if (!w) return c;
    static const std::set<std::string> kKeys = {"listen", "allow_remote", "secure_cookies", "session_minutes", "max_body_kib",
                                                "login_max_failures", "login_window_seconds", "accounts",
                                                "shared_secret_hash", "shared_name"};
    for (const auto& [k, v] : *w)
      if (!kKeys.count(std::string(k.str()))) return config_error(path, v.source(), "unknown key '" + std::string(k.str()) + "' in [web]");
    c.allow_remote = (*w)["allow_remote"].value_or(false);
    if (auto listen = (*w)["listen"].value<std::string>())
      if (Status st = set_listen(c, *listen); !st) return config_error(path, (*w)["listen"].node()->source(), st.error().message);
    c.secure_cookies = (*w)["secure_cookies"].value_or(false);
    c.session_minutes = (*w)["session_minutes"].value_or(c.session_minutes);
    c.max_body_bytes = static_cast<size_t>((*w)["max_body_kib"].value_or(int64_t{64})) * 1024;
    c.login_max_failures = (*w)["login_max_failures"].value_or(c.login_max_failures);
    c.login_window_seconds = (*w)["login_window_seconds"].value_or(c.login_window_seconds);
    c.shared_name = (*w)["shared_name"].value_or(c.shared_name);
    c.shared_secret_hash = (*w)["shared_secret_hash"].value_or(std::string());
    if (!c.shared_secret_hash.empty() && !valid_hash_line(c.shared_secret_hash))
      return config_error(path, (*w)["shared_secret_hash"].node()->source(),
                          "shared_secret_hash is not a pbkdf2-sha256 line with at least 200000 iterations");
    if (auto* accounts = (*w)["accounts"].as_array()) {
      for (auto& a : *accounts) {
        auto* at = a.as_table();
        if (!at) return config_error(path, a.source(), "[[web.accounts]] entries must be tables");
        Account acc{(*at)["name"].value_or(std::string()), (*at)["password_hash"].value_or(std::string())};
        if (acc.name.empty()) return config_error(path, a.source(), "a [[web.accounts]] entry needs a name");
        if (!valid_hash_line(acc.password_hash))
          return config_error(path, a.source(), "account '" + acc.name +
                                                    "': password_hash is not a pbkdf2-sha256 line with at least 200000 "
                                                    "iterations (make one with `clee-intake serve --hash-password`)");
        c.accounts.push_back(std::move(acc));
      }
    }
    if (c.session_minutes <= 0 || c.max_body_bytes == 0 || c.login_max_failures <= 0 || c.login_window_seconds <= 0)
      return config_error(path, w->source(), "[web] limits must be positive");
  } catch (const toml::parse_error& e) {
    return Error{Code::kInvalidConfig, path + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description())};
  }
  return c;
}

}  // namespace clee::web
