#include "app/web/pages.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <sstream>

#include "pipeline/report_json.h"
#include "pipeline/summary.h"

namespace clee::web {
namespace {

std::string esc(std::string_view s) { return html_escape(s); }

std::string num(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", d);
  return buf;
}

std::string hidden_csrf(const PageContext& ctx) {
  return "<input type=\"hidden\" name=\"_csrf\" value=\"" + esc(ctx.csrf) + "\">";
}

std::string status_class(PacketStatus s) {
  if (s == PacketStatus::kReady) return "st-ready";
  if (s == PacketStatus::kApproved) return "st-approved";
  if (s == PacketStatus::kRejected || s == PacketStatus::kFailed) return "st-bad";
  if (s == PacketStatus::kNeedsInformation || s == PacketStatus::kInfoRequested) return "st-wait";
  return "st-neutral";
}

std::string badge(PacketStatus s) {
  return "<span class=\"badge " + status_class(s) + "\">" + esc(status_label(s)) + "</span>";
}

std::string verdict_badge(std::optional<Verdict> verdict) {
  if (!verdict) return "<span class=\"muted\">—</span>";
  const std::string v = verdict_name(*verdict);
  const char* cls = v == "advanced" ? "v-ok" : v == "not_advanced" ? "v-bad" : "v-warn";
  std::string label = v == "advanced" ? "Advanced" : v == "not_advanced" ? "Not advanced" : v == "uncertain" ? "Uncertain" : v;
  return std::string("<span class=\"badge ") + cls + "\">" + esc(label) + "</span>";
}

std::string missing_label(const std::string& m) {
  if (m == "request_form") return "request form";
  if (m == "course_outline") return "course outline";
  if (m == "instructor_cv") return "instructor CV";
  return m;
}

std::time_t parse_iso(const std::string& s) {
  std::tm tm{};
  if (!strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return 0;
  return timegm(&tm);
}

// "24 Nov 2026, 10:53 UTC" from ISO 8601 UTC; the input unchanged when it does not parse.
std::string pretty_time(const std::string& iso) {
  std::tm tm{};
  if (!strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return iso;
  char buf[40];
  std::strftime(buf, sizeof buf, "%d %b %Y, %H:%M UTC", &tm);
  return buf[0] == '0' ? buf + 1 : buf;
}

std::string bytes_text(uint64_t b) {
  char buf[32];
  if (b < 1024) std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(b));
  else if (b < 1024 * 1024) std::snprintf(buf, sizeof buf, "%.0f KB", b / 1024.0);
  else std::snprintf(buf, sizeof buf, "%.1f MB", b / 1048576.0);
  return buf;
}


}  // namespace

std::string status_label(PacketStatus s) {
  if (s == PacketStatus::kReady) return "Ready for review";
  if (s == PacketStatus::kNeedsInformation) return "Needs information";
  if (s == PacketStatus::kInfoRequested) return "Information requested";
  if (s == PacketStatus::kProcessing) return "Processing";
  if (s == PacketStatus::kReceived) return "Received";
  if (s == PacketStatus::kFailed) return "Failed";
  if (s == PacketStatus::kApproved) return "Approved";
  if (s == PacketStatus::kRejected) return "Rejected";
  return status_name(s);
}

std::string age_text(const std::string& from_iso, const std::string& to_iso) {
  std::time_t a = parse_iso(from_iso), b = parse_iso(to_iso);
  if (!a || !b) return "";
  double secs = std::difftime(b, a);
  if (secs < 0) secs = 0;
  if (secs < 3600) return std::to_string(static_cast<int>(secs / 60)) + "m";
  if (secs < 86400 * 2) return std::to_string(static_cast<int>(secs / 3600)) + "h";
  return std::to_string(static_cast<int>(secs / 86400)) + "d";
}

std::string layout(const PageContext& ctx, const std::string& title, const std::string& body, const std::string& nav) {
  std::ostringstream o;
  o << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
       "<title>"
    << esc(title) << " · CLEE intake</title><link rel=\"stylesheet\" href=\"/static/style.css\">"
    << "<script src=\"/static/app.js\" defer></script></head><body><header class=\"top\"><div class=\"wrap\">"
    << "<a class=\"brand\" href=\"/queue\"><span class=\"logo\">CLEE</span> intake</a>";
  if (!ctx.user.empty()) {
    o << "<nav><a href=\"/queue\"" << (nav == "queue" ? " class=\"on\"" : "") << ">Review queue</a>"
      << "<a href=\"/catalog\"" << (nav == "catalog" ? " class=\"on\"" : "") << ">Approved courses</a></nav>"
      << "<form class=\"who\" method=\"post\" action=\"/logout\">" << hidden_csrf(ctx) << "<span>" << esc(ctx.user)
      << "</span><button type=\"submit\" class=\"link\">Log out</button></form>";
  }
  o << "</div></header><main class=\"wrap\">" << body << "</main></body></html>\n";
  return o.str();
}

std::string login_page(const PageContext& ctx, const std::string& error, bool shared_secret_only) {
  std::ostringstream o;
  o << "<section class=\"login card\"><h1>Reviewer sign-in</h1>";
  if (!error.empty()) o << "<p class=\"alert bad\" role=\"alert\">" << esc(error) << "</p>";
  o << "<form method=\"post\" action=\"/login\">" << hidden_csrf(ctx);
  if (!shared_secret_only)
    o << "<label>Name<input name=\"user\" autocomplete=\"username\" required autofocus></label>";
  o << "<label>" << (shared_secret_only ? "Office passphrase" : "Password")
    << "<input type=\"password\" name=\"password\" autocomplete=\"current-password\" required"
    << (shared_secret_only ? " autofocus" : "") << "></label><button type=\"submit\" class=\"primary\">Sign in</button></form>"
    << "</section>";
  return layout(ctx, "Sign in", o.str());
}

std::string queue_page(const PageContext& ctx, const std::vector<PacketRecord>& shown, const std::vector<PacketRecord>& all,
                       const QueueFilter& filter) {
  std::ostringstream o;
  o << "<div class=\"pagehead\"><h1>Review queue</h1><form class=\"filter\" method=\"get\" action=\"/queue\">"
    << "<label class=\"sr\" for=\"status\">Status</label><select id=\"status\" name=\"status\" class=\"autosubmit\">"
    << "<option value=\"\">All statuses</option>";
  for (PacketStatus s : all_statuses())
    o << "<option value=\"" << status_name(s) << "\"" << (filter.status == status_name(s) ? " selected" : "") << ">"
      << esc(status_label(s)) << "</option>";
  o << "</select><label class=\"sr\" for=\"q\">Search</label><input id=\"q\" type=\"search\" name=\"q\" value=\""
    << esc(filter.query) << "\" placeholder=\"Provider or course title\"><button type=\"submit\">Filter</button></form></div>";
  o << "<ul class=\"counts\">";
  for (PacketStatus s : all_statuses()) {
    size_t n = 0;
    for (const auto& r : all) n += r.status == s;
    if (n) o << "<li><a href=\"/queue?status=" << status_name(s) << "\">" << badge(s) << " <strong>" << n << "</strong></a></li>";
  }
  o << "</ul>";
  if (shown.empty()) {
    o << "<p class=\"empty card\">" << (all.empty() ? "The queue is empty." : "No packet matches this filter.") << "</p>";
    return layout(ctx, "Review queue", o.str(), "queue");
  }
  o << "<div class=\"tablewrap\"><table class=\"queue\"><thead><tr><th>Course</th><th>Provider</th><th>Hours</th><th>Status</th>"
       "<th>Verdict</th><th>Missing / CLEE ID</th><th>Age</th></tr></thead><tbody>";
  for (const auto& r : shown) {
    o << "<tr><td><a class=\"title\" href=\"/packets/" << esc(r.id) << "\">"
      << (r.title.empty() ? "<span class=\"muted\">(no course title)</span>" : esc(r.title)) << "</a><div class=\"sub\">"
      << esc(r.id) << "</div></td><td>" << (r.provider.empty() ? "<span class=\"muted\">not found</span>" : esc(r.provider))
      << "</td><td class=\"num\">" << (r.hours ? num(*r.hours) : "") << "</td><td>" << badge(r.status) << "</td><td>"
      << verdict_badge(r.verdict) << "</td><td>";
    if (!r.clee_id.empty()) o << "<span class=\"cleeid\">" << esc(r.clee_id) << "</span>";
    else if (r.status == PacketStatus::kFailed) o << "<span class=\"muted\">" << esc(r.error.substr(0, 80)) << "</span>";
    for (size_t i = 0; i < r.missing.size(); ++i) o << (i ? ", " : "") << "<span class=\"miss\">" << esc(missing_label(r.missing[i])) << "</span>";
    o << "</td><td class=\"num\" title=\"" << esc(r.received_at) << "\">" << esc(age_text(r.received_at, ctx.now)) << "</td></tr>";
  }
  o << "</tbody></table></div>";
  return layout(ctx, "Review queue", o.str(), "queue");
}

namespace {

// The approve form's year: proposed from the course dates (a course dated next year is approved
// for next year), changeable, with the course dates the proposed period leaves out.
std::string approval_year_field(const PageContext& ctx, const PacketView& v) {
  int today = ctx.today.size() >= 4 ? std::atoi(ctx.today.substr(0, 4).c_str()) : 0;
  if (today <= 0) return "";
  int chosen = v.approval_year > 0 ? v.approval_year : today;
  std::ostringstream o;
  o << "<label>First year approved<select name=\"year\" id=\"approval-year\">";
  for (int y = today; y <= std::max(chosen, today + 2); ++y)
    o << "<option value=\"" << y << "\"" << (y == chosen ? " selected" : "") << ">" << y << "</option>";
  o << "</select></label>";
  if (!v.course_dates.empty()) o << "<p class=\"hint\">Course dates on the form: " << esc(v.course_dates) << "</p>";
  for (const auto& w : v.approval_warnings) o << "<p class=\"warning\" role=\"alert\">" << esc(w) << "</p>";
  return o.str();
}

std::string decision_forms(const PageContext& ctx, const PacketView& v) {
  const PacketRecord& r = v.record;
  const std::string base = "/packets/" + esc(r.id);
  std::ostringstream o;
  bool any = false;
  if (transition_allowed(r.status, PacketStatus::kApproved)) {
    any = true;
    o << "<form method=\"post\" action=\"" << base << "/approve\" class=\"decide approve\">" << hidden_csrf(ctx)
      << "<h3>Approve</h3>" << approval_year_field(ctx, v) << "<label>Approved for<select name=\"years\">";
    int year = v.approval_year > 0 ? v.approval_year : ctx.today.size() >= 4 ? std::atoi(ctx.today.substr(0, 4).c_str()) : 0;
    for (int y = 1; y <= 3; ++y) {
      o << "<option value=\"" << y << "\"" << (y == v.default_years ? " selected" : "") << ">" << y << (y == 1 ? " year" : " years");
      if (year > 0) o << " (to 31 Dec " << year + y - 1 << ")";
      o << "</option>";
    }
    o << "</select></label><p class=\"hint\">Issues the next CLEE ID and adds the course to the Approved CLEE Courses.</p>"
      << "<button type=\"submit\" class=\"primary\">Approve and issue CLEE ID</button></form>";
  }
  if (transition_allowed(r.status, PacketStatus::kInfoRequested)) {
    any = true;
    std::string note;
    for (const auto& m : r.missing) note += (note.empty() ? "Please send the " : ", the ") + missing_label(m);
    if (!note.empty()) note += ".";
    o << "<form method=\"post\" action=\"" << base << "/request-info\" class=\"decide\">" << hidden_csrf(ctx)
      << "<h3>Request information</h3><label>Note to the provider<textarea name=\"message\" rows=\"3\" maxlength=\"4000\">"
      << esc(note) << "</textarea></label><button type=\"submit\">Prepare email</button></form>";
  }
  if (transition_allowed(r.status, PacketStatus::kRejected)) {
    any = true;
    o << "<form method=\"post\" action=\"" << base << "/reject\" class=\"decide\">" << hidden_csrf(ctx)
      << "<h3>Reject</h3><label>Reason (sent to the audit log)<textarea name=\"reason\" rows=\"3\" required maxlength=\"4000\">"
      << "</textarea></label><button type=\"submit\" class=\"danger\">Reject</button></form>";
  }
  if (!any) return "";
  return "<section class=\"card decisions\"><h2>Decision</h2>" + o.str() + "</section>";
}

std::string outcome(const PacketView& v) {
  const PacketRecord& r = v.record;
  std::ostringstream o;
  if (r.status == PacketStatus::kApproved)
    o << "<div class=\"outcome ok\" role=\"status\"><div class=\"big\">Approved · <span class=\"cleeid\" id=\"clee-id\">"
      << esc(r.clee_id) << "</span></div><div>Expires " << esc(r.expires_on) << " · approved " << esc(pretty_time(r.approved_at))
      << " · <a href=\"/catalog\">in the catalog</a></div></div>";
  else if (r.status == PacketStatus::kRejected)
    o << "<div class=\"outcome bad\" role=\"status\"><div class=\"big\">Rejected</div></div>";
  else if (r.status == PacketStatus::kFailed)
    o << "<div class=\"outcome bad\" role=\"status\"><div class=\"big\">Processing failed</div><div>" << esc(r.error) << "</div></div>";
  if (!v.prepared_email.empty())
    o << "<section class=\"card\"><h2>Email prepared for the provider</h2><p class=\"muted\">Saved in the outbox, ready to send. "
         "The token in the subject links the provider's reply to this packet.</p><pre class=\"email\">"
      << esc(v.prepared_email) << "</pre></section>";
  return o.str();
}

std::string documents_section(const PacketView& v) {
  const std::string base = "/packets/" + esc(v.record.id);
  std::ostringstream o;
  o << "<section class=\"card\"><h2>Extracted text</h2>";
  if (!v.documents.is_array() || v.documents.empty()) o << "<p class=\"muted\">No text was extracted.</p>";
  else {
    o << "<ul class=\"doclist\">";
    for (size_t i = 0; i < v.documents.size(); ++i) {
      const auto& d = v.documents[i];
      size_t pages = d.contains("pages") && d["pages"].is_array() ? d["pages"].size() : 0, ocr = 0;
      if (pages)
        for (const auto& p : d["pages"]) ocr += p.value("ocr", false);
      o << "<li><a href=\"" << base << "/documents/" << i + 1 << "\">" << esc(d.value("name", "")) << "</a> <span class=\"muted\">"
        << esc(d.value("type", "")) << " · " << pages << (pages == 1 ? " page" : " pages");
      if (ocr) o << " · " << ocr << " OCR'd";
      o << "</span></li>";
    }
    o << "</ul>";
  }
  o << "<h2>Originals</h2><ul class=\"doclist\">";
  for (size_t i = 0; i < v.files.size(); ++i)
    o << "<li><a href=\"" << base << "/files/" << i + 1 << "\" download>" << esc(v.files[i].label) << "</a> <span class=\"muted\">"
      << bytes_text(v.files[i].bytes) << " · sha256 " << esc(v.files[i].sha256.substr(0, 12)) << "…</span></li>";
  o << "</ul></section>";
  return o.str();
}

std::string history(const PacketView& v) {
  std::ostringstream o;
  o << "<section class=\"card\"><h2>History</h2><ol class=\"audit\">";
  for (const auto& e : v.audit)
    o << "<li><time datetime=\"" << esc(e.at) << "\">" << esc(pretty_time(e.at)) << "</time> <strong>" << esc(e.actor) << "</strong> " << esc(e.action)
      << (e.detail.empty() ? "" : " — ") << esc(e.detail) << "</li>";
  o << "</ol></section>";
  return o.str();
}

// Missouri: each outline block's curriculum area, correctable before the decision (one small form
// per block; the correction is audited and the hours per area made again).
std::string area_corrections(const PageContext& ctx, const PacketView& v) {
  const PacketRecord& r = v.record;
  if (r.status != PacketStatus::kReady && r.status != PacketStatus::kNeedsInformation) return "";
  auto rep = report_from_json(r.report);
  if (!rep || rep->rules.areas.empty() || rep->content.blocks.empty()) return "";
  std::ostringstream o;
  o << "<section class=\"card areas\" id=\"areas\"><h2>Curriculum areas</h2><p class=\"hint\">Each block's hours count in "
       "its area. Correct a block's area if the rules misread it; the change is recorded in the history.</p><ol class=\"blocks\">";
  for (size_t i = 0; i < rep->content.blocks.size(); ++i) {
    const BlockJudgement& b = rep->content.blocks[i];
    o << "<li><form method=\"post\" action=\"/packets/" << esc(r.id) << "/area\" class=\"area\">" << hidden_csrf(ctx)
      << "<input type=\"hidden\" name=\"block\" value=\"" << i + 1 << "\"><span class=\"title\">" << esc(b.title)
      << "</span> <span class=\"muted\">" << num(b.hours) << " h" << (b.area_by.empty() ? "" : " · corrected by " + esc(b.area_by))
      << "</span><label class=\"sr\" for=\"area-" << i + 1 << "\">Area</label><select id=\"area-" << i + 1 << "\" name=\"area\">";
    for (const auto& [id, name] : rep->rules.areas)
      o << "<option value=\"" << esc(id) << "\"" << (id == b.area ? " selected" : "") << ">" << esc(name) << "</option>";
    o << "</select><button type=\"submit\">Set area</button></form></li>";
  }
  o << "</ol></section>";
  return o.str();
}

// Every piece of evidence in the report with a region, with what it shows ("field: quote").
struct Highlight {
  std::string sha256;
  int page = 0;
  Box box;
  std::string title;
};

std::vector<Highlight> highlights(const Report& rep) {
  std::map<std::string, std::string> sha_of;  // report document name → original
  for (const auto& d : rep.documents) sha_of[d.name] = d.doc.sha256;
  std::vector<Highlight> out;
  auto add = [&](const std::vector<Evidence>& all, const std::string& what) {
    for (const Evidence& e : all) {
      auto it = sha_of.find(e.document);
      if (!e.box || e.box->empty() || it == sha_of.end() || it->second.empty()) continue;
      std::string name = what.empty() ? e.rule : what;
      out.push_back({it->second, e.page, *e.box, (name.empty() ? "" : name + ": ") + e.quote});
    }
  };
  add(rep.fields.evidence, "");
  for (const Finding& f : rep.findings) add(f.evidence, code_name(f.code));
  add(rep.content.evidence, "content");
  for (const BlockJudgement& b : rep.content.blocks) add(b.evidence, b.title);
  return out;
}

// Each drawable page of the originals as an image, the evidence quoted from it outlined. One
// SVG per page whose user units are the page's points, so a box from the report is drawn as it
// is (the CSP allows no inline styles: geometry goes in attributes, the look in the stylesheet).
std::string page_images_section(const PacketView& v) {
  if (v.pages.empty()) return "";
  std::vector<Highlight> marks;
  if (!v.record.report.is_null())
    if (auto rep = report_from_json(v.record.report)) marks = highlights(*rep);
  const std::string base = "/packets/" + esc(v.record.id) + "/pages/";
  std::ostringstream o;
  o << "<section class=\"card pageimages\"><h2>Pages</h2><p class=\"hint\">Outlined: where each value and quote "
       "was read.</p>";
  for (const PageShot& p : v.pages) {
    const std::string w = num(p.width), h = num(p.height);
    o << "<figure class=\"pageimage\"><svg viewBox=\"0 0 " << w << " " << h << "\" role=\"img\" aria-label=\"Page "
      << p.page << "\"><image href=\"" << base << esc(p.sha256) << "/" << p.page << ".png\" width=\"" << w
      << "\" height=\"" << h << "\"/>";
    for (const Highlight& m : marks)
      if (m.sha256 == p.sha256 && m.page == p.page)
        o << "<rect class=\"hl\" x=\"" << num(m.box.x0) << "\" y=\"" << num(m.box.y0) << "\" width=\""
          << num(m.box.width()) << "\" height=\"" << num(m.box.height()) << "\"><title>" << esc(m.title)
          << "</title></rect>";
    o << "</svg><figcaption class=\"muted\">Page " << p.page << "</figcaption></figure>";
  }
  o << "</section>";
  return o.str();
}

}  // namespace

std::string packet_page(const PageContext& ctx, const PacketView& v) {
  const PacketRecord& r = v.record;
  std::ostringstream o;
  o << "<p class=\"crumbs\"><a href=\"/queue\">Review queue</a> › " << esc(r.id) << "</p>";
  o << "<div class=\"packethead\">" << badge(r.status) << " <span class=\"muted\">Packet " << esc(r.id) << " · received "
    << esc(pretty_time(r.received_at)) << " (" << esc(age_text(r.received_at, ctx.now)) << " ago) via " << esc(r.source_kind)
    << "</span></div>";
  o << outcome(v);
  o << "<div class=\"cols\"><article class=\"summary card\">";
  if (r.report.is_null()) {
    o << "<h1>" << (r.title.empty() ? "(not processed yet)" : esc(r.title)) << "</h1><p class=\"muted\">No report yet: the packet is "
      << esc(status_label(r.status)) << ".</p>";
  } else if (auto rep = report_from_json(r.report)) {
    o << render_html_body(*rep);
  } else {
    o << "<p class=\"alert bad\">The stored report could not be read: " << esc(rep.error().message) << "</p>";
  }
  o << page_images_section(v);
  o << "</article><aside>" << renewal_section(v) << decision_forms(ctx, v) << area_corrections(ctx, v) << documents_section(v)
    << history(v) << "</aside></div>";
  return layout(ctx, r.title.empty() ? r.id : r.title, o.str(), "queue");
}

std::string document_page(const PageContext& ctx, const PacketRecord& rec, const nlohmann::json& d, int index, int page) {
  const std::string base = "/packets/" + esc(rec.id) + "/documents/" + std::to_string(index);
  std::ostringstream o;
  const nlohmann::json pages = d.contains("pages") && d["pages"].is_array() ? d["pages"] : nlohmann::json::array();
  o << "<p class=\"crumbs\"><a href=\"/queue\">Review queue</a> › <a href=\"/packets/" << esc(rec.id) << "\">"
    << esc(rec.title.empty() ? rec.id : rec.title) << "</a> › text</p><h1>" << esc(d.value("name", "")) << "</h1>"
    << "<p class=\"muted\">" << esc(d.value("type", "")) << " · " << pages.size() << (pages.size() == 1 ? " page" : " pages")
    << " · text as extracted; OCR'd pages are marked with Tesseract's confidence</p>";
  o << "<nav class=\"pager\"><a href=\"" << base << "?page=0\"" << (page == 0 ? " class=\"on\"" : "") << ">All</a>";
  for (size_t i = 0; i < pages.size(); ++i) {
    int n = pages[i].value("number", static_cast<int>(i + 1));
    o << "<a href=\"" << base << "?page=" << n << "\"" << (page == n ? " class=\"on\"" : "")
      << (pages[i].value("ocr", false) ? " title=\"OCR\"" : "") << ">" << n << (pages[i].value("ocr", false) ? "*" : "") << "</a>";
  }
  o << "</nav>";
  for (size_t i = 0; i < pages.size(); ++i) {
    const auto& p = pages[i];
    int n = p.value("number", static_cast<int>(i + 1));
    if (page != 0 && page != n) continue;
    o << "<section class=\"card page\" id=\"p" << n << "\"><h2>Page " << n;
    if (p.value("ocr", false)) {
      double conf = p.contains("confidence") && p["confidence"].is_number() ? p["confidence"].get<double>() : -1;
      const char* cls = conf >= 80 ? "v-ok" : conf >= 60 ? "v-warn" : "v-bad";
      o << " <span class=\"badge " << cls << "\">OCR";
      if (conf >= 0) o << " · " << static_cast<int>(conf + 0.5) << "% confidence";
      o << "</span>";
    }
    std::string text = p.value("text", "");
    o << "</h2>" << (text.empty() ? "<p class=\"muted\">(no text on this page)</p>" : "<pre class=\"pagetext\">" + esc(text) + "</pre>")
      << "</section>";
  }
  return layout(ctx, d.value("name", "Document"), o.str(), "queue");
}

std::string catalog_page(const PageContext& ctx, const std::vector<CatalogRow>& rows, const std::string& as_of,
                         const std::string& jurisdiction, const CatalogAreas& areas) {
  std::ostringstream o;
  o << "<div class=\"pagehead\"><div><h1>Approved CLEE Courses</h1><p class=\"muted\">" << esc(jurisdiction)
    << (jurisdiction.empty() ? "" : " · ") << "as of " << esc(as_of) << " · expired courses are not listed</p></div>"
    << "<a class=\"button\" href=\"/catalog.csv\" download>Download CSV</a></div>";
  if (rows.empty()) return layout(ctx, "Approved CLEE Courses", o.str() + "<p class=\"empty card\">No approved course is current.</p>", "catalog");
  o << "<div class=\"tablewrap\"><table class=\"catalog\"><thead><tr><th>CLEE ID</th><th>Course title</th><th>Credit hours</th>"
    << (areas.empty() ? "" : "<th>Hours by area</th>") << "<th>Contact</th><th>Provider</th><th>Expires</th></tr></thead><tbody>";
  for (const auto& r : rows) {
    o << "<tr><td><a class=\"cleeid\" href=\"/packets/" << esc(r.packet_id) << "\">" << esc(r.clee_id) << "</a></td><td>"
      << esc(r.title) << "</td><td class=\"num\">" << (r.hours ? num(*r.hours) : "") << "</td>";
    if (!areas.empty()) {
      auto it = areas.find(r.packet_id);
      o << "<td>" << (it == areas.end() ? "" : esc(area_hours_text(it->second))) << "</td>";
    }
    o << "<td>" << esc(r.contact);
    if (!r.contact_email.empty()) o << "<div class=\"sub\">" << esc(r.contact_email) << "</div>";
    if (!r.contact_phone.empty()) o << "<div class=\"sub\">" << esc(r.contact_phone) << "</div>";
    o << "</td><td>" << esc(r.provider) << "</td><td>" << esc(r.expires_on) << "</td></tr>";
  }
  o << "</tbody></table></div>";
  return layout(ctx, "Approved CLEE Courses", o.str(), "catalog");
}

std::string error_page(const PageContext& ctx, int status, const std::string& message) {
  return layout(ctx, std::to_string(status), "<section class=\"card\"><h1>" + std::to_string(status) + "</h1><p>" + esc(message) +
                                                 "</p><p><a href=\"/queue\">Back to the review queue</a></p></section>");
}

}  // namespace clee::web
