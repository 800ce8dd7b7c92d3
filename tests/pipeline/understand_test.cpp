// Units of understanding and validation on hand-made Documents: names, labels, negation, rules.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "pipeline/names.h"
#include "pipeline/understand.h"
#include "validators/validators.h"

namespace clee {
namespace {

RulePack rules() {
  auto r = load_rules(std::string(CLEE_SOURCE_DIR) + "/rules/pa-mpoetc.toml");
  EXPECT_TRUE(r);
  return *r;
}

UnderstoodDocument doc(const std::string& name, const std::string& text, DocType type) {
  UnderstoodDocument u;
  u.name = name;
  u.doc.name = name;
  u.doc.format = Format::kText;
  u.doc.pages.push_back(Page{1, text, false, -1, 0});
  u.type = type;
  u.last_page = 1;
  return u;
}

TEST(Names, SamePersonDespiteRanksDegreesInitialsAndOrder) {
  auto a = parse_person_name("Sgt. John A. Miller (ret.)");
  EXPECT_EQ(a.family, "miller");
  EXPECT_EQ(a.given, "john");
  EXPECT_TRUE(same_person(a, parse_person_name("JOHN MILLER")));
  EXPECT_TRUE(same_person(a, parse_person_name("Miller, John A.")));
  EXPECT_TRUE(same_person(parse_person_name("Dr. Maria Lopez, LCSW"), parse_person_name("Maria T. Lopez, Ph.D., LCSW")));
  EXPECT_FALSE(same_person(a, parse_person_name("Maria Lopez")));
  EXPECT_FALSE(same_person(a, parse_person_name("Jane Miller")));
}

TEST(Names, SplittingAnInstructorsValue) {
  EXPECT_EQ(split_names("Sgt. John A. Miller (ret.); Dr. Maria Lopez, LCSW"),
            (std::vector<std::string>{"Sgt. John A. Miller (ret.)", "Dr. Maria Lopez, LCSW"}));
  EXPECT_EQ(split_names("Miller, John"), (std::vector<std::string>{"Miller, John"}));
  EXPECT_EQ(split_names("John Miller and Maria Lopez"), (std::vector<std::string>{"John Miller", "Maria Lopez"}));
  EXPECT_EQ(split_names("John Miller, Maria Lopez"), (std::vector<std::string>{"John Miller", "Maria Lopez"}));
}

TEST(Fields, LabelOnOneLineValueOnTheNextAndOcrSlips) {
  // Labels nobody on the team used in a fixture, one with an OCR slip ("Cource Title").
  auto form = doc("scan.pdf",
                  "Application for CLEE Credit\nName of Provider\nWestern PA Tactical LLC\nCource Title: Low-Light "
                  "Tactical Decision Making\nClock Hours: Eight (8)\nFacilitators: Lt. Dana Kerr / Ofc. Ray Ito\n"
                  "Coordinator: Sam Hill   sam.hill@wpatac.com   412 555 0100\n",
                  DocType::kRequestForm);
  Fields f = extract_fields(form, rules());
  EXPECT_EQ(f.provider_name, "Western PA Tactical LLC");
  EXPECT_EQ(f.course_title, "Low-Light Tactical Decision Making");
  EXPECT_EQ(f.credit_hours, 8);
  ASSERT_TRUE(f.instructors);
  EXPECT_EQ(f.instructors->size(), 2u);
  EXPECT_EQ(f.contact_email, "sam.hill@wpatac.com");
  EXPECT_FALSE(f.provider_number);  // not on the form: null, never a guess
}

TEST(Fields, TabbedLabelsHintsInBracketsAndTwoPartLabels) {
  // Plain text (no layout): "Label:<TAB>value", a label's hint in brackets on its own line, a
  // label naming two things whose value holds both.
  auto form = doc("request.txt",
                  "CLEE Course Request\nCourse Title:\tCrisis Negotiation for Patrol Officers\n"
                  "Training Provider\n(less than 60 characters)\nKeystone Negotiators Institute\n"
                  "Name and Title of Contact Person\nDana Whitfield, Training Coordinator\n",
                  DocType::kRequestForm);
  Fields f = extract_fields(form, rules());
  EXPECT_EQ(f.course_title, "Crisis Negotiation for Patrol Officers");
  EXPECT_EQ(f.provider_name, "Keystone Negotiators Institute");
  EXPECT_EQ(f.contact_name, "Dana Whitfield");
}

TEST(Fields, LayoutPairsFirstTheirBracketedHintsStripped) {
  // Pairs as an extractor's layout gives them: a hint kept with its label, a two-part label.
  auto form = doc("grid.pdf", "Course Title (less than 60 characters)\nName and Title of Contact Person\n",
                  DocType::kRequestForm);
  form.doc.key_values = {
      {"Course Title (less than 60 characters)", "Report Writing for Supervisors", 1, Box{72, 100, 200, 110},
       Box{220, 100, 400, 110}},
      {"Name and Title of Contact Person", "Lt. Ana Ruiz, Academy Director", 1, Box{72, 120, 200, 130},
       Box{220, 120, 400, 130}}};
  Fields f = extract_fields(form, rules());
  EXPECT_EQ(f.course_title, "Report Writing for Supervisors");
  EXPECT_EQ(f.contact_name, "Lt. Ana Ruiz");
  bool boxed = false;
  for (const auto& e : f.evidence) boxed |= e.rule == "course_title" && e.box && e.box->x0 == 72;
  EXPECT_TRUE(boxed) << "the evidence keeps the pair's region";
}

TEST(Outline, HoursFromLinesAndTimeRanges) {
  auto o = doc("outline.txt",
               "Lesson Plan: Low-Light Tactics\nLearning Objectives\n1. Demonstrate flashlight techniques.\n"
               "2. Apply low-light target identification.\nAgenda\nBlock 1 - Physiology of vision (2 hours)\n"
               "Block 2 - Flashlight techniques (3 hrs)\n1300-1600 Live-fire low-light drills\n",
               DocType::kCourseOutline);
  Outline out = extract_outline(o, rules());
  ASSERT_EQ(out.blocks.size(), 3u);
  EXPECT_EQ(out.total_hours, 8);
  EXPECT_EQ(out.objectives.size(), 2u);
}

TEST(Content, NegationAndTitleCap) {
  RulePack rp = rules();
  auto validator = make_content_validator();
  Report r;
  r.fields.course_title = "Advanced Patrol Procedures";
  r.documents.push_back(doc("o.pdf", "This course reviews the basic academy patrol procedures. Officers refresh the fundamentals.",
                            DocType::kCourseOutline));
  r.outline.document = "o.pdf";
  validator->validate(rp, r);
  EXPECT_EQ(r.content.verdict, Verdict::kNotAdvanced);

  Report n;
  n.documents.push_back(doc("o.pdf",
                            "This is not a refresher course. Participants learn new skills in advanced forensic analysis "
                            "of vehicle infotainment systems.",
                            DocType::kCourseOutline));
  validator->validate(rp, n);
  EXPECT_EQ(n.content.verdict, Verdict::kAdvanced);
  for (const auto& e : n.content.evidence) EXPECT_FALSE(e.quote.empty());
}

TEST(Rules, MistakeReportedWithFileAndLine) {
  std::string path = testing::TempDir() + "/bad.toml";
  std::ofstream(path) << "jurisdiction = \"X\"\n[documents]\nrequired = [\"request_form\"]\n\n[[content.patterns]]\n"
                         "id = \"r\"\ncategory = \"refresh\"\nall = [[\"x\"]]\n";
  auto r = load_rules(path);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, path + ":7: unknown category 'refresh'");
  std::ofstream(path) << "jurisdiction = \n";
  auto s = load_rules(path);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message.rfind(path + ":1: ", 0), 0u) << s.error().message;
}

}  // namespace
}  // namespace clee
