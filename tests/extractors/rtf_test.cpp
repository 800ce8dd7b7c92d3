// RTF: the course documents as LibreOffice saves them, and the tokenizer's rules on small inputs
// (code pages, \uN and its fallback, destinations, fields, tables, notes, hostile nesting).
#include <gtest/gtest.h>

#include "extractors/extract.h"
#include "extractors/rtf.h"
#include "test_util.h"

namespace clee {
namespace {

bool has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

std::string text_of(const std::string& rtf) { return all_text(extract_rtf(rtf, "t.rtf", no_ocr())); }

TEST(Rtf, RequestFormByLibreOffice) {
  Document d = extract_document(fixture("docs/formats/form.rtf"), "form.rtf", no_ocr());
  ASSERT_FALSE(d.error) << d.error->message;
  EXPECT_EQ(d.format, Format::kRtf);
  std::string t = all_text(d);
  EXPECT_FALSE(has(t, "\\rtf")) << "control words leaked into the text";
  EXPECT_FALSE(has(t, "Times New Roman")) << "the font table leaked into the text";
  EXPECT_TRUE(has(t, "Continuing Law Enforcement Education (CLEE) Request Form"));
  // The label/value table: one line per row, cells by TAB, and the same rows in Document::tables.
  EXPECT_TRUE(has(t, "Training Provider Name\tKeystone Public Safety Training Institute")) << t;
  EXPECT_TRUE(has(t, "Credit Hours Requested\t16"));
  ASSERT_FALSE(d.tables.empty());
  bool found = false;
  for (const auto& row : d.tables[0].rows)
    found = found || (row.size() == 2 && row[0] == "Course Title" && row[1] == "Advanced Crash Reconstruction Using Event Data Recorders");
  EXPECT_TRUE(found);
  // The header is kept apart from the body.
  ASSERT_EQ(d.headers_footers.size(), 1u);
  EXPECT_EQ(d.headers_footers[0], "MPOETC CLEE Request Form - Rev. 2024");
  EXPECT_FALSE(has(t, "Rev. 2024"));
  EXPECT_EQ(d.metadata.title, "CLEE Request Form");
}

TEST(Rtf, OutlineListsAndSchedule) {
  Document d = extract_rtf(fixture("docs/formats/outline.rtf"), "outline.rtf", no_ocr());
  ASSERT_FALSE(d.error);
  std::string t = all_text(d);
  EXPECT_TRUE(has(t, "Statement of Purpose"));
  // Numbered objectives keep the marker LibreOffice wrote (\listtext).
  EXPECT_TRUE(has(t, "1.\tDemonstrate the retrieval of event data recorder data using the Bosch CDR tool.")) << t;
  EXPECT_TRUE(has(t, "Momentum and energy analysis\t4"));
  EXPECT_TRUE(has(t, "Total Hours\t16"));
}

TEST(Rtf, CodePagesAndUnicode) {
  // \'hh in the document's code page; \uN with its fallback character skipped (\uc1 default).
  EXPECT_EQ(text_of("{\\rtf1\\ansi\\ansicpg1252 caf\\'e9 \\u8364? na\\u239\\'efve}"), "café € naïve\n");
  EXPECT_EQ(text_of("{\\rtf1\\ansi \\uc0\\u8220 quoted\\u8221}"), "“quoted”\n");
  // Two fallback bytes with \uc2; negative N (16-bit signed); a surrogate pair.
  EXPECT_EQ(text_of("{\\rtf1\\ansi\\uc2\\u-28499\\'82\\'a0x}"), "\u90ADx\n");
  EXPECT_EQ(text_of("{\\rtf1 \\uc1\\u-10179?\\u-8704?}"), "\U0001F600\n");
  // A double-byte code page joins its bytes: Shift-JIS "日本" through the font's \fcharset128.
  EXPECT_EQ(text_of("{\\rtf1\\ansi{\\fonttbl{\\f1\\fcharset128 MS Mincho;}}\\f1 \\'93\\'fa\\'96\\'7b}"), "日本\n");
  // Symbol-font check boxes become their Unicode glyphs.
  EXPECT_EQ(text_of("{\\rtf1{\\fonttbl{\\f2\\fcharset2 Wingdings;}}{\\f2 \\'fe} Yes {\\f2 \\'a8} No}"), "☒ Yes ☐ No\n");
}

TEST(Rtf, DestinationsFieldsHiddenAndBinary) {
  std::string t = text_of(
      "{\\rtf1{\\fonttbl{\\f0 Arial;}}{\\colortbl;\\red0\\green0\\blue0;}{\\stylesheet{\\s0 Normal;}}"
      "{\\info{\\title T}{\\author A}}{\\*\\generator Word;}{\\*\\unknowndest SECRET}"
      "{\\pict\\wmetafile8 0123456789abcdef}{\\*\\bkmkstart b}"
      "{\\field{\\*\\fldinst HYPERLINK \"http://x\"}{\\fldrslt link text}} "
      "{\\v hidden text}visible {\\deleted gone}kept {\\bin4 {}\\}after}");
  EXPECT_EQ(t, "link text visible kept after\n");
  // An unknown control word mid-group is a property, not a destination: the text stays.
  EXPECT_EQ(text_of("{\\rtf1 {\\b\\*\\cs7 kept}}"), "kept\n");
}

TEST(Rtf, TablesWithAndWithoutIntbl) {
  EXPECT_EQ(text_of("{\\rtf1\\trowd\\cellx100\\cellx200\\pard\\intbl A\\cell B\\cell\\row\\pard after\\par}"),
            "A\tB\nafter\n");
  // Writers that omit \intbl still end cells with \cell.
  Document d = extract_rtf("{\\rtf1\\trowd Name\\cell Hours\\cell\\row\\trowd EDR\\cell 4\\cell\\row}", "t", no_ocr());
  ASSERT_EQ(d.tables.size(), 1u);
  ASSERT_EQ(d.tables[0].rows.size(), 2u);
  EXPECT_EQ(d.tables[0].rows[1], (std::vector<std::string>{"EDR", "4"}));
}

TEST(Rtf, NotesHeadersPagesAndMetadata) {
  Document d = extract_rtf(
      "{\\rtf1{\\info{\\title Outline}{\\author K. W.}{\\creatim\\yr2026\\mo10\\dy1\\hr9\\min5}}"
      "{\\header \\pard Running head\\par}{\\footer \\pard Page footer\\par}"
      "Body{\\super\\chftn}{\\footnote \\pard{\\super\\chftn} The note.}\\par\\page Second page\\par}",
      "t", no_ocr());
  ASSERT_EQ(d.pages.size(), 2u);
  EXPECT_EQ(d.pages[0].text, "Body[1]");
  EXPECT_EQ(d.pages[1].text, "Second page\n\n[1] The note.");
  EXPECT_EQ(d.headers_footers, (std::vector<std::string>{"Running head", "Page footer"}));
  EXPECT_EQ(d.metadata.title, "Outline");
  EXPECT_EQ(d.metadata.author, "K. W.");
  EXPECT_EQ(d.metadata.created, "2026-10-01T09:05:00");
}

TEST(Rtf, OutlookHtmlInRtf) {
  // \fromhtml: RTF-only runs (\htmlrtf) are dropped, line breaks come from the tags.
  std::string t = text_of(
      "{\\rtf1\\ansi\\fromhtml1{\\*\\htmltag <p>}\\htmlrtf{\\b RTF ONLY}\\htmlrtf0 Hello{\\*\\htmltag </p>}"
      "{\\*\\htmltag <p>}World{\\*\\htmltag </p>}}");
  EXPECT_EQ(t, "Hello\n\nWorld\n");
}

TEST(Rtf, HostileInputIsBounded) {
  // 200,000 nested groups: no recursion, no crash, the text still read.
  std::string deep = "{\\rtf1 " + std::string(200000, '{') + "deep" + std::string(200000, '}') + "}";
  EXPECT_TRUE(has(text_of(deep), "deep"));
  // Junk after the document's closing brace (mail gateways append some) is not read.
  EXPECT_EQ(text_of(std::string("{\\rtf1 body}\xef\xbf\xbd\x01junk", 21)), "body\n");
  // Cut anywhere, RTF still gives a Document (no error: RTF has no structure to be broken).
  std::string rtf = fixture("docs/formats/outline.rtf");
  for (size_t n = 0; n < rtf.size(); n += 997) {
    Document d = extract_rtf(std::string_view(rtf).substr(0, n), "cut.rtf", no_ocr());
    EXPECT_FALSE(d.error);
  }
  // \bin with a length past the end, a control word with an absurd parameter.
  EXPECT_EQ(text_of("{\\rtf1 a\\bin99999999999 xyz}"), "a\n");
  EXPECT_EQ(text_of("{\\rtf1 a\\uc99999999999 \\u65 bc}"), "aA\n");  // \uc capped at 10: "bc" skipped
}

}  // namespace
}  // namespace clee
