// The OCR module's one exported symbol (see ocr_module.h): its table of entry points.
#include "extractors/heif.h"
#include "extractors/ocr.h"
#include "extractors/ocr_module.h"

extern "C" __attribute__((visibility("default"))) const clee::OcrModuleApi* clee_ocr_module_api() {
  static const clee::OcrModuleApi api = [] {
    clee::OcrModuleApi a;
    a.ocr_pdf_pages = &clee::ocr_pdf_pages;
    a.extract_image = &clee::extract_image;
    a.extract_heif = &clee::extract_heif;
    return a;
  }();
  return &api;
}
