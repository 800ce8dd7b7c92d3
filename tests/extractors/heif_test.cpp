// HEIC photos (heif-enc from a rendered CV page) through libheif into OCR: upright and sideways,
// the pixel limit checked before decoding, damaged files typed.
#include <gtest/gtest.h>

#include "extractors/extract.h"
#include "extractors/heif.h"
#include "extractors/sniff.h"
#include "test_util.h"

namespace clee {
namespace {

bool has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

ExtractOptions ocr_options() {
  ExtractOptions o;
  o.ocr_threads = 1;
  return o;
}

TEST(Heif, SniffedByBrandNotName) {
  Sniffed s = sniff_content(fixture("docs/formats/cv_photo.heic"));
  EXPECT_EQ(s.kind, Kind::kHeif);
  EXPECT_EQ(s.format, Format::kImage);
  EXPECT_EQ(s.mime, "image/heic");
  // An MP4 video has an ftyp box too, with another brand: not an image.
  std::string mp4("\0\0\0\x18" "ftypisom\0\0\x02\0isomiso2", 24);
  EXPECT_NE(sniff_content(mp4).kind, Kind::kHeif);
}

TEST(Heif, PhotoOfACvIsOcrd) {
  Document d = extract_document(fixture("docs/formats/cv_photo.heic"), "IMG_4512.HEIC", ocr_options());
  ASSERT_FALSE(d.error) << d.error->message;
  EXPECT_EQ(d.format, Format::kImage);
  EXPECT_EQ(d.mime, "image/heic");
  ASSERT_EQ(d.pages.size(), 1u);
  EXPECT_TRUE(d.pages[0].ocr);
  EXPECT_TRUE(has(d.pages[0].text, "Maria T. Lopez")) << d.pages[0].text;
  EXPECT_TRUE(has(d.pages[0].text, "Drexel University"));
}

TEST(Heif, SidewaysPhotoIsTurnedUpright) {
  Document d = extract_document(fixture("docs/formats/cv_photo_sideways.heic"), "IMG_4513.HEIC", ocr_options());
  ASSERT_FALSE(d.error) << d.error->message;
  ASSERT_EQ(d.pages.size(), 1u);
  EXPECT_NE(d.pages[0].rotation, 0);
  EXPECT_TRUE(has(d.pages[0].text, "Maria T. Lopez")) << d.pages[0].text;
}

TEST(Heif, PixelLimitFromTheHeaderAndDamage) {
  ExtractOptions o = no_ocr();
  o.limits.max_image_pixels = 100'000;  // the photo is ~1275x1650
  Document d = extract_heif(fixture("docs/formats/cv_photo.heic"), "big.heic", o);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
  EXPECT_TRUE(has(d.error->message, "pixels"));
  std::string heic = fixture("docs/formats/cv_photo.heic");
  for (size_t n : {size_t{16}, size_t{200}, heic.size() / 3, heic.size() - 100}) {
    Document cut = extract_heif(std::string_view(heic).substr(0, n), "cut.heic", no_ocr());
    ASSERT_TRUE(cut.error) << n;
    EXPECT_EQ(cut.error->code, Code::kUnreadableDocument) << n;
  }
}

}  // namespace
}  // namespace clee
