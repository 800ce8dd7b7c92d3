// The store's one door to a database: a connection (`Db`) with prepared statements (`Stmt`,
// typed binds and columns) and transactions that roll back unless committed, over SQLite
// (sql_sqlite.cpp) or PostgreSQL through libpq (sql_pg.cpp). The store's SQL is written once, in
// the dialect both accept (`?` placeholders, ON CONFLICT upserts, RETURNING); what differs is
// asked of the Db: how a write transaction begins, and the clause that locks the rows a SELECT
// reads (PostgreSQL's FOR UPDATE [SKIP LOCKED]; SQLite needs none, its write transaction holds
// the whole database). Errors become Error{Code, "WHERE: message (while WHAT)"} with a Code that
// says what to do (kBusy and kNoSpace are transient, kReadOnly, kCorrupt, kStoreError).
//
// A Db, and every Stmt made on it, is used by one thread at a time.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

struct sqlite3;

namespace clee::sql {

// One statement's binds and rows, made by a Db. Parameters are numbered from 1, columns from 0.
class Cursor {
 public:
  virtual ~Cursor() = default;
  virtual void bind_text(int i, std::string_view v) = 0;
  virtual void bind_int(int i, int64_t v) = 0;
  virtual void bind_real(int i, double v) = 0;
  virtual void bind_null(int i) = 0;
  // The next row: true; the end or an error: false (the error is kept).
  virtual bool step() = 0;
  virtual std::string text(int col) const = 0;
  virtual int64_t integer(int col) const = 0;
  virtual double real(int col) const = 0;
  virtual bool is_null(int col) const = 0;
  virtual const std::optional<Error>& error() const = 0;
};

enum class Flavor { kSqlite, kPostgres };

class Db {
 public:
  virtual ~Db() = default;
  virtual Flavor flavor() const = 0;
  // A cursor for `sql` (placeholders `?`). Never null: a statement that cannot be prepared gives
  // a cursor whose error() is set and whose step() is false.
  virtual std::unique_ptr<Cursor> prepare(std::string_view sql) = 0;
  // Runs statements without parameters (migrations, pragmas).
  virtual Status exec(const std::string& sql) = 0;
  // A write transaction. SQLite: BEGIN IMMEDIATE (the write lock up front, waiting on the busy
  // timeout; a read lock never has to be upgraded, which in WAL mode fails at once). PostgreSQL:
  // BEGIN (READ COMMITTED); rows are locked as they are read FOR UPDATE.
  virtual Status begin() = 0;
  virtual Status commit() = 0;
  virtual void rollback() = 0;
  // Appended to a SELECT inside a write transaction that goes on to change what it read.
  virtual const char* for_update() const = 0;
  // As for_update, but rows another transaction holds are passed over instead of waited for.
  virtual const char* skip_locked() const = 0;
  // Names the database in messages ("/data/clee.sqlite", "postgresql://clee@db:5432/clee").
  virtual const std::string& where() const = 0;
};

class Stmt {
 public:
  Stmt(Db& db, std::string_view sql) : c_(db.prepare(sql)) {}
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return !c_->error(); }
  Stmt& bind(int i, std::string_view v) {
    c_->bind_text(i, v);
    return *this;
  }
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, int64_t v) {
    c_->bind_int(i, v);
    return *this;
  }
  Stmt& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
  Stmt& bind(int i, double v) {
    c_->bind_real(i, v);
    return *this;
  }
  Stmt& bind(int i, std::optional<double> v) { return v ? bind(i, *v) : bind_null(i); }
  Stmt& bind_null(int i) {
    c_->bind_null(i);
    return *this;
  }
  // A row → true; the end → false; errors are remembered in error().
  bool step() { return c_->step(); }
  std::string text(int col) const { return c_->text(col); }  // "" for NULL
  int64_t integer(int col) const { return c_->integer(col); }
  std::optional<double> real(int col) const {
    if (c_->is_null(col)) return std::nullopt;
    return c_->real(col);
  }
  bool is_null(int col) const { return c_->is_null(col); }
  const std::optional<Error>& error() const { return c_->error(); }
  // The error, or `fallback` when the statement simply gave no row.
  Error error_or(Error fallback) const { return error() ? *error() : std::move(fallback); }
  Status done();  // steps to the end; Ok or the error

 private:
  std::unique_ptr<Cursor> c_;
};

// Rolls back unless committed.
class Transaction {
 public:
  explicit Transaction(Db& db) : db_(db), begun_(db.begin()) {}
  ~Transaction() {
    if (begun_ && !done_) db_.rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  const Status& begun() const { return begun_; }
  Status commit() {
    done_ = true;
    return db_.commit();
  }

 private:
  Db& db_;
  Status begun_;
  bool done_ = false;
};

// ---- SQLite (sql_sqlite.cpp) ----
// Takes ownership of an open connection.
std::unique_ptr<Db> sqlite_db(sqlite3* db);
// The Error for SQLite result `rc` on `db`: its Code, "DBFILE: message (while WHAT)".
Error sqlite_error(sqlite3* db, int rc, std::string_view what);
Code sqlite_code(int rc);

// ---- PostgreSQL (sql_pg.cpp) ----
struct PgOptions {
  bool read_only = false;  // every transaction READ ONLY (default_transaction_read_only)
  // Server-side TCP keepalives for this session, so the server ends the session (and releases
  // its advisory locks) soon after the client's host vanished. 0 = the server's default.
  int keepalive_seconds = 0;
  // A connection that dropped is made again before the next statement outside a transaction;
  // this runs then (on the new session), to take session state such as advisory locks again.
  std::function<Status(Db&)> on_reconnect;
  // False: a dropped connection stays dropped (every statement fails with kIoError), for a
  // session whose locks are the point of it.
  bool reconnect = true;
};
// Connects to `url` (postgresql://user@host:port/db?...; libpq's environment and ~/.pgpass
// apply). Code::kIoError when the server cannot be reached (transient).
Result<std::unique_ptr<Db>> connect_postgres(const std::string& url, PgOptions options);
// "postgresql://user@host:port/db" without a password or query options, for messages.
std::string redact_url(const std::string& url);
// True for postgresql:// and postgres:// URLs.
bool is_postgres_url(std::string_view url);

}  // namespace clee::sql
