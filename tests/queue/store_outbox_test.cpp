// The outbox in the store: messages queued in the decision's transaction (and only with it), a
// message id queued once, claims that never give one row to two senders, leases that expire,
// sent / deferred / failed / retry, and every step in the packet's audit log — on SQLite and on
// PostgreSQL.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "tests/queue/store_fixture.h"

namespace clee {
namespace {

using notify::OutboxStatus;
using notify::OutgoingMessage;

OutgoingMessage message(const std::string& kind, const std::string& id) {
  OutgoingMessage m;
  m.kind = kind;
  m.message_id = id + "@office.example";
  m.envelope_from = "clee@office.example";
  m.recipients = {"pat@example.org", "archive@office.example"};
  m.to = "pat@example.org";
  m.subject = "About " + id;
  m.text = "Body of " + id;
  m.mime = "Message-ID: <" + m.message_id + ">\r\n\r\nBody\r\n";
  return m;
}

Store::Compose one(const std::string& kind, std::vector<std::pair<PacketRecord, int64_t>>* seen = nullptr) {
  return [kind, seen](const PacketRecord& after, int64_t decision) -> Result<Store::Composed> {
    if (seen) seen->push_back({after, decision});
    Store::Composed c;
    c.messages.push_back(message(kind, kind + "." + after.id + "." + std::to_string(decision)));
    return c;
  };
}

std::vector<std::string> actions(Store& s, const std::string& id) {
  std::vector<std::string> out;
  auto events = s.audit(id);
  if (!events) return out;
  for (const auto& e : *events) out.push_back(e.action);
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

class OutboxTest : public StoreTest {};
class SqliteOutboxTest : public StoreTest {};

TEST_P(OutboxTest, ApprovalQueuesItsMessageInTheSameTransactionAndSeesTheDecision) {
  std::string id = add("approve me");
  std::vector<std::pair<PacketRecord, int64_t>> seen;
  auto a = store_->approve(id, "Pat", Store::ApprovalTerm{2027, 1}, rules_, one("approval", &seen));
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->expires_on, "2027-12-31");
  EXPECT_EQ(a->clee_id, "CLEE-2027-0001");  // the approval year names the ID
  ASSERT_EQ(seen.size(), 1u);
  // The compose step saw the packet as the decision left it.
  EXPECT_EQ(seen[0].first.status, PacketStatus::kApproved);
  EXPECT_EQ(seen[0].first.clee_id, "CLEE-2027-0001");
  EXPECT_EQ(seen[0].first.expires_on, "2027-12-31");
  EXPECT_GT(seen[0].second, 0);
  auto rows = store_->outbox();
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].status, OutboxStatus::kQueued);
  EXPECT_EQ((*rows)[0].packet_id, id);
  EXPECT_EQ((*rows)[0].message.recipients.size(), 2u);
  EXPECT_EQ((*rows)[0].message.mime, message("approval", "approval." + id + "." + std::to_string(seen[0].second)).mime);
  EXPECT_TRUE(has(actions(*store_, id), "message_queued"));
}

TEST_P(OutboxTest, AComposeErrorRollsTheDecisionBackWithNoRow) {
  std::string id = add("roll back");
  Store::Compose broken = [](const PacketRecord&, int64_t) -> Result<Store::Composed> {
    return Error{Code::kInternal, "the roster could not be drawn"};
  };
  auto a = store_->approve(id, "Pat", Store::ApprovalTerm{0, 1}, rules_, broken);
  ASSERT_FALSE(a);
  EXPECT_EQ(store_->get(id)->status, PacketStatus::kReady);
  EXPECT_TRUE(store_->outbox()->empty());
  // The number was given back: the next approval takes 0001.
  auto b = store_->approve(id, "Pat", Store::ApprovalTerm{0, 1}, rules_, one("approval"));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->clee_id, "CLEE-2026-0001");
}

TEST_P(OutboxTest, NotesWithoutAMessageLandInTheAuditLog) {
  std::string id = add("no address");
  Store::Compose none = [](const PacketRecord&, int64_t) -> Result<Store::Composed> {
    Store::Composed c;
    c.notes.push_back("no email address for the provider");
    return c;
  };
  ASSERT_TRUE(store_->reject(id, "Pat", "basic academy content", none));
  EXPECT_TRUE(store_->outbox()->empty());
  EXPECT_TRUE(has(actions(*store_, id), "message_not_queued"));
}

