// RTF reader (rtf.h): a byte-level tokenizer driving a small state machine per group.
#include "extractors/rtf.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <vector>

#include "extractors/codepage.h"
#include "extractors/pages.h"
#include "extractors/rtf_words.h"
#include "extractors/util.h"

namespace clee {
namespace {

using rtf::append_symbol;
using rtf::hex_byte;
using rtf::is_destination_word;
using rtf::kept_starred;
using rtf::skipped_destination;
using rtf::symbol_font_name;

constexpr size_t kMaxDepth = 512;
constexpr int kSymbolCodepage = 42;

// Where a group's text goes.
enum class Dest : uint8_t { kBody, kStory, kFontTable, kInfo, kSkip };
enum class StoryKind : uint8_t { kHeader, kFootnote, kTitle, kAuthor, kSubject, kCreated, kModified, kHtmlTag };

struct State {
  Dest dest = Dest::kBody;
  bool skip = false;     // no text kept (an ignorable destination, the info group's own text)
  bool hidden = false;   // \v
  bool deleted = false;  // \deleted (a tracked deletion)
  bool htmlrtf = false;  // \htmlrtf: RTF-only rendering of encapsulated HTML
  bool in_table = false;
  bool starred = false;  // \* just seen: the next control word names an ignorable destination
  bool fresh = true;     // nothing read in this group yet (\* counts only there)
  bool upr = false;      // inside \upr: only its \ud part is read
  int uc = 1;
  int font = -1;
  int story = -1;
};

struct Story {
  StoryKind kind;
  std::string text;
  int date[6] = {0, 0, 0, 0, 0, 0};  // yr mo dy hr min sec
};

std::string flat_cell(const std::string& t) {
  std::string flat;
  for (char ch : tidy_text(t)) flat.push_back(ch == '\n' || ch == '\t' ? ' ' : ch);
  return flat;
}

class Reader {
 public:
  Reader(std::string_view in, const Limits& limits) : in_(in), limits_(limits) { stack_.emplace_back(); }

  void run();
  void fill(Document& doc);
  std::string joined_text();

 private:
  State& st() { return stack_.back(); }
  int codepage() {
    const State& s = stack_.back();
    if (s.font >= 0)
      if (auto it = fonts_.find(s.font); it != fonts_.end() && it->second > 0) return it->second;
    return doc_cp_;
  }
  bool dropping() {
    const State& s = stack_.back();
    return s.skip || s.hidden || s.deleted || s.htmlrtf || s.dest == Dest::kSkip || s.dest == Dest::kFontTable ||
           (s.dest == Dest::kInfo && s.story < 0);
  }

  void open_group();
  bool close_group();  // true when the document group itself closed
  void control_word(std::string_view w, bool has_param, int param);
  void control_symbol(char c);
  void text_byte(unsigned char c);
  void flush();
  void emit(std::string_view utf8);
  void emit_codepoint(char32_t cp);
  void start_story(StoryKind k);
  void finish_story(const Story& s);
  void destination(std::string_view w);

  // Body layout.
  void paragraph();
  void cell();
  void row();
  void end_row();
  void page_break();
  void close_table();

  std::string_view in_;
  const Limits& limits_;
  std::vector<State> stack_;
  size_t overflow_ = 0;     // groups opened beyond kMaxDepth (read as part of the deepest one)
  int skip_chars_ = 0;      // \uc fallback characters still to skip
  char32_t high_surrogate_ = 0;
  int doc_cp_ = 1252;
  int deff_ = -1;
  int font_def_ = -1;       // the font being defined in \fonttbl
  std::string font_name_;   // ... and its name so far
  bool html_ = false;       // \fromhtml
  std::map<int, int> fonts_;  // font number → code page
  std::string pending_;     // bytes awaiting decoding
  int pending_cp_ = 0;
  CodepageDecoder decoder_;

