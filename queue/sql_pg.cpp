// sql::Db over libpq: one PGconn (a session), statements prepared once per session and run with
// text-format parameters (never spliced into the SQL), results held by RAII.
#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>
#include <unordered_map>
#include <vector>

#include "queue/sql.h"

namespace clee::sql {
namespace {

struct ConnFree {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct ResultFree {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Conn = std::unique_ptr<PGconn, ConnFree>;
using PgResult = std::unique_ptr<PGresult, ResultFree>;

// What a SQLSTATE means for the caller: transient (wait, retry), read-only, corrupt or other.
Code code_for_state(std::string_view state) {
  if (state.empty()) return Code::kIoError;  // no result at all: the connection failed
  if (state == "40001" || state == "40P01" || state == "55P03" || state == "53300") return Code::kBusy;
  if (state == "53100") return Code::kNoSpace;
  if (state.substr(0, 2) == "53") return Code::kBusy;  // other insufficient resources
  if (state == "25006" || state == "42501") return Code::kReadOnly;
  if (state.substr(0, 2) == "08" || state == "57P01" || state == "57P02" || state == "57P03") return Code::kIoError;
  if (state == "XX001" || state == "XX002") return Code::kCorrupt;
  return Code::kStoreError;
}

std::string trimmed(const char* msg) {
  std::string s = msg ? msg : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s.empty() ? "no answer from the server" : s;
}

// `?` placeholders (outside quotes) become $1, $2, ... .
std::string numbered(std::string_view sql) {
  std::string out;
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '?') {
      out += "$" + std::to_string(++n);
      continue;
    }
    out.push_back(c);
  }
  return out;
}

// PostgreSQL text holds valid UTF-8 without NUL. Names and text from documents are kept as given
// wherever they are valid; a byte that is not is stored as U+FFFD (the original's bytes are in
// objects/, untouched).
std::string valid_text(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  size_t i = 0;
  while (i < v.size()) {
    unsigned char c = static_cast<unsigned char>(v[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = len > 0 && c != 0 && i + len <= v.size();
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(v[i + k]) >> 6) == 2;
    if (ok && len > 1) {
      // Overlong forms, surrogates and code points past U+10FFFF are invalid too.
      uint32_t cp = c & (0x7f >> len);
      for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(v[i + k]) & 0x3f);
      static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
      ok = cp >= kMin[len] && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
    }
    if (ok) {
      out.append(v.substr(i, len));
      i += len;
    } else {
      out += "\xef\xbf\xbd";
      ++i;
    }
  }
  return out;
}

class PgDb;

class PgCursor final : public Cursor {
 public:
  PgCursor(PgDb& db, std::string_view sql, std::optional<Error> error)
      : db_(db), sql_(sql), error_(std::move(error)) {}
  void bind_text(int i, std::string_view v) override { slot(i) = valid_text(v); }
  void bind_int(int i, int64_t v) override { slot(i) = std::to_string(v); }
  void bind_real(int i, double v) override {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    slot(i) = buf;
  }
  void bind_null(int i) override { slot(i).reset(); }
  bool step() override;
  std::string text(int col) const override {
    return std::string(PQgetvalue(res_.get(), row_, col), static_cast<size_t>(PQgetlength(res_.get(), row_, col)));
  }
  int64_t integer(int col) const override { return std::strtoll(PQgetvalue(res_.get(), row_, col), nullptr, 10); }
  double real(int col) const override { return std::strtod(PQgetvalue(res_.get(), row_, col), nullptr); }
  bool is_null(int col) const override { return PQgetisnull(res_.get(), row_, col) == 1; }
  const std::optional<Error>& error() const override { return error_; }

 private:
  std::optional<std::string>& slot(int i) {
    if (static_cast<size_t>(i) > params_.size()) params_.resize(static_cast<size_t>(i));
    return params_[static_cast<size_t>(i) - 1];
  }

  PgDb& db_;
  std::string sql_;
  std::vector<std::optional<std::string>> params_;
  PgResult res_;
  bool ran_ = false;
  int row_ = -1;
  std::optional<Error> error_;
};

class PgDb final : public Db {
 public:
  PgDb(std::string url, PgOptions options) : url_(std::move(url)), where_(redact_url(url_)), options_(std::move(options)) {}

  Status connect() {
    // Defaults first, so the URL's own settings override them; the encoding last, so it holds.
    const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", "client_encoding", nullptr};
    const char* values[] = {"10", "clee-intake", url_.c_str(), "UTF8", nullptr};
    conn_.reset(PQconnectdbParams(keys, values, 1));
    if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK)
      return Error{Code::kIoError, where_ + ": cannot connect: " + trimmed(conn_ ? PQerrorMessage(conn_.get()) : "out of memory")};
    return set_up_session();
  }

  Flavor flavor() const override { return Flavor::kPostgres; }

  std::unique_ptr<Cursor> prepare(std::string_view sql) override {
    if (Status st = usable(); !st) return std::make_unique<PgCursor>(*this, sql, st.error());
    return std::make_unique<PgCursor>(*this, sql, std::nullopt);
  }

