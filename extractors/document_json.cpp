// The Document and ExtractOptions JSON codecs (see document_json.h).
#include "extractors/document_json.h"

#include <algorithm>
#include <set>

#include "extractors/extract.h"

namespace clee {

using nlohmann::json;

namespace {

// A malformed input: thrown inside the readers only, turned into an Error at their boundary.
struct Malformed {
  std::string what;
};

const json& at(const json& j, const char* key) {
  if (!j.is_object()) throw Malformed{std::string("expected an object holding '") + key + "'"};
  auto it = j.find(key);
  if (it == j.end()) throw Malformed{std::string("missing '") + key + "'"};
  return *it;
}

std::string str(const json& j, const char* key) {
  const json& v = at(j, key);
  if (!v.is_string()) throw Malformed{std::string("'") + key + "' is not a string"};
  return v.get<std::string>();
}

bool boolean(const json& j, const char* key) {
  const json& v = at(j, key);
  if (!v.is_boolean()) throw Malformed{std::string("'") + key + "' is not true or false"};
  return v.get<bool>();
}

int integer(const json& j, const char* key) {
  const json& v = at(j, key);
  if (!v.is_number_integer()) throw Malformed{std::string("'") + key + "' is not an integer"};
  int64_t n = v.get<int64_t>();
  if (n < INT32_MIN || n > INT32_MAX) throw Malformed{std::string("'") + key + "' is out of range"};
  return static_cast<int>(n);
}

uint64_t unsigned_integer(const json& j, const char* key) {
  const json& v = at(j, key);
  if (!v.is_number_unsigned()) throw Malformed{std::string("'") + key + "' is not a non-negative integer"};
  return v.get<uint64_t>();
}

double number(const json& j, const char* key) {
  const json& v = at(j, key);
  if (!v.is_number()) throw Malformed{std::string("'") + key + "' is not a number"};
  return v.get<double>();
}

const json& array(const json& j, const char* key) {
  const json& v = at(j, key);
  if (!v.is_array()) throw Malformed{std::string("'") + key + "' is not an array"};
  return v;
}

std::vector<std::string> strings(const json& j, const char* key) {
  std::vector<std::string> out;
  for (const auto& s : array(j, key)) {
    if (!s.is_string()) throw Malformed{std::string("'") + key + "' holds a non-string"};
    out.push_back(s.get<std::string>());
  }
  return out;
}

void only_keys(const json& j, const std::set<std::string>& known, const char* where) {
  for (const auto& [key, value] : j.items())
    if (!known.count(key)) throw Malformed{std::string("unknown key '") + key + "' in " + where};
}

json box_json(const Box& b) { return json::array({b.x0, b.y0, b.x1, b.y1}); }
json box_json(const std::optional<Box>& b) { return b ? box_json(*b) : json(nullptr); }

Box box_from(const json& v, const char* key) {
  if (!v.is_array() || v.size() != 4 || !std::all_of(v.begin(), v.end(), [](const json& n) { return n.is_number(); }))
    throw Malformed{std::string("'") + key + "' is not a box [x0, y0, x1, y1]"};
  return {v[0].get<double>(), v[1].get<double>(), v[2].get<double>(), v[3].get<double>()};
}
Box box(const json& j, const char* key) { return box_from(at(j, key), key); }
std::optional<Box> optional_box(const json& j, const char* key) {
  const json& v = at(j, key);
  if (v.is_null()) return std::nullopt;
  return box_from(v, key);
}

json page_json(const Page& p) {
  json words = json::array(), lines = json::array(), blocks = json::array();
  for (const auto& w : p.words)
    words.push_back({{"text", w.text}, {"box", box_json(w.box)}, {"size", w.font_size}, {"bold", w.bold},
                     {"confidence", w.confidence}});
  for (const auto& l : p.lines)
    lines.push_back({{"first_word", l.first_word}, {"words", l.words}, {"box", box_json(l.box)}, {"block", l.block}});
  for (const auto& b : p.blocks)
    blocks.push_back({{"first_line", b.first_line}, {"lines", b.lines}, {"box", box_json(b.box)}});
  return {{"number", p.number}, {"text", p.text},     {"ocr", p.ocr},     {"ocr_confidence", p.ocr_confidence},
          {"rotation", p.rotation}, {"ocr_dpi", p.ocr_dpi}, {"width", p.width}, {"height", p.height}, {"words", words},
          {"lines", lines},     {"blocks", blocks}};
}

Page page_from_json(const json& jp) {
  Page p;
  p.number = integer(jp, "number");
  p.text = str(jp, "text");
  p.ocr = boolean(jp, "ocr");
  p.ocr_confidence = number(jp, "ocr_confidence");
  p.rotation = integer(jp, "rotation");
  p.ocr_dpi = integer(jp, "ocr_dpi");
  p.width = number(jp, "width");
  p.height = number(jp, "height");
  for (const auto& jw : array(jp, "words"))
    p.words.push_back({str(jw, "text"), box(jw, "box"), number(jw, "size"), boolean(jw, "bold"), number(jw, "confidence")});
  const int nw = static_cast<int>(p.words.size());
  for (const auto& jl : array(jp, "lines")) {
    Line l{integer(jl, "first_word"), integer(jl, "words"), box(jl, "box"), integer(jl, "block")};
    if (l.first_word < 0 || l.words < 0 || l.first_word > nw - l.words) throw Malformed{"a line's words are not on its page"};
    p.lines.push_back(l);
  }
  const int nl = static_cast<int>(p.lines.size());
  for (const auto& jb : array(jp, "blocks")) {
    Block b{integer(jb, "first_line"), integer(jb, "lines"), box(jb, "box")};
    if (b.first_line < 0 || b.lines < 0 || b.first_line > nl - b.lines) throw Malformed{"a block's lines are not on its page"};
    p.blocks.push_back(b);
  }
  for (const auto& l : p.lines)
    if (l.block < 0 || (l.block >= static_cast<int>(p.blocks.size()) && !p.blocks.empty()))
      throw Malformed{"a line's block is not on its page"};
  return p;
}

Table table_from_json(const json& jt) {
  Table t;
  t.page = integer(jt, "page");
  for (const auto& row : array(jt, "rows")) {
    if (!row.is_array()) throw Malformed{"a table row is not an array"};
    std::vector<std::string> cells;
    for (const auto& c : row) {
      if (!c.is_string()) throw Malformed{"a table cell is not a string"};
      cells.push_back(c.get<std::string>());
    }
    t.rows.push_back(std::move(cells));
  }
  for (const auto& row : array(jt, "boxes")) {
    if (!row.is_array()) throw Malformed{"a table's row of boxes is not an array"};
    std::vector<Box> boxes;
    for (const auto& b : row) boxes.push_back(box_from(b, "boxes"));
    t.boxes.push_back(std::move(boxes));
  }
  return t;
}

KeyValue key_value_from_json(const json& j) {
  return {str(j, "key"), str(j, "value"), integer(j, "page"), optional_box(j, "key_box"), optional_box(j, "value_box")};
}

Metadata metadata_from_json(const json& m) {
  return {str(m, "title"),   str(m, "author"),  str(m, "subject"), str(m, "creator"),
          str(m, "producer"), str(m, "created"), str(m, "modified")};
}

std::optional<Error> error_from_json(const json& je) {
  if (je.is_null()) return std::nullopt;
  std::string name = str(je, "code");
  auto code = code_from_name(name);
  if (!code) throw Malformed{"unknown error code '" + name + "'"};
  return Error{*code, str(je, "message")};
}

}  // namespace

Format format_from_name(std::string_view n) {
  for (Format f : {Format::kPdf, Format::kDocx, Format::kDoc, Format::kRtf, Format::kOdt, Format::kPptx, Format::kXlsx,
                   Format::kImage, Format::kText, Format::kEmail, Format::kZip})
    if (n == format_name(f)) return f;
  return Format::kUnknown;
}

namespace {
json key_value_json(const KeyValue& kv) {
  return {{"key", kv.key},
          {"value", kv.value},
          {"page", kv.page},
          {"key_box", box_json(kv.key_box)},
          {"value_box", box_json(kv.value_box)}};  // the contract's keys (DESIGN.md), no more
}
}  // namespace

json document_to_json(const Document& d) {
  json pages = json::array();
  for (const auto& p : d.pages) pages.push_back(page_json(p));
  json fields = json::array();
  for (const auto& f : d.fields)
    fields.push_back({{"name", f.name}, {"value", f.value}, {"page", f.page}, {"box", box_json(f.box)}, {"label", f.label}});
  json tables = json::array();
  for (const auto& t : d.tables) {
    json boxes = json::array();
    for (const auto& row : t.boxes) {
      json r = json::array();
      for (const auto& b : row) r.push_back(box_json(b));
      boxes.push_back(std::move(r));
    }
    tables.push_back({{"page", t.page}, {"rows", t.rows}, {"boxes", boxes}});
  }
  json pairs = json::array();
  for (const auto& kv : d.key_values) pairs.push_back(key_value_json(kv));
  json j = {{"name", d.name},
            {"sha256", d.sha256},
            {"bytes", d.bytes},
            {"format", format_name(d.format)},
            {"mime", d.mime},
            {"pages", pages},
            {"ocr_pages", d.ocr_pages()},
            {"chars", d.chars()},
            {"fields", fields},
            {"tables", tables},
            {"key_values", pairs},
            {"headers_footers", d.headers_footers},
            {"metadata",
             {{"title", d.metadata.title},
              {"author", d.metadata.author},
              {"subject", d.metadata.subject},
              {"creator", d.metadata.creator},
              {"producer", d.metadata.producer},
              {"created", d.metadata.created},
              {"modified", d.metadata.modified}}},
            {"warnings", d.warnings},
            {"seconds", d.seconds}};
  j["error"] = d.error ? json{{"code", code_name(d.error->code)}, {"message", d.error->message}} : json(nullptr);
  return j;
}

Result<Document> document_from_json(const json& j) {
  try {
    Document d;
    d.name = str(j, "name");
    d.sha256 = str(j, "sha256");
    d.bytes = unsigned_integer(j, "bytes");
    std::string format = str(j, "format");
    d.format = format_from_name(format);
    if (d.format == Format::kUnknown && format != format_name(Format::kUnknown))
      throw Malformed{"unknown format '" + format + "'"};
    d.mime = str(j, "mime");
    for (const auto& jp : array(j, "pages")) d.pages.push_back(page_from_json(jp));
    for (const auto& jf : array(j, "fields"))
      d.fields.push_back({str(jf, "name"), str(jf, "value"), integer(jf, "page"), optional_box(jf, "box"), str(jf, "label")});
    for (const auto& jt : array(j, "tables")) d.tables.push_back(table_from_json(jt));
    for (const auto& jk : array(j, "key_values")) d.key_values.push_back(key_value_from_json(jk));
    d.headers_footers = strings(j, "headers_footers");
    d.metadata = metadata_from_json(at(j, "metadata"));
    d.warnings = strings(j, "warnings");
    d.seconds = number(j, "seconds");
    d.error = error_from_json(at(j, "error"));
    return d;
  } catch (const Malformed& m) {
    return Error{Code::kCorrupt, "not a document: " + m.what};
  } catch (const json::exception& e) {
    return Error{Code::kCorrupt, std::string("not a document: ") + e.what()};
  }
}

// Every field of ExtractOptions, by name. A field added to Limits or ExtractOptions trips these
// asserts until it is added to both functions below (and to their round-trip test).
static_assert(sizeof(Limits) == 72, "a Limits field was added or removed: update the options codec");
static_assert(sizeof(ExtractOptions) == 120, "an ExtractOptions field was added or removed: update the options codec");

json extract_options_to_json(const ExtractOptions& o) {
  const Limits& l = o.limits;
  return {{"version", kExtractOptionsVersion},
          {"limits",
           {{"max_file_bytes", l.max_file_bytes},
            {"max_pages", l.max_pages},
            {"max_image_pixels", l.max_image_pixels},
            {"max_entry_bytes", l.max_entry_bytes},
            {"max_compression_ratio", l.max_compression_ratio},
            {"max_total_inflated", l.max_total_inflated},
            {"max_entries", l.max_entries},
            {"max_depth", l.max_depth},
            {"max_seconds", l.max_seconds},
            {"max_memory_bytes", l.max_memory_bytes}}},
          {"ocr", o.ocr},
          {"ocr_threads", o.ocr_threads},
          {"ocr_language", o.ocr_language},
          {"min_chars_per_page", o.min_chars_per_page},
          {"isolate", o.isolate}};
}

Result<ExtractOptions> extract_options_from_json(const json& j) {
  try {
    if (integer(j, "version") != kExtractOptionsVersion)
      throw Malformed{"options version " + at(j, "version").dump() + " (this build reads " +
                      std::to_string(kExtractOptionsVersion) + ")"};
    only_keys(j, {"version", "limits", "ocr", "ocr_threads", "ocr_language", "min_chars_per_page", "isolate"},
              "the options");
    const json& jl = at(j, "limits");
    only_keys(jl, {"max_file_bytes", "max_pages", "max_image_pixels", "max_entry_bytes", "max_compression_ratio",
                   "max_total_inflated", "max_entries", "max_depth", "max_seconds", "max_memory_bytes"},
              "the limits");
    ExtractOptions o;
    Limits& l = o.limits;
    l.max_file_bytes = unsigned_integer(jl, "max_file_bytes");
    l.max_pages = integer(jl, "max_pages");
    l.max_image_pixels = unsigned_integer(jl, "max_image_pixels");
    l.max_entry_bytes = unsigned_integer(jl, "max_entry_bytes");
    l.max_compression_ratio = number(jl, "max_compression_ratio");
    l.max_total_inflated = unsigned_integer(jl, "max_total_inflated");
    l.max_entries = integer(jl, "max_entries");
    l.max_depth = integer(jl, "max_depth");
    l.max_seconds = number(jl, "max_seconds");
    l.max_memory_bytes = unsigned_integer(jl, "max_memory_bytes");
    o.ocr = boolean(j, "ocr");
    o.ocr_threads = integer(j, "ocr_threads");
    o.ocr_language = str(j, "ocr_language");
    o.min_chars_per_page = integer(j, "min_chars_per_page");
    o.isolate = boolean(j, "isolate");
    return o;
  } catch (const Malformed& m) {
    return Error{Code::kCorrupt, "bad extract options: " + m.what};
  } catch (const json::exception& e) {
    return Error{Code::kCorrupt, std::string("bad extract options: ") + e.what()};
  }
}

}  // namespace clee
