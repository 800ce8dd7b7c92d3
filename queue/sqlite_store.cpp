// The SQLite backend (the default): the queue is clee.sqlite in the data folder (WAL, synchronous
// FULL), shared by the processes of one machine. A Store's liveness is an flock on
// data_dir/run/TOKEN.lock held while it is open, so a lease whose holder died is taken over at
// once; a source is held by an flock on data_dir/run/source-HASH.lock.
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>

#include "base/hash.h"
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
    // 4: indexes for what every check and page reads or replaces per packet (findings on each
    // save, a packet's audit events, replies found by Message-ID); PostgreSQL's schema has them.
    R"(CREATE INDEX findings_packet ON findings(packet_id);
       CREATE INDEX audit_packet ON audit(packet_id, seq);
       CREATE INDEX packets_message_id ON packets(message_id);)",
    // 5: the outbox (queue/store_outbox.cpp): one row per message a decision caused, written in
    // the decision's transaction; claimed under a lease by one sender at a time.
    R"(CREATE TABLE outbox(id INTEGER PRIMARY KEY AUTOINCREMENT, packet_id TEXT NOT NULL, decision INTEGER,
         kind TEXT NOT NULL, message_id TEXT NOT NULL UNIQUE, envelope_from TEXT NOT NULL, recipients TEXT NOT NULL,
         to_address TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL, mime TEXT NOT NULL,
         status TEXT NOT NULL, attempts INTEGER NOT NULL, created_at TEXT NOT NULL, next_attempt REAL NOT NULL,
         sent_at TEXT, last_error TEXT, server_reply TEXT, lease_owner TEXT, lease_expires REAL);
       CREATE INDEX outbox_due ON outbox(status, next_attempt);
       CREATE INDEX outbox_packet ON outbox(packet_id);)",
};


class FileSourceHold final : public SourceHold {
 public:
  explicit FileSourceHold(std::unique_ptr<FileLock> lock) : lock_(std::move(lock)) {}
  bool held() override { return true; }  // an flock is not lost while its process lives

 private:
  std::unique_ptr<FileLock> lock_;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(const std::string& data_dir, Env* env, StoreOptions options)
      : Store(data_dir, env, std::move(options)), db_path_(data_dir + "/clee.sqlite") {}
  ~SqliteStore() override {
    db_.reset();
    if (token_lock_) {
      token_lock_.reset();
      (void)env_->remove(dir_ + "/run/" + token_ + ".lock");
    }
  }

  Status open() {
    if (options_.read_only) {
      auto info = env_->stat(dir_);
      if (!info && info.error().code == Code::kNotFound)
        return Error{Code::kNotFound, "no data folder at " + dir_ +
                                          " (nothing has been ingested there; --data or data_dir chooses the folder)"};
      if (!info) return Error{info.error().code, "data folder " + dir_ + ": " + info.error().message};
    } else {
      for (const char* sub : {"", "/objects", "/outbox", "/run"})
        if (Status st = env_->make_dirs(dir_ + sub); !st) return st.error();
      token_ = store_internal::random_hex(8);
      auto lock = env_->lock_file(dir_ + "/run/" + token_ + ".lock");
      if (!lock) return lock.error();
      token_lock_ = std::move(*lock);
    }
    if (Status st = open_database(); !st) return st;
    if (!options_.read_only) {
      remove_dead_tokens();
      if (Status st = clean_temp_files(); !st) spdlog::warn("{}", st.error().message);
    }
    return Status::Ok();
  }

  Result<std::unique_ptr<SourceHold>> hold_source(const std::string& name) override {
    if (options_.read_only) return Error{Code::kReadOnly, db_path_ + " is open read-only"};
    std::string path = dir_ + "/run/source-" + sha256_hex(name).substr(0, 16) + ".lock";
    auto lock = env_->lock_file(path);
    if (!lock && lock.error().code == Code::kBusy)
      return Error{Code::kBusy, name + " is held by another process (" + path + ")"};
    if (!lock) return lock.error();
    return std::unique_ptr<SourceHold>(std::make_unique<FileSourceHold>(std::move(*lock)));
  }

