// Sending through a real SMTP server (a private Postfix on loopback, tests/support/
// postfix_server.h): STARTTLS + AUTH and smtps deliver; a server without STARTTLS, a wrong
// password, a 4xx and a server that is down are retried; a 5xx to the message is permanent and
// keeps the server's words.
#include "notify/smtp.h"

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "notify/message.h"
#include "tests/support/postfix_server.h"

namespace clee::notify {
namespace {

class SmtpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new test::PostfixServer();
    error_ = server_->start(testing::TempDir() + "/smtp-test-" + std::to_string(::getpid()));
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_EQ(error_, "") << "Postfix did not start";
    server_->clear();
  }
  SmtpOptions options(const std::string& url) {
    SmtpOptions o;
    o.url = url;
    o.user = "clee";
    o.password = "secret";
    o.ca_file = server_->ca_file();
    o.timeout_seconds = 30;
    return o;
  }
  std::string message(const std::string& to, const std::string& id) {
    MailMessage m;
    m.from = {"CLEE office", "clee@example.com"};
    m.to = {{"", to}};
    m.subject = "Test " + id;
    m.message_id = id + "@example.com";
    m.date = 1796126023;
    m.text = "Body of " + id + "\n.\n..leading dots survive\n";
    return *build_mime(m);
  }
  static test::PostfixServer* server_;
  static std::string error_;
};
test::PostfixServer* SmtpTest::server_ = nullptr;
std::string SmtpTest::error_;

TEST_F(SmtpTest, StartTlsWithAuthDelivers) {
  SmtpSender s(options(server_->starttls_url()));
  SendResult r = s.send("clee@example.com", {"jane@example.org", "archive@example.com"}, message("jane@example.org", "m1"));
  ASSERT_EQ(r.outcome, SendOutcome::kSent) << r.error;
  EXPECT_EQ(r.code, 250);
  EXPECT_NE(r.reply.find("queued as"), std::string::npos) << r.reply;
  auto got = server_->wait_for(2);
  ASSERT_EQ(got.size(), 2u) << server_->log();
  std::string both = got[0] + got[1];
  EXPECT_NE(both.find("Delivered-To: jane@example.org"), std::string::npos);
  EXPECT_NE(both.find("Delivered-To: archive@example.com"), std::string::npos);  // the Bcc: envelope only
  EXPECT_EQ(both.find("archive@example.com\r\nTo:"), std::string::npos);
  EXPECT_NE(got[0].find("Message-Id: <m1@example.com>"), std::string::npos);
  EXPECT_NE(got[0].find("with ESMTPSA"), std::string::npos);  // TLS and AUTH were used
  EXPECT_NE(got[0].find("..leading dots survive"), std::string::npos);
}

