// Apache Tika's test documents (../shared/corpora/tika: files nobody here wrote, many deliberately
// odd or broken) through extract_all: every file ends as Documents or typed errors, no crash, no
// hang, and none of the formats this project reads (.doc, .rtf, .odt, .pptx, .xlsx, .msg, TNEF,
// HEIC, legacy .ppt/.xls) is unsupported_format; a table by folder is printed. Then the word recall
// and precision of our .doc, .rtf and .odt text against LibreOffice's own `--convert-to txt` of
// the same file (run at test time; skipped without LibreOffice), over the corpus and our fixtures,
// printed per file and in total, with the goals (recall ≥ 0.95, precision ≥ 0.90) asserted
// on the totals.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "extractors/converter.h"
#include "extractors/extract.h"
#include "extractors/sniff.h"
#include "test_util.h"

namespace clee {
namespace {
namespace fs = std::filesystem;

std::string corpus() { return std::string(CLEE_SHARED_DIR) + "/corpora/tika"; }

bool ours(Kind k) {
  switch (k) {
    case Kind::kDoc: case Kind::kDocLegacy: case Kind::kWordXml: case Kind::kRtf: case Kind::kOdt:
    case Kind::kFlatOdt: case Kind::kPptx: case Kind::kXlsx: case Kind::kPpt: case Kind::kXls:
    case Kind::kEncryptedOle: case Kind::kMsg: case Kind::kTnef: case Kind::kHeif:
      return true;
    default:
      return false;
  }
}

TEST(CorpusFormats, EveryTikaFileIsADocumentOrTypedError) {
  if (!fs::exists(corpus())) GTEST_SKIP() << "no corpus at " << corpus();
  const std::set<Code> typed = {Code::kUnreadableDocument, Code::kEncryptedDocument, Code::kUnsupportedFormat,
                                Code::kLimitExceeded};
  ExtractOptions o = no_ocr();
  std::map<std::string, std::map<std::string, int>> table;  // folder → outcome → files
  int files = 0;
  std::vector<fs::path> paths;
  for (auto& e : fs::recursive_directory_iterator(corpus()))
    if (e.is_regular_file() && e.path().filename() != "FILES.tsv") paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  for (const auto& path : paths) {
    std::string bytes = read_file(path.string());
    std::string rel = fs::relative(path, corpus()).string();
    std::string folder = rel.substr(0, rel.find('/'));
    Kind kind = sniff_content(bytes).kind;
    ++files;
    auto docs = extract_all(bytes, path.filename().string(), o);
    ASSERT_FALSE(docs.empty()) << rel;
    std::string outcome = "ok";
    for (const auto& d : docs) {
      if (!d.error) continue;
      EXPECT_TRUE(typed.count(d.error->code)) << rel << ": " << d.name << ": " << code_name(d.error->code);
      // The file itself (not a part inside it) is never unsupported when its content is ours.
      if (d.name == path.filename().string() && ours(kind)) {
        EXPECT_NE(d.error->code, Code::kUnsupportedFormat) << rel << ": " << d.error->message;
      }
      if (d.name == path.filename().string()) outcome = code_name(d.error->code);
    }
    table[folder][outcome]++;
  }
  std::printf("Tika corpus: %d files (top-level outcome by folder; parts of containers not counted)\n", files);
  std::printf("  %-6s %5s %9s %10s %12s %8s\n", "folder", "ok", "encrypted", "unreadable", "unsupported", "limit");
  for (auto& [folder, out] : table)
    std::printf("  %-6s %5d %9d %10d %12d %8d\n", folder.c_str(), out["ok"], out["encrypted_document"],
                out["unreadable_document"], out["unsupported_format"], out["limit_exceeded"]);
  EXPECT_GT(files, 200);
}

// Words: runs of letters and digits (UTF-8 decoded); spaces, punctuation and symbols of any
// script separate them (LibreOffice writes U+00A0, U+2011 and a BOM where we write plain ones).
std::map<std::string, int> words(const std::string& t) {
  std::map<std::string, int> out;
  std::string cur;
  for (size_t i = 0; i < t.size();) {
    unsigned char c = static_cast<unsigned char>(t[i]);
    size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    char32_t cp = c < 0x80 ? c : c & (0x3F >> (n - 1));
    for (size_t k = 1; k < n && i + k < t.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(t[i + k]) & 0x3F);
    bool letter = cp < 0x80 ? std::isalnum(static_cast<int>(cp)) != 0
                            : !((cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
                                (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xE000 && cp <= 0xF8FF) || cp == 0xFEFF ||
                                cp == 0xFFFD || (cp >= 0xFF00 && cp <= 0xFF0F));
    if (letter) {
      if (cp < 0x80) cur.push_back(static_cast<char>(std::tolower(static_cast<int>(cp))));
      else cur.append(t, i, n);
    } else if (!cur.empty()) {
      out[cur]++;
      cur.clear();
    }
    i += n;
  }
  if (!cur.empty()) out[cur]++;
  return out;
}

size_t total(const std::map<std::string, int>& m) {
  size_t n = 0;
  for (auto& [w, c] : m) n += static_cast<size_t>(c);
  return n;
}

size_t common(const std::map<std::string, int>& a, const std::map<std::string, int>& b) {
  size_t n = 0;
  for (auto& [w, c] : a)
    if (auto it = b.find(w); it != b.end()) n += static_cast<size_t>(std::min(c, it->second));
  return n;
}

TEST(CorpusFormats, WordRecallAndPrecisionAgainstLibreOffice) {
  if (!fs::exists("/usr/lib/libreoffice/program/soffice.bin")) GTEST_SKIP() << "LibreOffice not installed";
  std::vector<std::pair<std::string, fs::path>> inputs;  // (group, file)
  if (fs::exists(corpus()))
    for (const char* g : {"doc", "rtf", "odt"})
      for (auto& e : fs::directory_iterator(corpus() + "/" + g)) inputs.push_back({g, e.path()});
  for (auto& e : fs::directory_iterator(fixture_path("docs/formats"))) {
    std::string ext = e.path().extension().string();
    if (ext == ".doc" || ext == ".rtf") inputs.push_back({ext.substr(1), e.path()});
    if (ext == ".odt" || ext == ".ott" || ext == ".fodt") inputs.push_back({"odt", e.path()});
  }
  std::sort(inputs.begin(), inputs.end());
  Converter lo;
  struct Sum {
    size_t expected = 0, hit = 0, ours = 0, ours_hit = 0;
    int files = 0;
  };
  std::map<std::string, Sum> sums;
  std::printf("per file (LibreOffice's words found in ours = recall; ours found in LibreOffice's = precision):\n");
  for (const auto& [group, path] : inputs) {
    std::string bytes = read_file(path.string());
    Kind kind = sniff_content(bytes).kind;
    if (kind != Kind::kDoc && kind != Kind::kRtf && kind != Kind::kOdt && kind != Kind::kFlatOdt) continue;
    Document d = extract_document(bytes, path.filename().string(), no_ocr());
    if (d.error) continue;  // encrypted ones; LibreOffice cannot read them either
    std::string ext = path.extension().string().substr(1);
    auto txt = lo.convert(bytes, ext, "txt:Text (encoded):UTF8", Limits{});
    if (!txt) continue;
    if (txt->rfind("\xEF\xBB\xBF", 0) == 0) txt->erase(0, 3);  // LibreOffice starts its text with a BOM
    std::string body, all;
    for (const auto& p : d.pages) body += p.text + "\n";
    all = body;
    for (const auto& h : d.headers_footers) all += h + "\n";
    auto want = words(*txt), got_all = words(all), got = words(body);
    if (total(want) == 0 && total(got) == 0) continue;
    Sum& s = sums[group];
    size_t hit = common(want, got_all), ours_hit = common(got, want);
    s.expected += total(want);
    s.hit += hit;
    s.ours += total(got);
    s.ours_hit += ours_hit;
    ++s.files;
    double r = total(want) ? static_cast<double>(hit) / static_cast<double>(total(want)) : 1.0;
    double p = total(got) ? static_cast<double>(ours_hit) / static_cast<double>(total(got)) : 1.0;
    std::printf("  %-4s recall %.3f precision %.3f  words %5zu/%5zu  %s\n", group.c_str(), r, p, total(want),
                total(got), path.filename().c_str());
    if (getenv("CLEE_PRINT_LO_TEXT") && (r < 0.9 || p < 0.9))
      std::printf("----- LibreOffice:\n%s\n----- ours:\n%s\n-----\n", txt->c_str(), all.c_str());
  }
  std::printf("totals (words over all files):\n");
  for (auto& [group, s] : sums) {
    double r = static_cast<double>(s.hit) / static_cast<double>(std::max<size_t>(s.expected, 1));
    double p = static_cast<double>(s.ours_hit) / static_cast<double>(std::max<size_t>(s.ours, 1));
    std::printf("  %-4s %3d files  recall %.3f  precision %.3f\n", group.c_str(), s.files, r, p);
    EXPECT_GE(r, 0.95) << group;
    EXPECT_GE(p, 0.90) << group;
  }
  EXPECT_EQ(sums.size(), 3u);
}

}  // namespace
}  // namespace clee
