// The email loop through the real binary and a real SMTP server (a private Postfix on loopback,
// tests/support/start_postfix.sh): packets ingested from the fixtures get their receipts
// (complete / missing), a request for information carries the token in its Subject, the
// approval carries CLEE ID, title, hours, approved-through and the CLEE roster as a PDF (read
// back with pdftotext), the rejection its reason. A refusing server (5xx) fails the message with
// the server's words; a server that is down defers it, and it goes later, once.
// Every delivered message is read back from the Maildir with Python's email package.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/support/postfix_server.h"
#include "tests/support/shell.h"

namespace {
namespace fs = std::filesystem;

using clee::test::Ran;

Ran run(const std::string& cmd) { return clee::test::run_status(cmd + " 2>&1"); }

// Reads one delivered message: headers decoded, the text body, and each attachment saved.
constexpr const char* kReader = R"(import email, json, sys
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)
out = {k: str(m.get(k, '')) for k in ('Subject', 'To', 'From', 'Message-ID', 'In-Reply-To', 'Reply-To', 'Bcc')}
body = m.get_body(preferencelist=('plain',))
out['text'] = body.get_content() if body else ''
out['attachments'] = []
for i, part in enumerate(m.iter_attachments()):
    path = sys.argv[2] + '/attachment-%d' % i
    open(path, 'wb').write(part.get_payload(decode=True))
    out['attachments'].append({'name': part.get_filename(), 'type': part.get_content_type(), 'path': path})
print(json.dumps(out))
)";

class OutboxMail : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new clee::test::PostfixServer();
    error_ = server_->start(testing::TempDir() + "/outbox-mail-" + std::to_string(::getpid()));
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_EQ(error_, "") << "Postfix did not start";
    server_->clear();
    root_ = fs::path(testing::TempDir()) / ("outbox-" + std::to_string(::getpid()) + "-" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    std::ofstream(root_ / "reader.py") << kReader;
    std::ofstream(root_ / "password") << "secret\n";
    config();
  }
  void TearDown() override { fs::remove_all(root_); }

  // The office's config; `url` "" = the STARTTLS listener.
  void config(const std::string& url = "", const std::string& extra = "") {
    std::ofstream f(root_ / "clee.toml");
    f << "data_dir = \"" << (root_ / "data").string() << "\"\n"
      << "[smtp]\nurl = \"" << (url.empty() ? server_->starttls_url() : url) << "\"\n"
      << "user = \"clee\"\npassword_file = \"" << (root_ / "password").string() << "\"\n"
      << "ca_file = \"" << server_->ca_file() << "\"\n"
      << "from = \"PA MPOETC CLEE Office <ra-mpoetc-clee@example.gov>\"\n"
      << "reply_to = \"clee-replies@example.gov\"\n"
      << "retry_initial_seconds = 1\n"
      << extra << "[notify]\noffice_name = \"Pennsylvania MPOETC\"\n";
  }
  Ran cli(const std::string& args) {
    return run(std::string(CLEE_BINARY) + " --log-level off --config " + (root_ / "clee.toml").string() + " " + args);
  }
  std::string ingest(const std::string& fixture) {
    Ran r = cli("ingest " + std::string(CLEE_SOURCE_DIR) + "/fixtures/packets/" + fixture);
    EXPECT_EQ(r.status, 0) << r.out;
    return r.out.substr(0, r.out.find('\t'));
  }
  // Sends what is due; returns {sent, deferred, failed}.
  std::vector<int> send() {
    Ran r = cli("outbox send");
    EXPECT_EQ(r.status, 0) << r.out;
    int s = -1, d = -1, f = -1;
    std::sscanf(r.out.c_str(), "sent %d\tdeferred %d\tfailed %d", &s, &d, &f);
    return {s, d, f};
  }
  // The delivered messages, parsed.
  std::vector<nlohmann::json> delivered(size_t at_least) {
    std::vector<nlohmann::json> out;
    auto raw = server_->wait_for(at_least);
    for (size_t i = 0; i < raw.size(); ++i) {
      fs::path dir = root_ / ("m" + std::to_string(i));
      fs::create_directories(dir);
      std::ofstream(dir / "msg.eml", std::ios::binary) << raw[i];
      Ran r = run("python3 " + (root_ / "reader.py").string() + " " + (dir / "msg.eml").string() + " " + dir.string());
      EXPECT_EQ(r.status, 0) << r.out;
      out.push_back(nlohmann::json::parse(r.out));
    }
    return out;
  }
  static nlohmann::json with_subject(const std::vector<nlohmann::json>& ms, const std::string& part) {
    for (const auto& m : ms)
      if (m["Subject"].get<std::string>().find(part) != std::string::npos) return m;
    return nullptr;
  }
  static bool contains(const nlohmann::json& m, const char* key, const std::string& what) {
    return m.is_object() && m[key].get<std::string>().find(what) != std::string::npos;
  }

  fs::path root_;
  static clee::test::PostfixServer* server_;
  static std::string error_;
};
clee::test::PostfixServer* OutboxMail::server_ = nullptr;
std::string OutboxMail::error_;

