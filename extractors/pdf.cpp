// PDF extraction (see pdf.h). Layout decision, measured on fixtures/docs: physical layout keeps a
// table row on one line ("Momentum and energy analysis\t4"), which reading order splits into one
// paragraph per cell; but on a two-column page (a CV) physical layout interleaves the columns line
// by line. So each page is laid out physically, and when Poppler's own flow analysis finds two
// wide, many-line text flows side by side the page's text is rebuilt in reading order from those
// flows (no second rendering: this costs no measurable CPU; rendering the page again cost 2.2× on
// two-column papers. Taking the TextPage out of the device to dump it twice lost the following
// pages' text in Poppler 22.12.)
//
// The same device gives the layout its input at no extra rendering: the words with their boxes and
// fonts (walked from the device's flows) and the rulings the page draws (a TextOutputDev that also
// records thin stroked or filled paths: table borders, fill-in underlines).
#include "extractors/pdf.h"

#include <poppler/Annot.h>
#include <poppler/Catalog.h>
#include <poppler/Error.h>
#include <poppler/ErrorCodes.h>
#include <poppler/Form.h>
#include <poppler/GfxState.h>
#include <poppler/GlobalParams.h>
#include <poppler/PDFDoc.h>
#include <poppler/Stream.h>
#include <poppler/TextOutputDev.h>
#include <poppler/goo/GooString.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>

#include "extractors/layout.h"
#include "extractors/ocr.h"
#include "extractors/util.h"

namespace clee {
namespace {

void poppler_error(ErrorCategory, Goffset pos, const char* msg) {
  spdlog::debug("poppler: {} (at {})", msg, static_cast<long long>(pos));
}

void init_poppler() {
  // Poppler keeps its settings in one process-wide object; set it up exactly once.
  static std::once_flag once;
  std::call_once(once, [] {
    globalParams = std::make_unique<GlobalParams>();
    globalParams->setTextEncoding("UTF-8");
    globalParams->setErrQuiet(false);
    setErrorCallback(poppler_error);
  });
}

std::string goo(const GooString* s) {
  return s ? pdf_string_to_utf8(std::string_view(s->c_str(), s->getLength())) : std::string();
}

void append_text(void* stream, const char* text, int len) {
  static_cast<std::string*>(stream)->append(text, static_cast<size_t>(len));
}

// A text device that also keeps the page's rulings: axis-aligned stroked segments and thin
// filled rectangles, in device space (points, y down). Bounded per page.
class LayoutTextDev : public TextOutputDev {
 public:
  using TextOutputDev::TextOutputDev;
  std::vector<Box> rules;

  void startPage(int page, GfxState* state, XRef* xref) override {
    rules.clear();
    TextOutputDev::startPage(page, state, xref);
  }
  void stroke(GfxState* state) override {
    TextOutputDev::stroke(state);
    record(state, true);
  }
  void fill(GfxState* state) override {
    TextOutputDev::fill(state);
    record(state, false);
  }
  void eoFill(GfxState* state) override {
    TextOutputDev::eoFill(state);
    record(state, false);
  }

 private:
  static constexpr size_t kMaxRules = 5000;
  static constexpr double kThin = 3.0;  // points: thicker is a shape, not a line

  void add(double x0, double y0, double x1, double y1) {
    if (rules.size() >= kMaxRules) return;
    Box b{std::min(x0, x1), std::min(y0, y1), std::max(x0, x1), std::max(y0, y1)};
    double thin = std::min(b.width(), b.height()), length = std::max(b.width(), b.height());
    if (thin <= kThin && length >= 6) rules.push_back(b);
  }

