// The program's side of the documents module (see documents_module.h): loading it on the first
// document drawn, and documents.h's functions as forwarders to it.
#include "documents/documents_module.h"

#include <mutex>

#include "base/module.h"

namespace clee::documents {
namespace {

Result<const DocumentsModuleApi*> load() {
  auto module = load_module(kDocumentsModuleName, "clee_documents_module_api");
  if (!module) return Error{Code::kIoError, "documents module " + module.error().message};
  auto entry = reinterpret_cast<const DocumentsModuleApi* (*)()>(module->entry);
  const DocumentsModuleApi* api = entry();
  DocumentsModuleApi expected;
  if (api == nullptr || api->abi != expected.abi || api->roster_size != expected.roster_size ||
      api->catalog_size != expected.catalog_size || api->entry_size != expected.entry_size ||
      api->roster_pdf == nullptr || api->catalog_pdf == nullptr)
    return Error{Code::kIoError, "documents module " + module->path + " is from another build of clee-intake"};
  return api;
}

Result<const DocumentsModuleApi*> module() {
  static std::once_flag once;
  static Result<const DocumentsModuleApi*> loaded = Error{Code::kInternal, "not loaded"};
  std::call_once(once, [] { loaded = load(); });
  return loaded;
}

}  // namespace

Result<std::string> roster_pdf(const RosterInfo& info) {
  auto api = module();
  if (!api) return api.error();
  return (*api)->roster_pdf(info);
}

Result<std::string> catalog_pdf(const CatalogInfo& info) {
  auto api = module();
  if (!api) return api.error();
  return (*api)->catalog_pdf(info);
}

}  // namespace clee::documents
