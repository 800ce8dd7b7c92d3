// Who is asking, and under which name they reached us: the client's address, host and scheme as
// the web server may believe them. X-Forwarded-For, -Host and -Proto are hints any client can
// send; they are read only when the connection's peer is one of the configured trusted proxies
// (`[web] trusted_proxies`), and even then X-Forwarded-For is read from the right (the entry
// the nearest proxy appended), skipping further trusted proxies, so a client cannot prepend an
// address to pass for someone else. The host is then checked against an allow-list
// (`[web] allowed_hosts`), so a page on another name that resolves to us (DNS rebinding) is
// not served. Pure functions; the server calls them per request.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace clee::web {

struct WebConfig;

struct ClientView {
  std::string address;  // the client's IP address (canonical text)
  std::string host;     // lowercase "name" or "name:port" as the client addressed us
  std::string scheme;   // "http" / "https" when a trusted proxy said so, else ""
  bool via_proxy = false;
};

// The canonical text of an IP address (IPv4-mapped IPv6 becomes IPv4; IPv6 compressed, lower
// case); nullopt when `text` is not an address.
std::optional<std::string> canonical_ip(const std::string& text);

// `peer` is the connection's remote address; the header values are "" when absent (several
// X-Forwarded-For lines are joined with ", " by the caller). `trusted` holds canonical addresses.
ClientView view_client(const std::string& peer, const std::string& host_header, const std::string& forwarded_for,
                       const std::string& forwarded_host, const std::string& forwarded_proto,
                       const std::vector<std::string>& trusted);

// True when `host` (a Host header value) names one of `allowed`: an entry "name" allows that
// name on any port, "name:port" only that port. Names compare case-insensitively; IPv6
// addresses are written in brackets ("[::1]:8080").
bool host_allowed(const std::string& host, const std::vector<std::string>& allowed);

// True when `origin` (an Origin header value, "scheme://host[:port]") is the origin the request
// addressed: the same host and port (a missing port is the scheme's default) and, when a trusted
// proxy stated the scheme, the same scheme. "null" (sandboxed frames, file: pages, some
// redirects) is never the same origin.
bool same_origin(const std::string& origin, const ClientView& v);

// The allow-list when [web] allowed_hosts is not set: the listen address (unless a wildcard),
// "localhost", 127.0.0.1 and [::1], each with the port the server listens on.
std::vector<std::string> default_allowed_hosts(const std::string& listen_host, int port);

// True when `entry` is a usable allowed_hosts entry ("name", "name:port", "[v6]", "[v6]:port").
bool valid_host_entry(const std::string& entry);

}  // namespace clee::web
