// The store's core, shared by both backends: choosing the backend, the content-addressed
// originals, packet records and reads. Checking under leases is in store_check.cpp, reviewer
// decisions and the catalog in store_decide.cpp; opening and migrating each database in
// sqlite_store.cpp and pg_store.cpp.
#include "queue/store.h"

#include <openssl/rand.h>
#include <spdlog/spdlog.h>

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

std::string owner_token(const std::string& owner) {
  size_t dot = owner.find('.');
  if (dot == std::string::npos || dot == 0) return "";
  std::string token = owner.substr(0, dot);
  if (token.find_first_not_of("0123456789abcdef") != std::string::npos) return "";
  return token;
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
  if (options.url.empty()) return open_sqlite_store(data_dir, env, std::move(options));
  if (sql::is_postgres_url(options.url)) return open_pg_store(data_dir, env, std::move(options));
  return Error{Code::kUsage, "store " + sql::redact_url(options.url) +
                                 ": not a PostgreSQL URL (postgresql://user@host:port/db; without `store` the "
                                 "SQLite queue in the data folder is used)"};
}

Store::Store(const std::string& data_dir, Env* env, StoreOptions options)
    : env_(env), options_(std::move(options)), dir_(data_dir) {}

Store::~Store() = default;

const std::string& Store::where() const { return db_->where(); }

Result<Store*> Store::companion() {
  if (!companion_) {
    auto s = Store::open(dir_, env_, options_);
    if (!s) return s.error();
    companion_ = std::move(*s);
  }
  return companion_.get();
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
  return Stmt(*db_, "INSERT INTO audit(packet_id, at, actor, action, detail) VALUES(?,?,?,?,?)")
      .bind(1, id).bind(2, now()).bind(3, actor).bind(4, action).bind(5, detail).done();
}

namespace {

const char* kUpsertSource =
    "INSERT INTO sources VALUES(?,?,?) ON CONFLICT(source_key) DO UPDATE SET packet_id=excluded.packet_id, "
    "at=excluded.at";

}  // namespace

Result<Store::Received> Store::receive(const Packet& packet, const std::string& source_kind, const std::string& actor,
                                       const std::string& source_key) {
  // Every original must already be in objects/ (step 1) before the row exists (step 2).
  for (const auto& f : packet.files)
    if (!f.refused && (!is_sha(f.sha256) || !env_->exists(object_path(f.sha256))))
      return Error{Code::kStoreError, "original " + f.label + " was not stored first"};
  std::string key = packet_key(packet);
  sql::Transaction t(*db_);
  if (!t.begun()) return t.begun().error();
  auto existing = [&]() -> Result<std::optional<std::string>> {
    Stmt find(*db_, "SELECT id FROM packets WHERE packet_key=?");
    find.bind(1, key);
    if (find.step()) return std::optional<std::string>(find.text(0));
    if (find.error()) return *find.error();
    return std::optional<std::string>();
  };
  auto found = existing();
  if (!found) return found.error();
  std::string id = "P-" + key.substr(0, 10);
  if (!*found) {
    // Of two processes recording the same files at once, one inserts; the other's insert does
    // nothing (PostgreSQL waits for the first to commit) and it finds the first one's packet.
    // No conflict target: the row conflicts on its id (the primary key) as well as on
    // packet_key, and PostgreSQL raises on a unique index that is not an arbiter.
    std::string at = packet.received_at.empty() ? now() : packet.received_at;
    Stmt insert(*db_, "INSERT INTO packets(id, packet_key, status, source, source_kind, received_at, updated_at) "
                      "VALUES(?,?,?,?,?,?,?) ON CONFLICT DO NOTHING RETURNING id");
    insert.bind(1, id).bind(2, key).bind(3, status_name(PacketStatus::kReceived)).bind(4, packet.source)
        .bind(5, source_kind).bind(6, at).bind(7, now());
    bool inserted = insert.step();
    if (Status st = insert.done(); !st) return st.error();
    if (!inserted) {
      if (!(found = existing())) return found.error();
      if (!*found) {
        Stmt same_id(*db_, "SELECT packet_key FROM packets WHERE id=?");
        same_id.bind(1, id);
        if (same_id.step())
          return Error{Code::kStoreError, where() + ": packet id " + id + " is taken by other files (" + same_id.text(0) + ")"};
        return Error{Code::kBusy, where() + ": packet " + id + " is being recorded by another process"};
      }
    }
  }
  if (*found) {
    const std::string& dup = **found;
    if (Status st = append_audit(dup, actor, "duplicate_packet", "the same files arrived again from " + packet.source); !st)
      return st.error();
    if (!source_key.empty())
      if (Status st = Stmt(*db_, "INSERT INTO sources VALUES(?,?,?) ON CONFLICT(source_key) DO NOTHING")
                          .bind(1, source_key).bind(2, dup).bind(3, now()).done();
          !st)
        return st.error();
    if (Status st = t.commit(); !st) return st.error();
    return Received{dup, true};
  }
  for (size_t i = 0; i < packet.files.size(); ++i) {
    const auto& f = packet.files[i];
    Stmt row(*db_, "INSERT INTO files(packet_id, position, label, sha256, bytes, refused) VALUES(?,?,?,?,?,?)");
    row.bind(1, id).bind(2, static_cast<int64_t>(i)).bind(3, f.label).bind(4, f.refused ? "" : f.sha256)
        .bind(5, static_cast<int64_t>(f.size));
    if (f.refused) row.bind(6, f.refused->message);
    else row.bind_null(6);
    if (Status st = row.done(); !st) return st.error();
  }
  if (!source_key.empty()) {
    if (Status st = Stmt(*db_, kUpsertSource).bind(1, source_key).bind(2, id).bind(3, now()).done(); !st) return st.error();
    if (Status st = Stmt(*db_, "DELETE FROM source_attempts WHERE source_key=?").bind(1, source_key).done(); !st)
      return st.error();
  }
  if (Status st = append_audit(id, actor, "received",
                               source_kind + ": " + packet.source + " (" + std::to_string(packet.files.size()) + " files)");
      !st)
    return st.error();
  if (Status st = t.commit(); !st) return st.error();
  return Received{id, false};
}

