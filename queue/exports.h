// Documents the office publishes or sends, made from the queue: the Approved CLEE Courses
// catalog (CSV, HTML), the CLEE roster for an approved course (Act 120 certified officers only),
// and the request-for-information email to a provider (RFC 5322, ready to send).
#pragma once

#include <string>
#include <vector>

#include "queue/store.h"

namespace clee {

std::string catalog_csv(const std::vector<CatalogRow>& rows);
std::string catalog_html(const std::vector<CatalogRow>& rows, const std::string& as_of, const std::string& jurisdiction);
std::string roster_html(const PacketRecord& p);
std::string roster_csv(const PacketRecord& p);
// The email asking a provider for what is missing; the token in the subject links the reply.
std::string information_request_eml(const PacketRecord& p, const std::string& token, const std::string& message,
                                    const std::string& reviewer, const std::string& date_rfc5322);

}  // namespace clee
