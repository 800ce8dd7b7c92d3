// pipeline/rules.cpp: the shipped rule packs load; every mistake is reported as FILE:LINE: message.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "base/hash.h"
#include "pipeline/labels.h"
#include "pipeline/rules.h"

namespace clee {
namespace {

std::string write(const std::string& name, const std::string& body) {
  std::string path = testing::TempDir() + "/" + name;
  std::ofstream(path) << body;
  return path;
}

TEST(Rules, ShippedPacksLoad) {
  for (const char* pack : {"pa-mpoetc.toml", "mo-post.toml"}) {
    auto r = load_rules(std::string(CLEE_SOURCE_DIR) + "/rules/" + pack);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_FALSE(r->patterns.empty()) << pack;
    EXPECT_FALSE(r->label_synonyms.empty()) << pack;
    EXPECT_EQ(r->sha256, sha256_hex(r->text)) << pack;  // the hash names exactly the bytes parsed
    EXPECT_EQ(r->text.size(), static_cast<size_t>(std::ifstream(r->path, std::ios::binary | std::ios::ate).tellg()));
  }
  auto pa = load_rules(std::string(CLEE_SOURCE_DIR) + "/rules/pa-mpoetc.toml");
  ASSERT_TRUE(pa);
  EXPECT_GE(pa->curriculum.size(), 10u);  // the Act 120 units
  EXPECT_TRUE(pa->areas.empty());
  EXPECT_EQ(pa->approvable, std::vector<Category>{Category::kNewOrAdvanced});
  auto mo = load_rules(std::string(CLEE_SOURCE_DIR) + "/rules/mo-post.toml");
  ASSERT_TRUE(mo);
  std::vector<std::string> ids;
  for (const auto& a : mo->areas) ids.push_back(a.id);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"de_escalation", "implicit_bias", "interpersonal_perspectives", "legal_studies",
                                           "racial_profiling", "skill_development_firearms", "skill_development_other",
                                           "technical_studies"}));
  EXPECT_EQ(mo->default_area, "technical_studies");
  EXPECT_TRUE(approvable(*mo, Category::kDepartmentPolicy));  // Missouri counts agency policy updates
  EXPECT_TRUE(approvable(*mo, Category::kRequalification));   // and live firearms training
  EXPECT_FALSE(approvable(*mo, Category::kBasicAcademy));
  EXPECT_FALSE(mo->provider_required);
}

TEST(Rules, FromTextIsTheSamePack) {
  auto file = load_rules(std::string(CLEE_SOURCE_DIR) + "/rules/mo-post.toml");
  ASSERT_TRUE(file);
  auto text = load_rules_text(file->text, "store:" + file->sha256);
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(text->sha256, file->sha256);
  EXPECT_EQ(text->path, "store:" + file->sha256);
  EXPECT_EQ(text->areas.size(), file->areas.size());
  EXPECT_EQ(text->patterns.size(), file->patterns.size());
  auto bad = load_rules_text("jurisdiction = 3\n", "store:abc");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message.rfind("store:abc:1: ", 0), 0u) << bad.error().message;
}

TEST(Rules, UnknownCategoryWithFileAndLine) {
  std::string path = write("cat.toml",
                           "jurisdiction = \"X\"\n"
                           "[documents]\n"
                           "required = [\"request_form\"]\n"
                           "\n"
                           "[[content.patterns]]\n"
                           "id = \"r\"\n"
                           "category = \"refresh\"\n"
                           "all = [[\"x\"]]\n");
  auto r = load_rules(path);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, path + ":7: unknown category 'refresh'");
}

TEST(Rules, MisspeltKeyIsNotIgnored) {
  std::string path = write("key.toml",
                           "[[content.patterns]]\n"
                           "id = \"r\"\n"
                           "category = \"annual_refresher\"\n"
                           "phrases = [\"x\"]\n");
  auto r = load_rules(path);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, path + ":4: unknown key 'phrases' in [[content.patterns]] #1");
}

