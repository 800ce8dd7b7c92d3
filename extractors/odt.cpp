// OpenDocument text reader (odt.h).
#include "extractors/odt.h"

#include <algorithm>
#include <cstring>
#include <map>

#include "extractors/pages.h"
#include "extractors/util.h"
#include "extractors/xml.h"
#include "extractors/zip.h"

namespace clee {
namespace {

using xml::attr;
using xml::child;
using xml::local;

constexpr int kMaxDepth = 64;
constexpr int kMaxRepeat = 64;  // repeated table cells/rows with content are shown at most this often

struct ListLevel {
  bool bullet = true;
  std::string bullet_char = "\u2022", format = "1", prefix, suffix = ".";
  int start = 1, display_levels = 1;
};

// Paragraph and list styles from styles.xml and the automatic styles of content.xml.
struct Styles {
  std::map<std::string, std::vector<ListLevel>> lists;
  struct Para {
    std::string parent, list;
    bool break_before = false, break_after = false;
  };
  std::map<std::string, Para> paras;

  void load(const pugi::xml_node& root) {
    for (auto section : root.children()) {
      auto l = local(section);
      if (l != "styles" && l != "automatic-styles") continue;
      for (auto st : section.children()) {
        if (local(st) == "list-style") load_list(st);
        if (local(st) == "style" && std::strcmp(attr(st, "family"), "paragraph") == 0) {
          Para p;
          p.parent = attr(st, "parent-style-name");
          p.list = attr(st, "list-style-name");
          pugi::xml_node props = child(st, "paragraph-properties");
          p.break_before = std::strcmp(attr(props, "break-before"), "page") == 0;
          p.break_after = std::strcmp(attr(props, "break-after"), "page") == 0;
          paras[attr(st, "name")] = p;
        }
      }
    }
  }

  void load_list(const pugi::xml_node& ls) {
    std::vector<ListLevel> levels(10);
    for (auto lv : ls.children()) {
      int level = std::clamp(std::atoi(attr(lv, "level")), 1, 10) - 1;
      ListLevel L;
      if (local(lv) == "list-level-style-number") {
        L.bullet = false;
        L.format = attr(lv, "num-format");
        L.prefix = attr(lv, "num-prefix");
        L.suffix = attr(lv, "num-suffix");
        if (*attr(lv, "start-value")) L.start = std::atoi(attr(lv, "start-value"));
        if (*attr(lv, "display-levels")) L.display_levels = std::clamp(std::atoi(attr(lv, "display-levels")), 1, 10);
      } else if (local(lv) == "list-level-style-bullet") {
        L.bullet_char = attr(lv, "bullet-char");
      } else {
        L.bullet_char.clear();  // an image bullet
      }
      levels[static_cast<size_t>(level)] = L;
    }
    lists[attr(ls, "name")] = std::move(levels);
  }

  const Para* para(const std::string& name) const {
    auto it = paras.find(name);
    return it == paras.end() ? nullptr : &it->second;
  }
  // The list style a paragraph style names, following parents.
  std::string list_of(std::string style) const {
    for (int hop = 0; hop < 10 && !style.empty(); ++hop) {
      const Para* p = para(style);
      if (!p) break;
      if (!p->list.empty()) return p->list;
      style = p->parent;
    }
    return {};
  }
};


std::string number_text(const std::string& fmt, int n) {
  if (fmt.empty()) return "";
  if (fmt == "a" || fmt == "A") return n <= 0 ? "0" : std::string(static_cast<size_t>(std::min((n - 1) / 26 + 1, 10)), static_cast<char>(fmt[0] + (n - 1) % 26));
  if (fmt == "i" || fmt == "I") return roman_numeral(n, fmt == "I");
  return std::to_string(n);
}

class Walker {
 public:
  Walker(Document& doc, const Styles& styles, std::vector<std::string>* notes)
      : doc_(doc), styles_(styles), notes_(notes) {}

  std::vector<std::string> pages{std::string()};

  void block(const pugi::xml_node& n, int depth) {
    if (depth > kMaxDepth) return;
    for (auto c : n.children()) {
      if (c.type() != pugi::node_element) continue;
      auto l = local(c);
      if (l == "p" || l == "h") paragraph(c, depth, "");
      else if (l == "list") list(c, depth, 0, "");
      else if (l == "table") table(c, depth);
      else if (l == "frame") frame(c, depth);
      else if (l == "tracked-changes" || l == "annotation" || l == "sequence-decls" || l == "variable-decls" ||
               l == "user-field-decls" || l == "forms" || l == "index-source" || l == "table-of-content-source")
        continue;
      else block(c, depth + 1);  // sections, index bodies, shapes, soft page breaks
    }
  }

