// The reviewer summary of a report, in Markdown and HTML (one standalone printable page; every
// text from a document escaped).
#pragma once

#include <string>
#include <string_view>

#include "base/html.h"  // html_escape: the pages built on the summary escape with it too
#include "pipeline/model.h"

namespace clee {

std::string render_markdown(const Report& report);
std::string render_html(const Report& report);
// The summary's HTML without the page around it, and its stylesheet (for the web pages, whose
// Content-Security-Policy forbids inline styles).
std::string render_html_body(const Report& report);
std::string summary_css();

}  // namespace clee
