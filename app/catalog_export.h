// The Approved CLEE Courses document in its three forms (CSV, HTML, PDF) and the static export
// folder officers' and chiefs' systems can fetch "often", as the seed asks: every decision
// rewrites DIR/approved-clee-courses.{csv,html,pdf} (each file replaced whole, never half
// written), DIR being [notify] publish_dir, else DATA_DIR/published.
#pragma once

#include <string>
#include <vector>

#include "queue/store.h"

namespace clee::app {

Result<std::string> catalog_pdf(const std::vector<CatalogRow>& rows, const std::string& as_of,
                                const std::string& jurisdiction);

// Writes the three files as of today. Errors are returned (the caller logs them: a decision is
// never undone because its export could not be written).
Status publish_catalog(Store& store, const std::string& dir, const std::string& jurisdiction);

}  // namespace clee::app