TEST_F(OutboxMail, ReceiptsSayCompleteOrWhatIsMissing) {
  std::string complete = ingest("complete_advanced_docx"), missing = ingest("missing_cv");
  Ran list = cli("outbox list --status queued");
  EXPECT_NE(list.out.find("receipt\t" + complete), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("receipt\t" + missing), std::string::npos) << list.out;
  EXPECT_EQ(send(), (std::vector<int>{2, 0, 0}));
  auto ms = delivered(2);
  ASSERT_EQ(ms.size(), 2u);
  nlohmann::json ok = with_subject(ms, "Received, complete");
  ASSERT_TRUE(ok.is_object());
  EXPECT_TRUE(contains(ok, "To", "kwhitfield@keystonepsti.org")) << ok.dump();  // the form's contact email
  EXPECT_TRUE(contains(ok, "From", "ra-mpoetc-clee@example.gov"));
  EXPECT_TRUE(contains(ok, "Reply-To", "clee-replies@example.gov"));
  EXPECT_TRUE(contains(ok, "Subject", complete));
  EXPECT_TRUE(contains(ok, "text", "Everything we need is there"));
  EXPECT_TRUE(contains(ok, "text", "Pennsylvania MPOETC"));
  nlohmann::json miss = with_subject(ms, "something is missing");
  ASSERT_TRUE(miss.is_object());
  EXPECT_TRUE(contains(miss, "text", "a CV/resume for each instructor")) << miss.dump();
  // Sending again sends nothing: each went once, and the audit log says so.
  EXPECT_EQ(send(), (std::vector<int>{0, 0, 0}));
  EXPECT_NE(cli("show " + complete + " --format md").out.find("message_sent — receipt"), std::string::npos);
  EXPECT_EQ(server_->messages().size(), 2u);
}

// A packet whose request form is missing has no contact email: the receipt goes to the person
// who mailed it (the message's From), threaded under their message.
TEST_F(OutboxMail, WithoutAFormTheReceiptGoesToWhoeverSentThePacket) {
  std::string dir = std::string(CLEE_SOURCE_DIR) + "/fixtures/packets/missing_form";
  fs::path eml = root_ / "no-form.eml";
  Ran made = run("python3 -c \"import email.message, os, sys\n"
                 "m = email.message.EmailMessage()\n"
                 "m['From'] = 'Lt. Sam Ortiz <sortiz@academy.example>'\n"
                 "m['To'] = 'ra-mpoetc-clee@example.gov'\n"
                 "m['Subject'] = 'Course approval packet'\n"
                 "m['Message-ID'] = '<packet-7@academy.example>'\n"
                 "m.set_content('Outline and CVs attached.')\n"
                 "for f in sorted(os.listdir(sys.argv[1])):\n"
                 "    m.add_attachment(open(os.path.join(sys.argv[1], f), 'rb').read(), maintype='application',"
                 " subtype='octet-stream', filename=f)\n"
                 "open(sys.argv[2], 'wb').write(bytes(m))\n\" " + dir + " " + eml.string());
  ASSERT_EQ(made.status, 0) << made.out;
  Ran r = cli("ingest " + eml.string());
  ASSERT_EQ(r.status, 0) << r.out;
  std::string id = r.out.substr(0, r.out.find('\t'));
  EXPECT_EQ(send(), (std::vector<int>{1, 0, 0}));
  auto ms = delivered(1);
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_TRUE(contains(ms[0], "To", "sortiz@academy.example")) << ms[0].dump();
  EXPECT_TRUE(contains(ms[0], "In-Reply-To", "<packet-7@academy.example>")) << ms[0].dump();
  EXPECT_TRUE(contains(ms[0], "Subject", id));
  EXPECT_TRUE(contains(ms[0], "text", "the completed CLEE Request Form")) << ms[0].dump();
  EXPECT_TRUE(contains(ms[0], "text", "  - message body (cover letter)\n")) << "its kind said once";
}

