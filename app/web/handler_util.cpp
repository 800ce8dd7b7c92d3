#include "app/web/handler_util.h"

#include <algorithm>
#include <cctype>

namespace clee::web {

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

httplib::Params form_of(const httplib::Request& req) {
  httplib::Params params;
  std::string type = lower(req.get_header_value("Content-Type"));
  type = type.substr(0, type.find(';'));
  type.erase(type.find_last_not_of(" \t") + 1);
  if (type == "application/x-www-form-urlencoded") httplib::detail::parse_query_text(req.body, params);
  return params;
}

std::string field(const httplib::Params& params, const char* name) {
  auto it = params.find(name);
  return it == params.end() ? "" : it->second;
}

std::string loggable(const std::string& s) {
  std::string out = s.substr(0, 80);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return s.size() > 80 ? out + "..." : out;
}

void html(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "text/html; charset=utf-8");
}

void redirect(httplib::Response& res, const std::string& to) {
  res.status = 303;
  res.set_header("Location", to);
}

}  // namespace clee::web
