#include "app/web/client_view.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace clee::web {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t end = s.find(',', pos);
    if (end == std::string::npos) end = s.size();
    out.push_back(trim(s.substr(pos, end - pos)));
    pos = end + 1;
  }
  return out;
}

bool contains(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// A Host value split into its name and port; `ok` false when it is not a host name or address.
struct HostPort {
  std::string name, port;
  bool ok = false;
};

bool valid_port(const std::string& p) {
  return !p.empty() && p.size() <= 5 && p.find_first_not_of("0123456789") == std::string::npos && std::stoi(p) <= 65535;
}

HostPort split_host(const std::string& text) {
  HostPort h;
  std::string s = lower(trim(text));
  if (!s.empty() && s.front() == '[') {
    size_t close = s.find(']');
    if (close == std::string::npos) return h;
    auto ip = canonical_ip(s.substr(1, close - 1));
    if (!ip || ip->find(':') == std::string::npos) return h;
    h.name = "[" + *ip + "]";
    std::string rest = s.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':' || !valid_port(rest.substr(1))) return h;
      h.port = rest.substr(1);
    }
    h.ok = true;
    return h;
  }
  size_t colon = s.find(':');
  if (colon != std::string::npos) {
    if (s.find(':', colon + 1) != std::string::npos) return h;  // a bare IPv6 address: not a Host value
    h.port = s.substr(colon + 1);
    if (!valid_port(h.port)) return h;
    s = s.substr(0, colon);
  }
  if (!s.empty() && s.back() == '.') s.pop_back();  // "example.org." is "example.org"
  if (s.empty() || s.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-._") != std::string::npos) return h;
  h.name = canonical_ip(s).value_or(s);
  h.ok = true;
  return h;
}

}  // namespace

std::optional<std::string> canonical_ip(const std::string& text) {
  char buf[INET6_ADDRSTRLEN];
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return std::string(inet_ntop(AF_INET, &v4, buf, sizeof buf));
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return std::nullopt;
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    std::memcpy(&v4, &v6.s6_addr[12], 4);
    return std::string(inet_ntop(AF_INET, &v4, buf, sizeof buf));
  }
  return std::string(inet_ntop(AF_INET6, &v6, buf, sizeof buf));
}

ClientView view_client(const std::string& peer, const std::string& host_header, const std::string& forwarded_for,
                       const std::string& forwarded_host, const std::string& forwarded_proto,
                       const std::vector<std::string>& trusted) {
  ClientView v;
  v.address = canonical_ip(peer).value_or(peer);
  v.host = lower(trim(host_header));
  if (!contains(trusted, v.address)) return v;
  v.via_proxy = true;
  if (!forwarded_for.empty()) {
    // Right to left: each proxy appends the address it saw. The first address not a trusted
    // proxy is the client; a malformed entry stops the walk at the last hop we can vouch for.
    auto hops = split_commas(forwarded_for);
    for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
      auto ip = canonical_ip(*it);
      if (!ip) break;
      v.address = *ip;
      if (!contains(trusted, *ip)) break;
    }
  }
  if (!forwarded_host.empty()) v.host = lower(split_commas(forwarded_host).front());
  if (!forwarded_proto.empty()) {
    std::string proto = lower(split_commas(forwarded_proto).front());
    if (proto == "http" || proto == "https") v.scheme = proto;
  }
  return v;
}

bool host_allowed(const std::string& host, const std::vector<std::string>& allowed) {
  HostPort h = split_host(host);
  if (!h.ok) return false;
  for (const auto& entry : allowed) {
    HostPort a = split_host(entry);
    if (a.ok && a.name == h.name && (a.port.empty() || a.port == h.port)) return true;
  }
  return false;
}

bool same_origin(const std::string& origin, const ClientView& v) {
  size_t sep = origin.find("://");
  if (sep == std::string::npos) return false;  // also "null"
  std::string scheme = lower(origin.substr(0, sep));
  if (scheme != "http" && scheme != "https") return false;
  if (!v.scheme.empty() && v.scheme != scheme) return false;
  HostPort o = split_host(origin.substr(sep + 3)), h = split_host(v.host);
  if (!o.ok || !h.ok) return false;
  const std::string fallback = scheme == "https" ? "443" : "80";
  return o.name == h.name && (o.port.empty() ? fallback : o.port) == (h.port.empty() ? fallback : h.port);
}

std::vector<std::string> default_allowed_hosts(const std::string& listen_host, int port) {
  const std::string p = ":" + std::to_string(port);
  std::vector<std::string> out = {"localhost" + p, "127.0.0.1" + p, "[::1]" + p};
  auto ip = canonical_ip(listen_host);
  if (ip && *ip != "0.0.0.0" && *ip != "::") {
    std::string own = (ip->find(':') != std::string::npos ? "[" + *ip + "]" : *ip) + p;
    if (!contains(out, own)) out.push_back(own);
  } else if (!ip && lower(listen_host) != "localhost") {
    out.push_back(lower(listen_host) + p);
  }
  return out;
}

bool valid_host_entry(const std::string& entry) { return split_host(entry).ok; }

}  // namespace clee::web
