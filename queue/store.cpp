// The store's core: opening (and refusing to open) a data folder, migrations, the
// content-addressed originals, packet records and reads. Checking under leases is in
// store_check.cpp, reviewer decisions and the catalog in store_decide.cpp.
#include "queue/store.h"

#include <openssl/rand.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <ostream>
#include <set>
#include <thread>

#include "base/hash.h"
#include "pipeline/report_json.h"
#include "queue/sql.h"
#include "queue/store_internal.h"

namespace clee {
namespace {

using sql::Stmt;

// Versioned migrations: index i takes the schema from user_version i to i+1. Append only.
const char* kMigrations[] = {
    R"(CREATE TABLE packets(
         id TEXT PRIMARY KEY, packet_key TEXT NOT NULL UNIQUE, status TEXT NOT NULL,
         source TEXT NOT NULL, source_kind TEXT NOT NULL, received_at TEXT NOT NULL, updated_at TEXT NOT NULL,
         report TEXT, error TEXT, provider TEXT, title TEXT, hours REAL, contact TEXT, contact_email TEXT,
         contact_phone TEXT, verdict TEXT, disposition TEXT, missing TEXT,
         clee_id TEXT UNIQUE, approved_at TEXT, expires_on TEXT, token TEXT UNIQUE, message_id TEXT);
       CREATE INDEX packets_status ON packets(status, received_at);
       CREATE TABLE files(packet_id TEXT NOT NULL REFERENCES packets(id), position INTEGER NOT NULL,
         label TEXT NOT NULL, sha256 TEXT NOT NULL, bytes INTEGER NOT NULL, PRIMARY KEY(packet_id, position));
       CREATE TABLE documents(packet_id TEXT NOT NULL REFERENCES packets(id), position INTEGER NOT NULL,
         name TEXT NOT NULL, sha256 TEXT, type TEXT, pages TEXT NOT NULL, PRIMARY KEY(packet_id, position));
       CREATE TABLE findings(packet_id TEXT NOT NULL REFERENCES packets(id), code TEXT NOT NULL,
         severity TEXT NOT NULL, message TEXT NOT NULL, document TEXT);
       CREATE TABLE decisions(id INTEGER PRIMARY KEY AUTOINCREMENT, packet_id TEXT NOT NULL, kind TEXT NOT NULL,
         reviewer TEXT NOT NULL, at TEXT NOT NULL, reason TEXT, clee_id TEXT);
       CREATE TABLE audit(seq INTEGER PRIMARY KEY AUTOINCREMENT, packet_id TEXT NOT NULL, at TEXT NOT NULL,
         actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT);
       CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
       CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
       CREATE TABLE clee_sequence(year INTEGER PRIMARY KEY, last INTEGER NOT NULL);
       CREATE TABLE sources(source_key TEXT PRIMARY KEY, packet_id TEXT NOT NULL, at TEXT NOT NULL);)",
    // 2: who holds a packet in `processing` (host:pid), so a restart redoes only work whose
    // process is gone, never work another live process (daemon or CLI) is doing right now.
    R"(ALTER TABLE packets ADD COLUMN worker TEXT;)",
    // 3: leases instead of host:pid ownership (a pid or host name that repeats never expired);
    // attempts and a backoff deadline for transient failures; refused entries (symlinks...) kept
    // by name; attempts at source items that never became packets. Claims made under the old
    // scheme are redone.
    R"(ALTER TABLE packets ADD COLUMN lease_owner TEXT;
       ALTER TABLE packets ADD COLUMN lease_expires REAL;
       ALTER TABLE packets ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
       ALTER TABLE packets ADD COLUMN next_attempt REAL;
       ALTER TABLE packets DROP COLUMN worker;
       ALTER TABLE files ADD COLUMN refused TEXT;
       CREATE TABLE source_attempts(source_key TEXT PRIMARY KEY, attempts INTEGER NOT NULL, last_error TEXT,
         at TEXT NOT NULL);
       INSERT INTO audit(packet_id, at, actor, action, detail)
         SELECT id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'migration', 'requeued',
                'claimed under the old host:pid scheme; redone' FROM packets WHERE status='processing';
       UPDATE packets SET status='received' WHERE status='processing';)",
    // 4: the outbox (queue/store_outbox.cpp): one row per message a decision caused, written in
    // the decision's transaction; claimed under a lease by one sender at a time.
    R"(CREATE TABLE outbox(id INTEGER PRIMARY KEY AUTOINCREMENT, packet_id TEXT NOT NULL, decision INTEGER,
         kind TEXT NOT NULL, message_id TEXT NOT NULL UNIQUE, envelope_from TEXT NOT NULL, recipients TEXT NOT NULL,
         to_address TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL, mime TEXT NOT NULL,
         status TEXT NOT NULL, attempts INTEGER NOT NULL, created_at TEXT NOT NULL, next_attempt REAL NOT NULL,
         sent_at TEXT, last_error TEXT, server_reply TEXT, lease_owner TEXT, lease_expires REAL);
       CREATE INDEX outbox_due ON outbox(status, next_attempt);
       CREATE INDEX outbox_packet ON outbox(packet_id);)",
};