  void record(GfxState* state, bool stroked) {
    const GfxPath* path = state->getPath();
    if (!path) return;
    double half = stroked ? std::max(0.25, state->getTransformedLineWidth() / 2) : 0;
    for (int i = 0; i < path->getNumSubpaths() && rules.size() < kMaxRules; ++i) {
      const GfxSubpath* sp = path->getSubpath(i);
      int n = sp->getNumPoints();
      if (n < 2 || n > 64) continue;  // curves and long polylines are drawings, not rulings
      std::vector<std::pair<double, double>> pts;
      for (int k = 0; k < n; ++k) {
        double x, y;
        state->transform(sp->getX(k), sp->getY(k), &x, &y);
        pts.push_back({x, y});
      }
      if (!stroked) {  // a thin filled rectangle
        double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;
        for (auto [x, y] : pts) {
          x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
        }
        add(x0, y0, x1, y1);
        continue;
      }
      for (size_t k = 1; k <= pts.size(); ++k) {
        if (k == pts.size() && !sp->isClosed()) break;
        auto [ax, ay] = pts[k - 1];
        auto [bx, by] = pts[k % pts.size()];
        if (std::abs(ax - bx) < 0.5) add(ax - half, ay, ax + half, by);
        else if (std::abs(ay - by) < 0.5) add(ax, ay - half, bx, ay + half);
      }
    }
  }
};

bool bold_font(const TextWord* w) {
  const TextFontInfo* fi = w->getFontInfo(0);
  if (!fi) return false;
  if (fi->isBold()) return true;
  const GooString* name = fi->getFontName();
  if (!name) return false;
  std::string n = name->toStr();
  for (auto& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* weight : {"bold", "black", "heavy", "demi", "semibold"})
    if (n.find(weight) != std::string::npos) return true;
  return false;
}

// The page's horizontal words with their boxes and fonts, from the flows the device holds.
std::vector<Word> page_words(const TextOutputDev& dev) {
  std::vector<Word> out;
  for (const TextFlow* f = dev.getFlows(); f; f = f->getNext())
    for (const TextBlock* blk = f->getBlocks(); blk; blk = blk->getNext())
      for (const TextLine* l = blk->getLines(); l; l = l->getNext())
        for (const TextWord* w = l->getWords(); w; w = w->getNext()) {
          if (w->getRotation() != 0 || out.size() >= 2 * kMaxLayoutWords) continue;
          Word word;
          for (int i = 0; i < w->getLength(); ++i) append_utf8(word.text, static_cast<char32_t>(*w->getChar(i)));
          word.text = sanitize_utf8(word.text);
          if (word.text.find_first_not_of(" \t") == std::string::npos) continue;
          w->getBBox(&word.box.x0, &word.box.y0, &word.box.x1, &word.box.y1);
          word.box = round_box(word.box);
          word.font_size = round_pt(w->getFontSize());
          word.bold = bold_font(w);
          out.push_back(std::move(word));
        }
  return out;
}

// A widget's rectangle as the page is read: points from the top-left of the media box, the
// page's /Rotate applied (as the text device places the words).
std::optional<Box> widget_box(PDFDoc& pdf, FormWidget* w, int page_num) {
  ::Page* page = page_num > 0 ? pdf.getPage(page_num) : nullptr;
  if (!page) return std::nullopt;
  double x1, y1, x2, y2;
  w->getRect(&x1, &y1, &x2, &y2);
  GfxState state(72, 72, page->getMediaBox(), page->getRotate(), true);
  double ax, ay, bx, by;
  state.transform(x1, y1, &ax, &ay);
  state.transform(x2, y2, &bx, &by);
  Box b = round_box({std::min(ax, bx), std::min(ay, by), std::max(ax, bx), std::max(ay, by)});
  if (b.empty()) return std::nullopt;
  return b;
}

// Two prose columns side by side: two flows each wider than a quarter of the page, each with at
// least four lines, overlapping vertically by more than half of the shorter one.
bool has_text_columns(const TextOutputDev& dev, double page_width) {
  struct Box {
    double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
    int lines = 0;
  };
  std::vector<Box> flows;
  for (const TextFlow* f = dev.getFlows(); f; f = f->getNext()) {
    Box b;
    for (const TextBlock* blk = f->getBlocks(); blk; blk = blk->getNext()) {
      double x0, y0, x1, y1;
      blk->getBBox(&x0, &y0, &x1, &y1);
      b.x0 = std::min(b.x0, x0);
      b.y0 = std::min(b.y0, y0);
      b.x1 = std::max(b.x1, x1);
      b.y1 = std::max(b.y1, y1);
      for (const TextLine* l = blk->getLines(); l; l = l->getNext()) ++b.lines;
    }
    if (b.lines >= 4 && b.x1 - b.x0 > page_width * 0.25) flows.push_back(b);
  }
  for (size_t i = 0; i < flows.size(); ++i)
    for (size_t j = 0; j < flows.size(); ++j) {
      const Box &a = flows[i], &b = flows[j];
      if (i == j || a.x1 > b.x0 + 2) continue;  // a must sit left of b
      double overlap = std::min(a.y1, b.y1) - std::max(a.y0, b.y0);
      if (overlap > 0.5 * std::min(a.y1 - a.y0, b.y1 - b.y0)) return true;
    }
  return false;
}

// The page's words in Poppler's reading order (flow by flow, as `pdftotext` without -layout
// prints them), rebuilt from the flows the device already holds: no second rendering.
std::string reading_order_text(const TextOutputDev& dev) {
  std::string out;
  for (const TextFlow* f = dev.getFlows(); f; f = f->getNext()) {
    for (const TextBlock* blk = f->getBlocks(); blk; blk = blk->getNext()) {
      for (const TextLine* l = blk->getLines(); l; l = l->getNext()) {
        for (const TextWord* w = l->getWords(); w; w = w->getNext()) {
          for (int i = 0; i < w->getLength(); ++i) append_utf8(out, static_cast<char32_t>(*w->getChar(i)));
          if (w->getNext() && w->getSpaceAfter()) out.push_back(' ');
        }
        out.push_back('\n');
      }
    }
    out.push_back('\n');
  }
  return out;
}

FormWidget* first_widget(::FormField* f) {
  for (int i = 0; i < f->getNumWidgets(); ++i) {
    FormWidget* w = f->getWidget(i);
    if (w && w->getWidgetAnnotation()) return w;
  }
  return nullptr;
}

// Walks the AcroForm tree, collecting terminal fields' values and their widgets' rectangles.
void collect_fields(PDFDoc& pdf, ::FormField* f, Document& doc, int depth) {
  if (!f || depth > 32) return;
  for (int i = 0; i < f->getNumChildren(); ++i) collect_fields(pdf, f->getChildren(i), doc, depth + 1);
  if (f->getNumChildren() > 0) return;
  ::FormField* field = f;
  std::string name = goo(field->getFullyQualifiedName());
  std::string value;
  switch (field->getType()) {
    case formText: value = goo(static_cast<FormFieldText*>(field)->getContent()); break;
    case formButton: {
      auto* b = static_cast<FormFieldButton*>(field);
      if (b->getButtonType() == formButtonPush) return;
      const char* st = b->getAppearanceState();
      value = (st && std::string_view(st) != "Off") ? "Yes" : "Off";
      if (b->getButtonType() == formButtonRadio) {
        if (!st || std::string_view(st) == "Off") value = "";
        else value = st;
      }
      break;
    }
    case formChoice: {
      auto* c = static_cast<FormFieldChoice*>(field);
      std::string joined;
      for (int i = 0; i < c->getNumChoices(); ++i) {
        if (!c->isSelected(i)) continue;
        if (!joined.empty()) joined += "; ";
        joined += goo(c->getChoice(i));
      }
      value = joined;
      break;
    }
    default: return;
  }
  FormWidget* widget = first_widget(field);
  int page = widget ? widget->getWidgetAnnotation()->getPageNum() : 0;
  doc.fields.push_back({sanitize_utf8(name), sanitize_utf8(value), page,
                        widget ? widget_box(pdf, widget, page) : std::nullopt});
}

std::string info_string(PDFDoc& pdf, const char* key) {
  std::unique_ptr<GooString> s = pdf.getDocInfoStringEntry(key);
  return s ? sanitize_utf8(goo(s.get())) : std::string();
}

// Characters that carry text (not whitespace) and how many of them are U+FFFD, i.e. glyphs
// Poppler could not map to Unicode.
void count_chars(std::string_view t, int* visible, int* unmapped) {
  *visible = 0;
  *unmapped = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(t[i]);
    if (c == 0xEF && i + 2 < t.size() && static_cast<unsigned char>(t[i + 1]) == 0xBF &&
        static_cast<unsigned char>(t[i + 2]) == 0xBD) {
      ++*unmapped;
      ++*visible;
      i += 2;
      continue;
    }
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    if (!std::isspace(c)) ++*visible;
  }
}

// Layout text pads columns with runs of spaces; a run of three or more becomes one tab, and
// leading indentation goes.
std::string columns_to_tabs(const std::string& t) {
  std::string out;
  out.reserve(t.size());
  size_t i = 0;
  bool line_start = true;
  while (i < t.size()) {
    if (t[i] == ' ') {
      size_t j = i;
      while (j < t.size() && t[j] == ' ') ++j;
      if (line_start) {
      } else if (j - i >= 3) {
        out.push_back('\t');
      } else {
        out.append(j - i, ' ');
      }
      i = j;
      continue;
    }
    line_start = t[i] == '\n';
    out.push_back(t[i] == '\f' ? '\n' : t[i]);
    ++i;
  }
  return out;
}

std::string normalise_line(std::string_view line) {
  std::string out;
  for (char c : line) {
    if (std::isdigit(static_cast<unsigned char>(c))) out.push_back('#');
    else if (!std::isspace(static_cast<unsigned char>(c))) out.push_back(static_cast<char>(std::tolower(c)));
  }
  return out;
}

std::vector<std::string> split_lines(const std::string& t) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos <= t.size()) {
    size_t nl = t.find('\n', pos);
    if (nl == std::string::npos) nl = t.size();
    lines.push_back(t.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

// Running headers and footers repeat, digits aside, as the first or last line of most pages.
// They move to Document::headers_footers so the body reads cleanly.
void separate_headers_footers(Document& doc) {
  if (doc.pages.size() < 3) return;
  std::map<std::string, int> first, last;
  for (const auto& p : doc.pages) {
    auto lines = split_lines(p.text);
    if (lines.size() < 2) continue;
    first[normalise_line(lines.front())]++;
    last[normalise_line(lines.back())]++;
  }
  int need = std::max(2, static_cast<int>(doc.pages.size() * 6 / 10));  // a line seen once is no running header
  std::vector<std::string> seen;
  for (auto& p : doc.pages) {
    auto lines = split_lines(p.text);
    if (lines.size() < 2) continue;
    bool cut_first = first[normalise_line(lines.front())] >= need && !normalise_line(lines.front()).empty();
    bool cut_last = last[normalise_line(lines.back())] >= need && !normalise_line(lines.back()).empty();
    auto remember = [&](const std::string& l) {
      if (std::find(seen.begin(), seen.end(), normalise_line(l)) == seen.end()) {
        seen.push_back(normalise_line(l));
        doc.headers_footers.push_back(l);
      }
    };
    if (cut_first) remember(lines.front());
    if (cut_last) remember(lines.back());
    std::string body;
    for (size_t i = cut_first ? 1 : 0; i < lines.size() - (cut_last ? 1 : 0); ++i) {
      body += lines[i];
      body += '\n';
    }
    p.text = tidy_text(body);
  }
}

}  // namespace

std::string pdf_string_to_utf8(std::string_view s) {
  std::string out;
  if (s.size() >= 2 && static_cast<unsigned char>(s[0]) == 0xFE && static_cast<unsigned char>(s[1]) == 0xFF) {
    for (size_t i = 2; i + 1 < s.size(); i += 2) {
      char32_t u = (static_cast<unsigned char>(s[i]) << 8) | static_cast<unsigned char>(s[i + 1]);
      if (u >= 0xD800 && u <= 0xDBFF && i + 3 < s.size()) {
        char32_t lo = (static_cast<unsigned char>(s[i + 2]) << 8) | static_cast<unsigned char>(s[i + 3]);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
          i += 2;
        }
      }
      append_utf8(out, u);
    }
    return out;
  }
  if (s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF") return sanitize_utf8(s.substr(3));
  for (unsigned char c : s) append_utf8(out, c);  // PDFDocEncoding ≈ Latin-1 for text
  return out;
}

Result<std::unique_ptr<PDFDoc>> open_pdf(std::string_view bytes) {
  init_poppler();
  Object dict;
  // MemStream does not own the buffer; the caller keeps `bytes` alive.
  auto* stream = new MemStream(const_cast<char*>(bytes.data()), 0, bytes.size(), Object(objNull));
  auto pdf = std::make_unique<PDFDoc>(stream, std::optional<GooString>(), std::optional<GooString>());
  if (!pdf->isOk()) {
    int code = pdf->getErrorCode();
    if (code == errEncrypted)
      return Error{Code::kEncryptedDocument, "the PDF is encrypted and needs a password to open"};
    return Error{Code::kUnreadableDocument, "Poppler cannot open the PDF (error " + std::to_string(code) + ")"};
  }
  return pdf;
}

Document extract_pdf(std::string_view bytes, const std::string& name, const ExtractOptions& options) {
  Document doc;
  doc.name = name;
  doc.format = Format::kPdf;
  auto opened = open_pdf(bytes);
  if (!opened) {
    doc.error = opened.error();
    return doc;
  }
  PDFDoc& pdf = **opened;
  int n = pdf.getNumPages();
  if (n <= 0) {
    doc.error = Error{Code::kUnreadableDocument, "the PDF has no readable pages"};
    return doc;
  }
  if (n > options.limits.max_pages) {
    doc.error = Error{Code::kLimitExceeded, "the PDF has " + std::to_string(n) + " pages (limit " +
                                               std::to_string(options.limits.max_pages) + ")"};
    return doc;
  }
  doc.metadata.title = info_string(pdf, "Title");
  doc.metadata.author = info_string(pdf, "Author");
  doc.metadata.subject = info_string(pdf, "Subject");
  doc.metadata.creator = info_string(pdf, "Creator");
  doc.metadata.producer = info_string(pdf, "Producer");
  doc.metadata.created = info_string(pdf, "CreationDate");
  doc.metadata.modified = info_string(pdf, "ModDate");

  Deadline deadline(options.limits.max_seconds);
  std::vector<int> needs_ocr;
  std::string text;
  // Physical layout (see the top of this file); the same TextPage is re-dumped in reading order
  // when the page has text columns.
  LayoutTextDev dev(append_text, &text, /*physLayout=*/true, 0, /*rawOrder=*/false);
  std::vector<PageGeometry> geometry;
  if (!dev.isOk()) {
    doc.error = Error{Code::kUnreadableDocument, "Poppler text device failed"};
    return doc;
  }
  for (int i = 1; i <= n && !deadline.passed(); ++i) {
    text.clear();
    display_page(pdf, i, &dev, 72, deadline, &doc.warnings);
    if (deadline.hit()) break;  // the page was cut short: it is not counted as read
    if (has_text_columns(dev, pdf.getPageCropWidth(i))) text = reading_order_text(dev);
    Page page;
    page.number = i;
    page.text = tidy_text(columns_to_tabs(sanitize_utf8(text)));
    page.words = page_words(dev);
    bool turned = pdf.getPageRotate(i) % 180 != 0;
    page.width = round_pt(turned ? pdf.getPageMediaHeight(i) : pdf.getPageMediaWidth(i));
    page.height = round_pt(turned ? pdf.getPageMediaWidth(i) : pdf.getPageMediaHeight(i));
    geometry.push_back({std::move(dev.rules), {}, 0});
    int visible = 0, unmapped = 0;
    count_chars(page.text, &visible, &unmapped);
    bool unusable = visible < options.min_chars_per_page || unmapped * 10 > visible;
    if (unusable) needs_ocr.push_back(i);
    doc.pages.push_back(std::move(page));
  }
  if (Catalog* cat = pdf.getCatalog(); cat && cat->isOk()) {
    if (Form* form = cat->getForm()) {
      for (int i = 0; i < form->getNumFields(); ++i) collect_fields(pdf, form->getRootField(i), doc, 0);
    }
  }
  // A page without a usable text layer counts as read once OCR has read it (or when OCR is off).
  int read = static_cast<int>(doc.pages.size());
  if (!needs_ocr.empty() && options.ocr) {
    read -= static_cast<int>(needs_ocr.size());
    if (!deadline.hit()) read += ocr_pdf_pages(bytes, needs_ocr, doc, options, deadline);
  } else if (!needs_ocr.empty()) {
    doc.warnings.push_back(std::to_string(needs_ocr.size()) + " page(s) have no text layer; OCR is off");
  }
  if (deadline.hit() && !doc.error) doc.error = time_limit_error(options.limits.max_seconds, read, n);
  // Layout of the pages read from their text layer (OCR analysed its own pages).
  for (size_t p = 0; p < doc.pages.size() && p < geometry.size(); ++p)
    if (!doc.pages[p].ocr) analyse_page(doc.pages[p], geometry[p], doc.tables, doc.key_values);
  label_widgets(doc.pages, doc.fields, doc.key_values);
  sort_by_page(doc);
  separate_headers_footers(doc);
  return doc;
}

}  // namespace clee
