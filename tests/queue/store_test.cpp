// The durable queue: state machine, CLEE IDs and expiry, catalog, audit log, duplicates, and the
// durability order under injected file-system failures (a failing fsync through the Env seam).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "extractors/util.h"
#include "queue/exports.h"
#include "queue/store.h"
#include "tests/support/fault_env.h"

namespace clee {
namespace {
namespace fs = std::filesystem;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "/store-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    auto s = Store::open(dir_);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    store_->set_clock("2026-03-05T10:00:00Z");
    rules_.clee_id_format = "CLEE-{year}-{seq:04}";
  }
  void TearDown() override { fs::remove_all(dir_); }

  Packet packet(const std::string& content) {
    Packet p;
    p.source = "test:" + content;
    p.files.push_back({"a.txt", sha256_hex(content), content});
    return p;
  }
  std::string add(const std::string& content, Disposition disposition = Disposition::kReadyForReview) {
    Packet p = packet(content);
    for (auto& f : p.files) EXPECT_TRUE(store_->put_object(f.bytes));
    auto r = store_->receive(p, "test", "tester");
    EXPECT_TRUE(r) << r.error().message;
    EXPECT_TRUE(store_->start_processing(r->id, "tester"));
    Report rep;
    rep.disposition = disposition;
    rep.complete = disposition == Disposition::kReadyForReview;
    rep.fields.course_title = "Course " + content;
    rep.fields.credit_hours = 8;
    rep.fields.contact_name = "Pat";
    rep.fields.contact_email = "pat@example.org";
    EXPECT_TRUE(store_->save_report(r->id, rep, "tester"));
    return r->id;
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
  RulePack rules_;
};

TEST_F(StoreTest, StateMachine) {
  EXPECT_TRUE(transition_allowed(PacketStatus::kReceived, PacketStatus::kProcessing));
  EXPECT_TRUE(transition_allowed(PacketStatus::kReady, PacketStatus::kApproved));
  EXPECT_TRUE(transition_allowed(PacketStatus::kInfoRequested, PacketStatus::kProcessing));
  EXPECT_FALSE(transition_allowed(PacketStatus::kApproved, PacketStatus::kRejected));
  EXPECT_FALSE(transition_allowed(PacketStatus::kReceived, PacketStatus::kApproved));
  std::string id = add("one");
  ASSERT_TRUE(store_->reject(id, "Pat", "basic academy material"));
  Status again = store_->reject(id, "Pat", "twice");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Code::kInvalidTransition);
  EXPECT_FALSE(store_->approve(id, "Pat", 1, rules_));
}

TEST_F(StoreTest, CleeIdsAreSequentialPerYearWithExpiry) {
  auto a = store_->approve(add("a"), "Pat", 1, rules_);
  auto b = store_->approve(add("b"), "Pat", 3, rules_);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->clee_id, "CLEE-2026-0001");
  EXPECT_EQ(a->expires_on, "2026-12-31");
  EXPECT_EQ(b->clee_id, "CLEE-2026-0002");
  EXPECT_EQ(b->expires_on, "2028-12-31");
  store_->set_clock("2027-01-02T09:00:00Z");
  auto c = store_->approve(add("c"), "Pat", 1, rules_);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->clee_id, "CLEE-2027-0001");
}

TEST_F(StoreTest, CatalogDropsExpiredCourses) {
  ASSERT_TRUE(store_->approve(add("short"), "Pat", 1, rules_));
  ASSERT_TRUE(store_->approve(add("long"), "Pat", 2, rules_));
  auto now = store_->catalog("2026-06-01");
  ASSERT_TRUE(now);
  EXPECT_EQ(now->size(), 2u);
  auto later = store_->catalog("2027-06-01");
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ(later->at(0).title, "Course long");
  EXPECT_TRUE(store_->catalog("2026-01-01")->empty());  // before approval
  std::string csv = catalog_csv(*now);
  EXPECT_NE(csv.find("\"CLEE-2026-0001\",\"Course short\",\"8\",\"Pat\""), std::string::npos) << csv;
}

TEST_F(StoreTest, DuplicateBytesAreRecognised) {
  std::string id = add("same");
  Packet p = packet("same");
  auto r = store_->receive(p, "test", "tester");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->duplicate);
  EXPECT_EQ(r->id, id);
  EXPECT_EQ(store_->list()->size(), 1u);
}

