// The reviewer's summary of a report, in Markdown and as one standalone, printable HTML page.
// Every text that came from a document is escaped (HTML) or neutralised (Markdown).
#include <sstream>

#include "pipeline/summary.h"

namespace clee {
namespace {

std::string num(double d) {
  std::ostringstream os;
  os << d;
  return os.str();
}

// Markdown: text from documents must not become markup (links, HTML, tables).
std::string md(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n' || c == '\r' || c == '\t') {
      out.push_back(' ');
      continue;
    }
    if (std::string_view("\\`*_{}[]<>()#+!|~").find(c) != std::string_view::npos) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

struct Row {
  const char* label;
  std::string value;
  bool present;
  const char* key = "";
};

// Where the form said it: "form.pdf p. 1 — Credit Hours Requested: 16".
std::string source_of(const Fields& f, const char* key) {
  for (const auto& e : f.evidence)
    if (e.rule == key) return e.document + (e.page > 0 ? " p. " + std::to_string(e.page) : "") + " — " + e.quote;
  return "";
}

std::vector<Row> field_rows(const Fields& f) {
  auto s = [](const std::optional<std::string>& v) { return v.value_or(""); };
  std::string inst;
  if (f.instructors)
    for (size_t i = 0; i < f.instructors->size(); ++i) inst += (i ? "; " : "") + (*f.instructors)[i];
  return {{"Provider", s(f.provider_name), f.provider_name.has_value(), "provider_name"},
          {"Provider number", s(f.provider_number), f.provider_number.has_value(), "provider_number"},
          {"Course title", s(f.course_title), f.course_title.has_value(), "course_title"},
          {"Credit hours", f.credit_hours ? num(*f.credit_hours) : "", f.credit_hours.has_value(), "credit_hours"},
          {"Instructors", inst, f.instructors.has_value(), "instructors"},
          {"Contact", s(f.contact_name), f.contact_name.has_value(), "contact_name"},
          {"Email", s(f.contact_email), f.contact_email.has_value(), "contact_email"},
          {"Phone", s(f.contact_phone), f.contact_phone.has_value(), "contact_phone"},
          {"Dates", s(f.dates), f.dates.has_value(), "dates"},
          {"Location", s(f.location), f.location.has_value(), "location"},
          {"Delivery", s(f.delivery_method), f.delivery_method.has_value(), "delivery_method"},
          {"Description", s(f.description), f.description.has_value(), "description"}};
}

std::string verdict_line(const Report& r) {
  std::string v = r.content.verdict == Verdict::kAdvanced ? "Advanced (new or advanced skills)"
                  : r.content.verdict == Verdict::kNotAdvanced ? "Not approvable: " + std::string(category_name(r.content.category))
                                                         : "Uncertain — reviewer to judge";
  return v;
}

std::string where(const Evidence& e) {
  return e.document + (e.page > 0 ? ", p. " + std::to_string(e.page) : "");
}

// "inside the basic curriculum · basic_academy", "new · new_or_advanced (approvable)".
std::string judgement(const BlockJudgement& b) {
  std::string fit = b.fit == Fit::kInside ? "inside the basic curriculum"
                    : b.fit == Fit::kBeyond ? "beyond the basic curriculum"
                    : b.fit == Fit::kNew    ? "new"
                                            : "";
  std::string cat = b.category == Category::kNone ? "not judged" : category_name(b.category);
  return (fit.empty() ? "" : fit + " · ") + cat + (b.approvable ? " (approvable)" : "");
}

std::string area_of(const BlockJudgement& b) {
  if (b.area.empty()) return "";
  return b.area + (b.area_by.empty() ? "" : " (corrected by " + b.area_by + ")");
}

std::string rules_line(const RulesUsed& u) {
  if (u.sha256.empty()) return "";
  return u.jurisdiction + " — " + u.path + " (sha256 " + u.sha256.substr(0, 12) + "…)";
}

int ocr_pages(const UnderstoodDocument& d) { return d.doc.ocr_pages(); }
std::string ocr_conf(const UnderstoodDocument& d) {
  double c = 0;
  int n = 0;
  for (const auto& p : d.doc.pages)
    if (p.ocr) {
      c += p.ocr_confidence;
      ++n;
    }
  return n ? std::to_string(static_cast<int>(c / n)) : "";
}

}  // namespace

std::string render_markdown(const Report& r) {
  std::ostringstream o;
  o << "# CLEE packet: " << md(r.fields.course_title.value_or(r.outline.title.value_or("(no course title)"))) << "\n\n";
  o << "- **Disposition:** " << (r.disposition == Disposition::kReadyForReview ? "ready for review" : "needs information") << "\n";
  o << "- **Content verdict:** " << md(verdict_line(r)) << "\n";
  o << "- **Complete:** " << (r.complete ? "yes" : "no") << "\n";
  o << "- **Source:** " << md(r.source) << "\n";
  if (!r.missing.empty()) {
    o << "- **Missing:**";
    for (const auto& m : r.missing) o << " " << m;
    o << "\n";
  }
  if (!r.rules.sha256.empty()) o << "- **Judged by:** " << md(rules_line(r.rules)) << "\n";
  if (!r.content.missing.empty()) {
    o << "- **Too little to judge; missing:**";
    for (size_t i = 0; i < r.content.missing.size(); ++i) o << (i ? ";" : "") << " " << md(r.content.missing[i]);
    o << "\n";
  }
  o << "\n## Content evidence\n\n";
  if (r.content.evidence.empty()) o << "_No sentence carried a verdict._\n";
  for (const auto& e : r.content.evidence) o << "> " << md(e.quote) << "\n>\n> — " << md(where(e)) << " (" << md(e.rule) << ")\n\n";
  if (!r.content.blocks.empty()) {
    o << "\n## Content by outline block\n\n| Block | Hours | Judgement | Area | Why |\n|---|---|---|---|---|\n";
    for (const auto& b : r.content.blocks) {
      o << "| " << md(b.title) << " | " << num(b.hours) << " | " << md(judgement(b)) << " | " << md(area_of(b)) << " | ";
      for (size_t i = 0; i < b.evidence.size(); ++i)
        o << (i ? "; " : "") << "\"" << md(b.evidence[i].quote) << "\" (" << md(where(b.evidence[i])) << ": " << md(b.evidence[i].rule) << ")";
      o << " |\n";
    }
  }
  if (!r.content.areas.empty()) {
    o << "\n## Hours by curriculum area\n\n| Area | Hours |\n|---|---|\n";
    for (const auto& a : r.content.areas) o << "| " << md(a.name.empty() ? a.area : a.name) << " (" << md(a.area) << ") | " << num(a.hours) << " |\n";
  }
  o << "\n## Findings\n\n";
  if (r.findings.empty()) o << "_None._\n";
  for (const auto& f : r.findings) {
    o << "- **" << severity_name(f.severity) << "** `" << code_name(f.code) << "`: " << md(f.message) << "\n";
    for (const auto& e : f.evidence) o << "  - \"" << md(e.quote) << "\" — " << md(where(e)) << "\n";
  }
  o << "\n## Request form fields\n\n| Field | Value | Read from |\n|---|---|---|\n";
  for (const auto& row : field_rows(r.fields))
    o << "| " << row.label << " | " << (row.present ? md(row.value) : "_not found_") << " | "
      << md(source_of(r.fields, row.key)) << " |\n";
  if (r.content.blocks.empty() && (!r.outline.blocks.empty() || r.outline.total_hours)) {
    o << "\n## Outline\n\n";
    for (const auto& b : r.outline.blocks) o << "- " << md(b.title) << " — " << (b.hours ? num(*b.hours) : "?") << " h\n";
    if (r.outline.total_hours) o << "- **Total:** " << num(*r.outline.total_hours) << " h\n";
  }
  o << "\n## Documents\n\n| Document | Type | Pages | OCR pages | OCR confidence | Problem |\n|---|---|---|---|---|---|\n";
  for (const auto& d : r.documents)
    o << "| " << md(d.name) << " | " << doc_type_name(d.type) << " | " << d.doc.pages.size() << " | " << ocr_pages(d) << " | "
      << ocr_conf(d) << " | " << (d.doc.error ? md(std::string(code_name(d.doc.error->code)) + ": " + d.doc.error->message) : "") << " |\n";
  return o.str();
}

// The stylesheet of the summary (inline in the standalone page; served as a file by the web pages).
std::string summary_css() {
  return "body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2433;max-width:960px;margin:2rem auto;padding:0 1rem}"
         "h1{font-size:1.5rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #dde2ea;padding-bottom:.3rem}"
         ".banner{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}.pill{border-radius:.5rem;padding:.6rem 1rem;font-weight:600}"
         ".ok{background:#e3f5e8;color:#14532d}.bad{background:#fde4e4;color:#7f1d1d}.warn{background:#fff4d6;color:#713f12}.info{background:#e6eefc;color:#1e3a8a}"
         "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e6e9ef;padding:.35rem .5rem;text-align:left;vertical-align:top}"
         "th{background:#f5f7fa;font-weight:600}.missing{color:#9aa3b2;font-style:italic}.src{color:#64748b;font-size:.85em}"
         "blockquote{margin:.5rem 0;padding:.4rem .8rem;border-left:4px solid #94a3b8;background:#f8fafc}"
         "blockquote cite{display:block;font-size:.85em;color:#64748b;font-style:normal}"
         ".sev-error{color:#b91c1c;font-weight:600}.sev-warning{color:#a16207;font-weight:600}.sev-info{color:#1d4ed8}"
         "code{background:#f1f5f9;padding:0 .25rem;border-radius:.2rem}@media print{body{margin:0;max-width:none}.pill{border:1px solid #999}}";
}

std::string render_html(const Report& r) {
  const std::string title = r.fields.course_title.value_or(r.outline.title.value_or("(no course title)"));
  return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<title>CLEE packet: " + html_escape(title) + "</title><style>" + summary_css() + "</style></head><body>" +
         render_html_body(r) + "</body></html>\n";
}

// The per-block judgement with its quotes, and the hours per area.
static std::string render_blocks_html(const Report& r) {
  std::ostringstream o;
  if (!r.content.blocks.empty()) {
    o << "<h2>Content by outline block</h2><table class=\"blocks\"><tr><th>Block</th><th>Hours</th><th>Judgement</th>"
      << (r.content.areas.empty() && r.rules.areas.empty() ? "" : "<th>Area</th>") << "<th>Why</th></tr>";
    for (const auto& b : r.content.blocks) {
      o << "<tr><td>" << html_escape(b.title) << "</td><td>" << num(b.hours) << "</td><td>" << html_escape(judgement(b)) << "</td>";
      if (!r.content.areas.empty() || !r.rules.areas.empty()) o << "<td>" << html_escape(area_of(b)) << "</td>";
      o << "<td>";
      for (const auto& e : b.evidence)
        o << "<blockquote>" << html_escape(e.quote) << "<cite>" << html_escape(where(e)) << " &middot; " << html_escape(e.rule)
          << "</cite></blockquote>";
      o << "</td></tr>";
    }
    if (r.outline.total_hours) o << "<tr><th>Total</th><th>" << num(*r.outline.total_hours) << "</th></tr>";
    o << "</table>";
  }
  if (!r.content.areas.empty()) {
    o << "<h2>Hours by curriculum area</h2><table class=\"areas\"><tr><th>Area</th><th>Hours</th></tr>";
    for (const auto& a : r.content.areas)
      o << "<tr><td>" << html_escape(a.name.empty() ? a.area : a.name) << " <span class=\"src\">" << html_escape(a.area)
        << "</span></td><td>" << num(a.hours) << "</td></tr>";
    o << "</table>";
  }
  return o.str();
}

std::string render_html_body(const Report& r) {
  std::ostringstream o;
  const std::string title = r.fields.course_title.value_or(r.outline.title.value_or("(no course title)"));
  const char* tone = r.content.verdict == Verdict::kAdvanced ? "ok" : r.content.verdict == Verdict::kNotAdvanced ? "bad" : "warn";
  o << "<p class=\"missing\">CLEE course-approval packet &middot; " << html_escape(r.source) << "</p>";
  o << "<h1>" << html_escape(title) << "</h1><div class=\"banner\">";
  o << "<div class=\"pill " << (r.disposition == Disposition::kReadyForReview ? "ok" : "warn") << "\">"
    << (r.disposition == Disposition::kReadyForReview ? "Ready for review" : "Needs information") << "</div>";
  o << "<div class=\"pill " << tone << "\">" << html_escape(verdict_line(r)) << "</div>";
  if (!r.missing.empty()) {
    o << "<div class=\"pill bad\">Missing:";
    for (const auto& m : r.missing) o << " " << html_escape(m);
    o << "</div>";
  }
  o << "</div>";
  o << "<h2>Why this verdict</h2>";
  if (!r.rules.sha256.empty()) o << "<p class=\"src\">Judged by " << html_escape(rules_line(r.rules)) << "</p>";
  if (!r.content.missing.empty()) {
    o << "<p class=\"pill warn\">Too little to judge; missing:";
    for (size_t i = 0; i < r.content.missing.size(); ++i) o << (i ? ";" : "") << " " << html_escape(r.content.missing[i]);
    o << "</p>";
  }
  if (r.content.evidence.empty()) o << "<p class=\"missing\">No sentence carried a verdict.</p>";
  for (const auto& e : r.content.evidence)
    o << "<blockquote>" << html_escape(e.quote) << "<cite>" << html_escape(where(e)) << " &middot; " << html_escape(e.rule)
      << "</cite></blockquote>";
  o << render_blocks_html(r);
  o << "<h2>Findings</h2>";
  if (r.findings.empty()) o << "<p class=\"missing\">None.</p>";
  o << "<ul>";
  for (const auto& f : r.findings) {
    o << "<li><span class=\"sev-" << severity_name(f.severity) << "\">" << severity_name(f.severity) << "</span> <code>"
      << code_name(f.code) << "</code> " << html_escape(f.message);
    for (const auto& e : f.evidence)
      o << "<blockquote>" << html_escape(e.quote) << "<cite>" << html_escape(where(e)) << "</cite></blockquote>";
    o << "</li>";
  }
  o << "</ul><h2>Request form</h2><table><tr><th>Field</th><th>Value</th><th>Read from</th></tr>";
  for (const auto& row : field_rows(r.fields))
    o << "<tr><th>" << row.label << "</th><td>"
      << (row.present ? html_escape(row.value) : std::string("<span class=\"missing\">not found</span>"))
      << "</td><td class=\"src\">" << html_escape(source_of(r.fields, row.key)) << "</td></tr>";
  o << "</table>";
  if ((!r.outline.blocks.empty() && r.content.blocks.empty()) || (r.outline.blocks.empty() && r.outline.total_hours)) {
    o << "<h2>Outline</h2><table><tr><th>Block</th><th>Hours</th></tr>";
    for (const auto& b : r.outline.blocks)
      o << "<tr><td>" << html_escape(b.title) << "</td><td>" << (b.hours ? num(*b.hours) : "?") << "</td></tr>";
    if (r.outline.total_hours) o << "<tr><th>Total</th><th>" << num(*r.outline.total_hours) << "</th></tr>";
    o << "</table>";
  }
  if (!r.outline.blocks.empty() || r.outline.total_hours) {
    if (!r.outline.objectives.empty()) {
      o << "<p><strong>Objectives</strong></p><ol>";
      for (const auto& obj : r.outline.objectives) o << "<li>" << html_escape(obj) << "</li>";
      o << "</ol>";
    }
  }
  o << "<h2>Documents</h2><table><tr><th>Document</th><th>Type</th><th>Pages</th><th>OCR pages</th><th>OCR confidence</th><th>Problem</th></tr>";
  for (const auto& d : r.documents)
    o << "<tr><td>" << html_escape(d.name) << "</td><td>" << doc_type_name(d.type) << "</td><td>" << d.doc.pages.size()
      << "</td><td>" << ocr_pages(d) << "</td><td>" << ocr_conf(d) << "</td><td>"
      << (d.doc.error ? html_escape(std::string(code_name(d.doc.error->code)) + ": " + d.doc.error->message) : "") << "</td></tr>";
  o << "</table>";
  return o.str();
}

}  // namespace clee
