// Word 97–2003 reader (doc.h). Structure names follow MS-DOC ([MS-DOC] 2.5 FIB, 2.9.38 Clx,
// 2.9.177 PlcBtePapx, 2.9.175 PapxFkp).
#include "extractors/doc.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "extractors/doc_lists.h"
#include "extractors/ole.h"
#include "extractors/pages.h"
#include "extractors/util.h"

namespace clee {
namespace {

uint16_t u16(std::string_view s, size_t o) {
  return o + 2 <= s.size() ? static_cast<uint16_t>(static_cast<unsigned char>(s[o]) | static_cast<unsigned char>(s[o + 1]) << 8)
                           : 0;
}
uint32_t u32(std::string_view s, size_t o) {
  return o + 4 <= s.size() ? static_cast<uint32_t>(u16(s, o)) | static_cast<uint32_t>(u16(s, o + 2)) << 16 : 0;
}

// Windows-1252's 0x80..0x9F (compressed pieces are 1252; the rest is Latin-1).
char32_t cp1252(unsigned char c) {
  static const char16_t k80[32] = {0x20AC, 0xFFFD, 0x201A, 0x0192, 0x2026, 0x2020, 0x2021, 0x02C6,
                                   0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD,
                                   0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                   0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
  return c >= 0x80 && c < 0xA0 ? k80[c - 0x80] : c;
}

struct Fib {
  uint16_t nfib = 0;
  bool encrypted = false, obfuscated = false, table1 = false;
  uint32_t ccp_text = 0, ccp_ftn = 0, ccp_hdd = 0, ccp_mcr = 0, ccp_atn = 0, ccp_edn = 0, ccp_txbx = 0,
           ccp_hdrtxbx = 0;
  std::vector<std::pair<uint32_t, uint32_t>> fclcb;  // FibRgFcLcb: (fc, lcb) pairs
  std::pair<uint32_t, uint32_t> at(size_t i) const { return i < fclcb.size() ? fclcb[i] : std::pair<uint32_t, uint32_t>{0, 0}; }
};
constexpr size_t kStshf = 1, kPlcfHdd = 11, kPlcfBtePapx = 13, kClx = 33, kPlfLst = 73, kPlfLfo = 74;

Result<Fib> parse_fib(std::string_view wd) {
  if (wd.size() < 0x44 || u16(wd, 0) != 0xA5EC) return Error{Code::kUnreadableDocument, "not a Word 97-2003 document (FIB)"};
  Fib f;
  f.nfib = u16(wd, 2);
  uint16_t flags = u16(wd, 0x0A);
  f.encrypted = flags & 0x0100;
  f.table1 = flags & 0x0200;
  f.obfuscated = flags & 0x8000;
  size_t pos = 32;
  size_t csw = u16(wd, pos);
  pos += 2 + csw * 2;
  size_t cslw = u16(wd, pos);
  pos += 2;
  if (cslw < 11 || pos + cslw * 4 + 2 > wd.size()) return Error{Code::kUnreadableDocument, "the Word FIB is cut short"};
  auto lw = [&](size_t i) { return u32(wd, pos + i * 4); };
  f.ccp_text = lw(3);
  f.ccp_ftn = lw(4);
  f.ccp_hdd = lw(5);
  f.ccp_mcr = lw(6);
  f.ccp_atn = lw(7);
  f.ccp_edn = lw(8);
  f.ccp_txbx = lw(9);
  f.ccp_hdrtxbx = lw(10);
  pos += cslw * 4;
  size_t n = u16(wd, pos);
  pos += 2;
  for (size_t i = 0; i < n && pos + 8 <= wd.size(); ++i, pos += 8) f.fclcb.emplace_back(u32(wd, pos), u32(wd, pos + 4));
  if (f.fclcb.size() <= kClx) return Error{Code::kUnreadableDocument, "the Word FIB has no piece table entry"};
  return f;
}

// The piece table: CP ranges of text and where their characters are in the WordDocument stream.
struct Piece {
  uint32_t cp0, cp1;
  uint32_t fc;  // byte offset of the first character
  bool compressed;
};

Result<std::vector<Piece>> parse_clx(std::string_view table, uint32_t fc, uint32_t lcb) {
  if (static_cast<uint64_t>(fc) + lcb > table.size() || lcb == 0)
    return Error{Code::kUnreadableDocument, "the Word piece table lies outside the table stream"};
  std::string_view clx = table.substr(fc, lcb);
  size_t p = 0;
  while (p < clx.size() && clx[p] == 0x01) {  // Prc: property modifiers for pieces, skipped
    p += 3 + static_cast<size_t>(static_cast<int16_t>(u16(clx, p + 1)) < 0 ? 0 : u16(clx, p + 1));
  }
  if (p >= clx.size() || clx[p] != 0x02) return Error{Code::kUnreadableDocument, "the Word piece table is damaged"};
  uint32_t size = u32(clx, p + 1);
  p += 5;
  if (size < 4 || p + size > clx.size() || (size - 4) % 12 != 0)
    return Error{Code::kUnreadableDocument, "the Word piece table has a bad size"};
  size_t n = (size - 4) / 12;
  std::vector<Piece> pieces;
  pieces.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    uint32_t cp0 = u32(clx, p + i * 4), cp1 = u32(clx, p + (i + 1) * 4);
    uint32_t raw = u32(clx, p + (n + 1) * 4 + i * 8 + 2);
    if (cp1 <= cp0) continue;
    bool compressed = raw & 0x40000000;
    uint32_t at = raw & 0x3FFFFFFF;
    pieces.push_back(Piece{cp0, cp1, compressed ? at / 2 : at, compressed});
  }
  return pieces;
}

// What the layout needs from a paragraph's properties.
struct ParaProps {
  bool in_table = false, row_end = false, inner_cell = false, inner_row_end = false;
  int depth = 0;  // itap
  int istd = -1;            // paragraph style
  int ilfo = -1, ilvl = -1;  // list (1-based LFO; 0 = none) and level, when the paragraph sets them
};
struct PapxRun {
  uint32_t fc0, fc1;
  ParaProps props;
};

ParaProps read_grpprl(std::string_view g) {
  ParaProps pp;
  size_t p = 0;
  while (p + 2 <= g.size()) {
    uint16_t sprm = u16(g, p);
    p += 2;
    size_t len;
    switch (sprm >> 13) {
      case 0: case 1: len = 1; break;
      case 2: case 4: case 5: len = 2; break;
      case 3: len = 4; break;
      case 7: len = 3; break;
      default:  // variable: a length byte, or sprmTDefTable's two-byte count
        if (sprm == 0xD608 || sprm == 0xD606) len = 2 + (u16(g, p) > 0 ? u16(g, p) - 1u : 0u);
        else if (p < g.size() && static_cast<unsigned char>(g[p]) == 255 && sprm == 0xC615) return pp;
        else len = p < g.size() ? 1 + static_cast<unsigned char>(g[p]) : 1;
    }
    if (p + len > g.size()) break;
    unsigned char b = static_cast<unsigned char>(g[p]);
    switch (sprm) {
      case 0x2416: pp.in_table = b != 0; break;   // sprmPFInTable
      case 0x2417: pp.row_end = b != 0; break;    // sprmPFTtp
      case 0x244B: pp.inner_cell = b != 0; break; // sprmPFInnerTableCell
      case 0x244C: pp.inner_row_end = b != 0; break;  // sprmPFInnerTtp
      case 0x6649: pp.depth = static_cast<int>(u32(g, p)); break;  // sprmPItap
      case 0x460B: pp.ilfo = static_cast<int16_t>(u16(g, p)); break;  // sprmPIlfo
      case 0x260A: pp.ilvl = b; break;                               // sprmPIlvl
      default: break;
    }
    p += len;
  }
  if (pp.depth > 0) pp.in_table = true;
  return pp;
}

// Every PAPX run of the document, from the FKP pages PlcBtePapx points at, sorted by FC.
std::vector<PapxRun> parse_papx(std::string_view wd, std::string_view table, std::pair<uint32_t, uint32_t> plc) {
  std::vector<PapxRun> runs;
  auto [fc, lcb] = plc;
  if (lcb < 12 || static_cast<uint64_t>(fc) + lcb > table.size() || (lcb - 4) % 8 != 0) return runs;
  std::string_view bte = table.substr(fc, lcb);
  size_t n = (lcb - 4) / 8;
  for (size_t i = 0; i < n; ++i) {
    uint64_t pn = u32(bte, (n + 1) * 4 + i * 4) & 0x3FFFFF;
    if ((pn + 1) * 512 > wd.size()) continue;
    std::string_view page = wd.substr(pn * 512, 512);
    size_t crun = static_cast<unsigned char>(page[511]);
    if (crun == 0 || 4 * (crun + 1) + 13 * crun > 511) continue;
    for (size_t r = 0; r < crun; ++r) {
      PapxRun run{u32(page, 4 * r), u32(page, 4 * (r + 1)), {}};
      size_t off = static_cast<size_t>(static_cast<unsigned char>(page[4 * (crun + 1) + 13 * r])) * 2;
      if (off > 0 && off + 2 < 511) {
        size_t cb = static_cast<unsigned char>(page[off]);
        size_t start = off + 1, len = 2 * cb - 1;
        if (cb == 0) {
          start = off + 2;
          len = 2 * static_cast<size_t>(static_cast<unsigned char>(page[off + 1]));
        }
        if (len >= 2 && start + len <= 511) {
          run.props = read_grpprl(page.substr(start + 2, len - 2));
          run.props.istd = u16(page, start);
        }
      }
      runs.push_back(run);
    }
  }
  std::sort(runs.begin(), runs.end(), [](const PapxRun& a, const PapxRun& b) { return a.fc0 < b.fc0; });
  return runs;
}

// Turns character sequences into Document text, tables and pages.
class Layout {
 public:
  Layout(const std::vector<PapxRun>& papx, DocLists& lists, int max_pages)
      : papx_(papx), lists_(lists), max_pages_(max_pages) {}

