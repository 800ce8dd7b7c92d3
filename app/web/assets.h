// The static files of the reviewer pages, compiled in (no build step, nothing to install):
// the stylesheet and the one small script (the CSP allows scripts only from this origin, and
// no inline script or style anywhere).
#pragma once

#include <string>

namespace clee::web {

std::string stylesheet();  // served as /static/style.css
std::string script();      // served as /static/app.js

}  // namespace clee::web
