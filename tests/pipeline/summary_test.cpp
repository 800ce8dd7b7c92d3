// pipeline/summary.cpp: the reviewer's Markdown and HTML render every finding, field, outline
// block, objective and document of a report; text from documents is escaped in HTML and cannot
// become Markdown markup; the HTML is one standalone page (inline style, no script, nothing
// fetched from elsewhere).
#include "pipeline/summary.h"

#include <gtest/gtest.h>

#include <string>

namespace clee {
namespace {

constexpr const char* kScript = "<script>alert('x')</script>";

size_t count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

// A report with something in every place the summary shows, and hostile text in each.
Report full_report() {
  Report r;
  r.source = "inbox/Packet <b>1</b>";
  r.received_at = "2026-11-02T10:15:00Z";
  r.fields.provider_name = "Keystone & Sons <Training>";
  r.fields.provider_number = "MPOETC-CP-0412";
  r.fields.course_title = std::string("Advanced EDR ") + kScript;
  r.fields.credit_hours = 16;
  r.fields.instructors = std::vector<std::string>{"Sgt. John A. Miller", "Dr. Maria \"Mia\" Lopez"};
  r.fields.contact_name = "Karen O'Neil";
  r.fields.contact_email = "kwhitfield@keystonepsti.org";
  r.fields.contact_phone = "(717) 555-0142";
  r.fields.dates = "March 3-4, 2027";
  r.fields.location = "Harrisburg | PA";
  r.fields.delivery_method = "In person\nand online";
  r.fields.description = "[click here](http://evil.example/) **now**";
  r.fields.evidence = {{"form.pdf", 1, "Credit Hours Requested: 16", "credit_hours"}};
  r.outline.title = "Outline title";
  r.outline.blocks = {{"Momentum <and> energy", 4.0}, {"Case studies", 2.5}, {"Open discussion", std::nullopt}};
  r.outline.total_hours = 6.5;
  r.outline.objectives = {"Demonstrate <img src=x onerror=alert(1)> retrieval"};
  r.content.verdict = Verdict::kNotAdvanced;
  r.content.category = Category::kAnnualRefresher;
  r.content.evidence = {{"outline.pdf", 2, "annual refresher & review", "annual-refresher: \"annual\""}};
  r.missing = {"instructor_cv"};
  // Every finding code, each with its own message and one evidence quote.
  for (int i = 0; i <= static_cast<int>(Code::kUnsafeEntry); ++i) {
    Code c = static_cast<Code>(i);
    Finding f;
    f.code = c;
    f.severity = i % 3 == 0 ? Severity::kError : i % 3 == 1 ? Severity::kWarning : Severity::kInfo;
    f.message = std::string("message for ") + code_name(c) + " <i>" + std::to_string(i) + "</i>";
    f.document = "doc.pdf";
    f.evidence = {{"doc.pdf", i, "quote " + std::to_string(i) + " & <u>", "rule"}};
    r.findings.push_back(std::move(f));
  }
  UnderstoodDocument ok;
  ok.name = "outline <script>x.pdf (pages 2-3)";
  ok.type = DocType::kCourseOutline;
  ok.doc.pages = {Page{2, "a", true, 80, 0}, Page{3, "b", true, 60, 0}};
  UnderstoodDocument bad;
  bad.name = "cv.pdf";
  bad.doc.error = Error{Code::kEncryptedDocument, "needs a <password>"};
  r.documents = {ok, bad};
  r.disposition = Disposition::kNeedsInformation;
  return r;
}

TEST(SummaryTest, HtmlEscapeCoversTheFiveCharacters) {
  EXPECT_EQ(html_escape("<a href=\"x\" title='y'>&</a>"), "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(html_escape("plain – text"), "plain – text");
}

TEST(SummaryTest, HtmlRendersEveryFindingAndEscapesDocumentText) {
  Report r = full_report();
  std::string html = render_html(r);
  for (const auto& f : r.findings) {
    SCOPED_TRACE(code_name(f.code));
    EXPECT_NE(html.find(std::string("<code>") + code_name(f.code) + "</code>"), std::string::npos);
    EXPECT_NE(html.find(html_escape(f.message)), std::string::npos);
    EXPECT_NE(html.find(html_escape(f.evidence[0].quote)), std::string::npos);
    EXPECT_NE(html.find(std::string("sev-") + severity_name(f.severity)), std::string::npos);
  }
  // Nothing from the report arrives as markup.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<i>"), std::string::npos);
  EXPECT_EQ(html.find("<b>1</b>"), std::string::npos);
  EXPECT_NE(html.find("Advanced EDR &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("Keystone &amp; Sons &lt;Training&gt;"), std::string::npos);
  EXPECT_NE(html.find("Dr. Maria &quot;Mia&quot; Lopez"), std::string::npos);
  EXPECT_NE(html.find("needs a &lt;password&gt;"), std::string::npos);
  EXPECT_NE(html.find("outline &lt;script&gt;x.pdf (pages 2-3)"), std::string::npos);
}

TEST(SummaryTest, HtmlShowsFieldsOutlineObjectivesAndDocuments) {
  Report r = full_report();
  std::string html = render_html(r);
  for (const char* s : {"MPOETC-CP-0412", "kwhitfield@keystonepsti.org", "(717) 555-0142", "March 3-4, 2027",
                        "Harrisburg | PA", "Sgt. John A. Miller; Dr. Maria &quot;Mia&quot; Lopez",
                        "form.pdf p. 1 — Credit Hours Requested: 16", "Momentum &lt;and&gt; energy", "<td>2.5</td>",
                        "<td>?</td>", "<th>6.5</th>", "Demonstrate &lt;img src=x onerror=alert(1)&gt; retrieval",
                        "annual refresher &amp; review", "Not approvable: annual_refresher", "Missing: instructor_cv",
                        "Needs information", "<td>70</td>", "encrypted_document: "})
    EXPECT_NE(html.find(s), std::string::npos) << s;
  // Missing fields say so rather than showing an empty cell.
  r.fields.contact_phone.reset();
  EXPECT_NE(render_html(r).find("<tr><th>Phone</th><td><span class=\"missing\">not found</span>"), std::string::npos);
}

TEST(SummaryTest, HtmlIsOneStandalonePage) {
  std::string html = render_html(full_report());
  EXPECT_EQ(html.rfind("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">", 0), 0u);
  EXPECT_EQ(count(html, "<html"), 1u);
  EXPECT_EQ(count(html, "</html>"), 1u);
  EXPECT_EQ(count(html, "<body>"), 1u);
  EXPECT_EQ(count(html, "<style>"), 1u) << "the stylesheet is inline";
  EXPECT_NE(html.find(summary_css()), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos) << "nothing fetched";
  EXPECT_EQ(html.find(" src=\""), std::string::npos);
  EXPECT_EQ(html.find("href="), std::string::npos) << "no links, not even to a stylesheet";
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("<title>CLEE packet: Advanced EDR &lt;script&gt;"), std::string::npos);
  // The body alone (for the web pages, whose CSP forbids inline styles) has no page around it.
  std::string body = render_html_body(full_report());
  EXPECT_EQ(body.find("<html"), std::string::npos);
  EXPECT_EQ(body.find("<style"), std::string::npos);
  EXPECT_NE(html.find(body), std::string::npos);
}

TEST(SummaryTest, MarkdownRendersEveryFindingAndNeutralisesDocumentText) {
  Report r = full_report();
  std::string md = render_markdown(r);
  for (const auto& f : r.findings) {
    SCOPED_TRACE(code_name(f.code));
    EXPECT_NE(md.find(std::string("- **") + severity_name(f.severity) + "** `" + code_name(f.code) + "`: "),
              std::string::npos);
  }
  EXPECT_NE(md.find("message for hours\\_mismatch \\<i\\>6\\</i\\>"), std::string::npos);
  // A link, emphasis, HTML and a table separator from a document stay text.
  EXPECT_EQ(md.find("[click here](http"), std::string::npos);
  EXPECT_NE(md.find("\\[click here\\]\\(http://evil.example/\\) \\*\\*now\\*\\*"), std::string::npos);
  EXPECT_EQ(md.find("<script>"), std::string::npos);
  EXPECT_NE(md.find("\\<script\\>"), std::string::npos);
  EXPECT_NE(md.find("| Location | Harrisburg \\| PA |"), std::string::npos);
  // A line break inside a value cannot end the table row.
  EXPECT_NE(md.find("| Delivery | In person and online |"), std::string::npos);
}

TEST(SummaryTest, MarkdownShowsFieldsOutlineAndDocuments) {
  Report r = full_report();
  std::string md = render_markdown(r);
  for (const char* s : {"# CLEE packet: Advanced EDR", "- **Disposition:** needs information",
                        "- **Content verdict:** Not approvable: annual\\_refresher", "- **Missing:** instructor_cv",
                        "| Credit hours | 16 | form.pdf p. 1 — Credit Hours Requested: 16 |",
                        "| Provider number | MPOETC-CP-0412 |", "- Momentum \\<and\\> energy — 4 h", "- Case studies — 2.5 h",
                        "- Open discussion — ? h", "- **Total:** 6.5 h", "> annual refresher & review",
                        "| outline \\<script\\>x.pdf \\(pages 2-3\\) | course_outline | 2 | 2 | 70 |  |",
                        "| cv.pdf | unknown | 0 | 0 |  | encrypted\\_document: needs a \\<password\\> |"})
    EXPECT_NE(md.find(s), std::string::npos) << s;
  r.fields.contact_phone.reset();
  EXPECT_NE(render_markdown(r).find("| Phone | _not found_ |"), std::string::npos);
}

TEST(SummaryTest, AnEmptyReportStillRendersBothPages) {
  Report r;
  std::string md = render_markdown(r);
  EXPECT_NE(md.find("# CLEE packet: \\(no course title\\)"), std::string::npos);
  EXPECT_NE(md.find("_None._"), std::string::npos);
  EXPECT_NE(md.find("_No sentence carried a verdict._"), std::string::npos);
  std::string html = render_html(r);
  EXPECT_NE(html.find("<h1>(no course title)</h1>"), std::string::npos);
  EXPECT_NE(html.find("<p class=\"missing\">None.</p>"), std::string::npos);
  EXPECT_NE(html.find("Uncertain — reviewer to judge"), std::string::npos);
}

}  // namespace
}  // namespace clee
