// sql::Db over SQLite's C API: one sqlite3 connection, prepared statements finalized by RAII.
#include <sqlite3.h>

#include "queue/sql.h"

namespace clee::sql {

Code sqlite_code(int rc) {
  switch (rc & 0xff) {
    case SQLITE_FULL: return Code::kNoSpace;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH: return Code::kReadOnly;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return Code::kBusy;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return Code::kCorrupt;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN: return Code::kIoError;
    default: return Code::kStoreError;
  }
}

Error sqlite_error(sqlite3* db, int rc, std::string_view what) {
  const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
  std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if ((rc & 0xff) == SQLITE_FULL) msg = "the disk is full (" + msg + ")";
  return Error{sqlite_code(rc),
               std::string(file && *file ? file : "database") + ": " + msg + " (while " + std::string(what) + ")"};
}

namespace {

class SqliteCursor final : public Cursor {
 public:
  SqliteCursor(sqlite3* db, std::string_view sql) : db_(db) {
    int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &s_, nullptr);
    if (rc != SQLITE_OK) {
      error_ = sqlite_error(db, rc, "preparing " + std::string(sql.substr(0, 60)));
      s_ = nullptr;
    }
  }
  ~SqliteCursor() override {
    if (s_) sqlite3_finalize(s_);
  }
  void bind_text(int i, std::string_view v) override {
    if (s_) sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void bind_int(int i, int64_t v) override {
    if (s_) sqlite3_bind_int64(s_, i, v);
  }
  void bind_real(int i, double v) override {
    if (s_) sqlite3_bind_double(s_, i, v);
  }
  void bind_null(int i) override {
    if (s_) sqlite3_bind_null(s_, i);
  }
  bool step() override {
    if (!s_ || error_) return false;
    int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE)
      error_ = sqlite_error(db_, rc, std::string("running ") + std::string(sqlite3_sql(s_)).substr(0, 60));
    return false;
  }
  std::string text(int col) const override {
    const unsigned char* t = sqlite3_column_text(s_, col);
    return t ? std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(s_, col))) : "";
  }
  int64_t integer(int col) const override { return sqlite3_column_int64(s_, col); }
  double real(int col) const override { return sqlite3_column_double(s_, col); }
  bool is_null(int col) const override { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  const std::optional<Error>& error() const override { return error_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
  std::optional<Error> error_;
};

class SqliteDb final : public Db {
 public:
  explicit SqliteDb(sqlite3* db) : db_(db) {
    const char* file = sqlite3_db_filename(db, "main");
    where_ = file && *file ? file : "database";
  }
  ~SqliteDb() override { sqlite3_close_v2(db_); }
  Flavor flavor() const override { return Flavor::kSqlite; }
  std::unique_ptr<Cursor> prepare(std::string_view sql) override { return std::make_unique<SqliteCursor>(db_, sql); }
  Status exec(const std::string& sql) override {
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return sqlite_error(db_, rc, sql.substr(0, 60));
    return Status::Ok();
  }
  Status begin() override { return exec("BEGIN IMMEDIATE"); }
  Status commit() override { return exec("COMMIT"); }
  void rollback() override { (void)exec("ROLLBACK"); }
  // The write transaction (BEGIN IMMEDIATE) already excludes every other writer.
  const char* for_update() const override { return ""; }
  const char* skip_locked() const override { return ""; }
  const std::string& where() const override { return where_; }

 private:
  sqlite3* db_;
  std::string where_;
};

}  // namespace

std::unique_ptr<Db> sqlite_db(sqlite3* db) { return std::make_unique<SqliteDb>(db); }

}  // namespace clee::sql