TEST(Rules, PatternGroupsCurriculumAndAreasAreChecked) {
  const std::string head = "jurisdiction = \"X\"\n[documents]\nrequired = [\"request_form\"]\n";
  const std::string pattern = "[[content.patterns]]\nid = \"p\"\ncategory = \"requalification\"\nall = [[\"course of fire\"]]\n";
  struct Case {
    std::string body, message;
  } cases[] = {
      {head + "[[content.patterns]]\nid = \"p\"\ncategory = \"requalification\"\nall = [[]]\n",
       ":7: empty or malformed phrase group in pattern 'p'"},
      {head + "[[content.patterns]]\nid = \"p\"\ncategory = \"requalification\"\n",
       ":4: content pattern 'p' needs all = [[\"phrase\", ...], ...]"},
      {head + "[content]\napprovable = [\"new_or_advanced\", \"refresh\"]\n" + pattern,
       ":5: unknown category 'refresh'"},
      {head + pattern + "[[curriculum]]\nid = \"law\"\nterms = [\"law\"]\n[[curriculum]]\nid = \"law\"\nterms = [\"x\"]\n",
       ":12: two [[curriculum]] entries are named 'law'"},
      {head + pattern + "[[curriculum]]\nid = \"Law Studies\"\nterms = [\"law\"]\n",
       ":9: [[curriculum]] needs an id of lower-case letters, digits and _"},
      {head + pattern + "[[areas]]\nid = \"legal\"\nterms = []\n", ":10: [[areas]] 'legal' has no terms"},
      {head + pattern + "[[areas]]\nid = \"legal\"\nterms = [\"law\"]\n",
       ":4: a pack with [[areas]] needs [content] default_area"},
      {head + "[content]\ndefault_area = \"technical\"\n" + pattern + "[[areas]]\nid = \"legal\"\nterms = [\"law\"]\n",
       ":4: [content] default_area 'technical' is not one of the [[areas]]"},
  };
  for (const auto& c : cases) {
    std::string path = write("pattern.toml", c.body);
    auto r = load_rules(path);
    ASSERT_FALSE(r) << c.body;
    EXPECT_EQ(r.error().message, path + c.message) << c.body;
  }
}

TEST(Rules, TwoFieldsSharingALabel) {
  std::string path = write("labels.toml",
                           "[fields.labels]\n"
                           "provider_name = [\"provider\"]\n"
                           "provider_number = [\"provider no\",\n"
                           "                   \"Provider #\"]\n");
  auto r = load_rules(path);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, path + ":4: label 'Provider #' of provider_number reads the same as 'provider' of provider_name");
}

TEST(Rules, SyntaxErrorHasItsLine) {
  std::string path = write("syntax.toml", "jurisdiction = \"X\"\n[fields]\nrequired = [\"course_title\"\n");
  auto r = load_rules(path);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.rfind(path + ":3: ", 0), 0u) << r.error().message;
}

TEST(Rules, UnknownFieldInLabelWords) {
  std::string path = write("words.toml", "[fields.label_words.course_name]\nall = [[\"course\"]]\n");
  auto r = load_rules(path);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, path + ":1: unknown field 'course_name' in fields.label_words");
}

TEST(Labels, SynonymOcrSlipAndWords) {
  auto r = load_rules(std::string(CLEE_SOURCE_DIR) + "/rules/pa-mpoetc.toml");
  ASSERT_TRUE(r);
  LabelIndex index(*r);
  EXPECT_EQ(index.match("Instructor(s):").field, "instructors");
  EXPECT_EQ(index.match("3. Course Title").field, "course_title");
  EXPECT_EQ(index.match("(b) Hours").field, "credit_hours");
  EXPECT_EQ(index.match("Cource Tit1e").quality, 2);
  EXPECT_EQ(index.match("Cource Tit1e").field, "course_title");
  EXPECT_EQ(index.match("Amount of Credit Requested").field, "credit_hours");
  EXPECT_EQ(index.match("Agency MPOETC #").field, "provider_number");
  EXPECT_EQ(index.match("Name of Training Agency").field, "provider_name");
  EXPECT_EQ(index.match("Title of Training Program").field, "course_title");
  EXPECT_EQ(index.match("Total Contact Hours").field, "credit_hours");
  EXPECT_EQ(index.match("Contact Email Address").field, "contact_email");
  EXPECT_FALSE(index.match("Signature of Academy Director"));
  EXPECT_FALSE(index.match("24 hours"));
  EXPECT_EQ(strip_numbering("IV. Hours"), "Hours");
  EXPECT_EQ(strip_numbering("Hours"), "Hours");
  EXPECT_EQ(strip_numbering("3.5 hours"), "3.5 hours");
}

}  // namespace
}  // namespace clee