  Status exec(const std::string& sql) override {
    if (Status st = usable(); !st) return st;
    PgResult r(PQexec(conn_.get(), sql.c_str()));
    return check(r.get(), sql.substr(0, 60));
  }
  Status begin() override {
    if (Status st = exec("BEGIN"); !st) return st;
    in_transaction_ = true;
    return Status::Ok();
  }
  Status commit() override {
    Status st = exec("COMMIT");
    in_transaction_ = false;
    return st;
  }
  void rollback() override {
    if (PQstatus(conn_.get()) == CONNECTION_OK) PgResult(PQexec(conn_.get(), "ROLLBACK"));
    in_transaction_ = false;
  }
  const char* for_update() const override { return " FOR UPDATE"; }
  const char* skip_locked() const override { return " FOR UPDATE SKIP LOCKED"; }
  const std::string& where() const override { return where_; }

  // Runs `sql` (numbered placeholders) prepared once per session.
  PgResult run(const std::string& sql, const std::vector<std::optional<std::string>>& params) {
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) {
      std::string name = "s" + std::to_string(prepared_.size());
      PgResult p(PQprepare(conn_.get(), name.c_str(), numbered(sql).c_str(), 0, nullptr));
      if (!p || PQresultStatus(p.get()) != PGRES_COMMAND_OK) return p;
      it = prepared_.emplace(sql, name).first;
    }
    std::vector<const char*> values;
    for (const auto& v : params) values.push_back(v ? v->c_str() : nullptr);
    return PgResult(PQexecPrepared(conn_.get(), it->second.c_str(), static_cast<int>(values.size()), values.data(),
                                   nullptr, nullptr, 0));
  }

  // Ok, or the Error for a failed result, in the store's vocabulary.
  Status check(PGresult* r, std::string_view what) const {
    ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) return Status::Ok();
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    std::string msg = trimmed(r ? PQresultErrorMessage(r) : PQerrorMessage(conn_.get()));
    if (msg.rfind("ERROR:  ", 0) == 0) msg = msg.substr(8);
    return Error{code_for_state(state ? state : ""), where_ + ": " + msg + " (while " + std::string(what) + ")"};
  }

 private:
  Status set_up_session() {
    std::string setup = "SET lock_timeout = '30s'; SET idle_in_transaction_session_timeout = '120s';";
    if (options_.read_only) setup += "SET default_transaction_read_only = on;";
    if (options_.keepalive_seconds > 0) {
      int k = options_.keepalive_seconds;
      setup += "SET tcp_keepalives_idle = " + std::to_string(k) + "; SET tcp_keepalives_interval = " +
               std::to_string(std::max(1, k / 3)) + "; SET tcp_keepalives_count = 3;";
    }
    PgResult r(PQexec(conn_.get(), setup.c_str()));
    return check(r.get(), "setting up the session");
  }

  // A dropped connection is made again between transactions (never inside one: what it did is
  // gone, and the caller must hear so).
  Status usable() {
    if (PQstatus(conn_.get()) == CONNECTION_OK) return Status::Ok();
    if (in_transaction_ || reconnecting_ || !options_.reconnect)
      return Error{Code::kIoError, where_ + ": the connection was lost: " + trimmed(PQerrorMessage(conn_.get()))};
    reconnecting_ = true;
    PQreset(conn_.get());
    prepared_.clear();
    Status st = PQstatus(conn_.get()) == CONNECTION_OK
                    ? set_up_session()
                    : Error{Code::kIoError, where_ + ": cannot connect again: " + trimmed(PQerrorMessage(conn_.get()))};
    reconnecting_ = false;
    if (st && options_.on_reconnect) st = options_.on_reconnect(*this);
    return st;
  }

  std::string url_, where_;
  PgOptions options_;
  Conn conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL → prepared statement name
  bool in_transaction_ = false;
  bool reconnecting_ = false;
};

bool PgCursor::step() {
  if (error_) return false;
  if (!ran_) {
    ran_ = true;
    res_ = db_.run(sql_, params_);
    if (Status st = db_.check(res_.get(), "running " + sql_.substr(0, 60)); !st) {
      error_ = st.error();
      return false;
    }
  }
  if (PQresultStatus(res_.get()) != PGRES_TUPLES_OK) return false;
  return ++row_ < PQntuples(res_.get());
}

}  // namespace

bool is_postgres_url(std::string_view url) { return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0; }

std::string redact_url(const std::string& url) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return "postgresql://…";
  std::string rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find('?'));
  size_t at = rest.rfind('@');
  if (at != std::string::npos) {
    std::string user = rest.substr(0, at);
    rest = user.substr(0, user.find(':')) + rest.substr(at);
  }
  return url.substr(0, scheme + 3) + rest;
}

Result<std::unique_ptr<Db>> connect_postgres(const std::string& url, PgOptions options) {
  auto db = std::make_unique<PgDb>(url, std::move(options));
  if (Status st = db->connect(); !st) return st.error();
  return std::unique_ptr<Db>(std::move(db));
}

}  // namespace clee::sql
