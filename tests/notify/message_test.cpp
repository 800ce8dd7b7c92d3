// Messages as MIME (parsed back with GMime, as a recipient's client would) and the office's
// templates: what the provider receives, and that no value can add a header or markup.
#include "notify/message.h"

#include <gmime/gmime.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "notify/templates.h"

namespace clee::notify {
namespace {

struct GUnref {
  void operator()(void* p) const {
    if (p) g_object_unref(p);
  }
};

GMimeMessage* parse(const std::string& bytes) {
  g_mime_init();
  std::unique_ptr<GMimeStream, GUnref> s(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  std::unique_ptr<GMimeParser, GUnref> p(g_mime_parser_new_with_stream(s.get()));
  return g_mime_parser_construct_message(p.get(), nullptr);
}

// The header block of `mime` (up to the first empty line).
std::string head(const std::string& mime) { return mime.substr(0, mime.find("\r\n\r\n") + 2); }

MailMessage sample() {
  MailMessage m;
  m.from = {"Pennsylvania MPOETC", "clee@office.example.gov"};
  m.to = {{"Jane Doe", "jane@example.org"}};
  m.reply_to = Mailbox{"", "training@office.example.gov"};
  m.subject = "CLEE approval CLEE-2027-0001: Crash Reconstruction";
  m.message_id = make_message_id("clee.approval.P-0123456789", "office.example.gov");
  m.date = 1796126023;
  m.text = "Hello Jane,\n\nYour course is approved.\n";
  m.headers = {{"X-CLEE-Packet", "P-0123456789"}};
  return m;
}

TEST(Message, HeadersAndBody) {
  auto mime = build_mime(sample());
  ASSERT_TRUE(mime) << mime.error().message;
  std::string h = head(*mime);
  EXPECT_NE(h.find("Message-Id: <clee.approval.P-0123456789@office.example.gov>\r\n"), std::string::npos) << h;
  EXPECT_NE(h.find("X-CLEE-Packet: P-0123456789\r\n"), std::string::npos);
  EXPECT_NE(h.find("Reply-To: training@office.example.gov\r\n"), std::string::npos);
  EXPECT_NE(h.find("Date: Tue, 01 Dec 2026"), std::string::npos);
  std::unique_ptr<GMimeMessage, GUnref> msg(parse(*mime));
  ASSERT_TRUE(msg);
  EXPECT_STREQ(g_mime_message_get_subject(msg.get()), "CLEE approval CLEE-2027-0001: Crash Reconstruction");
  EXPECT_STREQ(g_mime_message_get_message_id(msg.get()), "clee.approval.P-0123456789@office.example.gov");
  GMimeObject* body = g_mime_message_get_body(msg.get());
  ASSERT_TRUE(GMIME_IS_TEXT_PART(body));
  char* text = g_mime_text_part_get_text(GMIME_TEXT_PART(body));
  EXPECT_STREQ(text, "Hello Jane,\r\n\r\nYour course is approved.\r\n");
  g_free(text);
  // Every line ends in CRLF (SMTP).
  for (size_t p = mime->find('\n'); p != std::string::npos; p = mime->find('\n', p + 1)) ASSERT_EQ((*mime)[p - 1], '\r');
  // The same message built again is the same message.
  EXPECT_EQ(*build_mime(sample()), *mime);
}

TEST(Message, NoValueAddsAHeaderOrARecipient) {
  MailMessage m = sample();
  m.subject = "Course\r\nBcc: victim@example.com\r\n\r\nforged body";
  m.to[0].name = "Jane\r\nCc: other@example.com";
  m.headers = {{"X-CLEE-Packet", "P-1\nX-Evil: 1"}};
  auto mime = build_mime(m);
  ASSERT_TRUE(mime) << mime.error().message;
  std::string h = head(*mime);
  EXPECT_EQ(h.find("\r\nBcc:"), std::string::npos) << h;
  EXPECT_EQ(h.find("\r\nCc:"), std::string::npos) << h;
  EXPECT_EQ(h.find("\r\nX-Evil:"), std::string::npos) << h;
  std::unique_ptr<GMimeMessage, GUnref> msg(parse(*mime));
  EXPECT_STREQ(g_mime_message_get_subject(msg.get()), "Course Bcc: victim@example.com forged body");
  InternetAddressList* cc = g_mime_message_get_cc(msg.get());
  EXPECT_EQ(internet_address_list_length(cc), 0);
  // Addresses must be one plain mailbox; a bad one is refused, never sent.
  m.to[0].address = "jane@example.org, boss@example.com";
  EXPECT_FALSE(build_mime(m));
  m.to[0].address = "jane@example.org\r\nRCPT TO:<x@y.z>";
  EXPECT_FALSE(build_mime(m));
  m = sample();
  m.message_id = "a b@c";
  EXPECT_FALSE(build_mime(m));
}

TEST(Message, HtmlAlternativeIsEscapedText) {
  MailMessage m = sample();
  m.html = true;
  m.text = "Title: <script>alert(1)</script> & \"more\"\nline two";
  auto mime = build_mime(m);
  ASSERT_TRUE(mime);
  std::unique_ptr<GMimeMessage, GUnref> msg(parse(*mime));
  GMimeObject* body = g_mime_message_get_mime_part(msg.get());
  ASSERT_TRUE(GMIME_IS_MULTIPART(body));
  GMimeObject* html = g_mime_multipart_get_part(GMIME_MULTIPART(body), 1);
  ASSERT_TRUE(GMIME_IS_TEXT_PART(html));
  char* t = g_mime_text_part_get_text(GMIME_TEXT_PART(html));
  std::string s = t;
  g_free(t);
  EXPECT_NE(s.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;<br>"), std::string::npos) << s;
  EXPECT_EQ(s.find("<script>"), std::string::npos);
}

TEST(Message, AttachmentArrivesByteForByte) {
  MailMessage m = sample();
  std::string pdf = "%PDF-1.5\n";
  for (int i = 0; i < 5000; ++i) pdf.push_back(static_cast<char>(i * 7));
  m.attachments.push_back({"CLEE Roster CLEE-2027-0001.pdf", "application/pdf", pdf});
  auto mime = build_mime(m);
  ASSERT_TRUE(mime);
  std::unique_ptr<GMimeMessage, GUnref> msg(parse(*mime));
  GMimeObject* body = g_mime_message_get_mime_part(msg.get());
  ASSERT_TRUE(GMIME_IS_MULTIPART(body));
  ASSERT_EQ(g_mime_multipart_get_count(GMIME_MULTIPART(body)), 2);
  GMimePart* part = GMIME_PART(g_mime_multipart_get_part(GMIME_MULTIPART(body), 1));
  EXPECT_STREQ(g_mime_part_get_filename(part), "CLEE Roster CLEE-2027-0001.pdf");
  std::unique_ptr<GMimeStream, GUnref> out(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(g_mime_part_get_content(part), out.get());
  GByteArray* arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
  EXPECT_EQ(std::string(reinterpret_cast<char*>(arr->data), arr->len), pdf);
}

TEST(Mailbox, WhatFormsSay) {
  EXPECT_EQ(parse_mailbox("jane@example.org")->address, "jane@example.org");
  auto named = parse_mailbox("\"Jane Doe\" <jane@example.org>");
  EXPECT_EQ(named->address, "jane@example.org");
  EXPECT_EQ(named->name, "Jane Doe");
  EXPECT_EQ(parse_mailbox("mailto:jane@example.org")->address, "jane@example.org");
  EXPECT_EQ(parse_mailbox("jane@example.org; bob@example.org")->address, "jane@example.org");
  EXPECT_EQ(parse_mailbox("jane@example.org, bob@example.org")->address, "jane@example.org");
  EXPECT_EQ(parse_mailbox("  jane@example.org. ")->address, "jane@example.org");
  EXPECT_FALSE(parse_mailbox("Jane Doe"));
  EXPECT_FALSE(parse_mailbox("jane at example dot org"));
  EXPECT_FALSE(parse_mailbox("jane@localhost"));
  EXPECT_FALSE(parse_mailbox("ja ne@example.org"));
  EXPECT_FALSE(parse_mailbox(""));
  EXPECT_EQ(domain_of("clee@office.example.gov"), "office.example.gov");
  EXPECT_EQ(make_message_id("approval.CLEE-2027/0001 P", "office.example.gov"), "approval.CLEE-2027-0001-P@office.example.gov");
}

TEST(Templates, DefaultsParseAndUseOnlyKnownNames) {
  for (const auto& name : template_names()) {
    auto t = parse_template(name, default_template_text(name), "built-in " + name);
    ASSERT_TRUE(t) << name << ": " << t.error().message;
  }
  auto set = TemplateSet::load("");
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_NE(set->get("request_info").subject.find("{{token}}"), std::string::npos);
}

TEST(Templates, Render) {
  auto t = parse_template("rejection", "Subject: Not approved: {{course_title}}\n\nHello {{contact_name}},\n{{reason}}\n\n{{message}}\n\nbye {{message}}\n{{office_signature}}\n", "t.txt");
  ASSERT_TRUE(t) << t.error().message;
  auto r = render(*t, {{"course_title", "Firearms {{reason}}"}, {"contact_name", "Jane"}, {"reason", "A refresher."},
                       {"office_signature", "Training staff"}});
  EXPECT_EQ(r.subject, "Not approved: Firearms {{reason}}");  // a value is data, never expanded
  // The line holding only an empty {{message}} is gone; the one with other text stays.
  EXPECT_EQ(r.body, "Hello Jane,\nA refresher.\n\nbye \nTraining staff\n");
}

TEST(Templates, MistakesAreNamedWithTheirLine) {
  auto bad = parse_template("approval", "Subject: x\n\nline\n{{clee_idd}}\n", "/etc/clee/approval.txt");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "/etc/clee/approval.txt:4: unknown placeholder {{clee_idd}}");
  EXPECT_EQ(bad.error().code, Code::kInvalidConfig);
  EXPECT_EQ(parse_template("approval", "Hello\n", "a.txt").error().message, "a.txt:1: a template starts with a 'Subject: …' line");
  EXPECT_EQ(parse_template("approval", "Subject: x\nbody\n", "a.txt").error().message,
            "a.txt:2: an empty line must follow the Subject line");
  EXPECT_EQ(parse_template("approval", "Subject: x\n\nHi {{name\n", "a.txt").error().message,
            "a.txt:3: '{{' without a closing '}}'");
}

TEST(Templates, OfficeFolderReplacesADefault) {
  std::string dir = testing::TempDir() + "/templates-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/approval.txt") << "Subject: Approved {{clee_id}}\n\nDear {{contact_name}}, see attached.\n";
  auto set = TemplateSet::load(dir);
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->get("approval").subject, "Approved {{clee_id}}");
  EXPECT_EQ(set->get("approval").source, dir + "/approval.txt");
  EXPECT_EQ(set->get("rejection").source, "built-in rejection");
  std::ofstream(dir + "/rejection.txt") << "Subject: x\n\n{{nope}}\n";
  auto bad = TemplateSet::load(dir);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, dir + "/rejection.txt:3: unknown placeholder {{nope}}");
  // A link is never followed.
  std::filesystem::remove(dir + "/rejection.txt");
  std::filesystem::create_symlink("/etc/passwd", dir + "/rejection.txt");
  EXPECT_FALSE(TemplateSet::load(dir));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace clee::notify
