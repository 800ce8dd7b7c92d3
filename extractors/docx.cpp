#include "extractors/docx.h"

#include <pugixml.hpp>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <optional>
#include <set>

#include "extractors/layout.h"
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
    return Error{Code::kUnsupportedFormat, part + " declares XML entities; refused (never expanded)"};
  // parse_ws_pcdata_single keeps a run that is only a space (<w:t xml:space="preserve"> </w:t>).
  auto r = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_ws_pcdata_single);
  if (!r) return Error{Code::kUnreadableDocument, part + ": XML error: " + r.description()};
  return &doc;
}

// Symbol fonts put their glyphs in the private-use area (U+F020..U+F0FF): map the few that carry
// meaning on forms (check boxes, check marks, bullets); others are dropped.
void append_symbol(std::string& out, char32_t cp) {
  char32_t low = cp >= 0xF000 && cp <= 0xF0FF ? cp - 0xF000 : cp;
  if (cp < 0xE000 || cp > 0xF8FF) {
    if (cp >= 0x20) append_utf8(out, cp);
    return;
  }
  switch (low) {
    case 0xFE: case 0xFD: case 0x78: case 0xFB: append_utf8(out, 0x2612); break;  // ☒ box with x / check
    case 0xA8: case 0x6F: case 0x71: append_utf8(out, 0x2610); break;             // ☐ empty box
    case 0xFC: append_utf8(out, 0x2713); break;                                    // ✓
    case 0xB7: case 0x9F: case 0x6C: case 0xA7: append_utf8(out, 0x2022); break;  // bullets
    default: break;
  }
}

// Text of a w:t, with symbol-font private-use characters mapped (LibreOffice writes them there).
void append_run_text(std::string& out, std::string_view t) {
  for (size_t i = 0; i < t.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(t[i]);
    if (c == 0xEF && i + 2 < t.size()) {
      char32_t cp = ((c & 0x0F) << 12) | ((static_cast<unsigned char>(t[i + 1]) & 0x3F) << 6) |
                    (static_cast<unsigned char>(t[i + 2]) & 0x3F);
      if (cp >= 0xF000 && cp <= 0xF0FF) {
        append_symbol(out, cp);
        i += 2;
        continue;
      }
    }
    out.push_back(static_cast<char>(c));
  }
}


std::string letters(int n, bool upper) {  // a..z, aa..zz, as Word counts
  if (n <= 0) return "0";
  char c = static_cast<char>((upper ? 'A' : 'a') + (n - 1) % 26);
  return std::string(static_cast<size_t>(std::min((n - 1) / 26 + 1, 10)), c);
}

// List numbering (word/numbering.xml): a paragraph's numId/ilvl, directly or through its style,
// picks a level whose format and lvlText ("%1.", "%1.%2", "(%2)") make the marker. Counters run
// per numId; a higher level restarts the deeper ones.
struct Numbering {
  struct Level {
    std::string format = "decimal", text;
    int start = 1;
  };
  std::map<std::string, std::map<int, Level>> levels;  // numId → ilvl → level
  std::map<std::string, std::map<int, int>> counters;  // numId → ilvl → current value
  std::map<std::string, std::pair<std::string, int>> style_num;  // styleId → (numId, ilvl)
  std::map<std::string, std::string> style_parent;
  std::map<std::string, bool> style_bold;  // styleId → its rPr's <w:b>, where it says
  std::set<std::string> heading_styles;     // styles with an outline level, Title, Subtitle

  static Level read_level(const pugi::xml_node& lvl, Level base) {
    if (auto f = child(lvl, "numFmt")) base.format = attr(f, "val");
    if (auto t = child(lvl, "lvlText")) base.text = attr(t, "val");
    if (auto st = child(lvl, "start")) base.start = std::atoi(attr(st, "val"));
    return base;
  }

