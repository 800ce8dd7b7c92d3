// The durable review queue: originals in the data folder's content-addressed store, and packets,
// documents, reports, findings, decisions and an append-only audit log in a database — the
// embedded SQLite file in the data folder (SqliteStore, the default: one office, one machine,
// nothing to start), or a PostgreSQL server that several hosts share (PgStore, chosen by
// `StoreOptions::url` = "postgresql://…"; the data folder is then a folder every host mounts).
// Several processes, on one host or many, may open one queue at once.
//
// `Store` is the interface the app uses, and holds the queue's logic once: its SQL is written in
// the dialect both databases accept and runs over a `sql::Db` (queue/sql.h). A backend adds how
// it opens and migrates its database, how it tells that a lease holder's process is gone, and how
// it holds an intake source. A new table is one migration per backend (sqlite_store.cpp,
// pg_store.cpp); a new method is written once, here.
//
// Durability order (DESIGN.md): originals are stored whole (fsync'd) before the packet row exists;
// the packet row and its first audit event commit in one transaction; only then may the caller
// acknowledge its source. A Store is used by one thread at a time; open one per thread.
//
// Checking a packet is done under a lease: `claim` (or `claim_next`, the oldest due packet no one
// else is claiming) gives the caller a Lease (a random owner token and an expiry), `renew` is its
// heartbeat, and every write the checker makes (`save_report`, `release_failed`) names the lease
// and is refused once another process took the packet over (fencing). A lease whose holder is
// gone is taken over by `requeue_expired`: at once when the backend knows the holder's process
// ended (SQLite: its run/TOKEN.lock is free; PostgreSQL: its session's advisory lock is free),
// else when the lease expires (a hung process, a host that lost power or its network), whatever
// the host or process id. Failures after the claim always release the packet: transient ones (a
// full disk, a busy database) back to `received` with a growing backoff deadline (`due` lists what
// may run now), permanent ones (and too many attempts) to `failed`.
//
// Writers wait for each other: SQLite write transactions begin IMMEDIATE and wait on the lock;
// PostgreSQL ones lock the rows they change (FOR UPDATE) and wait up to a lock timeout. A queue on
// a read-only mount, a full disk or a read-only database role still opens read-only for the
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

namespace clee {

namespace sql {
class Db;
}

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
  // Where the queue's database is: "" = SQLite in the data folder (clee.sqlite); a
  // "postgresql://user@host:port/db" URL = that PostgreSQL database (the config's `store`,
  // --store). The data folder holds the originals either way.
  std::string url;
  bool read_only = false;             // open for reading only: no folders made, no migration
  double lease_seconds = 120;         // a claim lasts this long unless renewed
  double retry_initial_seconds = 10;  // first backoff after a transient failure; doubles
  double retry_max_seconds = 3600;
  int max_attempts = 5;               // transient failures in a row before `failed`
};

// An intake source (an inbox, a mail account) held by this process, so that of several daemons
// for one office one works it at a time. Released when destroyed, or when the process or its
// host dies (SQLite: an flock on data_dir/run/source-HASH.lock; PostgreSQL: a session-level
// advisory lock on a connection of its own).
class SourceHold {
 public:
  virtual ~SourceHold() = default;
  // False once the hold was lost (its database session ended): stop working the source and
  // take the hold again. Costs a round trip on PostgreSQL.
  virtual bool held() = 0;
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

  // Opens (creating and migrating, unless read-only) the queue `options.url` names, with its
  // originals in `data_dir`. A SQLite file that is empty or not SQLite while originals exist is
  // Code::kCorrupt — never a new empty queue; a database made by a newer clee-intake is
  // kCorrupt; a PostgreSQL server that cannot be reached is kIoError.
  static Result<std::unique_ptr<Store>> open(const std::string& data_dir, Env* env = Env::Default(),
                                             StoreOptions options = {});
  virtual ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::string& data_dir() const { return dir_; }
  const StoreOptions& options() const { return options_; }
  Env* env() const { return env_; }
  std::string now() const;
  // Names the queue's database in messages (a path, or the URL without its password).
  const std::string& where() const;
  // The random token that names this Store in lease owners ("" when read-only).
  const std::string& token() const { return token_; }