const std::map<PacketStatus, std::set<PacketStatus>> kTransitions = {
    {PacketStatus::kReceived, {PacketStatus::kProcessing, PacketStatus::kFailed, PacketStatus::kRejected}},
    {PacketStatus::kProcessing,
     {PacketStatus::kReady, PacketStatus::kNeedsInformation, PacketStatus::kFailed, PacketStatus::kReceived}},
    {PacketStatus::kReady,
     {PacketStatus::kApproved, PacketStatus::kRejected, PacketStatus::kInfoRequested, PacketStatus::kReceived}},
    {PacketStatus::kNeedsInformation,
     {PacketStatus::kApproved, PacketStatus::kRejected, PacketStatus::kInfoRequested, PacketStatus::kReceived}},
    {PacketStatus::kFailed, {PacketStatus::kReceived, PacketStatus::kRejected}},
    {PacketStatus::kInfoRequested, {PacketStatus::kReceived, PacketStatus::kRejected}},
    {PacketStatus::kApproved, {}},
    {PacketStatus::kRejected, {}},
};

std::string packet_key(const Packet& p) {
  std::vector<std::string> shas;
  for (const auto& f : p.files)
    if (!f.refused) shas.push_back(f.sha256);
  std::sort(shas.begin(), shas.end());
  std::string all;
  for (const auto& s : shas) all += s;
  return sha256_hex(all);
}

bool is_sha(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// Temp files of durable writes that a killed process left behind. A live writer keeps touching
// its temp file; one untouched for this long belongs to a dead process. Removing a temp file a
// slow live writer still needed only makes its rename fail: that item stays in its source and is
// retried, so the rule is safe as well as simple.
constexpr double kStaleTempSeconds = 60;

}  // namespace

namespace store_internal {

std::string iso(double epoch) { return epoch > 0 ? format_utc(epoch) : ""; }

PacketRecord read_record(Stmt& s) {
  PacketRecord r;
  r.id = s.text(0);
  r.status = status_from_name(s.text(1)).value_or(PacketStatus::kFailed);
  r.source = s.text(2);
  r.source_kind = s.text(3);
  r.received_at = s.text(4);
  r.updated_at = s.text(5);
  r.provider = s.text(6);
  r.title = s.text(7);
  r.hours = s.real(8);
  r.contact = s.text(9);
  r.contact_email = s.text(10);
  r.verdict = verdict_from_name(s.text(11));
  r.disposition = disposition_from_name(s.text(12));
  r.error = s.text(13);
  r.clee_id = s.text(14);
  r.approved_at = s.text(15);
  r.expires_on = s.text(16);
  r.token = s.text(17);
  if (!s.is_null(18)) {
    auto j = nlohmann::json::parse(s.text(18), nullptr, false);
    if (j.is_array()) r.missing = j.get<std::vector<std::string>>();
  }
  if (!s.is_null(19)) r.report = nlohmann::json::parse(s.text(19), nullptr, false);
  r.attempts = static_cast<int>(s.integer(20));
  r.next_attempt_at = iso(s.real(21).value_or(0));
  r.lease_owner = s.text(22);
  r.lease_expires_at = iso(s.real(23).value_or(0));
  return r;
}

const char* kRecordColumns =
    "id, status, source, source_kind, received_at, updated_at, provider, title, hours, contact, contact_email, "
    "verdict, disposition, error, clee_id, approved_at, expires_on, token, missing, report, attempts, next_attempt, "
    "lease_owner, lease_expires";

std::string random_hex(size_t bytes) {
  std::vector<unsigned char> b(bytes);
  RAND_bytes(b.data(), static_cast<int>(b.size()));
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : b) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

}  // namespace store_internal