TEST_F(SmtpTest, SmtpsDelivers) {
  SmtpSender s(options(server_->smtps_url()));
  SendResult r = s.send("clee@example.com", {"jane@example.org"}, message("jane@example.org", "m2"));
  ASSERT_EQ(r.outcome, SendOutcome::kSent) << r.error;
  auto got = server_->wait_for(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_NE(got[0].find("Subject: Test m2"), std::string::npos);
}

TEST_F(SmtpTest, ServerWithoutStartTlsIsRefusedAndRetried) {
  SmtpSender s(options(server_->plain_url()));
  SendResult r = s.send("clee@example.com", {"jane@example.org"}, message("jane@example.org", "m3"));
  EXPECT_EQ(r.outcome, SendOutcome::kRetry);
  EXPECT_NE(r.error.find("STARTTLS"), std::string::npos) << r.error;
  EXPECT_TRUE(server_->wait_for(1, 1.5).empty());
}

TEST_F(SmtpTest, UntrustedCertificateIsRefused) {
  SmtpOptions o = options(server_->starttls_url());
  o.ca_file = "/etc/ssl/certs/ca-certificates.crt";  // the system's CAs do not know this server
  SendResult r = SmtpSender(o).send("clee@example.com", {"jane@example.org"}, message("jane@example.org", "m4"));
  EXPECT_EQ(r.outcome, SendOutcome::kRetry) << r.error;
  EXPECT_TRUE(server_->wait_for(1, 1.5).empty());
}

TEST_F(SmtpTest, WrongPasswordIsTheOfficesProblemNotTheMessages) {
  SmtpOptions o = options(server_->starttls_url());
  o.password = "wrong";
  SendResult r = SmtpSender(o).send("clee@example.com", {"jane@example.org"}, message("jane@example.org", "m5"));
  EXPECT_EQ(r.outcome, SendOutcome::kRetry) << r.error;
  EXPECT_EQ(r.code, 535);
  EXPECT_NE(r.error.find("after AUTH"), std::string::npos) << r.error;
  EXPECT_EQ(r.error.find("secret"), std::string::npos);
  EXPECT_EQ(r.error.find("wrong"), std::string::npos);
}

TEST_F(SmtpTest, RefusedRecipientIsPermanentWithTheServersWords) {
  SmtpSender s(options(server_->starttls_url()));
  SendResult r = s.send("clee@example.com", {"refused@example.org"}, message("refused@example.org", "m6"));
  EXPECT_EQ(r.outcome, SendOutcome::kPermanent);
  EXPECT_EQ(r.code, 550);
  EXPECT_NE(r.reply.find("550 5.1.1 <refused@example.org>: Recipient address rejected"), std::string::npos) << r.reply;
  EXPECT_NE(r.error.find("no such mailbox at this office"), std::string::npos) << r.error;
}

TEST_F(SmtpTest, TemporaryRefusalIsRetried) {
  SmtpSender s(options(server_->starttls_url()));
  SendResult r = s.send("clee@example.com", {"busy@example.org"}, message("busy@example.org", "m7"));
  EXPECT_EQ(r.outcome, SendOutcome::kRetry);
  EXPECT_EQ(r.code, 451);
  EXPECT_NE(r.reply.find("try again later"), std::string::npos) << r.reply;
}

TEST_F(SmtpTest, ServerDownIsRetried) {
  SmtpOptions o = options("smtp://127.0.0.1:" + std::to_string(test::free_port()));
  o.connect_timeout_seconds = 3;
  SendResult r = SmtpSender(o).send("clee@example.com", {"jane@example.org"}, message("jane@example.org", "m8"));
  EXPECT_EQ(r.outcome, SendOutcome::kRetry);
  EXPECT_EQ(r.code, 0);
  EXPECT_FALSE(r.error.empty());
}

TEST(SmtpClassify, OnlyAFiveHundredToTheMessageIsPermanent) {
  EXPECT_EQ(classify(CURLE_OK, "DATA", true, 250), SendOutcome::kSent);
  EXPECT_EQ(classify(CURLE_SEND_ERROR, "RCPT", false, 550), SendOutcome::kPermanent);
  EXPECT_EQ(classify(CURLE_SEND_ERROR, "MAIL", false, 553), SendOutcome::kPermanent);
  EXPECT_EQ(classify(CURLE_WEIRD_SERVER_REPLY, "DATA", true, 554), SendOutcome::kPermanent);
  EXPECT_EQ(classify(CURLE_SEND_ERROR, "RCPT", false, 451), SendOutcome::kRetry);
  EXPECT_EQ(classify(CURLE_LOGIN_DENIED, "AUTH", false, 535), SendOutcome::kRetry);
  EXPECT_EQ(classify(CURLE_WEIRD_SERVER_REPLY, "", false, 554), SendOutcome::kRetry);  // refused at the greeting
  EXPECT_EQ(classify(CURLE_COULDNT_CONNECT, "", false, 0), SendOutcome::kRetry);
  EXPECT_EQ(classify(CURLE_OPERATION_TIMEDOUT, "DATA", true, 0), SendOutcome::kRetry);
}

TEST(SmtpUrl, Checked) {
  EXPECT_TRUE(check_smtp_url("smtp://mail.example.gov:587"));
  EXPECT_TRUE(check_smtp_url("smtps://mail.example.gov:465"));
  EXPECT_FALSE(check_smtp_url("http://mail.example.gov"));
  EXPECT_FALSE(check_smtp_url("smtp://user:pw@mail.example.gov"));
  EXPECT_FALSE(check_smtp_url("smtp://"));
}

}  // namespace
}  // namespace clee::notify
