// Every message of ../shared/corpora/eml (third-party MIME test messages, many malformed on
// purpose) through unpack() and read_email_info(), then extract_all(): no crash, no hang, each
// ends as files or a typed error. Prints what came out.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "extractors/extract.h"
#include "test_util.h"

namespace clee {
namespace {
namespace fs = std::filesystem;

const std::set<std::string> kCodes = {"unreadable_document", "encrypted_document", "unsupported_format",
                                      "limit_exceeded"};

TEST(CorpusEml, EveryMessageUnpacksOrFailsTyped) {
  std::string dir = std::string(CLEE_SHARED_DIR) + "/corpora/eml";
  if (!fs::exists(dir)) GTEST_SKIP() << "no corpus at " << dir;
  std::vector<fs::path> files;
  for (auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".eml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ExtractOptions o;
  o.ocr = false;
  std::map<std::string, int> roles, formats, outcome;
  int with_id = 0, pdf_parts = 0;
  for (const auto& p : files) {
    std::string bytes = read_file(p.string());
    auto files_or = unpack(bytes, p.filename().string(), o.limits);
    if (!files_or) {
      EXPECT_TRUE(kCodes.count(code_name(files_or.error().code))) << p << ": " << code_name(files_or.error().code);
      outcome[code_name(files_or.error().code)]++;
    } else {
      outcome["ok"]++;
      for (const auto& f : *files_or) {
        roles[f.role]++;
        EXPECT_FALSE(f.label.empty()) << p;
        EXPECT_EQ(f.label.find('\n'), std::string::npos) << p;
      }
    }
    auto info = read_email_info(bytes);
    if (info && !info->message_id.empty()) ++with_id;
    for (const auto& d : extract_all(bytes, p.filename().string(), o)) {
      if (d.error) {
        EXPECT_TRUE(kCodes.count(code_name(d.error->code))) << p << ": " << code_name(d.error->code);
      }
      formats[std::string(format_name(d.format)) + (d.error ? " error:" + std::string(code_name(d.error->code)) : "")]++;
      pdf_parts += d.format == Format::kPdf;
    }
  }
  std::printf("EML corpus: %zu messages, %d with a Message-ID\n", files.size(), with_id);
  for (auto& [k, v] : outcome) std::printf("  unpack %-22s %d\n", k.c_str(), v);
  for (auto& [k, v] : roles) std::printf("  role %-12s %d\n", k.c_str(), v);
  for (auto& [k, v] : formats) std::printf("  document %-30s %d\n", k.c_str(), v);
  EXPECT_GT(files.size(), 100u);
  EXPECT_GE(pdf_parts, 5);  // the corpus carries 8 application/pdf parts, some in malformed messages
}

}  // namespace
}  // namespace clee
