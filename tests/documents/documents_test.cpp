// The roster and the catalog as PDF, read back with Poppler's pdftotext and pdfinfo (the tools a
// recipient's viewer stands for): the text is there, in order, document text stays text.
#include "documents/documents.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace clee::documents {
namespace {

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

class PdfTest : public ::testing::Test {
 protected:
  std::string path() {
    return testing::TempDir() + "/doc-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".pdf";
  }
  // pdftotext's text of `pdf`, and pdfinfo's page count.
  std::string text(const std::string& pdf, int* pages = nullptr) {
    std::string p = path();
    std::ofstream(p, std::ios::binary) << pdf;
    // Reading order, then whitespace collapsed: a value wrapped in its cell reads as one phrase.
    std::string raw = run("pdftotext '" + p + "' -"), t;
    for (char ch : raw) {
      bool space = ch == ' ' || ch == '\n' || ch == '\f' || ch == '\t';
      if (!space) t.push_back(ch);
      else if (!t.empty() && t.back() != ' ') t.push_back(' ');
    }
    if (pages) *pages = std::atoi(run("pdfinfo '" + p + "' | sed -n 's/^Pages: *//p'").c_str());
    std::filesystem::remove(p);
    return t;
  }
  RosterInfo roster() {
    RosterInfo r;
    r.office_name = "Pennsylvania MPOETC";
    r.clee_id = "CLEE-2027-0001";
    r.title = "Advanced Crash Reconstruction & <b>Event Data</b> Recorders — Ünïcode";
    r.provider = "Keystone Regional Police Academy";
    r.hours = "16";
    r.course_dates = "March 9-10, 2027";
    r.location = "Harrisburg Training Center, Room 4";
    r.instructors = "Alan Miller, Beth Chen";
    r.approved_through = "2027-12-31";
    r.issued_on = "2026-12-01";
    return r;
  }
};

TEST_F(PdfTest, RosterHoldsTheCourseAndTheAct120Rule) {
  auto pdf = roster_pdf(roster());
  ASSERT_TRUE(pdf) << pdf.error().message;
  ASSERT_EQ(pdf->rfind("%PDF-", 0), 0u);
  int pages = 0;
  std::string t = text(*pdf, &pages);
  EXPECT_NE(t.find("CLEE Roster"), std::string::npos) << t;
  EXPECT_NE(t.find("For Act 120 certified officers ONLY"), std::string::npos);
  EXPECT_NE(t.find("CLEE-2027-0001"), std::string::npos);
  EXPECT_NE(t.find("Advanced Crash Reconstruction & <b>Event Data</b> Recorders — Ünïcode"), std::string::npos) << t;
  EXPECT_NE(t.find("March 9-10, 2027"), std::string::npos);
  EXPECT_NE(t.find("Harrisburg Training Center, Room 4"), std::string::npos);
  EXPECT_NE(t.find("2027-12-31"), std::string::npos);
  EXPECT_NE(t.find("Alan Miller, Beth Chen"), std::string::npos);
  EXPECT_NE(t.find("Act 120 certification / TACS ID"), std::string::npos);
  EXPECT_NE(t.find("30"), std::string::npos);
  EXPECT_NE(t.find("Signature"), std::string::npos);
  EXPECT_GE(pages, 1);
}

TEST_F(PdfTest, RosterSaysWhenTheFormGaveNoDatesOrPlace) {
  RosterInfo r = roster();
  r.course_dates.clear();
  r.location.clear();
  std::string t = text(*roster_pdf(r));
  size_t first = t.find("not stated on the request form");
  ASSERT_NE(first, std::string::npos) << t;
  EXPECT_NE(t.find("not stated on the request form", first + 1), std::string::npos);
}

TEST_F(PdfTest, LongRosterContinuesOnMorePagesWithTheHeaderRepeated) {
  RosterInfo r = roster();
  r.rows = 90;
  int pages = 0;
  std::string t = text(*roster_pdf(r), &pages);
  EXPECT_GE(pages, 3);
  EXPECT_NE(t.find("(continued)"), std::string::npos);
  EXPECT_NE(t.find("90"), std::string::npos);
  EXPECT_NE(t.find("page 3"), std::string::npos);
  r.rows = 0;
  EXPECT_FALSE(roster_pdf(r));
}

TEST_F(PdfTest, HostileTextIsDrawnAsText) {
  RosterInfo r = roster();
  r.title = std::string("Bad \x01\x02 bytes \xff\xfe and <span foreground=\"red\">markup</span>") + std::string(5000, 'x');
  auto pdf = roster_pdf(r);
  ASSERT_TRUE(pdf) << pdf.error().message;
  std::string t = text(*pdf);
  EXPECT_NE(t.find("<span foreground=\"red\">markup<"), std::string::npos) << t.substr(0, 2000);
  EXPECT_EQ(t.find("\x01"), std::string::npos);
}

TEST_F(PdfTest, SameInputSameBytes) {
  EXPECT_EQ(*roster_pdf(roster()), *roster_pdf(roster()));
}

TEST_F(PdfTest, CatalogListsEveryCourseWithItsContact) {
  CatalogInfo c;
  c.jurisdiction = "Pennsylvania MPOETC";
  c.as_of = "2026-12-01";
  for (int i = 1; i <= 60; ++i)
    c.rows.push_back({"CLEE-2026-" + std::string(i < 10 ? "000" : "00") + std::to_string(i), "Course number " + std::to_string(i),
                      "8", "Pat Lee", "pat" + std::to_string(i) + "@example.org", "717-555-0100", "Keystone Academy",
                      "2026-12-31"});
  int pages = 0;
  auto pdf = catalog_pdf(c);
  ASSERT_TRUE(pdf) << pdf.error().message;
  std::string t = text(*pdf, &pages);
  EXPECT_NE(t.find("Pennsylvania MPOETC — Approved CLEE Courses"), std::string::npos) << t.substr(0, 600);
  EXPECT_NE(t.find("As of 2026-12-01 · 60 course(s)"), std::string::npos);
  EXPECT_NE(t.find("CLEE-2026-0001"), std::string::npos) << t.substr(0, 1500);
  EXPECT_NE(t.find("CLEE-2026-0060"), std::string::npos);
  EXPECT_NE(t.find("pat60@example.org"), std::string::npos);
  EXPECT_GE(pages, 2);
  EXPECT_NE(t.find("CLEE ID"), t.rfind("CLEE ID"));  // the header row on every page
}

TEST_F(PdfTest, EmptyCatalogSaysSo) {
  CatalogInfo c;
  c.as_of = "2026-12-01";
  std::string t = text(*catalog_pdf(c));
  EXPECT_NE(t.find("No approved course is current."), std::string::npos);
}

}  // namespace
}  // namespace clee::documents
