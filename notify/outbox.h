// The durable outbox as the sender sees it: messages the queue recorded in the same transaction
// as the decision that caused them (queued), each claimed by one sender at a time under a lease,
// then sent or failed. The queue implements this interface (queue/store.h); notify/sender.h
// works through it, so sending knows nothing of the database.
//
// The delivery guarantee (README "Outgoing mail"): at least once, never silently lost. A message
// is marked sent only after the server's final 250. A process that dies between that 250 and the
// commit leaves the row queued under its lease; once the lease expires another sender sends it
// again — with the same bytes and the same Message-ID, so the provider's mail client (and our own
// intake, which joins replies by Message-ID and token) sees a duplicate of one message, not a new
// one. Two senders never hold one row at once: a claim takes only rows whose lease is free or
// expired, inside one write transaction (PostgreSQL: FOR UPDATE SKIP LOCKED).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace clee::notify {

enum class OutboxStatus { kQueued, kSent, kFailed };
inline const char* outbox_status_name(OutboxStatus s) {
  return s == OutboxStatus::kQueued ? "queued" : s == OutboxStatus::kSent ? "sent" : "failed";
}
inline std::optional<OutboxStatus> outbox_status_from_name(std::string_view n) {
  if (n == "queued") return OutboxStatus::kQueued;
  if (n == "sent") return OutboxStatus::kSent;
  if (n == "failed") return OutboxStatus::kFailed;
  return std::nullopt;
}

// What a decision queues. `message_id` is unique in the outbox: queuing a message whose id is
// already there queues nothing (so a decision or check that is redone sends nothing twice).
struct OutgoingMessage {
  std::string kind;        // receipt | request_info | approval | rejection
  std::string message_id;  // without brackets; also in `mime`
  std::string envelope_from;
  std::vector<std::string> recipients;  // the envelope: the provider, and the archive (Bcc)
  std::string to;                       // the provider's address, for lists
  std::string subject;
  std::string text;  // the plain-text body, for reviewers' pages
  std::string mime;  // the RFC 5322 bytes, sent as they are on every attempt
};

struct OutboxEntry {
  int64_t id = 0;
  std::string packet_id;
  OutgoingMessage message;
  OutboxStatus status = OutboxStatus::kQueued;
  int attempts = 0;  // sends tried
  std::string created_at, next_attempt_at, sent_at;  // ISO 8601 UTC ("" = none)
  std::string last_error;    // why the last attempt did not deliver
  std::string server_reply;  // the server's last reply (the 250 "queued as …" once sent)
  std::string lease_owner;   // while a sender holds it
};

class Outbox {
 public:
  virtual ~Outbox() = default;
  // Takes up to `max` queued messages whose next attempt is due and whose lease is free or
  // expired, for `lease_seconds`, under `owner`; oldest first. Counts the attempt.
  virtual Result<std::vector<OutboxEntry>> claim_messages(const std::string& owner, double lease_seconds,
                                                          size_t max) = 0;
  // The server accepted it (its reply kept). Recorded even when the lease was lost meanwhile:
  // the message did go out.
  virtual Status message_sent(int64_t id, const std::string& owner, const std::string& reply) = 0;
  // Not delivered this time; tried again from `next_attempt` (seconds since the epoch). Refused
  // (kBusy) when `owner` no longer holds the row.
  virtual Status message_deferred(int64_t id, const std::string& owner, const std::string& error,
                                  double next_attempt) = 0;
  // Never deliverable as it is (a 5xx, or retried too long): `failed` with the server's words.
  virtual Status message_failed(int64_t id, const std::string& owner, const std::string& error) = 0;
  // Every message, newest first; only those with `status` when given.
  virtual Result<std::vector<OutboxEntry>> outbox(std::optional<OutboxStatus> status = std::nullopt) = 0;
  virtual Result<OutboxEntry> outbox_entry(int64_t id) = 0;
  // A failed (or queued) message is due again now, with its attempts reset; audited.
  virtual Status retry_message(int64_t id, const std::string& actor) = 0;
};

}  // namespace clee::notify
