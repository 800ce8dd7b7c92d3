// Orientation by a cheap test first (issue 14): a 300-DPI scan, upright or turned any quarter,
// is read upright without making the OSD engine at all (Leptonica's ascender/descender test is
// sure of it), while a page with too little text for that test still goes to OSD.
#include <gtest/gtest.h>
#include <poppler/PDFDoc.h>

#include "extractors/deadline.h"
#include "extractors/ocr_engine.h"
#include "extractors/ocr_page_image.h"
#include "extractors/pdf.h"
#include "test_util.h"

namespace clee {
namespace {

PixPtr dense_scan() {
  static const std::string bytes = fixture("docs/scan_dense_300dpi.pdf");
  auto pdf = open_pdf(bytes);
  if (!pdf) return nullptr;
  Deadline generous(60);
  return std::move(embedded_page_image(**pdf, 1, 100'000'000, generous).pix);
}

// Each test has the dense scan and a fresh engine (no OSD engine made yet).
class OcrOrientation : public ::testing::Test {
 protected:
  void SetUp() override {
    pix_ = dense_scan();
    ASSERT_TRUE(pix_);
    ASSERT_TRUE(engine.ok());
  }
  PixPtr pix_;
  OcrEngine engine{"eng"};
};

TEST_F(OcrOrientation, UprightPageNeedsNoOsd) {
  Pix* pix = pix_.get();
  Page page;
  ASSERT_TRUE(engine.recognise(pix, 300, 120, page));
  EXPECT_EQ(page.rotation, 0);
  EXPECT_GT(page.ocr_confidence, 80);
  EXPECT_FALSE(engine.osd_loaded()) << "OSD was made for a page Leptonica is sure is upright";
}

// The reading resolution (issue 14): the dense scan's 10-pt text is 24 px tall at 300 DPI, more
// than the recogniser needs, so it is read from a smaller image; its words and size in points are
// the full page's. Scanned at 200 DPI (16 px) the same page is read as it came.
TEST_F(OcrOrientation, LargeTextIsReadAtALowerResolution) {
  Pix* pix = pix_.get();
  Page page;
  ASSERT_TRUE(engine.recognise(pix, 300, 120, page));
  EXPECT_LT(page.ocr_dpi, 270);
  EXPECT_GE(page.ocr_dpi, 200);
  EXPECT_NEAR(page.width, pixGetWidth(pix) * 72.0 / 300, 1.0);
  EXPECT_NEAR(page.height, pixGetHeight(pix) * 72.0 / 300, 1.0);
  ASSERT_FALSE(page.words.empty());
  double right = 0;
  for (const auto& w : page.words) right = std::max(right, w.box.x1);
  EXPECT_GT(right, page.width / 2) << "boxes in points of the full page";
  EXPECT_LT(right, page.width);
  EXPECT_TRUE(page.text.find("Course") != std::string::npos || page.text.find("course") != std::string::npos);

  PixPtr at200(pixScaleGeneral(pix, 2.0f / 3, 2.0f / 3, 0.0f, 0));
  ASSERT_TRUE(at200);
  Page small;
  ASSERT_TRUE(engine.recognise(at200.get(), 200, 120, small));
  EXPECT_EQ(small.ocr_dpi, 200);
  EXPECT_NEAR(small.width, page.width, 1.0);
  EXPECT_EQ(small.text.substr(0, 200), page.text.substr(0, 200));
}

TEST_F(OcrOrientation, TurnedPagesAreReadUprightWithoutOsd) {
  Pix* pix = pix_.get();
  Page upright;
  ASSERT_TRUE(engine.recognise(pix, 300, 120, upright));
  for (int quads : {1, 2, 3}) {  // turned 90, 180 and 270 degrees clockwise
    PixPtr turned(pixRotateOrth(pix, quads));
    ASSERT_TRUE(turned);
    Page page;
    ASSERT_TRUE(engine.recognise(turned.get(), 300, 120, page));
    EXPECT_EQ(page.rotation, (360 - 90 * quads) % 360) << "turned " << 90 * quads;
    EXPECT_GT(page.ocr_confidence, 80);
    EXPECT_EQ(page.text.substr(0, 200), upright.text.substr(0, 200));
    EXPECT_EQ(page.width, upright.width) << "the upright page's size, in points";
  }
  EXPECT_FALSE(engine.osd_loaded()) << "OSD was made for pages Leptonica is sure of";
}

// The top sixth of the page (ten lines) is too little for Leptonica's test (it scores 7.1 of the
// 8 it needs): turned upside down, OSD decides.
TEST_F(OcrOrientation, TooLittleTextForTheCheapTestGoesToOsd) {
  Pix* pix = pix_.get();
  std::unique_ptr<BOX, void (*)(BOX*)> top(boxCreate(0, 0, pixGetWidth(pix), pixGetHeight(pix) / 6),
                                           [](BOX* b) { boxDestroy(&b); });
  PixPtr lines(pixClipRectangle(pix, top.get(), nullptr));
  ASSERT_TRUE(lines);
  Page upright;
  ASSERT_TRUE(engine.recognise(lines.get(), 300, 120, upright));
  EXPECT_EQ(upright.rotation, 0);
  PixPtr turned(pixRotateOrth(lines.get(), 2));
  Page page;
  ASSERT_TRUE(engine.recognise(turned.get(), 300, 120, page));
  EXPECT_TRUE(engine.osd_loaded());
  EXPECT_EQ(page.rotation, 180);
  EXPECT_GT(page.ocr_confidence, 80);
  EXPECT_EQ(page.text.substr(0, 200), upright.text.substr(0, 200));
}

}  // namespace
}  // namespace clee