 private:
  void out(std::string_view s) { pages.back().append(s); }
  void new_page() {
    if (!pages.back().empty() && static_cast<int>(pages.size()) < max_pages_) pages.emplace_back();
  }

  void paragraph(const pugi::xml_node& p, int depth, const std::string& marker) {
    const Styles::Para* st = styles_.para(attr(p, "style-name"));
    if (st && st->break_before) new_page();
    std::string text = marker;
    after_.clear();
    inline_content(p, text, depth);
    out(text);
    out("\n");
    for (auto& a : after_) out(a);  // text boxes anchored in this paragraph
    after_.clear();
    if (st && st->break_after) new_page();
  }

  void inline_content(const pugi::xml_node& n, std::string& text, int depth) {
    if (depth > kMaxDepth) return;
    for (auto c : n.children()) {
      if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
        text += c.value();
        continue;
      }
      if (c.type() != pugi::node_element) continue;
      auto l = local(c);
      if (l == "s") {
        int count = *attr(c, "c") ? std::clamp(std::atoi(attr(c, "c")), 1, 1000) : 1;
        text.append(static_cast<size_t>(count), ' ');
      } else if (l == "tab") {
        text += '\t';
      } else if (l == "line-break") {
        text += '\n';
      } else if (l == "note") {
        note(c, text, depth);
      } else if (l == "annotation" || l == "annotation-end" || l == "ruby-text" || l == "tracked-changes" ||
                 std::string_view(c.name()).rfind("svg:", 0) == 0) {
        continue;  // comments, ruby annotations, deletions, a shape's accessibility title/description
      } else if (l == "frame") {
        frame(c, depth);
      } else if (std::string_view(c.name()).rfind("draw:", 0) == 0 && l != "a") {
        shape(c, depth);  // a drawing shape's own paragraphs
      } else {
        inline_content(c, text, depth + 1);  // span, a, fields (their text is the value shown), ruby-base, shapes
      }
    }
  }

  void note(const pugi::xml_node& n, std::string& text, int depth) {
    if (!notes_) return;
    std::string label = "[" + std::to_string(notes_->size() + 1) + "]";
    text += label;
    Walker inner(doc_, styles_, nullptr);
    inner.max_pages_ = 1;
    inner.block(child(n, "note-body"), depth + 1);
    std::string body;
    for (auto& pg : inner.pages) body += pg;
    notes_->push_back(label + " " + tidy_text(body));
  }

  // A frame holding a text box reads after its anchor; an image or an embedded object does not.
  void frame(const pugi::xml_node& f, int depth) {
    for (auto c : f.children()) {
      if (local(c) != "text-box") continue;
      Walker inner(doc_, styles_, notes_);
      inner.max_pages_ = 1;
      inner.block(c, depth + 1);
      for (auto& pg : inner.pages) after_.push_back(pg);
    }
  }

  void shape(const pugi::xml_node& s, int depth) {
    Walker inner(doc_, styles_, notes_);
    inner.max_pages_ = 1;
    inner.block(s, depth + 1);
    for (auto& pg : inner.pages) after_.push_back(pg);
  }

  void list(const pugi::xml_node& l, int depth, int level, std::string style) {
    if (depth > kMaxDepth) return;
    if (*attr(l, "style-name")) style = attr(l, "style-name");
    if (level == 0) {
      bool cont = std::strcmp(attr(l, "continue-numbering"), "true") == 0 || *attr(l, "continue-list");
      if (!cont) counters_[style].assign(10, 0);
      counters_[style].resize(10, 0);
    }
    auto lit = styles_.lists.find(style);
    ListLevel L = lit != styles_.lists.end() ? lit->second[static_cast<size_t>(std::min(level, 9))] : ListLevel{};
    for (auto item : l.children()) {
      bool header = local(item) == "list-header";
      if (local(item) != "list-item" && !header) continue;
      std::string marker;
      bool has_para = child(item, "p") || child(item, "h");
      if (!header && has_para) marker = item_marker(style, level, L, item);
      std::string indent(static_cast<size_t>(std::min(level, 9)) * 2, ' ');
      bool first = true;
      for (auto c : item.children()) {
        auto cl = local(c);
        if (cl == "p" || cl == "h") {
          paragraph(c, depth + 1, indent + (first ? marker : std::string()));
          first = false;
        } else if (cl == "list") {
          list(c, depth + 1, level + 1, style);
        } else if (cl == "table") {
          table(c, depth + 1);
        }
      }
    }
  }

