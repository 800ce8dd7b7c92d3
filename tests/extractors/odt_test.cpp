// OpenDocument text: .odt, .ott and flat .fodt by LibreOffice, read natively (never as a zip of
// parts), with list markers, tables, headers apart, metadata; encrypted and hostile packages.
#include <gtest/gtest.h>

#include "extractors/extract.h"
#include "extractors/odt.h"
#include "extractors/sniff.h"
#include "test_util.h"

namespace clee {
namespace {

bool has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

TEST(Odt, RequestFormIsOneDocumentNotAZip) {
  std::string bytes = fixture("docs/formats/form.odt");
  EXPECT_EQ(sniff(bytes), Format::kOdt);
  EXPECT_FALSE(is_container(sniff(bytes)));
  auto docs = extract_all(bytes, "form.odt", no_ocr());
  ASSERT_EQ(docs.size(), 1u);  // not content.xml, styles.xml and the thumbnail as documents
  const Document& d = docs[0];
  ASSERT_FALSE(d.error) << d.error->message;
  EXPECT_EQ(d.format, Format::kOdt);
  std::string t = all_text(d);
  EXPECT_TRUE(has(t, "MPOETC Provider Number\tMPOETC-CP-0412\n")) << t;
  EXPECT_TRUE(has(t, "Instructor(s)\tSgt. John A. Miller (ret.); Dr. Maria Lopez, LCSW\n"));
  ASSERT_EQ(d.tables.size(), 1u);
  EXPECT_EQ(d.tables[0].rows.size(), 12u);
  EXPECT_EQ(d.headers_footers, (std::vector<std::string>{"MPOETC CLEE Request Form - Rev. 2024"}));
  EXPECT_FALSE(has(t, "Rev. 2024"));
  EXPECT_EQ(d.metadata.title, "CLEE Request Form");
  EXPECT_EQ(d.metadata.author, "Provider staff");
  EXPECT_TRUE(has(d.metadata.creator, "LibreOffice"));
}

TEST(Odt, OutlineListMarkersAndScheduleInEveryFlavour) {
  for (const char* name : {"outline.odt", "outline.ott", "outline.fodt"}) {
    SCOPED_TRACE(name);
    Document d = extract_document(fixture(std::string("docs/formats/") + name), name, no_ocr());
    ASSERT_FALSE(d.error) << d.error->message;
    EXPECT_EQ(d.format, Format::kOdt);
    std::string t = all_text(d);
    // The numbered objectives carry the markers their list style gives.
    EXPECT_TRUE(has(t, "1. Demonstrate the retrieval of event data recorder data using the Bosch CDR tool.\n")) << t;
    EXPECT_TRUE(has(t, "4. Prepare a reconstruction report suitable for expert testimony.\n"));
    EXPECT_TRUE(has(t, "Hands-on EDR imaging with the CDR tool\t4\n"));
    ASSERT_EQ(d.tables.size(), 1u);
    EXPECT_EQ(d.tables[0].rows.front(), (std::vector<std::string>{"Unit", "Hours"}));
  }
  EXPECT_EQ(sniff_content(fixture("docs/formats/outline.ott")).mime, "application/vnd.oasis.opendocument.text-template");
  EXPECT_EQ(sniff_content(fixture("docs/formats/outline.fodt")).kind, Kind::kFlatOdt);
}

TEST(Odt, PasswordProtectedIsEncrypted) {
  Document d = extract_document(fixture("docs/formats/outline_encrypted.odt"), "o.odt", no_ocr());
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kEncryptedDocument);
}

TEST(Odt, EntitiesAreRefusedNeverExpanded) {
  Document d = extract_odt(fixture("docs/formats/entity_bomb.odt"), "bomb.odt", no_ocr());
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kUnsupportedFormat);
  EXPECT_FALSE(has(all_text(d), "aaaaaaaaaaaaaaaaaaaa"));
}

TEST(Odt, LimitsAndDamage) {
  ExtractOptions o = no_ocr();
  o.limits.max_entry_bytes = 2048;  // content.xml is larger
  Document d = extract_odt(fixture("docs/formats/outline.odt"), "o.odt", o);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->code, Code::kLimitExceeded);
  std::string odt = fixture("docs/formats/outline.odt");
  for (size_t n = 0; n < odt.size(); n += 1500) {
    Document cut = extract_odt(std::string_view(odt).substr(0, n), "cut.odt", no_ocr());
    ASSERT_TRUE(cut.error);  // a zip without its central directory
    EXPECT_EQ(cut.error->code, Code::kUnreadableDocument);
  }
}

}  // namespace
}  // namespace clee
