// Outlook's formats as containers like .eml: .msg (a packet sent as one Outlook item, with a
// forwarded message attached; a .msg attached to an ordinary email) and TNEF winmail.dat
// (Outlook's rich-text mail, from the Tika corpus when present), plus the compressed-RTF codec.
#include <gtest/gtest.h>

#include "extractors/extract.h"
#include "extractors/mapi.h"
#include "extractors/msg.h"
#include "extractors/sniff.h"
#include "extractors/tnef.h"
#include "test_util.h"

namespace clee {
namespace {

bool has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

std::string tika(const std::string& rel) { return read_file(std::string(CLEE_SHARED_DIR) + "/corpora/tika/" + rel); }

std::vector<std::string> labels(const std::vector<ContainedFile>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(f.label);
  return out;
}

TEST(Msg, PacketAsOneOutlookItem) {
  std::string bytes = fixture("docs/formats/outlook_packet.msg");
  EXPECT_EQ(sniff_content(bytes).kind, Kind::kMsg);
  EXPECT_EQ(sniff(bytes), Format::kEmail);
  EXPECT_TRUE(is_container(sniff(bytes)));
  auto files = unpack(bytes, "packet.msg", Limits{});
  ASSERT_TRUE(files) << files.error().message;
  // The body is the cover letter; the attachments follow under their own names, and the
  // forwarded message's attachment belongs to the packet too.
  EXPECT_EQ(labels(*files), (std::vector<std::string>{"message body (cover letter)", "CLEE Request Form.doc",
                                                      "Course Outline.odt", "Miller resume.docx", "Lopez CV.rtf"}));
  EXPECT_EQ((*files)[0].role, "body");
  EXPECT_EQ((*files)[1].role, "attachment");
  EXPECT_EQ((*files)[0].bytes.rfind("Subject: CLEE approval request - EDR reconstruction\n\nDear CLEE staff,", 0), 0u);
  EXPECT_TRUE(has((*files)[0].bytes, "Maria's CV, as she sent it to me."));  // the forwarded message's body
  // Attachment bytes are the files themselves.
  EXPECT_EQ(sniff_content((*files)[1].bytes).kind, Kind::kDoc);
  EXPECT_EQ(sniff_content((*files)[4].bytes).kind, Kind::kRtf);
  // Threading headers for intake.
  auto info = read_email_info(bytes);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->message_id, "packet-msg-001@keystonepsti.org");
  EXPECT_EQ(info->subject, "CLEE approval request - EDR reconstruction");
  EXPECT_EQ(info->from, "Karen Whitfield <kwhitfield@keystonepsti.org>");
  EXPECT_EQ(info->date, "2026-11-02T15:15:00Z");
}

TEST(Msg, MsgAttachedToAnEmailIsExpanded) {
  auto docs = extract_all(fixture("docs/formats/msg_in_mail.eml"), "fwd.eml", no_ocr());
  std::vector<std::string> names;
  for (const auto& d : docs) names.push_back(d.name);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "fwd.eml/message body (cover letter)", "fwd.eml/CLEE request.msg/message body (cover letter)",
                       "fwd.eml/CLEE request.msg/CLEE Request Form.doc", "fwd.eml/CLEE request.msg/Course Outline.odt",
                       "fwd.eml/CLEE request.msg/Miller resume.docx", "fwd.eml/CLEE request.msg/Lopez CV.rtf"}));
  for (const auto& d : docs) EXPECT_FALSE(d.error) << d.name;
  EXPECT_EQ(docs[2].format, Format::kDoc);
  EXPECT_TRUE(has(all_text(docs[2]), "Credit Hours Requested\t16"));
}

TEST(Msg, OutlooksOwnFiles) {
  std::string att = tika("msg/testMSG_att_doc.msg");
  if (att.empty()) GTEST_SKIP() << "no Tika corpus";
  auto files = unpack(att, "t.msg", Limits{});
  ASSERT_TRUE(files) << files.error().message;
  EXPECT_EQ(labels(*files), (std::vector<std::string>{"message body (cover letter)", "test-unicode.doc", "pj1.txt"}));
  EXPECT_TRUE(has((*files)[0].bytes, "Subject: test pièce jointe 1"));  // a Unicode (001F) subject
  // 8-bit (001E) properties in the message's code page; a Chinese subject.
  auto chinese = unpack(tika("msg/testMSG_chinese.msg"), "c.msg", Limits{});
  ASSERT_TRUE(chinese);
  EXPECT_TRUE(has((*chinese)[0].bytes, "MSG 格式測試"));
  auto plain = read_email_info(tika("msg/testMSG.msg"));
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->subject, "MIME registry use cases");
}

TEST(Msg, DamagedAndLimited) {
  std::string bytes = fixture("docs/formats/outlook_packet.msg");
  for (size_t n = 0; n < bytes.size(); n += 2048) {
    auto r = unpack(std::string_view(bytes).substr(0, n), "cut.msg", Limits{});
    if (!r) { EXPECT_NE(r.error().code, Code::kInternal); }
  }
  Limits few;
  few.max_entries = 2;  // the message has 4 attachments
  auto r = unpack(bytes, "p.msg", few);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kLimitExceeded);
  Limits small;
  small.max_total_inflated = 30000;
  auto s = unpack(bytes, "p.msg", small);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Code::kLimitExceeded);
}

