// `clee-intake migrate --from sqlite:PATH --to postgresql://…` through the real binary: counts and
// hashes printed per table, the queue then served from PostgreSQL (--store) with the same
// packets and catalog, a second run writes nothing and says so, and bad arguments are usage
// errors (exit 2).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "tests/support/pg_server.h"
#include "tests/support/shell.h"

namespace {
namespace fs = std::filesystem;

using clee::test::Ran;

Ran run(const std::string& cmd) { return clee::test::run_status(cmd); }

class MigrateCli : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(testing::TempDir()) / ("migrate-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
    url_ = clee::test::PgServer::shared().new_database();
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string cli(const std::string& args) {
    return std::string(CLEE_BINARY) + " --log-level off --data " + (root_ / "data").string() + " " + args;
  }
  fs::path root_;
  std::string url_;
};

TEST_F(MigrateCli, CopiesVerifiablyThenServesFromPostgres) {
  std::string packets = std::string(CLEE_SOURCE_DIR) + "/fixtures/packets/";
  ASSERT_EQ(run(cli("ingest " + packets + "complete_advanced_pdf " + packets + "complete_advanced_docx")).status, 0);
  auto before = nlohmann::json::parse(run(cli("queue list --json")).out);
  ASSERT_EQ(before.size(), 2u);
  ASSERT_EQ(run(cli("approve " + before[0]["id"].get<std::string>() + " --reviewer Pat")).status, 0);
  std::string catalog = run(cli("catalog --as-of 2026-06-01")).out;

  Ran m = run(cli("migrate --from sqlite:" + (root_ / "data").string() + " --to " + url_));
  ASSERT_EQ(m.status, 0) << m.out;
  for (const char* table : {"packets", "files", "documents", "findings", "decisions", "audit", "clee_sequence",
                            "sources", "source_attempts"})
    EXPECT_NE(m.out.find(std::string("\n") + table), std::string::npos) << table << "\n" << m.out;
  EXPECT_EQ(m.out.find("DIFFERENT"), std::string::npos) << m.out;
  EXPECT_NE(m.out.find("packets                   2          2"), std::string::npos) << m.out;
  EXPECT_NE(m.out.find("all present"), std::string::npos) << m.out;

  // The same queue, now read from PostgreSQL.
  auto after = nlohmann::json::parse(run(cli("--store " + url_ + " queue list --json")).out);
  EXPECT_EQ(after, nlohmann::json::parse(run(cli("queue list --json")).out));
  EXPECT_EQ(run(cli("--store " + url_ + " catalog --as-of 2026-06-01")).out, catalog);

  // Again: nothing written (the file given instead of the folder works too).
  Ran again = run(cli("migrate --from sqlite:" + (root_ / "data" / "clee.sqlite").string() + " --to " + url_));
  EXPECT_EQ(again.status, 0) << again.out;
  EXPECT_NE(again.out.find("already migrated"), std::string::npos) << again.out;

  EXPECT_EQ(run(cli("migrate --from " + (root_ / "data").string() + " --to " + url_ + " 2>/dev/null")).status, 2);
  EXPECT_EQ(run(cli("migrate --from sqlite:" + (root_ / "data").string() + " --to mysql://db/x 2>/dev/null")).status, 2);
}

}  // namespace
