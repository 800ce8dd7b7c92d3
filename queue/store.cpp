#include "queue/store.h"

#include <openssl/rand.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <map>
#include <ostream>
#include <set>

#include "extractors/util.h"
#include "pipeline/report_json.h"
#include "queue/sql.h"

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
};

const std::map<PacketStatus, std::set<PacketStatus>> kTransitions = {
    {PacketStatus::kReceived, {PacketStatus::kProcessing, PacketStatus::kFailed}},
    {PacketStatus::kProcessing, {PacketStatus::kReady, PacketStatus::kNeedsInformation, PacketStatus::kFailed, PacketStatus::kReceived}},
    {PacketStatus::kReady, {PacketStatus::kApproved, PacketStatus::kRejected, PacketStatus::kInfoRequested, PacketStatus::kProcessing}},
    {PacketStatus::kNeedsInformation, {PacketStatus::kApproved, PacketStatus::kRejected, PacketStatus::kInfoRequested, PacketStatus::kProcessing}},
    {PacketStatus::kFailed, {PacketStatus::kReceived, PacketStatus::kProcessing, PacketStatus::kRejected}},
    {PacketStatus::kInfoRequested, {PacketStatus::kProcessing, PacketStatus::kRejected}},
    {PacketStatus::kApproved, {}},
    {PacketStatus::kRejected, {}},
};

std::string packet_key(const Packet& p) {
  std::vector<std::string> shas;
  for (const auto& f : p.files) shas.push_back(f.sha256);
  std::sort(shas.begin(), shas.end());
  std::string all;
  for (const auto& s : shas) all += s;
  return sha256_hex(all);
}

std::string random_token() {
  unsigned char b[6];
  RAND_bytes(b, sizeof b);
  static const char* kAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string t;
  for (unsigned char c : b) {
    t.push_back(kAlphabet[c % 32]);
    t.push_back(kAlphabet[(c >> 3) % 32]);
  }
  return t.substr(0, 10);
}

std::string format_clee_id(const std::string& fmt, int year, int64_t seq) {
  std::string out = fmt;
  auto replace = [&](const std::string& key, const std::string& value) {
    size_t p = out.find(key);
    if (p != std::string::npos) out.replace(p, key.size(), value);
  };
  replace("{year}", std::to_string(year));
  size_t p = out.find("{seq");
  if (p != std::string::npos) {
    size_t end = out.find('}', p);
    int width = 0;
    if (out[p + 4] == ':') width = std::atoi(out.substr(p + 5, end - p - 5).c_str());
    std::string s = std::to_string(seq);
    if (static_cast<int>(s.size()) < width) s = std::string(static_cast<size_t>(width) - s.size(), '0') + s;
    out.replace(p, end - p + 1, s);
  }
  return out;
}

std::string this_host() {
  char host[256] = "";
  if (gethostname(host, sizeof host - 1) != 0) return "localhost";
  return host;
}

// A worker "host:pid" is gone when it ran on this host and its process no longer exists. Work
// held by another host is never taken over (we cannot tell whether it is alive).
bool worker_gone(const std::string& worker) {
  if (worker.empty()) return true;
  size_t colon = worker.rfind(':');
  if (colon == std::string::npos || worker.substr(0, colon) != this_host()) return false;
  long pid = std::atol(worker.c_str() + colon + 1);
  if (pid <= 0) return true;
  return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

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
  return r;
}

const char* kRecordColumns =
    "id, status, source, source_kind, received_at, updated_at, provider, title, hours, contact, contact_email, "
    "verdict, disposition, error, clee_id, approved_at, expires_on, token, missing, report";

}  // namespace

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
  static const std::vector<PacketStatus> kAll = {PacketStatus::kReady,    PacketStatus::kNeedsInformation,
                                                 PacketStatus::kFailed,   PacketStatus::kReceived,
                                                 PacketStatus::kProcessing, PacketStatus::kInfoRequested,
                                                 PacketStatus::kApproved, PacketStatus::kRejected};
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