using namespace store_internal;

const char* status_name(PacketStatus s) {
  switch (s) {
    case PacketStatus::kReceived: return "received";
    case PacketStatus::kProcessing: return "processing";
    case PacketStatus::kReady: return "ready_for_review";
    case PacketStatus::kNeedsInformation: return "needs_information";
    case PacketStatus::kFailed: return "failed";
    case PacketStatus::kApproved: return "approved";
    case PacketStatus::kRejected: return "rejected";
    case PacketStatus::kInfoRequested: return "info_requested";
  }
  return "received";
}

const std::vector<PacketStatus>& all_statuses() {
  static const std::vector<PacketStatus> kAll = {PacketStatus::kReady,      PacketStatus::kNeedsInformation,
                                                 PacketStatus::kFailed,     PacketStatus::kReceived,
                                                 PacketStatus::kProcessing, PacketStatus::kInfoRequested,
                                                 PacketStatus::kApproved,   PacketStatus::kRejected};
  return kAll;
}

std::optional<PacketStatus> status_from_name(std::string_view name) {
  for (PacketStatus s : all_statuses())
    if (name == status_name(s)) return s;
  return std::nullopt;
}

std::ostream& operator<<(std::ostream& os, PacketStatus s) { return os << status_name(s); }

bool transition_allowed(PacketStatus from, PacketStatus to) {
  auto it = kTransitions.find(from);
  return it != kTransitions.end() && it->second.count(to);
}

// ---- opening ----

Result<std::unique_ptr<Store>> Store::open(const std::string& data_dir, Env* env, StoreOptions options) {
  std::unique_ptr<Store> s(new Store());
  s->dir_ = data_dir;
  s->env_ = env;
  s->options_ = options;
  s->db_path_ = data_dir + "/clee.sqlite";
  if (options.read_only) {
    auto info = env->stat(data_dir);
    if (!info && info.error().code == Code::kNotFound)
      return Error{Code::kNotFound, "no data folder at " + data_dir +
                                        " (nothing has been ingested there; --data or data_dir chooses the folder)"};
    if (!info) return Error{info.error().code, "data folder " + data_dir + ": " + info.error().message};
  } else {
    for (const char* sub : {"", "/objects", "/outbox", "/run"})
      if (Status st = env->make_dirs(data_dir + sub); !st) return st.error();
    s->token_ = random_hex(8);
    auto lock = env->lock_file(data_dir + "/run/" + s->token_ + ".lock");
    if (!lock) return lock.error();
    s->token_lock_ = std::move(*lock);
  }
  if (Status st = s->open_database(); !st) return st.error();
  if (!options.read_only)
    if (Status st = s->clean_temp_files(); !st) spdlog::warn("{}", st.error().message);
  return s;
}

Store::~Store() {
  if (db_) sqlite3_close_v2(db_);
  if (token_lock_) {
    token_lock_.reset();
    (void)env_->remove(dir_ + "/run/" + token_ + ".lock");
  }
}

bool Store::holder_gone(const std::string& owner) {
  std::string token = owner.substr(0, owner.find('.'));
  if (token.empty() || token == owner || token == token_ || token.find('/') != std::string::npos) return false;
  // Every Store that can claim keeps its lock file in the data folder's run/ until it closes; a
  // missing one was removed by a clean close or by a start-up that found it free.
  std::string path = dir_ + "/run/" + token + ".lock";
  if (!env_->exists(path)) return true;
  auto lock = env_->lock_file(path);
  if (!lock) return false;  // held: its Store is alive
  (void)env_->remove(path);
  return true;
}

