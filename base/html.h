// Text as HTML: the one escaping every page and message uses for text from documents, providers
// and reviewers (the report's HTML, the web pages, the HTML part of outgoing mail).
#pragma once

#include <string>
#include <string_view>

namespace clee {

// & < > " ' as entities; safe in element content and in quoted attribute values.
std::string html_escape(std::string_view text);

}  // namespace clee
