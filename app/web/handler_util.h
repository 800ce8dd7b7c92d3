// Small helpers the web server's handlers share: cookie values, a POST's form fields (from its
// body only), HTML answers and redirects. Internal to app/web.
#pragma once

#include <httplib.h>

#include <string>

namespace clee::web {

inline constexpr const char* kSessionCookie = "clee_session";  // a signed-in session's id
inline constexpr const char* kSignInCookie = "clee_sign_in";   // the sign-in form's nonce (FormSigner)

std::string lower(std::string s);
// The value of cookie `name` in the request's Cookie header, "" when absent.
std::string cookie_value(const httplib::Request& req, const std::string& name);
// A POST's fields: parsed from an application/x-www-form-urlencoded body, never from the query
// string (a token in a URL leaks through logs and Referer, and a link could carry one).
httplib::Params form_of(const httplib::Request& req);
// The first value of `name`, "" when absent.
std::string field(const httplib::Params& params, const char* name);
// A client-supplied value as it may appear in a log line: control characters become '?', and
// at most 80 characters are kept (a name with a newline must not forge a log line).
std::string loggable(const std::string& s);
void html(httplib::Response& res, int status, const std::string& body);
void redirect(httplib::Response& res, const std::string& to);

}  // namespace clee::web
