#include "extractors/ooxml.h"

#include <cstring>

#include "extractors/util.h"
#include "extractors/xml.h"

namespace clee::ooxml {

std::map<std::string, Relationship> relationships(ZipReader& zip, std::string_view part) {
  std::map<std::string, Relationship> out;
  pugi::xml_document rx;
  std::string path = part.empty() ? "_rels/.rels" : xml::rels_path(part);
  if (!xml::parse_entry(zip, path, rx)) return out;
  for (auto rel : rx.document_element().children()) {
    if (xml::local(rel) != "Relationship") continue;
    if (std::strcmp(xml::attr(rel, "TargetMode"), "External") == 0) continue;
    std::string_view type = xml::attr(rel, "Type");
    size_t slash = type.rfind('/');
    Relationship r;
    r.type = std::string(slash == std::string_view::npos ? type : type.substr(slash + 1));
    r.target = xml::resolve_target(part.empty() ? std::string_view("x") : part, xml::attr(rel, "Target"));
    out[xml::attr(rel, "Id")] = std::move(r);
  }
  return out;
}

std::string main_part(ZipReader& zip, std::string_view fallback) {
  for (auto& [id, rel] : relationships(zip, ""))
    if (rel.type == "officeDocument" && zip.find(rel.target)) return rel.target;
  return zip.find(fallback) ? std::string(fallback) : std::string();
}

void read_core_properties(ZipReader& zip, Metadata& meta) {
  pugi::xml_document cx;
  if (xml::parse_entry(zip, "docProps/core.xml", cx)) {
    auto value = [&](std::string_view name) { return tidy_text(sanitize_utf8(xml::text_of(xml::child(cx.document_element(), name)))); };
    meta.title = value("title");
    meta.author = value("creator");
    meta.subject = value("subject");
    meta.created = value("created");
    meta.modified = value("modified");
  }
  pugi::xml_document ax;
  if (xml::parse_entry(zip, "docProps/app.xml", ax))
    meta.creator = tidy_text(sanitize_utf8(xml::text_of(xml::child(ax.document_element(), "Application"))));
}

}  // namespace clee::ooxml