  void load(const pugi::xml_document& d) {
    std::map<std::string, std::map<int, Level>> abstract;
    pugi::xml_node root = d.first_child();
    for (auto an : root.children()) {
      if (local(an) != "abstractNum") continue;
      auto& lv = abstract[attr(an, "abstractNumId")];
      for (auto lvl : an.children())
        if (local(lvl) == "lvl") lv[std::atoi(attr(lvl, "ilvl"))] = read_level(lvl, Level{});
    }
    for (auto num : root.children()) {
      if (local(num) != "num") continue;
      auto lv = abstract[attr(child(num, "abstractNumId"), "val")];
      for (auto ov : num.children()) {
        if (local(ov) != "lvlOverride") continue;
        int il = std::atoi(attr(ov, "ilvl"));
        if (auto so = child(ov, "startOverride")) lv[il].start = std::atoi(attr(so, "val"));
        if (auto l = child(ov, "lvl")) lv[il] = read_level(l, lv[il]);
      }
      levels[attr(num, "numId")] = std::move(lv);
    }
  }

  void load_styles(const pugi::xml_document& d) {
    for (auto st : d.first_child().children()) {
      if (local(st) != "style") continue;
      std::string id = attr(st, "styleId");
      if (auto b = child(st, "basedOn")) style_parent[id] = attr(b, "val");
      pugi::xml_node np = child(child(st, "pPr"), "numPr");
      if (np) style_num[id] = {attr(child(np, "numId"), "val"), std::atoi(attr(child(np, "ilvl"), "val"))};
      if (auto b = child(child(st, "rPr"), "b")) style_bold[id] = on(b);
      std::string name = text_lower(attr(child(st, "name"), "val"));
      if (child(child(st, "pPr"), "outlineLvl") || name == "title" || name == "subtitle") heading_styles.insert(id);
    }
  }

  static std::string text_lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }

  // A heading: an outline level of its own or through its style (Heading 1-9, Title).
  bool heading(const pugi::xml_node& ppr) const {
    if (child(ppr, "outlineLvl")) return true;
    std::string id = attr(child(ppr, "pStyle"), "val");
    for (int hop = 0; !id.empty() && hop < 10; ++hop) {
      if (heading_styles.count(id)) return true;
      auto p = style_parent.find(id);
      id = p == style_parent.end() ? "" : p->second;
    }
    return false;
  }

  // <w:b/>, <w:b w:val="1|true|on"> are bold; "0|false|off" not.
  static bool on(const pugi::xml_node& b) {
    std::string_view v = attr(b, "val");
    return v.empty() || v == "1" || v == "true" || v == "on";
  }

  // Whether text in style `id` is bold (following basedOn); false when no style says.
  bool bold_style(std::string id) const {
    for (int hop = 0; !id.empty() && hop < 10; ++hop) {
      if (auto it = style_bold.find(id); it != style_bold.end()) return it->second;
      auto p = style_parent.find(id);
      id = p == style_parent.end() ? "" : p->second;
    }
    return false;
  }

  // The (numId, ilvl) of a paragraph: its own numPr, else its style's (following basedOn).
  std::pair<std::string, int> of(const pugi::xml_node& ppr) const {
    pugi::xml_node np = child(ppr, "numPr");
    std::string style = attr(child(ppr, "pStyle"), "val");
    std::pair<std::string, int> r{"", 0};
    for (int hop = 0; !style.empty() && hop < 10; ++hop) {
      if (auto it = style_num.find(style); it != style_num.end()) {
        r = it->second;
        break;
      }
      auto p = style_parent.find(style);
      style = p == style_parent.end() ? "" : p->second;
    }
    if (np) {
      if (auto id = child(np, "numId")) r.first = attr(id, "val");
      if (auto il = child(np, "ilvl")) r.second = std::atoi(attr(il, "val"));
    }
    return r;
  }

  static std::string format_number(const std::string& fmt, int n) {
    if (fmt == "lowerLetter") return letters(n, false);
    if (fmt == "upperLetter") return letters(n, true);
    if (fmt == "lowerRoman") return roman_numeral(n, false);
    if (fmt == "upperRoman") return roman_numeral(n, true);
    if (fmt == "decimalZero") return (n < 10 ? "0" : "") + std::to_string(n);
    return std::to_string(n);
  }

  std::string marker(const std::string& num_id, int level) {
    level = std::clamp(level, 0, 8);
    auto it = levels.find(num_id);
    if (it == levels.end()) return std::string(static_cast<size_t>(level) * 2, ' ') + "• ";
    auto& lv = it->second;
    const Level& L = lv[level];
    std::string indent(static_cast<size_t>(level) * 2, ' ');
    if (L.format == "none") return indent;
    if (L.format == "bullet") {  // a task list's bullet is a check box glyph: keep it
      std::string g;
      append_run_text(g, L.text);
      bool box = g.rfind("\u2610", 0) == 0 || g.rfind("\u2611", 0) == 0 || g.rfind("\u2612", 0) == 0;
      return indent + (box ? g.substr(0, 3) : std::string("•")) + " ";
    }
    auto& ctr = counters[num_id];
    ctr[level] = ctr.count(level) ? ctr[level] + 1 : L.start;
    for (auto c = ctr.begin(); c != ctr.end();) c = c->first > level ? ctr.erase(c) : std::next(c);
    std::string text = L.text.empty() ? "%" + std::to_string(level + 1) + "." : L.text;
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '%' && i + 1 < text.size() && text[i + 1] >= '1' && text[i + 1] <= '9') {
        int l = text[i + 1] - '1';
        int v = ctr.count(l) ? ctr[l] : lv[l].start;
        out += format_number(lv[l].format, v);
        ++i;
      } else {
        out.push_back(text[i]);
      }
    }
    return indent + out + " ";
  }
};

