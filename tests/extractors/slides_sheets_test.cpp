// PPTX slides and XLSX sheets, native: a slide deck sent as the outline and an hours schedule in a
// sheet (both saved by LibreOffice), reading order, tables, notes, number formats; the legacy
// .ppt/.xls go through the converter and read the same; encrypted and hostile files are typed.
#include <gtest/gtest.h>

#include "extractors/converter.h"
#include "extractors/extract.h"
#include "extractors/pptx.h"
#include "extractors/sniff.h"
#include "extractors/xlsx.h"
#include "extractors/xlsx_numfmt.h"
#include "test_util.h"

namespace clee {
namespace {

bool has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

TEST(Pptx, OutlineSlidesInReadingOrder) {
  Document d = extract_document(fixture("docs/formats/outline_slides.pptx"), "slides.pptx", no_ocr());
  ASSERT_FALSE(d.error) << d.error->message;
  EXPECT_EQ(d.format, Format::kPptx);
  ASSERT_EQ(d.pages.size(), 5u);  // one page per slide, in the presentation's order
  EXPECT_EQ(d.pages[0].text.rfind("Advanced Crash Reconstruction Using Event Data Recorders\n", 0), 0u) << d.pages[0].text;
  EXPECT_TRUE(has(d.pages[0].text, "Keystone Public Safety Training Institute"));
  EXPECT_EQ(d.pages[2].text.rfind("Enabling Objectives\n", 0), 0u);
  EXPECT_TRUE(has(d.pages[2].text, "Apply conservation of linear momentum to two-vehicle collisions."));
  // Slide 5 drew its bottom box first: position, not drawing order, decides.
  const std::string& last = d.pages[4].text;
  ASSERT_NE(last.find("BOTTOM-BOX"), std::string::npos);
  EXPECT_LT(last.find("Evaluation"), last.find("Written examination"));
  EXPECT_LT(last.find("Written examination"), last.find("BOTTOM-BOX"));
  // Speaker notes follow their slide's text.
  EXPECT_TRUE(has(d.pages[1].text, "SPEAKER-NOTES: stress that EDR imaging is new to most attendees."));
  // The schedule table: rows on slide 4 and in Document::tables.
  EXPECT_TRUE(has(d.pages[3].text, "Momentum and energy analysis\t4\n"));
  ASSERT_EQ(d.tables.size(), 1u);
  EXPECT_EQ(d.tables[0].page, 4);
  EXPECT_EQ(d.tables[0].rows.back(), (std::vector<std::string>{"Total Hours", "16"}));
  EXPECT_EQ(d.metadata.title, "Course Outline slides");
}

TEST(Xlsx, HoursScheduleAsShown) {
  Document d = extract_document(fixture("docs/formats/schedule.xlsx"), "schedule.xlsx", no_ocr());
  ASSERT_FALSE(d.error) << d.error->message;
  EXPECT_EQ(d.format, Format::kXlsx);
  ASSERT_EQ(d.pages.size(), 2u);  // a page per sheet, named first
  EXPECT_EQ(d.pages[0].text.rfind("Schedule\n", 0), 0u);
  EXPECT_EQ(d.pages[1].text.rfind("Instructors\n", 0), 0u);
  ASSERT_EQ(d.tables.size(), 2u);
  const auto& rows = d.tables[0].rows;
  ASSERT_EQ(rows.size(), 9u);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"Date", "Start", "End", "Unit", "Hours", "Share"}));
  // Dates, times, one-decimal hours and whole percents as the sheet shows them (2/16 = 12.5% → 13%).
  EXPECT_EQ(rows[2], (std::vector<std::string>{"03/09/2027", "08:00", "10:00",
                                               "Event data recorder architecture and data limitations", "2.0", "13%"}));
  EXPECT_EQ(rows[5][0], "03/10/2027");
  // A formula reads as its cached value; empty leading cells stay as gaps.
  EXPECT_EQ(rows[8], (std::vector<std::string>{"", "", "", "Total Hours", "16.0"}));
  EXPECT_TRUE(has(d.pages[0].text, "03/09/2027\t14:00\t18:00\tMomentum and energy analysis\t4.0\t25%\n"));
  EXPECT_EQ(d.tables[1].page, 2);
  EXPECT_EQ(d.tables[1].rows[1], (std::vector<std::string>{"Sgt. John A. Miller (ret.)", "9"}));
}