TEST_F(OutboxMail, RequestApprovalAndRejectionAreDeliveredWithWhatTheySay) {
  std::string complete = ingest("complete_advanced_docx"), missing = ingest("missing_cv");
  ASSERT_EQ(send()[0], 2);
  server_->clear();
  Ran req = cli("request-info " + missing + " --reviewer 'Sam Reviewer' --message 'Please send the CV for Dr. Lopez.'");
  ASSERT_EQ(req.status, 0) << req.out;
  std::istringstream rf(req.out);
  std::string id, state, token;
  rf >> id >> state >> token;
  ASSERT_EQ(token.rfind("CLEE-REQ-", 0), 0u) << req.out;
  Ran ap = cli("approve " + complete + " --reviewer Pat");
  ASSERT_EQ(ap.status, 0) << ap.out;
  std::istringstream af(ap.out);
  std::string clee_id, w, expires;
  af >> id >> state >> clee_id >> w >> expires;
  // The course runs March 9-10, 2027: approved for 2027 (or for this year, once 2027 is past).
  std::time_t now = std::time(nullptr);
  std::string through = std::to_string(std::max(2027, std::gmtime(&now)->tm_year + 1900)) + "-12-31";
  EXPECT_EQ(expires, through) << ap.out;
  Ran rej = cli("reject " + missing + " --reviewer Pat --reason 'The outline repeats the basic academy block.'");
  ASSERT_EQ(rej.status, 0) << rej.out;
  EXPECT_EQ(send(), (std::vector<int>{3, 0, 0}));
  auto ms = delivered(3);
  ASSERT_EQ(ms.size(), 3u);

  nlohmann::json info = with_subject(ms, token);  // the token in the Subject joins the reply
  ASSERT_TRUE(info.is_object()) << ms[0].dump();
  EXPECT_TRUE(contains(info, "text", "a CV/resume for each instructor"));
  EXPECT_TRUE(contains(info, "text", "Please send the CV for Dr. Lopez."));
  EXPECT_TRUE(contains(info, "text", "Sam Reviewer"));

  nlohmann::json approval = with_subject(ms, "CLEE approval " + clee_id);
  ASSERT_TRUE(approval.is_object());
  for (const std::string& s : {clee_id, std::string("Advanced Crash Reconstruction Using Event Data Recorders"),
                               std::string("Credit hours:     16"), "Approved through: " + through,
                               std::string("March 9-10, 2027")})
    EXPECT_TRUE(contains(approval, "text", s)) << s << "\n" << approval["text"];
  ASSERT_EQ(approval["attachments"].size(), 1u);
  const auto& pdf = approval["attachments"][0];
  EXPECT_EQ(pdf["type"], "application/pdf");
  Ran text = run("pdftotext -layout " + pdf["path"].get<std::string>() + " -");
  ASSERT_EQ(text.status, 0) << text.out;
  for (const std::string& s : {clee_id, std::string("Act 120"), std::string("March 9-10, 2027"),
                               std::string("Harrisburg Regional Training Center")})
    EXPECT_NE(text.out.find(s), std::string::npos) << s << "\n" << text.out;

  nlohmann::json no = with_subject(ms, "not approved");
  ASSERT_TRUE(no.is_object());
  EXPECT_TRUE(contains(no, "text", "The outline repeats the basic academy block."));
  // The copy the packet page shows is the message that was queued.
  EXPECT_TRUE(fs::exists(root_ / "data" / "outbox" / (missing + "-" + token + ".eml")));
}

