// Drawing one PDF page within a deadline (display_page in pdf.h).
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
#include <poppler/OutputDev.h>
#include <poppler/PDFDoc.h>
#include <poppler/Page.h>
#include <poppler/Stream.h>

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

}  // namespace

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
