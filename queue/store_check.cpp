// Checking packets under leases (see store.h): claim, heartbeat, the writes a checker makes, the
// take-over of expired leases, backoff after transient failures, and the ways a packet goes back
// to be checked again (retry, a provider's reply). Every SELECT that a write transaction acts on
// locks its row (FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transaction excludes other writers).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "pipeline/report_json.h"
#include "queue/sql.h"
#include "queue/store.h"
#include "queue/store_internal.h"

namespace clee {

using sql::Stmt;
using store_internal::iso;

namespace {

std::string short_owner(const std::string& owner) { return owner.substr(0, 16); }

}  // namespace

Result<Lease> Store::take(const std::string& id, std::optional<PacketStatus> status, const std::string& holder,
                          double expires, const std::string& actor) {
  double now_s = env_->now_seconds();
  Lease lease{id, token_ + "." + store_internal::random_hex(8), now_s + options_.lease_seconds};
  if (status == PacketStatus::kProcessing) {
    if (expires > now_s && !holder_gone(holder))
      return Error{Code::kBusy, "packet " + id + " is being checked (lease " + short_owner(holder) + " until " +
                                    iso(expires) + ")"};
    // The holder is gone (crashed, hung, its host lost): take it over.
    if (Status st = append_audit(id, actor, "lease_taken_over",
                                 "lease " + short_owner(holder) +
                                     (expires > now_s ? " of a stopped process" : " expired at " + iso(expires)) +
                                     "; checked again");
        !st)
      return st.error();
  } else if (Status st = set_status(id, PacketStatus::kProcessing, actor, "processing", ""); !st) {
    return st.error();
  }
  Status st = Stmt(*db_, "UPDATE packets SET lease_owner=?, lease_expires=?, updated_at=? WHERE id=?")
                  .bind(1, lease.owner).bind(2, lease.expires_at).bind(3, now()).bind(4, id).done();
  if (!st) return st.error();
  return lease;
}

Result<Lease> Store::claim(const std::string& id, const std::string& actor) {
  if (token_.empty()) return Error{Code::kReadOnly, where() + " is open read-only"};
  // Inside one write transaction, the row locked: of several processes racing for one packet,
  // one wins.
  sql::Transaction t(*db_);
  if (!t.begun()) return t.begun().error();
  Stmt cur(*db_, std::string("SELECT status, COALESCE(lease_owner, ''), COALESCE(lease_expires, 0) FROM packets "
                             "WHERE id=?") + db_->for_update());
  cur.bind(1, id);
  if (!cur.step()) return cur.error_or(Error{Code::kNotFound, "no packet " + id});
  auto lease = take(id, status_from_name(cur.text(0)), cur.text(1), cur.real(2).value_or(0), actor);
  if (!lease) return lease.error();
  if (Status st = t.commit(); !st) return st.error();
  return lease;
}

Result<std::optional<Lease>> Store::claim_next(const std::string& actor) {
  if (token_.empty()) return Error{Code::kReadOnly, where() + " is open read-only"};
  sql::Transaction t(*db_);
  if (!t.begun()) return t.begun().error();
  // Workers on every host run this at once: each locks the oldest due row no one else has
  // locked, so they never wait for each other nor take the same packet.
  Stmt next(*db_, std::string("SELECT id FROM packets WHERE status=? AND COALESCE(next_attempt, 0) <= ? "
                              "ORDER BY received_at, id LIMIT 1") + db_->skip_locked());
  next.bind(1, status_name(PacketStatus::kReceived)).bind(2, env_->now_seconds());
  if (!next.step()) {
    if (next.error()) return *next.error();
    return std::optional<Lease>();
  }
  std::string id = next.text(0);
  auto lease = take(id, PacketStatus::kReceived, "", 0, actor);
  if (!lease) return lease.error();
  if (Status st = t.commit(); !st) return st.error();
  return std::optional<Lease>(*lease);
}

Status Store::check_lease(const Lease& lease) {
  Stmt cur(*db_, std::string("SELECT status, COALESCE(lease_owner, '') FROM packets WHERE id=?") + db_->for_update());
  cur.bind(1, lease.packet_id);
  if (!cur.step()) return cur.error_or(Error{Code::kNotFound, "no packet " + lease.packet_id});
  if (cur.text(0) != status_name(PacketStatus::kProcessing) || cur.text(1) != lease.owner)
    return Error{Code::kBusy, "packet " + lease.packet_id + ": lease " + short_owner(lease.owner) +
                                  " was lost (taken over after it expired); this result is discarded"};
  return Status::Ok();
}

Status Store::renew(Lease& lease) {
  sql::Transaction t(*db_);
  if (!t.begun()) return t.begun();
  if (Status st = check_lease(lease); !st) return st;
  double expires = env_->now_seconds() + options_.lease_seconds;
  if (Status st = Stmt(*db_, "UPDATE packets SET lease_expires=? WHERE id=?").bind(1, expires).bind(2, lease.packet_id).done();
      !st)
    return st;
  if (Status st = t.commit(); !st) return st;
  lease.expires_at = expires;
  return Status::Ok();
}

Status Store::save_report(const Lease& lease, const Report& report, const std::string& actor, const Compose& compose) {
  const std::string& id = lease.packet_id;
  nlohmann::json j = report_to_json(report);
  sql::Transaction t(*db_);
  if (!t.begun()) return t.begun();
  if (Status st = check_lease(lease); !st) return st;
  PacketStatus to =
      report.disposition == Disposition::kReadyForReview ? PacketStatus::kReady : PacketStatus::kNeedsInformation;
  if (Status st = set_status(id, to, actor, "checked",
                             std::string(disposition_name(report.disposition)) + "; content " +
                                 verdict_name(report.content.verdict) + "; " + std::to_string(report.findings.size()) +
                                 " findings");
      !st)
    return st;
  const Fields& f = report.fields;
  Status st = Stmt(*db_, "UPDATE packets SET report=?, provider=?, title=?, hours=?, contact=?, contact_email=?, "
                        "contact_phone=?, verdict=?, disposition=?, missing=?, error=NULL, attempts=0, "
                        "next_attempt=NULL, lease_owner=NULL, lease_expires=NULL WHERE id=?")
                  .bind(1, j.dump()).bind(2, f.provider_name.value_or(""))
                  .bind(3, f.course_title.value_or(report.outline.title.value_or(""))).bind(4, f.credit_hours)
                  .bind(5, f.contact_name.value_or("")).bind(6, f.contact_email.value_or(""))
                  .bind(7, f.contact_phone.value_or("")).bind(8, verdict_name(report.content.verdict))
                  .bind(9, disposition_name(report.disposition)).bind(10, nlohmann::json(report.missing).dump())
                  .bind(11, id).done();
  if (!st) return st;
  for (const char* del : {"DELETE FROM findings WHERE packet_id=?", "DELETE FROM documents WHERE packet_id=?"})
    if (st = Stmt(*db_, del).bind(1, id).done(); !st) return st;
  for (const auto& x : report.findings)
    if (st = Stmt(*db_, "INSERT INTO findings VALUES(?,?,?,?,?)").bind(1, id).bind(2, code_name(x.code))
                 .bind(3, severity_name(x.severity)).bind(4, x.message).bind(5, x.document).done();
        !st)
      return st;
  for (size_t i = 0; i < report.documents.size(); ++i) {
    const auto& d = report.documents[i];
    nlohmann::json pages = nlohmann::json::array();
    for (const auto& p : d.doc.pages)
      pages.push_back({{"number", p.number}, {"text", p.text}, {"ocr", p.ocr}, {"confidence", p.ocr_confidence},
                       {"rotation", p.rotation}});
    std::string text = pages.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (st = Stmt(*db_, "INSERT INTO documents VALUES(?,?,?,?,?,?)").bind(1, id).bind(2, static_cast<int64_t>(i))
                 .bind(3, d.name).bind(4, d.doc.sha256).bind(5, doc_type_name(d.type)).bind(6, text).done();
        !st)
      return st;
  }
  if (st = queue_messages(id, 0, actor, compose); !st) return st;
  return t.commit();
}

Status Store::release_failed(const Lease& lease, const Error& error, const std::string& actor) {
  const std::string& id = lease.packet_id;
  sql::Transaction t(*db_);
  if (!t.begun()) return t.begun();
  if (Status st = check_lease(lease); !st) return st;
  Stmt cur(*db_, "SELECT attempts FROM packets WHERE id=?");
  cur.bind(1, id);
  int attempts = cur.step() ? static_cast<int>(cur.integer(0)) + 1 : 1;
  std::string reason = std::string(code_name(error.code)) + ": " + error.message;
  bool again = is_transient(error.code) && attempts < options_.max_attempts;
  if (again) {
    double delay = std::min(options_.retry_max_seconds, options_.retry_initial_seconds * std::pow(2.0, attempts - 1));
    double next = env_->now_seconds() + delay;
    if (Status st = set_status(id, PacketStatus::kReceived, actor, "retry_scheduled",
                               reason + " (attempt " + std::to_string(attempts) + " of " +
                                   std::to_string(options_.max_attempts) + "; again at " + iso(next) + ")");
        !st)
      return st;
    if (Status st = Stmt(*db_, "UPDATE packets SET attempts=?, next_attempt=?, error=?, lease_owner=NULL, "
                              "lease_expires=NULL WHERE id=?")
                        .bind(1, attempts).bind(2, next).bind(3, reason).bind(4, id).done();
        !st)
      return st;
  } else {
    std::string why = is_transient(error.code) ? reason + " (gave up after " + std::to_string(attempts) + " attempts)"
                                               : reason;
    if (Status st = set_status(id, PacketStatus::kFailed, actor, "failed", why); !st) return st;
    if (Status st = Stmt(*db_, "UPDATE packets SET attempts=?, next_attempt=NULL, error=?, lease_owner=NULL, "
                              "lease_expires=NULL WHERE id=?")
                        .bind(1, attempts).bind(2, why).bind(3, id).done();
        !st)
      return st;
  }
  return t.commit();
}

Result<std::vector<std::string>> Store::requeue_expired(const std::string& actor) {
  struct Stale {
    std::string id, owner, why;
  };
  std::vector<Stale> stale;
  {
    Stmt s(*db_, "SELECT id, COALESCE(lease_owner, ''), COALESCE(lease_expires, 0) FROM packets WHERE status=?");
    s.bind(1, status_name(PacketStatus::kProcessing));
    double now_s = env_->now_seconds();
    while (s.step()) {
      double at = s.real(2).value_or(0);
      if (at < now_s) stale.push_back({s.text(0), s.text(1), "expired at " + iso(at)});
      else if (holder_gone(s.text(1))) stale.push_back({s.text(0), s.text(1), "held by a process that stopped"});
    }
    if (s.error()) return *s.error();
  }
  std::vector<std::string> ids;
  for (const auto& x : stale) {
    sql::Transaction t(*db_);
    if (!t.begun()) return t.begun().error();
    // Re-read under the write lock: the holder may have finished meanwhile, or another process
    // requeued and re-claimed it (a different owner).
    Stmt again(*db_, std::string("SELECT status, COALESCE(lease_owner, '') FROM packets WHERE id=?") + db_->for_update());
    again.bind(1, x.id);
    if (!again.step() || again.text(0) != status_name(PacketStatus::kProcessing) || again.text(1) != x.owner) continue;
    if (Status st = set_status(x.id, PacketStatus::kReceived, actor, "requeued",
                               "lease " + short_owner(x.owner) + " " + x.why + "; redone");
        !st)
      return st.error();
    if (Status st = Stmt(*db_, "UPDATE packets SET lease_owner=NULL, lease_expires=NULL WHERE id=?").bind(1, x.id).done(); !st)
      return st.error();
    if (Status st = t.commit(); !st) return st.error();
    ids.push_back(x.id);
  }
  return ids;
}

Result<std::vector<PacketRecord>> Store::due(size_t max) {
  Stmt s(*db_, std::string("SELECT ") + store_internal::kRecordColumns +
                  " FROM packets WHERE status=? AND COALESCE(next_attempt, 0) <= ? ORDER BY received_at, id LIMIT ?");
  s.bind(1, status_name(PacketStatus::kReceived)).bind(2, env_->now_seconds()).bind(3, static_cast<int64_t>(max));
  std::vector<PacketRecord> out;
  while (s.step()) out.push_back(store_internal::read_record(s));
  if (s.error()) return *s.error();
  return out;
}

Status Store::retry(const std::string& id, const std::string& actor) {
  sql::Transaction t(*db_);
  if (!t.begun()) return t.begun();
  Stmt cur(*db_, std::string("SELECT status, COALESCE(lease_expires, 0), COALESCE(lease_owner, '') FROM packets "
                             "WHERE id=?") + db_->for_update());
  cur.bind(1, id);
  if (!cur.step()) return cur.error() ? *cur.error() : Error{Code::kNotFound, "no packet " + id};
  if (cur.text(0) == status_name(PacketStatus::kReceived)) {
    // Already waiting (perhaps for a backoff deadline): make it due now.
  } else if (cur.text(0) == status_name(PacketStatus::kProcessing)) {
    if (cur.real(1).value_or(0) >= env_->now_seconds() && !holder_gone(cur.text(2)))
      return Error{Code::kBusy, "packet " + id + " is being checked right now; try again when it is done"};
    if (Status st = set_status(id, PacketStatus::kReceived, actor, "retry", "lease expired; checked again"); !st) return st;
  } else if (Status st = set_status(id, PacketStatus::kReceived, actor, "retry", ""); !st) {
    return st;
  }
  if (Status st = Stmt(*db_, "UPDATE packets SET attempts=0, next_attempt=NULL, lease_owner=NULL, lease_expires=NULL "
                            "WHERE id=?")
                      .bind(1, id).done();
      !st)
    return st;
  return t.commit();
}

Status Store::add_files(const std::string& id, const std::vector<SourceFile>& files, const std::string& actor) {
  for (const auto& f : files)
    if (!f.refused && !env_->exists(object_path(f.sha256)))
      return Error{Code::kStoreError, "original " + f.label + " was not stored first"};
  sql::Transaction t(*db_);
  if (!t.begun()) return t.begun();
  // The state change first: it locks the packet's row, so two replies joining at once number
  // their files one after the other.
  if (Status st = set_status(id, PacketStatus::kReceived, actor, "reply_received",
                             std::to_string(files.size()) + " new file(s) from the provider");
      !st)
    return st;
  Stmt n(*db_, "SELECT COALESCE(MAX(position) + 1, 0) FROM files WHERE packet_id=?");
  n.bind(1, id);
  int64_t pos = n.step() ? n.integer(0) : 0;
  if (n.error()) return *n.error();
  for (const auto& f : files) {
    Stmt row(*db_, "INSERT INTO files(packet_id, position, label, sha256, bytes, refused) VALUES(?,?,?,?,?,?)");
    row.bind(1, id).bind(2, pos++).bind(3, f.label).bind(4, f.refused ? "" : f.sha256)
        .bind(5, static_cast<int64_t>(f.size));
    if (f.refused) row.bind(6, f.refused->message);
    else row.bind_null(6);
    if (Status st = row.done(); !st) return st;
  }
  if (Status st = Stmt(*db_, "UPDATE packets SET attempts=0, next_attempt=NULL WHERE id=?").bind(1, id).done(); !st)
    return st;
  return t.commit();
}

}  // namespace clee
