#include "queue/migrate.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include "base/hash.h"
#include "queue/sql.h"

namespace clee {
namespace {

using sql::Stmt;

enum class Kind { kText, kInt, kReal };
struct Column {
  const char* name;
  Kind kind;
};
struct Table {
  const char* name;
  std::vector<Column> columns;
  const char* identity = nullptr;  // a generated key column whose sequence must follow the copy
};

constexpr Kind T = Kind::kText, I = Kind::kInt, R = Kind::kReal;

// Every table of the queue, parents before children. A table added by a migration is added here.
const std::vector<Table>& tables() {
  static const std::vector<Table> kTables = {
      {"packets",
       {{"id", T}, {"packet_key", T}, {"status", T}, {"source", T}, {"source_kind", T}, {"received_at", T},
        {"updated_at", T}, {"report", T}, {"error", T}, {"provider", T}, {"title", T}, {"hours", R}, {"contact", T},
        {"contact_email", T}, {"contact_phone", T}, {"verdict", T}, {"disposition", T}, {"missing", T},
        {"clee_id", T}, {"approved_at", T}, {"expires_on", T}, {"token", T}, {"message_id", T}, {"lease_owner", T},
        {"lease_expires", R}, {"attempts", I}, {"next_attempt", R}}},
      {"files", {{"packet_id", T}, {"position", I}, {"label", T}, {"sha256", T}, {"bytes", I}, {"refused", T}}},
      {"documents", {{"packet_id", T}, {"position", I}, {"name", T}, {"sha256", T}, {"type", T}, {"pages", T}}},
      {"findings", {{"packet_id", T}, {"code", T}, {"severity", T}, {"message", T}, {"document", T}}},
      {"decisions",
       {{"id", I}, {"packet_id", T}, {"kind", T}, {"reviewer", T}, {"at", T}, {"reason", T}, {"clee_id", T}},
       "id"},
      {"audit", {{"seq", I}, {"packet_id", T}, {"at", T}, {"actor", T}, {"action", T}, {"detail", T}}, "seq"},
      {"clee_sequence", {{"year", I}, {"last", I}}},
      {"sources", {{"source_key", T}, {"packet_id", T}, {"at", T}}},
      {"source_attempts", {{"source_key", T}, {"attempts", I}, {"last_error", T}, {"at", T}}},
      {"outbox",
       {{"id", I}, {"packet_id", T}, {"decision", I}, {"kind", T}, {"message_id", T}, {"envelope_from", T},
        {"recipients", T}, {"to_address", T}, {"subject", T}, {"body", T}, {"mime", T}, {"status", T}, {"attempts", I},
        {"created_at", T}, {"next_attempt", R}, {"sent_at", T}, {"last_error", T}, {"server_reply", T},
        {"lease_owner", T}, {"lease_expires", R}},
       "id"},
  };
  return kTables;
}

std::string column_list(const Table& t) {
  std::string out;
  for (const auto& c : t.columns) out += (out.empty() ? "" : ", ") + std::string(c.name);
  return out;
}

// One row, encoded so that equal values give equal bytes on either database: NULL, integers and
// reals by value (reals round-trip exactly with 17 digits), text by length and bytes.
std::string encode_row(const Stmt& s, const Table& t) {
  std::string out;
  for (size_t i = 0; i < t.columns.size(); ++i) {
    int col = static_cast<int>(i);
    if (s.is_null(col)) {
      out += "N;";
      continue;
    }
    switch (t.columns[i].kind) {
      case Kind::kInt: out += "I" + std::to_string(s.integer(col)) + ";"; break;
      case Kind::kReal: {
        char buf[40];
        std::snprintf(buf, sizeof buf, "R%.17g;", *s.real(col));
        out += buf;
        break;
      }
      case Kind::kText: {
        std::string v = s.text(col);
        out += "T" + std::to_string(v.size()) + ":" + v + ";";
        break;
      }
    }
  }
  return out;
}

Result<TableDigest> digest_table(sql::Db& db, const Table& t) {
  Stmt s(db, "SELECT " + column_list(t) + " FROM " + t.name);
  std::vector<std::string> hashes;
  while (s.step()) hashes.push_back(sha256_hex(encode_row(s, t)));
  if (s.error()) return *s.error();
  std::sort(hashes.begin(), hashes.end());
  Sha256 all;
  for (const auto& h : hashes) all.update(h);
  return TableDigest{t.name, hashes.size(), all.hex()};
}

Result<std::vector<TableDigest>> digest_all(sql::Db& db) {
  std::vector<TableDigest> out;
  for (const auto& t : tables()) {
    auto d = digest_table(db, t);
    if (!d) return d.error();
    out.push_back(std::move(*d));
  }
  return out;
}

// A read snapshot of the whole queue for as long as it lives (SQLite: a read transaction;
// PostgreSQL: REPEATABLE READ).
class Snapshot {
 public:
  explicit Snapshot(sql::Db& db) : db_(db) {
    begun_ = db.exec(db.flavor() == sql::Flavor::kSqlite ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
  ~Snapshot() {
    if (begun_) (void)db_.exec("COMMIT");
  }
  const Status& begun() const { return begun_; }

 private:
  sql::Db& db_;
  Status begun_;
};

Status copy_table(sql::Db& from, sql::Db& to, const Table& t) {
  std::string marks;
  for (size_t i = 0; i < t.columns.size(); ++i) marks += i ? ",?" : "?";
  std::string insert = std::string("INSERT INTO ") + t.name + "(" + column_list(t) + ") VALUES(" + marks + ")";
  Stmt s(from, "SELECT " + column_list(t) + " FROM " + t.name);
  while (s.step()) {
    Stmt row(to, insert);
    for (size_t i = 0; i < t.columns.size(); ++i) {
      int col = static_cast<int>(i), param = col + 1;
      if (s.is_null(col)) row.bind_null(param);
      else if (t.columns[i].kind == Kind::kInt) row.bind(param, s.integer(col));
      else if (t.columns[i].kind == Kind::kReal) row.bind(param, *s.real(col));
      else row.bind(param, s.text(col));
    }
    if (Status st = row.done(); !st) return st;
  }
  if (s.error()) return *s.error();
  if (t.identity && to.flavor() == sql::Flavor::kPostgres) {
    // New rows continue after the copied ones.
    std::string seq = std::string("SELECT setval(pg_get_serial_sequence('") + t.name + "', '" + t.identity +
                      "'), COALESCE((SELECT MAX(" + t.identity + ") FROM " + t.name + "), 0) + 1, false)";
    if (Status st = Stmt(to, seq).done(); !st) return st;
  }
  return Status::Ok();
}

Result<uint64_t> count_packets(sql::Db& db) {
  Stmt n(db, "SELECT count(*) FROM packets");
  if (!n.step()) return n.error_or(Error{Code::kStoreError, db.where() + ": cannot count packets"});
  return static_cast<uint64_t>(n.integer(0));
}

// Distinct originals the packets name, and how many of them are not in objects/.
Status count_originals(Store& store, MigrationReport& r) {
  Stmt s(store.db(), "SELECT DISTINCT sha256 FROM files WHERE refused IS NULL AND sha256 <> ''");
  while (s.step()) {
    ++r.originals;
    if (!store.env()->exists(store.object_path(s.text(0)))) ++r.originals_missing;
  }
  if (s.error()) return *s.error();
  return Status::Ok();
}

}  // namespace

bool MigrationReport::verified() const {
  if (from.size() != to.size()) return false;
  for (size_t i = 0; i < from.size(); ++i)
    if (from[i].rows != to[i].rows || from[i].sha256 != to[i].sha256) return false;
  return true;
}

Result<std::vector<TableDigest>> digest_queue(Store& store) {
  Snapshot snap(store.db());
  if (!snap.begun()) return snap.begun().error();
  return digest_all(store.db());
}

Result<MigrationReport> migrate_queue(Store& from, Store& to) {
  MigrationReport r;
  Snapshot snap(from.db());
  if (!snap.begun()) return snap.begun().error();
  auto source = digest_all(from.db());
  if (!source) return source.error();
  r.from = *source;
  if (Status st = count_originals(from, r); !st) return st.error();
  auto there = count_packets(to.db());
  if (!there) return there.error();
  if (*there > 0) {
    auto dest = digest_queue(to);
    if (!dest) return dest.error();
    r.to = *dest;
    r.done_before = r.verified();
    if (r.done_before) return r;
    return Error{Code::kStoreError, to.where() + " already holds a queue (" + std::to_string(*there) +
                                        " packets) that is not this one; refusing to merge into it"};
  }
  sql::Transaction t(to.db());
  if (!t.begun()) return t.begun().error();
  for (const auto& table : tables()) {
    if (Status st = copy_table(from.db(), to.db(), table); !st)
      return Error{st.code(), std::string("copying ") + table.name + ": " + st.error().message};
    spdlog::info("migrate: {} copied", table.name);
  }
  // Verified before it is committed: a copy that does not read back equal is never kept.
  auto copied = digest_all(to.db());
  if (!copied) return copied.error();
  r.to = *copied;
  if (!r.verified()) return Error{Code::kStoreError, "the copy in " + to.where() + " does not match; nothing was kept"};
  if (Status st = t.commit(); !st) return st.error();
  return r;
}

}  // namespace clee
