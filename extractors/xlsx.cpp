// Excel workbook reader (xlsx.h).
#include "extractors/xlsx.h"

#include <algorithm>
#include <cstring>
#include <map>

#include "extractors/ooxml.h"
#include "extractors/util.h"
#include "extractors/xlsx_numfmt.h"
#include "extractors/xml.h"
#include "extractors/zip.h"

namespace clee {
namespace {

using xml::attr;
using xml::child;
using xml::local;

constexpr size_t kMaxCells = 1'000'000;
constexpr int kMaxColumns = 1024;

// A string item (<si> or <is>): its text runs, without phonetic guides.
std::string string_item(const pugi::xml_node& si) {
  std::string out;
  for (auto c : si.children()) {
    auto l = local(c);
    if (l == "t") out += c.text().get();
    else if (l == "r") out += child(c, "t").text().get();
  }
  return out;
}

struct Workbook {
  std::vector<std::string> strings;
  std::vector<std::string> xf_formats;  // cellXfs index → format code
  bool date1904 = false;
  size_t cells = 0;
  bool cells_capped = false, columns_capped = false;
};

void load_styles(ZipReader& zip, const std::string& part, Workbook& wb) {
  pugi::xml_document sx;
  if (part.empty() || !xml::parse_entry(zip, part, sx)) return;
  std::map<int, std::string> custom;
  for (auto f : child(sx.document_element(), "numFmts").children())
    custom[std::atoi(attr(f, "numFmtId"))] = attr(f, "formatCode");
  for (auto xf : child(sx.document_element(), "cellXfs").children()) {
    int id = std::atoi(attr(xf, "numFmtId"));
    auto it = custom.find(id);
    std::string code = it != custom.end() ? it->second : builtin_number_format(id);
    if (code.empty() && id >= 5 && id <= 8) code = "$#,##0.00_);($#,##0.00)";  // locale currency
    if (code.empty() && ((id >= 27 && id <= 36) || (id >= 50 && id <= 58))) code = "yyyy-mm-dd";  // East Asian dates
    wb.xf_formats.push_back(code);
  }
}

// Column of a cell reference ("AB12" → 27), -1 when it has none.
int column_of(std::string_view ref) {
  int col = 0;
  size_t i = 0;
  for (; i < ref.size() && std::isalpha(static_cast<unsigned char>(ref[i])) && i < 4; ++i)
    col = col * 26 + (std::toupper(static_cast<unsigned char>(ref[i])) - 'A' + 1);
  return i == 0 ? -1 : col - 1;
}

std::string cell_text(const pugi::xml_node& c, const Workbook& wb) {
  std::string t = attr(c, "t");
  pugi::xml_node v = child(c, "v");
  if (t == "inlineStr") return string_item(child(c, "is"));
  if (t == "s") {
    size_t i = static_cast<size_t>(std::atoll(v.text().get()));
    return v && i < wb.strings.size() ? wb.strings[i] : "";
  }
  if (!v) return "";
  std::string raw = v.text().get();
  if (t == "b") return raw == "1" || raw == "true" ? "TRUE" : "FALSE";
  if (t == "str" || t == "e" || t == "d") return raw;
  char* end = nullptr;
  double d = std::strtod(raw.c_str(), &end);
  if (end == raw.c_str()) return raw;
  size_t s = static_cast<size_t>(std::atoi(attr(c, "s")));
  std::string code = s < wb.xf_formats.size() ? wb.xf_formats[s] : "General";
  return format_number(d, code, wb.date1904);
}

// "&L&\"Arial,Bold\"Course &A&RPage &P" → "Course Sheet1 Page".
std::string header_footer_text(std::string_view s, const std::string& sheet) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    char c = s[++i];
    if (c == '&') out += '&';
    else if (c == 'L' || c == 'C' || c == 'R') out += ' ';
    else if (c == 'A') out += sheet;
    else if (c == '"') {
      size_t end = s.find('"', i + 1);
      i = end == std::string_view::npos ? s.size() : end;
    } else if (c == 'K') i += 6;
    else if (std::isdigit(static_cast<unsigned char>(c)))
      while (i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))) ++i;
    // &P &N &D &T &F &Z &G and the style toggles carry no text of the sheet
  }
  return tidy_text(out);
}

std::string drawing_text(ZipReader& zip, const std::string& part) {
  pugi::xml_document d;
  if (!xml::parse_entry(zip, part, d)) return {};
  std::string out;
  for (auto n : d.select_nodes(".//*[local-name()='txBody']/*[local-name()='p']")) {
    for (auto r : n.node().children()) {
      auto l = local(r);
      if (l == "r" || l == "fld") out += child(r, "t").text().get();
      else if (l == "br") out += '\n';
    }
    out += '\n';
  }
  return out;
}

