// A rule pack per source (app/common.cpp, app/intake.cpp) and a reviewer's area correction
// (app/corrections.cpp): [inbox] rules and [[mail]] rules are read from the config; one service
// judges each source's packets by its own pack; the report records the pack (path, jurisdiction,
// sha256) and the store keeps its bytes, so a re-check after the file changed — or was deleted —
// reproduces the verdict; a corrected area lands in the audit log, in the saved report, and
// survives every later check.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "app/common.h"
#include "base/hash.h"
#include "app/corrections.h"
#include "pipeline/runner.h"

namespace clee::app {
namespace {
namespace fs = std::filesystem;

const std::string kSrc = CLEE_SOURCE_DIR;
const std::string kContent = kSrc + "/tests/pipeline/data/content/";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class RulePacks : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(testing::TempDir()) / ("packs-" + std::to_string(::getpid()) + "-" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "inbox");
    fs::copy(kSrc + "/rules/mo-post.toml", root_ / "mo.toml");
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string write_config(const std::string& extra = "") {
    std::string path = (root_ / "clee.toml").string();
    std::ofstream(path) << "data_dir = \"" << (root_ / "data").string() << "\"\n"
                        << "rules = \"" << kSrc << "/rules/pa-mpoetc.toml\"\n"
                        << "[inbox]\npath = \"" << (root_ / "inbox").string() << "\"\nrules = \"" << (root_ / "mo.toml").string()
                        << "\"\n[[mail]]\nname = \"pa-office\"\nmaildir = \"" << (root_ / "Maildir").string()
                        << "\"\n[[mail]]\nname = \"mo-office\"\nmaildir = \"" << (root_ / "Maildir-mo").string()
                        << "\"\nrules = \"" << (root_ / "mo.toml").string() << "\"\n"
                        << extra;
    return path;
  }
  std::unique_ptr<Pipeline> pipeline() {
    auto c = load_config(write_config());
    EXPECT_TRUE(c) << (c ? "" : c.error().message);
    auto p = make_pipeline(*c);
    EXPECT_TRUE(p) << (p ? "" : p.error().message);
    return p ? std::move(*p) : nullptr;
  }
  // Ingests a content fixture as if it came from `source`; a cover note makes each copy a packet
  // of its own (duplicates are recognised by content).
  std::string ingest_as(Store& store, const Pipeline& p, const std::string& fixture, const std::string& source) {
    fs::path copy = root_ / ("copy-" + std::to_string(copies_++));
    fs::copy(kContent + fixture, copy, fs::copy_options::recursive);
    std::ofstream(copy / "note.txt") << "Cover note " << copies_ << "\n";
    auto packet = load_packet(copy.string(), Limits{});
    EXPECT_TRUE(packet);
    packet->source = source;
    auto in = ingest(store, std::move(*packet), source.substr(0, source.find(':')), "test", p);
    EXPECT_TRUE(in) << (in ? "" : in.error().message);
    return in ? in->id : "";
  }
  nlohmann::json report(Store& store, const std::string& id) {
    auto rec = store.get(id);
    EXPECT_TRUE(rec);
    return rec ? rec->report : nlohmann::json();
  }
  fs::path root_;
  int copies_ = 0;
};

TEST_F(RulePacks, ConfigNamesAPackPerSource) {
  auto c = load_config(write_config());
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->inbox.rules, (root_ / "mo.toml").string());
  ASSERT_EQ(c->mail.size(), 2u);
  EXPECT_EQ(c->mail[0].rules, "");
  EXPECT_EQ(c->mail[1].rules, (root_ / "mo.toml").string());
  auto bad = load_config(write_config("[[mail]]\nname = \"x\"\nmaildir = \"/m\"\nrules = 3\n"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, (root_ / "clee.toml").string() + ":16: [[mail]] #3 rules must be a string, got an integer");
  // A pack that does not load stops the pipeline, naming the source and the pack's own line.
  std::ofstream(root_ / "mo.toml", std::ios::app) << "\n[content]\nmin_overlap = \"half\"\n";
  auto broken = make_pipeline(*c);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().message.rfind("[inbox] rules: " + (root_ / "mo.toml").string() + ":", 0), 0u) << broken.error().message;
}

