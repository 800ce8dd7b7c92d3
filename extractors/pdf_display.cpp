// Drawing one PDF page within its limits (display_page, decoded_pixels in pdf.h).
//
// Why not PDFDoc::displayPage with an abort callback alone: Gfx polls the callback between
// operators, but one operator can take as long as the file likes. pdf.js's bomb_giant.pdf has
// three page content streams encoded with JBIG2Decode, each a 100000 × 100000 bitmap: the first
// getChar() of each makes Poppler's JBIG2 decoder run the whole generic region (10^10 pixels,
// ~20-30 s each on this machine, 1.16 GB each) before the lexer sees a byte — pdftotext takes
// 28 s, our extraction took 55-93 s under a 20 s or 3 s limit. So this file does what
// Page::displaySlice does (Poppler 22.12: createGfx, display the contents, draw the
// annotations) with the page's content streams wrapped in a GuardStream.
#include <poppler/Annot.h>
#include <poppler/Array.h>
#include <poppler/Gfx.h>
#include <poppler/JBIG2Stream.h>
#include <poppler/OutputDev.h>
#include <poppler/PDFDoc.h>
#include <poppler/Page.h>
#include <poppler/Stream.h>

#include <algorithm>
#include <memory>

#include "extractors/pdf.h"

namespace clee {
namespace {

// Codecs that make pixels. A content stream is PDF operators, so one of these in its filter chain
// is an error at best and a decompression bomb at worst.
const char* image_codec(Stream* s) {
  for (; s != nullptr; s = s->getNextStream()) {
    switch (s->getKind()) {
      case strJBIG2: return "JBIG2Decode";
      case strJPX: return "JPXDecode";
      case strDCT: return "DCTDecode";
      case strCCITTFax: return "CCITTFaxDecode";
      default: break;
    }
  }
  return nullptr;
}

// A content stream as the lexer sees it: the real stream, until the deadline passes (checked at
// reset and every few kilobytes read); then end of stream. Holds a reference to the real stream.
class GuardStream : public Stream {
 public:
  GuardStream(Object inner, Deadline* deadline, bool refused)
      : inner_(std::move(inner)), deadline_(deadline), refused_(refused) {}

  StreamKind getKind() const override { return strWeird; }
  void reset() override {
    close();
    if (refused_ || deadline_->passed()) return;
    inner_.streamReset();
    open_ = true;
  }
  void close() override {
    if (open_) inner_.streamClose();
    open_ = false;
  }
  int getChar() override {
    if (!open_) return EOF;
    if ((++read_ & (kCheckEvery - 1)) == 0 && deadline_->passed()) {
      close();
      return EOF;
    }
    return inner_.streamGetChar();
  }
  int lookChar() override { return open_ ? inner().lookChar() : EOF; }
  int getUnfilteredChar() override { return open_ ? inner().getUnfilteredChar() : EOF; }
  void unfilteredReset() override { inner().unfilteredReset(); }
  Goffset getPos() override { return inner().getPos(); }
  void setPos(Goffset pos, int dir) override { inner().setPos(pos, dir); }
  bool isBinary(bool last) const override { return inner_.getStream()->isBinary(last); }
  BaseStream* getBaseStream() override { return inner().getBaseStream(); }
  Stream* getUndecodedStream() override { return inner().getUndecodedStream(); }
  Dict* getDict() override { return inner().getDict(); }
  Object* getDictObject() override { return inner().getDictObject(); }

 private:
  static constexpr unsigned kCheckEvery = 4096;  // a power of two
  Stream& inner() { return *inner_.getStream(); }

  Object inner_;
  Deadline* deadline_;
  bool refused_;
  bool open_ = false;
  unsigned read_ = 0;
};

// The page's contents (a stream or an array of streams) as an array of guarded streams. Elements
// that are not streams are kept as they are, so Gfx refuses the page as it would have.
Object guarded_contents(Object contents, XRef* xref, Deadline& deadline, int page,
                        std::vector<std::string>* warnings) {
  auto* out = new Array(xref);
  Object result(out);
  auto add = [&](Object part, int index) {
    if (!part.isStream()) {
      out->add(std::move(part));
      return;
    }
    const char* codec = image_codec(part.getStream());
    if (codec && warnings)
      warnings->push_back("page " + std::to_string(page) + ": content stream " + std::to_string(index + 1) +
                          " is encoded as an image (" + codec + "): not read");
    out->add(Object(static_cast<Stream*>(new GuardStream(std::move(part), &deadline, codec != nullptr))));
  };
  if (contents.isArray()) {
    for (int i = 0; i < contents.arrayGetLength(); ++i) add(contents.arrayGet(i), i);
  } else {
    add(std::move(contents), 0);
  }
  return result;
}

uint64_t times(uint64_t a, uint64_t b) { return a != 0 && b > UINT64_MAX / a ? UINT64_MAX : a * b; }

uint32_t u32(std::string_view d, size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(d[at])) << 24 |
         static_cast<uint32_t>(static_cast<unsigned char>(d[at + 1])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(d[at + 2])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(d[at + 3]));
}

// Segment types whose data starts with a region segment information field (T.88 7.4.1): text,
// halftone, generic and refinement regions, intermediate and immediate.
bool is_region(unsigned type) {
  switch (type) {
    case 4: case 6: case 7: case 20: case 22: case 23: case 36: case 38: case 39: case 40: case 42: case 43:
      return true;
    default:
      return false;
  }
}

// Up to `max` bytes of a stream's output (the stream is reset and closed again).
std::string head_of(Stream* s, size_t max) {
  std::string out;
  if (s == nullptr) return out;
  s->reset();
  unsigned char buf[4096];
  while (out.size() < max) {
    int n = s->doGetChars(static_cast<int>(std::min(sizeof buf, max - out.size())), buf);
    if (n <= 0) break;
    out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
  }
  s->close();
  return out;
}

}  // namespace

