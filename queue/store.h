// The durable review queue: a data folder holding originals in a content-addressed store and a
// SQLite database (WAL) with packets, documents, reports, findings, decisions and an append-only
// audit log. Several processes (daemon and CLI) may open one data folder at once.
//
// Durability order (DESIGN.md): originals are stored whole (fsync'd) before the packet row exists;
// the packet row and its first audit event commit in one transaction; only then may the caller
// acknowledge its source. A Store is used by one thread at a time; open one per thread.
//
// Checking a packet is done under a lease: `claim` gives the caller a Lease (a random owner token
// and an expiry), `renew` is its heartbeat, and every write the checker makes (`save_report`,
// `release_failed`) names the lease and is refused once another process took the packet over
// (fencing). A lease that expires — its holder crashed, hung or lost its host — is taken over by
// `requeue_expired`, whatever the host or process id. Failures after the claim always release the
// packet: transient ones (a full disk, a busy database) back to `received` with a growing backoff
// deadline (`due` lists what may run now), permanent ones (and too many attempts) to `failed`.
//
// Writers wait for each other: every write transaction begins IMMEDIATE and waits on the lock
// (SQLite's busy timeout, then retries with backoff) instead of failing with "database is
// locked". A data folder on a read-only mount or a full disk still opens read-only for the
// commands that only read (StoreOptions::read_only).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/model.h"
#include "pipeline/rules.h"
#include "base/env.h"
#include "notify/outbox.h"

struct sqlite3;

namespace clee {

// Packet states. received → processing → ready_for_review | needs_information | failed →
// approved | rejected | info_requested. `received` means "to be checked": a new packet, one whose
// check was interrupted or failed transiently (with a backoff deadline), a retried one, or one a
// provider's reply added files to.
enum class PacketStatus {
  kReceived,
  kProcessing,
  kReady,
  kNeedsInformation,
  kFailed,
  kApproved,
  kRejected,
  kInfoRequested,
};
// "received", "processing", "ready_for_review", "needs_information", "failed", "approved",
// "rejected", "info_requested" (the names in the store, the CLI and the JSON output).
const char* status_name(PacketStatus s);
std::optional<PacketStatus> status_from_name(std::string_view name);
// Every status, in the order the queue lists them.
const std::vector<PacketStatus>& all_statuses();
std::ostream& operator<<(std::ostream& os, PacketStatus s);

bool transition_allowed(PacketStatus from, PacketStatus to);

struct PacketRecord {
  std::string id;
  PacketStatus status = PacketStatus::kReceived;
  std::string source, source_kind, received_at, updated_at;
  std::string provider, title, contact, contact_email, error;
  std::optional<Verdict> verdict;          // nullopt until checked
  std::optional<Disposition> disposition;  // nullopt until checked
  std::optional<double> hours;
  std::string clee_id, approved_at, expires_on, token;
  std::vector<std::string> missing;
  int attempts = 0;                  // checks that failed transiently in a row
  std::string next_attempt_at;       // backoff deadline (UTC) while received after a failure
  std::string lease_owner;           // while processing
  std::string lease_expires_at;
  nlohmann::json report;  // null until processed
};

struct AuditEvent {
  int64_t seq = 0;
  std::string packet_id, at, actor, action, detail;
};

struct StoredFile {
  std::string label, sha256;
  uint64_t bytes = 0;
  std::string refused;  // why the entry was not read (a symlink...); "" for a stored original
};

struct CatalogRow {
  std::string clee_id, title, contact, contact_email, contact_phone, provider, expires_on, packet_id;
  std::optional<double> hours;
};

struct Approval {
  std::string clee_id, expires_on;
};

// A claim on one packet while it is checked. `owner` is random per claim.
struct Lease {
  std::string packet_id, owner;
  double expires_at = 0;  // seconds since the epoch
};

struct StoreOptions {
  bool read_only = false;             // open for reading only: no folders made, no migration
  double lease_seconds = 120;         // a claim lasts this long unless renewed
  double retry_initial_seconds = 10;  // first backoff after a transient failure; doubles
  double retry_max_seconds = 3600;
  int max_attempts = 5;               // transient failures in a row before `failed`
};

// The store is also the durable outbox (notify/outbox.h): the messages a decision causes are
// rows written in the decision's own transaction (`Compose`), claimed by one sender at a time
// under a lease, then marked sent or failed; each step is in the packet's audit log.
class Store : public notify::Outbox {
 public:
  // The messages a decision (or a saved check) causes, made from the packet as the decision
  // leaves it and the decision's number, inside the decision's transaction: the rows commit with
  // the decision or not at all. `notes` land in the audit log (why a message was not queued). An
  // error from it rolls the decision back.
  struct Composed {
    std::vector<notify::OutgoingMessage> messages;
    std::vector<std::string> notes;
  };
  using Compose = std::function<Result<Composed>(const PacketRecord& after, int64_t decision)>;
  // The years an approval covers: from January 1 of `year` (0 = this year) through December 31
  // of year + years - 1. The CLEE ID takes `year`.
  struct ApprovalTerm {
    int year = 0;
    int years = 1;
  };

