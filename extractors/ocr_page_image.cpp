// Finds and decodes the single full-page scan image of a PDF page (see ocr_page_image.h).
#include "extractors/ocr_page_image.h"

#include <poppler/GfxState.h>
#include <poppler/OutputDev.h>
#include <poppler/PDFDoc.h>
#include <poppler/Stream.h>

#include "extractors/pdf.h"

#include <array>
#include <cmath>

namespace clee {
namespace {

// An OutputDev that draws nothing: it records whether the page is exactly one large image and
// decodes that image. Anything else on the page (vector paths, visible text, masks, a second image)
// marks the page as not a plain scan.
class ScanImageDev : public OutputDev {
 public:
  explicit ScanImageDev(uint64_t max_pixels) : max_pixels_(max_pixels) {}

  bool upsideDown() override { return true; }  // device y grows downwards, as in a raster
  bool useDrawChar() override { return true; }
  bool interpretType3Chars() override { return false; }
  bool needCharCount() override { return false; }

  void stroke(GfxState*) override { plain_ = false; }
  void fill(GfxState*) override { plain_ = false; }
  void eoFill(GfxState*) override { plain_ = false; }
  void drawChar(GfxState* state, double, double, double, double, double, double, CharCode, int,
                const Unicode*, int) override {
    if (state->getRender() != 3) plain_ = false;  // mode 3 = invisible (an OCR layer)
  }
  void drawImageMask(GfxState*, Object*, Stream*, int, int, bool, bool, bool) override { plain_ = false; }
  void drawMaskedImage(GfxState*, Object*, Stream*, int, int, GfxImageColorMap*, bool, Stream*, int,
                       int, bool, bool) override {
    plain_ = false;
  }
  void drawSoftMaskedImage(GfxState*, Object*, Stream*, int, int, GfxImageColorMap*, bool, Stream*,
                           int, int, GfxImageColorMap*, bool) override {
    plain_ = false;
  }

  void drawImage(GfxState* state, Object*, Stream* str, int width, int height,
                 GfxImageColorMap* map, bool, const int* mask_colors, bool) override {
    if (!plain_ || image_.pix || mask_colors != nullptr || width <= 0 || height <= 0 ||
        decoded_pixels(str, width, height) > max_pixels_) {
      plain_ = false;
      image_.pix.reset();
      return;
    }
    // The image's unit square → device (points, y down): [a b c d e f].
    const double* m = state->getCTM();
    double a = m[0], b = m[1], c = m[2], d = m[3];
    bool straight = std::abs(b) < 1e-6 && std::abs(c) < 1e-6 && std::abs(a) > 1e-6 && std::abs(d) > 1e-6;
    bool turned = std::abs(a) < 1e-6 && std::abs(d) < 1e-6 && std::abs(b) > 1e-6 && std::abs(c) > 1e-6;
    double page_area = state->getPageWidth() * state->getPageHeight();
    double area = std::abs(a * d - b * c);
    if ((!straight && !turned) || page_area <= 0 || area < 0.8 * page_area) {
      plain_ = false;
      return;
    }
    PixPtr gray = decode_gray(str, width, height, map);
    if (!gray) {
      plain_ = false;
      return;
    }
    image_.dpi = static_cast<int>(std::lround(width * 72.0 / std::hypot(a, b)));
    image_.pix = orient(std::move(gray), a, b, c, d, straight);
  }

  // The image when the page was exactly one full-page image.
  PageImage take() { return plain_ && image_.pix ? std::move(image_) : PageImage{}; }

 private:
  // Decodes through Poppler's colour map (any colour space, 1–16 bits) to 8-bit gray.
  static PixPtr decode_gray(Stream* str, int width, int height, GfxImageColorMap* map) {
    if (map == nullptr || !map->isOk()) return nullptr;
    int comps = map->getNumPixelComps(), bits = map->getBits();
    if (comps < 1 || comps > 4 || bits < 1 || bits > 8) return nullptr;
    PixPtr pix(pixCreate(width, height, 8));
    if (!pix) return nullptr;
    // One component: every possible value mapped once (DeviceGray, Indexed, 1-bit fax scans).
    std::array<unsigned char, 256> table{};
    if (comps == 1) {
      for (int v = 0; v < (1 << bits); ++v) {
        unsigned char in = static_cast<unsigned char>(v);
        GfxGray g;
        map->getGray(&in, &g);
        table[static_cast<size_t>(v)] = colToByte(g);
      }
    }
    ImageStream image(str, width, comps, bits);
    image.reset();
    l_uint32* data = pixGetData(pix.get());
    int wpl = pixGetWpl(pix.get());
    bool ok = true;
    for (int y = 0; y < height && ok; ++y) {
      unsigned char* line = image.getLine();
      if (line == nullptr) {
        ok = false;
        break;
      }
      l_uint32* row = data + static_cast<ptrdiff_t>(y) * wpl;
      if (comps == 1) {
        for (int x = 0; x < width; ++x) SET_DATA_BYTE(row, x, table[line[x]]);
      } else {
        for (int x = 0; x < width; ++x) {
          GfxGray g;
          map->getGray(line + static_cast<ptrdiff_t>(x) * comps, &g);
          SET_DATA_BYTE(row, x, colToByte(g));
        }
      }
    }
    image.close();
    if (!ok) return nullptr;
    return pix;
  }

  // Turns the decoded rows into the orientation the page displays them in. Image row 0 is the
  // top of the unit square (y = 1); with device y down, an upright image has a > 0 and d < 0.
  static PixPtr orient(PixPtr pix, double a, double b, double c, double d, bool straight) {
    Pix* p = pix.get();
    Pix* out = nullptr;
    if (straight) {
      if (a > 0 && d < 0) return pix;
      if (a < 0 && d > 0) out = pixRotateOrth(p, 2);
      else if (a > 0) out = pixFlipTB(nullptr, p);   // d > 0: mirrored top to bottom
      else out = pixFlipLR(nullptr, p);              // a < 0, d < 0: mirrored left to right
    } else {
      // Columns run along device y (sign of b), rows along device x (against the sign of c).
      if (b > 0 && c > 0) out = pixRotateOrth(p, 1);       // clockwise
      else if (b < 0 && c < 0) out = pixRotateOrth(p, 3);  // counter-clockwise
      else {
        PixPtr r(pixRotateOrth(p, b > 0 ? 1 : 3));
        out = r ? pixFlipLR(nullptr, r.get()) : nullptr;  // transposed: a turn and a mirror
      }
    }
    return PixPtr(out);
  }

  uint64_t max_pixels_;
  bool plain_ = true;
  PageImage image_;
};

}  // namespace

PageImage embedded_page_image(PDFDoc& pdf, int page, uint64_t max_pixels, Deadline& deadline) {
  ScanImageDev dev(max_pixels);
  // 72 DPI: device units are points; nothing is rasterised by this device.
  display_page(pdf, page, &dev, 72, deadline, nullptr);
  if (deadline.hit()) return PageImage{};
  return dev.take();
}

}  // namespace clee
