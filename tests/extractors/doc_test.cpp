// Word 97–2003 (.doc), read natively: the course documents as LibreOffice saves them ("MS Word
// 97"), a password-protected one, and damaged ones; Word 6/95 goes to the converter.
#include <gtest/gtest.h>

#include "extractors/doc.h"
#include "extractors/extract.h"
#include "extractors/sniff.h"
#include "test_util.h"

namespace clee {
namespace {

bool has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

TEST(Doc, RequestFormTableHeaderAndMetadata) {
  Document d = extract_document(fixture("docs/formats/form.doc"), "form.doc", no_ocr());
  ASSERT_FALSE(d.error) << d.error->message;
  EXPECT_EQ(d.format, Format::kDoc);
  EXPECT_EQ(d.mime, "application/msword");
  std::string t = all_text(d);
  EXPECT_TRUE(has(t, "Continuing Law Enforcement Education (CLEE) Request Form"));
  // Cell marks end cells, the row mark (PAPX fTtp) ends the row: one TAB-separated line per row.
  EXPECT_TRUE(has(t, "Training Provider Name\tKeystone Public Safety Training Institute\n")) << t;
  EXPECT_TRUE(has(t, "Contact E-mail\tkwhitfield@keystonepsti.org\n"));
  ASSERT_EQ(d.tables.size(), 1u);
  EXPECT_EQ(d.tables[0].rows.size(), 12u);
  for (const auto& row : d.tables[0].rows) EXPECT_EQ(row.size(), 2u);
  EXPECT_EQ(d.tables[0].rows[3], (std::vector<std::string>{"Credit Hours Requested", "16"}));
  // The header story is apart from the body.
  EXPECT_EQ(d.headers_footers, (std::vector<std::string>{"MPOETC CLEE Request Form - Rev. 2024"}));
  EXPECT_FALSE(has(t, "Rev. 2024"));
  EXPECT_EQ(d.metadata.title, "CLEE Request Form");
  EXPECT_EQ(d.metadata.author, "Provider staff");
  // Paragraph after the table: not a cell.
  EXPECT_TRUE(has(t, "\nSignature: ____________________    Date: ____________"));
}

TEST(Doc, OutlineAndCv) {
  Document o = extract_doc(fixture("docs/formats/outline.doc"), "outline.doc", no_ocr());
  ASSERT_FALSE(o.error);
  std::string t = all_text(o);
  EXPECT_TRUE(has(t, "Advanced Crash Reconstruction Using Event Data Recorders\nCourse Outline\nStatement of Purpose"));
  // List markers from the list definitions (LSTF/LVL/LFO), through the paragraph's list style.
  EXPECT_TRUE(has(t, "\n1. Demonstrate the retrieval of event data recorder data using the Bosch CDR tool.\n")) << t;
  EXPECT_TRUE(has(t, "\n3. Apply conservation of linear momentum to two-vehicle collisions.\n"));
  EXPECT_TRUE(has(t, "Unit\tHours\n"));
  EXPECT_TRUE(has(t, "Total Hours\t16\n"));
  ASSERT_EQ(o.tables.size(), 1u);
  EXPECT_EQ(o.tables[0].rows.back(), (std::vector<std::string>{"Total Hours", "16"}));
  Document cv = extract_doc(fixture("docs/formats/miller.doc"), "miller.doc", no_ocr());
  ASSERT_FALSE(cv.error);
  EXPECT_TRUE(has(all_text(cv), "\n• ACTAR Accredited Traffic Accident Reconstructionist #2231\n"));
}

TEST(Doc, PasswordProtectedIsEncrypted) {
  // LibreOffice "MS Word 97" with a password: RC4, fEncrypted set in the FIB.
  Document d = extract_document(fixture("docs/formats/outline_encrypted.doc"), "o.doc", no_ocr());
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kEncryptedDocument);
  EXPECT_EQ(d.format, Format::kDoc);
}

TEST(Doc, DamagedInputIsTyped) {
  std::string doc = fixture("docs/formats/outline.doc");
  // Cut anywhere: a typed error or a (partial) Document, never a crash.
  for (size_t n = 0; n < doc.size(); n += 511) {
    Document d = extract_doc(std::string_view(doc).substr(0, n), "cut.doc", no_ocr());
    if (d.error) {
      EXPECT_TRUE(d.error->code == Code::kUnreadableDocument || d.error->code == Code::kLimitExceeded)
          << n << ": " << d.error->message;
    }
  }
  // Bytes flipped in the middle (FIB, piece table, FKPs): the same.
  for (size_t at = 512; at < doc.size(); at += 1024) {
    std::string bad = doc;
    for (size_t k = at; k < std::min(bad.size(), at + 64); ++k) bad[k] = static_cast<char>(bad[k] ^ 0x5A);
    Document d = extract_doc(bad, "flipped.doc", no_ocr());
    if (d.error) { EXPECT_NE(d.error->code, Code::kInternal); }
  }
  // Cut before its directory: a damaged file, not a foreign one.
  Document cut = extract_document(std::string_view(doc).substr(0, doc.size() * 7 / 8), "cut.doc", no_ocr());
  ASSERT_TRUE(cut.error);
  EXPECT_EQ(cut.error->code, Code::kUnreadableDocument) << cut.error->message;
  Document g = extract_doc("not an OLE file", "g.doc", no_ocr());
  ASSERT_TRUE(g.error);
  EXPECT_EQ(g.error->code, Code::kUnreadableDocument);
}

// Found by fuzzing: a property set whose section offset is 0xFFFFFFFF (a 32-bit sum wrapped).
TEST(Doc, HostileSummaryInformation) {
  std::string doc = fixture("docs/formats/outline.doc");
  // The SummaryInformation property set: byte order FE FF, then its FMTID F29F85E0-4FF9-1068-AB91.
  const std::string fmtid("\xE0\x85\x9F\xF2\xF9\x4F\x68\x10\xAB\x91", 10);
  size_t at = doc.find(fmtid);
  ASSERT_NE(at, std::string::npos);
  for (uint32_t bad : {0xFFFFFFFFu, 0xFFFFFFF9u, 0x7FFFFFFFu}) {
    std::string hostile = doc;
    for (int k = 0; k < 4; ++k) hostile[at + 16 + k] = static_cast<char>((bad >> (8 * k)) & 0xFF);
    Document d = extract_doc(hostile, "hostile.doc", no_ocr());
    ASSERT_FALSE(d.error) << d.error->message;  // the text is still read; the metadata is not
    EXPECT_TRUE(d.metadata.title.empty());
    EXPECT_TRUE(has(all_text(d), "Statement of Purpose"));
  }
}

// Found by fuzzing (fuzz/regressions/doc/): the root entry's sibling links must be NOSTREAM
// ([MS-CFB] 2.6.3). libgsf follows them as more parentless roots: each sibling (and what hangs
// off it) is taken out of the real tree, and the entries it read are leaked. Pointed at the root's
// own children, they would hide the WordDocument stream; cleared, the file reads as it should.
TEST(Doc, RootEntrySiblingsAreIgnored) {
  std::string doc = fixture("docs/formats/outline.doc");
  Document plain = extract_doc(doc, "o.doc", no_ocr());
  ASSERT_FALSE(plain.error) << plain.error->message;
  auto le32 = [&](size_t o) {
    return static_cast<uint32_t>(static_cast<unsigned char>(doc[o])) | static_cast<uint32_t>(static_cast<unsigned char>(doc[o + 1])) << 8 |
           static_cast<uint32_t>(static_cast<unsigned char>(doc[o + 2])) << 16 | static_cast<uint32_t>(static_cast<unsigned char>(doc[o + 3])) << 24;
  };
  size_t sector = 1u << (static_cast<unsigned char>(doc[0x1E]));
  size_t root = (le32(0x30) + 1) * sector;  // entry 0 of the directory
  ASSERT_EQ(doc[root + 0x42], 5) << "entry 0 is the root storage";
  for (uint32_t left : {1u, 2u, 3u}) {
    std::string hostile = doc;
    for (int k = 0; k < 4; ++k) {
      hostile[root + 0x44 + k] = static_cast<char>((left >> (8 * k)) & 0xFF);
      hostile[root + 0x48 + k] = static_cast<char>(((left + 1) >> (8 * k)) & 0xFF);
    }
    Document d = extract_doc(hostile, "hostile.doc", no_ocr());
    ASSERT_FALSE(d.error) << left << ": " << d.error->message;
    EXPECT_EQ(all_text(d), all_text(plain)) << left;
  }
}

TEST(Doc, StreamLimitApplies) {
  ExtractOptions o = no_ocr();
  o.limits.max_entry_bytes = 4096;  // the WordDocument stream is larger
  Document d = extract_doc(fixture("docs/formats/outline.doc"), "o.doc", o);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
}

TEST(Doc, LegacyAndXmlWordGoToTheConverter) {
  EXPECT_EQ(sniff_content(fixture("docs/formats/outline.doc")).kind, Kind::kDoc);
  EXPECT_EQ(sniff_content(fixture("docs/formats/outline_word2003.xml")).kind, Kind::kWordXml);
  EXPECT_TRUE(needs_converter(Kind::kWordXml));
  EXPECT_TRUE(needs_converter(Kind::kDocLegacy));
  EXPECT_FALSE(needs_converter(Kind::kDoc));
  std::string word6 = read_file(std::string(CLEE_SHARED_DIR) + "/corpora/tika/doc/testWORD6.doc");
  if (!word6.empty()) { EXPECT_EQ(sniff_content(word6).kind, Kind::kDocLegacy); }  // no table stream: Word 6
}

}  // namespace
}  // namespace clee
