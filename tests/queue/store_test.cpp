// The durable queue: state machine, CLEE IDs and expiry, catalog, audit log, duplicates, and the
// durability order under injected file-system failures (a failing fsync through the Env seam).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "extractors/util.h"
#include "pipeline/report_json.h"
#include "queue/exports.h"
#include "queue/store.h"
#include "tests/queue/store_fixture.h"

namespace clee {
namespace {
namespace fs = std::filesystem;


TEST_P(StoreTest, StateMachine) {
  EXPECT_TRUE(transition_allowed(PacketStatus::kReceived, PacketStatus::kProcessing));
  EXPECT_TRUE(transition_allowed(PacketStatus::kReady, PacketStatus::kApproved));
  EXPECT_TRUE(transition_allowed(PacketStatus::kInfoRequested, PacketStatus::kReceived));
  EXPECT_FALSE(transition_allowed(PacketStatus::kInfoRequested, PacketStatus::kProcessing));
  EXPECT_FALSE(transition_allowed(PacketStatus::kApproved, PacketStatus::kRejected));
  EXPECT_FALSE(transition_allowed(PacketStatus::kReceived, PacketStatus::kApproved));
  std::string id = add("one");
  ASSERT_TRUE(store_->reject(id, "Pat", "basic academy material"));
  Status again = store_->reject(id, "Pat", "twice");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Code::kInvalidTransition);
  EXPECT_FALSE(store_->approve(id, "Pat", 1, rules_));
}

TEST_P(StoreTest, CleeIdsAreSequentialPerYearWithExpiry) {
  auto a = store_->approve(add("a"), "Pat", 1, rules_);
  auto b = store_->approve(add("b"), "Pat", 3, rules_);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->clee_id, "CLEE-2026-0001");
  EXPECT_EQ(a->expires_on, "2026-12-31");
  EXPECT_EQ(b->clee_id, "CLEE-2026-0002");
  EXPECT_EQ(b->expires_on, "2028-12-31");
  env_.set_time(*parse_utc("2027-01-02T09:00:00Z"));
  auto c = store_->approve(add("c"), "Pat", 1, rules_);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->clee_id, "CLEE-2027-0001");
}

TEST_P(StoreTest, CatalogDropsExpiredCourses) {
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

TEST_P(StoreTest, DuplicateBytesAreRecognised) {
  std::string id = add("same");
  Packet p = packet("same");
  auto r = store_->receive(p, "test", "tester");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->duplicate);
  EXPECT_EQ(r->id, id);
  EXPECT_EQ(store_->list()->size(), 1u);
}

TEST_P(StoreTest, AuditLogIsAppendOnlyAndRecordsDecisions) {
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
  // Not even a person with a SQL client on the database can change or remove an event.
  auto db = raw_db();
  ASSERT_TRUE(db);
  Status update = db->exec("UPDATE audit SET actor='mallory'");
  EXPECT_FALSE(update);
  EXPECT_NE(update.error().message.find("append-only"), std::string::npos) << update.error().message;
  EXPECT_FALSE(db->exec("DELETE FROM audit"));
  if (postgres()) {
    EXPECT_FALSE(db->exec("TRUNCATE audit"));
  }
  db.reset();
  EXPECT_EQ(store_->audit(id)->size(), events->size());
}

TEST_P(StoreTest, ReplyJoinsThePacketAndIsCheckedAgain) {
  std::string id = add("reply", Disposition::kNeedsInformation);
  ASSERT_TRUE(store_->request_info(id, "Pat", ""));
  std::string cv = "a CV";
  ASSERT_TRUE(store_->put_object(cv));
  ASSERT_TRUE(store_->add_files(id, {SourceFile::in_memory("cv.txt", cv)}, "mail"));
  EXPECT_EQ(store_->get(id)->status, PacketStatus::kReceived);
  auto loaded = store_->load(id);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->files.size(), 2u);
  EXPECT_EQ(loaded->files[1].bytes, "a CV");
}

