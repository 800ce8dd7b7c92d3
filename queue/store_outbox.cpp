// The outbox (notify/outbox.h) in the queue's database: rows queued inside the transaction of the
// decision that caused them, claimed by one sender at a time, marked sent or failed. Every step
// is an audit event of the packet the message is about.
//
// The claim is written once for both databases: the due rows are read FOR UPDATE SKIP LOCKED on
// PostgreSQL (rows another sender is claiming this instant are passed over; SQLite's write
// transaction holds the whole database), then each is taken by a conditional UPDATE — only while
// it is queued and unleased or its lease expired — whose RETURNING says whether this transaction
// got it (PostgreSQL re-checks that WHERE once a concurrent claimer's lock is gone).
#include <nlohmann/json.hpp>

#include "queue/sql.h"
#include "queue/store.h"
#include "queue/store_internal.h"

namespace clee {
namespace {

using notify::OutboxEntry;
using notify::OutboxStatus;
using sql::Stmt;

constexpr const char* kOutboxColumns =
    "id, packet_id, kind, message_id, envelope_from, recipients, to_address, subject, body, mime, status, attempts, "
    "created_at, next_attempt, sent_at, last_error, server_reply, lease_owner";

OutboxEntry read_entry(Stmt& s) {
  OutboxEntry e;
  e.id = s.integer(0);
  e.packet_id = s.text(1);
  e.message.kind = s.text(2);
  e.message.message_id = s.text(3);
  e.message.envelope_from = s.text(4);
  auto rcpt = nlohmann::json::parse(s.text(5), nullptr, false);
  if (rcpt.is_array())
    for (const auto& r : rcpt)
      if (r.is_string()) e.message.recipients.push_back(r.get<std::string>());
  e.message.to = s.text(6);
  e.message.subject = s.text(7);
  e.message.text = s.text(8);
  e.message.mime = s.text(9);
  e.status = notify::outbox_status_from_name(s.text(10)).value_or(OutboxStatus::kQueued);
  e.attempts = static_cast<int>(s.integer(11));
  e.created_at = s.text(12);
  e.next_attempt_at = e.status == OutboxStatus::kQueued ? store_internal::iso(s.real(13).value_or(0)) : "";
  e.sent_at = s.text(14);
  e.last_error = s.text(15);
  e.server_reply = s.text(16);
  e.lease_owner = s.text(17);
  return e;
}

Result<std::vector<OutboxEntry>> read_entries(Stmt& s) {
  std::vector<OutboxEntry> out;
  while (s.step()) out.push_back(read_entry(s));
  if (s.error()) return *s.error();
  return out;
}

// One line for the audit log: what, which message, to whom.
std::string describe(const std::string& kind, const std::string& message_id, const std::string& to) {
  return kind + " <" + message_id + "> to " + to;
}

}  // namespace

Status Store::queue_messages(const std::string& id, int64_t decision, const std::string& actor, const Compose& compose) {
  if (!compose) return Status::Ok();
  auto after = get(id);  // this transaction's view: the decision is already written
  if (!after) return after.error();
  auto composed = compose(*after, decision);
  if (!composed) return composed.error();
  for (const auto& note : composed->notes)
    if (Status st = append_audit(id, actor, "message_not_queued", note); !st) return st;
  for (const auto& m : composed->messages) {
    Stmt ins(*db_, "INSERT INTO outbox(packet_id, decision, kind, message_id, envelope_from, recipients, to_address, "
                  "subject, body, mime, status, attempts, created_at, next_attempt) "
                  "VALUES(?,?,?,?,?,?,?,?,?,?,'queued',0,?,?) ON CONFLICT(message_id) DO NOTHING RETURNING id");
    ins.bind(1, id).bind(2, decision).bind(3, m.kind).bind(4, m.message_id).bind(5, m.envelope_from)
        .bind(6, nlohmann::json(m.recipients).dump()).bind(7, m.to).bind(8, m.subject).bind(9, m.text).bind(10, m.mime)
        .bind(11, now()).bind(12, env_->now_seconds());
    bool queued = ins.step();
    if (ins.error()) return *ins.error();
    if (Status st = ins.done(); !st) return st;
    // The same message again (a check redone on the same files): already queued or sent once.
    if (!queued) continue;
    if (Status st = append_audit(id, actor, "message_queued", describe(m.kind, m.message_id, m.to)); !st) return st;
  }
  return Status::Ok();
}

Result<std::vector<OutboxEntry>> Store::claim_messages(const std::string& owner, double lease_seconds, size_t max) {
  if (owner.empty()) return Error{Code::kUsage, "a sender name is required"};
  double now_s = env_->now_seconds();
  sql::Transaction t(*db_);
  if (!t.begun()) return t.begun().error();
  Stmt due(*db_, "SELECT id FROM outbox WHERE status='queued' AND next_attempt <= ? "
                "AND (lease_owner IS NULL OR lease_expires < ?) ORDER BY next_attempt, id LIMIT ?" + std::string(db_->skip_locked()));
  due.bind(1, now_s).bind(2, now_s).bind(3, static_cast<int64_t>(max));
  std::vector<int64_t> ids;
  while (due.step()) ids.push_back(due.integer(0));
  if (due.error()) return *due.error();
  std::vector<OutboxEntry> out;
  for (int64_t id : ids) {
    Stmt take(*db_, "UPDATE outbox SET lease_owner=?, lease_expires=?, attempts=attempts+1 WHERE id=? AND "
                   "status='queued' AND (lease_owner IS NULL OR lease_expires < ?) RETURNING packet_id");
    take.bind(1, owner).bind(2, now_s + lease_seconds).bind(3, id).bind(4, now_s);
    bool got = take.step();
    if (take.error()) return *take.error();
    std::string packet = got ? take.text(0) : "";
    if (Status st = take.done(); !st) return st.error();
    if (!got) continue;  // another sender took it first
    Stmt row(*db_, std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE id=?");
    row.bind(1, id);
    if (!row.step()) return row.error() ? *row.error() : Error{Code::kStoreError, "outbox row vanished"};
    out.push_back(read_entry(row));
    const OutboxEntry& e = out.back();
    if (Status st = append_audit(packet, owner, "message_sending",
                                 describe(e.message.kind, e.message.message_id, e.message.to) + ", attempt " +
                                     std::to_string(e.attempts));
        !st)
      return st.error();
  }
  if (Status st = t.commit(); !st) return st.error();
  return out;
}

Status Store::message_sent(int64_t id, const std::string& owner, const std::string& reply) {
  sql::Transaction t(*db_);
  if (!t.begun()) return t.begun();
  // Recorded whoever holds the lease now: the server took the message, so it did go out.
  Stmt up(*db_, "UPDATE outbox SET status='sent', sent_at=?, server_reply=?, last_error=NULL, lease_owner=NULL, "
               "lease_expires=NULL WHERE id=? RETURNING packet_id, kind, message_id, to_address");
  up.bind(1, now()).bind(2, reply).bind(3, id);
  if (!up.step()) return up.error() ? *up.error() : Error{Code::kNotFound, "no outbox message " + std::to_string(id)};
  std::string packet = up.text(0), what = describe(up.text(1), up.text(2), up.text(3));
  if (Status st = up.done(); !st) return st;
  if (Status st = append_audit(packet, owner, "message_sent", what + ": " + reply); !st) return st;
  return t.commit();
}

Status Store::message_deferred(int64_t id, const std::string& owner, const std::string& error, double next_attempt) {
  sql::Transaction t(*db_);
  if (!t.begun()) return t.begun();
  Stmt up(*db_, "UPDATE outbox SET last_error=?, next_attempt=?, lease_owner=NULL, lease_expires=NULL "
               "WHERE id=? AND lease_owner=? AND status='queued' RETURNING packet_id, kind, message_id, to_address");
  up.bind(1, error).bind(2, next_attempt).bind(3, id).bind(4, owner);
  if (!up.step())
    return up.error() ? *up.error() : Error{Code::kBusy, "outbox message " + std::to_string(id) + " is no longer held by " + owner};
  std::string packet = up.text(0), what = describe(up.text(1), up.text(2), up.text(3));
  if (Status st = up.done(); !st) return st;
  if (Status st = append_audit(packet, owner, "message_deferred",
                               what + ": " + error + "; next attempt " + store_internal::iso(next_attempt));
      !st)
    return st;
  return t.commit();
}

Status Store::message_failed(int64_t id, const std::string& owner, const std::string& error) {
  sql::Transaction t(*db_);
  if (!t.begun()) return t.begun();
  Stmt up(*db_, "UPDATE outbox SET status='failed', last_error=?, lease_owner=NULL, lease_expires=NULL "
               "WHERE id=? AND lease_owner=? AND status='queued' RETURNING packet_id, kind, message_id, to_address");
  up.bind(1, error).bind(2, id).bind(3, owner);
  if (!up.step())
    return up.error() ? *up.error() : Error{Code::kBusy, "outbox message " + std::to_string(id) + " is no longer held by " + owner};
  std::string packet = up.text(0), what = describe(up.text(1), up.text(2), up.text(3));
  if (Status st = up.done(); !st) return st;
  if (Status st = append_audit(packet, owner, "message_failed", what + ": " + error); !st) return st;
  return t.commit();
}

Result<std::vector<OutboxEntry>> Store::outbox(std::optional<OutboxStatus> status) {
  Stmt s(*db_, std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE ? = '' OR status = ? ORDER BY id DESC");
  std::string only = status ? notify::outbox_status_name(*status) : "";
  s.bind(1, only).bind(2, only);
  return read_entries(s);
}

Result<std::vector<OutboxEntry>> Store::packet_messages(const std::string& packet_id) {
  Stmt s(*db_, std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE packet_id=? ORDER BY id DESC");
  s.bind(1, packet_id);
  return read_entries(s);
}

Result<OutboxEntry> Store::outbox_entry(int64_t id) {
  Stmt s(*db_, std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE id=?");
  s.bind(1, id);
  if (!s.step()) return s.error() ? *s.error() : Error{Code::kNotFound, "no outbox message " + std::to_string(id)};
  return read_entry(s);
}

Status Store::retry_message(int64_t id, const std::string& actor) {
  sql::Transaction t(*db_);
  if (!t.begun()) return t.begun();
  Stmt cur(*db_, "SELECT status, packet_id, kind, message_id, to_address FROM outbox WHERE id=?");
  cur.bind(1, id);
  if (!cur.step()) return cur.error() ? *cur.error() : Error{Code::kNotFound, "no outbox message " + std::to_string(id)};
  std::string status = cur.text(0), packet = cur.text(1), what = describe(cur.text(2), cur.text(3), cur.text(4));
  if (Status st = cur.done(); !st) return st;
  if (status == "sent")
    return Error{Code::kInvalidTransition, "outbox message " + std::to_string(id) + " was sent already"};
  if (Status st = Stmt(*db_, "UPDATE outbox SET status='queued', attempts=0, next_attempt=?, lease_owner=NULL, "
                            "lease_expires=NULL WHERE id=?")
                      .bind(1, env_->now_seconds()).bind(2, id).done();
      !st)
    return st;
  if (Status st = append_audit(packet, actor, "message_retry", what + " (was " + status + ")"); !st) return st;
  return t.commit();
}

}  // namespace clee
