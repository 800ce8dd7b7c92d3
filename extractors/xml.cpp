#include "extractors/xml.h"

#include <vector>

namespace clee::xml {

std::string_view local(const pugi::xml_node& n) {
  std::string_view s = n.name();
  size_t c = s.find(':');
  return c == std::string_view::npos ? s : s.substr(c + 1);
}

const char* attr(const pugi::xml_node& n, std::string_view name) {
  for (auto a : n.attributes()) {
    std::string_view s = a.name();
    size_t c = s.find(':');
    if ((c == std::string_view::npos ? s : s.substr(c + 1)) == name) return a.value();
  }
  return "";
}

pugi::xml_node child(const pugi::xml_node& n, std::string_view name) {
  for (auto c : n.children())
    if (c.type() == pugi::node_element && local(c) == name) return c;
  return {};
}

Status parse(const std::string& text, pugi::xml_document& doc, const std::string& part) {
  if (text.find("<!ENTITY") != std::string::npos)
    return Error{Code::kUnsupportedFormat, part + " declares XML entities; refused (never expanded)"};
  auto r = doc.load_buffer(text.data(), text.size(), pugi::parse_default | pugi::parse_ws_pcdata_single);
  if (!r) return Error{Code::kUnreadableDocument, part + ": XML error: " + r.description()};
  return Status::Ok();
}

Status parse_entry(ZipReader& zip, std::string_view entry, pugi::xml_document& doc) {
  const ZipEntry* e = zip.find(entry);
  if (!e) return Error{Code::kNotFound, std::string(entry) + " is missing"};
  auto text = zip.read(*e);
  if (!text) return text.error();
  return parse(*text, doc, e->name);
}

std::string text_of(const pugi::xml_node& n) {
  std::string out;
  for (auto d : n.select_nodes(".//text()")) out += d.node().value();
  return out;
}

std::string resolve_target(std::string_view from_part, std::string_view target) {
  if (!target.empty() && target[0] == '/') return std::string(target.substr(1));
  std::vector<std::string> parts;
  size_t slash = from_part.rfind('/');
  std::string_view base = slash == std::string_view::npos ? std::string_view() : from_part.substr(0, slash);
  auto push_all = [&](std::string_view s) {
    size_t pos = 0;
    while (pos <= s.size()) {
      size_t next = s.find('/', pos);
      if (next == std::string_view::npos) next = s.size();
      std::string_view seg = s.substr(pos, next - pos);
      if (seg == "..") {
        if (!parts.empty()) parts.pop_back();
      } else if (!seg.empty() && seg != ".") {
        parts.emplace_back(seg);
      }
      pos = next + 1;
    }
  };
  push_all(base);
  push_all(target);
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out;
}

std::string rels_path(std::string_view part) {
  size_t slash = part.rfind('/');
  std::string dir = slash == std::string_view::npos ? "" : std::string(part.substr(0, slash + 1));
  std::string file(slash == std::string_view::npos ? part : part.substr(slash + 1));
  return dir + "_rels/" + file + ".rels";
}

}  // namespace clee::xml
