// queue/migrate.cpp: an office's SQLite queue copied to a PostgreSQL store reads back the same
// (packets, reports with page texts, files, audit log, decisions, catalog, CLEE counters, source
// records), numbering goes on where it stopped, a re-run writes nothing, a destination holding
// another queue is refused, and a copy that would not read back equal is never kept.
#include <gtest/gtest.h>

#include <filesystem>

#include "pipeline/report_json.h"
#include "queue/exports.h"
#include "queue/migrate.h"
#include "tests/queue/store_fixture.h"

namespace clee {
namespace {
namespace fs = std::filesystem;

// store_ is the SQLite source (the parameter is kSqlite); each test migrates into a new database.
class MigrateTest : public StoreTest {
 protected:
  std::unique_ptr<Store> destination() {
    StoreOptions o;
    o.url = test::PgServer::shared().new_database();
    auto s = Store::open(dir_, &env_, o);
    EXPECT_TRUE(s) << s.error().message;
    return s ? std::move(*s) : nullptr;
  }
  // A queue with something of everything.
  void fill() {
    approved_ = add("approved course");
    ASSERT_TRUE(store_->approve(approved_, "Pat", 2, rules_));
    ASSERT_TRUE(store_->reject(add("rejected course"), "Sam", "basic academy material"));
    std::string asked = add("needs a CV", Disposition::kNeedsInformation);
    ASSERT_TRUE(store_->request_info(asked, "Pat", "Please send the instructor's CV — merci"));
    std::string checked = receive("with a report");
    auto lease = store_->claim(checked, "t");
    ASSERT_TRUE(lease);
    Report r;
    r.fields.course_title = "Übung: Drone Operations";
    r.fields.credit_hours = 7.25;
    UnderstoodDocument u;
    u.name = "outline.pdf";
    u.doc.name = "outline.pdf";
    u.doc.sha256 = std::string(64, 'b');
    u.doc.pages = {Page{1, "Module 1 — 2 hours\n\"quoted\" text", false, -1, 0}, Page{2, "scan", true, 61.5, 90}};
    r.documents.push_back(u);
    r.findings = {{Code::kMissingDocument, Severity::kError, "No CV", "", {}},
                  {Code::kMissingDocument, Severity::kError, "No CV", "", {}}};  // identical rows are kept twice
    r.disposition = Disposition::kNeedsInformation;
    ASSERT_TRUE(store_->save_report(*lease, r, "t"));
    std::string failed = receive("failed one");
    auto l2 = store_->claim(failed, "t");
    ASSERT_TRUE(store_->release_failed(*l2, Error{Code::kInternal, "bad_alloc"}, "t"));
    receive("still waiting");
    ASSERT_TRUE(store_->remember_source("maildir:office:123", approved_));
    ASSERT_TRUE(store_->note_source_attempt("inbox:broken.zip", Error{Code::kIoError, "EIO"}));
  }
  static std::string catalog_rows(Store& s) { return catalog_csv(*s.catalog("2026-06-01")); }
  std::string approved_;
};

TEST_P(MigrateTest, TheCopyReadsBackTheSameAndNumberingGoesOn) {
  fill();
  auto to = destination();
  ASSERT_TRUE(to);
  auto r = migrate_queue(*store_, *to);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->verified());
  EXPECT_FALSE(r->done_before);
  EXPECT_EQ(r->originals_missing, 0u);
  ASSERT_EQ(r->from.size(), 10u);  // every table, the outbox included
  EXPECT_EQ(r->from[0].table, "packets");
  EXPECT_EQ(r->from[0].rows, 6u);
  // What the reviewers see is the same on both stores.
  auto a = store_->list(), b = to->list();
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->size(), b->size());
  for (size_t i = 0; i < a->size(); ++i) {
    const PacketRecord &x = (*a)[i], &y = (*b)[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.status, y.status);
    EXPECT_EQ(x.title, y.title);
    EXPECT_EQ(x.hours, y.hours);
    EXPECT_EQ(x.clee_id, y.clee_id);
    EXPECT_EQ(x.error, y.error);
    EXPECT_EQ(x.report.dump(), y.report.dump());
    auto ea = store_->audit(x.id), eb = to->audit(y.id);
    ASSERT_EQ(ea->size(), eb->size());
    for (size_t k = 0; k < ea->size(); ++k) {
      EXPECT_EQ((*ea)[k].seq, (*eb)[k].seq);
      EXPECT_EQ((*ea)[k].detail, (*eb)[k].detail);
    }
    if (!x.report.is_null()) {
      EXPECT_EQ(report_to_json(*store_->load_report(x.id)).dump(), report_to_json(*to->load_report(y.id)).dump());
    }
    EXPECT_EQ(store_->document_texts(x.id)->dump(), to->document_texts(y.id)->dump());
  }
  EXPECT_EQ(catalog_rows(*store_), catalog_rows(*to));
  EXPECT_EQ(to->packet_for_source("maildir:office:123"), approved_);
  EXPECT_EQ(*to->note_source_attempt("inbox:broken.zip", Error{Code::kIoError, "EIO"}), 2);
  // The next CLEE ID and the next audit event follow the copied ones.
  auto next = to->approve(add("after the move", Disposition::kReadyForReview, to.get()), "Pat", 1, rules_);
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->clee_id, "CLEE-2026-0002");
  int64_t last_seq = store_->audit("")->back().seq;
  EXPECT_GT(to->audit("")->back().seq, last_seq);
}

TEST_P(MigrateTest, ARunAgainWritesNothingAndAnotherQueueIsRefused) {
  fill();
  auto to = destination();
  ASSERT_TRUE(to);
  ASSERT_TRUE(migrate_queue(*store_, *to));
  size_t events = to->audit("")->size();
  auto again = migrate_queue(*store_, *to);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->done_before);
  EXPECT_EQ(to->audit("")->size(), events);
  // The source moved on (a packet more): it is no longer the queue the destination holds.
  receive("arrived after the move");
  auto other = migrate_queue(*store_, *to);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, Code::kStoreError);
  EXPECT_NE(other.error().message.find("refusing to merge"), std::string::npos) << other.error().message;
  EXPECT_EQ(to->audit("")->size(), events);
}

// A file name that is not UTF-8 (kept byte for byte by SQLite) cannot be stored as such by
// PostgreSQL: the copy would differ, so it is rolled back whole and the operator is told.
TEST_P(MigrateTest, ACopyThatWouldNotReadBackEqualIsNotKept) {
  Packet p;
  p.source = "inbox:latin1";
  p.files.push_back(SourceFile::in_memory("Lebenslauf M\xfcller.txt", "a CV"));
  ASSERT_TRUE(store_->put_object(p.files[0].bytes));
  p.files[0].sha256 = *store_->put_object(p.files[0].bytes);
  ASSERT_TRUE(store_->receive(p, "test", "t"));
  auto to = destination();
  ASSERT_TRUE(to);
  auto r = migrate_queue(*store_, *to);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("does not match"), std::string::npos) << r.error().message;
  EXPECT_TRUE(to->list()->empty());
}

INSTANTIATE_TEST_SUITE_P(SqliteToPostgres, MigrateTest, ::testing::Values(Backend::kSqlite), backend_name);

}  // namespace
}  // namespace clee
