// client_view: the client's address, host and scheme as the server may believe them; the Host
// allow-list; same-origin checks (issue 8, defects 13 and 15).
#include <gtest/gtest.h>

#include "app/web/client_view.h"

namespace clee::web {
namespace {

TEST(ClientView, CanonicalAddresses) {
  EXPECT_EQ(canonical_ip("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(canonical_ip("::ffff:10.0.0.2"), "10.0.0.2");
  EXPECT_EQ(canonical_ip("2001:DB8:0:0::1"), "2001:db8::1");
  EXPECT_FALSE(canonical_ip("proxy.lan"));
  EXPECT_FALSE(canonical_ip("10.0.0.2:80"));
  EXPECT_FALSE(canonical_ip(""));
}

TEST(ClientView, ForwardedHeadersAreIgnoredFromAnUntrustedPeer) {
  ClientView v = view_client("203.0.113.9", "127.0.0.1:8080", "198.51.100.7", "evil.example", "https", {});
  EXPECT_EQ(v.address, "203.0.113.9");
  EXPECT_EQ(v.host, "127.0.0.1:8080");
  EXPECT_EQ(v.scheme, "");
  EXPECT_FALSE(v.via_proxy);
  // Trusting another proxy does not make this peer one.
  EXPECT_EQ(view_client("203.0.113.9", "h", "198.51.100.7", "", "", {"10.0.0.1"}).address, "203.0.113.9");
}

TEST(ClientView, TrustedProxyNamesTheClientFromTheRight) {
  const std::vector<std::string> trusted = {"10.0.0.1", "10.0.0.2"};
  ClientView v = view_client("10.0.0.1", "10.0.0.1:8080", "198.51.100.66, 198.51.100.7, 10.0.0.2", "Clee.Example.org, other",
                             "HTTPS", trusted);
  EXPECT_TRUE(v.via_proxy);
  EXPECT_EQ(v.address, "198.51.100.7");  // the first hop not a trusted proxy; the forged left entry is not read
  EXPECT_EQ(v.host, "clee.example.org");
  EXPECT_EQ(v.scheme, "https");
  EXPECT_EQ(view_client("::ffff:10.0.0.1", "h", "", "", "", trusted).address, "10.0.0.1");  // no header: the proxy itself
  EXPECT_EQ(view_client("10.0.0.1", "h", "garbage, 10.0.0.2", "", "", trusted).address, "10.0.0.2");
  EXPECT_EQ(view_client("10.0.0.1", "h", "", "", "gopher", trusted).scheme, "");
}

TEST(ClientView, HostAllowList) {
  const std::vector<std::string> defaults = default_allowed_hosts("127.0.0.1", 8080);
  EXPECT_TRUE(host_allowed("127.0.0.1:8080", defaults));
  EXPECT_TRUE(host_allowed("localhost:8080", defaults));
  EXPECT_TRUE(host_allowed("LocalHost.:8080", defaults));
  EXPECT_TRUE(host_allowed("[::1]:8080", defaults));
  EXPECT_TRUE(host_allowed("[0:0::1]:8080", defaults));
  EXPECT_FALSE(host_allowed("localhost:8081", defaults));
  EXPECT_FALSE(host_allowed("localhost", defaults));
  EXPECT_FALSE(host_allowed("evil.example:8080", defaults));
  EXPECT_FALSE(host_allowed("", defaults));
  EXPECT_FALSE(host_allowed("127.0.0.1:8080/x", defaults));
  EXPECT_FALSE(host_allowed("::1", defaults));
  EXPECT_TRUE(host_allowed("192.168.1.4:8080", default_allowed_hosts("192.168.1.4", 8080)));
  EXPECT_EQ(default_allowed_hosts("0.0.0.0", 80).size(), 3u);  // a wildcard is no name
  EXPECT_TRUE(host_allowed("clee.example.org:443", {"clee.example.org"}));  // no port: any port
  EXPECT_FALSE(host_allowed("clee.example.org:444", {"clee.example.org:443"}));
  EXPECT_TRUE(valid_host_entry("[::1]"));
  EXPECT_FALSE(valid_host_entry("http://clee.example.org"));
  EXPECT_FALSE(valid_host_entry("a b"));
  EXPECT_FALSE(valid_host_entry("clee.example.org:99999"));
}

TEST(ClientView, SameOrigin) {
  ClientView direct{"127.0.0.1", "127.0.0.1:8080", "", false};
  EXPECT_TRUE(same_origin("http://127.0.0.1:8080", direct));
  EXPECT_FALSE(same_origin("http://127.0.0.1:8081", direct));
  EXPECT_FALSE(same_origin("http://evil.example", direct));
  EXPECT_FALSE(same_origin("null", direct));
  EXPECT_FALSE(same_origin("", direct));
  EXPECT_FALSE(same_origin("file://", direct));
  ClientView proxied{"198.51.100.7", "clee.example.org", "https", true};
  EXPECT_TRUE(same_origin("https://clee.example.org", proxied));
  EXPECT_TRUE(same_origin("https://clee.example.org:443", proxied));
  EXPECT_FALSE(same_origin("http://clee.example.org", proxied));
  EXPECT_FALSE(same_origin("https://clee.example.org:8443", proxied));
}

}  // namespace
}  // namespace clee::web
