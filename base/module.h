// Parts of the program built as modules that are loaded with dlopen on their first use, so the
// libraries behind them are not loaded at every start: the OCR module (extractors/ocr_module.h:
// Tesseract, Leptonica, libheif) and the documents module (documents/documents.h: cairo, pango).
// Each exports one extern "C" function returning its table of entry points; the caller checks
// the table (an ABI number, the sizes of the structures that cross) before using it.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace clee {

// Where the program looks for module `file_name`, in order: beside the executable (the build
// tree, a copied binary), ../lib/clee-intake/ from it (an installed tree), then, for a program
// that runs from inside the build tree it was built in (tests), that tree's top folder.
std::vector<std::string> module_candidates(const char* file_name);

struct LoadedModule {
  void* entry = nullptr;  // the `entry` symbol
  std::string path;       // the file it came from
};

// dlopen()s the first candidate that exists and returns its `entry` symbol (never unloaded: a
// module's threads and static objects live until exit). Code::kNotFound when no candidate exists
// ("... not found (looked at ...)"), Code::kIoError when one cannot be loaded or lacks `entry`;
// the messages name the file.
Result<LoadedModule> load_module(const char* file_name, const char* entry);

}  // namespace clee
