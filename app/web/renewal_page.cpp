// The packet page's renewal card: the approval this packet renews and what changed.
#include <sstream>

#include "app/web/pages.h"
#include "pipeline/summary.h"

namespace clee::web {
namespace {
std::string esc(std::string_view s) { return html_escape(s); }
}  // namespace

std::string renewal_section(const PacketView& v) {
  if (!v.renewal) return "";
  const app::Renewal& r = *v.renewal;
  std::ostringstream o;
  o << "<section class=\"card renewal\" id=\"renewal\"><h2>Renewal of " << esc(r.clee_id) << "</h2><p class=\"muted\">"
    << esc(r.found_by) << ". <a href=\"/packets/" << esc(r.packet_id) << "\">" << esc(r.title) << "</a>, approved "
    << esc(r.approved_at.substr(0, 10)) << ", expires " << esc(r.expires_on) << ".</p>";
  if (r.changes.empty()) {
    o << "<p>No change in credit hours, instructors or outline blocks.</p>";
  } else {
    o << "<table class=\"changes\"><thead><tr><th>What changed</th><th></th></tr></thead><tbody>";
    for (const auto& c : r.changes) o << "<tr><td>" << esc(c.what) << "</td><td>" << esc(c.detail) << "</td></tr>";
    o << "</tbody></table>";
  }
  o << "</section>";
  return o.str();
}

}  // namespace clee::web