  // One character of story text at stream offset `fc`. `body` is false for headers, notes and
  // text boxes (tables flatten there: cells by TABs).
  void put(char32_t c, uint32_t fc, bool body);
  void end_story(bool body);

  std::vector<std::string> pages{std::string()};
  std::vector<Table> tables;
  std::string story;  // a non-body story's text
  int note_refs = 0;  // 0x02 marks met in the body
  bool note_story = false;

 private:
  const ParaProps* props_at(uint32_t fc) const {
    auto it = std::upper_bound(papx_.begin(), papx_.end(), fc, [](uint32_t v, const PapxRun& r) { return v < r.fc0; });
    if (it == papx_.begin()) return nullptr;
    --it;
    return fc < it->fc1 ? &it->props : nullptr;
  }
  void text(char32_t c) {
    if (!fields_.empty() && std::any_of(fields_.begin(), fields_.end(), [](bool result) { return !result; })) return;
    append_utf8(para_, c);
  }
  void paragraph_end(char32_t mark, uint32_t fc, bool body);
  void end_row();
  void close_table();

  const std::vector<PapxRun>& papx_;
  DocLists& lists_;
  int max_pages_;
  std::vector<bool> fields_;  // open fields: false while in the code, true once in the result
  size_t deep_fields_ = 0;    // fields nested beyond the cap: counted, not tracked
  std::string para_, cell_;
  std::vector<std::string> cells_;
  Table table_;
  bool last_was_cell_ = false;
};

void Layout::put(char32_t c, uint32_t fc, bool body) {
  switch (c) {
    case 0x13:  // field begin
      if (fields_.size() < 64) fields_.push_back(false);
      else ++deep_fields_;
      return;
    case 0x14:  // field separator: the result follows
      if (deep_fields_ == 0 && !fields_.empty()) fields_.back() = true;
      return;
    case 0x15:
      if (deep_fields_ > 0) --deep_fields_;
      else if (!fields_.empty()) fields_.pop_back();
      return;
    case 0x0D: case 0x07: return paragraph_end(c, fc, body);
    case 0x0B: return text('\n');
    case 0x09: return text('\t');
    case 0x0C:
      if (!body) return text('\n');
      paragraph_end(0x0D, fc, body);
      if (static_cast<int>(pages.size()) < max_pages_) pages.emplace_back();
      return;
    case 0x1E: return text('-');
    case 0x1F: return;      // optional hyphen
    case 0xA0: return text(' ');
    case 0x02:              // auto-numbered note reference
      if (body) return void(para_ += "[" + std::to_string(++note_refs) + "]");
      if (note_story) {  // a new note begins
        story += para_ + "\n\x02";
        para_.clear();
      }
      return;
    default:
      if (c < 0x20 || c == 0xFFFD) return;  // pictures (0x01), drawn objects (0x08), other marks
      text(c);
  }
}

void Layout::paragraph_end(char32_t mark, uint32_t fc, bool body) {
  last_was_cell_ = last_was_cell_ && mark == 0x07 && para_.empty();
  if (!body) {
    story += para_;
    story += mark == 0x07 ? '\t' : '\n';
    para_.clear();
    return;
  }
  const ParaProps* pp = props_at(fc);
  if (pp && !para_.empty()) {  // a list item: its own list, else its style's
    auto [style_lfo, style_lvl] = lists_.style_list(pp->istd);
    int ilfo = pp->ilfo >= 0 ? pp->ilfo : style_lfo, ilvl = pp->ilvl >= 0 ? pp->ilvl : style_lvl;
    if (ilfo > 0) para_ = lists_.marker(ilfo, ilvl) + para_;
  }
  bool in_table = pp ? pp->in_table : mark == 0x07;
  bool row_end = pp ? pp->row_end : (mark == 0x07 && last_was_cell_);
  if (mark == 0x07 && row_end) {
    end_row();
  } else if (mark == 0x07) {  // a cell's last paragraph
    cell_ += para_;
    std::string flat;
    for (char ch : tidy_text(cell_)) flat.push_back(ch == '\n' || ch == '\t' ? ' ' : ch);
    cells_.push_back(std::move(flat));
    cell_.clear();
    last_was_cell_ = true;
  } else if (in_table) {  // a paragraph inside a cell (an inner table's cell reads as words)
    cell_ += para_ + (pp && (pp->inner_cell || pp->inner_row_end) ? " " : "\n");
  } else {
    close_table();
    pages.back() += para_ + "\n";
  }
  para_.clear();
}

void Layout::end_row() {
  if (!tidy_text(cell_).empty()) cells_.push_back(tidy_text(cell_));
  cell_.clear();
  last_was_cell_ = false;
  if (cells_.empty()) return;
  std::string line;
  for (size_t i = 0; i < cells_.size(); ++i) line += (i ? "\t" : "") + cells_[i];
  pages.back() += line + "\n";
  if (table_.rows.empty()) table_.page = static_cast<int>(pages.size());
  table_.rows.push_back(std::move(cells_));
  cells_.clear();
}

void Layout::close_table() {
  if (!cells_.empty()) end_row();
  if (!table_.rows.empty()) tables.push_back(std::move(table_));
  table_ = Table{};
}

void Layout::end_story(bool body) {
  if (!para_.empty()) paragraph_end(0x0D, UINT32_MAX, body);
  if (body) close_table();
  fields_.clear();
  deep_fields_ = 0;
}

struct Streams {
  std::string wd, table;
  std::vector<Piece> pieces;
};

// Feeds the characters of CPs [cp0, cp1) to `layout`.
void read_range(const Streams& s, uint32_t cp0, uint32_t cp1, Layout& layout, bool body) {
  for (const Piece& p : s.pieces) {
    uint32_t a = std::max(cp0, p.cp0), b = std::min(cp1, p.cp1);
    for (uint32_t cp = a; cp < b; ++cp) {
      uint64_t fc = p.fc + static_cast<uint64_t>(cp - p.cp0) * (p.compressed ? 1 : 2);
      if (fc + (p.compressed ? 1 : 2) > s.wd.size()) break;
      char32_t c = p.compressed ? cp1252(static_cast<unsigned char>(s.wd[fc])) : u16(s.wd, fc);
      if (c >= 0xD800 && c <= 0xDFFF) {  // a surrogate pair spans two CPs
        if (c <= 0xDBFF && cp + 1 < b) {
          char32_t lo = u16(s.wd, fc + 2);
          if (lo >= 0xDC00 && lo <= 0xDFFF) {
            layout.put(0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00), static_cast<uint32_t>(fc), body);
            ++cp;
            continue;
          }
        }
        c = 0xFFFD;
      }
      layout.put(c, static_cast<uint32_t>(fc), body);
    }
  }
  layout.end_story(body);
}

// A story's text (notes, text boxes, one header), read without the body's table handling.
std::string read_story(const Streams& s, uint32_t cp0, uint32_t cp1, Layout& layout, bool notes = false) {
  layout.story.clear();
  layout.note_story = notes;
  read_range(s, cp0, cp1, layout, false);
  layout.note_story = false;
  return layout.story;
}

}  // namespace

