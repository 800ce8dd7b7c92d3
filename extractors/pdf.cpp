// PDF extraction (see pdf.h). Layout decision, measured on fixtures/docs: physical layout keeps a
// table row on one line ("Momentum and energy analysis\t4"), which reading order splits into one
// paragraph per cell; but on a two-column page (a CV) physical layout interleaves the columns line
// by line. So each page is laid out physically, and when Poppler's own flow analysis finds two
// wide, many-line text flows side by side the page's text is rebuilt in reading order from those
// flows (no second rendering: this costs no measurable CPU; rendering the page again cost 2.2× on
// two-column papers. Taking the TextPage out of the device to dump it twice lost the following
// pages' text in Poppler 22.12.)
#include "extractors/pdf.h"

#include <poppler/Annot.h>
#include <poppler/Catalog.h>
#include <poppler/Error.h>
#include <poppler/ErrorCodes.h>
#include <poppler/Form.h>
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

int widget_page(::FormField* f) {
  for (int i = 0; i < f->getNumWidgets(); ++i) {
    FormWidget* w = f->getWidget(i);
    if (w && w->getWidgetAnnotation()) return w->getWidgetAnnotation()->getPageNum();
  }
  return 0;
}

// Walks the AcroForm tree, collecting terminal fields' values.
void collect_fields(::FormField* f, Document& doc, int depth) {
  if (!f || depth > 32) return;
  for (int i = 0; i < f->getNumChildren(); ++i) collect_fields(f->getChildren(i), doc, depth + 1);
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
  doc.fields.push_back({sanitize_utf8(name), sanitize_utf8(value), widget_page(field)});
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
  TextOutputDev dev(append_text, &text, /*physLayout=*/true, 0, /*rawOrder=*/false);
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
    int visible = 0, unmapped = 0;
    count_chars(page.text, &visible, &unmapped);
    bool unusable = visible < options.min_chars_per_page || unmapped * 10 > visible;
    if (unusable) needs_ocr.push_back(i);
    doc.pages.push_back(std::move(page));
  }
  if (Catalog* cat = pdf.getCatalog(); cat && cat->isOk()) {
    if (Form* form = cat->getForm()) {
      for (int i = 0; i < form->getNumFields(); ++i) collect_fields(form->getRootField(i), doc, 0);
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
  separate_headers_footers(doc);
  return doc;
}

}  // namespace clee