  // Opens (creating and migrating, unless read-only) the data folder. A database file that is
  // empty or not SQLite while originals exist is Code::kCorrupt — never a new empty queue.
  static Result<std::unique_ptr<Store>> open(const std::string& data_dir, Env* env = Env::Default(),
                                             StoreOptions options = {});
  ~Store();

  const std::string& data_dir() const { return dir_; }
  const StoreOptions& options() const { return options_; }
  Env* env() const { return env_; }
  std::string now() const;

  // 1. Originals, content-addressed in objects/ (idempotent). Return the sha256.
  Result<std::string> put_object(std::string_view bytes);
  // Streams a file (never through a link) into objects/: any size, bounded memory. Code::kBusy
  // when the file changed while it was read (the caller keeps the item in its source).
  Result<std::string> put_object_file(const std::string& path);
  // `max_bytes`: larger objects are refused with Code::kLimitExceeded (use object_path).
  Result<std::string> read_object(const std::string& sha256, uint64_t max_bytes = UINT64_MAX);
  std::string object_path(const std::string& sha256) const;

  // 2. Records a packet whose originals are already stored. Same files again → the existing id
  // with duplicate=true (and an audit event), never a second packet.
  struct Received {
    std::string id;
    bool duplicate = false;
  };
  Result<Received> receive(const Packet& packet, const std::string& source_kind, const std::string& actor,
                           const std::string& source_key = "");
  // A source item (mail UID, inbox entry) already committed? Returns its packet id.
  std::optional<std::string> packet_for_source(const std::string& source_key);
  Status remember_source(const std::string& source_key, const std::string& packet_id);
  // Failed attempts at a source item that never became a packet (durable across restarts, so a
  // crash loop is counted too). Returns the count including this one.
  Result<int> note_source_attempt(const std::string& source_key, const Error& error);
  Status forget_source_attempts(const std::string& source_key);

  // 3. Checking under a lease (see the header comment).
  Result<Lease> claim(const std::string& id, const std::string& actor);
  Status renew(Lease& lease);
  // Stores the report (and per-document page texts) and moves to ready/needs_information.
  // `compose` (may be empty) makes the receipt, queued in the report's transaction.
  Status save_report(const Lease& lease, const Report& report, const std::string& actor, const Compose& compose = {});
  // Any failure after the claim: transient codes go back to `received` with a backoff deadline
  // until max_attempts, everything else to `failed` with the reason.
  Status release_failed(const Lease& lease, const Error& error, const std::string& actor);
  // Expired leases (a crashed or hung holder, on any host) go back to `received`.
  Result<std::vector<std::string>> requeue_expired(const std::string& actor);
  // Packets to check now: received, and past their backoff deadline. Oldest first.
  Result<std::vector<PacketRecord>> due(size_t max = 1000);