Error Store::db_error(const std::string& what) const { return sql::error_for(db_, sqlite3_errcode(db_), what); }

Status Store::open_database() {
  // An empty or foreign database file beside stored originals is damage, not a new data folder:
  // starting an empty queue there would orphan every original.
  if (auto info = env_->stat(db_path_); info) {
    if (info->type != FileType::kRegular)
      return Error{Code::kUnsafeEntry, db_path_ + ": not a regular file (refusing to follow a link)"};
    if (info->size == 0) {
      auto objects = env_->list_dir(dir_ + "/objects");
      if (objects && !objects->empty())
        return Error{Code::kCorrupt, db_path_ + " is empty (0 bytes) but " + dir_ +
                                         "/objects holds stored originals: restore the database from a backup "
                                         "(refusing to start a new, empty queue over them)"};
    }
  }
  int flags = SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_URI | SQLITE_OPEN_NOFOLLOW;
  flags |= options_.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  if (options_.read_only && !env_->exists(db_path_))
    return Error{Code::kNotFound, db_path_ + ": no queue here yet (nothing has been ingested into " + dir_ + ")"};
  int rc = sqlite3_open_v2(db_path_.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) return sql::error_for(db_, rc, "opening the queue");
  sqlite3_busy_timeout(db_, 30000);
  if (options_.read_only) {
    // A read-only mount cannot hold the WAL index: read the file as immutable (nothing else can
    // write to it there either).
    Stmt probe(db_, "SELECT count(*) FROM sqlite_master");
    if (!probe.ok() || !probe.step()) {
      sqlite3_close_v2(db_);
      db_ = nullptr;
      std::string uri = "file:" + db_path_ + "?immutable=1";
      rc = sqlite3_open_v2(uri.c_str(), &db_, flags, nullptr);
      if (rc != SQLITE_OK) return sql::error_for(db_, rc, "opening the queue read-only");
    }
  }
  // Pragmas and migration wait for other processes like every write (the busy timeout does not
  // cover the journal-mode switch of a brand-new file, so those retry here).
  for (int attempt = 0;; ++attempt) {
    Status st = options_.read_only ? Status::Ok() : sql::exec(db_, "PRAGMA journal_mode=WAL");
    if (st) st = sql::exec(db_, "PRAGMA synchronous=FULL");
    if (st) st = sql::exec(db_, "PRAGMA foreign_keys=ON");
    if (st) st = migrate();
    if (st) return Status::Ok();
    if (st.code() != Code::kBusy || attempt >= 100) return st;
    env_->sleep_for(0.05 * std::min(attempt + 1, 10));
  }
}

Status Store::migrate() {
  int target = static_cast<int>(std::size(kMigrations));
  auto version_now = [&]() -> Result<int> {
    Stmt v(db_, "PRAGMA user_version");
    if (!v.step()) return v.error() ? *v.error() : db_error("reading the schema version");
    return static_cast<int>(v.integer(0));
  };
  auto before = version_now();
  if (!before) return before.error();
  if (*before > target)
    return Error{Code::kCorrupt, db_path_ + ": made by a newer clee-intake (schema " + std::to_string(*before) + ")"};
  if (*before == target) return Status::Ok();
  if (options_.read_only) {
    // A writer may be creating or upgrading the database right now: give it a moment.
    for (int i = 0; i < 50 && *before < target; ++i) {
      env_->sleep_for(0.1);
      before = version_now();
      if (!before) return before.error();
    }
    if (*before == target) return Status::Ok();
    Stmt tables(db_, "SELECT count(*) FROM sqlite_master");
    if (*before == 0 && tables.step() && tables.integer(0) == 0)
      return Error{Code::kNotFound, "no queue in " + dir_ + " yet (nothing has been ingested there)"};
    return Error{Code::kReadOnly, db_path_ + ": schema " + std::to_string(*before) + " needs upgrading to " +
                                      std::to_string(target) + "; open the data folder once read-write"};
  }
  sql::Transaction t(db_);
  if (!t.begun()) return t.begun();
  auto version = version_now();  // another process may have migrated while we waited
  if (!version) return version.error();
  for (int i = *version; i < target; ++i)
    if (Status st = sql::exec(db_, kMigrations[i]); !st) return st;
  if (*version != target)
    if (Status st = sql::exec(db_, "PRAGMA user_version=" + std::to_string(target)); !st) return st;
  return t.commit();
}

