// The app's intake orchestration: the durability order of DESIGN.md in one place. A source item
// (path, inbox entry, mail message) becomes a stored, checked packet; the caller acknowledges its
// source only after `ingest` returned Ok (the packet row is committed).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/notices.h"
#include "pipeline/runner.h"
#include "queue/store.h"

namespace clee::app {

// Rules, validators and options for the stage runner; read-only once made, shared by every
// worker. One service may serve several jurisdictions: each source ([inbox], each [[mail]]
// account) may name its own pack, and a packet is judged by its source's pack the first time and
// by the pack its report recorded (by sha256) on every re-check.
struct Pipeline {
  RulePack rules;  // the default pack: the top-level `rules` (CLI ingest, check, sources naming none)
  // Source key ("inbox", "mail:ACCOUNT") → the pack that source names.
  std::map<std::string, std::shared_ptr<const RulePack>> source_rules;
  std::vector<std::unique_ptr<Validator>> validators;
  RunOptions options;
  // The office's messages (receipts when a check is saved); null = none are queued.
  std::shared_ptr<const Notices> notices;

  // The pack for a packet from `source` as the queue records it ("inbox:NAME",
  // "mail:ACCOUNT <message-id>", a path): its source's pack, else the default.
  const RulePack& rules_for(const std::string& source) const;
  // A configured pack whose bytes hash to `sha256`, or nullptr.
  const RulePack* rules_with_sha(const std::string& sha256) const;
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
// Claims the oldest due packet no other worker (on any host) is claiming, and checks it. Returns
// its id, or nullopt when nothing is due; an Error only when the queue could not be read. A
// packet whose check failed is released (failed, or back with a backoff) and logged.
Result<std::optional<std::string>> process_next(Store& store, const std::string& actor, const Pipeline& pipeline);

// Processes every packet left `received` (e.g. after a crash), oldest first.
int process_pending(Store& store, const std::string& actor, const Pipeline& pipeline);

}  // namespace clee::app
