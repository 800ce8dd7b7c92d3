// Image files and the embedded-scan path of PDF pages, on committed fixtures (fixtures/make/docs.py:
// pdftoppm pages of reportlab PDFs, turned/noised by PIL, wrapped by img2pdf).
#include <gtest/gtest.h>

#include <poppler/PDFDoc.h>

#include "extractors/extract.h"
#include "extractors/ocr.h"
#include "extractors/ocr_page_image.h"
#include "extractors/pdf.h"
#include "test_util.h"

namespace clee {
namespace {

bool has(const std::string& text, const char* what) { return text.find(what) != std::string::npos; }

TEST(Image, PixelBombIsRefusedFromTheHeaderWithOcrOn) {
  // A 1-bit PNG whose header says 50000 x 50000: decoding would need 2.5 G pixels.
  Document d = extract_image(fixture("docs/pixel_bomb.png"), "bomb.png", ExtractOptions{});
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
  EXPECT_TRUE(has(d.error->message, "pixels (limit 100000000)")) << d.error->message;
  EXPECT_TRUE(d.pages.empty());
}

TEST(Image, TiffPagesEachOneOcrPage) {
  Document d = extract_image(fixture("docs/two_pages.tiff"), "two.tiff", ExtractOptions{});
  ASSERT_FALSE(d.error);
  ASSERT_EQ(d.pages.size(), 2u);
  EXPECT_TRUE(has(d.pages[0].text, "Sponsoring Agency")) << d.pages[0].text;
  EXPECT_TRUE(has(d.pages[1].text, "Lopez")) << d.pages[1].text;
  for (const auto& p : d.pages) {
    EXPECT_TRUE(p.ocr);
    EXPECT_EQ(p.rotation, 0);
    EXPECT_GT(p.ocr_confidence, 70);
    EXPECT_LE(p.ocr_confidence, 100);
  }
}

TEST(Image, TiffFrameOverThePixelLimitOrTooManyFrames) {
  ExtractOptions small;
  small.limits.max_image_pixels = 1'000'000;  // each 200-DPI letter page is ~3.7 M pixels
  Document d = extract_image(fixture("docs/two_pages.tiff"), "two.tiff", small);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
  ExtractOptions one_page;
  one_page.limits.max_pages = 1;
  Document e = extract_image(fixture("docs/two_pages.tiff"), "two.tiff", one_page);
  ASSERT_TRUE(e.error);
  EXPECT_EQ(e.error->code, Code::kLimitExceeded);
  EXPECT_TRUE(has(e.error->message, "2 pages")) << e.error->message;
}

TEST(Image, TruncatedOrNotAnImageIsUnreadable) {
  std::string png = fixture("docs/scan_form.png");
  Document d = extract_image(png.substr(0, 200), "cut.png", ExtractOptions{});
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kUnreadableDocument);
  Document e = extract_image("not an image at all", "x.png", ExtractOptions{});
  ASSERT_TRUE(e.error);
  EXPECT_EQ(e.error->code, Code::kUnreadableDocument);
}

TEST(Image, TimeLimitIsALimitExceededErrorNotSilence) {
  ExtractOptions o;
  o.limits.max_seconds = 0.001;
  Document d = extract_image(fixture("docs/scan_form.png"), "scan.png", o);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
  EXPECT_EQ(d.error->message, "time limit 0.001 s (read 0 of 1 pages)");
  ASSERT_EQ(d.pages.size(), 1u);
  EXPECT_FALSE(d.pages[0].ocr);
}

Deadline generous(600);  // never reached: these tests are about which image is taken

std::unique_ptr<PDFDoc> open_fixture(const std::string& bytes) {
  auto r = open_pdf(bytes);
  EXPECT_TRUE(r.ok());
  return r.ok() ? std::move(*r) : nullptr;
}

TEST(EmbeddedPageImage, PlainScanGivesItsImageAtItsOwnResolution) {
  std::string bytes = fixture("docs/scan_dense_300dpi.pdf");
  auto pdf = open_fixture(bytes);
  ASSERT_TRUE(pdf);
  PageImage img = embedded_page_image(*pdf, 1, 100'000'000, generous);
  ASSERT_TRUE(img.pix);
  EXPECT_EQ(img.dpi, 300);
  EXPECT_EQ(pixGetWidth(img.pix.get()), 2596);  // pdfimages -list: 2596 x 3336 gray JPEG
  EXPECT_EQ(pixGetHeight(img.pix.get()), 3336);
  EXPECT_EQ(pixGetDepth(img.pix.get()), 8);
  // Over the pixel limit: nothing is decoded, the caller renders instead.
  EXPECT_FALSE(embedded_page_image(*pdf, 1, 1'000'000, generous).pix);
}

TEST(EmbeddedPageImage, TextOrMixedPagesAreNotPlainScans) {
  std::string text = fixture("docs/text_outline.pdf");
  auto t = open_fixture(text);
  ASSERT_TRUE(t);
  EXPECT_FALSE(embedded_page_image(*t, 1, 100'000'000, generous).pix);
  std::string mixed = fixture("docs/mixed_text_and_scan.pdf");
  auto m = open_fixture(mixed);
  ASSERT_TRUE(m);
  EXPECT_FALSE(embedded_page_image(*m, 1, 100'000'000, generous).pix);  // reportlab text page
  PageImage scan = embedded_page_image(*m, 2, 100'000'000, generous);   // img2pdf scan page
  ASSERT_TRUE(scan.pix);
  EXPECT_EQ(scan.dpi, 200);
}

TEST(EmbeddedPageImage, DenseScanReadsThroughTheEmbeddedImage) {
  Document d = extract_document(fixture("docs/scan_dense_300dpi.pdf"), "dense.pdf", ExtractOptions{});
  ASSERT_FALSE(d.error);
  ASSERT_EQ(d.pages.size(), 2u);
  EXPECT_EQ(d.ocr_pages(), 2);
  EXPECT_TRUE(has(d.pages[0].text, "Apply conservation of linear momentum to two-vehicle collisions."))
      << d.pages[0].text;
  EXPECT_GT(d.pages[0].ocr_confidence, 80);
}

}  // namespace
}  // namespace clee
