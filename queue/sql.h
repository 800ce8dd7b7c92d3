// Thin RAII over SQLite's C API: statements with typed binds and columns, and an IMMEDIATE
// transaction that rolls back unless committed. Errors become Error{Code::kStoreError, ...}.
#pragma once

#include <sqlite3.h>

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace clee::sql {

class Stmt {
 public:
  Stmt(sqlite3* db, std::string_view sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return s_ != nullptr; }
  Stmt& bind(int i, std::string_view v);
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, int64_t v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
  Stmt& bind(int i, double v);
  Stmt& bind(int i, std::optional<double> v);
  Stmt& bind_null(int i);
  // SQLITE_ROW → true; SQLITE_DONE → false; errors are remembered in error().
  bool step();
  std::string text(int col) const;
  int64_t integer(int col) const;
  std::optional<double> real(int col) const;
  bool is_null(int col) const;
  const std::optional<Error>& error() const { return error_; }
  Status done();  // steps to the end; Ok or the error

 private:
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
  std::optional<Error> error_;
};

Status exec(sqlite3* db, const std::string& sql);
// The Error for SQLite result `rc` on `db`: its Code, "DBFILE: message (while WHAT)".
Error error_for(sqlite3* db, int rc, std::string_view what);
Code code_for(int rc);

// BEGIN IMMEDIATE: the write lock is taken up front, so the transaction never has to upgrade a
// read lock (which in WAL mode fails at once with SQLITE_BUSY instead of waiting). Waiting is the
// connection's busy timeout; beyond it, begun() is Code::kBusy.
class Transaction {
 public:
  explicit Transaction(sqlite3* db);
  ~Transaction();
  const Status& begun() const { return begun_; }
  Status commit();

 private:
  sqlite3* db_;
  Status begun_;
  bool done_ = false;
};

}  // namespace clee::sql
