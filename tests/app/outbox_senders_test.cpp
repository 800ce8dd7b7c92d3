// Sending from one outbox with real processes and a real SMTP server (a private Postfix on
// loopback): two senders at once deliver each message once; a sender SIGKILLed between the
// server's 250 and its commit leaves the row queued under its lease, and once the lease expires
// the message is sent again with the same bytes and the same Message-ID (at least once, the
// duplicate recognisable) — the guarantee the README states.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <thread>

#include "notify/message.h"
#include "notify/sender.h"
#include "queue/store.h"
#include "tests/support/fault_env.h"
#include "tests/support/pg_server.h"
#include "tests/support/postfix_server.h"

namespace clee {
namespace {

// Run on the SQLite store and on PostgreSQL (a private server, tests/support/pg_server.h).
class OutboxSenders : public ::testing::TestWithParam<bool> {
 protected:
  static void SetUpTestSuite() {
    server_ = new test::PostfixServer();
    error_ = server_->start(testing::TempDir() + "/outbox-senders-" + std::to_string(::getpid()));
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_EQ(error_, "") << "Postfix did not start";
    server_->clear();
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : name)
      if (c == '/') c = '_';
    dir_ = testing::TempDir() + "/outbox-senders-data-" + std::to_string(::getpid()) + "-" + name;
    std::filesystem::remove_all(dir_);
    if (GetParam()) options_.url = test::PgServer::shared().new_database();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  notify::SmtpOptions smtp() const {
    notify::SmtpOptions o;
    o.url = server_->starttls_url();
    o.user = "clee";
    o.password = "secret";
    o.ca_file = server_->ca_file();
    o.timeout_seconds = 30;
    return o;
  }
  // One packet whose check queued `n` messages (real MIME), in the report's transaction.
  std::string queue(Store& store, int n) {
    Packet p;
    p.source = "test";
    p.files.push_back(SourceFile::in_memory("a.txt", "packet " + std::to_string(n)));
    EXPECT_TRUE(store.put_object(p.files[0].bytes));
    auto r = store.receive(p, "test", "t");
    EXPECT_TRUE(r);
    auto lease = store.claim(r->id, "t");
    EXPECT_TRUE(lease);
    Report rep;
    rep.disposition = Disposition::kReadyForReview;
    Store::Compose compose = [n](const PacketRecord& after, int64_t) -> Result<Store::Composed> {
      Store::Composed c;
      for (int i = 0; i < n; ++i) {
        notify::MailMessage m;
        m.from = {"CLEE Office", "clee@example.gov"};
        m.to = {{"Provider " + std::to_string(i), "provider" + std::to_string(i) + "@example.org"}};
        m.subject = "Message " + std::to_string(i) + " for " + after.id;
        m.message_id = "m" + std::to_string(i) + "." + after.id + "@example.gov";
        m.date = 1796126023;
        m.text = "Body " + std::to_string(i) + "\n";
        auto mime = notify::build_mime(m);
        if (!mime) return mime.error();
        notify::OutgoingMessage o;
        o.kind = "receipt";
        o.message_id = m.message_id;
        o.envelope_from = m.from.address;
        o.recipients = {m.to[0].address};
        o.to = m.to[0].address;
        o.subject = m.subject;
        o.mime = *mime;
        c.messages.push_back(std::move(o));
      }
      return c;
    };
    EXPECT_TRUE(store.save_report(*lease, rep, "t", compose));
    return r->id;
  }
  // Message-ID → how many times it was delivered.
  static std::map<std::string, int> delivered_ids(const std::vector<std::string>& raw) {
    std::map<std::string, int> out;
    for (const auto& m : raw) {
      size_t p = m.find("\nMessage-ID: <");
      if (p == std::string::npos) p = m.find("\nMessage-Id: <");
      if (p == std::string::npos) continue;
      size_t b = p + 14, e = m.find('>', b);
      ++out[m.substr(b, e - b)];
    }
    return out;
  }

