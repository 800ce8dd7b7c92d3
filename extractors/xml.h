// XML helpers shared by the package readers (ODT, PPTX, XLSX): namespace-prefix-blind element
// and attribute lookup, and a parser that never expands or fetches entities.
//
// Producers pick their own prefixes (LibreOffice writes `text:`, another tool `t:`; Strict OOXML
// uses other namespace URIs than Transitional), so elements are matched by local name only.
// A part that declares entities (<!ENTITY) is refused as unsupported_format (a billion-laughs or
// XXE attempt); a bare DOCTYPE is skipped by pugixml (parse_doctype off). DOCX keeps its own copy
// of these few lines in docx.cpp.
#pragma once

#include <pugixml.hpp>

#include <string>
#include <string_view>

#include "base/status.h"
#include "extractors/zip.h"

namespace clee::xml {

// "text:p" → "p".
std::string_view local(const pugi::xml_node& n);
// The value of the attribute whose local name is `name`, "" when absent.
const char* attr(const pugi::xml_node& n, std::string_view name);
// The first child element with that local name, or an empty node.
pugi::xml_node child(const pugi::xml_node& n, std::string_view name);

// Parses `text` into `doc` (whitespace-only text kept, entities refused). `part` names the part
// in error messages.
Status parse(const std::string& text, pugi::xml_document& doc, const std::string& part);

// Reads a zip entry (under the reader's limits) and parses it. kNotFound when the entry is absent.
Status parse_entry(ZipReader& zip, std::string_view entry, pugi::xml_document& doc);

// All the text below `n` (text nodes in document order), for small parts such as metadata.
std::string text_of(const pugi::xml_node& n);

// Resolves a relationship target against the part that holds it: ("ppt/slides/slide1.xml",
// "../media/a.png") → "ppt/media/a.png"; an absolute target ("/xl/x.xml") drops its slash.
std::string resolve_target(std::string_view from_part, std::string_view target);

// The relationships part of `part` ("ppt/slides/slide1.xml" → "ppt/slides/_rels/slide1.xml.rels").
std::string rels_path(std::string_view part);

}  // namespace clee::xml
