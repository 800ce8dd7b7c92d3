// PowerPoint reader (pptx.h).
#include "extractors/pptx.h"

#include <algorithm>
#include <climits>
#include <cstring>
#include <map>
#include <optional>

#include "extractors/ooxml.h"
#include "extractors/util.h"
#include "extractors/xml.h"
#include "extractors/zip.h"

namespace clee {
namespace {

using xml::attr;
using xml::child;
using xml::local;

constexpr int kMaxDepth = 32;

struct Position {
  int64_t y = INT64_MAX, x = INT64_MAX;
  bool known() const { return y != INT64_MAX; }
};

Position position_of(const pugi::xml_node& xfrm) {
  pugi::xml_node off = child(xfrm, "off");
  if (!off) return {};
  return Position{std::atoll(attr(off, "y")), std::atoll(attr(off, "x"))};
}

// A placeholder's identity: its idx, else its type ("body" when a layout omits it).
struct PlaceholderKey {
  std::string type, idx;
};

std::optional<PlaceholderKey> placeholder(const pugi::xml_node& sp) {
  for (auto nv : sp.children()) {
    if (local(nv).rfind("nv", 0) != 0) continue;  // nvSpPr, nvGraphicFramePr, nvPicPr
    if (pugi::xml_node ph = child(child(nv, "nvPr"), "ph")) {
      std::string type = attr(ph, "type");
      return PlaceholderKey{type.empty() ? "body" : type, attr(ph, "idx")};
    }
  }
  return std::nullopt;
}

// Placeholder positions of a layout or master, by "idx:N" and "type:T".
using Placeholders = std::map<std::string, Position>;

Placeholders read_placeholders(const pugi::xml_document& d) {
  Placeholders out;
  pugi::xml_node tree = child(child(d.document_element(), "cSld"), "spTree");
  for (auto sp : tree.children()) {
    auto key = placeholder(sp);
    if (!key) continue;
    Position p = position_of(child(child(sp, "spPr"), "xfrm"));
    if (!p.known()) continue;
    if (!key->idx.empty()) out.emplace("idx:" + key->idx, p);
    out.emplace("type:" + key->type, p);
  }
  return out;
}

std::string paragraph_text(const pugi::xml_node& p) {
  std::string text;
  for (auto c : p.children()) {
    auto l = local(c);
    if (l == "r" || l == "fld") text += xml::text_of(child(c, "t"));
    else if (l == "br") text += '\n';
  }
  return text;
}

// The paragraphs of a text body, one line each, indented by outline level.
std::string body_text(const pugi::xml_node& tx, bool indent) {
  std::string out;
  for (auto p : tx.children()) {
    if (local(p) != "p") continue;
    int level = std::clamp(std::atoi(attr(child(p, "pPr"), "lvl")), 0, 8);
    out += std::string(indent ? static_cast<size_t>(level) * 2 : 0, ' ') + paragraph_text(p) + "\n";
  }
  return out;
}

struct Shape {
  Position pos;
  int order = 0;
  bool title = false, footer = false;
  std::string text;
  std::vector<Table> tables;
};

class SlideReader {
 public:
  SlideReader(ZipReader& zip, std::map<std::string, Placeholders>& cache) : zip_(zip), cache_(cache) {}

  // Reads one slide part; `number` is its page number.
  Status read(const std::string& part, int number, Document& doc);

 private:
  void collect(const pugi::xml_node& tree, int depth, std::vector<Shape>& out);
  void shape(const pugi::xml_node& sp, std::vector<Shape>& out);
  void frame(const pugi::xml_node& gf, std::vector<Shape>& out);
  void table(const pugi::xml_node& tbl, Shape& s);
  std::string diagram_text(const pugi::xml_node& graphic_data);
  Position inherited(const PlaceholderKey& key);
  const Placeholders& placeholders_of(const std::string& part);