TEST(Tnef, WinmailDatCarriesTheAttachments) {
  std::string dat = tika("dat/testWINMAIL.dat");
  if (dat.empty()) GTEST_SKIP() << "no Tika corpus";
  EXPECT_EQ(sniff_content(dat).kind, Kind::kTnef);
  auto files = unpack(dat, "winmail.dat", Limits{});
  ASSERT_TRUE(files) << files.error().message;
  EXPECT_EQ(labels(*files), (std::vector<std::string>{"message body (cover letter)", "quick.doc", "quick.html",
                                                      "quick.pdf", "quick.txt", "quick.xml"}));
  // The body is Outlook's compressed RTF, decompressed and read as RTF.
  EXPECT_TRUE(has((*files)[0].bytes, "These are five files."));
  EXPECT_FALSE(has((*files)[0].bytes, "\\rtf"));
  EXPECT_EQ(sniff_content((*files)[3].bytes).kind, Kind::kPdf);
}

// winmail.dat as it arrives: an application/ms-tnef part of an ordinary email.
TEST(Tnef, InsideAnEmail) {
  std::string dat = tika("dat/testWINMAIL.dat");
  if (dat.empty()) GTEST_SKIP() << "no Tika corpus";
  static const char* kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string b64;
  for (size_t i = 0; i < dat.size(); i += 3) {
    uint32_t v = static_cast<unsigned char>(dat[i]) << 16;
    if (i + 1 < dat.size()) v |= static_cast<unsigned char>(dat[i + 1]) << 8;
    if (i + 2 < dat.size()) v |= static_cast<unsigned char>(dat[i + 2]);
    b64 += kB64[(v >> 18) & 63];
    b64 += kB64[(v >> 12) & 63];
    b64 += i + 1 < dat.size() ? kB64[(v >> 6) & 63] : '=';
    b64 += i + 2 < dat.size() ? kB64[v & 63] : '=';
    if (b64.size() % 77 == 76) b64 += "\n";
  }
  std::string eml =
      "From: Provider <p@example.org>\nTo: clee@example.gov\nSubject: rich text mail\nMessage-ID: <t@x>\n"
      "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\n"
      "See the attachments.\n--b\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\n"
      "Content-Disposition: attachment; filename=\"winmail.dat\"\nContent-Transfer-Encoding: base64\n\n" +
      b64 + "\n--b--\n";
  auto docs = extract_all(eml, "m.eml", no_ocr());
  std::vector<std::string> names;
  for (const auto& d : docs) names.push_back(d.name);
  ASSERT_EQ(docs.size(), 7u) << ::testing::PrintToString(names);
  EXPECT_EQ(names[1], "m.eml/winmail.dat/message body (cover letter)");
  EXPECT_EQ(names[2], "m.eml/winmail.dat/quick.doc");
  EXPECT_EQ(docs[2].format, Format::kDoc);
  EXPECT_TRUE(has(all_text(docs[2]), "The quick brown fox jumps over the lazy dog"));
}

TEST(Tnef, DamagedStreamsAreTyped) {
  std::string dat = tika("dat/testWINMAIL.dat");
  if (dat.empty()) GTEST_SKIP() << "no Tika corpus";
  for (size_t n = 0; n < dat.size(); n += 97) {
    auto r = unpack_tnef(std::string_view(dat).substr(0, n), Limits{});
    if (!r) { EXPECT_TRUE(r.error().code == Code::kUnreadableDocument || r.error().code == Code::kLimitExceeded); }
  }
  for (size_t at = 6; at + 8 < dat.size(); at += 331) {
    std::string bad = dat;
    bad[at] = static_cast<char>(0xFF);
    bad[at + 4] = static_cast<char>(0x7F);
    auto r = unpack_tnef(bad, Limits{});
    if (!r) { EXPECT_NE(r.error().code, Code::kInternal); }
  }
  auto none = unpack_tnef("\x78\x9F\x3E\x22", Limits{});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Code::kUnreadableDocument);
}

TEST(Mapi, CompressedRtf) {
  // MS-OXRTFCP's own example: "{\rtf1\ansi\ansicpg1252\pard hello world}\r\n" compressed.
  const unsigned char example[] = {0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xf1,
                                   0xc5, 0xc7, 0xa7, 0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32,
                                   0x35, 0x42, 0x32, 0x0a, 0xf3, 0x20, 0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62,
                                   0x77, 0x05, 0xb0, 0x6c, 0x64, 0x7d, 0x0a, 0x80, 0x0f, 0xa0};
  auto r = mapi::decompress_rtf(std::string(reinterpret_cast<const char*>(example), sizeof example), 1 << 20);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n");
  auto bomb = mapi::decompress_rtf(std::string(reinterpret_cast<const char*>(example), sizeof example), 10);
  ASSERT_FALSE(bomb);
  EXPECT_EQ(bomb.error().code, Code::kLimitExceeded);
  EXPECT_FALSE(mapi::decompress_rtf("short", 100));
}

}  // namespace
}  // namespace clee
