#include "queue/exports.h"

#include <algorithm>
#include <sstream>

#include "pipeline/report_json.h"
#include "pipeline/summary.h"

namespace clee {
namespace {

std::string csv(const std::string& v) {
  // Quote always; neutralise spreadsheet formulas (=, +, -, @) from document text.
  std::string s = v;
  if (!s.empty() && std::string("=+-@\t\r").find(s[0]) != std::string::npos) s = "'" + s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += "\"\"";
    else out.push_back(c);
  }
  return out + "\"";
}

std::string hours(const std::optional<double>& h) {
  if (!h) return "";
  std::ostringstream os;
  os << *h;
  return os.str();
}

// Header values from documents must not inject headers.
std::string header_safe(const std::string& v) {
  std::string out;
  for (char c : v) out.push_back(c == '\r' || c == '\n' ? ' ' : c);
  return out;
}

const char* kStyle =
    "<style>body{font:14px/1.45 system-ui,sans-serif;color:#1d2433;max-width:1000px;margin:2rem auto;padding:0 1rem}"
    "table{border-collapse:collapse;width:100%}td,th{border:1px solid #cfd6e0;padding:.4rem .5rem;text-align:left}"
    "th{background:#f1f4f8}h1{font-size:1.4rem}.muted{color:#64748b}@media print{body{margin:0}}</style>";

}  // namespace

CatalogAreas catalog_areas(Store& store, const std::vector<CatalogRow>& rows) {
  CatalogAreas out;
  for (const auto& r : rows) {
    auto rec = store.get(r.packet_id);
    if (!rec || !rec->report.is_object()) continue;
    auto report = report_from_json(rec->report);
    if (report && !report->content.areas.empty()) out[r.packet_id] = report->content.areas;
  }
  return out;
}

std::string area_hours_text(const std::vector<AreaHours>& areas) {
  std::string out;
  for (const auto& a : areas) out += (out.empty() ? "" : " · ") + (a.name.empty() ? a.area : a.name) + " " + hours(a.hours);
  return out;
}

std::string catalog_csv(const std::vector<CatalogRow>& rows, const CatalogAreas& areas) {
  // One column per area any listed course has, in the order first met (declared order per course).
  std::vector<std::pair<std::string, std::string>> columns;  // id, name
  for (const auto& r : rows)
    if (auto it = areas.find(r.packet_id); it != areas.end())
      for (const auto& a : it->second)
        if (std::none_of(columns.begin(), columns.end(), [&](const auto& c) { return c.first == a.area; }))
          columns.push_back({a.area, a.name.empty() ? a.area : a.name});
  std::ostringstream o;
  o << "CLEE ID,Course Title,Credit Hours,Contact,Contact Email,Contact Phone,Provider,Expires";
  for (const auto& [_, name] : columns) o << "," << csv(name + " Hours");
  o << "\r\n";
  for (const auto& r : rows) {
    o << csv(r.clee_id) << "," << csv(r.title) << "," << csv(hours(r.hours)) << "," << csv(r.contact) << ","
      << csv(r.contact_email) << "," << csv(r.contact_phone) << "," << csv(r.provider) << "," << csv(r.expires_on);
    auto it = areas.find(r.packet_id);
    for (const auto& [id, _] : columns) {
      std::optional<double> h;
      if (it != areas.end())
        for (const auto& a : it->second)
          if (a.area == id) h = a.hours;
      o << "," << csv(hours(h));
    }
    o << "\r\n";
  }
  return o.str();
}

std::string catalog_html(const std::vector<CatalogRow>& rows, const std::string& as_of, const std::string& jurisdiction,
                         const CatalogAreas& areas) {
  std::ostringstream o;
  o << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Approved CLEE Courses</title>" << kStyle
    << "</head><body><h1>" << html_escape(jurisdiction) << " — Approved CLEE Courses</h1><p class=\"muted\">As of "
    << html_escape(as_of) << " · " << rows.size() << " course(s). Expired courses are removed.</p>"
    << "<table><tr><th>CLEE ID</th><th>Course title</th><th>Credit hours</th>" << (areas.empty() ? "" : "<th>Hours by area</th>")
    << "<th>Contact</th><th>Expires</th></tr>";
  for (const auto& r : rows) {
    o << "<tr><td>" << html_escape(r.clee_id) << "</td><td>" << html_escape(r.title) << "</td><td>" << hours(r.hours) << "</td>";
    if (!areas.empty()) {
      auto it = areas.find(r.packet_id);
      o << "<td>" << (it == areas.end() ? "" : html_escape(area_hours_text(it->second))) << "</td>";
    }
    o << "<td>" << html_escape(r.contact) << "<br>" << html_escape(r.contact_email) << "<br>"
      << html_escape(r.contact_phone) << "<br><span class=\"muted\">" << html_escape(r.provider) << "</span></td><td>"
      << html_escape(r.expires_on) << "</td></tr>";
  }
  o << "</table></body></html>\n";
  return o.str();
}

