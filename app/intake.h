// The app's intake orchestration: the durability order of DESIGN.md in one place. A source item
// (path, inbox entry, mail message) becomes a stored, checked packet; the caller acknowledges its
// source only after `ingest` returned Ok (the packet row is committed).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/notices.h"
#include "pipeline/runner.h"
#include "queue/store.h"

namespace clee::app {

struct Pipeline {
  RulePack rules;
  std::vector<std::unique_ptr<Validator>> validators;
  RunOptions options;
  // The office's messages (receipts when a check is saved); null = none are queued.
  std::shared_ptr<const Notices> notices;
};

struct Ingested {
  std::string id;
  bool duplicate = false;
  PacketStatus status = PacketStatus::kReceived;
};

// Stores every original (fsync), records the packet (one transaction), then checks it and saves
// the report. A failure in checking leaves the packet `failed` with its error (retry later);
// only a failure to store or record returns an Error — then the source must not be acknowledged.
Result<Ingested> ingest(Store& store, Packet packet, const std::string& source_kind, const std::string& actor,
                        const Pipeline& pipeline, const std::string& source_key = "");

// Runs the checks for a packet already recorded (received, failed → retry, or a reply).
Status process(Store& store, const std::string& id, const std::string& actor, const Pipeline& pipeline);

// Processes every packet left `received` (e.g. after a crash), oldest first.
int process_pending(Store& store, const std::string& actor, const Pipeline& pipeline);

}  // namespace clee::app
