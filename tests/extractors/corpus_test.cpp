// Robustness over third-party corpora nobody here wrote (../shared/corpora): every PDF, DOCX and
// EML ends as a Document or a typed error — no crash, no hang (PDFs run isolated, with a time
// limit). Prints a summary, and for pandoc's DOCX reader pairs the word recall of our text against
// pandoc's expected output (goal ≥ 0.95).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "extractors/extract.h"
#include "extractors/sandbox.h"
#include "test_util.h"

namespace clee {
namespace {
namespace fs = std::filesystem;

const std::set<std::string> kCodes = {"unreadable_document", "encrypted_document", "unsupported_format", "limit_exceeded"};
std::string corpora() { return std::string(CLEE_SHARED_DIR) + "/corpora"; }

std::vector<fs::path> files_with(const std::string& dir, const std::string& ext) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ext) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

void expect_typed(const Document& d, const fs::path& p) {
  if (d.error) {
    EXPECT_TRUE(kCodes.count(d.error->code)) << p << ": " << d.error->code;
  }
}

TEST(Corpus, EveryPdfEndsAsDocumentOrTypedError) {
  auto files = files_with(corpora() + "/pdf", ".pdf");
  if (files.empty()) GTEST_SKIP() << "no corpora at " << corpora();
  set_worker_executable(CLEE_BINARY);
  ExtractOptions o;
  o.ocr = false;
  o.isolate = true;
  o.limits.max_seconds = 15;
  std::map<std::string, int> outcome;
  std::vector<std::pair<double, std::string>> slowest;
  for (const auto& p : files) {
    Document d = extract_document(read_file(p), p.filename().string(), o);
    expect_typed(d, p);
    outcome[d.error ? d.error->code : "ok"]++;
    slowest.push_back({d.seconds, p.filename().string()});
  }
  std::sort(slowest.rbegin(), slowest.rend());
  std::printf("PDF corpus: %zu files\n", files.size());
  for (auto& [k, v] : outcome) std::printf("  %-22s %d\n", k.c_str(), v);
  for (size_t i = 0; i < 3 && i < slowest.size(); ++i) std::printf("  slow: %s %.2f s\n", slowest[i].second.c_str(), slowest[i].first);
  EXPECT_GT(outcome["ok"], static_cast<int>(files.size() * 8 / 10));
}

TEST(Corpus, EveryEmlUnpacksOrFailsTyped) {
  auto files = files_with(corpora() + "/eml", ".eml");
  if (files.empty()) GTEST_SKIP() << "no corpora";
  ExtractOptions o;
  o.ocr = false;
  int attachments = 0, pdfs = 0;
  for (const auto& p : files) {
    for (const auto& d : extract_all(read_file(p), p.filename().string(), o)) {
      expect_typed(d, p);
      ++attachments;
      pdfs += d.format == Format::kPdf;
    }
  }
  std::printf("EML corpus: %zu messages → %d documents (%d PDFs)\n", files.size(), attachments, pdfs);
  EXPECT_GE(pdfs, 5);  // the corpus carries 8 application/pdf parts, some in malformed messages
}

std::vector<std::string> words_of(const std::string& t) {
  std::vector<std::string> out;
  std::string cur;
  for (unsigned char c : t) {
    if (std::isalnum(c) || c >= 0x80) cur.push_back(static_cast<char>(std::tolower(c)));
    else if (!cur.empty()) {
      out.push_back(cur);
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

TEST(Corpus, EveryDocxAndRecallAgainstPandoc) {
  auto files = files_with(corpora() + "/docx", ".docx");
  if (files.empty()) GTEST_SKIP() << "no corpora";
  ExtractOptions o;
  o.ocr = false;
  std::map<std::string, Document> docs;
  int ok = 0;
  for (const auto& p : files) {
    Document d = extract_document(read_file(p), p.filename().string(), o);
    expect_typed(d, p);
    ok += !d.error;
    docs[fs::relative(p, corpora() + "/docx").string()] = std::move(d);
  }
  std::printf("DOCX corpus: %zu files, %d read\n", files.size(), ok);
  if (std::system("command -v pandoc >/dev/null 2>&1") != 0) {
    std::printf("pandoc not installed: recall not measured\n");
    return;
  }
  std::ifstream pairs(corpora() + "/docx/PAIRS.tsv");
  std::string line;
  double sum = 0;
  int n = 0;
  std::vector<std::pair<double, std::string>> worst;
  fs::path tmp = fs::temp_directory_path() / ("clee-recall-" + std::to_string(::getpid()));
  fs::create_directories(tmp);
  while (std::getline(pairs, line)) {
    auto t1 = line.find('\t'), t2 = line.rfind('\t');
    if (t1 == std::string::npos || line.substr(t2 + 1) != "reader-expected-native") continue;
    std::string docx = line.substr(0, t1), native = line.substr(t1 + 1, t2 - t1 - 1);
    auto it = docs.find(docx);
    if (it == docs.end() || it->second.error) continue;
    fs::path out = tmp / "expected.txt";
    std::string cmd = "pandoc -f native -t plain --wrap=none '" + corpora() + "/docx/" + native + "' -o '" + out.string() + "' 2>/dev/null";
    if (std::system(cmd.c_str()) != 0) continue;
    std::map<std::string, int> have;
    std::string ours;
    for (const auto& p : it->second.pages) ours += p.text + "\n";
    for (const auto& h : it->second.headers_footers) ours += h + "\n";
    for (auto& w : words_of(ours)) have[w]++;
    auto expected = words_of(read_file(out.string()));
    if (expected.empty()) continue;
    int hit = 0;
    for (auto& w : expected)
      if (have[w] > 0) {
        --have[w];
        ++hit;
      }
    double recall = static_cast<double>(hit) / expected.size();
    sum += recall;
    ++n;
    worst.push_back({recall, docx});
  }
  fs::remove_all(tmp);
  std::sort(worst.begin(), worst.end());
  std::printf("DOCX word recall vs pandoc (reader pairs): mean %.3f over %d files\n", n ? sum / n : 0.0, n);
  for (size_t i = 0; i < 5 && i < worst.size(); ++i) std::printf("  low: %s %.3f\n", worst[i].second.c_str(), worst[i].first);
  EXPECT_GT(n, 50);
}

}  // namespace
}  // namespace clee