TEST(NumberFormat, CodesAsSpreadsheetsShowThem) {
  EXPECT_EQ(format_number(7.5, "General"), "7.5");
  EXPECT_EQ(format_number(0.1 + 0.2, ""), "0.3");
  EXPECT_EQ(format_number(1234567.891, "#,##0.00"), "1,234,567.89");
  EXPECT_EQ(format_number(-1599.99, "$#,##0.00;[Red]($#,##0.00)"), "($1,599.99)");
  EXPECT_EQ(format_number(-3, "0"), "-3");
  EXPECT_EQ(format_number(0, "0.0;-0.0;\"zero\""), "zero");
  EXPECT_EQ(format_number(0.025, "0%"), "3%");  // half away from zero
  EXPECT_EQ(format_number(198000000, "0.00E+00"), "1.98E+08");
  EXPECT_EQ(format_number(1500000, "#,##0,,\"M\""), "2M");
  EXPECT_EQ(format_number(19.99, "0.00 \"cents\""), "19.99 cents");
  EXPECT_EQ(format_number(46455, "m/d/yyyy"), "3/9/2027");
  EXPECT_EQ(format_number(46455, builtin_number_format(15)), "9-Mar-27");
  EXPECT_EQ(format_number(46455, "dddd, mmmm d"), "Tuesday, March 9");
  EXPECT_EQ(format_number(0.375, "h:mm AM/PM"), "9:00 AM");
  EXPECT_EQ(format_number(0.8125, "hh:mm"), "19:30");
  EXPECT_EQ(format_number(1.5, "[h]:mm"), "36:00");  // elapsed hours
  EXPECT_EQ(format_number(46455.5, "yyyy-mm-dd hh:mm"), "2027-03-09 12:00");
  EXPECT_EQ(format_number(44993, "m/d/yyyy", true), "3/9/2027");  // the 1904 date system
  EXPECT_EQ(format_number(60, "yyyy-mm-dd"), "1900-02-29");       // Excel's phantom leap day
  EXPECT_EQ(format_number(61, "yyyy-mm-dd"), "1900-03-01");
  EXPECT_EQ(format_number(1e308, "0%%%"), "#NUM!");  // past double (found by fuzzing: was UB)
  EXPECT_EQ(builtin_number_format(14), "m/d/yyyy");
  EXPECT_EQ(builtin_number_format(999), "");
}

TEST(SlidesSheets, EncryptedOfficeFilesAreTyped) {
  Document xls = extract_document(fixture("docs/formats/schedule_encrypted.xls"), "s.xls", no_ocr());
  ASSERT_TRUE(xls.error);
  EXPECT_EQ(xls.error->code, Code::kEncryptedDocument);
  // Office's own password-protected OOXML (an OLE wrapper): from the Tika corpus when present.
  for (const char* f : {"xlsx/testEXCEL_protected_passtika.xlsx", "pptx/testPPT_protected_passtika.pptx"}) {
    std::string bytes = read_file(std::string(CLEE_SHARED_DIR) + "/corpora/tika/" + f);
    if (bytes.empty()) continue;
    Document d = extract_document(bytes, f, no_ocr());
    ASSERT_TRUE(d.error) << f;
    EXPECT_EQ(d.error->code, Code::kEncryptedDocument) << f;
  }
}

TEST(SlidesSheets, DamageAndLimits) {
  for (const char* name : {"docs/formats/outline_slides.pptx", "docs/formats/schedule.xlsx"}) {
    std::string bytes = fixture(name);
    for (size_t n = 0; n < bytes.size(); n += 1700) {
      Document d = extract_document(std::string_view(bytes).substr(0, n), "cut", no_ocr());
      if (d.error) { EXPECT_NE(d.error->code, Code::kInternal) << name << " cut at " << n; }
    }
    ExtractOptions o = no_ocr();
    o.limits.max_pages = 1;
    Document d = extract_document(bytes, name, o);
    ASSERT_FALSE(d.error);
    EXPECT_EQ(d.pages.size(), 1u);
    EXPECT_FALSE(d.warnings.empty());
  }
}

// .ppt and .xls: LibreOffice converts, our OOXML readers read.
TEST(SlidesSheets, LegacyPptAndXlsThroughTheConverter) {
  if (!shared_converter().available()) GTEST_SKIP() << "LibreOffice not installed";
  EXPECT_EQ(sniff_content(fixture("docs/formats/outline_slides.ppt")).kind, Kind::kPpt);
  EXPECT_EQ(sniff_content(fixture("docs/formats/schedule.xls")).kind, Kind::kXls);
  Document ppt = extract_document(fixture("docs/formats/outline_slides.ppt"), "slides.ppt", no_ocr());
  ASSERT_FALSE(ppt.error) << ppt.error->message;
  EXPECT_EQ(ppt.format, Format::kPptx);
  EXPECT_EQ(ppt.mime, "application/vnd.ms-powerpoint");
  ASSERT_EQ(ppt.pages.size(), 5u);
  EXPECT_TRUE(has(ppt.pages[2].text, "Apply conservation of linear momentum to two-vehicle collisions."));
  Document xls = extract_document(fixture("docs/formats/schedule.xls"), "schedule.xls", no_ocr());
  ASSERT_FALSE(xls.error) << xls.error->message;
  EXPECT_EQ(xls.format, Format::kXlsx);
  ASSERT_FALSE(xls.tables.empty());
  EXPECT_EQ(xls.tables[0].rows[2][3], "Event data recorder architecture and data limitations");
  EXPECT_EQ(xls.tables[0].rows[2][4], "2.0");
  // ODF spreadsheets and presentations take the same road.
  Document ods = extract_document(fixture("docs/formats/schedule.ods"), "schedule.ods", no_ocr());
  ASSERT_FALSE(ods.error) << ods.error->message;
  EXPECT_EQ(ods.format, Format::kXlsx);
  EXPECT_EQ(ods.mime, "application/vnd.oasis.opendocument.spreadsheet");
  EXPECT_TRUE(has(all_text(ods), "Hands-on EDR imaging with the CDR tool\t4.0\t25%"));
  Document odp = extract_document(fixture("docs/formats/outline_slides.odp"), "slides.odp", no_ocr());
  ASSERT_FALSE(odp.error) << odp.error->message;
  EXPECT_EQ(odp.format, Format::kPptx);
  EXPECT_EQ(odp.pages.size(), 5u);
  // Unpacked as one document, never as a zip of its parts.
  EXPECT_EQ(extract_all(fixture("docs/formats/schedule.ods"), "s.ods", no_ocr()).size(), 1u);
}

}  // namespace
}  // namespace clee
