// HTML for the reviewer pages: the layout (top bar, navigation, logout form) and one function per
// page. Pure functions from queue records to HTML strings; every text that came from a packet,
// a provider or a reviewer goes through html_escape. No inline script or style (the CSP forbids
// them): the look lives in /static/style.css, the little behaviour in /static/app.js.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/renewal.h"
#include "queue/exports.h"
#include "queue/store.h"

namespace clee::web {

struct PageContext {
  std::string user;  // logged-in reviewer ("" on the login page)
  std::string csrf;  // the session's CSRF token, put into every form
  std::string today;  // YYYY-MM-DD
  std::string now;    // ISO 8601 UTC, for ages
};

std::string layout(const PageContext& ctx, const std::string& title, const std::string& body, const std::string& nav = "");
std::string login_page(const PageContext& ctx, const std::string& error, bool shared_secret_only);

struct QueueFilter {
  std::string status, query;
};
std::string queue_page(const PageContext& ctx, const std::vector<PacketRecord>& shown, const std::vector<PacketRecord>& all,
                       const QueueFilter& filter);

// One page of an original as the packet page shows it: its image (served at
// /packets/ID/pages/SHA/N.png) under the evidence quoted from it. Size in points.
struct PageShot {
  std::string sha256;
  int page = 0;
  double width = 0, height = 0;
};

struct PacketView {
  PacketRecord record;
  std::vector<StoredFile> files;
  nlohmann::json documents;  // Store::document_texts
  std::vector<AuditEvent> audit;
  std::string prepared_email;  // the request-for-information .eml, when one was written
  int default_years = 1;
  // The approve form: the year proposed (from the course dates), the dates as the form gives
  // them, and the course dates the proposed period leaves out.
  int approval_year = 0;
  std::string course_dates;
  std::vector<std::string> approval_warnings;
  // The approval this packet renews, and what changed (app/renewal.h); nullopt when none.
  std::optional<app::Renewal> renewal;
  std::vector<PageShot> pages;  // the originals' pages that can be drawn (PDFs, images)
};
// The renewal card of the packet page ("" when the packet renews nothing).
std::string renewal_section(const PacketView& v);
std::string packet_page(const PageContext& ctx, const PacketView& v);
// One document's extracted text, one page at a time (`page` is 1-based; 0 = every page).
std::string document_page(const PageContext& ctx, const PacketRecord& rec, const nlohmann::json& document, int index, int page);
// With areas (Missouri), a column shows each course's hours per curriculum area.
std::string catalog_page(const PageContext& ctx, const std::vector<CatalogRow>& rows, const std::string& as_of,
                         const std::string& jurisdiction, const CatalogAreas& areas = {});
std::string error_page(const PageContext& ctx, int status, const std::string& message);

// "3d", "5h", "12m" between two ISO 8601 UTC times.
std::string age_text(const std::string& from_iso, const std::string& to_iso);
// Human label and colour class for a packet status.
std::string status_label(PacketStatus status);

}  // namespace clee::web
