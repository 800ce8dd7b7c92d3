// Email unpacking (GMime) on fixtures made with Python's email package: fixtures/docs/with_attachments.eml
// (fixtures/make/docs.py) and fixtures/docs/containers/{forwarded,intl,html_only}.eml
// (fixtures/make/containers.py).
#include <gtest/gtest.h>

#include "extractors/extract.h"
#include "test_util.h"

namespace clee {
namespace {

std::vector<std::string> labels(const std::vector<ContainedFile>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(f.label + " (" + f.role + ")");
  return out;
}

TEST(Email, AttachmentsInlinePdfBodyAndSignature) {
  auto files = unpack(fixture("docs/with_attachments.eml"), "m.eml", Limits{});
  ASSERT_TRUE(files) << files.error().message;
  // The 40x12 signature PNG is skipped; the "inline" PDF (Apple Mail) is an attachment.
  EXPECT_EQ(labels(*files), (std::vector<std::string>{"message body (cover letter) (body)",
                                                      "Request Form.docx (attachment)",
                                                      "../../evil.pdf (attachment)",
                                                      "Miller CV.pdf (attachment)"}));
  EXPECT_NE((*files)[0].bytes.find("Please find attached our request form"), std::string::npos);
  EXPECT_EQ((*files)[3].bytes.substr(0, 5), "%PDF-");
  EXPECT_EQ(sniff((*files)[1].bytes), Format::kDocx);
}

TEST(Email, ForwardedMessageIsFlattened) {
  auto files = unpack(fixture("docs/containers/forwarded.eml"), "f.eml", Limits{});
  ASSERT_TRUE(files) << files.error().message;
  EXPECT_EQ(labels(*files), (std::vector<std::string>{"message body (cover letter) (body)",
                                                      "Forwarded Form.pdf (attachment)"}));
  const std::string& b = (*files)[0].bytes;
  EXPECT_NE(b.find("Forwarding the packet below."), std::string::npos);
  EXPECT_NE(b.find("Forwarding the packet below.\n\nOriginal note from the provider."), std::string::npos) << b;
}

TEST(Email, CharsetsAndEncodedNames) {
  auto files = unpack(fixture("docs/containers/intl.eml"), "i.eml", Limits{});
  ASSERT_TRUE(files) << files.error().message;
  ASSERT_EQ(files->size(), 3u);
  // ISO-8859-1 body converted to UTF-8; RFC 2047 subject decoded.
  EXPECT_NE((*files)[0].bytes.find("Ci-joint le résumé du cours. Café à 10h."), std::string::npos) << (*files)[0].bytes;
  EXPECT_NE((*files)[0].bytes.find("Subject: Demande d'agrément – cours avancé"), std::string::npos);
  EXPECT_EQ((*files)[1].label, "Lebenslauf Müller.pdf");  // RFC 2231
  EXPECT_EQ((*files)[2].label, "Übersicht Kurs.pdf");     // RFC 2047 in a quoted parameter
}

TEST(Email, HtmlOnlyBodyAndEmbeddedLogo) {
  auto files = unpack(fixture("docs/containers/html_only.eml"), "h.eml", Limits{});
  ASSERT_TRUE(files) << files.error().message;
  EXPECT_EQ(labels(*files), (std::vector<std::string>{"message body (cover letter) (body)", "scan.png (attachment)"}));
  const std::string& b = (*files)[0].bytes;
  EXPECT_NE(b.find("Fish & Game <training> unit request."), std::string::npos) << b;
  EXPECT_NE(b.find("Course–ID\tADV-12"), std::string::npos) << b;  // numeric references, cells
  EXPECT_EQ(b.find("SCRIPT-NEVER"), std::string::npos);
  EXPECT_EQ(b.find("color:red"), std::string::npos);
  EXPECT_EQ(b.find("<p>"), std::string::npos);
}

TEST(Email, InfoHeaders) {
  auto info = read_email_info(fixture("docs/containers/forwarded.eml"));
  ASSERT_TRUE(info);
  EXPECT_EQ(info->message_id, "outer-001@pa.gov");
  EXPECT_EQ(info->in_reply_to, "clee-req-42@pa.gov");
  EXPECT_EQ(info->references, (std::vector<std::string>{"clee-req-41@pa.gov", "clee-req-42@pa.gov"}));
  EXPECT_EQ(info->subject, "Fwd: Original submission");
  EXPECT_NE(info->from.find("kwhitfield@keystonepsti.org"), std::string::npos);
  EXPECT_EQ(info->to, "RA-MPOETC-CLEE@pa.gov");
  EXPECT_NE(info->date.find("03 Nov 2026"), std::string::npos);
  auto intl = read_email_info(fixture("docs/containers/intl.eml"));
  ASSERT_TRUE(intl);
  EXPECT_EQ(intl->subject, "Demande d'agrément – cours avancé");
}

TEST(Email, LimitsAndGarbage) {
  Limits l;
  l.max_entries = 2;  // the message has more MIME parts than that
  auto r = unpack(fixture("docs/with_attachments.eml"), "m.eml", l);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kLimitExceeded);
  Limits tiny;
  tiny.max_total_inflated = 1000;  // attachments are larger
  auto t = unpack(fixture("docs/with_attachments.eml"), "m.eml", tiny);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, Code::kLimitExceeded);
  // A truncated message still parses as far as it goes and never crashes.
  std::string eml = fixture("docs/with_attachments.eml");
  for (size_t cut : {size_t{10}, eml.size() / 3, eml.size() / 2}) {
    auto part = unpack(eml.substr(0, cut), "cut.eml", Limits{});
    if (part) {
      for (const auto& f : *part) EXPECT_FALSE(f.label.empty());
    }
  }
}

}  // namespace
}  // namespace clee
