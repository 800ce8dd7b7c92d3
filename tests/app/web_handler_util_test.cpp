// The handlers' shared helpers: a POST's fields come from its form body only, cookies by name,
// client-supplied text made safe for a log line.
#include <gtest/gtest.h>

#include "app/web/handler_util.h"

namespace clee::web {
namespace {

httplib::Request post(const std::string& type, const std::string& body) {
  httplib::Request req;
  req.method = "POST";
  req.set_header("Content-Type", type);
  req.body = body;
  req.params.emplace("_csrf", "from-the-query-string");  // what httplib parsed from the URL
  return req;
}

TEST(HandlerUtil, FormFieldsComeFromTheBodyOnly) {
  httplib::Params f = form_of(post("application/x-www-form-urlencoded", "_csrf=abc&reason=too+short%21"));
  EXPECT_EQ(field(f, "_csrf"), "abc");
  EXPECT_EQ(field(f, "reason"), "too short!");
  EXPECT_EQ(field(form_of(post("Application/X-WWW-Form-Urlencoded; charset=UTF-8", "a=1")), "a"), "1");
  EXPECT_EQ(field(form_of(post("application/x-www-form-urlencoded", "")), "_csrf"), "");  // not the query's
  EXPECT_TRUE(form_of(post("text/plain", "_csrf=abc")).empty());
  EXPECT_TRUE(form_of(post("multipart/form-data; boundary=x", "_csrf=abc")).empty());
  EXPECT_TRUE(form_of(post("", "_csrf=abc")).empty());
}

TEST(HandlerUtil, CookiesByName) {
  httplib::Request req;
  req.set_header("Cookie", "a=1; clee_session=abc;clee_sign_in=def");
  EXPECT_EQ(cookie_value(req, "clee_session"), "abc");
  EXPECT_EQ(cookie_value(req, "clee_sign_in"), "def");
  EXPECT_EQ(cookie_value(req, "clee"), "");
}

TEST(HandlerUtil, LoggableTextCannotForgeALine) {
  EXPECT_EQ(loggable("Dana Reyes"), "Dana Reyes");
  EXPECT_EQ(loggable("x\n[info] web: admin signed in\r"), "x?[info] web: admin signed in?");
  EXPECT_EQ(loggable(std::string(200, 'a')), std::string(80, 'a') + "...");
}

}  // namespace
}  // namespace clee::web
