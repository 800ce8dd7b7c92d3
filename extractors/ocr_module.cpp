// The program's side of the OCR module (see ocr_module.h): finding and loading it on the first
// OCR, and ocr.h's functions as forwarders to it.
#include "extractors/ocr_module.h"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <mutex>

#include "base/module.h"
#include "extractors/heif.h"
#include "extractors/layout.h"
#include "extractors/ocr.h"
#include "extractors/pdf.h"
#include "extractors/util.h"

namespace clee {
namespace {

// The helpers the module takes from the program (its undefined clee:: symbols: `nm -D --undefined-only
// clee-intake-ocr.so`). Naming them here makes the static link keep them in every program that can
// load the module, including those that never call them themselves (ocr_module_test loads the
// module into such a test program and fails when one is missing).
[[gnu::used]] const void* const kHelpersForTheModule[] = {
    reinterpret_cast<const void*>(&open_pdf), reinterpret_cast<const void*>(&display_page),
    reinterpret_cast<const void*>(&decoded_pixels), reinterpret_cast<const void*>(&sanitize_utf8),
    reinterpret_cast<const void*>(&tidy_text), reinterpret_cast<const void*>(&analyse_page),
    reinterpret_cast<const void*>(&sort_by_page)};

Result<const OcrModuleApi*> load() {
  // libgomp reads the limit when it loads, which is now: main() sets it before any thread starts.
  if (std::getenv("OMP_THREAD_LIMIT") == nullptr)
    spdlog::warn("OCR: OMP_THREAD_LIMIT is not set: Tesseract's OpenMP threads will compete with the page workers");
  auto module = load_module(kOcrModuleName, "clee_ocr_module_api");
  if (!module) return Error{Code::kUnreadableDocument, "OCR module " + module.error().message};
  auto entry = reinterpret_cast<const OcrModuleApi* (*)()>(module->entry);
  const OcrModuleApi* api = entry();
  OcrModuleApi expected;
  if (api == nullptr || api->abi != expected.abi || api->document_size != expected.document_size ||
      api->options_size != expected.options_size || api->page_size != expected.page_size ||
      api->ocr_pdf_pages == nullptr || api->extract_image == nullptr || api->extract_heif == nullptr)
    return Error{Code::kUnreadableDocument, "OCR module " + module->path + " is from another build of clee-intake"};
  spdlog::debug("OCR module {} loaded", module->path);
  return api;
}

}  // namespace

std::vector<std::string> ocr_module_candidates() { return module_candidates(kOcrModuleName); }

Result<const OcrModuleApi*> ocr_module() {
  static std::once_flag once;
  static Result<const OcrModuleApi*> loaded = Error{Code::kInternal, "not loaded"};
  std::call_once(once, [] { loaded = load(); });
  return loaded;
}

int ocr_pdf_pages(std::string_view pdf_bytes, const std::vector<int>& pages, Document& doc,
                  const ExtractOptions& options, Deadline& deadline) {
  if (pages.empty()) return 0;
  auto api = ocr_module();
  if (!api) {
    if (!doc.error) doc.error = Error{Code::kUnreadableDocument, "OCR unavailable: " + api.error().message};
    return 0;
  }
  return (*api)->ocr_pdf_pages(pdf_bytes, pages, doc, options, deadline);
}

namespace {

// A document that could not be read because the module is missing.
Document without_module(const std::string& name, const std::string& why) {
  Document doc;
  doc.name = name;
  doc.format = Format::kImage;
  doc.error = Error{Code::kUnreadableDocument, "image not read: " + why};
  return doc;
}

}  // namespace

Document extract_image(std::string_view bytes, const std::string& name, const ExtractOptions& options) {
  auto api = ocr_module();
  return api ? (*api)->extract_image(bytes, name, options) : without_module(name, api.error().message);
}

Document extract_heif(std::string_view bytes, const std::string& name, const ExtractOptions& options) {
  auto api = ocr_module();
  return api ? (*api)->extract_heif(bytes, name, options) : without_module(name, api.error().message);
}

}  // namespace clee