  std::string item_marker(const std::string& style, int level, const ListLevel& L, const pugi::xml_node& item) {
    auto& ctr = counters_[style];
    ctr.resize(10, 0);
    int lv = std::min(level, 9);
    if (*attr(item, "start-value")) ctr[static_cast<size_t>(lv)] = std::atoi(attr(item, "start-value"));
    else ctr[static_cast<size_t>(lv)] = ctr[static_cast<size_t>(lv)] == 0 ? L.start : ctr[static_cast<size_t>(lv)] + 1;
    for (size_t k = static_cast<size_t>(lv) + 1; k < ctr.size(); ++k) ctr[k] = 0;
    if (L.bullet) return L.bullet_char.empty() ? "" : L.bullet_char + " ";
    if (L.format.empty()) return L.prefix + L.suffix + (L.prefix.empty() && L.suffix.empty() ? "" : " ");
    auto lit = styles_.lists.find(style);
    std::string num;
    for (int k = std::max(0, lv - L.display_levels + 1); k <= lv; ++k) {
      const ListLevel& Lk = lit != styles_.lists.end() ? lit->second[static_cast<size_t>(k)] : L;
      int v = ctr[static_cast<size_t>(k)] == 0 ? Lk.start : ctr[static_cast<size_t>(k)];
      num += (num.empty() ? "" : ".") + number_text(Lk.bullet ? std::string("1") : Lk.format, v);
    }
    return L.prefix + num + L.suffix + " ";
  }

  void table(const pugi::xml_node& t, int depth) {
    if (depth > kMaxDepth) return;
    size_t slot = doc_.tables.size();
    doc_.tables.emplace_back();  // reserved: a nested table is listed after the one holding it
    Table tab;
    tab.page = static_cast<int>(pages.size());
    rows(t, depth, tab);
    if (!tab.rows.empty()) doc_.tables[slot] = std::move(tab);
    else doc_.tables.erase(doc_.tables.begin() + static_cast<std::ptrdiff_t>(slot));
  }

  void rows(const pugi::xml_node& n, int depth, Table& tab) {
    for (auto r : n.children()) {
      auto l = local(r);
      if (l == "table-header-rows" || l == "table-rows" || l == "table-row-group") {
        rows(r, depth + 1, tab);
        continue;
      }
      if (l != "table-row") continue;
      std::vector<std::string> row;
      for (auto c : r.children()) {
        if (local(c) != "table-cell") continue;  // covered cells belong to the merge before them
        Walker inner(doc_, styles_, notes_);
        inner.max_pages_ = 1;
        inner.block(c, depth + 1);
        std::string flat;
        for (char ch : tidy_text(inner.pages[0])) flat.push_back(ch == '\n' || ch == '\t' ? ' ' : ch);
        int repeat = std::clamp(std::atoi(attr(c, "number-columns-repeated")), 1, kMaxRepeat);
        for (int k = 0; k < (flat.empty() ? 1 : repeat); ++k) row.push_back(flat);
      }
      while (!row.empty() && row.back().empty()) row.pop_back();  // trailing empty cells (a sheet's width)
      if (row.empty()) continue;
      int repeat = std::clamp(std::atoi(attr(r, "number-rows-repeated")), 1, kMaxRepeat);
      for (int k = 0; k < repeat; ++k) {
        std::string line;
        for (size_t i = 0; i < row.size(); ++i) line += (i ? "\t" : "") + row[i];
        out(line);
        out("\n");
        tab.rows.push_back(row);
      }
    }
  }

