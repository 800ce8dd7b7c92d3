// Renewals (app/renewal.h): a packet naming an approved course's CLEE ID, or the same provider
// with a near-identical title, is matched to that approval, and what changed is listed.
#include <gtest/gtest.h>

#include "app/renewal.h"
#include "tests/support/fault_env.h"

namespace clee::app {
namespace {

class RenewalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "/renewal-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    env_.set_time(*parse_utc("2026-03-05T10:00:00Z"));
    store_ = std::move(*Store::open(dir_, &env_));
    rules_.clee_id_format = "CLEE-{year}-{seq:04}";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string add(const std::string& provider, const std::string& title, double hours,
                  std::vector<std::string> instructors, std::vector<OutlineBlock> blocks, const std::string& text = "") {
    Packet p;
    p.source = "test:" + provider + title + std::to_string(hours) + text;
    p.files.push_back(SourceFile::in_memory("a.txt", p.source));
    EXPECT_TRUE(store_->put_object(p.files[0].bytes));
    auto r = store_->receive(p, "test", "t");
    if (!r) ADD_FAILURE() << r.error().message;
    if (!r) return "";
    auto lease = store_->claim(r->id, "t");
    if (!lease) ADD_FAILURE() << lease.error().message;
    if (!lease) return "";
    Report rep;
    rep.disposition = Disposition::kReadyForReview;
    rep.fields.provider_name = provider;
    rep.fields.course_title = title;
    rep.fields.credit_hours = hours;
    rep.fields.instructors = instructors;
    rep.outline.blocks = blocks;
    UnderstoodDocument d;
    d.name = "form.txt";
    d.doc.pages.push_back({1, text.empty() ? title : text, false, -1, 0});
    rep.documents.push_back(d);
    EXPECT_TRUE(store_->save_report(*lease, rep, "t"));
    return r->id;
  }
  test::FaultEnv env_;
  std::string dir_;
  std::unique_ptr<Store> store_;
  RulePack rules_;
};

TEST(RenewalTitles, NearIdenticalMeansTheSameCourseInOtherWords) {
  EXPECT_TRUE(near_identical_titles("Advanced Crash Reconstruction Using Event Data Recorders",
                                    "Advanced crash reconstruction with event data recorders"));
  EXPECT_TRUE(near_identical_titles("Mobile Device Forensics", "MOBILE DEVICE FORENSICS"));
  EXPECT_FALSE(near_identical_titles("Mobile Device Forensics", "Mobile Device Forensics II: Cloud Sources"));
  EXPECT_FALSE(near_identical_titles("Advanced Defensive Tactics", "Advanced Crash Reconstruction"));
  EXPECT_FALSE(near_identical_titles("", ""));
}

TEST_F(RenewalTest, SameProviderNearIdenticalTitleShowsThePreviousApprovalAndWhatChanged) {
  std::string old = add("Keystone PSTI", "Advanced Crash Reconstruction Using Event Data Recorders", 16,
                        {"Sgt. John A. Miller", "Dr. Maria Lopez"},
                        {{"EDR architecture", 2}, {"Momentum analysis", 4}, {"Testimony", 2}});
  auto a = store_->approve(old, "Pat", Store::ApprovalTerm{2026, 1}, rules_);
  ASSERT_TRUE(a);
  std::string now = add("Keystone PSTI", "Advanced Crash Reconstruction with Event Data Recorders", 20,
                        {"Sgt. John A. Miller", "Officer David Chen"},
                        {{"EDR architecture", 2}, {"Momentum analysis", 6}, {"Drone mapping", 4}});
  auto r = find_renewal(*store_, *store_->get(now));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->clee_id, a->clee_id);
  EXPECT_EQ(r->found_by, "same provider, near-identical title");
  std::vector<std::string> seen;
  for (const auto& c : r->changes) seen.push_back(c.what + ": " + c.detail);
  EXPECT_EQ(seen, (std::vector<std::string>{"Credit hours: 16 → 20", "Instructor added: Officer David Chen",
                                            "Instructor removed: Dr. Maria Lopez", "Outline block added: Drone mapping (4 h)",
                                            "Outline block hours: Momentum analysis: 4 → 6",
                                            "Outline block removed: Testimony (2 h)"}));
  // Another provider's course of the same name is no renewal.
  std::string other = add("Lehigh Valley Police Academy", "Advanced Crash Reconstruction Using Event Data Recorders", 16, {}, {});
  EXPECT_FALSE(find_renewal(*store_, *store_->get(other)));
}

TEST_F(RenewalTest, APreviousCleeIdInThePacketsTextFindsTheApprovalWhateverTheTitle) {
  std::string old = add("Allegheny Digital Forensics Academy", "Mobile Device Forensic Extraction", 24, {"Det. Ortiz"}, {});
  auto a = store_->approve(old, "Pat", Store::ApprovalTerm{2026, 1}, rules_);
  ASSERT_TRUE(a);
  std::string renamed = add("ADFA", "Smartphone Extraction for Investigators", 24, {"Det. Ortiz"}, {},
                            "Previous CLEE course number: " + a->clee_id + "\nCourse Title: Smartphone Extraction");
  auto r = find_renewal(*store_, *store_->get(renamed));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->found_by, "the packet names " + a->clee_id);
  EXPECT_TRUE(r->changes.empty());
  // An ID that is only a prefix of the text's token does not count.
  std::string near = add("X", "Y", 1, {}, {}, "Ref " + a->clee_id + "9");
  EXPECT_FALSE(find_renewal(*store_, *store_->get(near)));
}

}  // namespace
}  // namespace clee::app
