// Person names as forms and CVs write them (pipeline/names.cpp), and CV name headings
// (pipeline/understand_cv.cpp).
#include <gtest/gtest.h>

#include "pipeline/names.h"
#include "pipeline/text.h"
#include "pipeline/understand.h"

namespace clee {
namespace {

bool same(const char* a, const char* b) { return same_person(parse_person_name(a), parse_person_name(b)); }

TEST(PersonNames, RanksDegreesRetiredAndInitialsAreIgnored) {
  EXPECT_TRUE(same("Sgt. John A. Miller (ret.)", "John Miller"));
  EXPECT_TRUE(same("Cpl. Angela M. Ruiz, MS, CPP", "Ruiz, Angela M."));
  EXPECT_TRUE(same("Dr. Helen Vance", "HELEN M. VANCE, PH.D."));
  EXPECT_TRUE(same("Tpr. Luis Ortega", "Trooper Luis A. Ortega"));
  EXPECT_TRUE(same("J. Miller", "John Miller"));  // an initial is no contradiction
}

TEST(PersonNames, FamilyNameFirstWithSeveralWords) {
  auto n = parse_person_name("Garcia-Lopez, Maria");
  EXPECT_EQ(n.given, "maria");
  EXPECT_EQ(n.family, "lopez");
  EXPECT_TRUE(same("Garcia-Lopez, Maria", "Maria Garcia-Lopez"));
  EXPECT_TRUE(same("Van Dyke, Peter", "Peter Van Dyke"));
  // Capitals after the comma are credentials, not a given name.
  auto c = parse_person_name("Maria Lopez, CISSP");
  EXPECT_EQ(c.given, "maria");
  EXPECT_EQ(c.family, "lopez");
}

TEST(PersonNames, ShortFormsOfGivenNames) {
  EXPECT_TRUE(same("Bob Kaminski", "Robert J. Kaminski"));
  EXPECT_TRUE(same("Sam Ortiz", "Det. Samuel K. Ortiz"));
  EXPECT_TRUE(same("Chris Hale", "Christopher Hale"));
  EXPECT_FALSE(same("Jane Miller", "John Miller"));
  EXPECT_FALSE(same("John Miller", "John Muller-Schmidt"));
}

TEST(PersonNames, ComparedAfterUnicodeFolding) {
  EXPECT_TRUE(same("José Núñez-O’Brien", "JOSE NUNEZ-O'BRIEN"));
  EXPECT_TRUE(same("Aurélie Lefèvre", "Aurelie Lefevre"));
  EXPECT_TRUE(same("Sean O’Brien", "Sean OBrien"));
  EXPECT_TRUE(same("Łukasz Wójcik", "LUKASZ WOJCIK"));
  EXPECT_FALSE(same("José Núñez", "José Nuno"));
  EXPECT_EQ(text::name_key("José Núñez-O’Brien"), text::name_key("JOSE NUNEZ-O'BRIEN"));
  EXPECT_EQ(text::name_key("Ça  Va,  Ltd."), "ca va ltd");
}

TEST(CvHeadings, NamesAmongHeadingLines) {
  EXPECT_EQ(name_heading("JOSÉ NÚÑEZ-O’BRIEN"), "José Núñez-O’Brien");
  EXPECT_EQ(name_heading("JOHN A. MILLER"), "John A. Miller");
  EXPECT_EQ(name_heading("HELEN M. VANCE, PH.D."), "Helen M. Vance, PH.D.");
  EXPECT_EQ(name_heading("Resume of Sgt. Ann Lee"), "Sgt. Ann Lee");
  EXPECT_EQ(name_heading("Ann Lee | 717-555-0100 | alee@example.org"), "Ann Lee");
  EXPECT_EQ(name_heading("Paul Novak |"), "Paul Novak");
  EXPECT_FALSE(name_heading("Curriculum Vitae"));
  EXPECT_FALSE(name_heading("Professional Experience"));
  EXPECT_FALSE(name_heading("Education"));
}

}  // namespace
}  // namespace clee