Result<std::unique_ptr<Store>> Store::open(const std::string& data_dir, Env* env) {
  std::unique_ptr<Store> s(new Store());
  s->dir_ = data_dir;
  s->env_ = env;
  s->worker_ = this_host() + ":" + std::to_string(::getpid());
  for (const char* sub : {"", "/objects", "/outbox"})
    if (Status st = env->make_dirs(data_dir + sub); !st) return st.error();
  std::string path = data_dir + "/clee.sqlite";
  if (sqlite3_open_v2(path.c_str(), &s->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK)
    return Error{Code::kStoreError, "cannot open " + path + ": " + (s->db_ ? sqlite3_errmsg(s->db_) : "")};
  sqlite3_busy_timeout(s->db_, 30000);
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"})
    if (Status st = sql::exec(s->db_, pragma); !st) return st.error();
  if (Status st = s->migrate(); !st) return st.error();
  return s;
}

Store::~Store() {
  if (db_) sqlite3_close_v2(db_);
}

Status Store::migrate() {
  sql::Transaction t(db_);
  if (!t.begun()) return t.begun();
  Stmt v(db_, "PRAGMA user_version");
  int version = v.step() ? static_cast<int>(v.integer(0)) : 0;
  int target = static_cast<int>(std::size(kMigrations));
  if (version > target) return Error{Code::kStoreError, "data folder is from a newer clee-intake (schema " + std::to_string(version) + ")"};
  for (int i = version; i < target; ++i)
    if (Status st = sql::exec(db_, kMigrations[i]); !st) return st;
  if (version != target)
    if (Status st = sql::exec(db_, "PRAGMA user_version=" + std::to_string(target)); !st) return st;
  return t.commit();
}

std::string Store::now() const {
  if (!fixed_now_.empty()) return fixed_now_;
  return env_->now_utc();
}

Result<std::string> Store::put_object(std::string_view bytes) {
  std::string sha = sha256_hex(bytes);
  std::string dir = dir_ + "/objects/" + sha.substr(0, 2);
  std::string path = dir + "/" + sha.substr(2);
  if (env_->exists(path)) return sha;  // content-addressed: same bytes, same file
  if (Status st = env_->make_dirs(dir); !st) return st.error();
  if (Status st = env_->write_durably(path, bytes); !st) return st.error();
  return sha;
}

Result<std::string> Store::read_object(const std::string& sha) {
  if (sha.size() != 64 || sha.find_first_not_of("0123456789abcdef") != std::string::npos)
    return Error{Code::kNotFound, "bad object id"};
  return env_->read_file(dir_ + "/objects/" + sha.substr(0, 2) + "/" + sha.substr(2));
}

Status Store::append_audit(const std::string& id, const std::string& actor, const std::string& action,
                           const std::string& detail) {
  return Stmt(db_, "INSERT INTO audit(packet_id, at, actor, action, detail) VALUES(?,?,?,?,?)")
      .bind(1, id).bind(2, now()).bind(3, actor).bind(4, action).bind(5, detail).done();
}

Result<Store::Received> Store::receive(const Packet& packet, const std::string& source_kind, const std::string& actor,
                                       const std::string& source_key) {
  // Every original must already be in objects/ (step 1) before the row exists (step 2).
  for (const auto& f : packet.files)
    if (!env_->exists(dir_ + "/objects/" + f.sha256.substr(0, 2) + "/" + f.sha256.substr(2)))
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
      (void)Stmt(db_, "INSERT OR IGNORE INTO sources VALUES(?,?,?)").bind(1, source_key).bind(2, id).bind(3, now()).done();
    if (Status st = t.commit(); !st) return st.error();
    return Received{id, true};
  }
  std::string id = "P-" + key.substr(0, 10);
  std::string at = packet.received_at.empty() ? now() : packet.received_at;
  Status st = Stmt(db_, "INSERT INTO packets(id, packet_key, status, source, source_kind, received_at, updated_at) "
                        "VALUES(?,?,?,?,?,?,?)")
                  .bind(1, id).bind(2, key).bind(3, status_name(PacketStatus::kReceived)).bind(4, packet.source).bind(5, source_kind)
                  .bind(6, at).bind(7, now()).done();
  if (!st) return st.error();
  for (size_t i = 0; i < packet.files.size(); ++i) {
    const auto& f = packet.files[i];
    st = Stmt(db_, "INSERT INTO files VALUES(?,?,?,?,?)")
             .bind(1, id).bind(2, static_cast<int64_t>(i)).bind(3, f.label).bind(4, f.sha256)
             .bind(5, static_cast<int64_t>(f.bytes.size())).done();
    if (!st) return st.error();
  }
  if (!source_key.empty()) {
    st = Stmt(db_, "INSERT OR REPLACE INTO sources VALUES(?,?,?)").bind(1, source_key).bind(2, id).bind(3, now()).done();
    if (!st) return st.error();
  }
  st = append_audit(id, actor, "received", source_kind + ": " + packet.source + " (" + std::to_string(packet.files.size()) + " files)");
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

Status Store::set_status(const std::string& id, PacketStatus to, const std::string& actor,
                         const std::string& action, const std::string& detail) {
  Stmt cur(db_, "SELECT status FROM packets WHERE id=?");
  cur.bind(1, id);
  if (!cur.step()) return Error{Code::kNotFound, "no packet " + id};
  std::string from = cur.text(0);
  auto from_status = status_from_name(from);
  if (!from_status || !transition_allowed(*from_status, to))
    return Error{Code::kInvalidTransition, "packet " + id + " is " + from + "; it cannot become " + status_name(to)};
  Status st = Stmt(db_, "UPDATE packets SET status=?, updated_at=? WHERE id=?").bind(1, status_name(to)).bind(2, now()).bind(3, id).done();
  if (!st) return st;
  return append_audit(id, actor, action, detail.empty() ? from + " → " + status_name(to) : detail);
}

Status Store::set_worker_column(const std::string& id) {
  return Stmt(db_, "UPDATE packets SET worker=? WHERE id=?").bind(1, worker_).bind(2, id).done();
}

Status Store::start_processing(const std::string& id, const std::string& actor) {
  // Inside one IMMEDIATE transaction: of several processes racing for one packet, one wins.
  sql::Transaction t(db_);
  if (!t.begun()) return t.begun();
  Stmt cur(db_, "SELECT status, COALESCE(worker, '') FROM packets WHERE id=?");
  cur.bind(1, id);
  if (!cur.step()) return Error{Code::kNotFound, "no packet " + id};
  if (cur.text(0) == status_name(PacketStatus::kProcessing)) {
    if (cur.text(1) == worker_) return Status::Ok();  // ours already (retry, reply)
    return Error{Code::kBusy, "packet " + id + " is being processed by " + cur.text(1)};
  }
  if (Status st = set_status(id, PacketStatus::kProcessing, actor, "processing", ""); !st) return st;
  if (Status st = set_worker_column(id); !st) return st;
  return t.commit();
}

Status Store::save_report(const std::string& id, const Report& report, const std::string& actor) {
  nlohmann::json j = report_to_json(report);
  sql::Transaction t(db_);
  if (!t.begun()) return t.begun();
  PacketStatus to = report.disposition == Disposition::kReadyForReview ? PacketStatus::kReady : PacketStatus::kNeedsInformation;
  if (Status st = set_status(id, to, actor, "checked",
                             std::string(disposition_name(report.disposition)) + "; content " + verdict_name(report.content.verdict) + "; " +
                                 std::to_string(report.findings.size()) + " findings");
      !st)
    return st;
  const Fields& f = report.fields;
  Status st = Stmt(db_, "UPDATE packets SET report=?, provider=?, title=?, hours=?, contact=?, contact_email=?, "
                        "contact_phone=?, verdict=?, disposition=?, missing=?, error=NULL WHERE id=?")
                  .bind(1, j.dump()).bind(2, f.provider_name.value_or("")).bind(3, f.course_title.value_or(report.outline.title.value_or("")))
                  .bind(4, f.credit_hours).bind(5, f.contact_name.value_or("")).bind(6, f.contact_email.value_or(""))
                  .bind(7, f.contact_phone.value_or("")).bind(8, verdict_name(report.content.verdict)).bind(9, disposition_name(report.disposition))
                  .bind(10, nlohmann::json(report.missing).dump()).bind(11, id).done();
  if (!st) return st;
  for (const char* del : {"DELETE FROM findings WHERE packet_id=?", "DELETE FROM documents WHERE packet_id=?"})
    if (st = Stmt(db_, del).bind(1, id).done(); !st) return st;
  for (const auto& x : report.findings)
    if (st = Stmt(db_, "INSERT INTO findings VALUES(?,?,?,?,?)").bind(1, id).bind(2, code_name(x.code)).bind(3, severity_name(x.severity))
                 .bind(4, x.message).bind(5, x.document).done();
        !st)
      return st;
  for (size_t i = 0; i < report.documents.size(); ++i) {
    const auto& d = report.documents[i];
    nlohmann::json pages = nlohmann::json::array();
    for (const auto& p : d.doc.pages)
      pages.push_back({{"number", p.number}, {"text", p.text}, {"ocr", p.ocr}, {"confidence", p.ocr_confidence}});
    if (st = Stmt(db_, "INSERT INTO documents VALUES(?,?,?,?,?,?)").bind(1, id).bind(2, static_cast<int64_t>(i))
                 .bind(3, d.name).bind(4, d.doc.sha256).bind(5, doc_type_name(d.type)).bind(6, pages.dump()).done();
        !st)
      return st;
  }
  return t.commit();
}

Status Store::mark_failed(const std::string& id, const std::string& error, const std::string& actor) {
  sql::Transaction t(db_);
  if (!t.begun()) return t.begun();
  if (Status st = set_status(id, PacketStatus::kFailed, actor, "failed", error); !st) return st;
  if (Status st = Stmt(db_, "UPDATE packets SET error=? WHERE id=?").bind(1, error).bind(2, id).done(); !st) return st;
  return t.commit();
}

Result<Approval> Store::approve(const std::string& id, const std::string& reviewer, int years, const RulePack& rules) {
  if (reviewer.empty()) return Error{Code::kUsage, "a reviewer name is required"};
  if (years < 1 || years > 10) return Error{Code::kUsage, "years must be between 1 and 10"};
  sql::Transaction t(db_);
  if (!t.begun()) return t.begun().error();
  std::string today = now().substr(0, 10);
  int year = std::atoi(today.substr(0, 4).c_str());
  // The sequence is per year and assigned inside the approving transaction: unique, no gaps.
  Status st = Stmt(db_, "INSERT INTO clee_sequence VALUES(?, 1) ON CONFLICT(year) DO UPDATE SET last = last + 1")
                  .bind(1, static_cast<int64_t>(year)).done();
  if (!st) return st.error();
  Stmt seq(db_, "SELECT last FROM clee_sequence WHERE year=?");
  seq.bind(1, static_cast<int64_t>(year));
  if (!seq.step()) return Error{Code::kStoreError, "CLEE sequence missing"};
  Approval a;
  a.clee_id = format_clee_id(rules.clee_id_format, year, seq.integer(0));
  a.expires_on = std::to_string(year + years - 1) + "-12-31";
  if (st = set_status(id, PacketStatus::kApproved, reviewer, "approved",
                      a.clee_id + ", expires " + a.expires_on + " (" + std::to_string(years) + " year(s))");
      !st)
    return st.error();
  st = Stmt(db_, "UPDATE packets SET clee_id=?, approved_at=?, expires_on=? WHERE id=?")
           .bind(1, a.clee_id).bind(2, now()).bind(3, a.expires_on).bind(4, id).done();
  if (!st) return st.error();
  st = Stmt(db_, "INSERT INTO decisions(packet_id, kind, reviewer, at, reason, clee_id) VALUES(?,?,?,?,?,?)")
           .bind(1, id).bind(2, "approve").bind(3, reviewer).bind(4, now()).bind(5, "").bind(6, a.clee_id).done();
  if (!st) return st.error();
  if (st = t.commit(); !st) return st.error();
  return a;
}

Status Store::reject(const std::string& id, const std::string& reviewer, const std::string& reason) {
  if (reviewer.empty() || reason.empty()) return Error{Code::kUsage, "a reviewer and a reason are required"};
  sql::Transaction t(db_);
  if (!t.begun()) return t.begun();
  if (Status st = set_status(id, PacketStatus::kRejected, reviewer, "rejected", reason); !st) return st;
  if (Status st = Stmt(db_, "INSERT INTO decisions(packet_id, kind, reviewer, at, reason) VALUES(?,?,?,?,?)")
                      .bind(1, id).bind(2, "reject").bind(3, reviewer).bind(4, now()).bind(5, reason).done();
      !st)
    return st;
  return t.commit();
}

Result<std::string> Store::request_info(const std::string& id, const std::string& reviewer, const std::string& message) {
  if (reviewer.empty()) return Error{Code::kUsage, "a reviewer name is required"};
  sql::Transaction t(db_);
  if (!t.begun()) return t.begun().error();
  if (Status st = set_status(id, PacketStatus::kInfoRequested, reviewer, "info_requested", message); !st) return st.error();
  Stmt cur(db_, "SELECT token FROM packets WHERE id=?");
  cur.bind(1, id);
  std::string token = cur.step() && !cur.is_null(0) ? cur.text(0) : "CLEE-REQ-" + random_token();
  if (Status st = Stmt(db_, "UPDATE packets SET token=? WHERE id=?").bind(1, token).bind(2, id).done(); !st) return st.error();
  if (Status st = Stmt(db_, "INSERT INTO decisions(packet_id, kind, reviewer, at, reason) VALUES(?,?,?,?,?)")
                      .bind(1, id).bind(2, "request_info").bind(3, reviewer).bind(4, now()).bind(5, message).done();
      !st)
    return st.error();
  if (Status st = t.commit(); !st) return st.error();
  return token;
}

Status Store::retry(const std::string& id, const std::string& actor) {
  sql::Transaction t(db_);
  if (!t.begun()) return t.begun();
  if (Status st = set_status(id, PacketStatus::kProcessing, actor, "retry", ""); !st) return st;
  if (Status st = set_worker_column(id); !st) return st;
  return t.commit();
}

Status Store::add_files(const std::string& id, const std::vector<SourceFile>& files, const std::string& actor) {
  for (const auto& f : files)
    if (!env_->exists(dir_ + "/objects/" + f.sha256.substr(0, 2) + "/" + f.sha256.substr(2)))
      return Error{Code::kStoreError, "original " + f.label + " was not stored first"};
  sql::Transaction t(db_);
  if (!t.begun()) return t.begun();
  Stmt n(db_, "SELECT COALESCE(MAX(position) + 1, 0) FROM files WHERE packet_id=?");
  n.bind(1, id);
  int64_t pos = n.step() ? n.integer(0) : 0;
  for (const auto& f : files) {
    Status st = Stmt(db_, "INSERT INTO files VALUES(?,?,?,?,?)").bind(1, id).bind(2, pos++).bind(3, f.label)
                    .bind(4, f.sha256).bind(5, static_cast<int64_t>(f.bytes.size())).done();
    if (!st) return st;
  }
  if (Status st = set_status(id, PacketStatus::kProcessing, actor, "reply_received",
                             std::to_string(files.size()) + " new file(s) from the provider");
      !st)
    return st;
  if (Status st = set_worker_column(id); !st) return st;
  return t.commit();
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

Result<std::vector<std::string>> Store::requeue_interrupted(const std::string& actor) {
  std::vector<std::pair<std::string, std::string>> held;
  {
    Stmt s(db_, "SELECT id, COALESCE(worker, '') FROM packets WHERE status=?");
    s.bind(1, status_name(PacketStatus::kProcessing));
    while (s.step()) held.emplace_back(s.text(0), s.text(1));
  }
  std::vector<std::string> ids;
  for (const auto& [id, worker] : held) {
    if (!worker_gone(worker)) continue;  // a live process is working on it
    sql::Transaction t(db_);
    if (!t.begun()) return t.begun().error();
    // Re-read under the write lock: the holder may have finished (or another process requeued it).
    Stmt again(db_, "SELECT status, COALESCE(worker, '') FROM packets WHERE id=?");
    again.bind(1, id);
    if (!again.step() || again.text(0) != status_name(PacketStatus::kProcessing) || again.text(1) != worker) continue;
    if (Status st = set_status(id, PacketStatus::kReceived, actor, "requeued",
                               "interrupted while processing" + (worker.empty() ? "" : " by " + worker) + "; redone");
        !st)
      return st.error();
    if (Status st = t.commit(); !st) return st.error();
    ids.push_back(id);
  }
  return ids;
}

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
  Stmt s(db_, "SELECT label, sha256, bytes FROM files WHERE packet_id=? ORDER BY position");
  s.bind(1, id);
  std::vector<StoredFile> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), static_cast<uint64_t>(s.integer(2))});
  if (s.error()) return *s.error();
  return out;
}

Result<Packet> Store::load(const std::string& id) {
  auto rec = get(id);
  if (!rec) return rec.error();
  auto fs = files(id);
  if (!fs) return fs.error();
  Packet p;
  p.id = id;
  p.source = rec->source;
  p.received_at = rec->received_at;
  for (const auto& f : *fs) {
    auto bytes = read_object(f.sha256);
    if (!bytes) return bytes.error();
    p.files.push_back({f.label, f.sha256, std::move(*bytes)});
  }
  return p;
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

Result<std::vector<CatalogRow>> Store::catalog(const std::string& as_of) {
  Stmt s(db_, "SELECT clee_id, title, contact, contact_email, contact_phone, provider, expires_on, id, hours FROM packets "
              "WHERE status='approved' AND substr(approved_at,1,10) <= ? AND expires_on >= ? ORDER BY clee_id");
  s.bind(1, as_of).bind(2, as_of);
  std::vector<CatalogRow> out;
  while (s.step())
    out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6), s.text(7), s.real(8)});
  if (s.error()) return *s.error();
  return out;
}

}  // namespace clee
