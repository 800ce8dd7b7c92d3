// Documents the office publishes or sends, made from the queue: the Approved CLEE Courses
// catalog (CSV, HTML), the CLEE roster for an approved course (Act 120 certified officers only),
// and the request-for-information email to a provider (RFC 5322, ready to send).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "queue/store.h"

namespace clee {

// Hours per curriculum area of each catalogued course (packet id → areas, from its saved report;
// Missouri), empty for courses whose pack declares no areas. Read through the store's API.
using CatalogAreas = std::map<std::string, std::vector<AreaHours>>;
CatalogAreas catalog_areas(Store& store, const std::vector<CatalogRow>& rows);

// With areas, the CSV gains one column per area (named as the pack names it) and the HTML an
// "Hours by area" column; without, both are as they always were.
std::string catalog_csv(const std::vector<CatalogRow>& rows, const CatalogAreas& areas = {});
std::string catalog_html(const std::vector<CatalogRow>& rows, const std::string& as_of, const std::string& jurisdiction,
                         const CatalogAreas& areas = {});
// "Legal Studies 2 · Technical Studies 6" (hours per area of one course), "" when none.
std::string area_hours_text(const std::vector<AreaHours>& areas);
std::string roster_html(const PacketRecord& p);
std::string roster_csv(const PacketRecord& p);
// The email asking a provider for what is missing; the token in the subject links the reply.
std::string information_request_eml(const PacketRecord& p, const std::string& token, const std::string& message,
                                    const std::string& reviewer, const std::string& date_rfc5322);

}  // namespace clee
