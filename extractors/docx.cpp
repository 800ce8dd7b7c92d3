#include "extractors/docx.h"

#include <pugixml.hpp>

#include <cstring>
#include <map>

#include "extractors/util.h"
#include "extractors/zip.h"

namespace clee {
namespace {

// Local name of an element ("w:p" → "p"); OOXML prefixes vary between producers.
std::string_view local(const pugi::xml_node& n) {
  std::string_view s = n.name();
  size_t c = s.find(':');
  return c == std::string_view::npos ? s : s.substr(c + 1);
}

const char* attr(const pugi::xml_node& n, const char* local_name) {
  for (auto a : n.attributes()) {
    std::string_view s = a.name();
    size_t c = s.find(':');
    if ((c == std::string_view::npos ? s : s.substr(c + 1)) == local_name) return a.value();
  }
  return "";
}

pugi::xml_node child(const pugi::xml_node& n, std::string_view local_name) {
  for (auto c : n.children())
    if (local(c) == local_name) return c;
  return {};
}

// Parses XML without DOCTYPE processing: pugixml never fetches external entities and, without
// parse_doctype, skips the DTD, so internal entity bombs are not expanded either.
Result<pugi::xml_document*> parse_xml(const std::string& xml, pugi::xml_document& doc, const std::string& part) {
  if (xml.find("<!ENTITY") != std::string::npos)
    return Error{errc::kUnsupported, part + " declares XML entities; refused (never expanded)"};
  auto r = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default);
  if (!r) return Error{errc::kUnreadable, part + ": XML error: " + r.description()};
  return &doc;
}

struct Numbering {
  // numId → abstract level formats ("bullet", "decimal", ...)
  std::map<std::string, std::map<int, std::string>> formats;
  std::map<std::pair<std::string, int>, int> counters;

  void load(const pugi::xml_document& d) {
    std::map<std::string, std::map<int, std::string>> abstract;
    pugi::xml_node root = d.first_child();
    for (auto an : root.children()) {
      if (local(an) != "abstractNum") continue;
      auto& levels = abstract[attr(an, "abstractNumId")];
      for (auto lvl : an.children()) {
        if (local(lvl) != "lvl") continue;
        levels[std::atoi(attr(lvl, "ilvl"))] = attr(child(lvl, "numFmt"), "val");
      }
    }
    for (auto num : root.children()) {
      if (local(num) != "num") continue;
      formats[attr(num, "numId")] = abstract[attr(child(num, "abstractNumId"), "val")];
    }
  }
  std::string marker(const std::string& num_id, int level) {
    auto it = formats.find(num_id);
    std::string fmt = it == formats.end() ? "bullet" : it->second[level];
    if (fmt == "bullet" || fmt.empty() || fmt == "none") return std::string(static_cast<size_t>(level) * 2, ' ') + "• ";
    int n = ++counters[{num_id, level}];
    for (auto& [k, v] : counters)
      if (k.first == num_id && k.second > level) v = 0;
    std::string m = std::to_string(n);
    if (fmt == "lowerLetter") m = std::string(1, static_cast<char>('a' + (n - 1) % 26));
    if (fmt == "upperLetter") m = std::string(1, static_cast<char>('A' + (n - 1) % 26));
    return std::string(static_cast<size_t>(level) * 2, ' ') + m + ". ";
  }
};

class Walker {
 public:
  Walker(Document& doc, Numbering* numbering) : doc_(doc), numbering_(numbering) {}

  std::vector<std::string> pages{std::string()};

  void block(const pugi::xml_node& n, int depth) {
    if (depth > 64) return;  // hostile nesting
    for (auto c : n.children()) {
      auto l = local(c);
      if (l == "p") paragraph(c, depth);
      else if (l == "tbl") table(c, depth);
      else if (l == "sdt") sdt(c, depth, true);
      else if (l == "del" || l == "moveFrom" || l == "sectPr") continue;
      else if (l == "AlternateContent") alternate(c, depth, true);
      else block(c, depth + 1);  // ins, customXml, smartTag, bookmark containers
    }
  }

 private:
  void out(std::string_view s) { pages.back().append(s); }

  void paragraph(const pugi::xml_node& p, int depth) {
    std::string text;
    pugi::xml_node ppr = child(p, "pPr");
    if (child(ppr, "pageBreakBefore") && !pages.back().empty()) pages.emplace_back();
    pugi::xml_node num = child(ppr, "numPr");
    if (num && numbering_) {
      std::string id = attr(child(num, "numId"), "val");
      if (!id.empty() && id != "0") text = numbering_->marker(id, std::atoi(attr(child(num, "ilvl"), "val")));
    }
    inline_content(p, text, depth);
    out(text);
    out("\n");
  }