Status Store::clean_temp_files() {
  double now = env_->now_seconds();
  size_t removed = 0;
  auto sweep = [&](const std::string& dir) {
    auto entries = env_->list_dir(dir);
    if (!entries) return;
    for (const auto& e : *entries) {
      if (e.type != FileType::kRegular || e.name.find(".tmp.") == std::string::npos) continue;
      std::string path = dir + "/" + e.name;
      auto info = env_->stat(path);
      if (!info || now - static_cast<double>(info->mtime_ns) / 1e9 < kStaleTempSeconds) continue;
      if (env_->remove(path)) ++removed;
    }
  };
  sweep(dir_);
  sweep(dir_ + "/outbox");
  // Liveness locks of Stores that are gone (a clean close removes its own).
  if (auto runs = env_->list_dir(dir_ + "/run"))
    for (const auto& e : *runs)
      if (e.name.size() > 5 && e.name.compare(e.name.size() - 5, 5, ".lock") == 0 && e.name != token_ + ".lock")
        if (auto lock = env_->lock_file(dir_ + "/run/" + e.name)) (void)env_->remove(dir_ + "/run/" + e.name);
  auto shards = env_->list_dir(dir_ + "/objects");
  if (!shards) return shards.error();
  for (const auto& shard : *shards)
    if (shard.type == FileType::kDirectory) sweep(dir_ + "/objects/" + shard.name);
  if (removed) spdlog::info("{}: removed {} temp file(s) left by interrupted writes", dir_, removed);
  return Status::Ok();
}

std::string Store::now() const { return env_->now_utc(); }

// ---- originals ----

std::string Store::object_path(const std::string& sha) const {
  return dir_ + "/objects/" + sha.substr(0, 2) + "/" + sha.substr(2);
}

Result<std::string> Store::put_object(std::string_view bytes) {
  std::string sha = sha256_hex(bytes);
  std::string path = object_path(sha);
  if (env_->exists(path)) return sha;  // content-addressed: same bytes, same file
  if (Status st = env_->make_dirs(dir_ + "/objects/" + sha.substr(0, 2)); !st) return st.error();
  if (Status st = env_->write_durably(path, bytes); !st) return st.error();
  return sha;
}

Result<std::string> Store::put_object_file(const std::string& path) {
  // Hash first (the name is the hash), then copy; the copy's own hash must agree, or the file
  // changed under us and what we stored is not what we named.
  Sha256 first;
  if (Status st = env_->stream_file(path, [&](std::string_view c) {
        first.update(c);
        return Status::Ok();
      });
      !st)
    return st.error();
  std::string sha = first.hex();
  std::string target = object_path(sha);
  if (env_->exists(target)) return sha;
  if (Status st = env_->make_dirs(dir_ + "/objects/" + sha.substr(0, 2)); !st) return st.error();
  std::string copied;
  if (Status st = env_->copy_durably(path, target, &copied); !st) return st.error();
  if (copied != sha) {
    (void)env_->remove(target);
    return Error{Code::kBusy, path + " changed while it was being stored; it stays in its source and is tried again"};
  }
  return sha;
}

Result<std::string> Store::read_object(const std::string& sha, uint64_t max_bytes) {
  if (!is_sha(sha)) return Error{Code::kNotFound, "bad object id"};
  return env_->read_file(object_path(sha), max_bytes);
}

// ---- packets ----

Status Store::append_audit(const std::string& id, const std::string& actor, const std::string& action,
                           const std::string& detail) {
  return Stmt(db_, "INSERT INTO audit(packet_id, at, actor, action, detail) VALUES(?,?,?,?,?)")
      .bind(1, id).bind(2, now()).bind(3, actor).bind(4, action).bind(5, detail).done();
}

