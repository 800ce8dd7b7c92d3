// validators/content.cpp, blocks.cpp, statements.cpp, curriculum.cpp, areas.cpp: statements with
// their context, term overlap against the basic curriculum, one judgement per block weighed by
// hours, the course judged whole when there is no schedule, uncertain only for too little, and
// Missouri's hours per area (scaled, rounded, corrected by a reviewer).
#include <cmath>
#include <map>

#include "test_reports.h"
#include "validators/areas.h"
#include "validators/content.h"
#include "validators/validators.h"

namespace clee {
namespace {
using namespace testing_reports;

Report with_outline(const std::string& title, const std::string& text) {
  Report r;
  r.fields.course_title = title;
  r.documents.push_back(doc("form.pdf", DocType::kRequestForm, "Course Title: " + title));
  UnderstoodDocument o = doc("outline.pdf", DocType::kCourseOutline, "");
  o.doc.pages = {Page{1, "Course Outline", false, -1, 0}, Page{2, text, false, -1, 0}};
  r.documents.push_back(o);
  r.outline.document = "outline.pdf";
  make_content_validator()->validate(pa_rules(), r);
  return r;
}

// An outline with a purpose paragraph and a schedule: "Title (N hours)" lines on page 1.
Report with_blocks(const std::string& title, const std::string& purpose, const std::vector<std::pair<std::string, double>>& blocks,
                   const RulePack& rules, std::optional<double> credit_hours = std::nullopt) {
  Report r;
  r.fields.course_title = title;
  r.fields.credit_hours = credit_hours;
  r.documents.push_back(doc("form.pdf", DocType::kRequestForm, "Course Title: " + title));
  std::string text = title + "\nPurpose\n" + purpose + "\nSchedule\n";
  for (const auto& [t, h] : blocks) {
    text += t + " (" + std::to_string(static_cast<int>(h)) + " hours)\n";
    r.outline.blocks.push_back({t, h});
  }
  r.documents.push_back(doc("outline.pdf", DocType::kCourseOutline, text));
  r.outline.document = "outline.pdf";
  r.outline.title = title;
  make_content_validator()->validate(rules, r);
  return r;
}

bool quotes(const Report& r, const std::string& text) {
  for (const auto& e : r.content.evidence)
    if (e.quote.find(text) != std::string::npos) return true;
  return false;
}

TEST(Content, EachCategoryIsNamed) {
  struct Case {
    const char* title;
    const char* text;
    const char* category;
  } cases[] = {
      {"Handgun Update", "This annual refresher covers handgun safety. Officers complete it every year.", "annual_refresher"},
      {"Rifle 2027", "Officers shoot the annual qualification course of fire. Requalify with a score of 80%.",
       "requalification"},
      {"Vehicle Stops", "Participants revisit the basic academy skills of a traffic stop as taught in the academy.",
       "basic_academy"},
      {"Pursuit Changes", "Officers learn the department policy on pursuits. General Order 4.1 is explained.",
       "department_policy"},
  };
  for (const auto& c : cases) {
    Report r = with_outline(c.title, c.text);
    EXPECT_EQ(r.content.verdict, Verdict::kNotAdvanced) << c.category;
    EXPECT_EQ(category_name(r.content.category), std::string(c.category));
    EXPECT_TRUE(has(r, Code::kNotAdvancedContent));
    ASSERT_FALSE(r.content.evidence.empty());
    EXPECT_EQ(r.content.evidence[0].document, "outline.pdf");
    EXPECT_EQ(r.content.evidence[0].page, 2);  // the page the sentence is on
    EXPECT_FALSE(r.content.evidence[0].rule.empty());
  }
}

TEST(Content, NegatedPhrasesDoNotCount) {
  Report r = with_outline("Mobile Device Forensic Extraction",
                          "This is not a refresher course and there is no review of basic material. Investigators "
                          "learn new skills in advanced forensic analysis of smartphones.");
  EXPECT_EQ(r.content.verdict, Verdict::kAdvanced);
  EXPECT_FALSE(has(r, Code::kNotAdvancedContent));
}

TEST(Content, AdvancedTitleOverReviewContent) {
  Report r = with_outline("Advanced Defensive Tactics",
                          "This course is a review of basic academy defensive tactics. Officers refresh handcuffing.");
  EXPECT_EQ(r.content.verdict, Verdict::kNotAdvanced);
}

TEST(Content, ReviewInItsOtherSensesAndPrerequisitesDoNotCount) {
  Report r = with_outline("Latent Print Comparison",
                          "Prerequisite: completion of the basic latent print course. Examiners learn advanced "
                          "distortion analysis. Each comparison receives a peer review and a technical review. "
                          "Participants conduct a case review of a wrongful identification. Participants present expert "
                          "testimony on a complex comparison in a moot court.");
  EXPECT_EQ(r.content.verdict, Verdict::kAdvanced);
  for (const auto& e : r.content.evidence) EXPECT_EQ(e.rule.find("re-covers"), std::string::npos) << e.quote;
}

TEST(Content, ThinEvidenceIsUncertainAndSaysWhatIsMissing) {
  Report r = with_outline("Patrol Topics", "A day of patrol topics.");
  EXPECT_EQ(r.content.verdict, Verdict::kUncertain);
  ASSERT_TRUE(has(r, Code::kUncertainContent));
  EXPECT_EQ(r.content.missing,
            (std::vector<std::string>{"a schedule of blocks with their hours", "objectives", "a description of what is taught"}));
  EXPECT_NE(r.findings[0].message.find("objectives"), std::string::npos);
}

// The three mistakes of the phrase list.
TEST(Content, EvidenceReviewAndRedactionIsNotARefresher) {
  Report r = with_blocks("Evidence Review and Redaction",
                         "Records staff learn evidence review workflows for body-worn camera footage and the redaction "
                         "of video before release.",
                         {{"Evidence review workflows", 3}, {"Redaction of video and documents", 3}, {"Practical exercise", 2}},
                         pa_rules());
  EXPECT_EQ(r.content.verdict, Verdict::kAdvanced);
  EXPECT_EQ(r.content.category, Category::kNewOrAdvanced);
  for (const auto& b : r.content.blocks) EXPECT_NE(b.category, Category::kAnnualRefresher) << b.title;
  EXPECT_TRUE(quotes(r, "Evidence review workflows (3 hours)"));
}

TEST(Content, ReTeachingAcademyBasicsIsBasicAcademyNotARefresher) {
  Report r = with_blocks("Back to Patrol",
                         "This course re-teaches academy basics to officers back from leave: traffic stops and report writing.",
                         {{"Traffic stops", 4}, {"Report writing", 4}}, pa_rules());
  EXPECT_EQ(r.content.verdict, Verdict::kNotAdvanced);
  EXPECT_EQ(r.content.category, Category::kBasicAcademy);
  ASSERT_EQ(r.content.blocks.size(), 2u);
  EXPECT_EQ(r.content.blocks[0].fit, Fit::kInside);
  EXPECT_EQ(r.content.blocks[0].curriculum, "traffic");
  EXPECT_EQ(r.content.blocks[0].overlap, std::vector<std::string>{"traffic stop"});
}

TEST(Content, ASpecialisedTopicNoPhraseNamesIsNew) {
  Report r = with_blocks("Scene Safety at Clandestine Drug Laboratories", "Responders keep a suspected lab scene safe.",
                         {{"Recognizing clandestine laboratory indicators", 2}, {"Chemical exposure and decontamination", 2}},
                         pa_rules());
  EXPECT_EQ(r.content.verdict, Verdict::kAdvanced);
  EXPECT_FALSE(r.content.evidence.empty());  // never a verdict without quotes
  for (const auto& b : r.content.blocks) {
    EXPECT_EQ(b.fit, Fit::kNew) << b.title;
    EXPECT_EQ(b.evidence.front().rule, "new: not in the basic curriculum");
    EXPECT_EQ(b.evidence.front().page, 1);
  }
}

TEST(Content, VerdictWeighsBlocksByHours) {
  RulePack pa = pa_rules();
  Report most_new = with_blocks("Patrol Day", "A day for patrol officers.", {{"Drone search patterns", 5}, {"Traffic stops", 3}}, pa);
  EXPECT_EQ(most_new.content.verdict, Verdict::kAdvanced);
  EXPECT_DOUBLE_EQ(most_new.content.score, 5.0 / 8);
  Report most_basic = with_blocks("Patrol Day", "A day for patrol officers.", {{"Drone search patterns", 3}, {"Traffic stops", 5}}, pa);
  EXPECT_EQ(most_basic.content.verdict, Verdict::kNotAdvanced);
  EXPECT_EQ(most_basic.content.category, Category::kBasicAcademy);
  EXPECT_NE(most_basic.findings.back().message.find("5 of 8 outline hours"), std::string::npos) << most_basic.findings.back().message;
  Report half = with_blocks("Patrol Day", "A day for patrol officers.", {{"Drone search patterns", 4}, {"Traffic stops", 4}}, pa);
  EXPECT_EQ(half.content.verdict, Verdict::kNotAdvanced);  // "most" hours: half is not most
}

TEST(Content, DepthLiftsAnInsideBlockBeyondTheCurriculum) {
  RulePack pa = pa_rules();
  Report own = with_blocks("Reports", "For investigators.", {{"Expert report writing", 4}}, pa);
  ASSERT_EQ(own.content.blocks.size(), 1u);
  EXPECT_EQ(own.content.blocks[0].fit, Fit::kBeyond);
  EXPECT_EQ(own.content.verdict, Verdict::kAdvanced);
  Report course = with_blocks("Interviews", "Prerequisite: a basic interview course. Investigators learn the PEACE model.",
                              {{"Interview and interrogation", 4}}, pa);
  EXPECT_EQ(course.content.blocks[0].fit, Fit::kBeyond);
  Report none = with_blocks("Interviews", "Investigators practise.", {{"Interview and interrogation", 4}}, pa);
  EXPECT_EQ(none.content.blocks[0].fit, Fit::kInside);
  EXPECT_EQ(none.content.verdict, Verdict::kNotAdvanced);
}

TEST(Content, ExercisesFollowTheCourseAndTheCourseNamesInsideBlocks) {
  Report r = with_blocks("Annual Firearms Refresher", "The yearly refresher every officer completes.",
                         {{"Handgun fundamentals", 2}, {"Practical exercise and written test", 1}, {"Night drone flights", 1}},
                         pa_rules());
  ASSERT_EQ(r.content.blocks.size(), 3u);
  EXPECT_EQ(r.content.blocks[0].category, Category::kAnnualRefresher);  // inside, and the course is a refresher
  EXPECT_EQ(r.content.blocks[1].fit, Fit::kNone);                         // names no topic
  EXPECT_EQ(r.content.blocks[1].category, Category::kAnnualRefresher);
  EXPECT_EQ(r.content.blocks[2].category, Category::kAnnualRefresher);  // the title says the whole course is
  EXPECT_EQ(r.content.verdict, Verdict::kNotAdvanced);
  EXPECT_EQ(r.content.category, Category::kAnnualRefresher);
}

TEST(Content, RecordsThePackItWasJudgedBy) {
  RulePack pa = pa_rules();
  Report r = with_blocks("Drones", "Pilots fly.", {{"Drone search patterns", 4}}, pa);
  EXPECT_EQ(r.rules.sha256, pa.sha256);
  EXPECT_EQ(r.rules.path, pa.path);
  EXPECT_EQ(r.rules.jurisdiction, "Pennsylvania MPOETC");
  EXPECT_TRUE(r.rules.areas.empty());
  EXPECT_TRUE(r.content.areas.empty());  // Pennsylvania declares no areas
}

TEST(Statements, ContextDecidesWhatAPhraseSays) {
  RulePack pa = pa_rules();
  StatementFinder f(pa);
  auto first = [&](const std::string& s) {
    auto v = f.find(s);
    return v.empty() ? std::string("-") : std::string(category_name(v.front().category)) + "/" + v.front().how;
  };
  EXPECT_EQ(first("Officers review basic handcuffing techniques."), "basic_academy/");
  EXPECT_EQ(first("Each comparison receives a peer review."), "-");
  EXPECT_EQ(first("Evidence review of the footage."), "-");
  EXPECT_EQ(first("The team holds a case review of the incident."), "-");
  EXPECT_EQ(first("This is not a refresher course."), "new_or_advanced/negated");
  EXPECT_EQ(first("Open to officers who completed the basic academy."), "new_or_advanced/prerequisite");
  EXPECT_EQ(first("The annual in-service update."), "annual_refresher/");
  // "annual" and "training" more than `within` words apart say nothing about a cycle.
  EXPECT_EQ(first("The annual report of the county medical examiner on overdose deaths guides the training."), "-");
  EXPECT_EQ(first("Qualified immunity and the standard of review."), "-");
  EXPECT_EQ(first("Officers qualify on the state standard."), "requalification/");
  EXPECT_EQ(first("The Township's rules for secondary employment."), "department_policy/");
  EXPECT_EQ(first("Writing a model policy for a drone program."), "-");
}

TEST(Curriculum, StemsAndWholeTermsOnly) {
  EXPECT_EQ(stem("stops"), stem("stop"));
  EXPECT_EQ(stem("interviewing"), stem("interview"));
  EXPECT_EQ(stem("searches"), stem("search"));
  EXPECT_EQ(stem("policies"), stem("policy"));
  EXPECT_NE(stem("trafficking"), stem("traffic"));
  RulePack pa = pa_rules();
  TopicMatcher m(pa);
  TopicMatch stops = m.best(m.words("Traffic Stops"), pa.curriculum);
  ASSERT_TRUE(stops.topic);
  EXPECT_EQ(stops.topic->id, "traffic");
  EXPECT_DOUBLE_EQ(stops.coverage, 1.0);
  EXPECT_FALSE(m.best(m.words("Human trafficking indicators"), pa.curriculum).topic);
  TopicMatch legal = m.best(m.words("Legal aspects of drones"), pa.curriculum);
  EXPECT_DOUBLE_EQ(legal.coverage, 0.5);  // half: not inside (more than min_overlap is needed)
  EXPECT_TRUE(m.words("Practical exercise and written examination").exercise);
  EXPECT_EQ(m.words("Fundamentals review").content, 0u);
  EXPECT_EQ(block_topic("Block 3 – Scene evidence"), "Scene evidence");
  EXPECT_EQ(block_topic("Day 1 Distortion analysis"), "Distortion analysis");
  EXPECT_EQ(block_topic("Hour 2: Supervisor duties"), "Supervisor duties");
  EXPECT_EQ(block_topic("Module IV - Flight evaluation"), "Flight evaluation");
  EXPECT_EQ(block_topic("Unit vehicles and radios"), "Unit vehicles and radios");
}

TEST(Missouri, EachBlockHasAnAreaAndHoursSumToTheCreditHours) {
  Report r = with_blocks("In-Service Day", "A day across the areas.",
                         {{"Case law update", 2}, {"Racial profiling", 1}, {"Implicit bias in traffic stops", 1},
                          {"De-escalation", 2}, {"Handgun live fire", 2}, {"Thermal drone searches", 1}},
                         mo_rules(), 9);
  std::map<std::string, double> got;
  for (const auto& a : r.content.areas) got[a.area] = a.hours;
  EXPECT_EQ(got, (std::map<std::string, double>{{"legal_studies", 2}, {"racial_profiling", 1}, {"implicit_bias", 1},
                                                {"de_escalation", 2}, {"skill_development_firearms", 2},
                                                {"technical_studies", 1}}));
  for (const auto& a : r.content.areas) {
    ASSERT_FALSE(a.evidence.empty()) << a.area;
    EXPECT_EQ(a.evidence[0].document, "outline.pdf");
  }
  EXPECT_EQ(r.content.areas[0].area, "racial_profiling");  // in the order the pack declares them
  EXPECT_EQ(r.content.verdict, Verdict::kAdvanced);
  EXPECT_EQ(r.rules.areas.size(), 8u);
}

TEST(Missouri, PolicyUpdatesAndLiveFireAreApprovableBasicAcademyIsNot) {
  RulePack mo = mo_rules();
  Report policy = with_blocks("Agency Policy Updates", "The department's revised pursuit policy.", {{"Pursuit policy changes", 2}}, mo);
  EXPECT_EQ(policy.content.verdict, Verdict::kAdvanced);
  EXPECT_EQ(policy.content.blocks[0].category, Category::kDepartmentPolicy);
  EXPECT_TRUE(policy.content.blocks[0].approvable);
  EXPECT_EQ(policy.content.areas[0].area, "technical_studies");
  Report pa_policy = with_blocks("Agency Policy Updates", "The department's revised pursuit policy.", {{"Pursuit policy changes", 2}},
                                 pa_rules());
  EXPECT_EQ(pa_policy.content.verdict, Verdict::kNotAdvanced);  // the same course in Pennsylvania
  Report qual = with_blocks("Handgun Qualification", "Officers qualify on the annual course of fire.",
                            {{"Qualification course of fire", 4}}, mo);
  EXPECT_EQ(qual.content.verdict, Verdict::kAdvanced);
  EXPECT_EQ(qual.content.areas[0].area, "skill_development_firearms");
  Report recruit = with_blocks("Recruit Patrol Block", "This block is part of the basic academy recruit training.",
                               {{"Patrol procedures", 4}}, mo);
  EXPECT_EQ(recruit.content.verdict, Verdict::kNotAdvanced);
  EXPECT_EQ(recruit.content.category, Category::kBasicAcademy);
}

TEST(Missouri, HoursAreScaledToTheCreditHoursInQuarterHours) {
  Report r = with_blocks("Three Topics", "Three topics.", {{"Case law", 1}, {"Ethics", 1}, {"Live fire", 1}}, mo_rules(), 4);
  double sum = 0;
  for (const auto& a : r.content.areas) {
    sum += a.hours;
    EXPECT_DOUBLE_EQ(a.hours * 4, std::round(a.hours * 4)) << a.area;
  }
  EXPECT_DOUBLE_EQ(sum, 4);
  ASSERT_EQ(r.content.areas.size(), 3u);
}

TEST(Missouri, AReviewerCorrectsABlocksArea) {
  Report r = with_blocks("Two Topics", "Two topics.", {{"Case law", 2}, {"Thermal drone searches", 2}}, mo_rules(), 4);
  ASSERT_EQ(r.content.blocks[1].area, "technical_studies");
  ASSERT_TRUE(correct_block_area(r, 1, "legal_studies", "kim"));
  EXPECT_EQ(r.content.blocks[1].area_by, "kim");
  ASSERT_EQ(r.content.areas.size(), 1u);
  EXPECT_EQ(r.content.areas[0].area, "legal_studies");
  EXPECT_EQ(r.content.areas[0].hours, 4);
  bool noted = false;
  for (const auto& e : r.content.blocks[1].evidence) noted |= e.rule.find("corrected by kim; was technical_studies") != std::string::npos;
  EXPECT_TRUE(noted);
  EXPECT_EQ(correct_block_area(r, 5, "legal_studies", "kim").code(), Code::kNotFound);
  EXPECT_EQ(correct_block_area(r, 0, "electives", "kim").code(), Code::kUsage);
}

}  // namespace
}  // namespace clee
