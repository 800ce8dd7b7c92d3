// The reviewer's commands through the real binary, on the bundled sample packets (what
// scripts/setup.sh runs): ingest (twice: duplicates exit 0), queue list, approve with a CLEE ID,
// catalog as of a date, roster, reject, request-info (.eml in outbox/), retry, illegal
// transitions refused, every decision in the audit history with who and why.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/support/shell.h"

namespace {
namespace fs = std::filesystem;

using clee::test::Ran;

Ran run(const std::string& cmd) { return clee::test::run_status(cmd + " 2>/dev/null"); }

class Review : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(testing::TempDir()) / ("review-" + std::to_string(::getpid()) + "-" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  Ran cli(const std::string& args) {
    return run(std::string(CLEE_BINARY) + " --log-level off --data " + (root_ / "data").string() + " " + args);
  }
  std::string samples() const {
    std::string s;
    for (const char* p : {"combined-packet.pdf", "edr-reconstruction", "firearms-refresher.zip", "missing-cv.eml"})
      s += std::string(" ") + CLEE_SOURCE_DIR + "/samples/" + p;
    return s;
  }
  nlohmann::json list(const std::string& extra = "") { return nlohmann::json::parse(cli("queue list --json " + extra).out); }
  std::string first_with(const std::string& status) {
    for (const auto& p : list())
      if (p["status"] == status) return p["id"];
    return "";
  }
  fs::path root_;
};

TEST_F(Review, IngestTwiceReportsDuplicatesAndExitsZero) {
  Ran first = cli("ingest" + samples());
  EXPECT_EQ(first.status, 0) << first.out;
  EXPECT_EQ(list().size(), 4u);
  Ran again = cli("ingest" + samples());
  EXPECT_EQ(again.status, 0) << again.out;
  size_t dups = 0;
  for (size_t p = again.out.find("duplicate_packet"); p != std::string::npos; p = again.out.find("duplicate_packet", p + 1)) ++dups;
  EXPECT_EQ(dups, 4u) << again.out;
  EXPECT_EQ(list().size(), 4u);
  // The table view works too, and a filter narrows it.
  EXPECT_NE(cli("queue list").out.find("STATUS"), std::string::npos);
  for (const auto& p : list("--status needs_information")) EXPECT_EQ(p["status"], "needs_information");
}

TEST_F(Review, ApproveGivesSequentialCleeIdsCatalogAndRoster) {
  ASSERT_EQ(cli("ingest" + samples()).status, 0);
  std::string id = first_with("ready_for_review");
  ASSERT_FALSE(id.empty()) << list().dump();
  // A unique prefix is enough.
  Ran ok = cli("approve " + id.substr(0, 7) + " --reviewer 'Pat Reviewer'");
  ASSERT_EQ(ok.status, 0) << ok.out;
  std::istringstream f(ok.out);
  std::string pid, state, clee_id, expires_word, expires;
  f >> pid >> state >> clee_id >> expires_word >> expires;
  EXPECT_EQ(pid, id);
  EXPECT_EQ(state, "approved");
  std::string year = expires.substr(0, 4);
  EXPECT_EQ(expires, year + "-12-31");  // the approval year's end
  EXPECT_NE(clee_id.find(year), std::string::npos) << clee_id;
  // Approving twice is an illegal transition.
  EXPECT_NE(cli("approve " + id + " --reviewer Pat").status, 0);
  // Catalog: the course is there this year, gone after expiry.
  std::string csv = cli("catalog --format csv --as-of " + year + "-12-31").out;
  EXPECT_NE(csv.find(clee_id), std::string::npos) << csv;
  EXPECT_EQ(cli("catalog --format csv --as-of " + std::to_string(std::stoi(year) + 1) + "-01-01").out.find(clee_id),
            std::string::npos);
  EXPECT_NE(cli("catalog --format html --as-of " + year + "-06-30").out.find("<table"), std::string::npos);
  // Roster: CLEE ID, Act 120 note, blank officer rows.
  std::string roster = cli("roster " + id + " --format csv").out;
  EXPECT_NE(roster.find(clee_id), std::string::npos);
  EXPECT_NE(roster.find("Act 120"), std::string::npos);
  EXPECT_NE(roster.find("Officer Name"), std::string::npos);
  // The next approval this year takes the next number.
  std::string other = first_with("needs_information");
  ASSERT_FALSE(other.empty());
  Ran second = cli("approve " + other + " --reviewer Pat --years 2");
  ASSERT_EQ(second.status, 0);
  std::istringstream g(second.out);
  std::string id2, st2, clee2, ew2, exp2;
  g >> id2 >> st2 >> clee2 >> ew2 >> exp2;
  EXPECT_GT(clee2, clee_id);
  EXPECT_EQ(exp2, std::to_string(std::stoi(year) + 1) + "-12-31");
  // A roster only exists for approved courses.
  std::string pending = first_with("ready_for_review");
  if (!pending.empty()) {
    EXPECT_NE(cli("roster " + pending).status, 0);
  }
  // History: who and why.
  std::string history = cli("show " + id + " --format md").out;
  EXPECT_NE(history.find("Pat Reviewer: approved"), std::string::npos) << history;
}

TEST_F(Review, RejectRequestInfoAndRetryLandInTheAuditLog) {
  ASSERT_EQ(cli("ingest" + samples()).status, 0);
  std::string a = first_with("ready_for_review"), b = first_with("needs_information");
  ASSERT_FALSE(a.empty());
  ASSERT_FALSE(b.empty());
  EXPECT_NE(cli("reject " + a + " --reviewer Pat").status, 0);  // a reason is required
  ASSERT_EQ(cli("reject " + a + " --reviewer Pat --reason 'Annual refresher content'").status, 0);
  EXPECT_NE(cli("approve " + a + " --reviewer Pat").status, 0);  // rejected is final
  Ran req = cli("request-info " + b + " --reviewer Sam --message 'Please send the missing CV.'");
  ASSERT_EQ(req.status, 0);
  std::istringstream f(req.out);
  std::string id, state, token, path;
  f >> id >> state >> token >> path;
  EXPECT_EQ(state, "info_requested");
  ASSERT_TRUE(fs::exists(path)) << req.out;
  EXPECT_EQ(fs::path(path).parent_path().filename(), "outbox");
  std::ifstream in(path);
  std::string eml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(eml.find("Subject: "), std::string::npos);
  EXPECT_NE(eml.find(token), std::string::npos);
  EXPECT_NE(eml.find("Please send the missing CV."), std::string::npos);
  // Retry checks a packet again (info_requested → processing → its disposition).
  Ran retry = cli("retry " + b);
  EXPECT_EQ(retry.status, 0);
  auto show = nlohmann::json::parse(cli("show " + a + " --format json").out);
  EXPECT_TRUE(show.is_object());
  std::string hist = cli("show " + a).out + cli("show " + b).out;
  EXPECT_NE(hist.find("Pat: rejected — Annual refresher content"), std::string::npos) << hist;
  EXPECT_NE(hist.find("Sam: info_requested — Please send the missing CV."), std::string::npos) << hist;
  EXPECT_NE(hist.find("cli: retry"), std::string::npos) << hist;
  EXPECT_NE(cli("show P-nonexistent").status, 0);
}

}  // namespace