TEST_F(StoreTest, AuditLogIsAppendOnlyAndRecordsDecisions) {
  std::string id = add("audit");
  auto token = store_->request_info(id, "Pat", "send the CV");
  ASSERT_TRUE(token);
  EXPECT_EQ(token->rfind("CLEE-REQ-", 0), 0u);
  EXPECT_EQ(store_->packet_for_token(*token), id);
  auto events = store_->audit(id);
  ASSERT_TRUE(events);
  ASSERT_GE(events->size(), 4u);
  EXPECT_EQ(events->front().action, "received");
  EXPECT_EQ(events->back().action, "info_requested");
  EXPECT_EQ(events->back().actor, "Pat");
  EXPECT_EQ(events->back().detail, "send the CV");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/clee.sqlite").c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE audit SET actor='mallory'", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM audit", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(store_->audit(id)->size(), events->size());
}

TEST_F(StoreTest, ReplyJoinsThePacketAndGoesBackToProcessing) {
  std::string id = add("reply", Disposition::kNeedsInformation);
  ASSERT_TRUE(store_->request_info(id, "Pat", ""));
  std::string cv = "a CV";
  ASSERT_TRUE(store_->put_object(cv));
  ASSERT_TRUE(store_->add_files(id, {{"cv.txt", sha256_hex(cv), cv}}, "mail"));
  EXPECT_EQ(store_->get(id)->status, PacketStatus::kProcessing);
  auto loaded = store_->load(id);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->files.size(), 2u);
  EXPECT_EQ(loaded->files[1].bytes, "a CV");
}

TEST_F(StoreTest, InterruptedProcessingIsRequeuedOnlyWhenItsProcessIsGone) {
  Packet p = packet("crash");
  ASSERT_TRUE(store_->put_object(p.files[0].bytes));
  auto r = store_->receive(p, "test", "t");
  // Held by a process that died: fork a child that exits at once, and play it.
  pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  std::string live = store_->worker();
  std::string host = live.substr(0, live.rfind(':'));
  store_->set_worker(host + ":" + std::to_string(child));
  ASSERT_TRUE(store_->start_processing(r->id, "t"));
  store_->set_worker(live);
  auto redo = store_->requeue_interrupted("daemon");
  ASSERT_TRUE(redo);
  EXPECT_EQ(*redo, std::vector<std::string>{r->id});
  EXPECT_EQ(store_->get(r->id)->status, PacketStatus::kReceived);

  // Held by a live process (this one): left alone, and nobody else may claim it meanwhile.
  ASSERT_TRUE(store_->start_processing(r->id, "t"));
  EXPECT_TRUE(store_->start_processing(r->id, "t"));  // ours already: Ok
  redo = store_->requeue_interrupted("daemon");
  ASSERT_TRUE(redo);
  EXPECT_TRUE(redo->empty());
  EXPECT_EQ(store_->get(r->id)->status, PacketStatus::kProcessing);
  auto other = Store::open(dir_);
  ASSERT_TRUE(other);
  (*other)->set_worker(host + ":1");  // init: alive, and not us
  Status st = (*other)->start_processing(r->id, "other");
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, Code::kBusy);
  // Held on another host: never taken over (we cannot tell whether it is alive).
  store_->set_worker("some-other-host:1");
  Packet q = packet("remote");
  ASSERT_TRUE(store_->put_object(q.files[0].bytes));
  auto r2 = store_->receive(q, "test", "t");
  ASSERT_TRUE(store_->start_processing(r2->id, "t"));
  store_->set_worker(live);
  redo = store_->requeue_interrupted("daemon");
  ASSERT_TRUE(redo);
  EXPECT_TRUE(redo->empty());
}

TEST_F(StoreTest, SchemaIsVersionedAndReopenedWithoutChange) {
  store_.reset();
  auto again = Store::open(dir_);
  ASSERT_TRUE(again) << again.error().message;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/clee.sqlite").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, nullptr);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(s, 0), 2);
  sqlite3_finalize(s);
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, nullptr);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "wal");
  sqlite3_finalize(s);
  // A data folder from a newer clee-intake is refused, not silently downgraded.
  sqlite3_exec(db, "PRAGMA user_version=99", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  again->reset();
  auto newer = Store::open(dir_);
  ASSERT_FALSE(newer);
  EXPECT_NE(newer.error().message.find("newer"), std::string::npos);
}

