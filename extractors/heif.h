// HEIC/HEIF photos (iPhones' default) and AVIF images, decoded with libheif into the image OCR
// path (ocr.h's extract_image), so a phone photo of a CV reads like a JPEG of one.
//
// The primary image's size is checked against limits.max_image_pixels from the file's header
// before anything is decoded (libheif reads the item properties without decoding tiles). The
// image is decoded to 8-bit luma with its HEIF transformations applied (irot/imir/clap: the
// container's own orientation, which is authoritative in HEIF; an EXIF orientation tag, when a
// camera also writes one, describes the same turn and is not applied a second time), then handed
// to extract_image as an in-memory PGM; Tesseract's orientation detection turns it upright as it
// does a JPEG. One Page (the primary image; thumbnails, depth maps and bursts are not read).
// Typed errors: not decodable → unreadable_document; too many pixels → limit_exceeded.
#pragma once

#include <string>
#include <string_view>

#include "extractors/document.h"
#include "extractors/limits.h"

namespace clee {

Document extract_heif(std::string_view bytes, const std::string& name, const ExtractOptions& options);

}  // namespace clee