TEST_F(OutboxMail, ARefusalFailsTheMessageWithTheServersWordsAndRetryQueuesItAgain) {
  config("", "bcc_archive = \"refused@example.org\"\n");
  std::string id = ingest("complete_advanced_docx");
  EXPECT_EQ(send(), (std::vector<int>{0, 0, 1}));
  Ran failed = cli("outbox list --status failed");
  EXPECT_NE(failed.out.find("no such mailbox at this office"), std::string::npos) << failed.out;
  EXPECT_NE(failed.out.find("550"), std::string::npos) << failed.out;
  EXPECT_EQ(send(), (std::vector<int>{0, 0, 0}));  // failed is final
  EXPECT_NE(cli("show " + id + " --format md").out.find("message_failed"), std::string::npos);
  // `outbox retry` makes it due again (attempts from 1); the envelope is the one queued with the
  // decision, so the server refuses it again, with the same words.
  std::string n = failed.out.substr(0, failed.out.find('\t'));
  Ran retry = cli("outbox retry " + n);
  ASSERT_EQ(retry.status, 0) << retry.out;
  EXPECT_NE(retry.out.find("\tqueued\t"), std::string::npos) << retry.out;
  EXPECT_EQ(send(), (std::vector<int>{0, 0, 1}));
  Ran again = cli("outbox list --status failed");
  EXPECT_NE(again.out.find("attempts 1"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("no such mailbox at this office"), std::string::npos) << again.out;
  EXPECT_NE(cli("show " + id + " --format md").out.find("message_retry"), std::string::npos);
  EXPECT_TRUE(server_->messages().empty());
}

TEST_F(OutboxMail, AServerThatIsDownDefersAndTheMessageGoesLaterOnce) {
  config("smtp://127.0.0.1:" + std::to_string(clee::test::free_port()));
  std::string id = ingest("missing_cv");
  EXPECT_EQ(send(), (std::vector<int>{0, 1, 0}));
  Ran queued = cli("outbox list --status queued");
  EXPECT_NE(queued.out.find("attempts 1"), std::string::npos) << queued.out;
  EXPECT_NE(queued.out.find("connect"), std::string::npos) << queued.out;
  EXPECT_EQ(send(), (std::vector<int>{0, 0, 0}));  // not due before its backoff (1 s here)
  config();
  ::usleep(1'200'000);
  EXPECT_EQ(send(), (std::vector<int>{1, 0, 0}));
  auto ms = delivered(1);
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_TRUE(contains(ms[0], "Subject", id));
  std::string history = cli("show " + id + " --format md").out;
  EXPECT_NE(history.find("message_deferred"), std::string::npos);
  EXPECT_NE(history.find("message_sent"), std::string::npos);
}

TEST_F(OutboxMail, TheDaemonSendsTheReceiptsOfThePacketsItTook) {
  fs::create_directories(root_ / "inbox");
  fs::copy(std::string(CLEE_SOURCE_DIR) + "/fixtures/packets/missing_cv", root_ / "inbox" / "missing_cv",
           fs::copy_options::recursive);
  std::ofstream(root_ / "clee.toml", std::ios::app) << "[inbox]\npath = \"" << (root_ / "inbox").string()
                                                    << "\"\npoll = true\nstability_seconds = 0.2\n";
  Ran d = cli("daemon --once");
  ASSERT_EQ(d.status, 0) << d.out;
  auto ms = delivered(1);
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_TRUE(contains(ms[0], "Subject", "something is missing"));
  EXPECT_TRUE(cli("outbox list --status queued").out.empty());
}

}  // namespace
