#include "app/catalog_export.h"

#include <cstdio>

#include "documents/documents.h"
#include "queue/exports.h"

namespace clee::app {

Result<std::string> catalog_pdf(const std::vector<CatalogRow>& rows, const std::string& as_of,
                                const std::string& jurisdiction) {
  documents::CatalogInfo info;
  info.jurisdiction = jurisdiction;
  info.as_of = as_of;
  for (const auto& r : rows) {
    char hours[32] = "";
    if (r.hours) std::snprintf(hours, sizeof hours, "%g", *r.hours);
    info.rows.push_back({r.clee_id, r.title, hours, r.contact, r.contact_email, r.contact_phone, r.provider, r.expires_on});
  }
  return documents::catalog_pdf(info);
}

Status publish_catalog(Store& store, const std::string& dir, const std::string& jurisdiction) {
  std::string as_of = store.now().substr(0, 10);
  auto rows = store.catalog(as_of);
  if (!rows) return rows.error();
  auto pdf = catalog_pdf(*rows, as_of, jurisdiction);
  if (!pdf) return pdf.error();
  Env* env = store.env();
  if (!env->exists(dir))
    if (Status st = env->make_dirs(dir); !st) return st;
  const std::string base = dir + "/approved-clee-courses";
  CatalogAreas areas = catalog_areas(store, *rows);
  if (Status st = env->write_durably(base + ".csv", catalog_csv(*rows, areas)); !st) return st;
  if (Status st = env->write_durably(base + ".html", catalog_html(*rows, as_of, jurisdiction, areas)); !st) return st;
  return env->write_durably(base + ".pdf", *pdf);
}

}  // namespace clee::app
