// A reviewer's correction of an outline block's curriculum area (Missouri), kept where every
// decision is kept: the audit log. An `area_corrected` event names the block, its title and the
// area before and after; the saved report is amended under a lease, and every later check of the
// packet (a retry, a provider's reply adding files, a re-check after a crash) re-applies the
// corrections from the log, so they are never lost to a re-check and a daemon that wins the race
// for the packet still saves the corrected report.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "pipeline/model.h"
#include "queue/store.h"

namespace clee::app {

constexpr const char* kAreaCorrected = "area_corrected";

struct AreaCorrection {
  size_t index = 0;  // 0-based block index when corrected
  std::string title, from, to, by;
};

// `block 2 "Thermal drone searches": technical_studies -> legal_studies` (index shown 1-based).
std::string area_correction_detail(const AreaCorrection& c);
// The correction an audit event records; nullopt for any other event.
std::optional<AreaCorrection> parse_area_correction(const AuditEvent& e);

// Applies every correction in `audit` (in order) to `report`'s blocks: the block with the
// recorded title (the recorded index when titles repeat), skipping blocks that are gone.
// Returns how many were applied.
int reapply_area_corrections(Report& report, const std::vector<AuditEvent>& audit);

// The reviewer page's correction: checks it against the saved report (the packet must be checked
// and not yet decided, the block there, the area one its pack declares), records it in the audit
// log, and saves the amended report under a lease. Code::kInvalidTransition when the packet is not
// waiting for review, kNotFound / kUsage for a block or area that is not there. Ok (the
// correction recorded) also when another process holds the packet: its check re-applies it.
Status correct_area(Store& store, const std::string& id, size_t index, const std::string& area, const std::string& reviewer);

}  // namespace clee::app
