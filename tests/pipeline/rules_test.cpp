// pipeline/rules.cpp: the shipped rule packs load; every mistake is reported as FILE:LINE: message.
#include <gtest/gtest.h>

#include <fstream>

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
    EXPECT_FALSE(r->content_rules.empty()) << pack;
    EXPECT_FALSE(r->label_synonyms.empty()) << pack;
  }
}

TEST(Rules, UnknownCategoryWithFileAndLine) {
  std::string path = write("cat.toml",
                           "jurisdiction = \"X\"\n"
                           "[documents]\n"
                           "required = [\"request_form\"]\n"
                           "\n"
                           "[[content.rules]]\n"
                           "id = \"r\"\n"
                           "category = \"refresh\"\n"
                           "phrases = [\"x\"]\n");
  auto r = load_rules(path);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, path + ":7: unknown category 'refresh'");
}

TEST(Rules, MisspeltKeyIsNotIgnored) {
  std::string path = write("key.toml",
                           "[[content.rules]]\n"
                           "id = \"r\"\n"
                           "category = \"annual_refresher\"\n"
                           "phrase = [\"x\"]\n");
  auto r = load_rules(path);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, path + ":4: unknown key 'phrase' in [[content.rules]] #1");
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
