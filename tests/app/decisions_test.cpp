// The approval period from the course dates (app/decisions.h): approving on 1 December 2026 a
// course dated March 2027 approves it through 2027-12-31 by default; --year and --years change
// it; a warning names every course date the period leaves out.
#include <gtest/gtest.h>

#include "app/decisions.h"

namespace clee::app {
namespace {

PacketRecord dated(const std::string& dates) {
  PacketRecord p;
  p.id = "P-1";
  p.received_at = "2026-11-20T09:00:00Z";
  p.report = {{"fields", {{"dates", dates}}}};
  return p;
}

TEST(ApprovalPlan, ACourseNextYearIsApprovedForNextYear) {
  auto plan = plan_approval(dated("March 9-10, 2027"), "2026-12-01", std::nullopt, 1);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->default_year, 2027);
  EXPECT_EQ(plan->year, 2027);
  EXPECT_EQ(plan->expires_on, "2027-12-31");
  EXPECT_TRUE(plan->warnings.empty());
  EXPECT_EQ(plan->course_dates, "March 9-10, 2027");
}

TEST(ApprovalPlan, ThisYearLeavesTheCourseOutAndSaysSo) {
  auto plan = plan_approval(dated("March 9-10, 2027"), "2026-12-01", 2026, 1);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->expires_on, "2026-12-31");
  ASSERT_EQ(plan->warnings.size(), 1u);
  EXPECT_NE(plan->warnings[0].find("2026-12-31"), std::string::npos) << plan->warnings[0];
  // Two years from this year cover it again.
  auto two = plan_approval(dated("March 9-10, 2027"), "2026-12-01", 2026, 2);
  ASSERT_TRUE(two);
  EXPECT_EQ(two->expires_on, "2027-12-31");
  EXPECT_TRUE(two->warnings.empty());
}

TEST(ApprovalPlan, SeasonsListsAndNoDates) {
  EXPECT_EQ(plan_approval(dated("Spring 2027"), "2026-12-01", std::nullopt, 1)->year, 2027);
  EXPECT_EQ(plan_approval(dated("December 14, 2026 and January 11, 2027"), "2026-12-01", std::nullopt, 1)->year, 2026);
  // The list's January date is outside a 2026 approval.
  EXPECT_EQ(plan_approval(dated("December 14, 2026 and January 11, 2027"), "2026-12-01", std::nullopt, 1)->warnings.size(), 1u);
  auto none = plan_approval(dated(""), "2026-12-01", std::nullopt, 3);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->year, 2026);
  EXPECT_EQ(none->expires_on, "2028-12-31");
  EXPECT_TRUE(none->warnings.empty());
}

TEST(ApprovalPlan, ImpossiblePeriodsAreRefused) {
  EXPECT_EQ(plan_approval(dated("March 2027"), "2026-12-01", 2025, 1).error().code, Code::kUsage);
  EXPECT_EQ(plan_approval(dated("March 2027"), "2026-12-01", 2032, 1).error().code, Code::kUsage);
  EXPECT_EQ(plan_approval(dated("March 2027"), "2026-12-01", std::nullopt, 0).error().code, Code::kUsage);
  EXPECT_EQ(plan_approval(dated("March 2027"), "2026-12-01", std::nullopt, 11).error().code, Code::kUsage);
}

}  // namespace
}  // namespace clee::app
