// Zip packets and the ZipReader limits, on fixtures made by fixtures/make/docs.py (bomb, traversal,
// nested) and fixtures/make/containers.py (litter, encrypted with `zip -P`, many entries, a lying
// declared size).
#include <gtest/gtest.h>

#include "extractors/extract.h"
#include "extractors/zip.h"
#include "test_util.h"

namespace clee {
namespace {

std::vector<std::string> labels(const std::vector<ContainedFile>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(f.label);
  return out;
}

TEST(Zip, LitterIsSkippedAndBackslashesShownAsSlashes) {
  auto files = unpack(fixture("docs/containers/litter.zip"), "litter.zip", Limits{});
  ASSERT_TRUE(files) << files.error().message;
  // Skipped: the directory entry, __MACOSX/, ._ AppleDouble, .DS_Store, Thumbs.db, ~$ lock file.
  EXPECT_EQ(labels(*files), (std::vector<std::string>{"packet/Course Outline.txt", "packet/Windows CV.txt"}));
  EXPECT_EQ((*files)[0].role, "entry");
  EXPECT_EQ((*files)[1].bytes, "Curriculum vitae of Sgt. John A. Miller.\n");
}

TEST(Zip, TraversalNamesStayLabels) {
  auto files = unpack(fixture("docs/traversal.zip"), "t.zip", Limits{});
  ASSERT_TRUE(files);
  EXPECT_EQ(labels(*files), (std::vector<std::string>{"../../etc/evil.pdf", "/tmp/absolute.txt"}));
  EXPECT_EQ((*files)[0].bytes.substr(0, 5), "%PDF-");
}

TEST(Zip, BombStopsAtRatioOrSizeWithoutInflatingEverything) {
  auto r = unpack(fixture("docs/bomb.zip"), "bomb.zip", Limits{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kLimitExceeded);
  // Even with generous entry and total caps, the ratio cap stops the 1000:1 entry.
  Limits big;
  big.max_entry_bytes = 4ull << 30;
  big.max_total_inflated = 4ull << 30;
  auto r2 = unpack(fixture("docs/bomb.zip"), "bomb.zip", big);
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().code, Code::kLimitExceeded);
  EXPECT_NE(r2.error().message.find("ratio"), std::string::npos) << r2.error().message;
}

TEST(Zip, DeclaredSizeIsNotTrusted) {
  // The directory says 100 bytes; the entry inflates to 20 MiB. Counted while inflating.
  Limits l;
  l.max_entry_bytes = 1 << 20;
  auto r = unpack(fixture("docs/containers/lying_size.zip"), "l.zip", l);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kLimitExceeded);
}

TEST(Zip, TotalInflatedCap) {
  Limits l;
  l.max_total_inflated = 100;  // 50 entries of 8-9 bytes
  auto r = unpack(fixture("docs/containers/many.zip"), "m.zip", l);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kLimitExceeded);
}

TEST(Zip, EntryCountCap) {
  Limits l;
  l.max_entries = 10;
  auto r = unpack(fixture("docs/containers/many.zip"), "m.zip", l);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kLimitExceeded);
  auto ok = unpack(fixture("docs/containers/many.zip"), "m.zip", Limits{});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->size(), 50u);
}

TEST(Zip, PasswordProtectedEntryIsEncryptedDocument) {
  auto r = unpack(fixture("docs/containers/encrypted.zip"), "e.zip", Limits{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kEncryptedDocument);
}

TEST(Zip, UnpackIsOneLevel) {
  auto r = unpack(fixture("docs/nested_deep.zip"), "n.zip", Limits{});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].label, "level4.zip");
  EXPECT_EQ(sniff((*r)[0].bytes), Format::kZip);  // the inner archive is handed back, not opened
}

TEST(Zip, DamagedAndNonContainers) {
  std::string z = fixture("docs/traversal.zip");
  auto cut = unpack(z.substr(0, z.size() / 2), "cut.zip", Limits{});
  EXPECT_FALSE(cut);  // the central directory is gone
  auto pdf = unpack(fixture("docs/form_lines.pdf"), "f.pdf", Limits{});
  ASSERT_FALSE(pdf);
  EXPECT_EQ(pdf.error().code, Code::kUnsupportedFormat);
  Limits small;
  small.max_file_bytes = 100;
  auto big = unpack(z, "t.zip", small);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, Code::kLimitExceeded);
}

TEST(ZipReader, FindAndReadEntries) {
  std::string z = fixture("docs/rich.docx");
  auto r = ZipReader::open(z, Limits{});
  ASSERT_TRUE(r);
  const ZipEntry* e = (*r)->find("word/document.xml");
  ASSERT_NE(e, nullptr);
  auto xml = (*r)->read(*e);
  ASSERT_TRUE(xml);
  EXPECT_NE(xml->find("INSERTED-TEXT-KEPT"), std::string::npos);
  EXPECT_EQ((*r)->find("word/nope.xml"), nullptr);
  EXPECT_TRUE(zip_has_entry(z, "word/document.xml"));
  EXPECT_FALSE(zip_has_entry("junk", "word/document.xml"));
}

}  // namespace
}  // namespace clee
