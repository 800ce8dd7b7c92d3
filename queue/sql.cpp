#include "queue/sql.h"

namespace clee::sql {

Stmt::Stmt(sqlite3* db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &s_, nullptr) != SQLITE_OK) {
    error_ = Error{Code::kStoreError, std::string(sqlite3_errmsg(db)) + " in: " + std::string(sql.substr(0, 80))};
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
  if (rc != SQLITE_DONE) error_ = Error{Code::kStoreError, sqlite3_errmsg(db_)};
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
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "sqlite error";
    sqlite3_free(err);
    return Error{Code::kStoreError, m};
  }
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
