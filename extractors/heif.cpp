#include "extractors/heif.h"

#include <leptonica/allheaders.h>
#include <libheif/heif.h>

#include <cstdlib>
#include <memory>
#include <mutex>

#include "extractors/ocr.h"
#include "extractors/util.h"

namespace clee {
namespace {

struct ContextFree {
  void operator()(heif_context* c) const { heif_context_free(c); }
};
struct HandleRelease {
  void operator()(heif_image_handle* h) const { heif_image_handle_release(h); }
};
struct ImageRelease {
  void operator()(heif_image* i) const { heif_image_release(i); }
};
struct OptionsFree {
  void operator()(heif_decoding_options* o) const { heif_decoding_options_free(o); }
};
struct PixFree {
  void operator()(Pix* p) const { pixDestroy(&p); }
};

void init_heif() {
  static std::once_flag once;
  std::call_once(once, [] { heif_init(nullptr); });  // loads decoder plugins; never deinitialised
}

Error heif_failure(const char* what, const heif_error& e) {
  return Error{Code::kUnreadableDocument, std::string(what) + ": " + sanitize_utf8(e.message ? e.message : "")};
}

// The primary image as an 8 bpp Leptonica image (luma, transformations applied).
Result<std::unique_ptr<Pix, PixFree>> decode(std::string_view bytes, const Limits& limits) {
  init_heif();
  std::unique_ptr<heif_context, ContextFree> ctx(heif_context_alloc());
  if (!ctx) return Error{Code::kUnreadableDocument, "libheif: out of memory"};
  heif_error err = heif_context_read_from_memory_without_copy(ctx.get(), bytes.data(), bytes.size(), nullptr);
  if (err.code != heif_error_Ok) return heif_failure("not a readable HEIF image", err);
  heif_image_handle* raw = nullptr;
  err = heif_context_get_primary_image_handle(ctx.get(), &raw);
  if (err.code != heif_error_Ok) return heif_failure("no primary image", err);
  std::unique_ptr<heif_image_handle, HandleRelease> handle(raw);
  // The header's size, before any tile is decoded.
  uint64_t w = static_cast<uint64_t>(std::max(0, heif_image_handle_get_width(handle.get())));
  uint64_t h = static_cast<uint64_t>(std::max(0, heif_image_handle_get_height(handle.get())));
  if (w == 0 || h == 0) return Error{Code::kUnreadableDocument, "the HEIF image has no size"};
  if (w * h > limits.max_image_pixels)
    return Error{Code::kLimitExceeded, "image is " + std::to_string(w) + "x" + std::to_string(h) + " pixels (limit " +
                                           std::to_string(limits.max_image_pixels) + ")"};
  std::unique_ptr<heif_decoding_options, OptionsFree> opts(heif_decoding_options_alloc());
  opts->ignore_transformations = 0;
  opts->convert_hdr_to_8bit = 1;
  // The decoder's own layout first: a YCbCr or monochrome image has its luma plane ready. An RGB
  // or deeper-than-8-bit one is decoded again as 8-bit RGB and turned to gray here.
  heif_image* img_raw = nullptr;
  err = heif_decode_image(handle.get(), &img_raw, heif_colorspace_undefined, heif_chroma_undefined, opts.get());
  if (err.code != heif_error_Ok) return heif_failure("the HEIF image cannot be decoded", err);
  std::unique_ptr<heif_image, ImageRelease> img(img_raw);
  heif_colorspace cs = heif_image_get_colorspace(img.get());
  bool luma = (cs == heif_colorspace_YCbCr || cs == heif_colorspace_monochrome) &&
              heif_image_get_bits_per_pixel_range(img.get(), heif_channel_Y) == 8;
  if (!luma) {
    img.reset();
    err = heif_decode_image(handle.get(), &img_raw, heif_colorspace_RGB, heif_chroma_interleaved_RGB, opts.get());
    if (err.code != heif_error_Ok) return heif_failure("the HEIF image cannot be decoded", err);
    img.reset(img_raw);
  }
  heif_channel channel = luma ? heif_channel_Y : heif_channel_interleaved;
  int stride = 0;
  const uint8_t* plane = heif_image_get_plane_readonly(img.get(), channel, &stride);
  int pw = heif_image_get_width(img.get(), channel), ph = heif_image_get_height(img.get(), channel);
  if (!plane || pw <= 0 || ph <= 0) return Error{Code::kUnreadableDocument, "the HEIF image has no pixels"};
  std::unique_ptr<Pix, PixFree> pix(pixCreate(pw, ph, 8));
  if (!pix) return Error{Code::kLimitExceeded, "memory limit reached"};
  l_uint32* data = pixGetData(pix.get());
  int wpl = pixGetWpl(pix.get());
  for (int y = 0; y < ph; ++y) {
    l_uint32* line = data + static_cast<ptrdiff_t>(y) * wpl;
    const uint8_t* row = plane + static_cast<ptrdiff_t>(y) * stride;
    for (int x = 0; x < pw; ++x) {
      // Rec. 601 luma from RGB, in integers.
      int v = luma ? row[x] : (299 * row[3 * x] + 587 * row[3 * x + 1] + 114 * row[3 * x + 2]) / 1000;
      SET_DATA_BYTE(line, x, v);
    }
  }
  return pix;
}

}  // namespace

Document extract_heif(std::string_view bytes, const std::string& name, const ExtractOptions& options) {
  auto pix = decode(bytes, options.limits);
  if (!pix) {
    Document doc;
    doc.name = name;
    doc.format = Format::kImage;
    doc.error = pix.error();
    return doc;
  }
  // Through the image path as an uncompressed PGM: the same OCR, limits and warnings as a JPEG.
  l_uint8* mem = nullptr;
  size_t size = 0;
  if (pixWriteMem(&mem, &size, pix->get(), IFF_PNM) != 0 || !mem) {
    Document doc;
    doc.name = name;
    doc.format = Format::kImage;
    doc.error = Error{Code::kUnreadableDocument, "the decoded HEIF image cannot be handed to OCR"};
    return doc;
  }
  std::unique_ptr<l_uint8, decltype(&lept_free)> owned(mem, &lept_free);
  pix->reset();
  return extract_image(std::string_view(reinterpret_cast<const char*>(mem), size), name, options);
}

}  // namespace clee