TEST_P(StoreTest, SchemaIsVersionedAndReopenedWithoutChange) {
  store_.reset();
  auto again = Store::open(dir_, Env::Default(), options_);
  ASSERT_TRUE(again) << again.error().message;
  auto db = raw_db();
  ASSERT_TRUE(db);
  {
    sql::Stmt v(*db, postgres() ? "SELECT version FROM clee_schema" : "PRAGMA user_version");
    ASSERT_TRUE(v.step());
    EXPECT_EQ(v.integer(0), postgres() ? 2 : 5);  // the outbox: PostgreSQL 2, SQLite 5
  }
  if (!postgres()) {
    sql::Stmt mode(*db, "PRAGMA journal_mode");
    ASSERT_TRUE(mode.step());
    EXPECT_EQ(mode.text(0), "wal");
  }
  // A queue from a newer clee-intake is refused, not silently downgraded.
  ASSERT_TRUE(db->exec(postgres() ? "UPDATE clee_schema SET version=99" : "PRAGMA user_version=99"));
  db.reset();
  again->reset();
  auto newer = Store::open(dir_, Env::Default(), options_);
  ASSERT_FALSE(newer);
  EXPECT_EQ(newer.error().code, Code::kCorrupt);
  EXPECT_NE(newer.error().message.find("newer"), std::string::npos);
}

TEST_P(StoreTest, PrefixesResolveUniquely) {
  std::string id = add("prefix");
  EXPECT_EQ(*store_->resolve(id.substr(0, 6)), id);
  EXPECT_FALSE(store_->resolve("P-zzzz"));
  add("another");
  EXPECT_FALSE(store_->resolve("P-"));  // ambiguous now
}

// Fault injection through the Env seam: the original's fsync fails.
TEST_P(StoreTest, NoPacketRowWithoutItsStoredOriginals) {
  test::FaultEnv env;
  auto s = Store::open(dir_ + "-faulty", &env, fresh_options());
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
TEST_P(StoreTest, CrashAtEveryStepLosesNothingAndDoublesNothing) {
  Packet p;
  p.source = "crash-steps";
  for (std::string c : {"form bytes", "outline bytes", "cv bytes"}) p.files.push_back(SourceFile::in_memory(c + ".txt", c));
  for (int steps = 0; steps <= 8; ++steps) {
    std::string dir = dir_ + "-crash" + std::to_string(steps);
    fs::remove_all(dir);
    StoreOptions fresh = fresh_options();
    ASSERT_TRUE(Store::open(dir, Env::Default(), fresh));  // the data folder exists already, as in production
    {
      // A process that dies after `steps` file-system operations: every later write, rename or
      // folder creation fails, as if the power went (what was written durably before stays).
      test::FaultEnv env;
      env.set_time(*parse_utc("2027-01-02T03:04:05Z"));
      auto s = Store::open(dir, &env, fresh);
      ASSERT_TRUE(s) << s.error().message;
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
    auto again = Store::open(dir, Env::Default(), fresh);  // restart, healthy: the source is offered again
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

// Defect 5: a kill during an object write left objects/xx/….tmp.PID.N forever. A temp file no
// live writer touched for a minute is removed when the data folder is opened.
TEST_P(StoreTest, StaleTempFilesAreCleanedAtStartUp) {
  std::string shard = dir_ + "/objects/ab";
  fs::create_directories(shard);
  std::string stale = shard + "/cdef.tmp.4242.7", fresh = shard + "/cdee.tmp.4243.1";
  std::ofstream(stale) << std::string(1 << 20, 'x');
  std::ofstream(fresh) << "being written";
  // The stale one was last written two minutes before "now"; the fresh one just now.
  fs::last_write_time(stale, fs::file_time_type::clock::now() - std::chrono::minutes(2));
  store_.reset();
  env_.set_time(Env::Default()->now_seconds());
  auto again = Store::open(dir_, &env_, options_);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(fresh));
}

// Defect 18: a zero-length clee.sqlite was taken as a new empty queue, orphaning the originals.
TEST_P(SqliteStoreTest, AnEmptyOrForeignDatabaseBesideOriginalsIsRefused) {
  add("something stored");
  store_.reset();
  fs::resize_file(dir_ + "/clee.sqlite", 0);
  fs::remove(dir_ + "/clee.sqlite-wal");
  fs::remove(dir_ + "/clee.sqlite-shm");
  auto empty = Store::open(dir_, Env::Default(), options_);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, Code::kCorrupt);
  EXPECT_NE(empty.error().message.find(dir_ + "/clee.sqlite is empty"), std::string::npos) << empty.error().message;
  std::ofstream(dir_ + "/clee.sqlite", std::ios::trunc) << "this is not a database, just some text in its place";
  auto foreign = Store::open(dir_, Env::Default(), options_);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, Code::kCorrupt);
  EXPECT_NE(foreign.error().message.find("clee.sqlite: file is not a database"), std::string::npos) << foreign.error().message;
}

// Defect 20: read-only commands on a read-only data folder ("unable to open database file").
TEST_P(StoreTest, ReadOnlyOpenWorksOnAReadOnlyFolder) {
  // (Root ignores permission bits, so under root this shows the read-only open itself: no folder
  // made, no migration, no write.)
  std::string id = add("read me");
  store_.reset();
  fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec);
  StoreOptions ro = options_;
  ro.read_only = true;
  auto s = Store::open(dir_, Env::Default(), ro);
  fs::permissions(dir_, fs::perms::owner_all);
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ((*s)->list()->size(), 1u);
  EXPECT_EQ((*s)->get(id)->title, "Course read me");
  Status w = (*s)->append_audit(id, "x", "y", "z");
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, Code::kReadOnly) << w.error().message;
  // Nothing ingested yet (no data folder; on PostgreSQL, an empty database): nothing to read.
  StoreOptions ro_missing = fresh_options();
  ro_missing.read_only = true;
  auto none = Store::open(dir_ + "-nowhere", Env::Default(), ro_missing);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Code::kNotFound) << none.error().message;
  EXPECT_FALSE(fs::exists(dir_ + "-nowhere"));  // a read-only command creates nothing
}