TEST_F(StoreTest, PrefixesResolveUniquely) {
  std::string id = add("prefix");
  EXPECT_EQ(*store_->resolve(id.substr(0, 6)), id);
  EXPECT_FALSE(store_->resolve("P-zzzz"));
  add("another");
  EXPECT_FALSE(store_->resolve("P-"));  // ambiguous now
}

// Fault injection through the Env seam: the original's fsync fails.
TEST_F(StoreTest, NoPacketRowWithoutItsStoredOriginals) {
  test::FaultEnv env;
  auto s = Store::open(dir_ + "-faulty", &env);
  env.fail(test::FaultEnv::Op::kWrite, Code::kIoError);
  ASSERT_TRUE(s);
  Packet p = packet("lost?");
  auto put = (*s)->put_object(p.files[0].bytes);
  ASSERT_FALSE(put);
  auto r = (*s)->receive(p, "test", "t");  // a caller that ignored the failure is refused
  ASSERT_FALSE(r);
  EXPECT_TRUE((*s)->list()->empty());
  fs::remove_all(dir_ + "-faulty");
}

// The durability order through the seam: for every point at which the process can die while
// storing a three-file packet, the packet is either absent (the source must stay) or complete;
// storing again after the "restart" yields exactly one packet whose originals read back intact.
TEST_F(StoreTest, CrashAtEveryStepLosesNothingAndDoublesNothing) {
  Packet p;
  p.source = "crash-steps";
  for (std::string c : {"form bytes", "outline bytes", "cv bytes"}) p.files.push_back({c + ".txt", sha256_hex(c), c});
  for (int steps = 0; steps <= 8; ++steps) {
    std::string dir = dir_ + "-crash" + std::to_string(steps);
    fs::remove_all(dir);
    ASSERT_TRUE(Store::open(dir));  // the data folder exists already, as in production
    {
      // A process that dies after `steps` file-system operations: every later write, rename or
      // folder creation fails, as if the power went (what was written durably before stays).
      test::FaultEnv env;
      env.set_time(*parse_utc("2027-01-02T03:04:05Z"));
      auto s = Store::open(dir, &env);
      env.crash_after(steps);
      ASSERT_TRUE(s);
      bool stored = true;
      for (const auto& f : p.files) stored = stored && (*s)->put_object(f.bytes);
      auto r = stored ? (*s)->receive(p, "test", "t") : Result<Store::Received>(Error{Code::kIoError, "not stored"});
      auto n = (*s)->list()->size();
      EXPECT_EQ(n, r ? 1u : 0u) << "steps " << steps;  // a row exists only when every original is stored
      if (r) {
        EXPECT_EQ((*s)->audit(r->id)->front().at, "2027-01-02T03:04:05Z");  // the Env's clock
      }
    }
    auto again = Store::open(dir);  // restart with a healthy file system: the source is offered again
    ASSERT_TRUE(again);
    for (const auto& f : p.files) ASSERT_TRUE((*again)->put_object(f.bytes));
    auto r = (*again)->receive(p, "test", "t");
    ASSERT_TRUE(r) << r.error().message;
    auto all = (*again)->list();
    ASSERT_EQ(all->size(), 1u) << "steps " << steps;
    auto loaded = (*again)->load(r->id);
    ASSERT_TRUE(loaded);
    for (size_t i = 0; i < p.files.size(); ++i) EXPECT_EQ(loaded->files[i].bytes, p.files[i].bytes);
    // No temp file is left where an original belongs.
    for (auto& e : fs::recursive_directory_iterator(dir + "/objects"))
      EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << e.path();
    fs::remove_all(dir);
  }
}

TEST_F(StoreTest, InformationRequestEmailCannotInjectHeaders) {
  std::string id = add("eml", Disposition::kNeedsInformation);
  auto rec = store_->get(id);
  rec->title = "Evil\r\nBcc: everyone@example.org";
  std::string eml = information_request_eml(*rec, "CLEE-REQ-ABCDEFGHJK", "note", "Pat", "Thu, 05 Mar 2026 10:00:00 +0000");
  std::string headers = eml.substr(0, eml.find("\r\n\r\n"));
  EXPECT_EQ(headers.find("\r\nBcc:"), std::string::npos) << headers;
  EXPECT_NE(eml.find("Subject: [CLEE-REQ-ABCDEFGHJK]"), std::string::npos);
}

}  // namespace
}  // namespace clee
