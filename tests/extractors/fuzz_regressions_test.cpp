// Inputs the fuzz targets (fuzz/) found to crash or misbehave in extractors/, as unit tests of
// the behaviour that fixed them. The inputs are in fuzz/regressions/<target>/ and are also
// replayed through the targets by the fuzz.<target> tests.
#include <gtest/gtest.h>

#include <string>

#include "extractors/extract.h"
#include "test_util.h"

namespace clee {
namespace {

std::string regression(const char* path) { return read_file(std::string(CLEE_SOURCE_DIR "/fuzz/regressions/") + path); }

// sniff_fuzz: "RIFF" and one more byte made sniff() read 4 bytes at offset 8 (std::out_of_range,
// thrown before extract_document's try: `check` on a packet holding it stopped with that message).
TEST(FuzzRegressions, AShortRiffHeaderIsNotAWebpAndDoesNotThrow) {
  std::string riff = regression("sniff/riff_header_5_bytes.bin");
  ASSERT_EQ(riff.substr(0, 4), "RIFF");
  ASSERT_LT(riff.size(), 12u);
  for (size_t n = 0; n <= riff.size(); ++n) {
    std::string head = riff.substr(0, n);
    EXPECT_NO_THROW(sniff(head)) << n << " bytes";
  }
  EXPECT_NE(sniff(riff), Format::kImage);
  Document d;
  ASSERT_NO_THROW(d = extract_document(riff, "photo.webp", no_ocr()));
  EXPECT_EQ(d.name, "photo.webp");
  EXPECT_EQ(d.bytes, riff.size());
  // A real WebP header (12 bytes: RIFF, size, WEBP) is still an image.
  EXPECT_EQ(sniff(std::string("RIFF\x24\0\0\0WEBPVP8 ", 16)), Format::kImage);
}

}  // namespace
}  // namespace clee