std::string roster_html(const PacketRecord& p) {
  std::ostringstream o;
  o << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>CLEE Roster " << html_escape(p.clee_id)
    << "</title>" << kStyle << "</head><body><h1>CLEE Roster</h1>"
    << "<p><strong>For Act 120 certified officers only.</strong> Training providers keep the signed roster to verify "
       "attendance.</p><table>"
    << "<tr><th>CLEE ID</th><td>" << html_escape(p.clee_id) << "</td></tr>"
    << "<tr><th>Course title</th><td>" << html_escape(p.title) << "</td></tr>"
    << "<tr><th>Credit hours</th><td>" << hours(p.hours) << "</td></tr>"
    << "<tr><th>Provider</th><td>" << html_escape(p.provider) << "</td></tr>"
    << "<tr><th>Approved through</th><td>" << html_escape(p.expires_on) << "</td></tr>"
    << "<tr><th>Course date(s)</th><td></td></tr><tr><th>Location</th><td></td></tr></table><p></p>"
    << "<table><tr><th>#</th><th>Officer name</th><th>Act 120 certification / TACS ID</th><th>Department</th>"
       "<th>Signature</th></tr>";
  for (int i = 1; i <= 30; ++i) o << "<tr><td>" << i << "</td><td>&nbsp;</td><td></td><td></td><td></td></tr>";
  o << "</table><p class=\"muted\">Instructor signature: ____________________ Date: __________</p></body></html>\n";
  return o.str();
}

std::string roster_csv(const PacketRecord& p) {
  std::ostringstream o;
  o << "CLEE ID," << csv(p.clee_id) << "\r\nCourse Title," << csv(p.title) << "\r\nCredit Hours," << csv(hours(p.hours))
    << "\r\nProvider," << csv(p.provider) << "\r\nNote,\"For Act 120 certified officers only\"\r\n\r\n"
    << "#,Officer Name,Act 120 Certification / TACS ID,Department,Signature\r\n";
  for (int i = 1; i <= 30; ++i) o << i << ",,,,\r\n";
  return o.str();
}

std::string information_request_eml(const PacketRecord& p, const std::string& token, const std::string& message,
                                    const std::string& reviewer, const std::string& date) {
  std::ostringstream body;
  body << "Hello" << (p.contact.empty() ? "" : " " + p.contact) << ",\r\n\r\n"
       << "Thank you for submitting \"" << (p.title.empty() ? "your course" : p.title) << "\" for CLEE approval. "
       << "Before we can review it we need the following:\r\n\r\n";
  for (const auto& m : p.missing) {
    std::string what = m == "request_form" ? "the completed CLEE Request Form"
                       : m == "course_outline" ? "the course outline"
                       : m == "instructor_cv" ? "a CV/resume for each instructor" : m;
    body << "  - " << what << "\r\n";
  }
  if (p.report.is_object())
    for (const auto& f : p.report.value("findings", nlohmann::json::array()))
      if (f.value("severity", "") == "error" && f.value("code", "") != "missing_document")
        body << "  - " << header_safe(f.value("message", "")) << "\r\n";
  if (!message.empty()) body << "\r\n" << message << "\r\n";
  body << "\r\nPlease reply to this email with the documents attached, keeping " << token
       << " in the subject so your reply joins your submission.\r\n\r\n" << reviewer << "\r\nCLEE training staff\r\n";
  std::ostringstream o;
  o << "To: " << header_safe(p.contact.empty() ? p.contact_email : p.contact + " <" + p.contact_email + ">") << "\r\n"
    << "Subject: [" << token << "] Information needed: " << header_safe(p.title) << "\r\n"
    << "Date: " << date << "\r\n"
    << "Message-ID: <" << token << "." << p.id << "@clee-intake>\r\n"
    << "X-CLEE-Packet: " << p.id << "\r\n"
    << "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    << body.str();
  return o.str();
}

}  // namespace clee
