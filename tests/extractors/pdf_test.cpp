// PDF extraction with Poppler on committed fixtures (reportlab, qpdf, LibreOffice, img2pdf; see
// fixtures/README.md): text per page, running headers apart, reading order, AcroForm values,
// encryption, damage, limits, and the per-page "needs OCR" decision.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>

#include "extractors/extract.h"
#include "extractors/pdf.h"
#include "extractors/util.h"
#include "test_util.h"

namespace clee {
namespace {



TEST(Pdf, TextPerPageWithHeadersAndFootersApart) {
  Document d = extract_document(fixture("docs/text_outline.pdf"), "text_outline.pdf", no_ocr());
  ASSERT_FALSE(d.error) << d.error->message;
  EXPECT_EQ(d.format, Format::kPdf);
  EXPECT_EQ(d.mime, "application/pdf");
  ASSERT_EQ(d.pages.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(d.pages[i].number, i + 1);
    EXPECT_FALSE(d.pages[i].ocr);
  }
  EXPECT_NE(d.pages[0].text.find("Demonstrate the retrieval of event data recorder data"), std::string::npos);
  EXPECT_NE(d.pages[1].text.find("Appendix: Equipment list"), std::string::npos);
  EXPECT_NE(d.pages[2].text.find("Appendix: Reading list"), std::string::npos);
  // The running header and the "Page N" footer leave the body…
  for (const auto& p : d.pages) {
    EXPECT_EQ(p.text.find("Keystone Public Safety Training Institute - Course Outline"), std::string::npos);
    EXPECT_EQ(p.text.find("Page " + std::to_string(p.number)), std::string::npos) << p.text;
  }
  // …and are kept apart, once each.
  ASSERT_EQ(d.headers_footers.size(), 2u);
  EXPECT_EQ(d.headers_footers[0], "Keystone Public Safety Training Institute - Course Outline");
  EXPECT_EQ(d.headers_footers[1].rfind("Page ", 0), 0u);
  EXPECT_TRUE(d.warnings.empty());
}

TEST(Pdf, Metadata) {
  Document d = extract_document(fixture("docs/text_outline.pdf"), "t.pdf", no_ocr());
  EXPECT_EQ(d.metadata.title, "Course Outline");
  EXPECT_EQ(d.metadata.author, "K. Whitfield");
  EXPECT_FALSE(d.metadata.created.empty());
  Document lo = extract_document(fixture("docs/lo_outline.pdf"), "lo.pdf", no_ocr());
  ASSERT_FALSE(lo.error);
  EXPECT_NE(lo.metadata.producer.find("LibreOffice"), std::string::npos) << lo.metadata.producer;
  EXPECT_NE(all_text(lo).find("This is not a refresher course"), std::string::npos);
}

TEST(Pdf, TableRowsStayOnOneLine) {
  Document d = extract_document(fixture("docs/text_outline.pdf"), "t.pdf", no_ocr());
  EXPECT_NE(d.pages[0].text.find("Momentum and energy analysis\t4"), std::string::npos) << d.pages[0].text;
}

TEST(Pdf, TwoColumnsReadColumnByColumn) {
  // Physical layout would print "Left column line 1 …    Right column line 1 …" on one line.
  Document d = extract_document(fixture("docs/two_column.pdf"), "cv.pdf", no_ocr());
  ASSERT_FALSE(d.error);
  const std::string& t = d.pages[0].text;
  size_t left_last = t.find("Left column line 12");
  size_t right_first = t.find("Right column line 1:");
  ASSERT_NE(left_last, std::string::npos);
  ASSERT_NE(right_first, std::string::npos);
  EXPECT_LT(left_last, right_first) << t;
  for (size_t nl = 0, pos = 0; (nl = t.find('\n', pos)) != std::string::npos; pos = nl + 1) {
    std::string line = t.substr(pos, nl - pos);
    EXPECT_FALSE(line.find("Left column") != std::string::npos && line.find("Right column") != std::string::npos) << line;
  }
}

TEST(Pdf, FillableFormValuesComeFromTheFields) {
  Document d = extract_document(fixture("docs/form_fillable.pdf"), "form.pdf", no_ocr());
  ASSERT_FALSE(d.error);
  std::map<std::string, FormField> f;
  for (const auto& x : d.fields) f[x.name] = x;
  EXPECT_EQ(f["CourseTitle"].value, "Advanced Crash Reconstruction Using Event Data Recorders");
  EXPECT_EQ(f["ProviderNumber"].value, "MPOETC-CP-0412");
  EXPECT_EQ(f["CreditHours"].value, "16");
  EXPECT_EQ(f["ContactEmail"].value, "kwhitfield@keystonepsti.org");
  EXPECT_EQ(f["NewCourse"].value, "Yes");  // checkbox state
  EXPECT_EQ(f["CourseTitle"].page, 1);     // from the widget annotation
  EXPECT_EQ(d.fields.size(), 13u);
}

TEST(Pdf, EncryptedWithUserPasswordIsTyped) {
  Document d = extract_document(fixture("docs/encrypted_user.pdf"), "enc.pdf", no_ocr());
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kEncryptedDocument);
  EXPECT_EQ(d.format, Format::kPdf);
  EXPECT_TRUE(d.pages.empty());
}

TEST(Pdf, OwnerPasswordOnlyOpensWithTheEmptyPassword) {
  Document d = extract_document(fixture("docs/encrypted_owner_only.pdf"), "enc.pdf", no_ocr());
  ASSERT_FALSE(d.error) << d.error->message;
  EXPECT_NE(all_text(d).find("Performance Objectives"), std::string::npos);
}

TEST(Pdf, TruncatedIsUnreadableOrPartialWithWarning) {
  Document t = extract_document(fixture("docs/truncated.pdf"), "t.pdf", no_ocr());
  if (t.error) {
    EXPECT_EQ(t.error->code, Code::kUnreadableDocument);
  } else {
    EXPECT_FALSE(t.warnings.empty());
  }
  Document g = extract_document(fixture("docs/garbage.pdf"), "g.pdf", no_ocr());
  ASSERT_TRUE(g.error);
  EXPECT_EQ(g.error->code, Code::kUnsupportedFormat);
}

TEST(Pdf, PageLimit) {
  ExtractOptions o = no_ocr();
  o.limits.max_pages = 2;
  Document d = extract_document(fixture("docs/text_outline.pdf"), "t.pdf", o);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
  EXPECT_NE(d.error->message.find("3 pages"), std::string::npos) << d.error->message;
  o.limits.max_pages = 3;
  EXPECT_FALSE(extract_document(fixture("docs/text_outline.pdf"), "t.pdf", o).error);
}

TEST(Pdf, WallTimeLimitStopsBetweenAndInsidePages) {
  ExtractOptions o = no_ocr();
  o.limits.max_seconds = 0;  // already spent before the first page
  Document d = extract_document(fixture("docs/text_outline.pdf"), "t.pdf", o);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
  EXPECT_EQ(d.error->message, "time limit 0 s (read 0 of 3 pages)");
  EXPECT_TRUE(d.pages.empty());
}

// The wall-time tests below print how long extraction took; their only time assertion is a sanity
// bound far above the limit and far below the time the same file took before the deadline reached
// inside Poppler (flate_space_bomb: 50 s in pdftotext; jbig2_content_bomb: ~2 min; bomb_giant: 55 s
// under a 20 s limit).

TEST(PdfDeadline, TimeLimitHoldsInsideOneContentStream) {
  // Page 2's second content stream is 8 GiB of spaces (two rounds of deflate): one lexer call,
  // no operator boundary for Poppler's abort check. The guard around the stream ends it.
  ExtractOptions o = no_ocr();
  o.limits.max_seconds = 2;
  Stopwatch clock;
  Document d = extract_document(fixture("docs/flate_space_bomb.pdf"), "f.pdf", o);
  std::printf("flate_space_bomb.pdf, limit 2 s: returned after %.2f s\n", clock.seconds());
  EXPECT_LT(clock.seconds(), 30);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
  EXPECT_EQ(d.error->message, "time limit 2 s (read 1 of 3 pages)");
  ASSERT_EQ(d.pages.size(), 1u);  // the pages read before the limit are kept
  EXPECT_NE(d.pages[0].text.find("Page one: the course outline begins here."), std::string::npos);
}

TEST(PdfDeadline, ImageEncodedContentStreamIsNeverDecoded) {
  // Page 2's second content stream is JBIG2: a 100000 x 100000 generic region that Poppler's
  // decoder would run to the end (no deadline can reach inside it) before the lexer saw a byte.
  Stopwatch clock;
  Document d = extract_document(fixture("docs/jbig2_content_bomb.pdf"), "j.pdf", no_ocr());
  std::printf("jbig2_content_bomb.pdf, default limit: returned after %.2f s\n", clock.seconds());
  EXPECT_LT(clock.seconds(), 30);
  ASSERT_FALSE(d.error) << d.error->message;
  ASSERT_EQ(d.pages.size(), 3u);
  EXPECT_NE(d.pages[1].text.find("Page two: text before the bomb."), std::string::npos);
  EXPECT_NE(d.pages[2].text.find("Page three: read after the bomb."), std::string::npos);
  EXPECT_EQ(d.warnings, (std::vector<std::string>{"page 2: content stream 2 is encoded as an image (JBIG2Decode): not read"}));
}

// JBIG2 segment headers (T.88 7.2), built here byte by byte: number, flags (type), referred-to
// count, page, data length, data.
std::string segment(uint32_t number, uint8_t type, const std::string& data) {
  std::string s;
  for (int i = 3; i >= 0; --i) s.push_back(static_cast<char>(number >> (8 * i)));
  s += static_cast<char>(type);
  s += '\0';  // no referred-to segments
  s += '\1';  // page 1
  for (int i = 3; i >= 0; --i) s.push_back(static_cast<char>(data.size() >> (8 * i)));
  return s + data;
}
std::string be32(uint32_t v) {
  std::string s;
  for (int i = 3; i >= 0; --i) s.push_back(static_cast<char>(v >> (8 * i)));
  return s;
}

TEST(Jbig2Headers, DeclaredPageAndRegionSizes) {
  std::string page = segment(0, 48, be32(2000) + be32(3000) + std::string(11, '\0'));
  EXPECT_EQ(jbig2_declared_pixels(page), 6'000'000u);
  std::string region = segment(1, 39, be32(100000) + be32(100000) + be32(0) + be32(0) + std::string(12, '\0'));
  EXPECT_EQ(jbig2_declared_pixels(page + region), 10'000'000'000u);
  // A striped page (height unknown) grows to its lowest region.
  std::string striped = segment(0, 48, be32(1000) + be32(0xffffffff) + std::string(11, '\0'));
  std::string low = segment(1, 38, be32(1000) + be32(50) + be32(0) + be32(999950) + std::string(12, '\0'));
  EXPECT_EQ(jbig2_declared_pixels(striped + low), 1'000'000'000u);
  // Other segment types are skipped by their length; cut or empty input declares nothing more.
  std::string end_of_page = segment(2, 49, "");
  EXPECT_EQ(jbig2_declared_pixels(end_of_page + page), 6'000'000u);
  EXPECT_EQ(jbig2_declared_pixels(page.substr(0, 12)), 0u);
  EXPECT_EQ(jbig2_declared_pixels(""), 0u);
  EXPECT_EQ(jbig2_declared_pixels(std::string(64, '\xff')), 0u);
  // Sizes saturate rather than wrap.
  std::string huge = segment(0, 48, be32(0xfffffffe) + be32(0xfffffffe) + std::string(11, '\0'));
  EXPECT_GT(jbig2_declared_pixels(huge), 1ull << 60);
}

TEST(PdfDeadline, BombGiantFromThePdfJsCorpus) {
  const std::string path = std::string(CLEE_SHARED_DIR) + "/corpora/pdf/test/pdfs/bomb_giant.pdf";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no corpus at " << path;
  ExtractOptions o = no_ocr();
  o.limits.max_seconds = 3;
  Stopwatch clock;
  Document d = extract_document(read_file(path), "bomb_giant.pdf", o);
  std::printf("bomb_giant.pdf, limit 3 s, in-process: returned after %.2f s\n", clock.seconds());
  EXPECT_LT(clock.seconds(), 30);
  // Its three JBIG2 content streams are refused, its text stream read: nothing runs out of time.
  ASSERT_EQ(d.pages.size(), 1u);
  EXPECT_NE(d.pages[0].text.find("GIANT JBIG2 BOMB"), std::string::npos) << d.pages[0].text;
  EXPECT_EQ(d.warnings.size(), 3u);
  EXPECT_FALSE(d.error) << d.error->message;
}

TEST(Pdf, PagesWithoutTextLayerAreMarkedForOcr) {
  // Page 1 has a text layer; page 2 is a scan. With OCR off the scan page stays empty and a
  // warning says why; the text page is untouched.
  Document d = extract_document(fixture("docs/mixed_text_and_scan.pdf"), "m.pdf", no_ocr());
  ASSERT_FALSE(d.error);
  ASSERT_EQ(d.pages.size(), 2u);
  EXPECT_NE(d.pages[0].text.find("Performance Objectives"), std::string::npos);
  EXPECT_LT(d.pages[1].text.size(), 20u);
  ASSERT_EQ(d.warnings.size(), 1u);
  EXPECT_NE(d.warnings[0].find("1 page(s)"), std::string::npos) << d.warnings[0];
  // Raising the threshold above page 1's character count sends page 1 to OCR too.
  ExtractOptions high = no_ocr();
  high.min_chars_per_page = 100000;
  Document h = extract_document(fixture("docs/mixed_text_and_scan.pdf"), "m.pdf", high);
  ASSERT_EQ(h.warnings.size(), 1u);
  EXPECT_NE(h.warnings[0].find("2 page(s)"), std::string::npos) << h.warnings[0];
}

TEST(Pdf, PdfStringsToUtf8) {
  EXPECT_EQ(pdf_string_to_utf8(std::string("\xFE\xFF\x00K\x00\xE9", 6)), "K\xC3\xA9");           // UTF-16BE
  EXPECT_EQ(pdf_string_to_utf8(std::string("\xFE\xFF\xD8\x3D\xDE\x00", 6)), "\xF0\x9F\x98\x80");  // surrogates
  EXPECT_EQ(pdf_string_to_utf8("Caf\xE9"), "Caf\xC3\xA9");                                         // PDFDocEncoding
}

}  // namespace
}  // namespace clee