  void inline_content(const pugi::xml_node& n, std::string& text, int depth) {
    if (depth > 64) return;
    for (auto c : n.children()) {
      auto l = local(c);
      if (l == "t" || l == "instrText") {
        if (l == "t") {
          text += c.text().get();
          if (capturing_) field_value_ += c.text().get();
        }
      } else if (l == "tab" || l == "ptab") {
        text += '\t';
      } else if (l == "br" || l == "cr") {
        if (std::strcmp(attr(c, "type"), "page") == 0) {
          out(text);
          out("\n");
          text.clear();
          pages.emplace_back();
        } else {
          text += '\n';
        }
      } else if (l == "noBreakHyphen") {
        text += '-';
      } else if (l == "sym") {
        char32_t cp = static_cast<char32_t>(std::strtoul(attr(c, "char"), nullptr, 16));
        if (cp >= 0xF000) cp -= 0xF000;  // symbol-font private-use mapping
        if (cp >= 0x20) append_utf8(text, cp);
      } else if (l == "del" || l == "delText" || l == "moveFrom" || l == "rPr" || l == "pPr") {
        continue;  // deleted text is dropped; properties carry no text
      } else if (l == "txbxContent") {
        // A text box: its paragraphs read as their own lines after the anchor's text.
        out(text);
        out("\n");
        text.clear();
        block(c, depth + 1);
      } else if (l == "AlternateContent") {
        alternate_inline(c, text, depth);
      } else if (l == "sdt") {
        sdt_inline(c, text, depth);
      } else if (l == "fldChar") {
        field_char(c);
      } else {
        inline_content(c, text, depth + 1);  // r, ins, hyperlink, smartTag, fldSimple, drawing...
      }
    }
  }

  // mc:AlternateContent holds the same content twice (Choice and Fallback); read one.
  void alternate(const pugi::xml_node& n, int depth, bool as_block) {
    pugi::xml_node pick = child(n, "Choice");
    if (!pick) pick = child(n, "Fallback");
    if (as_block) block(pick, depth + 1);
  }
  void alternate_inline(const pugi::xml_node& n, std::string& text, int depth) {
    pugi::xml_node pick = child(n, "Choice");
    if (!pick) pick = child(n, "Fallback");
    inline_content(pick, text, depth + 1);
  }

  std::string sdt_label(const pugi::xml_node& sdt) {
    pugi::xml_node pr = child(sdt, "sdtPr");
    std::string label = attr(child(pr, "alias"), "val");
    if (label.empty()) label = attr(child(pr, "tag"), "val");
    return label;
  }
  bool sdt_placeholder(const pugi::xml_node& sdt) { return child(child(sdt, "sdtPr"), "showingPlcHdr"); }

  void sdt(const pugi::xml_node& n, int depth, bool) {
    size_t before = pages.back().size();
    size_t page_count = pages.size();
    block(child(n, "sdtContent"), depth + 1);
    std::string label = sdt_label(n);
    if (!label.empty() && page_count == pages.size()) {
      std::string value = tidy_text(pages.back().substr(before));
      doc_.fields.push_back({label, sdt_placeholder(n) ? "" : value, 0});
    }
  }
  void sdt_inline(const pugi::xml_node& n, std::string& text, int depth) {
    std::string inner;
    inline_content(child(n, "sdtContent"), inner, depth + 1);
    text += inner;
    std::string label = sdt_label(n);
    if (!label.empty()) doc_.fields.push_back({label, sdt_placeholder(n) ? "" : inner, 0});
  }

  // Legacy form fields: <w:fldChar w:fldCharType="begin"><w:ffData><w:name/>…; the result text
  // is in the runs between "separate" and "end" (already in the body); it is also recorded as a
  // FormField under the field's name. Checkboxes carry their state in ffData.
  void field_char(const pugi::xml_node& c) {
    std::string type = attr(c, "fldCharType");
    if (type == "begin") {
      pugi::xml_node ff = child(c, "ffData");
      field_name_ = ff ? attr(child(ff, "name"), "val") : "";
      field_value_.clear();
      capturing_ = false;
      pugi::xml_node box = child(ff, "checkBox");
      if (box) {
        pugi::xml_node checked = child(box, "checked");
        if (!checked) checked = child(box, "default");
        std::string v = attr(checked, "val");
        bool on = checked && (v.empty() || v == "1" || v == "true" || v == "on");
        if (!field_name_.empty()) doc_.fields.push_back({field_name_, on ? "Yes" : "Off", 0});
        field_name_.clear();
      }
    } else if (type == "separate") {
      capturing_ = !field_name_.empty();
    } else if (type == "end") {
      if (capturing_) doc_.fields.push_back({field_name_, field_value_, 0});
      capturing_ = false;
      field_name_.clear();
    }
  }