  Document& doc_;
  const Styles& styles_;
  std::vector<std::string>* notes_;
  std::vector<std::string> after_;
  std::map<std::string, std::vector<int>> counters_;
 public:
  int max_pages_ = 500;
};

std::string meta_value(const pugi::xml_node& meta, std::string_view name) {
  pugi::xml_node n = child(meta, name);
  return n ? tidy_text(sanitize_utf8(xml::text_of(n))) : "";
}

// The parts of an ODF document, from a package or from one flat XML file.
struct Parts {
  pugi::xml_document content, styles, meta;
  pugi::xml_node content_root, styles_root, meta_root;
};

Status load_package(std::string_view bytes, const Limits& limits, Parts& parts) {
  auto zr = ZipReader::open(bytes, limits);
  if (!zr) return zr.error();
  ZipReader& zip = **zr;
  if (const ZipEntry* m = zip.find("META-INF/manifest.xml")) {
    auto manifest = zip.read(*m);
    if (manifest && manifest->find("encryption-data") != std::string::npos)
      return Error{Code::kEncryptedDocument, "the OpenDocument file is password-protected"};
  }
  Status st = xml::parse_entry(zip, "content.xml", parts.content);
  if (!st) return st.code() == Code::kNotFound ? Error{Code::kUnreadableDocument, "not an OpenDocument text: content.xml is missing"} : st;
  parts.content_root = parts.content.document_element();
  // styles.xml and meta.xml are optional; a broken one costs only what it holds.
  if (xml::parse_entry(zip, "styles.xml", parts.styles)) parts.styles_root = parts.styles.document_element();
  if (xml::parse_entry(zip, "meta.xml", parts.meta)) parts.meta_root = parts.meta.document_element();
  return Status::Ok();
}

}  // namespace

Document extract_odt(std::string_view bytes, const std::string& name, const ExtractOptions& options) {
  Document doc;
  doc.name = name;
  doc.format = Format::kOdt;
  Parts parts;
  if (bytes.substr(0, 2) == "PK") {
    if (Status st = load_package(bytes, options.limits, parts); !st) {
      doc.error = st.error();
      return doc;
    }
  } else {
    if (bytes.size() > options.limits.max_entry_bytes) {
      doc.error = Error{Code::kLimitExceeded, "flat OpenDocument file larger than the part limit"};
      return doc;
    }
    if (Status st = xml::parse(std::string(bytes), parts.content, "flat ODT"); !st) {
      doc.error = st.error();
      return doc;
    }
    parts.content_root = parts.styles_root = parts.meta_root = parts.content.document_element();
  }
  Styles styles;
  if (parts.styles_root) styles.load(parts.styles_root);
  if (parts.content_root != parts.styles_root) styles.load(parts.content_root);
  std::vector<std::string> notes;
  Walker walker(doc, styles, &notes);
  walker.max_pages_ = options.limits.max_pages;
  pugi::xml_node text = child(child(parts.content_root, "body"), "text");
  if (!text) {
    doc.error = Error{Code::kUnreadableDocument, "no office:text body (not an OpenDocument text)"};
    return doc;
  }
  walker.block(text, 0);
  if (!notes.empty()) {
    walker.pages.back() += "\n";
    for (auto& n : notes) walker.pages.back() += n + "\n";
  }
  std::vector<Table> tables = std::move(doc.tables);
  doc.tables.clear();
  finish_pages(walker.pages, tables, doc);
  // Headers and footers of the master pages.
  for (auto mp : child(parts.styles_root, "master-styles").children()) {
    for (auto hf : mp.children()) {
      auto l = local(hf);
      if (l.rfind("header", 0) != 0 && l.rfind("footer", 0) != 0) continue;
      Walker hw(doc, styles, nullptr);
      hw.max_pages_ = 1;
      hw.block(hf, 0);
      std::string t = tidy_text(sanitize_utf8(hw.pages[0]));
      if (!t.empty() && std::find(doc.headers_footers.begin(), doc.headers_footers.end(), t) == doc.headers_footers.end())
        doc.headers_footers.push_back(t);
    }
  }
  if (pugi::xml_node meta = child(parts.meta_root, "meta")) {
    doc.metadata.title = meta_value(meta, "title");
    doc.metadata.subject = meta_value(meta, "subject");
    doc.metadata.author = meta_value(meta, "creator");
    if (doc.metadata.author.empty()) doc.metadata.author = meta_value(meta, "initial-creator");
    doc.metadata.creator = meta_value(meta, "generator");
    doc.metadata.created = meta_value(meta, "creation-date");
    doc.metadata.modified = meta_value(meta, "date");
  }
  return doc;
}

}  // namespace clee