 protected:
  bool holder_gone(const std::string& owner) override {
    std::string token = store_internal::owner_token(owner);
    if (token.empty() || token == token_) return false;
    // Every Store that can claim keeps its lock file in the data folder's run/ until it closes; a
    // missing one was removed by a clean close or by a start-up that found it free.
    std::string path = dir_ + "/run/" + token + ".lock";
    if (!env_->exists(path)) return true;
    auto lock = env_->lock_file(path);
    if (!lock) return false;  // held: its Store is alive
    (void)env_->remove(path);
    return true;
  }

 private:
  Status open_database();
  Status migrate();
  // Liveness locks of Stores that are gone (a clean close removes its own).
  void remove_dead_tokens() {
    auto runs = env_->list_dir(dir_ + "/run");
    if (!runs) return;
    for (const auto& e : *runs) {
      const std::string& n = e.name;
      if (n.size() > 5 && n.compare(n.size() - 5, 5, ".lock") == 0 && n != token_ + ".lock" && n.rfind("source-", 0) != 0)
        if (auto lock = env_->lock_file(dir_ + "/run/" + n)) (void)env_->remove(dir_ + "/run/" + n);
    }
  }
  std::string db_path_;
  std::unique_ptr<FileLock> token_lock_;
};

Status SqliteStore::open_database() {
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
  auto connect = [&](const std::string& name, const char* what) -> Status {
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
    if (rc != SQLITE_OK) {
      Error e = sql::sqlite_error(raw, rc, what);
      sqlite3_close_v2(raw);
      return e;
    }
    sqlite3_busy_timeout(raw, 30000);
    db_ = sql::sqlite_db(raw);
    return Status::Ok();
  };
  if (Status st = connect(db_path_, "opening the queue"); !st) return st;
  if (options_.read_only && !Stmt(*db_, "SELECT count(*) FROM sqlite_master").step()) {
    // A read-only mount cannot hold the WAL index: read the file as immutable (nothing else can
    // write to it there either).
    db_.reset();
    if (Status st = connect("file:" + db_path_ + "?immutable=1", "opening the queue read-only"); !st) return st;
  }
  // Pragmas and migration wait for other processes like every write (the busy timeout does not
  // cover the journal-mode switch of a brand-new file, so those retry here).
  for (int attempt = 0;; ++attempt) {
    Status st = options_.read_only ? Status::Ok() : db_->exec("PRAGMA journal_mode=WAL");
    if (st) st = db_->exec("PRAGMA synchronous=FULL");
    if (st) st = db_->exec("PRAGMA foreign_keys=ON");
    if (st) st = migrate();
    if (st) return Status::Ok();
    if (st.code() != Code::kBusy || attempt >= 100) return st;
    env_->sleep_for(0.05 * std::min(attempt + 1, 10));
  }
}

Status SqliteStore::migrate() {
  int target = static_cast<int>(std::size(kMigrations));
  auto version_now = [&]() -> Result<int> {
    Stmt v(*db_, "PRAGMA user_version");
    if (!v.step()) return v.error_or(Error{Code::kStoreError, db_path_ + ": no schema version"});
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
    // Version 0 without tables is a file a writer made and has not migrated: nothing is queued.
    Stmt tables(*db_, "SELECT count(*) FROM sqlite_master");
    if (*before == 0 && tables.step() && tables.integer(0) == 0)
      return Error{Code::kNotFound, "no queue in " + dir_ + " yet (nothing has been ingested there)"};
    return Error{Code::kReadOnly, db_path_ + ": schema " + std::to_string(*before) + " needs upgrading to " +
                                      std::to_string(target) + "; open the data folder once read-write"};
  }
  sql::Transaction t(*db_);
  if (!t.begun()) return t.begun();
  auto version = version_now();  // another process may have migrated while we waited
  if (!version) return version.error();
  for (int i = *version; i < target; ++i)
    if (Status st = db_->exec(kMigrations[i]); !st) return st;
  if (*version != target)
    if (Status st = db_->exec("PRAGMA user_version=" + std::to_string(target)); !st) return st;
  return t.commit();
}

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& data_dir, Env* env, StoreOptions options) {
  auto s = std::make_unique<SqliteStore>(data_dir, env, std::move(options));
  if (Status st = s->open(); !st) return st.error();
  return std::unique_ptr<Store>(std::move(s));
}

}  // namespace clee