Result<Store::Received> Store::receive(const Packet& packet, const std::string& source_kind, const std::string& actor,
                                       const std::string& source_key) {
  // Every original must already be in objects/ (step 1) before the row exists (step 2).
  for (const auto& f : packet.files)
    if (!f.refused && (!is_sha(f.sha256) || !env_->exists(object_path(f.sha256))))
      return Error{Code::kStoreError, "original " + f.label + " was not stored first"};
  std::string key = packet_key(packet);
  sql::Transaction t(db_);
  if (!t.begun()) return t.begun().error();
  Stmt find(db_, "SELECT id FROM packets WHERE packet_key=?");
  find.bind(1, key);
  if (find.step()) {
    std::string id = find.text(0);
    if (Status st = append_audit(id, actor, "duplicate_packet", "the same files arrived again from " + packet.source); !st)
      return st.error();
    if (!source_key.empty())
      if (Status st = Stmt(db_, "INSERT OR IGNORE INTO sources VALUES(?,?,?)").bind(1, source_key).bind(2, id).bind(3, now()).done();
          !st)
        return st.error();
    if (Status st = t.commit(); !st) return st.error();
    return Received{id, true};
  }
  if (find.error()) return *find.error();
  std::string id = "P-" + key.substr(0, 10);
  std::string at = packet.received_at.empty() ? now() : packet.received_at;
  Status st = Stmt(db_, "INSERT INTO packets(id, packet_key, status, source, source_kind, received_at, updated_at) "
                        "VALUES(?,?,?,?,?,?,?)")
                  .bind(1, id).bind(2, key).bind(3, status_name(PacketStatus::kReceived)).bind(4, packet.source)
                  .bind(5, source_kind).bind(6, at).bind(7, now()).done();
  if (!st) return st.error();
  for (size_t i = 0; i < packet.files.size(); ++i) {
    const auto& f = packet.files[i];
    Stmt row(db_, "INSERT INTO files(packet_id, position, label, sha256, bytes, refused) VALUES(?,?,?,?,?,?)");
    row.bind(1, id).bind(2, static_cast<int64_t>(i)).bind(3, f.label).bind(4, f.refused ? "" : f.sha256)
        .bind(5, static_cast<int64_t>(f.size));
    if (f.refused) row.bind(6, f.refused->message);
    else row.bind_null(6);
    if (st = row.done(); !st) return st.error();
  }
  if (!source_key.empty()) {
    st = Stmt(db_, "INSERT OR REPLACE INTO sources VALUES(?,?,?)").bind(1, source_key).bind(2, id).bind(3, now()).done();
    if (!st) return st.error();
    st = Stmt(db_, "DELETE FROM source_attempts WHERE source_key=?").bind(1, source_key).done();
    if (!st) return st.error();
  }
  st = append_audit(id, actor, "received",
                    source_kind + ": " + packet.source + " (" + std::to_string(packet.files.size()) + " files)");
  if (!st) return st.error();
  if (st = t.commit(); !st) return st.error();
  return Received{id, false};
}

std::optional<std::string> Store::packet_for_source(const std::string& key) {
  Stmt s(db_, "SELECT packet_id FROM sources WHERE source_key=?");
  s.bind(1, key);
  if (s.step()) return s.text(0);
  return std::nullopt;
}

Status Store::remember_source(const std::string& key, const std::string& id) {
  return Stmt(db_, "INSERT OR REPLACE INTO sources VALUES(?,?,?)").bind(1, key).bind(2, id).bind(3, now()).done();
}

Result<int> Store::note_source_attempt(const std::string& key, const Error& error) {
  sql::Transaction t(db_);
  if (!t.begun()) return t.begun().error();
  Status st = Stmt(db_, "INSERT INTO source_attempts VALUES(?, 1, ?, ?) ON CONFLICT(source_key) DO UPDATE SET "
                        "attempts = attempts + 1, last_error = excluded.last_error, at = excluded.at")
                  .bind(1, key).bind(2, std::string(code_name(error.code)) + ": " + error.message).bind(3, now()).done();
  if (!st) return st.error();
  Stmt n(db_, "SELECT attempts FROM source_attempts WHERE source_key=?");
  n.bind(1, key);
  if (!n.step()) return n.error() ? *n.error() : db_error("counting attempts");
  int attempts = static_cast<int>(n.integer(0));
  if (st = t.commit(); !st) return st.error();
  return attempts;
}