// A reader that opens a queue a writer has just created and not yet migrated (schema 0) sees an
// empty queue, not an error ("needs upgrading").
TEST_P(SqliteStoreTest, AQueueBeingCreatedReadsAsNothingQueuedYet) {
  std::string dir = dir_ + "-new";
  fs::create_directories(dir);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir + "/clee.sqlite").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr), SQLITE_OK);
  StoreOptions ro;
  ro.read_only = true;
  auto s = Store::open(dir, &env_, ro);  // (the FaultEnv's clock: its wait for a writer is instant)
  sqlite3_close(db);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Code::kNotFound) << s.error().message;
  fs::remove_all(dir);
}

// The queue stores the report through the model's codec; what is read back equals what was saved,
// page texts included.
TEST_P(StoreTest, AReportReadBackEqualsTheOneSaved) {
  std::string id = receive("round trip");
  auto lease = store_->claim(id, "t");
  ASSERT_TRUE(lease);
  Report r;
  r.source = "inbox:round trip";
  r.received_at = "2026-03-05T10:00:00Z";
  UnderstoodDocument u;
  u.name = "Packet.pdf (pages 2-3)";
  u.type = DocType::kCourseOutline;
  u.first_page = 2;
  u.last_page = 3;
  u.type_score = 4.5;
  u.doc.name = "Packet.pdf";
  u.doc.sha256 = std::string(64, 'a');
  u.doc.format = Format::kPdf;
  u.doc.pages = {Page{2, "Module 1 — 2 hours\nÜbung", false, -1, 0}, Page{3, "scanned text", true, 71.5, 90}};
  u.doc.warnings = {"page 3: rotated"};
  r.documents.push_back(u);
  r.fields.course_title = "Drone Operations";
  r.fields.credit_hours = 7.5;
  r.fields.instructors = std::vector<std::string>{"A. Person"};
  r.fields.evidence = {{"form.docx", 1, "Course Title: Drone Operations", "course_title"}};
  r.missing = {"instructor_cv"};
  r.content.verdict = Verdict::kNotAdvanced;
  r.content.category = Category::kAnnualRefresher;
  r.content.evidence = {{"Packet.pdf", 2, "annual refresher", "refresher: \"annual\""}};
  r.findings = {{Code::kMissingDocument, Severity::kError, "No CV", "", {}},
                {Code::kHoursMismatch, Severity::kWarning, "7.5 vs 8", "form.docx", {{"form.docx", 1, "8", "total"}}}};
  r.disposition = Disposition::kNeedsInformation;
  r.outline.title = "Drone Operations";
  r.outline.blocks = {{"Module 1", 2.0}, {"Lunch", std::nullopt}};
  r.cvs = {{std::string("A. Person"), {"FAA Part 107"}, "cv.pdf"}};
  ASSERT_TRUE(store_->save_report(*lease, r, "t"));
  auto back = store_->load_report(id);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(report_to_json(*back).dump(), report_to_json(r).dump());
  ASSERT_EQ(back->documents.size(), 1u);
  ASSERT_EQ(back->documents[0].doc.pages.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(back->documents[0].doc.pages[i].text, r.documents[0].doc.pages[i].text);
    EXPECT_EQ(back->documents[0].doc.pages[i].number, r.documents[0].doc.pages[i].number);
    EXPECT_EQ(back->documents[0].doc.pages[i].ocr, r.documents[0].doc.pages[i].ocr);
    EXPECT_EQ(back->documents[0].doc.pages[i].ocr_confidence, r.documents[0].doc.pages[i].ocr_confidence);
    EXPECT_EQ(back->documents[0].doc.pages[i].rotation, r.documents[0].doc.pages[i].rotation);
  }
}

