// The documents module's one exported symbol (see documents_module.h): its table of entry points.
#include "documents/documents_module.h"

extern "C" __attribute__((visibility("default"))) const clee::documents::DocumentsModuleApi* clee_documents_module_api() {
  static const clee::documents::DocumentsModuleApi api = [] {
    clee::documents::DocumentsModuleApi a;
    a.roster_pdf = &clee::documents::roster_pdf;
    a.catalog_pdf = &clee::documents::catalog_pdf;
    return a;
  }();
  return &api;
}