  std::string dir_;
  StoreOptions options_;
  static test::PostfixServer* server_;
  static std::string error_;
};
test::PostfixServer* OutboxSenders::server_ = nullptr;
std::string OutboxSenders::error_;

TEST_P(OutboxSenders, TwoSendersAtOnceDeliverEachMessageOnce) {
  constexpr int kMessages = 40;
  {
    auto store = Store::open(dir_, Env::Default(), options_);
    ASSERT_TRUE(store) << store.error().message;
    queue(**store, kMessages);
  }
  notify::SendPass passes[2];
  std::vector<std::thread> senders;
  for (int s = 0; s < 2; ++s)
    senders.emplace_back([&, s] {
      auto store = Store::open(dir_, Env::Default(), options_);
      ASSERT_TRUE(store);
      notify::SmtpSender sender(smtp());
      passes[s] = notify::send_due(**store, sender, smtp(), notify::SendPolicy{}, "sender-" + std::to_string(s),
                                   Env::Default());
    });
  for (auto& t : senders) t.join();
  ASSERT_TRUE(passes[0].status) << passes[0].status.error().message;
  ASSERT_TRUE(passes[1].status) << passes[1].status.error().message;
  EXPECT_EQ(passes[0].sent + passes[1].sent, kMessages);
  EXPECT_GT(passes[0].sent, 0);  // both took part
  EXPECT_GT(passes[1].sent, 0);
  auto ids = delivered_ids(server_->wait_for(kMessages));
  // Anything sent twice would have reached the Maildir by the time one more would.
  ids = delivered_ids(server_->wait_for(kMessages + 1, 2));
  EXPECT_EQ(ids.size(), static_cast<size_t>(kMessages));
  for (const auto& [id, n] : ids) EXPECT_EQ(n, 1) << id;
  auto store = Store::open(dir_, Env::Default(), options_);
  ASSERT_TRUE(store);
  EXPECT_EQ((*store)->outbox(notify::OutboxStatus::kSent)->size(), static_cast<size_t>(kMessages));
}

// Forwards to the store, but dies the moment the server has accepted a message: the SIGKILL
// between the 250 and the commit of `sent`.
class DieOnSent : public notify::Outbox {
 public:
  explicit DieOnSent(Store& s) : s_(s) {}
  Result<std::vector<notify::OutboxEntry>> claim_messages(const std::string& o, double l, size_t m) override {
    return s_.claim_messages(o, l, m);
  }
  Status message_sent(int64_t, const std::string&, const std::string&) override {
    ::kill(::getpid(), SIGKILL);
    return Status::Ok();
  }
  Status message_deferred(int64_t id, const std::string& o, const std::string& e, double n) override {
    return s_.message_deferred(id, o, e, n);
  }
  Status message_failed(int64_t id, const std::string& o, const std::string& e) override {
    return s_.message_failed(id, o, e);
  }
  Result<std::vector<notify::OutboxEntry>> outbox(std::optional<notify::OutboxStatus> s) override { return s_.outbox(s); }
  Result<notify::OutboxEntry> outbox_entry(int64_t id) override { return s_.outbox_entry(id); }
  Status retry_message(int64_t id, const std::string& a) override { return s_.retry_message(id, a); }

 private:
  Store& s_;
};

TEST_P(OutboxSenders, KilledBetweenTheServersAcceptanceAndTheCommitMeansSentAgainWithTheSameMessageId) {
  std::string packet;
  {
    auto store = Store::open(dir_, Env::Default(), options_);
    ASSERT_TRUE(store);
    packet = queue(**store, 1);
  }
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto store = Store::open(dir_, Env::Default(), options_);
    if (!store) ::_exit(3);
    DieOnSent outbox(**store);
    notify::SmtpSender sender(smtp());
    notify::send_due(outbox, sender, smtp(), notify::SendPolicy{}, "doomed", Env::Default());
    ::_exit(4);  // not reached: it dies on the first 250
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  auto first = delivered_ids(server_->wait_for(1));
  ASSERT_EQ(first.size(), 1u);
  // The row is still queued, held by the dead sender until its lease runs out.
  test::FaultEnv env;
  env.set_time(Env::Default()->now_seconds());
  auto store = Store::open(dir_, &env, options_);
  ASSERT_TRUE(store) << store.error().message;
  auto row = (*store)->outbox();
  ASSERT_EQ(row->size(), 1u);
  EXPECT_EQ((*row)[0].status, notify::OutboxStatus::kQueued);
  EXPECT_EQ((*row)[0].lease_owner, "doomed");
  EXPECT_EQ((*row)[0].attempts, 1);
  notify::SmtpSender sender(smtp());
  notify::SendPass early = notify::send_due(**store, sender, smtp(), notify::SendPolicy{}, "next", &env);
  EXPECT_EQ(early.sent, 0);  // never while the lease holds
  env.advance(notify::lease_seconds(smtp()) + 1);
  notify::SendPass later = notify::send_due(**store, sender, smtp(), notify::SendPolicy{}, "next", &env);
  EXPECT_EQ(later.sent, 1);
  auto ids = delivered_ids(server_->wait_for(2));
  ASSERT_EQ(ids.size(), 1u);            // one Message-ID...
  EXPECT_EQ(ids.begin()->second, 2);    // ...delivered twice: at least once, recognisably the same
  EXPECT_EQ(ids.begin()->first, first.begin()->first);
  EXPECT_EQ((*store)->outbox(notify::OutboxStatus::kSent)->size(), 1u);
  int sending = 0, sent = 0;
  auto audit = (*store)->audit(packet);
  ASSERT_TRUE(audit);
  for (const auto& e : *audit) {
    sending += e.action == "message_sending";
    sent += e.action == "message_sent";
  }
  EXPECT_EQ(sending, 2);
  EXPECT_EQ(sent, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxSenders, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& i) { return i.param ? "Postgres" : "Sqlite"; });

}  // namespace
}  // namespace clee
