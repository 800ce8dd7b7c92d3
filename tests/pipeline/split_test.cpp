// pipeline/split.cpp: how understand_documents types documents and cuts a combined PDF into its
// documents, on synthetic Documents (page texts written here) and the bundled rule pack:
//  - a page that says clearly what it is (score >= 3) starts a part of that type; an unclear page
//    continues the part before it; an unclear first page takes the whole document's type;
//  - a CV page that opens with a person's name starts a new CV even after another CV;
//  - fewer than two parts, one page, a non-PDF or a failed document: the document stays whole;
//  - a part keeps its own pages and the tables on them; AcroForm fields go to the first part;
//  - an email's text body is a cover letter.
#include <gtest/gtest.h>

#include "pipeline/rules.h"
#include "pipeline/understand.h"

namespace clee {
namespace {

const char* kForm =
    "CLEE Course Approval Request Form\n"
    "Provider Name: Keystone Public Safety Training Institute\n"
    "Provider Number: MPOETC-CP-0412\n"
    "Course Title: Advanced Crash Reconstruction Using Event Data Recorders\n"
    "Credit Hours Requested: 16\n"
    "Instructor(s): Sgt. John A. Miller (ret.); Dr. Maria Lopez, LCSW\n"
    "Contact Person: Karen Whitfield\n"
    "Email: kwhitfield@keystonepsti.org\n";
const char* kOutline =
    "Course Outline\n"
    "Terminal objective: participants will reconstruct crashes from event data recorder data.\n"
    "Enabling objectives\n"
    "1. Demonstrate the retrieval of event data recorder data.\n"
    "2. Analyse pre-crash speed and braking.\n"
    "3. Integrate scene evidence.\n"
    "Block 1 Event data recorder fundamentals 4 hours\n"
    "Block 2 Momentum and energy analysis 4 hours\n"
    "Block 3 Case studies 8 hours\n";
// Says nothing about what it is: continues whatever came before.
const char* kUnclear = "Appendix\nLaptop with the CDR software\nCables and adapters\n";
const char* kCvMiller =
    "JOHN A. MILLER\n"
    "Curriculum Vitae\n"
    "Professional Experience\n"
    "2004-2024 Pennsylvania State Police, collision reconstruction unit\n"
    "Education\n"
    "B.S. Mechanical Engineering, Penn State University\n";
const char* kCvLopez =
    "MARIA LOPEZ\n"
    "Resume\n"
    "Professional Experience\n"
    "2010-present Crisis counselor and instructor\n"
    "Education\n"
    "Master of Social Work, Temple University\n";
// A CV's second page: CV words, but no name at the top.
const char* kCvMillerPage2 =
    "Certifications and teaching\n"
    "Professional experience (continued)\n"
    "1998-2004 Patrol officer\n"
    "Education: ACTAR accredited, college courses in physics\n"
    "References available on request\n";

class SplitTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto r = load_rules(CLEE_SOURCE_DIR "/rules/pa-mpoetc.toml");
    ASSERT_TRUE(r.ok()) << r.error().message;
    rules_ = new RulePack(std::move(*r));
  }
  static void TearDownTestSuite() { delete rules_; }

  static Document pdf(const std::vector<const char*>& pages, Format format = Format::kPdf) {
    Document d;
    d.name = "packet.pdf";
    d.format = format;
    for (size_t i = 0; i < pages.size(); ++i) d.pages.push_back(Page{static_cast<int>(i + 1), pages[i], false, -1, 0});
    return d;
  }
  static DocType page_type(const char* text) {
    double score = 0;
    DocType t = score_text(text, 0, *rules_).best(&score);
    return score >= 3.0 ? t : DocType::kUnknown;
  }
  static std::vector<UnderstoodDocument> understand(const Document& d, const std::string& role = "file") {
    return understand_documents({d}, {role}, *rules_);
  }

  static RulePack* rules_;
};
RulePack* SplitTest::rules_ = nullptr;

