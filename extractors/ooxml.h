// Package plumbing shared by the PPTX and XLSX readers (OPC, ECMA-376 part 2): relationships,
// the main part, and the core properties. DOCX keeps its own in docx.cpp.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "extractors/document.h"
#include "extractors/zip.h"

namespace clee::ooxml {

struct Relationship {
  std::string type;    // the last path segment of the type URI: "slide", "sharedStrings", "notesSlide"...
  std::string target;  // resolved part name ("ppt/slides/slide1.xml"); external targets are left out
};

// The relationships of `part` ("" for the package), by id. Empty when there are none.
std::map<std::string, Relationship> relationships(ZipReader& zip, std::string_view part);

// The package's main part (the officeDocument relationship), else `fallback` when it exists.
std::string main_part(ZipReader& zip, std::string_view fallback);

// Title, creator, subject and dates from docProps/core.xml; the application from docProps/app.xml.
void read_core_properties(ZipReader& zip, Metadata& meta);

}  // namespace clee::ooxml