  std::vector<Story> stories_;
  std::vector<std::string> pages_;
  std::string page_, line_, cell_;
  std::vector<std::string> cells_;
  Table table_;
  std::vector<Table> tables_;
  std::vector<std::string> headers_, footnotes_;
  int footnote_refs_ = 0;
  Metadata meta_;
  std::vector<std::string> warnings_;
};

void Reader::run() {
  size_t i = 0;
  const size_t n = in_.size();
  while (i < n) {
    char c = in_[i];
    if (c == '{' || c == '}') {
      flush();
      skip_chars_ = 0;  // braces end a \uc fallback
      ++i;
      if (c == '{') {
        open_group();
      } else if (close_group()) {
        // The document's own group closed. A stray brace may have closed it early, in which case
        // RTF goes on; anything else after it is junk (mail gateways append some) and not read.
        size_t k = i;
        while (k < n && std::isspace(static_cast<unsigned char>(in_[k]))) ++k;
        if (k >= n || (in_[k] != '\\' && in_[k] != '{')) break;
        open_group();
      }
      continue;
    }
    if (c == '\r' || c == '\n') {
      ++i;
      continue;
    }
    if (c != '\\') {
      if (skip_chars_ > 0) --skip_chars_;
      else text_byte(static_cast<unsigned char>(c));
      ++i;
      continue;
    }
    // A control word or symbol.
    if (i + 1 >= n) break;
    char d = in_[i + 1];
    if (!std::isalpha(static_cast<unsigned char>(d))) {
      if (d == '\'') {
        int v = i + 3 < n ? hex_byte(in_[i + 2], in_[i + 3]) : -1;
        i += v >= 0 ? 4 : 2;
        if (v < 0) continue;
        if (skip_chars_ > 0) --skip_chars_;
        else text_byte(static_cast<unsigned char>(v));
        continue;
      }
      flush();
      i += 2;
      if (skip_chars_ > 0) {  // a control symbol counts as one fallback character
        --skip_chars_;
        continue;
      }
      control_symbol(d);
      continue;
    }
    size_t j = i + 1;
    while (j < n && j - i <= 33 && std::isalpha(static_cast<unsigned char>(in_[j]))) ++j;
    std::string_view word = in_.substr(i + 1, j - i - 1);
    while (j < n && std::isalpha(static_cast<unsigned char>(in_[j]))) ++j;  // over-long word: the rest is ignored
    bool has_param = false, negative = false;
    long long param = 0;
    if (j < n && in_[j] == '-' && j + 1 < n && std::isdigit(static_cast<unsigned char>(in_[j + 1]))) {
      negative = true;
      ++j;
    }
    int digits = 0;
    while (j < n && std::isdigit(static_cast<unsigned char>(in_[j]))) {
      if (digits++ < 10) param = param * 10 + (in_[j] - '0');
      has_param = true;
      ++j;
    }
    if (j < n && in_[j] == ' ') ++j;  // the delimiter belongs to the control word
    param = std::clamp<long long>(negative ? -param : param, INT32_MIN, INT32_MAX);
    i = j;
    if (word == "bin") {  // raw bytes, whatever group they are in
      flush();
      size_t skip = has_param && param > 0 ? static_cast<size_t>(param) : 0;
      i = std::min(n, i + skip);
      continue;
    }
    flush();
    if (skip_chars_ > 0) {
      --skip_chars_;
      continue;
    }
    control_word(word, has_param, static_cast<int>(param));
  }
  flush();
}

void Reader::open_group() {
  if (stack_.size() >= kMaxDepth) {
    ++overflow_;
    return;
  }
  State s = stack_.back();
  s.starred = false;
  s.fresh = true;
  stack_.push_back(s);
}

bool Reader::close_group() {
  if (overflow_ > 0) {
    --overflow_;
    return false;
  }
  if (stack_.size() <= 1) return false;  // a stray brace before the document's own
  State done = stack_.back();
  stack_.pop_back();
  if (done.story >= 0 && done.story != stack_.back().story) finish_story(stories_[static_cast<size_t>(done.story)]);
  return stack_.size() == 1;
}

void Reader::start_story(StoryKind k) {
  stories_.push_back(Story{k, {}, {}});
  st().story = static_cast<int>(stories_.size() - 1);
  st().dest = Dest::kStory;
  st().skip = false;
}

void Reader::finish_story(const Story& s) {
  switch (s.kind) {
    case StoryKind::kHeader: {
      std::string t = tidy_text(s.text);
      if (!t.empty() && std::find(headers_.begin(), headers_.end(), t) == headers_.end()) headers_.push_back(t);
      break;
    }
    case StoryKind::kFootnote: {
      std::string t = tidy_text(s.text);
      t.erase(0, t.find_first_not_of(" \t\n"));  // the space after the note's own mark
      footnotes_.push_back(t);
      break;
    }
    case StoryKind::kTitle: meta_.title = tidy_text(s.text); break;
    case StoryKind::kAuthor: meta_.author = tidy_text(s.text); break;
    case StoryKind::kSubject: meta_.subject = tidy_text(s.text); break;
    case StoryKind::kCreated:
    case StoryKind::kModified: {
      if (s.date[0] <= 0) break;
      char buf[32];
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", std::clamp(s.date[0], 0, 9999),
                    std::clamp(s.date[1], 1, 12), std::clamp(s.date[2], 1, 31), std::clamp(s.date[3], 0, 23),
                    std::clamp(s.date[4], 0, 59), std::clamp(s.date[5], 0, 59));
      (s.kind == StoryKind::kCreated ? meta_.created : meta_.modified) = buf;
      break;
    }
    case StoryKind::kHtmlTag: {
      // Encapsulated HTML: block-ending tags are the line breaks.
      std::string t;
      for (char c : s.text.substr(0, 8)) t.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      bool line = t.rfind("<br", 0) == 0 || t.rfind("</p", 0) == 0 || t.rfind("<p", 0) == 0 ||
                  t.rfind("</div", 0) == 0 || t.rfind("</tr", 0) == 0 || t.rfind("<li", 0) == 0 ||
                  t.rfind("</li", 0) == 0 || t.rfind("</h", 0) == 0 || t.rfind("</table", 0) == 0;
      bool tab = t.rfind("</td", 0) == 0 || t.rfind("</th", 0) == 0;
      if (line) line_ += '\n';
      else if (tab) line_ += '\t';
      break;
    }
  }
}

void Reader::destination(std::string_view w) {
  State& s = st();
  if (w == "fonttbl") {
    s.dest = Dest::kFontTable;
  } else if (w == "info") {
    s.dest = Dest::kInfo;
    s.story = -1;
  } else if (w == "footnote") {
    start_story(StoryKind::kFootnote);
  } else if (w == "header" || w == "headerl" || w == "headerr" || w == "headerf" || w == "footer" ||
             w == "footerl" || w == "footerr" || w == "footerf") {
    start_story(StoryKind::kHeader);
  } else if (s.dest == Dest::kInfo && (w == "title" || w == "author" || w == "subject")) {
    start_story(w == "title" ? StoryKind::kTitle : w == "author" ? StoryKind::kAuthor : StoryKind::kSubject);
  } else if (s.dest == Dest::kInfo && (w == "creatim" || w == "revtim")) {
    start_story(w == "creatim" ? StoryKind::kCreated : StoryKind::kModified);
    st().skip = true;
  } else if (w == "htmltag" || w == "mhtmltag") {
    if (html_ && s.dest == Dest::kBody) start_story(StoryKind::kHtmlTag);
    else s.dest = Dest::kSkip;
  } else if (w == "upr") {
    s.upr = true;
    s.skip = true;
  } else if (w == "ud") {
    s.skip = false;
  }
}


void Reader::control_word(std::string_view w, bool has_param, int p) {
  State& s = st();
  s.fresh = false;
  if (s.starred) {
    s.starred = false;
    if (!kept_starred(w) && !is_destination_word(w)) {
      s.dest = Dest::kSkip;
      return;
    }
  }
  if (skipped_destination(w)) {
    s.dest = Dest::kSkip;
    return;
  }
  if (is_destination_word(w)) return destination(w);
  // Properties that hold wherever the text goes.
  if (w == "ansicpg" && p > 0) doc_cp_ = p;
  else if (w == "mac") doc_cp_ = 10000;
  else if (w == "pc") doc_cp_ = 437;
  else if (w == "pca") doc_cp_ = 850;
  else if (w == "deff") deff_ = p;
  else if (w == "fromhtml") html_ = true;
  else if (w == "uc") s.uc = std::clamp(p, 0, 10);
  else if (w == "v") s.hidden = !has_param || p != 0;
  else if (w == "deleted") s.deleted = !has_param || p != 0;
  else if (w == "htmlrtf") s.htmlrtf = !has_param || p != 0;
  else if (w == "plain") {
    s.hidden = s.deleted = false;
    s.font = deff_;
  }
  if (s.dest == Dest::kFontTable) {
    if (w == "f") {
      font_name_.clear();
      font_def_ = p;
    }
    else if (w == "fcharset" && font_def_ >= 0) fonts_[font_def_] = charset_to_codepage(p);
    else if (w == "cpg" && font_def_ >= 0 && p > 0) fonts_[font_def_] = p;
    return;
  }
  if (s.story >= 0 && (stories_[static_cast<size_t>(s.story)].kind == StoryKind::kCreated ||
                       stories_[static_cast<size_t>(s.story)].kind == StoryKind::kModified)) {
    static const char* kDate[] = {"yr", "mo", "dy", "hr", "min", "sec"};
    for (int k = 0; k < 6; ++k)
      if (w == kDate[k]) stories_[static_cast<size_t>(s.story)].date[k] = p;
    return;
  }
  if (w == "f") s.font = p;
  else if (w == "intbl") s.in_table = true;
  else if (w == "itap") s.in_table = p > 0;
  else if (w == "pard") s.in_table = false;
  else if (w == "u") {
    int v = p < 0 ? p + 65536 : p;
    bool high = v >= 0xD800 && v <= 0xDBFF, low = v >= 0xDC00 && v <= 0xDFFF;
    if (high_surrogate_ && !low) emit_codepoint(0xFFFD);  // a high surrogate left unpaired
    if (high) {
      high_surrogate_ = static_cast<char32_t>(v);
    } else if (low && high_surrogate_) {
      emit_codepoint(0x10000 + ((high_surrogate_ - 0xD800) << 10) + (static_cast<char32_t>(v) - 0xDC00));
      high_surrogate_ = 0;
    } else {
      emit_codepoint(low ? 0xFFFD : static_cast<char32_t>(v));
      high_surrogate_ = 0;
    }
    skip_chars_ = s.uc;
  }
  if (s.htmlrtf) return;  // RTF-only layout of encapsulated HTML
  if (w == "par" || w == "sect") paragraph();
  else if (w == "line") emit("\n");
  else if (w == "tab") emit("\t");
  else if (w == "cell") cell();
  else if (w == "row") row();
  else if (w == "nestcell" || w == "nestrow") emit(" ");
  else if (w == "page") page_break();
  else if (w == "pagebb" && !page_.empty() && stack_.back().dest == Dest::kBody) page_break();
  else if (w == "emdash") emit("\u2014");
  else if (w == "endash") emit("\u2013");
  else if (w == "emspace" || w == "enspace" || w == "qmspace") emit(" ");
  else if (w == "bullet") emit("\u2022");
  else if (w == "lquote") emit("\u2018");
  else if (w == "rquote") emit("\u2019");
  else if (w == "ldblquote") emit("\u201C");
  else if (w == "rdblquote") emit("\u201D");
  else if (w == "chftn") {
    if (s.dest == Dest::kBody && !dropping()) emit("[" + std::to_string(++footnote_refs_) + "]");
  }
}

void Reader::control_symbol(char c) {
  bool fresh = st().fresh;
  st().fresh = false;
  if (c == '*') st().starred = fresh;
  switch (c) {
    case '\\': case '{': case '}': text_byte(static_cast<unsigned char>(c)); flush(); break;
    case '~': emit(" "); break;
    case '_': emit("-"); break;
    case '*': break;  // mid-group (as some writers put it) it marks nothing
    case '\n': case '\r': if (!st().htmlrtf) paragraph(); break;
    case '\t': emit("\t"); break;
    default: break;  // \- optional hyphen, \: index subentry, \| formula
  }
}

void Reader::text_byte(unsigned char c) {
  st().fresh = false;
  if (stack_.back().dest == Dest::kFontTable && font_def_ >= 0) {  // a font's name, up to its ';'
    if (c == ';' && symbol_font_name(font_name_)) fonts_[font_def_] = kSymbolCodepage;
    if (font_name_.size() < 64) font_name_.push_back(static_cast<char>(c));
    return;
  }
  if (dropping()) return;
  int cp = codepage();
  if (!pending_.empty() && cp != pending_cp_) flush();
  pending_cp_ = cp;
  pending_.push_back(static_cast<char>(c));
}

void Reader::flush() {
  if (pending_.empty()) return;
  std::string out;
  if (pending_cp_ == kSymbolCodepage) {
    for (unsigned char c : pending_) append_symbol(out, c);
  } else {
    decoder_.decode(pending_, pending_cp_, out);
  }
  pending_.clear();
  emit(out);
}

void Reader::emit_codepoint(char32_t cp) {
  if (cp == 0 || (cp < 0x20 && cp != '\t' && cp != '\n')) return;
  std::string s;
  if (cp >= 0xF020 && cp <= 0xF0FF) append_symbol(s, static_cast<unsigned char>(cp - 0xF000));
  else append_utf8(s, cp);
  emit(s);
}

void Reader::emit(std::string_view utf8) {
  if (utf8.empty() || dropping()) return;
  const State& s = stack_.back();
  if (s.dest == Dest::kStory) {
    stories_[static_cast<size_t>(s.story)].text.append(utf8);
  } else if (s.dest == Dest::kBody) {
    (s.in_table ? cell_ : line_).append(utf8);
  }
}

void Reader::paragraph() {
  const State& s = stack_.back();
  if (dropping()) return;
  if (s.dest == Dest::kStory) {
    stories_[static_cast<size_t>(s.story)].text += '\n';
    return;
  }
  if (s.dest != Dest::kBody) return;
  if (s.in_table) {
    cell_ += '\n';
    return;
  }
  close_table();
  page_ += line_;
  page_ += '\n';
  line_.clear();
}

void Reader::cell() {
  const State& s = stack_.back();
  if (dropping()) return;
  if (s.dest == Dest::kStory) {
    stories_[static_cast<size_t>(s.story)].text += '\t';
    return;
  }
  if (s.dest != Dest::kBody) return;
  // Writers that omit \intbl leave the cell's text in the paragraph buffer.
  cells_.push_back(flat_cell(cell_ + line_));
  cell_.clear();
  line_.clear();
}

void Reader::row() {
  const State& s = stack_.back();
  if (dropping()) return;
  if (s.dest == Dest::kStory) {
    stories_[static_cast<size_t>(s.story)].text += '\n';
    return;
  }
  if (s.dest == Dest::kBody) end_row();
}

void Reader::end_row() {
  if (!tidy_text(cell_ + line_).empty()) cells_.push_back(flat_cell(cell_ + line_));
  cell_.clear();
  line_.clear();
  if (cells_.empty()) return;
  std::string text;
  for (size_t i = 0; i < cells_.size(); ++i) text += (i ? "\t" : "") + cells_[i];
  page_ += text + "\n";
  if (table_.rows.empty()) table_.page = static_cast<int>(pages_.size()) + 1;
  table_.rows.push_back(std::move(cells_));
  cells_.clear();
}

void Reader::close_table() {
  if (!cells_.empty()) end_row();  // a last row without \row
  if (!table_.rows.empty()) tables_.push_back(std::move(table_));
  table_ = Table{};
}

void Reader::page_break() {
  if (stack_.back().dest != Dest::kBody || dropping()) return;
  if (!line_.empty()) paragraph();
  if (static_cast<int>(pages_.size()) + 1 >= limits_.max_pages) {
    if (warnings_.empty()) warnings_.push_back("more than " + std::to_string(limits_.max_pages) + " pages: the rest joined to the last");
    page_ += '\n';
    return;
  }
  pages_.push_back(std::move(page_));
  page_.clear();
}

void Reader::fill(Document& doc) {
  // A document that ends without its last \par or \row.
  if (!cells_.empty() || !cell_.empty()) end_row();
  if (!line_.empty()) {
    page_ += line_ + "\n";
    line_.clear();
  }
  close_table();
  std::string notes;
  for (size_t i = 0; i < footnotes_.size(); ++i)
    if (!footnotes_[i].empty()) notes += "[" + std::to_string(i + 1) + "] " + footnotes_[i] + "\n";
  if (!notes.empty()) page_ += "\n" + notes;
  pages_.push_back(std::move(page_));
  finish_pages(pages_, tables_, doc);
  for (auto& h : headers_) doc.headers_footers.push_back(sanitize_utf8(h));
  meta_.title = sanitize_utf8(meta_.title);
  meta_.author = sanitize_utf8(meta_.author);
  meta_.subject = sanitize_utf8(meta_.subject);
  doc.metadata = meta_;
  for (auto& w : warnings_) doc.warnings.push_back(w);
}

}  // namespace

Document extract_rtf(std::string_view bytes, const std::string& name, const ExtractOptions& options) {
  Document doc;
  doc.name = name;
  doc.format = Format::kRtf;
  Reader r(bytes, options.limits);
  r.run();
  r.fill(doc);
  return doc;
}

std::string rtf_to_text(std::string_view rtf, const Limits& limits) {
  Document doc;
  Reader r(rtf, limits);
  r.run();
  r.fill(doc);
  std::string out;
  for (const auto& p : doc.pages) out += (out.empty() ? "" : "\n") + p.text;
  return out;
}

}  // namespace clee
