// A Splash output device that refuses to decode images past a pixel limit, and the conversion of
// its 8-bit gray bitmap to a Leptonica Pix. Shared by OCR (pages rendered for Tesseract) and the
// reviewer pages' page images (app/web/page_images.h).
#pragma once

#include <poppler/SplashOutputDev.h>
#include <poppler/splash/SplashBitmap.h>

#include <cstdint>
#include <string>
#include <vector>

#include "extractors/ocr_page_image.h"
#include "extractors/pdf.h"

namespace clee {

// Converts a Splash 8-bit gray bitmap to a Leptonica 8 bpp Pix.
inline PixPtr bitmap_to_pix(SplashBitmap* bm) {
  int w = bm->getWidth(), h = bm->getHeight();
  PixPtr pix(pixCreate(w, h, 8));
  if (!pix) return pix;
  l_uint32* data = pixGetData(pix.get());
  int wpl = pixGetWpl(pix.get());
  const unsigned char* src = bm->getDataPtr();
  for (int y = 0; y < h; ++y) {
    l_uint32* line = data + static_cast<ptrdiff_t>(y) * wpl;
    const unsigned char* row = src + static_cast<size_t>(y) * static_cast<size_t>(bm->getRowSize());
    for (int x = 0; x < w; ++x) SET_DATA_BYTE(line, x, row[x]);
  }
  return pix;
}

// Splash, except that an image decoding to more than `max_pixels` is not drawn: its decoder would
// run to the end (a JBIG2 or JPX bitmap of 10^10 pixels takes minutes) and no deadline reaches
// inside it. The page is rendered without it, and `skipped` says so.
class BoundedSplash : public SplashOutputDev {
 public:
  BoundedSplash(uint64_t max_pixels, SplashColor paper)
      : SplashOutputDev(splashModeMono8, 4, false, paper), max_pixels_(max_pixels) {}

  std::vector<std::string> skipped;

  void drawImage(GfxState* state, Object* ref, Stream* str, int width, int height, GfxImageColorMap* map,
                 bool interpolate, const int* mask_colors, bool inline_img) override {
    if (refused(str, width, height)) return OutputDev::drawImage(state, ref, str, width, height, map, interpolate,
                                                                 mask_colors, inline_img);  // skips inline data
    SplashOutputDev::drawImage(state, ref, str, width, height, map, interpolate, mask_colors, inline_img);
  }
  void drawImageMask(GfxState* state, Object* ref, Stream* str, int width, int height, bool invert,
                     bool interpolate, bool inline_img) override {
    if (refused(str, width, height))
      return OutputDev::drawImageMask(state, ref, str, width, height, invert, interpolate, inline_img);
    SplashOutputDev::drawImageMask(state, ref, str, width, height, invert, interpolate, inline_img);
  }
  void setSoftMaskFromImageMask(GfxState* state, Object* ref, Stream* str, int width, int height, bool invert,
                                bool inline_img, double* base_matrix) override {
    // Its matching unset pops a transparency group that a skipped set never pushed: remember.
    bool skip = refused(str, width, height);
    soft_mask_skipped_.push_back(skip);
    if (skip) return OutputDev::drawImageMask(state, ref, str, width, height, invert, false, inline_img);
    SplashOutputDev::setSoftMaskFromImageMask(state, ref, str, width, height, invert, inline_img, base_matrix);
  }
  void unsetSoftMaskFromImageMask(GfxState* state, double* base_matrix) override {
    bool skipped_set = !soft_mask_skipped_.empty() && soft_mask_skipped_.back();
    if (!soft_mask_skipped_.empty()) soft_mask_skipped_.pop_back();
    if (!skipped_set) SplashOutputDev::unsetSoftMaskFromImageMask(state, base_matrix);
  }
  void drawMaskedImage(GfxState* state, Object* ref, Stream* str, int width, int height, GfxImageColorMap* map,
                       bool interpolate, Stream* mask, int mask_width, int mask_height, bool mask_invert,
                       bool mask_interpolate) override {
    if (refused(str, width, height) || refused(mask, mask_width, mask_height)) return;
    SplashOutputDev::drawMaskedImage(state, ref, str, width, height, map, interpolate, mask, mask_width, mask_height,
                                     mask_invert, mask_interpolate);
  }
  void drawSoftMaskedImage(GfxState* state, Object* ref, Stream* str, int width, int height, GfxImageColorMap* map,
                           bool interpolate, Stream* mask, int mask_width, int mask_height,
                           GfxImageColorMap* mask_map, bool mask_interpolate) override {
    if (refused(str, width, height) || refused(mask, mask_width, mask_height)) return;
    SplashOutputDev::drawSoftMaskedImage(state, ref, str, width, height, map, interpolate, mask, mask_width,
                                         mask_height, mask_map, mask_interpolate);
  }

 private:
  bool refused(Stream* str, int width, int height) {
    uint64_t pixels = decoded_pixels(str, width, height);
    if (pixels <= max_pixels_) return false;
    skipped.push_back("an image of " + std::to_string(pixels) + " pixels (limit " + std::to_string(max_pixels_) +
                      ") was not drawn");
    return true;
  }

  uint64_t max_pixels_;
  std::vector<bool> soft_mask_skipped_;
};

}  // namespace clee
