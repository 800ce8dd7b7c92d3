// base/litter: the one list of files that operating systems, editors and browsers leave beside
// documents — and real documents are never taken for litter.
#include "base/litter.h"

#include <gtest/gtest.h>

namespace clee {
namespace {

TEST(LitterTest, NamesLeftByToolsAreLitter) {
  for (const char* n : {".DS_Store", "._Outline.docx", ".~lock.form.docx#", ".form.docx.swp", ".git", "~$Outline.docx",
                        "Thumbs.db", "desktop.ini", "__MACOSX", "Icon\r", "outline.pdf.part", "cv.pdf.crdownload",
                        "form.pdf.download", "x.tmp", "report.docx.swp", "report.docx.swx", "notes.txt~",
                        "upload.partial", ""})
    EXPECT_TRUE(is_litter_name(n)) << n;
}

TEST(LitterTest, DocumentsAreNotLitter) {
  for (const char* n : {"Outline.docx", "CLEE Request Form.pdf", "cv_miller.docx", "IMG_20261102_101500.jpg",
                        "Lebenslauf – O’Neil.pdf", "outline <script>x.pdf", "part1.pdf", "tmp.pdf", "swp.docx",
                        "thumbs.db.pdf", "a~b.pdf", "README"})
    EXPECT_FALSE(is_litter_name(n)) << n;
}

TEST(LitterTest, AnyLitterComponentMakesAPathLitter) {
  EXPECT_TRUE(is_litter_path("__MACOSX/outline.pdf"));
  EXPECT_TRUE(is_litter_path("packet/__MACOSX/._outline.pdf"));
  EXPECT_TRUE(is_litter_path("packet/.git/config"));
  EXPECT_TRUE(is_litter_path("packet\\~$form.docx"));  // a zip made on Windows
  EXPECT_TRUE(is_litter_path("packet/form.docx.swp"));
  EXPECT_FALSE(is_litter_path("packet/outline.pdf"));
  EXPECT_FALSE(is_litter_path("packet/sub/"));  // a folder entry's empty last component
  EXPECT_FALSE(is_litter_path("outline.pdf"));
}

}  // namespace
}  // namespace clee
