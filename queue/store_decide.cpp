// Reviewer decisions (approve with a CLEE ID from a gap-free yearly sequence, reject, request
// information) and the catalog of approved courses. Each decision and its audit event commit in
// one transaction.
#include "queue/sql.h"
#include "queue/store.h"
#include "queue/store_internal.h"

namespace clee {
namespace {

using sql::Stmt;

// A token a provider can type back: 10 characters from an alphabet without look-alikes.
std::string random_token() {
  std::string hex = store_internal::random_hex(6);
  unsigned char b[6];
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(std::stoi(hex.substr(static_cast<size_t>(i) * 2, 2), nullptr, 16));
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

// Records a decision; returns its number (the messages it causes are keyed by it).
Result<int64_t> insert_decision(sql::Db& db, const std::string& id, const char* kind, const std::string& reviewer,
                                const std::string& at, const std::string& reason, const std::string& clee_id) {
  Stmt s(db, "INSERT INTO decisions(packet_id, kind, reviewer, at, reason, clee_id) VALUES(?,?,?,?,?,?) RETURNING id");
  s.bind(1, id).bind(2, kind).bind(3, reviewer).bind(4, at).bind(5, reason);
  if (clee_id.empty()) s.bind_null(6);
  else s.bind(6, clee_id);
  if (!s.step()) return s.error() ? *s.error() : Error{Code::kStoreError, "decision not recorded"};
  int64_t n = s.integer(0);
  if (Status st = s.done(); !st) return st.error();
  return n;
}

}  // namespace

Result<Approval> Store::approve(const std::string& id, const std::string& reviewer, ApprovalTerm term,
                                const RulePack& rules, const Compose& compose) {
  int years = term.years;
  if (reviewer.empty()) return Error{Code::kUsage, "a reviewer name is required"};
  if (years < 1 || years > 10) return Error{Code::kUsage, "years must be between 1 and 10"};
  sql::Transaction t(*db_);
  if (!t.begun()) return t.begun().error();
  std::string today = now().substr(0, 10);
  int this_year = std::atoi(today.substr(0, 4).c_str());
  if (term.year != 0 && (term.year < this_year || term.year > this_year + 5))
    return Error{Code::kUsage, "the approval year must be from " + std::to_string(this_year) + " to " +
                                   std::to_string(this_year + 5)};
  int year = term.year != 0 ? term.year : this_year;
  // The sequence is per year and assigned inside the approving transaction: unique, no gaps. The
  // year's row stays locked until this approval commits or rolls back (PostgreSQL row lock; the
  // SQLite write transaction), so concurrent approvals take consecutive numbers one at a time,
  // and a failed approval gives its number back.
  Stmt seq(*db_, "INSERT INTO clee_sequence VALUES(?, 1) ON CONFLICT(year) DO UPDATE SET "
                 "last = clee_sequence.last + 1 RETURNING last");
  seq.bind(1, static_cast<int64_t>(year));
  if (!seq.step()) return seq.error_or(Error{Code::kStoreError, "CLEE sequence missing"});
  int64_t number = seq.integer(0);
  Status st = seq.done();
  if (!st) return st.error();
  Approval a;
  a.clee_id = format_clee_id(rules.clee_id_format, year, number);
  a.expires_on = std::to_string(year + years - 1) + "-12-31";
  if (st = set_status(id, PacketStatus::kApproved, reviewer, "approved",
                      a.clee_id + ", expires " + a.expires_on + " (" + std::to_string(years) + " year(s))");
      !st)
    return st.error();
  st = Stmt(*db_, "UPDATE packets SET clee_id=?, approved_at=?, expires_on=? WHERE id=?")
           .bind(1, a.clee_id).bind(2, now()).bind(3, a.expires_on).bind(4, id).done();
  if (!st) return st.error();
  auto decision = insert_decision(*db_, id, "approve", reviewer, now(), "", a.clee_id);
  if (!decision) return decision.error();
  if (st = queue_messages(id, *decision, reviewer, compose); !st) return st.error();
  if (st = t.commit(); !st) return st.error();
  return a;
}

Status Store::reject(const std::string& id, const std::string& reviewer, const std::string& reason,
                     const Compose& compose) {
  if (reviewer.empty() || reason.empty()) return Error{Code::kUsage, "a reviewer and a reason are required"};
  sql::Transaction t(*db_);
  if (!t.begun()) return t.begun();
  if (Status st = set_status(id, PacketStatus::kRejected, reviewer, "rejected", reason); !st) return st;
  auto decision = insert_decision(*db_, id, "reject", reviewer, now(), reason, "");
  if (!decision) return decision.error();
  if (Status st = queue_messages(id, *decision, reviewer, compose); !st) return st;
  return t.commit();
}

Result<std::string> Store::request_info(const std::string& id, const std::string& reviewer, const std::string& message,
                                        const Compose& compose) {
  if (reviewer.empty()) return Error{Code::kUsage, "a reviewer name is required"};
  sql::Transaction t(*db_);
  if (!t.begun()) return t.begun().error();
  if (Status st = set_status(id, PacketStatus::kInfoRequested, reviewer, "info_requested", message); !st) return st.error();
  Stmt cur(*db_, "SELECT token FROM packets WHERE id=?");
  cur.bind(1, id);
  std::string token = cur.step() && !cur.is_null(0) ? cur.text(0) : "CLEE-REQ-" + random_token();
  if (Status st = Stmt(*db_, "UPDATE packets SET token=? WHERE id=?").bind(1, token).bind(2, id).done(); !st) return st.error();
  auto decision = insert_decision(*db_, id, "request_info", reviewer, now(), message, "");
  if (!decision) return decision.error();
  if (Status st = queue_messages(id, *decision, reviewer, compose); !st) return st.error();
  if (Status st = t.commit(); !st) return st.error();
  return token;
}

Result<std::vector<CatalogRow>> Store::catalog(const std::string& as_of) {
  Stmt s(*db_, "SELECT clee_id, title, contact, contact_email, contact_phone, provider, expires_on, id, hours FROM packets "
              "WHERE status='approved' AND substr(approved_at,1,10) <= ? AND expires_on >= ? ORDER BY clee_id");
  s.bind(1, as_of).bind(2, as_of);
  std::vector<CatalogRow> out;
  while (s.step())
    out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6), s.text(7), s.real(8)});
  if (s.error()) return *s.error();
  return out;
}

}  // namespace clee