Document extract_doc(std::string_view bytes, const std::string& name, const ExtractOptions& options) {
  Document doc;
  doc.name = name;
  doc.format = Format::kDoc;
  auto fail = [&](Error e) {
    doc.error = std::move(e);
    return doc;
  };
  auto ole = OleFile::open(bytes);
  if (!ole) return fail(ole.error());
  const OleStorage& root = (*ole)->root();
  uint64_t cap = options.limits.max_entry_bytes;
  Streams s;
  auto wd = root.read("WordDocument", cap);
  if (!wd) return fail(wd.error().code == Code::kNotFound ? Error{Code::kUnreadableDocument, "no WordDocument stream"} : wd.error());
  s.wd = std::move(*wd);
  auto fib = parse_fib(s.wd);
  if (!fib) return fail(fib.error());
  if (fib->encrypted || fib->obfuscated) return fail(Error{Code::kEncryptedDocument, "the Word document is password-protected"});
  auto table = root.read(fib->table1 ? "1Table" : "0Table", cap);
  if (!table) return fail(Error{Code::kUnreadableDocument, "the Word table stream is missing or damaged"});
  s.table = std::move(*table);
  auto pieces = parse_clx(s.table, fib->at(kClx).first, fib->at(kClx).second);
  if (!pieces) return fail(pieces.error());
  s.pieces = std::move(*pieces);
  std::vector<PapxRun> papx = parse_papx(s.wd, s.table, fib->at(kPlcfBtePapx));
  DocLists lists;
  lists.load(s.table, fib->at(kPlfLst), fib->at(kPlfLfo), fib->at(kStshf));

  Layout layout(papx, lists, options.limits.max_pages);
  const Fib& f = *fib;
  uint32_t ftn = f.ccp_text, hdd = ftn + f.ccp_ftn, mcr = hdd + f.ccp_hdd, atn = mcr + f.ccp_mcr, edn = atn + f.ccp_atn,
           txbx = edn + f.ccp_edn, hdrtxbx = txbx + f.ccp_txbx;
  read_range(s, 0, f.ccp_text, layout, true);
  // Notes after the body, numbered in the order their references appear.
  std::string notes = read_story(s, ftn, ftn + f.ccp_ftn, layout, true) + read_story(s, edn, edn + f.ccp_edn, layout, true);
  std::string tail;
  int note = 0;
  for (size_t pos = notes.find('\x02'); pos != std::string::npos;) {
    size_t next = notes.find('\x02', pos + 1);
    std::string t = tidy_text(notes.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1));
    t.erase(0, t.find_first_not_of(" \t\n"));  // the space after the note's own mark
    if (!t.empty()) tail += "[" + std::to_string(++note) + "] " + t + "\n";
    pos = next;
  }
  std::string boxes = tidy_text(read_story(s, txbx, txbx + f.ccp_txbx, layout));
  if (!boxes.empty()) layout.pages.back() += "\n" + boxes + "\n";
  if (!tail.empty()) layout.pages.back() += "\n" + tail;
  // Headers and footers: the header document's stories (PlcfHdd; the first six are separators).
  std::vector<std::string> stories;
  auto [hfc, hlcb] = f.at(kPlcfHdd);
  if (f.ccp_hdd > 0 && hlcb >= 8 && static_cast<uint64_t>(hfc) + hlcb <= s.table.size()) {
    size_t n = hlcb / 4;
    for (size_t i = 6; i + 1 < n; ++i) {
      uint32_t a = u32(s.table, hfc + i * 4), b = u32(s.table, hfc + (i + 1) * 4);
      if (b > a && b <= f.ccp_hdd) stories.push_back(read_story(s, hdd + a, hdd + b, layout));
    }
  } else if (f.ccp_hdd > 0) {
    stories.push_back(read_story(s, hdd, hdd + f.ccp_hdd, layout));
  }
  stories.push_back(read_story(s, hdrtxbx, hdrtxbx + f.ccp_hdrtxbx, layout));
  for (auto& st : stories) {
    std::string t = tidy_text(sanitize_utf8(st));
    if (!t.empty() && std::find(doc.headers_footers.begin(), doc.headers_footers.end(), t) == doc.headers_footers.end())
      doc.headers_footers.push_back(t);
  }
  finish_pages(layout.pages, layout.tables, doc);
  doc.metadata = ole_summary_information(root);
  return doc;
}

}  // namespace clee