std::optional<std::string> Store::packet_for_source(const std::string& key) {
  Stmt s(*db_, "SELECT packet_id FROM sources WHERE source_key=?");
  s.bind(1, key);
  if (s.step()) return s.text(0);
  return std::nullopt;
}

Status Store::remember_source(const std::string& key, const std::string& id) {
  return Stmt(*db_, kUpsertSource).bind(1, key).bind(2, id).bind(3, now()).done();
}

Result<int> Store::note_source_attempt(const std::string& key, const Error& error) {
  Stmt n(*db_, "INSERT INTO source_attempts VALUES(?, 1, ?, ?) ON CONFLICT(source_key) DO UPDATE SET "
               "attempts = source_attempts.attempts + 1, last_error = excluded.last_error, at = excluded.at "
               "RETURNING attempts");
  n.bind(1, key).bind(2, std::string(code_name(error.code)) + ": " + error.message).bind(3, now());
  if (!n.step()) return n.error_or(Error{Code::kStoreError, where() + ": counting attempts gave nothing"});
  int attempts = static_cast<int>(n.integer(0));
  if (Status st = n.done(); !st) return st.error();  // SQLite commits the statement at its end
  return attempts;
}

Status Store::forget_source_attempts(const std::string& key) {
  return Stmt(*db_, "DELETE FROM source_attempts WHERE source_key=?").bind(1, key).done();
}

std::optional<std::string> Store::packet_for_token(const std::string& token) {
  Stmt s(*db_, "SELECT id FROM packets WHERE token=?");
  s.bind(1, token);
  if (s.step()) return s.text(0);
  return std::nullopt;
}

std::optional<std::string> Store::packet_for_message_id(const std::string& mid) {
  Stmt s(*db_, "SELECT id FROM packets WHERE message_id=?");
  s.bind(1, mid);
  if (s.step()) return s.text(0);
  return std::nullopt;
}

Status Store::set_message_id(const std::string& id, const std::string& mid) {
  return Stmt(*db_, "UPDATE packets SET message_id=? WHERE id=?").bind(1, mid).bind(2, id).done();
}

Status Store::set_status(const std::string& id, PacketStatus to, const std::string& actor, const std::string& action,
                         const std::string& detail) {
  // The row stays locked to the end of the transaction: of two processes changing one packet's
  // state, the second reads the state the first left.
  Stmt cur(*db_, std::string("SELECT status FROM packets WHERE id=?") + db_->for_update());
  cur.bind(1, id);
  if (!cur.step()) return cur.error_or(Error{Code::kNotFound, "no packet " + id});
  std::string from = cur.text(0);
  auto from_status = status_from_name(from);
  if (!from_status || !transition_allowed(*from_status, to))
    return Error{Code::kInvalidTransition, "packet " + id + " is " + from + "; it cannot become " + status_name(to)};
  Status st = Stmt(*db_, "UPDATE packets SET status=?, updated_at=? WHERE id=?")
                  .bind(1, status_name(to)).bind(2, now()).bind(3, id).done();
  if (!st) return st;
  return append_audit(id, actor, action, detail.empty() ? from + " → " + status_name(to) : detail);
}

// ---- reads ----

Result<std::string> Store::resolve(const std::string& prefix) {
  if (prefix.empty()) return Error{Code::kNotFound, "no packet id given"};
  // Case does not matter in a prefix (SQLite's LIKE ignores ASCII case; PostgreSQL's does not).
  Stmt s(*db_, "SELECT id FROM packets WHERE id=? OR lower(id) LIKE lower(?) ESCAPE '\\' OR clee_id=? LIMIT 3");
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
  Stmt s(*db_, std::string("SELECT ") + kRecordColumns + " FROM packets WHERE id=?");
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
  Stmt s(*db_, q);
  if (only) s.bind(1, status_name(*only));
  std::vector<PacketRecord> out;
  while (s.step()) out.push_back(read_record(s));
  if (s.error()) return *s.error();
  return out;
}

Result<std::vector<StoredFile>> Store::files(const std::string& id) {
  Stmt s(*db_, "SELECT label, sha256, bytes, COALESCE(refused, '') FROM files WHERE packet_id=? ORDER BY position");
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
  Stmt s(*db_, "SELECT position, pages FROM documents WHERE packet_id=? ORDER BY position");
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
  Stmt s(*db_, "SELECT name, sha256, type, pages FROM documents WHERE packet_id=? ORDER BY position");
  s.bind(1, id);
  nlohmann::json out = nlohmann::json::array();
  while (s.step())
    out.push_back({{"name", s.text(0)}, {"sha256", s.text(1)}, {"type", s.text(2)},
                   {"pages", nlohmann::json::parse(s.text(3), nullptr, false)}});
  if (s.error()) return *s.error();
  return out;
}

Result<std::vector<AuditEvent>> Store::audit(const std::string& id) {
  Stmt s(*db_, id.empty() ? "SELECT seq, packet_id, at, actor, action, detail FROM audit ORDER BY seq"
                         : "SELECT seq, packet_id, at, actor, action, detail FROM audit WHERE packet_id=? ORDER BY seq");
  if (!id.empty()) s.bind(1, id);
  std::vector<AuditEvent> out;
  while (s.step()) out.push_back({s.integer(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5)});
  if (s.error()) return *s.error();
  return out;
}

}  // namespace clee