  void table(const pugi::xml_node& t, int depth) {
    Table tab;
    tab.page = static_cast<int>(pages.size());
    for (auto tr : t.children()) {
      if (local(tr) != "tr") continue;
      std::vector<std::string> row;
      std::vector<pugi::xml_node> cells;
      for (auto tc : tr.children()) {
        if (local(tc) == "tc") cells.push_back(tc);
        if (local(tc) == "sdt")  // a content control wrapping cells
          for (auto inner : child(tc, "sdtContent").children())
            if (local(inner) == "tc") cells.push_back(inner);
      }
      for (auto tc : cells) {
        Walker inner(doc_, numbering_);
        inner.block(tc, depth + 1);
        std::string cell_text;
        for (auto& pg : inner.pages) cell_text += pg;
        // A cell's paragraphs join with spaces; tables read as one line per row.
        std::string flat;
        for (char ch : tidy_text(cell_text)) flat.push_back(ch == '\n' ? ' ' : ch);
        row.push_back(flat);
      }
      std::string line;
      for (size_t i = 0; i < row.size(); ++i) {
        if (i) line += '\t';
        line += row[i];
      }
      out(line);
      out("\n");
      tab.rows.push_back(std::move(row));
    }
    if (!tab.rows.empty()) doc_.tables.push_back(std::move(tab));
  }

 private:
  Document& doc_;
  Numbering* numbering_;
  std::string field_name_, field_value_;
  bool capturing_ = false;
};

std::string read_core_value(const pugi::xml_document& d, std::string_view name) {
  for (auto c : d.first_child().children())
    if (local(c) == name) return c.text().get();
  return {};
}

}  // namespace

Document extract_docx(std::string_view bytes, const std::string& name, const ExtractOptions& options) {
  Document doc;
  doc.name = name;
  doc.format = Format::kDocx;
  auto zr = ZipReader::open(bytes, options.limits);
  if (!zr) {
    doc.error = zr.error();
    return doc;
  }
  ZipReader& zip = **zr;
  auto read_part = [&](const ZipEntry* e, pugi::xml_document& x) -> Status {
    auto xml = zip.read(*e);
    if (!xml) return xml.error();
    auto parsed = parse_xml(*xml, x, e->name);
    if (!parsed) return parsed.error();
    return Status::Ok();
  };
  const ZipEntry* main = zip.find("word/document.xml");
  if (!main) {
    doc.error = Error{errc::kUnreadable, "not a Word document: word/document.xml is missing"};
    return doc;
  }
  Numbering numbering;
  if (const ZipEntry* ne = zip.find("word/numbering.xml")) {
    pugi::xml_document nx;
    if (read_part(ne, nx)) numbering.load(nx);
  }
  pugi::xml_document x;
  if (Status st = read_part(main, x); !st) {
    doc.error = st.error();
    return doc;
  }
  Walker walker(doc, &numbering);
  pugi::xml_node body = child(x.first_child(), "body");
  walker.block(body, 0);
  // Footnotes and endnotes read after the body, as a reader meets them at the foot of the text.
  for (const char* part : {"word/footnotes.xml", "word/endnotes.xml"}) {
    const ZipEntry* ne = zip.find(part);
    pugi::xml_document nx;
    if (!ne || !read_part(ne, nx)) continue;
    for (auto note : nx.first_child().children()) {
      std::string type = attr(note, "type");
      if (type == "separator" || type == "continuationSeparator" || type == "continuationNotice") continue;
      walker.block(note, 1);
    }
  }
  int number = 0;
  for (auto& text : walker.pages) {
    std::string t = tidy_text(sanitize_utf8(text));
    if (t.empty() && walker.pages.size() > 1) continue;
    Page p;
    p.number = ++number;
    p.text = std::move(t);
    doc.pages.push_back(std::move(p));
  }
  // Headers and footers, kept apart from the body.
  for (const auto& e : zip.entries()) {
    bool hf = e.name.rfind("word/header", 0) == 0 || e.name.rfind("word/footer", 0) == 0;
    if (!hf || e.name.size() < 4 || e.name.substr(e.name.size() - 4) != ".xml") continue;
    pugi::xml_document hx;
    if (!read_part(&e, hx)) continue;
    Walker hw(doc, &numbering);
    hw.block(hx.first_child(), 0);
    std::string t;
    for (auto& pg : hw.pages) t += pg;
    t = tidy_text(sanitize_utf8(t));
    if (!t.empty()) doc.headers_footers.push_back(t);
  }
  if (const ZipEntry* ce = zip.find("docProps/core.xml")) {
    pugi::xml_document cx;
    if (read_part(ce, cx)) {
      doc.metadata.title = sanitize_utf8(read_core_value(cx, "title"));
      doc.metadata.author = sanitize_utf8(read_core_value(cx, "creator"));
      doc.metadata.subject = sanitize_utf8(read_core_value(cx, "subject"));
      doc.metadata.created = sanitize_utf8(read_core_value(cx, "created"));
      doc.metadata.modified = sanitize_utf8(read_core_value(cx, "modified"));
    }
  }
  for (auto& f : doc.fields) {
    f.name = sanitize_utf8(f.name);
    f.value = tidy_text(sanitize_utf8(f.value));
  }
  return doc;
}

}  // namespace clee