  // Reviewer decisions; each lands in the audit log with who, when and why.
  Result<Approval> approve(const std::string& id, const std::string& reviewer, int years, const RulePack& rules) {
    return approve(id, reviewer, ApprovalTerm{0, years}, rules);
  }
  Result<Approval> approve(const std::string& id, const std::string& reviewer, ApprovalTerm term, const RulePack& rules,
                           const Compose& compose = {});
  Status reject(const std::string& id, const std::string& reviewer, const std::string& reason,
                const Compose& compose = {});
  // Returns the token that links the provider's reply to this packet.
  Result<std::string> request_info(const std::string& id, const std::string& reviewer, const std::string& message,
                                   const Compose& compose = {});

  // The outbox (notify::Outbox; queue/store_outbox.cpp).
  Result<std::vector<notify::OutboxEntry>> claim_messages(const std::string& owner, double lease_seconds,
                                                          size_t max) override;
  Status message_sent(int64_t id, const std::string& owner, const std::string& reply) override;
  Status message_deferred(int64_t id, const std::string& owner, const std::string& error, double next_attempt) override;
  Status message_failed(int64_t id, const std::string& owner, const std::string& error) override;
  Result<std::vector<notify::OutboxEntry>> outbox(std::optional<notify::OutboxStatus> status = std::nullopt) override;
  Result<notify::OutboxEntry> outbox_entry(int64_t id) override;
  Status retry_message(int64_t id, const std::string& actor) override;
  // The messages queued for one packet, newest first (the packet page).
  Result<std::vector<notify::OutboxEntry>> packet_messages(const std::string& packet_id);
  // Back to `received` to be checked again (failed, checked, or stuck under an expired lease).
  Status retry(const std::string& id, const std::string& actor);
  // A provider's reply: new files join the packet, which goes back to `received`.
  Status add_files(const std::string& id, const std::vector<SourceFile>& files, const std::string& actor);
  std::optional<std::string> packet_for_token(const std::string& token);
  std::optional<std::string> packet_for_message_id(const std::string& message_id);
  Status set_message_id(const std::string& id, const std::string& message_id);

  Result<std::string> resolve(const std::string& id_or_prefix);  // unique prefixes accepted
  Result<PacketRecord> get(const std::string& id);
  Result<std::vector<PacketRecord>> list(std::optional<PacketStatus> only = std::nullopt);
  Result<std::vector<StoredFile>> files(const std::string& id);
  // The packet's files for (re)processing: originals up to `max_bytes` in memory, larger ones by
  // path (SourceFile::path), refused entries as refused.
  Result<Packet> load(const std::string& id, uint64_t max_bytes = UINT64_MAX);
  // The report as saved, page texts included: load_report(id) after save_report(lease, r) gives r.
  Result<Report> load_report(const std::string& id);
  Result<nlohmann::json> document_texts(const std::string& id);  // [{name, pages:[{number,text,ocr,confidence}]}]
  Result<std::vector<AuditEvent>> audit(const std::string& id);
  Result<std::vector<CatalogRow>> catalog(const std::string& as_of_date);
  Status append_audit(const std::string& id, const std::string& actor, const std::string& action,
                      const std::string& detail);

 private:
  Store() = default;
  Status open_database();
  Status migrate();
  Status clean_temp_files();
  Status set_status(const std::string& id, PacketStatus to, const std::string& actor, const std::string& action,
                    const std::string& detail);
  // Ok when `lease` still holds its packet (inside a write transaction).
  Status check_lease(const Lease& lease);
  // Inside a decision's transaction: composes and inserts its messages (an id already queued is
  // left as it is), with an audit event each.
  Status queue_messages(const std::string& id, int64_t decision, const std::string& actor, const Compose& compose);
  Error db_error(const std::string& what) const;
  // True when the Store that made `owner` (TOKEN.claim) is gone: its run/TOKEN.lock is free.
  bool holder_gone(const std::string& owner);
  sqlite3* db_ = nullptr;
  std::string token_;                   // this Store's liveness token (read-write stores)
  std::unique_ptr<FileLock> token_lock_;
  Env* env_ = nullptr;
  StoreOptions options_;
  std::string dir_;
  std::string db_path_;
};

}  // namespace clee