TEST_P(OutboxTest, TheSameMessageIdIsQueuedOnce) {
  std::string id = add("twice");
  Store::Compose same = [](const PacketRecord&, int64_t) -> Result<Store::Composed> {
    Store::Composed c;
    c.messages.push_back(message("request_info", "fixed"));
    return c;
  };
  ASSERT_TRUE(store_->request_info(id, "Pat", "send the CV", same));
  ASSERT_TRUE(store_->retry(id, "Pat"));
  auto lease = store_->claim(id, "t");
  ASSERT_TRUE(lease);
  Report r;
  r.disposition = Disposition::kReadyForReview;
  ASSERT_TRUE(store_->save_report(*lease, r, "t", same));
  EXPECT_EQ(store_->outbox()->size(), 1u);
}

TEST_P(OutboxTest, OneRowGoesToOneSenderUntilItsLeaseExpires) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(store_->reject(add("p" + std::to_string(i)), "Pat", "no", one("rejection")));
  auto other = Store::open(dir_, &env_, options_);
  ASSERT_TRUE(other);
  auto a = store_->claim_messages("sender-a", 60, 2);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[0].attempts, 1);
  auto b = (*other)->claim_messages("sender-b", 600, 10);
  ASSERT_TRUE(b);
  ASSERT_EQ(b->size(), 1u);  // only the one sender-a does not hold
  for (const auto& e : *a) EXPECT_NE(e.id, (*b)[0].id);
  EXPECT_TRUE((*other)->claim_messages("sender-c", 60, 10)->empty());
  // sender-a dies holding its two: once its lease expires they go to whoever claims (sender-b's
  // longer lease still holds).
  env_.advance(61);
  auto c = (*other)->claim_messages("sender-c", 60, 10);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[0].attempts, 2);
  // The dead holder's late outcome: a deferral is refused (it no longer holds the row)...
  Status late = store_->message_deferred((*a)[0].id, "sender-a", "timeout", env_.now_seconds() + 60);
  EXPECT_EQ(late.code(), Code::kBusy);
  // ...but a delivery is recorded: the message did go out.
  ASSERT_TRUE(store_->message_sent((*a)[0].id, "sender-a", "250 2.0.0 Ok: queued as ABC"));
  EXPECT_EQ(store_->outbox_entry((*a)[0].id)->status, OutboxStatus::kSent);
}

TEST_P(OutboxTest, DeferredComesBackAtItsTimeFailedStaysUntilRetried) {
  std::string id = add("states");
  ASSERT_TRUE(store_->reject(id, "Pat", "no", one("rejection")));
  auto e = store_->claim_messages("s", 60, 1);
  ASSERT_EQ(e->size(), 1u);
  int64_t n = (*e)[0].id;
  ASSERT_TRUE(store_->message_deferred(n, "s", "connection refused", env_.now_seconds() + 120));
  EXPECT_TRUE(store_->claim_messages("s", 60, 1)->empty());  // not due yet
  EXPECT_EQ(store_->outbox_entry(n)->last_error, "connection refused");
  env_.advance(121);
  e = store_->claim_messages("s", 60, 1);
  ASSERT_EQ(e->size(), 1u);
  EXPECT_EQ((*e)[0].attempts, 2);
  ASSERT_TRUE(store_->message_failed(n, "s", "550 5.1.1 no such mailbox"));
  auto f = store_->outbox(OutboxStatus::kFailed);
  ASSERT_EQ(f->size(), 1u);
  EXPECT_EQ((*f)[0].last_error, "550 5.1.1 no such mailbox");
  env_.advance(100000);
  EXPECT_TRUE(store_->claim_messages("s", 60, 1)->empty());  // failed is final until retried
  ASSERT_TRUE(store_->retry_message(n, "Pat"));
  e = store_->claim_messages("s", 60, 1);
  ASSERT_EQ(e->size(), 1u);
  EXPECT_EQ((*e)[0].attempts, 1);
  ASSERT_TRUE(store_->message_sent(n, "s", "250 ok"));
  EXPECT_EQ(store_->retry_message(n, "Pat").code(), Code::kInvalidTransition);
  auto acts = actions(*store_, id);
  for (const char* a : {"message_queued", "message_sending", "message_deferred", "message_failed", "message_retry", "message_sent"})
    EXPECT_TRUE(has(acts, a)) << a;
}

TEST_P(SqliteOutboxTest, AQueueMadeBeforeTheOutboxGetsItOnOpen) {
  std::string id = add("old queue");
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/clee.sqlite").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DROP TABLE outbox; PRAGMA user_version=4;", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto again = Store::open(dir_, &env_, options_);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE((*again)->outbox()->empty());
  ASSERT_TRUE((*again)->reject(id, "Pat", "no", one("rejection")));
  EXPECT_EQ((*again)->outbox()->size(), 1u);
}

CLEE_BOTH_BACKENDS(OutboxTest);
INSTANTIATE_TEST_SUITE_P(Sqlite, SqliteOutboxTest, ::testing::Values(Backend::kSqlite), backend_name);

}  // namespace
}  // namespace clee
