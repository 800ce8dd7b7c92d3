// Renewals: a packet for a course the provider had approved before — the packet's documents name
// an approved course's CLEE ID (a "previous CLEE ID" on the form, in whatever words), or the same
// provider sends a near-identical title — is shown with that approval and what changed (credit
// hours, instructors, outline blocks), so the reviewer judges the difference rather than the
// whole course again. Read-only: it decides nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "queue/store.h"

namespace clee::app {

struct Renewal {
  std::string packet_id, clee_id, title, approved_at, expires_on;  // the previous approval
  std::string found_by;  // "the packet names CLEE-2026-0001" / "same provider, near-identical title"
  struct Change {
    std::string what;    // "Credit hours", "Instructor added", "Outline block removed", ...
    std::string detail;  // "16 → 20", the name, the block's title
  };
  std::vector<Change> changes;  // empty: nothing of these changed
};

// Titles that say the same course in other words: the share of distinct words in common (case,
// punctuation and small words ignored) is at least 0.8.
bool near_identical_titles(const std::string& a, const std::string& b);

// What changed from `before` to `after` (their stored reports).
std::vector<Renewal::Change> compare_courses(const PacketRecord& before, const PacketRecord& after);

// The most recent approval this packet renews, if any.
std::optional<Renewal> find_renewal(Store& store, const PacketRecord& packet);

}  // namespace clee::app
