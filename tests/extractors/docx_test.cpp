// DOCX extraction on committed fixtures: fixtures/docs/rich.docx (python-docx + raw OOXML, made by
// fixtures/make/docs.py) and fixtures/docs/containers/*.docx (fixtures/make/containers.py: the same
// feature document as written, re-saved by LibreOffice, and with a bare DOCTYPE).
#include <gtest/gtest.h>

#include <map>

#include "extractors/docx.h"
#include "extractors/extract.h"
#include "test_util.h"

namespace clee {
namespace {



std::map<std::string, std::string> fields(const Document& d) {
  std::map<std::string, std::string> f;
  for (const auto& x : d.fields) f[x.name] = x.value;
  return f;
}

bool has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

TEST(Docx, ListsGetMarkersFromNumberingAndListStyles) {
  // rich.docx: python-docx "List Number"/"List Bullet" styles carry the numbering (styles.xml).
  Document r = extract_docx(fixture("docs/rich.docx"), "rich.docx", no_ocr());
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_TRUE(has(all_text(r), "1. Numbered item one\n2. Numbered item two\n• Bulleted item alpha\n")) << all_text(r);
  // features.docx: direct numPr, a lettered sub-level "%2)" that restarts, an upperRoman list starting at 4.
  Document d = extract_docx(fixture("docs/containers/features.docx"), "f.docx", no_ocr());
  ASSERT_FALSE(d.error) << d.error->message;
  EXPECT_TRUE(has(all_text(d), "1. Goal one\n2. Goal two\n  a) Sub point under two\n  b) Second sub point\n3. Goal three\n"))
      << all_text(d);
  EXPECT_TRUE(has(all_text(d), "• Bullet thing\nIV. Roman start four\n"));
}

TEST(Docx, RunLevelContent) {
  Document d = extract_docx(fixture("docs/containers/features.docx"), "f.docx", no_ocr());
  ASSERT_FALSE(d.error);
  std::string t = all_text(d);
  EXPECT_TRUE(has(t, "Provider Name:\tTabbed Value Academy\n"));  // w:tab → tab
  EXPECT_TRUE(has(t, "Line one\nLine two\n"));                     // w:br → newline
  EXPECT_TRUE(has(t, "Refresher and e-mail\n"));                   // soft hyphen dropped, no-break hyphen '-'
  EXPECT_TRUE(has(t, "Approved ☒ yes\n"));                         // w:sym Wingdings F0FE
  EXPECT_TRUE(has(t, "MOVED-HERE-KEPT"));
  EXPECT_FALSE(has(t, "MOVED-AWAY-DROPPED"));
}

TEST(Docx, PageBreakStartsPageTwo) {
  Document d = extract_docx(fixture("docs/containers/features.docx"), "f.docx", no_ocr());
  ASSERT_EQ(d.pages.size(), 2u);
  EXPECT_TRUE(has(d.pages[0].text, "End of page one."));
  EXPECT_EQ(d.pages[1].number, 2);
  EXPECT_EQ(d.pages[1].text, "Page two starts here.");
}

TEST(Docx, ContentControlsAndLegacyFieldsBecomeFormFields) {
  Document d = extract_docx(fixture("docs/containers/features.docx"), "f.docx", no_ocr());
  auto f = fields(d);
  EXPECT_EQ(f["course_hours"], "16");  // inline w:sdt with only a tag
  EXPECT_EQ(f["New course"], "Yes");   // w14:checkbox content control, checked
  EXPECT_EQ(f["IsRefresher"], "Off");  // FORMCHECKBOX, w:checked w:val="0"
  EXPECT_EQ(f["IsAdvanced"], "Yes");
  ASSERT_TRUE(f.count("Instructor"));
  EXPECT_EQ(f["Instructor"], "");  // showingPlcHdr: the placeholder is not a value
  std::string t = all_text(d);
  EXPECT_TRUE(has(t, "Instructor:\n")) << t;
  EXPECT_FALSE(has(t, "Click or tap here"));
  EXPECT_TRUE(has(t, "Hours: 16\n"));                     // the control's text stays in the body
  EXPECT_TRUE(has(t, "Refresher ☐ Advanced ☒\n")) << t;  // legacy boxes as the reader sees them
  Document r = extract_docx(fixture("docs/rich.docx"), "rich.docx", no_ocr());
  auto rf = fields(r);
  EXPECT_EQ(rf["Provider Number"], "CTP-7777");  // block w:sdt: alias wins over tag
  EXPECT_EQ(rf["ContactName"], "Jane Q. Legacy");
  EXPECT_TRUE(has(all_text(r), "Contact: Jane Q. Legacy\n"));
}

TEST(Docx, TablesAreRowsAndTabSeparatedBodyLines) {
  Document r = extract_docx(fixture("docs/rich.docx"), "rich.docx", no_ocr());
  ASSERT_EQ(r.tables.size(), 1u);
  ASSERT_EQ(r.tables[0].rows.size(), 2u);
  EXPECT_EQ(r.tables[0].rows[1][0], "Credit Hours");
  EXPECT_EQ(r.tables[0].rows[1][1], "12");
  EXPECT_TRUE(has(all_text(r), "Course Title\tAdvanced Interview Techniques\nCredit Hours\t12\n"));
  // A nested table: listed after its parent; its text joins the parent cell with spaces.
  Document d = extract_docx(fixture("docs/containers/features.docx"), "f.docx", no_ocr());
  ASSERT_EQ(d.tables.size(), 2u);
  EXPECT_EQ(d.tables[0].rows[0][0], "Outer label");
  EXPECT_EQ(d.tables[0].rows[0][1], "Inner A Inner B");
  EXPECT_EQ(d.tables[1].rows[0][1], "Inner B");
  EXPECT_TRUE(has(all_text(d), "Outer label\tInner A Inner B\n"));
}

TEST(Docx, TrackedChangesTextBoxesHeadersFooters) {
  Document r = extract_docx(fixture("docs/rich.docx"), "rich.docx", no_ocr());
  std::string t = all_text(r);
  EXPECT_TRUE(has(t, "Tracked: INSERTED-TEXT-KEPT"));
  EXPECT_FALSE(has(t, "DELETED-TEXT-DROPPED"));
  size_t first = t.find("TEXTBOX-CONTENT");
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(t.find("TEXTBOX-CONTENT", first + 1), std::string::npos);  // VML fallback not read again
  EXPECT_FALSE(has(t, "HEADER:"));
  EXPECT_FALSE(has(t, "FOOTER:"));
  ASSERT_EQ(r.headers_footers.size(), 2u);
  EXPECT_EQ(r.headers_footers[0], "HEADER: Keystone PSTI confidential");
  EXPECT_EQ(r.headers_footers[1], "FOOTER: page footer text");
  EXPECT_EQ(r.metadata.title, "Rich test document");
}

TEST(Docx, FootnotesFollowTheBody) {
  Document d = extract_docx(fixture("docs/footnotes.docx"), "fn.docx", no_ocr());
  ASSERT_FALSE(d.error) << d.error->message;
  std::string t = all_text(d);
  size_t b = t.find("Body text with a footnote"), f = t.find("FOOTNOTE-TEXT from the bottom of the page."),
         e = t.find("ENDNOTE-TEXT at the end of the document.");
  ASSERT_NE(b, std::string::npos);
  ASSERT_NE(f, std::string::npos);
  ASSERT_NE(e, std::string::npos);
  EXPECT_LT(b, f);
  EXPECT_LT(f, e);
}

TEST(Docx, LibreOfficeResaveReadsTheSame) {
  // LibreOffice drops the tags and field names but keeps the text, lists and box states.
  Document lo = extract_docx(fixture("docs/containers/features_lo.docx"), "lo.docx", no_ocr());
  ASSERT_FALSE(lo.error) << lo.error->message;
  std::string t = all_text(lo);
  for (const char* s : {"3. Goal three", "  b) Second sub point", "IV. Roman start four", "Approved ☒ yes",
                        "Refresher ☐ Advanced ☒", "Provider Name:\tTabbed Value Academy", "Hours: 16"})
    EXPECT_TRUE(has(t, s)) << s << "\n" << t;
  EXPECT_EQ(lo.pages.size(), 2u);
  EXPECT_EQ(lo.metadata.author, "Fixture Maker");
}

TEST(Docx, XmlEntitiesAreRefusedAndNeverFetched) {
  for (const char* f : {"docs/entity_bomb.docx", "docs/xxe.docx"}) {
    Document d = extract_docx(fixture(f), f, no_ocr());
    ASSERT_TRUE(d.error) << f;
    EXPECT_EQ(d.error->code, Code::kUnsupportedFormat);
    EXPECT_TRUE(has(d.error->message, "entities")) << d.error->message;
    EXPECT_FALSE(has(all_text(d), "root:"));
  }
  // A DOCTYPE without entity declarations is harmless: pugixml skips it (no parse_doctype).
  Document ok = extract_docx(fixture("docs/containers/doctype_only.docx"), "dt.docx", no_ocr());
  ASSERT_FALSE(ok.error) << ok.error->message;
  EXPECT_TRUE(has(all_text(ok), "Intro paragraph of the feature document."));
}

TEST(Docx, LegacyWordAndNonDocxInputsAreTyped) {
  // Word 97 by LibreOffice is no longer unsupported: the .doc reader (doc_test.cpp) reads it.
  Document doc = extract_document(fixture("docs/containers/legacy.doc"), "old.doc", no_ocr());
  ASSERT_FALSE(doc.error) << doc.error->message;
  EXPECT_EQ(doc.format, Format::kDoc);
  EXPECT_NE(all_text(doc).find("Intro paragraph of the feature document."), std::string::npos);
  // A zip that is not a Word package.
  Document z = extract_docx(fixture("docs/containers/many.zip"), "m.docx", no_ocr());
  ASSERT_TRUE(z.error);
  EXPECT_EQ(z.error->code, Code::kUnreadableDocument);
  Document g = extract_docx("not a zip at all", "g.docx", no_ocr());
  ASSERT_TRUE(g.error);
  EXPECT_EQ(g.error->code, Code::kUnreadableDocument);
}

TEST(Docx, PartLimitsApply) {
  ExtractOptions o = no_ocr();
  o.limits.max_entry_bytes = 4096;  // word/document.xml of features.docx is larger
  Document d = extract_docx(fixture("docs/containers/features.docx"), "f.docx", o);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
}

}  // namespace
}  // namespace clee
