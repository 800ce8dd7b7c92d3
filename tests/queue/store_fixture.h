// The fixture the store's tests share, run once per backend (gtest value-parameterized): a fresh
// data folder on a FaultEnv (settable clock, injectable failures) with a fresh queue — the SQLite
// file in that folder, or a new database on the test's own PostgreSQL server — and helpers to add
// packets in a given state and to reach the database beneath the Store.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "queue/sql.h"
#include "queue/store.h"
#include "tests/support/fault_env.h"
#include "tests/support/pg_server.h"

namespace clee {

enum class Backend { kSqlite, kPostgres };

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : name)
      if (c == '/') c = '_';
    dir_ = testing::TempDir() + "/store-" + std::to_string(::getpid()) + "-" + name;
    std::filesystem::remove_all(dir_);
    env_.set_time(*parse_utc("2026-03-05T10:00:00Z"));
    options_ = fresh_options();
    auto s = Store::open(dir_, &env_, options_);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    rules_.clee_id_format = "CLEE-{year}-{seq:04}";
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  bool postgres() const { return GetParam() == Backend::kPostgres; }
  // Options for a queue of its own: SQLite keeps it in the data folder, PostgreSQL gets a new
  // database.
  StoreOptions fresh_options() const {
    StoreOptions o;
    if (postgres()) o.url = test::PgServer::shared().new_database();
    return o;
  }
  // The database beneath the store, reached without the Store (as a person with a SQL client).
  std::unique_ptr<sql::Db> raw_db() {
    if (postgres()) {
      auto db = sql::connect_postgres(options_.url, {});
      EXPECT_TRUE(db) << db.error().message;
      return db ? std::move(*db) : nullptr;
    }
    sqlite3* raw = nullptr;
    EXPECT_EQ(sqlite3_open((dir_ + "/clee.sqlite").c_str(), &raw), 0);
    return sql::sqlite_db(raw);
  }

  Packet packet(const std::string& content) {
    Packet p;
    p.source = "test:" + content;
    p.files.push_back(SourceFile::in_memory("a.txt", content));
    return p;
  }
  // A checked packet (in `store`, by default the test's).
  std::string add(const std::string& content, Disposition disposition = Disposition::kReadyForReview,
                  Store* store = nullptr) {
    Store& s = store ? *store : *store_;
    Packet p = packet(content);
    for (auto& f : p.files) EXPECT_TRUE(s.put_object(f.bytes));
    auto r = s.receive(p, "test", "tester");
    EXPECT_TRUE(r) << r.error().message;
    auto lease = s.claim(r->id, "tester");
    EXPECT_TRUE(lease) << lease.error().message;
    Report rep;
    rep.disposition = disposition;
    rep.complete = disposition == Disposition::kReadyForReview;
    rep.fields.course_title = "Course " + content;
    rep.fields.credit_hours = 8;
    rep.fields.contact_name = "Pat";
    rep.fields.contact_email = "pat@example.org";
    EXPECT_TRUE(s.save_report(*lease, rep, "tester"));
    return r->id;
  }
  // A received packet (not yet checked).
  std::string receive(const std::string& content) {
    Packet p = packet(content);
    EXPECT_TRUE(store_->put_object(p.files[0].bytes));
    auto r = store_->receive(p, "test", "t");
    EXPECT_TRUE(r) << r.error().message;
    return r->id;
  }

  test::FaultEnv env_;
  StoreOptions options_;
  std::string dir_;
  std::unique_ptr<Store> store_;
  RulePack rules_;
};

// Tests of what only the SQLite file has (its header, its WAL, a folder that holds it).
class SqliteStoreTest : public StoreTest {};

#define CLEE_BOTH_BACKENDS(Suite)                                                                        \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::Values(Backend::kSqlite, Backend::kPostgres), \
                           backend_name)

}  // namespace clee
