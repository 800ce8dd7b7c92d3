// base/status: every Code has its own stable name that reads back to it, the finding vocabulary is
// exactly DESIGN.md's list (plus ours), and Result/Status carry what they were given.
#include "base/status.h"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace clee {
namespace {

// Every code from the first to kInternal (the last: "an exception or a bug").
std::vector<Code> all_codes() {
  std::vector<Code> out;
  for (int i = 0; i <= static_cast<int>(Code::kInternal); ++i) out.push_back(static_cast<Code>(i));
  return out;
}

TEST(StatusTest, EveryCodeHasAUniqueSnakeCaseNameThatReadsBack) {
  std::set<std::string> seen;
  for (Code c : all_codes()) {
    std::string name = code_name(c);
    SCOPED_TRACE(name);
    // A code missing from status.cpp's table falls back to "internal": only kInternal may say so.
    if (c != Code::kInternal) {
      EXPECT_NE(name, "internal");
    }
    EXPECT_TRUE(seen.insert(name).second) << "two codes share the name " << name;
    ASSERT_FALSE(name.empty());
    for (char ch : name) EXPECT_TRUE(std::islower(static_cast<unsigned char>(ch)) || ch == '_') << name;
    auto back = code_from_name(name);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, c);
    std::ostringstream os;
    os << c;
    EXPECT_EQ(os.str(), name);
  }
}

TEST(StatusTest, UnknownNamesAreNotCodes) {
  EXPECT_FALSE(code_from_name("").has_value());
  EXPECT_FALSE(code_from_name("Missing_Document").has_value());
  EXPECT_FALSE(code_from_name("missing document").has_value());
  EXPECT_FALSE(code_from_name("limit_exceeded ").has_value());
}

TEST(StatusTest, FindingVocabularyIsDesignsListPlusOurs) {
  // DESIGN.md, "The report contract": the fixed vocabulary; title_mismatch and unsafe_entry are ours.
  const std::set<std::string> design = {"missing_document",    "missing_field",        "unreadable_document",
                                        "encrypted_document",  "unsupported_format",   "instructor_without_cv",
                                        "hours_mismatch",      "not_advanced_content", "uncertain_content",
                                        "duplicate_packet",    "provider_not_certified", "limit_exceeded",
                                        "ocr_low_confidence",  "title_mismatch",       "unsafe_entry"};
  std::set<std::string> findings;
  for (Code c : all_codes())
    if (is_finding_code(c)) findings.insert(code_name(c));
  EXPECT_EQ(findings, design);
  EXPECT_FALSE(is_finding_code(Code::kIoError));
  EXPECT_FALSE(is_finding_code(Code::kInternal));
}

TEST(StatusTest, OnlyPassingFailuresAreTransient) {
  for (Code c : {Code::kNoSpace, Code::kBusy, Code::kIoError, Code::kMailError}) EXPECT_TRUE(is_transient(c)) << c;
  for (Code c : {Code::kCorrupt, Code::kUsage, Code::kInvalidConfig, Code::kNotFound, Code::kUnsafeEntry,
                 Code::kLimitExceeded, Code::kInternal, Code::kReadOnly})
    EXPECT_FALSE(is_transient(c)) << c;
}

TEST(StatusTest, ResultAndStatusCarryValueOrError) {
  Result<int> ok = 7;
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 7);
  Result<int> bad = Error{Code::kNotFound, "no such packet"};
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Code::kNotFound);
  EXPECT_EQ(bad.error().message, "no such packet");
  Status fine;
  EXPECT_TRUE(fine.ok());
  Status broken = Error{Code::kBusy, "locked"};
  EXPECT_FALSE(broken.ok());
  EXPECT_EQ(broken.code(), Code::kBusy);
  EXPECT_EQ(broken.error().message, "locked");
}

}  // namespace
}  // namespace clee