TEST_F(RulePacks, EachSourceIsJudgedByItsPackAndTheReportRecordsIt) {
  auto p = pipeline();
  ASSERT_TRUE(p);
  EXPECT_EQ(p->rules_for("inbox:mo_multi_area").jurisdiction, "Missouri POST");
  EXPECT_EQ(p->rules_for("mail:mo-office <a@b>").jurisdiction, "Missouri POST");
  EXPECT_EQ(p->rules_for("mail:pa-office <a@b>").jurisdiction, "Pennsylvania MPOETC");  // names none: the default
  EXPECT_EQ(p->rules_for("mail:mo-office-2 x").jurisdiction, "Pennsylvania MPOETC");
  EXPECT_EQ(p->rules_for("/path/given/to/ingest").jurisdiction, "Pennsylvania MPOETC");
  auto store = Store::open((root_ / "data").string());
  ASSERT_TRUE(store);
  // The same Missouri in-service day, once through each source.
  std::string mo = ingest_as(**store, *p, "mo_policy_update", "inbox:mo_policy_update");
  std::string pa = ingest_as(**store, *p, "mo_policy_update", "mail:pa-office <x@y>");
  nlohmann::json jmo = report(**store, mo), jpa = report(**store, pa);
  EXPECT_EQ(jmo["rules"]["jurisdiction"], "Missouri POST");
  EXPECT_EQ(jmo["rules"]["path"], (root_ / "mo.toml").string());
  EXPECT_EQ(jmo["rules"]["sha256"], sha256_hex(slurp(root_ / "mo.toml")));
  EXPECT_EQ(jmo["content"]["verdict"], "advanced");  // Missouri counts agency policy updates
  EXPECT_EQ(jmo["content"]["areas"][0]["area"], "technical_studies");
  EXPECT_EQ(jpa["rules"]["jurisdiction"], "Pennsylvania MPOETC");
  EXPECT_EQ(jpa["content"]["verdict"], "not_advanced");  // Pennsylvania does not
  EXPECT_EQ(jpa["content"]["category"], "department_policy");
  EXPECT_TRUE(jpa["content"]["areas"].empty());
  // The pack's bytes are kept with the originals.
  EXPECT_TRUE(fs::exists((*store)->object_path(jmo["rules"]["sha256"])));
}

TEST_F(RulePacks, ARecheckUsesTheRecordedPackEvenAfterTheFileChangedOrWent) {
  auto p = pipeline();
  ASSERT_TRUE(p);
  auto store = Store::open((root_ / "data").string());
  ASSERT_TRUE(store);
  std::string id = ingest_as(**store, *p, "mo_policy_update", "inbox:mo_policy_update");
  nlohmann::json first = report(**store, id);
  ASSERT_EQ(first["content"]["verdict"], "advanced");
  // The office edits the pack: policy no longer approvable. A new pipeline (a restart) reads it.
  std::string text = slurp(root_ / "mo.toml");
  std::string from = "approvable = [\"new_or_advanced\", \"department_policy\",";
  ASSERT_NE(text.find(from), std::string::npos);
  text.replace(text.find(from), from.size(), "approvable = [\"new_or_advanced\",");
  std::ofstream(root_ / "mo.toml", std::ios::trunc) << text;
  auto restarted = pipeline();
  ASSERT_TRUE(restarted);
  ASSERT_NE(restarted->rules_for("inbox:x").sha256, first["rules"]["sha256"]);
  ASSERT_TRUE((*store)->retry(id, "test"));
  ASSERT_TRUE(process(**store, id, "test", *restarted));
  nlohmann::json again = report(**store, id);
  EXPECT_EQ(again["rules"]["sha256"], first["rules"]["sha256"]);  // the pack it was judged by
  EXPECT_EQ(again["rules"]["path"], first["rules"]["path"]);
  EXPECT_EQ(again["content"]["verdict"], "advanced");            // the same verdict
  // A packet arriving now is judged by the edited pack.
  std::string fresh = ingest_as(**store, *restarted, "mo_policy_update", "inbox:again");
  EXPECT_EQ(report(**store, fresh)["content"]["verdict"], "not_advanced");
  // The file deleted: the store's copy still judges the first packet.
  fs::remove(root_ / "mo.toml");
  fs::copy(kSrc + "/rules/pa-mpoetc.toml", root_ / "mo.toml");
  auto third = pipeline();
  ASSERT_TRUE(third);
  ASSERT_TRUE((*store)->retry(id, "test"));
  ASSERT_TRUE(process(**store, id, "test", *third));
  EXPECT_EQ(report(**store, id)["rules"]["jurisdiction"], "Missouri POST");
  EXPECT_EQ(report(**store, id)["content"]["verdict"], "advanced");
}

