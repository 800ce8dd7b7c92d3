// The reviewer's decisions as the app makes them (CLI and web alike): approve, reject, request
// information — each with the message it causes composed from the packet as the decision leaves
// it and queued in the outbox in the decision's own transaction (Store::Compose), so a decision
// never commits without its message and a message never leaves for a decision that rolled back.
// After each decision the static export folder is rewritten (app/catalog_export.h). Also the
// approval period: by default the year of the course (a course dated March 2027 and
// approved on 1 December 2026 is approved through 2027-12-31), changeable, with a warning for
// every course date the period leaves out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/notices.h"
#include "queue/store.h"

namespace clee::app {

struct ApprovalPlan {
  int year = 0;               // the first year approved (the CLEE ID's year)
  int years = 1;              // how many
  int default_year = 0;       // what the course dates suggest
  std::string expires_on;     // YYYY-12-31 of the last year
  std::string course_dates;   // as the form states them ("" when it does not)
  std::vector<std::string> warnings;  // course dates outside the period, one sentence each
};

// `today` is YYYY-MM-DD; `year` nullopt = the default from the course dates. kUsage for a year
// before today's or more than 5 after it, or years outside 1..10.
Result<ApprovalPlan> plan_approval(const PacketRecord& packet, const std::string& today, std::optional<int> year,
                                   int years);

// `notices` may be null: the decision is recorded and nothing is queued.
Result<Approval> approve_packet(Store& store, const Notices* notices, const std::string& id,
                                const std::string& reviewer, const ApprovalPlan& plan, const RulePack& rules);
Status reject_packet(Store& store, const Notices* notices, const std::string& id, const std::string& reviewer,
                     const std::string& reason);

// Records the request and queues its email (the token in the Subject). The email is also kept as
// data_dir/outbox/ID-TOKEN.eml, the copy the packet page shows. Returns the token.
Result<std::string> request_information(Store& store, const Notices* notices, const std::string& id,
                                        const std::string& reviewer, const std::string& message);

// The receipt composed when a check's report is saved ("received; complete" / "missing: …").
// Empty when receipts are off or `notices` is null.
Store::Compose receipt_composer(Store& store, const Notices* notices);

}  // namespace clee::app
