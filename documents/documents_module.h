// The boundary between clee-intake and its documents module, clee-intake-documents.so.
//
// cairo and pango (and, through them, harfbuzz, pixman, X11's client libraries, ...) cost ~2 ms of
// every start, and only an approval's roster and the published catalog are drawn with them. So
// roster.cpp, catalog.cpp and canvas.cpp are built into a module that the program loads with
// dlopen on the first document it draws (base/module.h), and documents.h's two functions are, in
// the program, forwarders to it (documents_module.cpp). The module needs nothing of the
// program's: plain data in, PDF bytes out. The table carries the ABI number and the sizes of the
// structures that cross, and a module from another build is refused.
#pragma once

#include <cstddef>

#include "documents/documents.h"

namespace clee::documents {

// Raise on any change of the functions below or of the structures they take.
inline constexpr int kDocumentsModuleAbi = 1;

struct DocumentsModuleApi {
  int abi = kDocumentsModuleAbi;
  size_t roster_size = sizeof(RosterInfo);
  size_t catalog_size = sizeof(CatalogInfo);
  size_t entry_size = sizeof(CatalogEntry);
  Result<std::string> (*roster_pdf)(const RosterInfo& info) = nullptr;
  Result<std::string> (*catalog_pdf)(const CatalogInfo& info) = nullptr;
};

inline constexpr const char* kDocumentsModuleName = "clee-intake-documents.so";

}  // namespace clee::documents

// Defined by the module only.
extern "C" const clee::documents::DocumentsModuleApi* clee_documents_module_api();
