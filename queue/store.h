// The durable review queue: a data folder holding originals in a content-addressed store and a
// SQLite database (WAL) with packets, documents, reports, findings, decisions and an append-only
// audit log. Several processes (daemon and CLI) may open one data folder at once.
//
// Durability order (DESIGN.md): originals are stored (fsync'd) before the packet row exists; the
// packet row and its first audit event commit in one transaction; only then may the caller
// acknowledge its source. A Store is used by one thread at a time; open one per thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/model.h"
#include "pipeline/rules.h"
#include "base/env.h"

struct sqlite3;

namespace clee {

// Packet states. received → processing → ready_for_review | needs_information | failed →
// approved | rejected | info_requested; info_requested → processing when the provider answers.
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
  nlohmann::json report;  // null until processed
};

struct AuditEvent {
  int64_t seq = 0;
  std::string packet_id, at, actor, action, detail;
};

struct StoredFile {
  std::string label, sha256;
  uint64_t bytes = 0;
};

struct CatalogRow {
  std::string clee_id, title, contact, contact_email, contact_phone, provider, expires_on, packet_id;
  std::optional<double> hours;
};

struct Approval {
  std::string clee_id, expires_on;
};

class Store {
 public:
  // Opens (creating and migrating) the data folder. `now` overrides the clock for tests
  // ("YYYY-MM-DDTHH:MM:SSZ"); empty = system clock.
  static Result<std::unique_ptr<Store>> open(const std::string& data_dir, Env* env = Env::Default());
  ~Store();

  const std::string& data_dir() const { return dir_; }
  void set_clock(std::string fixed_now) { fixed_now_ = std::move(fixed_now); }
  // Who holds the packets this Store claims ("host:pid" by default); tests use it to play a
  // process that died.
  void set_worker(std::string worker) { worker_ = std::move(worker); }
  const std::string& worker() const { return worker_; }
  std::string now() const;

  // 1. Stores bytes in objects/ (idempotent). Returns the sha256.
  Result<std::string> put_object(std::string_view bytes);
  Result<std::string> read_object(const std::string& sha256);

  // 2. Records a packet whose files are already stored. Same files again → the existing id with
  // duplicate=true (and an audit event), never a second packet.
  struct Received {
    std::string id;
    bool duplicate = false;
  };
  Result<Received> receive(const Packet& packet, const std::string& source_kind, const std::string& actor,
                           const std::string& source_key = "");
  // A source item (mail UID, Message-ID) already committed? Returns its packet id.
  std::optional<std::string> packet_for_source(const std::string& source_key);
  Status remember_source(const std::string& source_key, const std::string& packet_id);

  // Claims a packet for checking: moves it to `processing` held by this process (host:pid). Ok if
  // this process holds it already (after retry/add_files); Error "busy" when another live process
  // does, so two processes never check one packet at once.
  Status start_processing(const std::string& id, const std::string& actor);
  // Stores the report (and per-document page texts) and moves to ready/needs_information.
  Status save_report(const std::string& id, const Report& report, const std::string& actor);
  Status mark_failed(const std::string& id, const std::string& error, const std::string& actor);

  // Reviewer decisions; each lands in the audit log with who, when and why.
  Result<Approval> approve(const std::string& id, const std::string& reviewer, int years, const RulePack& rules);
  Status reject(const std::string& id, const std::string& reviewer, const std::string& reason);
  // Returns the token that links the provider's reply to this packet.
  Result<std::string> request_info(const std::string& id, const std::string& reviewer, const std::string& message);
  Status retry(const std::string& id, const std::string& actor);
  // A provider's reply: new files join the packet, which goes back to processing.
  Status add_files(const std::string& id, const std::vector<SourceFile>& files, const std::string& actor);
  std::optional<std::string> packet_for_token(const std::string& token);
  std::optional<std::string> packet_for_message_id(const std::string& message_id);
  Status set_message_id(const std::string& id, const std::string& message_id);

  // Packets stuck in `processing` whose holder process is gone (a crash mid-work) go back to
  // `received` to be redone. Work held by a live process (this one included) is left alone, so
  // the daemon may call this periodically while the CLI works on the same data folder.
  Result<std::vector<std::string>> requeue_interrupted(const std::string& actor);

  Result<std::string> resolve(const std::string& id_or_prefix);  // unique prefixes accepted
  Result<PacketRecord> get(const std::string& id);
  Result<std::vector<PacketRecord>> list(std::optional<PacketStatus> only = std::nullopt);
  Result<std::vector<StoredFile>> files(const std::string& id);
  Result<Packet> load(const std::string& id);  // files with bytes, for (re)processing
  Result<nlohmann::json> document_texts(const std::string& id);  // [{name, pages:[{number,text,ocr,confidence}]}]
  Result<std::vector<AuditEvent>> audit(const std::string& id);
  Result<std::vector<CatalogRow>> catalog(const std::string& as_of_date);
  Status append_audit(const std::string& id, const std::string& actor, const std::string& action,
                      const std::string& detail);

 private:
  Store() = default;
  Status migrate();
  Status set_status(const std::string& id, PacketStatus to, const std::string& actor,
                    const std::string& action, const std::string& detail);
  Status set_worker_column(const std::string& id);
  sqlite3* db_ = nullptr;
  Env* env_ = nullptr;
  std::string worker_;
  std::string dir_;
  std::string fixed_now_;
};

}  // namespace clee