uint64_t jbig2_declared_pixels(std::string_view d) {
  uint64_t most = 0, page_width = 0;
  size_t at = 0;
  while (at + 6 <= d.size()) {
    const uint32_t number = u32(d, at);
    const unsigned flags = static_cast<unsigned char>(d[at + 4]), type = flags & 0x3f;
    uint64_t refs = static_cast<unsigned char>(d[at + 5]) >> 5;
    at += 6;
    if (refs == 7) {  // long form: a 29-bit count, then one retention bit per segment and itself
      if (at + 3 > d.size()) break;
      refs = u32(d, at - 1) & 0x1fffffff;
      at += 3 + (refs + 9) / 8;  // as Poppler reads it
    }
    at += refs * (number <= 256 ? 1 : number <= 65536 ? 2 : 4);  // referred-to segment numbers
    at += (flags & 0x40) ? 4 : 1;                                // page association
    if (at + 4 > d.size()) break;
    const uint32_t length = u32(d, at);
    at += 4;
    if ((type == 48 || is_region(type)) && at + 8 <= d.size()) {
      uint64_t w = u32(d, at), h = u32(d, at + 4);
      if (type == 48) page_width = w;
      if (type == 48 && h == 0xffffffff) h = 0;  // striped: the regions below say how tall it grows
      most = std::max(most, times(w, h));
      // A region on a striped page grows the page bitmap to its bottom edge.
      if (is_region(type) && at + 16 <= d.size()) most = std::max(most, times(page_width, uint64_t{u32(d, at + 12)} + h));
    }
    if (length == 0xffffffff) break;  // an immediate generic region of unknown length: data to the end
    at += length;
  }
  return most;
}

uint64_t decoded_pixels(Stream* image, int width, int height) {
  uint64_t declared = width > 0 && height > 0 ? times(static_cast<uint64_t>(width), static_cast<uint64_t>(height)) : 0;
  if (image == nullptr || image->getKind() != strJBIG2) return declared;
  constexpr size_t kHead = 1u << 20;
  auto* jbig2 = static_cast<JBIG2Stream*>(image);
  uint64_t segments = jbig2_declared_pixels(head_of(image->getNextStream(), kHead));
  Object* globals = jbig2->getGlobalsStream();
  if (globals != nullptr && globals->isStream())
    segments = std::max(segments, jbig2_declared_pixels(head_of(globals->getStream(), kHead)));
  return std::max(declared, segments);
}

void display_page(PDFDoc& pdf, int number, OutputDev* dev, double dpi, Deadline& deadline,
                  std::vector<std::string>* warnings) {
  ::Page* page = pdf.getPage(number);
  if (page == nullptr || deadline.passed()) return;
  const bool use_media_box = true, crop = false, printing = false;
  if (!dev->checkPageSlice(page, dpi, dpi, 0, use_media_box, crop, -1, -1, -1, -1, printing,
                           Deadline::poppler_abort_check, &deadline))
    return;
  std::unique_ptr<Gfx> gfx(page->createGfx(dev, dpi, dpi, 0, use_media_box, crop, -1, -1, -1, -1, printing,
                                           Deadline::poppler_abort_check, &deadline));
  Object contents = page->getContents();
  if (contents.isArray() || contents.isStream()) {
    Object guarded = guarded_contents(std::move(contents), pdf.getXRef(), deadline, number, warnings);
    gfx->saveState();
    gfx->display(&guarded);
    gfx->restoreState();
  } else {
    dev->dump();  // an empty page: the device still sets itself up
  }
  // Annotations: form fields' appearance streams carry text too. Each is drawn by Gfx, which
  // polls the deadline between operators.
  Annots* annots = page->getAnnots();
  if (annots && !annots->getAnnots().empty() && !deadline.passed()) {
    for (Annot* annot : annots->getAnnots()) {
      if (deadline.passed()) break;
      annot->draw(gfx.get(), printing);
    }
    dev->dump();
  }
}

}  // namespace clee