Status Store::forget_source_attempts(const std::string& key) {
  return Stmt(db_, "DELETE FROM source_attempts WHERE source_key=?").bind(1, key).done();
}

std::optional<std::string> Store::packet_for_token(const std::string& token) {
  Stmt s(db_, "SELECT id FROM packets WHERE token=?");
  s.bind(1, token);
  if (s.step()) return s.text(0);
  return std::nullopt;
}

std::optional<std::string> Store::packet_for_message_id(const std::string& mid) {
  Stmt s(db_, "SELECT id FROM packets WHERE message_id=?");
  s.bind(1, mid);
  if (s.step()) return s.text(0);
  return std::nullopt;
}

Status Store::set_message_id(const std::string& id, const std::string& mid) {
  return Stmt(db_, "UPDATE packets SET message_id=? WHERE id=?").bind(1, mid).bind(2, id).done();
}

Status Store::set_status(const std::string& id, PacketStatus to, const std::string& actor, const std::string& action,
                         const std::string& detail) {
  Stmt cur(db_, "SELECT status FROM packets WHERE id=?");
  cur.bind(1, id);
  if (!cur.step()) return cur.error() ? *cur.error() : Error{Code::kNotFound, "no packet " + id};
  std::string from = cur.text(0);
  auto from_status = status_from_name(from);
  if (!from_status || !transition_allowed(*from_status, to))
    return Error{Code::kInvalidTransition, "packet " + id + " is " + from + "; it cannot become " + status_name(to)};
  Status st = Stmt(db_, "UPDATE packets SET status=?, updated_at=? WHERE id=?")
                  .bind(1, status_name(to)).bind(2, now()).bind(3, id).done();
  if (!st) return st;
  return append_audit(id, actor, action, detail.empty() ? from + " → " + status_name(to) : detail);
}

// ---- reads ----

Result<std::string> Store::resolve(const std::string& prefix) {
  if (prefix.empty()) return Error{Code::kNotFound, "no packet id given"};
  Stmt s(db_, "SELECT id FROM packets WHERE id=? OR id LIKE ? ESCAPE '\\' OR clee_id=? LIMIT 3");
  std::string like;
  for (char c : prefix) {
    if (c == '%' || c == '_' || c == '\\') like.push_back('\\');
    like.push_back(c);
  }
  s.bind(1, prefix).bind(2, like + "%").bind(3, prefix);
  std::vector<std::string> ids;
  while (s.step()) ids.push_back(s.text(0));
  if (s.error()) return *s.error();
  if (std::find(ids.begin(), ids.end(), prefix) != ids.end()) return prefix;
  if (ids.empty()) return Error{Code::kNotFound, "no packet " + prefix};
  if (ids.size() > 1) return Error{Code::kNotFound, "packet id " + prefix + " is ambiguous"};
  return ids[0];
}

Result<PacketRecord> Store::get(const std::string& id) {
  Stmt s(db_, std::string("SELECT ") + kRecordColumns + " FROM packets WHERE id=?");
  s.bind(1, id);
  if (!s.step()) return s.error() ? *s.error() : Error{Code::kNotFound, "no packet " + id};
  return read_record(s);
}

Result<std::vector<PacketRecord>> Store::list(std::optional<PacketStatus> only) {
  // Ready for review first, then those waiting on information, oldest first within each.
  std::string q = std::string("SELECT ") + kRecordColumns + " FROM packets " + (!only ? "" : "WHERE status=? ") +
                  "ORDER BY CASE status WHEN 'ready_for_review' THEN 0 WHEN 'needs_information' THEN 1 "
                  "WHEN 'failed' THEN 2 WHEN 'received' THEN 3 WHEN 'processing' THEN 3 WHEN 'info_requested' THEN 4 "
                  "ELSE 5 END, received_at, id";
  Stmt s(db_, q);
  if (only) s.bind(1, status_name(*only));
  std::vector<PacketRecord> out;
  while (s.step()) out.push_back(read_record(s));
  if (s.error()) return *s.error();
  return out;
}