void read_sheet(ZipReader& zip, const std::string& part, const std::string& sheet_name, int number, Workbook& wb,
                Document& doc) {
  pugi::xml_document sx;
  if (Status st = xml::parse_entry(zip, part, sx); !st) {
    doc.warnings.push_back("sheet " + sanitize_utf8(sheet_name) + ": " + st.error().message);
    doc.pages.push_back(Page{number, sanitize_utf8(sheet_name), false, -1, 0});
    return;
  }
  pugi::xml_node ws = sx.document_element();
  Table table;
  table.page = number;
  std::string text = sheet_name + "\n";
  for (auto row : child(ws, "sheetData").children()) {
    if (local(row) != "row") continue;
    std::vector<std::string> cells;
    int next = 0;
    for (auto c : row.children()) {
      if (local(c) != "c") continue;
      if (wb.cells >= kMaxCells) {
        wb.cells_capped = true;
        break;
      }
      int col = column_of(attr(c, "r"));
      if (col < 0) col = next;
      next = col + 1;
      if (col >= kMaxColumns) {
        wb.columns_capped = true;
        continue;
      }
      std::string v = cell_text(c, wb);
      if (v.empty()) continue;
      ++wb.cells;
      if (static_cast<size_t>(col) >= cells.size()) cells.resize(static_cast<size_t>(col) + 1);
      std::string flat;
      for (char ch : v) flat.push_back(ch == '\n' || ch == '\t' || ch == '\r' ? ' ' : ch);
      cells[static_cast<size_t>(col)] = sanitize_utf8(flat);
    }
    if (cells.empty()) continue;
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) line += (i ? "\t" : "") + cells[i];
    text += line + "\n";
    table.rows.push_back(std::move(cells));
  }
  for (auto& [id, rel] : ooxml::relationships(zip, part))
    if (rel.type == "drawing") text += "\n" + drawing_text(zip, rel.target);
  for (auto hf : child(ws, "headerFooter").children()) {
    std::string t = sanitize_utf8(header_footer_text(hf.text().get(), sheet_name));
    if (!t.empty() && std::find(doc.headers_footers.begin(), doc.headers_footers.end(), t) == doc.headers_footers.end())
      doc.headers_footers.push_back(t);
  }
  doc.pages.push_back(Page{number, tidy_text(sanitize_utf8(text)), false, -1, 0});
  if (!table.rows.empty()) doc.tables.push_back(std::move(table));
}

}  // namespace

Document extract_xlsx(std::string_view bytes, const std::string& name, const ExtractOptions& options) {
  Document doc;
  doc.name = name;
  doc.format = Format::kXlsx;
  auto zr = ZipReader::open(bytes, options.limits);
  if (!zr) {
    doc.error = zr.error();
    return doc;
  }
  ZipReader& zip = **zr;
  std::string book = ooxml::main_part(zip, "xl/workbook.xml");
  pugi::xml_document bx;
  if (book.empty()) {
    doc.error = Error{Code::kUnreadableDocument, "not a workbook: xl/workbook.xml is missing"};
    return doc;
  }
  if (Status st = xml::parse_entry(zip, book, bx); !st) {
    doc.error = st.error();
    return doc;
  }
  Workbook wb;
  std::string pr = attr(child(bx.document_element(), "workbookPr"), "date1904");
  wb.date1904 = pr == "1" || pr == "true";
  auto rels = ooxml::relationships(zip, book);
  std::string styles;
  for (auto& [id, rel] : rels) {
    if (rel.type == "sharedStrings") {
      pugi::xml_document ssx;
      Status st = xml::parse_entry(zip, rel.target, ssx);
      if (!st && (st.code() == Code::kLimitExceeded || st.code() == Code::kUnsupportedFormat)) {
        doc.error = st.error();
        return doc;
      }
      for (auto si : ssx.document_element().children())
        if (local(si) == "si") wb.strings.push_back(string_item(si));
    }
    if (rel.type == "styles") styles = rel.target;
  }
  load_styles(zip, styles, wb);
  int number = 0;
  for (auto sheet : child(bx.document_element(), "sheets").children()) {
    auto it = rels.find(attr(sheet, "id"));
    if (it == rels.end() || it->second.type != "worksheet") continue;
    if (number >= options.limits.max_pages) {
      doc.warnings.push_back("sheets beyond the page limit were not read");
      break;
    }
    read_sheet(zip, it->second.target, attr(sheet, "name"), ++number, wb, doc);
  }
  if (wb.cells_capped) doc.warnings.push_back("more than " + std::to_string(kMaxCells) + " cells: the rest were not read");
  if (wb.columns_capped) doc.warnings.push_back("columns beyond " + std::to_string(kMaxColumns) + " were not read");
  if (doc.pages.empty()) doc.pages.push_back(Page{1, "", false, -1, 0});
  ooxml::read_core_properties(zip, doc.metadata);
  return doc;
}

}  // namespace clee