// Defect 1, the store's half: an original of any size is streamed in whole (never read into
// memory), and loading the packet for a check leaves an over-limit original on disk.
TEST_P(StoreTest, LargeOriginalsAreStreamedWholeAndLoadedByPath) {
  std::string big_path = dir_ + "-big.bin";
  {
    std::ofstream out(big_path, std::ios::binary);
    for (int i = 0; i < 3 * 1024; ++i) out << std::string(1024, static_cast<char>('a' + i % 26));
  }
  auto sha = store_->put_object_file(big_path);
  ASSERT_TRUE(sha) << sha.error().message;
  std::string whole = *Env::Default()->read_file(big_path);
  EXPECT_EQ(*sha, sha256_hex(whole));
  EXPECT_EQ(fs::file_size(store_->object_path(*sha)), whole.size());
  Packet p;
  p.source = "big";
  SourceFile f;
  f.label = "big.bin";
  f.sha256 = *sha;
  f.size = whole.size();
  f.path = big_path;
  p.files.push_back(f);
  SourceFile link;
  link.label = "passwd";
  link.refused = Error{Code::kUnsafeEntry, "symbolic link, not followed"};
  p.files.push_back(link);
  auto r = store_->receive(p, "test", "t");
  ASSERT_TRUE(r) << r.error().message;
  auto loaded = store_->load(r->id, 1024 * 1024);
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->files.size(), 2u);
  EXPECT_TRUE(loaded->files[0].bytes.empty());
  EXPECT_EQ(loaded->files[0].path, store_->object_path(*sha));
  EXPECT_EQ(loaded->files[0].size, whole.size());
  ASSERT_TRUE(loaded->files[1].refused);
  EXPECT_EQ(loaded->files[1].refused->code, Code::kUnsafeEntry);
  auto all = store_->load(r->id);
  EXPECT_EQ(all->files[0].bytes, whole);
  // A link is never streamed through.
  fs::create_symlink("/etc/passwd", dir_ + "-link");
  auto via_link = store_->put_object_file(dir_ + "-link");
  ASSERT_FALSE(via_link);
  EXPECT_EQ(via_link.error().code, Code::kUnsafeEntry);
  fs::remove(dir_ + "-link");
  fs::remove(big_path);
}

TEST_P(StoreTest, InformationRequestEmailCannotInjectHeaders) {
  std::string id = add("eml", Disposition::kNeedsInformation);
  auto rec = store_->get(id);
  rec->title = "Evil\r\nBcc: everyone@example.org";
  std::string eml = information_request_eml(*rec, "CLEE-REQ-ABCDEFGHJK", "note", "Pat", "Thu, 05 Mar 2026 10:00:00 +0000");
  std::string headers = eml.substr(0, eml.find("\r\n\r\n"));
  EXPECT_EQ(headers.find("\r\nBcc:"), std::string::npos) << headers;
  EXPECT_NE(eml.find("Subject: [CLEE-REQ-ABCDEFGHJK]"), std::string::npos);
}

CLEE_BOTH_BACKENDS(StoreTest);
INSTANTIATE_TEST_SUITE_P(Sqlite, SqliteStoreTest, ::testing::Values(Backend::kSqlite), backend_name);

}  // namespace
}  // namespace clee