  ZipReader& zip_;
  std::map<std::string, Placeholders>& cache_;
  std::string part_, layout_, master_;
  std::map<std::string, ooxml::Relationship> rels_;
  int order_ = 0;
};

const Placeholders& SlideReader::placeholders_of(const std::string& part) {
  auto it = cache_.find(part);
  if (it != cache_.end()) return it->second;
  pugi::xml_document d;
  Placeholders p;
  if (!part.empty() && xml::parse_entry(zip_, part, d)) p = read_placeholders(d);
  return cache_[part] = std::move(p);
}

Position SlideReader::inherited(const PlaceholderKey& key) {
  for (const std::string* part : {&layout_, &master_}) {
    const Placeholders& ph = placeholders_of(*part);
    if (!key.idx.empty())
      if (auto it = ph.find("idx:" + key.idx); it != ph.end()) return it->second;
    if (auto it = ph.find("type:" + key.type); it != ph.end()) return it->second;
  }
  return {};
}

void SlideReader::shape(const pugi::xml_node& sp, std::vector<Shape>& out) {
  Shape s;
  s.order = order_++;
  s.pos = position_of(child(child(sp, "spPr"), "xfrm"));
  if (auto key = placeholder(sp)) {
    s.title = key->type == "title" || key->type == "ctrTitle";
    s.footer = key->type == "ftr" || key->type == "dt" || key->type == "sldNum";
    if (!s.pos.known()) s.pos = inherited(*key);
  }
  s.text = body_text(child(sp, "txBody"), true);
  if (!tidy_text(s.text).empty()) out.push_back(std::move(s));
}

void SlideReader::table(const pugi::xml_node& tbl, Shape& s) {
  Table t;
  for (auto tr : tbl.children()) {
    if (local(tr) != "tr") continue;
    std::vector<std::string> row;
    for (auto tc : tr.children()) {
      if (local(tc) != "tc" || std::strcmp(attr(tc, "hMerge"), "1") == 0) continue;  // a merge's continuation
      std::string flat;
      for (char ch : tidy_text(body_text(child(tc, "txBody"), false))) flat.push_back(ch == '\n' || ch == '\t' ? ' ' : ch);
      row.push_back(flat);
    }
    if (row.empty()) continue;
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) line += (i ? "\t" : "") + row[i];
    s.text += line + "\n";
    t.rows.push_back(std::move(row));
  }
  if (!t.rows.empty()) s.tables.push_back(std::move(t));
}

std::string SlideReader::diagram_text(const pugi::xml_node& data) {
  pugi::xml_node ids = child(data, "relIds");
  auto it = rels_.find(attr(ids, "dm"));
  if (it == rels_.end()) return {};
  pugi::xml_document d;
  if (!xml::parse_entry(zip_, it->second.target, d)) return {};
  std::string out;
  for (auto pt : child(d.document_element(), "ptLst").children()) {
    std::string type = attr(pt, "type");
    if (!type.empty() && type != "node") continue;  // transitions and documents carry no text
    out += body_text(child(pt, "t"), false);
  }
  return out;
}

void SlideReader::frame(const pugi::xml_node& gf, std::vector<Shape>& out) {
  Shape s;
  s.order = order_++;
  s.pos = position_of(child(gf, "xfrm"));
  if (!s.pos.known())
    if (auto key = placeholder(gf)) s.pos = inherited(*key);
  pugi::xml_node data = child(child(gf, "graphic"), "graphicData");
  if (pugi::xml_node tbl = child(data, "tbl")) table(tbl, s);
  else if (std::strstr(attr(data, "uri"), "diagram")) s.text = diagram_text(data);
  if (!tidy_text(s.text).empty()) out.push_back(std::move(s));
}

void SlideReader::collect(const pugi::xml_node& tree, int depth, std::vector<Shape>& out) {
  if (depth > kMaxDepth) return;
  for (auto c : tree.children()) {
    auto l = local(c);
    if (l == "sp") {
      shape(c, out);
    } else if (l == "graphicFrame") {
      frame(c, out);
    } else if (l == "AlternateContent") {
      pugi::xml_node pick = child(c, "Choice");
      collect(pick ? pick : child(c, "Fallback"), depth + 1, out);
    } else if (l == "grpSp") {
      // A group reads as one block at the group's place, its shapes in their own order.
      std::vector<Shape> inner;
      collect(c, depth + 1, inner);
      if (inner.empty()) continue;
      std::stable_sort(inner.begin(), inner.end(), [](const Shape& a, const Shape& b) {
        return std::tie(a.pos.y, a.pos.x) < std::tie(b.pos.y, b.pos.x);
      });
      Shape g;
      g.order = order_++;
      g.pos = position_of(child(child(c, "grpSpPr"), "xfrm"));
      for (auto& s : inner) {
        if (s.footer) {
          out.push_back(std::move(s));
          continue;
        }
        g.text += s.text;
        for (auto& t : s.tables) g.tables.push_back(std::move(t));
      }
      out.push_back(std::move(g));
    }
  }
}

Status SlideReader::read(const std::string& part, int number, Document& doc) {
  pugi::xml_document d;
  if (Status st = xml::parse_entry(zip_, part, d); !st) return st;
  part_ = part;
  rels_ = ooxml::relationships(zip_, part);
  layout_.clear();
  master_.clear();
  std::string notes_part;
  for (auto& [id, rel] : rels_) {
    if (rel.type == "slideLayout") layout_ = rel.target;
    if (rel.type == "notesSlide") notes_part = rel.target;
  }
  if (!layout_.empty())
    for (auto& [id, rel] : ooxml::relationships(zip_, layout_))
      if (rel.type == "slideMaster") master_ = rel.target;
  std::vector<Shape> shapes;
  collect(child(child(d.document_element(), "cSld"), "spTree"), 0, shapes);
  std::stable_sort(shapes.begin(), shapes.end(), [](const Shape& a, const Shape& b) {
    return std::make_tuple(!a.title, a.pos.y, a.pos.x) < std::make_tuple(!b.title, b.pos.y, b.pos.x);
  });
  std::string text;
  for (auto& s : shapes) {
    if (s.footer) {
      std::string t = tidy_text(sanitize_utf8(s.text));
      if (!t.empty() && std::find(doc.headers_footers.begin(), doc.headers_footers.end(), t) == doc.headers_footers.end())
        doc.headers_footers.push_back(t);
      continue;
    }
    text += s.text + "\n";
    for (auto& t : s.tables) {
      t.page = number;
      for (auto& r : t.rows)
        for (auto& cell : r) cell = sanitize_utf8(cell);
      doc.tables.push_back(std::move(t));
    }
  }
  // Speaker notes: the notes slide's text (its body placeholder, or text boxes some writers use),
  // not the slide image, number, header, footer or date placeholders.
  pugi::xml_document nd;
  if (!notes_part.empty() && xml::parse_entry(zip_, notes_part, nd)) {
    for (auto sp : child(child(nd.document_element(), "cSld"), "spTree").children()) {
      if (local(sp) != "sp") continue;
      auto key = placeholder(sp);
      if (key && (key->type == "sldImg" || key->type == "sldNum" || key->type == "hdr" || key->type == "ftr" ||
                  key->type == "dt"))
        continue;
      text += "\n" + body_text(child(sp, "txBody"), false);
    }
  }
  doc.pages.push_back(Page{number, tidy_text(sanitize_utf8(text)), false, -1, 0});
  return Status::Ok();
}

}  // namespace

