// OCR on scans made from known text (pdftoppm + Pillow noise/skew/rotation + img2pdf).
#include <gtest/gtest.h>

#include <cstdio>

#include "extractors/extract.h"
#include "extractors/ocr_engine.h"
#include "extractors/util.h"
#include "test_util.h"

namespace clee {
namespace {

TEST(Ocr, RotatedScannedPdfReadsUpright) {
  Document d = extract_document(fixture("docs/scanned_rotated.pdf"), "scan.pdf", ExtractOptions{});
  ASSERT_FALSE(d.error);
  ASSERT_EQ(d.pages.size(), 3u);
  EXPECT_EQ(d.ocr_pages(), 3);
  EXPECT_NE(d.pages[0].text.find("Performance Objectives"), std::string::npos) << d.pages[0].text;
  EXPECT_NE(d.pages[1].text.find("Equipment list"), std::string::npos) << d.pages[1].text;
  EXPECT_NE(d.pages[2].text.find("Reading list"), std::string::npos) << d.pages[2].text;
  EXPECT_EQ(d.pages[0].rotation, 0);
  // Page 2 was turned 90° counter-clockwise by PIL: read after turning it 90° clockwise.
  EXPECT_EQ(d.pages[1].rotation, 90);
  EXPECT_EQ(d.pages[2].rotation, 180);
  for (const auto& p : d.pages) {
    EXPECT_TRUE(p.ocr);
    EXPECT_GT(p.ocr_confidence, 60);
    EXPECT_LE(p.ocr_confidence, 100);
  }
}

TEST(Ocr, OnlyPagesWithoutTextLayer) {
  Document d = extract_document(fixture("docs/mixed_text_and_scan.pdf"), "mixed.pdf", ExtractOptions{});
  ASSERT_EQ(d.pages.size(), 2u);
  EXPECT_FALSE(d.pages[0].ocr);
  EXPECT_TRUE(d.pages[1].ocr);
  EXPECT_NE(d.pages[1].text.find("Sponsoring Agency"), std::string::npos);
}

TEST(Ocr, ImagesPngJpegSidewaysAndMultiPageTiff) {
  Document png = extract_document(fixture("docs/scan_form.png"), "scan.png", ExtractOptions{});
  ASSERT_FALSE(png.error);
  EXPECT_NE(png.pages[0].text.find("Keystone Public Safety Training Institute"), std::string::npos);
  Document jpg = extract_document(fixture("docs/scan_form_sideways.jpg"), "scan.jpg", ExtractOptions{});
  ASSERT_FALSE(jpg.error);
  EXPECT_EQ(jpg.pages[0].rotation, 270);  // PIL turned it 270° counter-clockwise
  EXPECT_NE(jpg.pages[0].text.find("CLEE COURSE APPROVAL REQUEST"), std::string::npos) << jpg.pages[0].text;
  Document tif = extract_document(fixture("docs/two_pages.tiff"), "two.tiff", ExtractOptions{});
  ASSERT_FALSE(tif.error);
  ASSERT_EQ(tif.pages.size(), 2u);
  EXPECT_NE(tif.pages[1].text.find("Lopez"), std::string::npos);
}

TEST(Ocr, OffMeansAWarningNotText) {
  ExtractOptions o;
  o.ocr = false;
  Document d = extract_document(fixture("docs/scanned_rotated.pdf"), "scan.pdf", o);
  EXPECT_EQ(d.ocr_pages(), 0);
  EXPECT_FALSE(d.warnings.empty());
}

TEST(Ocr, UninstalledLanguageIsATypedErrorNotAWarning) {
  ExtractOptions o;
  o.ocr_language = "xyz";  // no tesseract-ocr-xyz
  Document d = extract_document(fixture("docs/mixed_text_and_scan.pdf"), "mixed.pdf", o);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kUnreadableDocument);
  EXPECT_EQ(d.error->message, "OCR unavailable: Tesseract could not load language 'xyz'");
  EXPECT_EQ(d.ocr_pages(), 0);
  EXPECT_NE(d.pages[0].text.find("Performance Objectives"), std::string::npos);  // the text layer stays
}

TEST(OcrDeadline, TinyDeadlineStopsOcrEarlyAndKeepsThePages) {
  // Three scanned pages, ~0.3-1 s of OCR each on one thread, within 0.25 s: OCR stops at the
  // deadline (Tesseract's monitor inside a page, the page loop between pages). The limit is well
  // under one page's cost so a fast machine cannot finish all three in time.
  ExtractOptions o;
  o.ocr_threads = 1;
  o.limits.max_seconds = 0.25;
  Stopwatch clock;
  Document d = extract_document(fixture("docs/scanned_rotated.pdf"), "scan.pdf", o);
  std::printf("scanned_rotated.pdf, limit 0.25 s: returned after %.2f s with %d of 3 pages OCR'd\n", clock.seconds(),
              d.ocr_pages());
  EXPECT_LT(clock.seconds(), 30);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
  EXPECT_EQ(d.error->message, "time limit 0.25 s (read " + std::to_string(d.ocr_pages()) + " of 3 pages)");
  EXPECT_LT(d.ocr_pages(), 3);
  EXPECT_EQ(d.pages.size(), 3u);  // the text pass read every page; OCR did not finish them
}

TEST(OcrDeadline, AnImageThatDecodesToABombIsNotDrawn) {
  // Page 2: no text, one image whose dictionary says 1000 x 1000 and whose JBIG2 data declares
  // 100000 x 100000. Finding the scan image or rendering the page would run Poppler's JBIG2
  // decoder to the end (2.5 minutes under a 10 s limit before); it is refused from its headers.
  ExtractOptions o;
  o.ocr_threads = 1;
  o.limits.max_seconds = 20;
  Stopwatch clock;
  Document d = extract_document(fixture("docs/jbig2_image_bomb.pdf"), "bomb.pdf", o);
  std::printf("jbig2_image_bomb.pdf with OCR, limit 20 s: returned after %.2f s\n", clock.seconds());
  EXPECT_LT(clock.seconds(), 30);
  ASSERT_FALSE(d.error) << d.error->message;
  ASSERT_EQ(d.pages.size(), 3u);
  EXPECT_EQ(d.warnings, (std::vector<std::string>{
                            "page 2: OCR render: an image of 10000000000 pixels (limit 100000000) was not drawn"}));
  EXPECT_NE(d.pages[2].text.find("Page three"), std::string::npos);
}

TEST(OcrDeadline, TesseractStopsInsideAPage) {
  std::string png = fixture("docs/scan_form.png");
  PixPtr pix(pixReadMem(reinterpret_cast<const l_uint8*>(png.data()), png.size()));
  ASSERT_TRUE(pix);
  OcrEngine engine("eng");
  ASSERT_TRUE(engine.ok());
  Page page;
  Status st = engine.recognise(pix.get(), 200, 0.01, page);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, Code::kLimitExceeded);
  EXPECT_FALSE(page.ocr);
  Page full;
  EXPECT_TRUE(engine.recognise(pix.get(), 200, 60, full));  // the same engine reads it given the time
  EXPECT_NE(full.text.find("Sponsoring Agency"), std::string::npos);
}

}  // namespace
}  // namespace clee