TEST_F(RulePacks, AnAreaCorrectionIsAuditedSavedAndSurvivesARecheck) {
  auto p = pipeline();
  ASSERT_TRUE(p);
  auto store = Store::open((root_ / "data").string());
  ASSERT_TRUE(store);
  std::string id = ingest_as(**store, *p, "mo_drones", "inbox:mo_drones");
  nlohmann::json before = report(**store, id);
  ASSERT_EQ(before["content"]["blocks"][1]["area"], "technical_studies");
  ASSERT_TRUE(correct_area(**store, id, 1, "skill_development_other", "kim"));
  nlohmann::json after = report(**store, id);
  EXPECT_EQ(after["content"]["blocks"][1]["area"], "skill_development_other");
  EXPECT_EQ(after["content"]["blocks"][1]["area_by"], "kim");
  std::map<std::string, double> hours;
  for (const auto& a : after["content"]["areas"]) hours[a["area"]] = a["hours"];
  EXPECT_EQ(hours, (std::map<std::string, double>{{"technical_studies", 2}, {"skill_development_other", 2}}));
  auto rec = (*store)->get(id);
  EXPECT_EQ(rec->status, PacketStatus::kReady);
  auto audit = (*store)->audit(id);
  ASSERT_TRUE(audit);
  bool logged = false;
  for (const auto& e : *audit)
    logged |= e.action == kAreaCorrected && e.actor == "kim" &&
              e.detail == "block 2 \"Thermal search flights\": technical_studies -> skill_development_other";
  EXPECT_TRUE(logged);
  // Checked again from scratch (a retry): the correction is re-applied from the log.
  ASSERT_TRUE((*store)->retry(id, "test"));
  ASSERT_TRUE(process(**store, id, "test", *p));
  EXPECT_EQ(report(**store, id)["content"]["blocks"][1]["area"], "skill_development_other");
  // Refused: an area the pack does not declare, a block that is not there, a decided packet.
  EXPECT_EQ(correct_area(**store, id, 1, "electives", "kim").code(), Code::kUsage);
  EXPECT_EQ(correct_area(**store, id, 9, "legal_studies", "kim").code(), Code::kNotFound);
  ASSERT_TRUE((*store)->reject(id, "kim", "test"));
  EXPECT_EQ(correct_area(**store, id, 0, "legal_studies", "kim").code(), Code::kInvalidTransition);
}

TEST(AreaCorrections, DetailRoundTripsWithQuotesInTheTitle) {
  AreaCorrection c{3, "The \"new\" rules\\ today", "legal_studies", "technical_studies", ""};
  AuditEvent e{1, "p", "t", "kim", kAreaCorrected, area_correction_detail(c)};
  auto back = parse_area_correction(e);
  ASSERT_TRUE(back) << e.detail;
  EXPECT_EQ(back->index, 3u);
  EXPECT_EQ(back->title, c.title);
  EXPECT_EQ(back->from, "legal_studies");
  EXPECT_EQ(back->to, "technical_studies");
  EXPECT_EQ(back->by, "kim");
  e.action = "approved";
  EXPECT_FALSE(parse_area_correction(e));
  e.action = kAreaCorrected;
  e.detail = "block 1 \"x\": a -> B C";
  EXPECT_FALSE(parse_area_correction(e));
}

}  // namespace
}  // namespace clee::app