Document extract_pptx(std::string_view bytes, const std::string& name, const ExtractOptions& options) {
  Document doc;
  doc.name = name;
  doc.format = Format::kPptx;
  auto zr = ZipReader::open(bytes, options.limits);
  if (!zr) {
    doc.error = zr.error();
    return doc;
  }
  ZipReader& zip = **zr;
  std::string pres = ooxml::main_part(zip, "ppt/presentation.xml");
  pugi::xml_document px;
  if (pres.empty()) {
    doc.error = Error{Code::kUnreadableDocument, "not a presentation: ppt/presentation.xml is missing"};
    return doc;
  }
  if (Status st = xml::parse_entry(zip, pres, px); !st) {
    doc.error = st.error();
    return doc;
  }
  auto rels = ooxml::relationships(zip, pres);
  std::vector<std::string> slides;
  for (auto id : child(px.document_element(), "sldIdLst").children()) {
    // p:sldId has both a slide number `id` and the relationship `r:id`: the prefixed one.
    std::string rid;
    for (auto a : id.attributes()) {
      std::string_view an = a.name();
      if (an.size() > 3 && an.substr(an.size() - 3) == ":id") rid = a.value();
    }
    auto it = rels.find(rid);
    if (it != rels.end() && it->second.type == "slide") slides.push_back(it->second.target);
  }
  std::map<std::string, Placeholders> cache;
  SlideReader reader(zip, cache);
  for (size_t i = 0; i < slides.size(); ++i) {
    if (static_cast<int>(i) >= options.limits.max_pages) {
      doc.warnings.push_back(std::to_string(slides.size() - i) + " slides beyond the page limit were not read");
      break;
    }
    Status st = reader.read(slides[i], static_cast<int>(i) + 1, doc);
    if (!st) {
      // A damaged slide costs only itself; a bomb or entities stop the document.
      if (st.code() == Code::kLimitExceeded || st.code() == Code::kUnsupportedFormat) {
        doc.error = st.error();
        return doc;
      }
      doc.warnings.push_back("slide " + std::to_string(i + 1) + ": " + st.error().message);
      doc.pages.push_back(Page{static_cast<int>(i) + 1, "", false, -1, 0});
    }
  }
  if (doc.pages.empty()) doc.pages.push_back(Page{1, "", false, -1, 0});
  ooxml::read_core_properties(zip, doc.metadata);
  return doc;
}

}  // namespace clee