TEST_F(SplitTest, ThePageTextsSayWhatTheyAre) {
  // The premises of the tests below, checked rather than assumed.
  EXPECT_EQ(page_type(kForm), DocType::kRequestForm);
  EXPECT_EQ(page_type(kOutline), DocType::kCourseOutline);
  EXPECT_EQ(page_type(kCvMiller), DocType::kInstructorCv);
  EXPECT_EQ(page_type(kCvLopez), DocType::kInstructorCv);
  EXPECT_EQ(page_type(kCvMillerPage2), DocType::kInstructorCv);
  EXPECT_EQ(page_type(kUnclear), DocType::kUnknown);
}

TEST_F(SplitTest, ACombinedPdfSplitsWhereThePageTypeChanges) {
  Document d = pdf({kForm, kOutline, kUnclear, kCvMiller});
  auto parts = understand(d);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].type, DocType::kRequestForm);
  EXPECT_EQ(parts[0].first_page, 1);
  EXPECT_EQ(parts[0].last_page, 1);
  EXPECT_EQ(parts[0].name, "packet.pdf (page 1)");
  EXPECT_EQ(parts[1].type, DocType::kCourseOutline);
  EXPECT_EQ(parts[1].first_page, 2);
  EXPECT_EQ(parts[1].last_page, 3) << "the unclear appendix page continues the outline";
  EXPECT_EQ(parts[1].name, "packet.pdf (pages 2-3)");
  EXPECT_EQ(parts[2].type, DocType::kInstructorCv);
  EXPECT_EQ(parts[2].name, "packet.pdf (page 4)");
  // Each part holds exactly its own pages, numbered as in the original file.
  ASSERT_EQ(parts[1].doc.pages.size(), 2u);
  EXPECT_EQ(parts[1].doc.pages[0].text, kOutline);
  EXPECT_EQ(parts[1].doc.pages[1].number, 3);
  ASSERT_EQ(parts[2].doc.pages.size(), 1u);
  EXPECT_EQ(parts[2].doc.pages[0].text, kCvMiller);
  EXPECT_GE(parts[0].type_score, 3.0);
}

TEST_F(SplitTest, FieldsGoToTheFirstPartAndTablesStayWithTheirPages) {
  Document d = pdf({kForm, kOutline, kCvMiller});
  d.fields = {{"CourseTitle", "Advanced Crash Reconstruction", 1}, {"Signature", "K. Whitfield", 3}};
  d.tables = {{1, {{"Credit Hours", "16"}}}, {2, {{"Block 1", "4"}}}, {3, {{"2004-2024", "PSP"}}}};
  auto parts = understand(d);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].doc.fields.size(), 2u) << "AcroForm values belong to the form, which leads";
  EXPECT_TRUE(parts[1].doc.fields.empty());
  EXPECT_TRUE(parts[2].doc.fields.empty());
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(parts[i].doc.tables.size(), 1u) << "part " << i;
    EXPECT_EQ(parts[i].doc.tables[0].page, i + 1);
  }
}

TEST_F(SplitTest, BackToBackCvsSplitAtEachNameHeading) {
  auto parts = understand(pdf({kForm, kCvMiller, kCvLopez}));
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[1].type, DocType::kInstructorCv);
  EXPECT_EQ(parts[1].first_page, 2);
  EXPECT_EQ(parts[1].last_page, 2);
  EXPECT_EQ(parts[2].type, DocType::kInstructorCv);
  EXPECT_EQ(parts[2].first_page, 3);
  EXPECT_EQ(extract_cv(parts[1]).name, "John A. Miller");
  EXPECT_EQ(extract_cv(parts[2]).name, "Maria Lopez");
}

TEST_F(SplitTest, ACvPageWithoutANameContinuesTheCvBeforeIt) {
  auto parts = understand(pdf({kForm, kCvMiller, kCvMillerPage2}));
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1].type, DocType::kInstructorCv);
  EXPECT_EQ(parts[1].first_page, 2);
  EXPECT_EQ(parts[1].last_page, 3);
  EXPECT_EQ(parts[1].name, "packet.pdf (pages 2-3)");
}

