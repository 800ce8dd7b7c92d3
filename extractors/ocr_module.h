// The boundary between clee-intake and its OCR module, clee-intake-ocr.so.
//
// Tesseract and Leptonica (and, through them, libgomp, libarchive, libxml2, ICU, ...) are a third of
// the libraries the program would otherwise load at every start, and most commands never OCR. So
// the OCR code (ocr.cpp, ocr_engine.cpp, ocr_page_image.cpp) is built into a module that the
// program loads with dlopen on its first OCR, and ocr.h's two functions (and heif.h's extract_heif:
// a HEIC photo is only ever OCR'd, and libheif brings four video codecs) are, in the program,
// forwarders to it (ocr_module.cpp). Loading late has a second use: libgomp reads
// OMP_THREAD_LIMIT once, when it loads, so main() only has to set the variable before that
// (instead of re-executing itself to have it set before the program's libraries load).
//
// The module leaves the helpers it shares with the program (open_pdf, display_page, text
// hygiene, spdlog) undefined and takes them from the program, which exports its clee:: symbols
// for that (the --dynamic-list in the top CMakeLists.txt); the module's own symbols are hidden
// and it exports only clee_ocr_module_api(). Both are built from one tree: the table carries the
// ABI number and the sizes of the structures that cross, and a module from another build is refused.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "extractors/deadline.h"
#include "extractors/document.h"
#include "extractors/limits.h"

namespace clee {

// Raise on any change of the functions below or of the structures they take.
inline constexpr int kOcrModuleAbi = 2;

struct OcrModuleApi {
  int abi = kOcrModuleAbi;
  size_t document_size = sizeof(Document);
  size_t options_size = sizeof(ExtractOptions);
  size_t page_size = sizeof(Page);
  int (*ocr_pdf_pages)(std::string_view pdf_bytes, const std::vector<int>& pages, Document& doc,
                       const ExtractOptions& options, Deadline& deadline) = nullptr;
  Document (*extract_image)(std::string_view bytes, const std::string& name, const ExtractOptions& options) = nullptr;
  Document (*extract_heif)(std::string_view bytes, const std::string& name, const ExtractOptions& options) = nullptr;
};

// The module's file name, and where the program looks for it (base/module.h's module_candidates).
inline constexpr const char* kOcrModuleName = "clee-intake-ocr.so";
std::vector<std::string> ocr_module_candidates();

// Loads the module once (thread-safe) and returns its table; the same Error on every later call
// when it could not be loaded (Code::kUnreadableDocument "OCR module ...: reason").
Result<const OcrModuleApi*> ocr_module();

}  // namespace clee

// Defined by the module only.
extern "C" const clee::OcrModuleApi* clee_ocr_module_api();
