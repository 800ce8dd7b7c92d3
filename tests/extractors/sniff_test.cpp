// Format sniffing by content, never by name: magic numbers, a zip's entries, email header lines,
// libmagic as the fallback, a text heuristic last.
#include <gtest/gtest.h>

#include "extractors/extract.h"
#include "test_util.h"

namespace clee {
namespace {

TEST(Sniff, WrongTypeBehindAFamiliarExtension) {
  std::string mime;
  EXPECT_EQ(sniff(fixture("docs/really_a_docx.pdf"), &mime), Format::kDocx);  // a DOCX named .pdf
  EXPECT_EQ(mime, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(sniff(fixture("docs/notes.pdf")), Format::kText);                 // plain text named .pdf
  EXPECT_EQ(sniff(fixture("docs/garbage.pdf")), Format::kUnknown);            // random bytes named .pdf
}

TEST(Sniff, EveryFixtureKind) {
  EXPECT_EQ(sniff(fixture("docs/text_outline.pdf")), Format::kPdf);
  EXPECT_EQ(sniff(fixture("docs/rich.docx")), Format::kDocx);
  EXPECT_EQ(sniff(fixture("docs/lo_outline.docx")), Format::kDocx);  // LibreOffice's own zip layout
  EXPECT_EQ(sniff(fixture("docs/bomb.zip")), Format::kZip);
  EXPECT_EQ(sniff(fixture("docs/traversal.zip")), Format::kZip);  // holds an uncompressed PDF near the start
  EXPECT_EQ(sniff(fixture("docs/with_attachments.eml")), Format::kEmail);
  EXPECT_EQ(sniff(fixture("docs/scan_form.png")), Format::kImage);
  EXPECT_EQ(sniff(fixture("docs/scan_form_sideways.jpg")), Format::kImage);
  EXPECT_EQ(sniff(fixture("docs/two_pages.tiff")), Format::kImage);
}

TEST(Sniff, PdfHeaderAfterLeadingJunk) {
  // Readers accept "%PDF-" anywhere in the first 1024 bytes (e.g. a mail gateway's banner).
  std::string pdf = fixture("docs/text_outline.pdf");
  EXPECT_EQ(sniff(std::string(1000, '\n') + pdf), Format::kPdf);
  EXPECT_NE(sniff(std::string(1030, 'x') + pdf), Format::kPdf);
}

TEST(Sniff, EmailByHeaderLinesOnly) {
  std::string eml = fixture("docs/with_attachments.eml");
  EXPECT_EQ(sniff(eml), Format::kEmail);
  // The same body without its header block is not a message.
  std::string body = eml.substr(eml.find("\n\n") + 2);
  EXPECT_NE(sniff(body), Format::kEmail);
  // One "Subject:"-like line in a text note does not make an email.
  EXPECT_EQ(sniff("Subject: notes for the course\nThis is just text we typed.\n"), Format::kText);
}

TEST(Sniff, LibmagicNamesWhatMagicNumbersDoNot) {
  // `printf x | gzip -n`: no magic number of ours matches; libmagic names it, and it is unknown.
  const unsigned char gz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xab,
                              0x00, 0x00, 0x83, 0x16, 0xdc, 0x8c, 0x01, 0x00, 0x00, 0x00};
  std::string mime;
  EXPECT_EQ(sniff(std::string(reinterpret_cast<const char*>(gz), sizeof gz), &mime), Format::kUnknown);
  EXPECT_EQ(mime, "application/gzip");
}

TEST(Sniff, EmptyAndBinary) {
  EXPECT_EQ(sniff(""), Format::kUnknown);
  EXPECT_EQ(sniff(std::string("\0\1\2\3binary\0", 11)), Format::kUnknown);
}

TEST(Sniff, FormatNamesAreTheReportVocabulary) {
  EXPECT_STREQ(format_name(Format::kPdf), "pdf");
  EXPECT_STREQ(format_name(Format::kDocx), "docx");
  EXPECT_STREQ(format_name(Format::kImage), "image");
  EXPECT_STREQ(format_name(Format::kText), "text");
  EXPECT_STREQ(format_name(Format::kEmail), "email");
  EXPECT_STREQ(format_name(Format::kUnknown), "unknown");
  EXPECT_TRUE(is_container(Format::kZip));
  EXPECT_TRUE(is_container(Format::kEmail));
  EXPECT_FALSE(is_container(Format::kDocx));
}

}  // namespace
}  // namespace clee
