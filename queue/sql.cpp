#include "queue/sql.h"

namespace clee::sql {

Code code_for(int rc) {
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

Error error_for(sqlite3* db, int rc, std::string_view what) {
  const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
  std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if ((rc & 0xff) == SQLITE_FULL) msg = "the disk is full (" + msg + ")";
  return Error{code_for(rc), std::string(file && *file ? file : "database") + ": " + msg + " (while " + std::string(what) + ")"};
}

Stmt::Stmt(sqlite3* db, std::string_view sql) : db_(db) {
  int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &s_, nullptr);
  if (rc != SQLITE_OK) {
    error_ = error_for(db, rc, "preparing " + std::string(sql.substr(0, 60)));
    s_ = nullptr;
  }
}
Stmt::~Stmt() {
  if (s_) sqlite3_finalize(s_);
}
Stmt& Stmt::bind(int i, std::string_view v) {
  if (s_) sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::bind(int i, int64_t v) {
  if (s_) sqlite3_bind_int64(s_, i, v);
  return *this;
}
Stmt& Stmt::bind(int i, double v) {
  if (s_) sqlite3_bind_double(s_, i, v);
  return *this;
}
Stmt& Stmt::bind(int i, std::optional<double> v) { return v ? bind(i, *v) : bind_null(i); }
Stmt& Stmt::bind_null(int i) {
  if (s_) sqlite3_bind_null(s_, i);
  return *this;
}
bool Stmt::step() {
  if (!s_ || error_) return false;
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) error_ = error_for(db_, rc, std::string("running ") + std::string(sqlite3_sql(s_)).substr(0, 60));
  return false;
}
std::string Stmt::text(int col) const {
  const unsigned char* t = sqlite3_column_text(s_, col);
  return t ? std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(s_, col))) : "";
}
int64_t Stmt::integer(int col) const { return sqlite3_column_int64(s_, col); }
std::optional<double> Stmt::real(int col) const {
  if (is_null(col)) return std::nullopt;
  return sqlite3_column_double(s_, col);
}
bool Stmt::is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
Status Stmt::done() {
  while (step()) {
  }
  if (error_) return *error_;
  return Status::Ok();
}

Status exec(sqlite3* db, const std::string& sql) {
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return error_for(db, rc, sql.substr(0, 60));
  return Status::Ok();
}

Transaction::Transaction(sqlite3* db) : db_(db) { begun_ = exec(db, "BEGIN IMMEDIATE"); }
Transaction::~Transaction() {
  if (begun_ && !done_) (void)exec(db_, "ROLLBACK");
}
Status Transaction::commit() {
  done_ = true;
  return exec(db_, "COMMIT");
}

}  // namespace clee::sql