TEST_F(SplitTest, AnUnclearFirstPageTakesTheWholeDocumentsType) {
  Document d = pdf({kUnclear, kOutline, kCvMiller});
  std::string all;
  for (const auto& p : d.pages) all += p.text + "\n";
  double score = 0;
  DocType whole = score_text(all, 0, *rules_).best(&score);
  auto parts = understand(d);
  ASSERT_GE(parts.size(), 2u);
  EXPECT_EQ(parts[0].first_page, 1);
  EXPECT_EQ(parts[0].type, whole);
  EXPECT_EQ(parts.back().type, DocType::kInstructorCv);
  EXPECT_EQ(parts.back().first_page, 3);
}

TEST_F(SplitTest, OnePartStaysWhole) {
  auto parts = understand(pdf({kOutline, kUnclear, kOutline}));
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].type, DocType::kCourseOutline);
  EXPECT_EQ(parts[0].name, "packet.pdf") << "a whole document keeps its own name";
  EXPECT_EQ(parts[0].first_page, 1);
  EXPECT_EQ(parts[0].last_page, 3);
  EXPECT_EQ(parts[0].doc.pages.size(), 3u);
}

TEST_F(SplitTest, OnlyMultiPagePdfsAreSplit) {
  // A DOCX (or text) with a form and an outline is one document: it has no pages to cut at.
  auto docx = understand(pdf({kForm, kOutline, kCvMiller}, Format::kDocx));
  ASSERT_EQ(docx.size(), 1u);
  EXPECT_EQ(docx[0].name, "packet.pdf");
  auto one_page = understand(pdf({kForm}));
  ASSERT_EQ(one_page.size(), 1u);
  EXPECT_EQ(one_page[0].type, DocType::kRequestForm);
  EXPECT_EQ(one_page[0].last_page, 1);
}

TEST_F(SplitTest, FailedAndEmptyDocumentsStayWholeAndUntyped) {
  Document failed = pdf({kForm, kOutline});
  failed.error = Error{Code::kEncryptedDocument, "needs a password"};
  auto parts = understand(failed);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].type, DocType::kUnknown);
  EXPECT_EQ(parts[0].type_score, 0);
  ASSERT_TRUE(parts[0].doc.error.has_value());
  EXPECT_EQ(parts[0].doc.error->code, Code::kEncryptedDocument);
  auto empty = understand(pdf({}));
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_EQ(empty[0].type, DocType::kUnknown);
  EXPECT_EQ(empty[0].last_page, 0);
}

TEST_F(SplitTest, AnEmailBodyIsACoverLetter) {
  Document body = pdf({"Subject: CLEE packet\n\nPlease see the attached request.\nThanks, Karen"}, Format::kText);
  auto parts = understand(body, "body");
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].type, DocType::kCoverLetter);
  // The same text as a file of its own is not taken for a letter.
  EXPECT_NE(understand(body, "file")[0].type, DocType::kCoverLetter);
  // A body that failed to read is still the cover letter.
  body.error = Error{Code::kUnreadableDocument, "bad charset"};
  EXPECT_EQ(understand(body, "body")[0].type, DocType::kCoverLetter);
}

TEST_F(SplitTest, RolesAndDocumentsStayParallel) {
  std::vector<Document> docs = {pdf({kForm, kOutline}), pdf({"Dear reviewer, please find attached our packet.\nSincerely"},
                                                           Format::kText)};
  auto parts = understand_documents(docs, {"file", "body"}, *rules_);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].type, DocType::kRequestForm);
  EXPECT_EQ(parts[1].type, DocType::kCourseOutline);
  EXPECT_EQ(parts[2].type, DocType::kCoverLetter);
  // Fewer roles than documents: the rest are plain files.
  auto fewer = understand_documents(docs, {}, *rules_);
  ASSERT_EQ(fewer.size(), 3u);
}

}  // namespace
}  // namespace clee