  // A second connection to this queue, opened on first use and kept while this Store lives, for
  // one helper thread at a time working for this Store's thread (the heartbeat renewing the lease
  // of the packet being checked). Saves a connection per packet (a server session on PostgreSQL).
  Result<Store*> companion();

  // Takes `source_name` ("inbox:/srv/clee/inbox", "mail:office") for this process without
  // waiting: Code::kBusy when another process (here or on another host) holds it.
  virtual Result<std::unique_ptr<SourceHold>> hold_source(const std::string& source_name) = 0;

  // 1. Originals, content-addressed in objects/ (idempotent). Return the sha256.
  Result<std::string> put_object(std::string_view bytes);
  // Streams a file (never through a link) into objects/: any size, bounded memory. Code::kBusy
  // when the file changed while it was read (the caller keeps the item in its source).
  Result<std::string> put_object_file(const std::string& path);
  // `max_bytes`: larger objects are refused with Code::kLimitExceeded (use object_path).
  Result<std::string> read_object(const std::string& sha256, uint64_t max_bytes = UINT64_MAX);
  std::string object_path(const std::string& sha256) const;

  // 2. Records a packet whose originals are already stored. Same files again → the existing id
  // with duplicate=true (and an audit event), never a second packet — also when two processes
  // record the same files at the same moment.
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
  // Claims the oldest due packet (received, past its backoff deadline) that no other process is
  // claiming at this moment (PostgreSQL: FOR UPDATE SKIP LOCKED); nullopt when none is due.
  Result<std::optional<Lease>> claim_next(const std::string& actor);
  Status renew(Lease& lease);
  // Stores the report (and per-document page texts) and moves to ready/needs_information.
  // `compose` (may be empty) makes the receipt, queued in the report's transaction.
  Status save_report(const Lease& lease, const Report& report, const std::string& actor, const Compose& compose = {});
  // Any failure after the claim: transient codes go back to `received` with a backoff deadline
  // until max_attempts, everything else to `failed` with the reason.
  Status release_failed(const Lease& lease, const Error& error, const std::string& actor);
  // Leases whose holder is gone (see the header comment) go back to `received`.
  Result<std::vector<std::string>> requeue_expired(const std::string& actor);
  // Packets to check now: received, and past their backoff deadline. Oldest first.
  Result<std::vector<PacketRecord>> due(size_t max = 1000);

  // Reviewer decisions; each lands in the audit log with who, when and why. CLEE IDs come from a
  // per-year counter row changed inside the approving transaction: no gaps, no repeats, also
  // under approvals from several processes and hosts at once.
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

  // The database itself, for the backends and `migrate` (queue/migrate.h); not for the app.
  sql::Db& db() { return *db_; }

 protected:
  Store(const std::string& data_dir, Env* env, StoreOptions options);
  // True when the Store that made `owner` (TOKEN.claim) is known to be gone. False when it is
  // alive or cannot be told (its lease then runs to its expiry).
  virtual bool holder_gone(const std::string& owner) = 0;
  // Removes temp files a killed writer left in the data folder (objects/, outbox/).
  Status clean_temp_files();

  std::unique_ptr<sql::Db> db_;
  std::unique_ptr<Store> companion_;
  std::string token_;  // set by a read-write backend, which keeps it alive while it is open
  Env* env_ = nullptr;
  StoreOptions options_;
  std::string dir_;

 private:
  Status set_status(const std::string& id, PacketStatus to, const std::string& actor, const std::string& action,
                    const std::string& detail);
  // Ok when `lease` still holds its packet (inside a write transaction; locks the row).
  Status check_lease(const Lease& lease);
  // Inside a decision's transaction: composes and inserts its messages (an id already queued is
  // left as it is), with an audit event each.
  Status queue_messages(const std::string& id, int64_t decision, const std::string& actor, const Compose& compose);
  // Moves packet `id` (locked, in `status`) to processing under a new lease.
  Result<Lease> take(const std::string& id, std::optional<PacketStatus> status, const std::string& holder,
                     double expires, const std::string& actor);
};

}  // namespace clee