Result<std::vector<StoredFile>> Store::files(const std::string& id) {
  Stmt s(db_, "SELECT label, sha256, bytes, COALESCE(refused, '') FROM files WHERE packet_id=? ORDER BY position");
  s.bind(1, id);
  std::vector<StoredFile> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), static_cast<uint64_t>(s.integer(2)), s.text(3)});
  if (s.error()) return *s.error();
  return out;
}

Result<Packet> Store::load(const std::string& id, uint64_t max_bytes) {
  auto rec = get(id);
  if (!rec) return rec.error();
  auto fs = files(id);
  if (!fs) return fs.error();
  Packet p;
  p.id = id;
  p.source = rec->source;
  p.received_at = rec->received_at;
  for (const auto& f : *fs) {
    SourceFile sf;
    sf.label = f.label;
    sf.sha256 = f.sha256;
    sf.size = f.bytes;
    if (!f.refused.empty()) {
      sf.refused = Error{Code::kUnsafeEntry, f.refused};
    } else if (f.bytes > max_bytes) {
      sf.path = object_path(f.sha256);  // too large to hold: extraction reports the limit
    } else {
      auto bytes = read_object(f.sha256);
      if (!bytes) return Error{bytes.error().code, "packet " + id + ": original " + f.label + ": " + bytes.error().message};
      sf.bytes = std::move(*bytes);
    }
    p.files.push_back(std::move(sf));
  }
  return p;
}

Result<Report> Store::load_report(const std::string& id) {
  auto rec = get(id);
  if (!rec) return rec.error();
  if (rec->report.is_null()) return Error{Code::kNotFound, "packet " + id + " has not been checked yet"};
  auto report = report_from_json(rec->report);
  if (!report) return Error{Code::kCorrupt, "packet " + id + ": " + report.error().message};
  Stmt s(db_, "SELECT position, pages FROM documents WHERE packet_id=? ORDER BY position");
  s.bind(1, id);
  while (s.step()) {
    size_t i = static_cast<size_t>(s.integer(0));
    if (i >= report->documents.size()) continue;
    auto pages = nlohmann::json::parse(s.text(1), nullptr, false);
    if (!pages.is_array()) return Error{Code::kCorrupt, "packet " + id + ": stored pages do not read back"};
    std::vector<Page>& out = report->documents[i].doc.pages;
    out.clear();
    for (const auto& p : pages)
      out.push_back(Page{p.value("number", 0), p.value("text", ""), p.value("ocr", false), p.value("confidence", -1.0),
                         p.value("rotation", 0)});
  }
  if (s.error()) return *s.error();
  return report;
}

Result<nlohmann::json> Store::document_texts(const std::string& id) {
  Stmt s(db_, "SELECT name, sha256, type, pages FROM documents WHERE packet_id=? ORDER BY position");
  s.bind(1, id);
  nlohmann::json out = nlohmann::json::array();
  while (s.step())
    out.push_back({{"name", s.text(0)}, {"sha256", s.text(1)}, {"type", s.text(2)},
                   {"pages", nlohmann::json::parse(s.text(3), nullptr, false)}});
  if (s.error()) return *s.error();
  return out;
}

Result<std::vector<AuditEvent>> Store::audit(const std::string& id) {
  Stmt s(db_, id.empty() ? "SELECT seq, packet_id, at, actor, action, detail FROM audit ORDER BY seq"
                         : "SELECT seq, packet_id, at, actor, action, detail FROM audit WHERE packet_id=? ORDER BY seq");
  if (!id.empty()) s.bind(1, id);
  std::vector<AuditEvent> out;
  while (s.step()) out.push_back({s.integer(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5)});
  if (s.error()) return *s.error();
  return out;
}

}  // namespace clee