class Walker {
 public:
  Walker(Document& doc, Numbering* numbering) : doc_(doc), numbering_(numbering) {}

  std::vector<std::string> pages{std::string()};
  // The body's paragraphs per page, with their weight, for the layout's pairs (cells are not
  // here: tables give their own).
  std::vector<std::vector<Paragraph>> paragraphs{{}};

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
  void new_page() {
    pages.emplace_back();
    paragraphs.emplace_back();
  }

  void paragraph(const pugi::xml_node& p, int depth) {
    std::string text;
    pugi::xml_node ppr = child(p, "pPr");
    if (child(ppr, "pageBreakBefore") && !pages.back().empty()) new_page();
    if (numbering_) {
      auto [id, level] = numbering_->of(ppr);
      if (!id.empty() && id != "0") text = numbering_->marker(id, level);
    }
    std::string style = attr(child(ppr, "pStyle"), "val");
    paragraph_bold_ = numbering_ && numbering_->bold_style(style);
    const bool heading = numbering_ && numbering_->heading(ppr);
    bold_ = true;
    inline_content(p, text, depth);
    out(text);
    // One Paragraph per line of the paragraph (a soft break starts a line).
    for (size_t pos = 0; pos <= text.size();) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string::npos) nl = text.size();
      paragraphs.back().push_back({sanitize_utf8(text.substr(pos, nl - pos)), bold_, heading});
      pos = nl + 1;
    }
    // A drop cap is a one-letter frame paragraph ("D" + "rop cap."): it joins the next paragraph.
    std::string_view drop = attr(child(ppr, "framePr"), "dropCap");
    if (drop.empty() || drop == "none") out("\n");
  }

 public:
  // Footnotes and endnotes: "[n]" where the reference sits, "[n] " before the note's text.
  std::string note_label(const std::string& kind, const std::string& id) const {
    auto it = notes_.find(kind + ":" + id);
    return it == notes_.end() ? std::string() : "[" + std::to_string(it->second) + "]";
  }
  void note(const pugi::xml_node& n, const std::string& label) {
    out(label);
    block(n, 1);
  }

 private:

  void inline_content(const pugi::xml_node& n, std::string& text, int depth) {
    if (depth > 64) return;
    for (auto c : n.children()) {
      auto l = local(c);
      if (l == "t" || l == "instrText") {
        if (l == "t") {
          if (std::string_view(c.text().get()).find_first_not_of(" \t") != std::string_view::npos) bold_ = bold_ && run_bold_;
          append_run_text(text, c.text().get());
          if (capturing_) append_run_text(field_value_, c.text().get());
        }
      } else if (l == "footnoteReference" || l == "endnoteReference") {
        int& n = notes_[std::string(l.substr(0, 3)) + ":" + attr(c, "id")];
        if (n == 0) n = static_cast<int>(notes_.size());
        text += "[" + std::to_string(n) + "]";
      } else if (l == "tab" || l == "ptab") {
        text += '\t';
      } else if (l == "br" || l == "cr") {
        if (std::strcmp(attr(c, "type"), "page") == 0) {
          out(text);
          out("\n");
          text.clear();
          new_page();
        } else {
          text += '\n';
        }
      } else if (l == "noBreakHyphen") {
        text += '-';
      } else if (l == "sym") {
        char32_t cp = static_cast<char32_t>(std::strtoul(attr(c, "char"), nullptr, 16));
        if (cp < 0x100 && std::strlen(attr(c, "font")) > 0) cp += 0xF000;  // "FE" short form
        append_symbol(text, cp);
      } else if (l == "del" || l == "delText" || l == "moveFrom" || l == "rPr" || l == "pPr") {
        continue;  // deleted text is dropped; properties carry no text
      } else if (l == "r") {
        run_bold_ = bold_of_run(c);
        inline_content(c, text, depth + 1);
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
        field_char(c, text);
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
  // A check box content control (w14:checkbox) reports "Yes"/"Off" rather than its glyph.
  std::optional<std::string> sdt_checkbox(const pugi::xml_node& sdt) {
    pugi::xml_node box = child(child(sdt, "sdtPr"), "checkbox");
    if (!box) return std::nullopt;
    std::string v = attr(child(box, "checked"), "val");
    return std::string(v == "1" || v == "true" ? "Yes" : "Off");
  }
  std::string sdt_value(const pugi::xml_node& sdt, const std::string& text) {
    if (auto box = sdt_checkbox(sdt)) return *box;
    return sdt_placeholder(sdt) ? "" : text;
  }

  void sdt(const pugi::xml_node& n, int depth, bool) {
    size_t before = pages.back().size();
    size_t page_count = pages.size();
    block(child(n, "sdtContent"), depth + 1);
    // Placeholder text ("Click or tap here to enter text.") is not a value: keep it out of the
    // body, where it would read as the answer to the label before it.
    if (sdt_placeholder(n) && page_count == pages.size()) pages.back().resize(before);
    std::string label = sdt_label(n);
    if (!label.empty() && page_count == pages.size()) {
      std::string value = tidy_text(pages.back().substr(before));
      doc_.fields.push_back({label, sdt_value(n, value), 0});
    }
  }
  void sdt_inline(const pugi::xml_node& n, std::string& text, int depth) {
    std::string inner;
    inline_content(child(n, "sdtContent"), inner, depth + 1);
    if (!sdt_placeholder(n)) text += inner;
    std::string label = sdt_label(n);
    if (!label.empty()) doc_.fields.push_back({label, sdt_value(n, inner), 0});
  }

  // Legacy form fields: <w:fldChar w:fldCharType="begin"><w:ffData><w:name/>…; the result text
  // is in the runs between "separate" and "end" (already in the body); it is also recorded as a
  // FormField under the field's name. Checkboxes carry their state in ffData.
  void field_char(const pugi::xml_node& c, std::string& text) {
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
        append_utf8(text, on ? 0x2612 : 0x2610);  // the box as the reader sees it: ☒ / ☐
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
    size_t slot = doc_.tables.size();
    doc_.tables.emplace_back();  // reserved: a nested table is listed after the one holding it
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
        for (char ch : tidy_text(cell_text)) flat.push_back(ch == '\n' || ch == '\t' ? ' ' : ch);
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
    if (!tab.rows.empty()) doc_.tables[slot] = std::move(tab);
    else doc_.tables.erase(doc_.tables.begin() + static_cast<std::ptrdiff_t>(slot));
  }

 private:
  // A run is bold by its own <w:b>, else its character style, else the paragraph's style.
  bool bold_of_run(const pugi::xml_node& r) const {
    pugi::xml_node rpr = child(r, "rPr");
    if (auto b = child(rpr, "b")) return Numbering::on(b);
    std::string rstyle = attr(child(rpr, "rStyle"), "val");
    if (numbering_ && !rstyle.empty() && numbering_->style_bold.count(rstyle)) return numbering_->bold_style(rstyle);
    return paragraph_bold_;
  }

  Document& doc_;
  Numbering* numbering_;
  bool paragraph_bold_ = false, run_bold_ = false, bold_ = true;
  std::string field_name_, field_value_;
  std::map<std::string, int> notes_;  // "foo:3" / "end:1" → number shown
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
  // The main part is named by the package relationships; Word and LibreOffice use
  // word/document.xml, other producers (and Strict OOXML) may not.
  const ZipEntry* main = nullptr;
  if (const ZipEntry* rels = zip.find("_rels/.rels")) {
    pugi::xml_document rx;
    if (read_part(rels, rx))
      for (auto rel : rx.document_element().children()) {
        std::string type = attr(rel, "Type"), target = attr(rel, "Target");
        if (type.size() < 15 || type.substr(type.size() - 15) != "/officeDocument") continue;
        if (!target.empty() && target[0] == '/') target.erase(0, 1);
        main = zip.find(target);
      }
  }
  if (!main) main = zip.find("word/document.xml");
  if (!main) {
    doc.error = Error{Code::kUnreadableDocument, "not a Word document: word/document.xml is missing"};
    return doc;
  }
  Numbering numbering;
  if (const ZipEntry* ne = zip.find("word/numbering.xml")) {
    pugi::xml_document nx;
    if (read_part(ne, nx)) numbering.load(nx);
  }
  if (const ZipEntry* se = zip.find("word/styles.xml")) {  // list styles ("List Number") carry numPr
    pugi::xml_document sx;
    if (read_part(se, sx)) numbering.load_styles(sx);
  }
  pugi::xml_document x;
  if (Status st = read_part(main, x); !st) {
    doc.error = st.error();
    return doc;
  }
  Walker walker(doc, &numbering);
  pugi::xml_node body = child(x.document_element(), "body");
  walker.block(body, 0);
  // Footnotes and endnotes read after the body, as a reader meets them at the foot of the text.
  for (const char* part : {"word/footnotes.xml", "word/endnotes.xml"}) {
    const ZipEntry* ne = zip.find(part);
    pugi::xml_document nx;
    if (!ne || !read_part(ne, nx)) continue;
    for (auto note : nx.first_child().children()) {
      std::string type = attr(note, "type");
      if (type == "separator" || type == "continuationSeparator" || type == "continuationNotice") continue;
      walker.note(note, walker.note_label(part[5] == 'f' ? "foo" : "end", attr(note, "id")));
    }
  }
  int number = 0;
  for (size_t k = 0; k < walker.pages.size(); ++k) {
    std::string t = tidy_text(sanitize_utf8(walker.pages[k]));
    if (t.empty() && walker.pages.size() > 1) continue;
    Page p;
    p.number = ++number;
    p.text = std::move(t);
    doc.pages.push_back(std::move(p));
    if (k < walker.paragraphs.size()) {
      auto pairs = key_values_from_paragraphs(walker.paragraphs[k], number);
      doc.key_values.insert(doc.key_values.end(), pairs.begin(), pairs.end());
    }
  }
  // DOCX has no geometry: table pairs come from the cells, with null boxes.
  for (const auto& t : doc.tables) {
    auto pairs = key_values_from_rows(t);
    doc.key_values.insert(doc.key_values.end(), pairs.begin(), pairs.end());
  }
  sort_by_page(doc);
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
