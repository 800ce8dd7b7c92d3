// Intake end to end through the real binary: the inbox watcher (temp files ignored, .processed,
// .failed), crash safety under SIGKILL while 200 packets arrive, two processes on one inbox,
// Maildir, and IMAP against a real Dovecot on loopback (reply threading included).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "base/hash.h"
#include "tests/support/shell.h"

namespace {
namespace fs = std::filesystem;

using clee::test::run;

std::string bin() { return CLEE_BINARY; }
std::string fixtures() { return std::string(CLEE_SOURCE_DIR) + "/fixtures"; }

// The queue as `queue list --json` shows it; a reader refused for a moment (a process is creating
// the data folder) asks again, bounded, and never throws.
nlohmann::json queue(const std::string& data) {
  std::string out;
  for (int i = 0; i < 50; ++i) {
    out = run(bin() + " --log-level off --data " + data + " queue list --json 2>/dev/null");
    auto j = nlohmann::json::parse(out, nullptr, false);
    if (!j.is_discarded()) return j;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ADD_FAILURE() << "queue list --json gave no JSON: " << out;
  return nlohmann::json::array();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class Intake : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(testing::TempDir()) / ("intake-" + std::to_string(::getpid()) + "-" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "inbox");
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string data() const { return (root_ / "data").string(); }
  std::string inbox() const { return (root_ / "inbox").string(); }

  // A small text packet with unique content: fast to check, distinct sha256.
  void drop_text_packet(int i) {
    fs::path tmp = root_ / ("p" + std::to_string(i) + ".txt.part");
    std::ofstream(tmp) << "CLEE Request Form\nCourse Title: Course number " << i
                       << "\nCredit Hours: 4\nProvider Name: Test Academy\n";
    fs::rename(tmp, root_ / "inbox" / ("packet" + std::to_string(i) + ".txt"));  // arrives complete
  }
  fs::path root_;
};

TEST_F(Intake, WatchTakesStableItemsAndIgnoresTempFiles) {
  fs::copy(fixtures() + "/packets/complete_advanced_pdf", root_ / "inbox" / "Keystone EDR", fs::copy_options::recursive);
  fs::copy(fixtures() + "/packets/packet.zip", root_ / "inbox" / "packet.zip");
  std::ofstream(root_ / "inbox" / "~$form.docx") << "lock";
  std::ofstream(root_ / "inbox" / "download.pdf.crdownload") << "partial";
  std::ofstream(root_ / "inbox" / "garbage.bin") << std::string("\x01\x02\x03\x04", 4);
  run(bin() + " --log-level warn --data " + data() + " watch " + inbox() + " --once --stability 0.3");
  auto q = queue(data());
  EXPECT_EQ(q.size(), 3u);
  EXPECT_TRUE(fs::exists(root_ / "inbox" / ".processed" / "Keystone EDR" / "request.pdf"));
  EXPECT_TRUE(fs::exists(root_ / "inbox" / ".processed" / "packet.zip"));
  EXPECT_TRUE(fs::exists(root_ / "inbox" / "~$form.docx"));
  EXPECT_TRUE(fs::exists(root_ / "inbox" / "download.pdf.crdownload"));
  EXPECT_FALSE(fs::exists(root_ / "inbox" / "packet.zip"));
}

TEST_F(Intake, CrashSafetyUnderSigkillWhile200PacketsArrive) {
  const int kPackets = 200;
  std::mt19937 rng(42);
  int dropped = 0;
  int kills = 0;
  while (dropped < kPackets) {
    pid_t pid = fork();
    if (pid == 0) {
      execl(bin().c_str(), bin().c_str(), "--log-level", "off", "--data", data().c_str(), "watch", inbox().c_str(),
            "--stability", "0.2", "--workers", "2", static_cast<char*>(nullptr));
      _exit(127);
    }
    // Packets keep arriving while the watcher runs; it is killed at a random moment.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(150 + rng() % 600);
    while (std::chrono::steady_clock::now() < deadline && dropped < kPackets) {
      drop_text_packet(dropped++);
      std::this_thread::sleep_for(std::chrono::milliseconds(5 + rng() % 30));
    }
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    ++kills;
  }
  // Restart and let it finish what is there.
  run(bin() + " --log-level off --data " + data() + " watch " + inbox() + " --once --stability 0.2");
  auto q = queue(data());
  std::set<std::string> sources;
  for (const auto& p : q) sources.insert(p["source"].get<std::string>());
  int left_in_inbox = 0;
  for (auto& e : fs::directory_iterator(root_ / "inbox"))
    if (e.path().filename().string()[0] != '.') ++left_in_inbox;
  std::printf("%d kills; %zu packets queued, %d left in the inbox\n", kills, q.size(), left_in_inbox);
  EXPECT_EQ(sources.size(), q.size());                    // none doubled
  EXPECT_EQ(static_cast<int>(q.size()) + left_in_inbox, kPackets);  // none lost
  EXPECT_EQ(left_in_inbox, 0);
  EXPECT_GE(kills, 4);
  for (const auto& p : q) EXPECT_NE(p["status"], "processing") << p["id"];
}

TEST_F(Intake, TwoProcessesOnOneInbox) {
  for (int i = 0; i < 40; ++i) drop_text_packet(i);
  std::string cmd = bin() + " --log-level off --data " + data() + " watch " + inbox() + " --once --stability 0.2";
  std::thread a([&] { run(cmd); });
  std::thread b([&] { run(cmd); });
  a.join();
  b.join();
  auto q = queue(data());
  EXPECT_EQ(q.size(), 40u);
  int processed = 0;
  for (auto& e : fs::directory_iterator(root_ / "inbox" / ".processed")) processed += e.is_regular_file();
  EXPECT_EQ(processed, 40);
}

TEST_F(Intake, MaildirMessagesMoveToCurOnlyAfterCommit) {
  for (const char* d : {"new", "cur", "tmp"}) fs::create_directories(root_ / "Maildir" / d);
  fs::copy(fixtures() + "/packets/packet.eml", root_ / "Maildir" / "new" / "1700000000.M1P1.host");
  // A second, different message, and a re-delivered copy of the first: the same Message-ID with a
  // relay's Received: line in front — different bytes, so a packet of its own (duplicates are
  // recognised by content only; a Message-ID is reused by real clients for different content).
  std::string eml = slurp(fixtures() + "/packets/packet.eml");
  std::string second = eml, resent = "Received: from relay.example.org; Tue, 24 Nov 2026 09:00:00 +0000\n" + eml;
  second.replace(second.find("packet-001@"), 11, "packet-002@");
  std::ofstream(root_ / "Maildir" / "new" / "1700000001.M2P2.host") << second;
  std::ofstream(root_ / "Maildir" / "new" / "1700000002.M3P3.host") << resent;
  std::string out = run(bin() + " --log-level off --data " + data() + " mail --maildir " + (root_ / "Maildir").string());
  EXPECT_NE(out.find("3 message(s) committed"), std::string::npos) << out;
  auto q = queue(data());
  EXPECT_EQ(q.size(), 3u) << q.dump();
  EXPECT_TRUE(fs::is_empty(root_ / "Maildir" / "new"));
  EXPECT_TRUE(fs::exists(root_ / "Maildir" / "cur" / "1700000000.M1P1.host:2,S"));
  EXPECT_TRUE(fs::exists(root_ / "Maildir" / "cur" / "1700000002.M3P3.host:2,S"));
  // Running again takes nothing twice.
  out = run(bin() + " --log-level off --data " + data() + " mail --maildir " + (root_ / "Maildir").string());
  EXPECT_NE(out.find("0 message(s) committed"), std::string::npos) << out;
}

// A file over max_file_bytes is stored whole (never cut to the limit), hashed whole, and reported
// as limit_exceeded on that document; only then is its source acknowledged (here: deleted).
TEST_F(Intake, AFileOverTheLimitIsStoredWholeAndReportedNotCut) {
  std::string cfg = (root_ / "limits.toml").string();
  std::ofstream(cfg) << "data_dir = \"" << data() << "\"\n[limits]\nmax_file_bytes = 1024\n[extract]\nocr = false\n"
                     << "[inbox]\npath = \"" << inbox() << "\"\nstability_seconds = 0.2\ndelete_processed = true\n";
  fs::create_directories(root_ / "stage" / "big packet");
  std::ofstream(root_ / "stage" / "big packet" / "request.txt") << "CLEE Request Form\nCourse Title: Big\n";
  std::string big;
  for (int i = 0; i < 400; ++i) big += "line " + std::to_string(i) + " of an attachment larger than the limit\n";
  ASSERT_GT(big.size(), 10000u);
  std::ofstream(root_ / "stage" / "big packet" / "attachment.txt", std::ios::binary) << big;
  fs::rename(root_ / "stage" / "big packet", root_ / "inbox" / "big packet");
  run(bin() + " --log-level off --config " + cfg + " watch " + inbox() + " --once --stability 0.2");
  auto q = queue(data());
  ASSERT_EQ(q.size(), 1u) << q.dump();
  EXPECT_FALSE(fs::exists(root_ / "inbox" / "big packet"));  // acknowledged only after the commit
  std::string sha = clee::sha256_hex(big);
  fs::path object = fs::path(data()) / "objects" / sha.substr(0, 2) / sha.substr(2);
  ASSERT_TRUE(fs::exists(object)) << "the original is not stored under the sha256 of its whole bytes";
  EXPECT_EQ(slurp(object.string()), big);
  std::string show = run(bin() + " --log-level off --data " + data() + " show " + q[0]["id"].get<std::string>() + " --format json");
  auto j = nlohmann::json::parse(show);
  bool reported = false;
  for (const auto& d : j["report"]["documents"])
    if (d.dump().find("attachment.txt") != std::string::npos && d.dump().find("limit_exceeded") != std::string::npos) reported = true;
  EXPECT_TRUE(reported) << show.substr(0, 3000);
}

// A link to /etc/passwd inside a packet folder, a link to itself beside it, and a link at the top
// of the inbox: none is followed. The folder's packet names the link as an unsafe_entry finding,
// the top-level link goes to .failed/ as itself, and /etc/passwd's bytes are stored nowhere.
TEST_F(Intake, LinksInAndAtTheTopOfTheInboxAreNeverFollowed) {
  fs::create_directories(root_ / "stage" / "Linked");
  std::ofstream(root_ / "stage" / "Linked" / "request.txt") << "CLEE Request Form\nCourse Title: Linked\n";
  fs::create_symlink("/etc/passwd", root_ / "stage" / "Linked" / "passwd.txt");
  fs::create_symlink("loop", root_ / "stage" / "Linked" / "loop");
  fs::rename(root_ / "stage" / "Linked", root_ / "inbox" / "Linked");
  fs::create_symlink("/etc/passwd", root_ / "inbox" / "passwd");
  run(bin() + " --log-level off --data " + data() + " watch " + inbox() + " --once --stability 0.2");
  auto q = queue(data());
  ASSERT_EQ(q.size(), 1u) << q.dump();
  EXPECT_TRUE(fs::exists(root_ / "inbox" / ".processed" / "Linked" / "request.txt"));
  EXPECT_TRUE(fs::is_symlink(root_ / "inbox" / ".failed" / "passwd"));
  EXPECT_NE(slurp((root_ / "inbox" / ".failed" / "passwd.reason.txt").string()).find("unsafe_entry"), std::string::npos);
  auto j = nlohmann::json::parse(
      run(bin() + " --log-level off --data " + data() + " show " + q[0]["id"].get<std::string>() + " --format json"));
  int unsafe = 0;
  for (const auto& f : j["report"]["findings"]) unsafe += f["code"] == "unsafe_entry";
  EXPECT_EQ(unsafe, 2) << j["report"]["findings"].dump();
  std::string passwd = slurp("/etc/passwd");
  for (const auto& e : fs::recursive_directory_iterator(fs::path(data()) / "objects"))
    if (e.is_regular_file()) {
      EXPECT_EQ(slurp(e.path().string()).find(passwd), std::string::npos) << e.path();
    }
}

// One packet's failure never stops a batch: a FIFO (which once blocked the reader forever), a link
// and a missing path among good packets are each reported; the rest are queued; exit 1 at the end.
TEST_F(Intake, IngestGoesOnAfterAFailedPacketAndExitsOne) {
  std::vector<std::string> args;
  for (int i = 0; i < 6; ++i) {
    std::string p = (root_ / ("good" + std::to_string(i) + ".txt")).string();
    std::ofstream(p) << "CLEE Request Form\nCourse Title: Batch " << i << "\n";
    args.push_back(p);
    if (i == 1) {
      ASSERT_EQ(mkfifo((root_ / "pipe").c_str(), 0600), 0);
      args.push_back((root_ / "pipe").string());
    }
    if (i == 3) {
      fs::create_symlink("/etc/passwd", root_ / "passwd");
      args.push_back((root_ / "passwd").string());
    }
    if (i == 4) args.push_back((root_ / "missing.txt").string());
  }
  std::string cmd = bin() + " --log-level off --data " + data() + " ingest";
  for (const auto& a : args) cmd += " '" + a + "'";
  std::string out = run(cmd + " 2>" + (root_ / "err").string() + "; echo exit=$?");
  std::string err = slurp((root_ / "err").string());
  EXPECT_NE(out.find("exit=1"), std::string::npos) << out;
  EXPECT_EQ(queue(data()).size(), 6u) << err;
  EXPECT_NE(err.find("pipe: unsafe_entry"), std::string::npos) << err;
  EXPECT_NE(err.find("passwd: unsafe_entry"), std::string::npos) << err;
  EXPECT_NE(err.find("missing.txt: unreadable_document"), std::string::npos) << err;
  EXPECT_NE(err.find("6 of 9 packet(s) queued, 3 FAILED"), std::string::npos) << err;
}

// Two ingest processes on one data folder, 400 packets in batches of 100: every one queued.
TEST_F(Intake, TwoIngestProcessesOnOneDataFolderQueueEveryPacket) {
  fs::create_directories(root_ / "batch");
  for (int i = 0; i < 400; ++i)
    std::ofstream(root_ / "batch" / ("p" + std::to_string(i) + ".txt")) << "CLEE Request Form\nCourse Title: Two " << i << "\n";
  std::string out = run("ls -d " + (root_ / "batch").string() + "/p*.txt | xargs -P 2 -n 100 " + bin() + " --log-level off --data " +
                        data() + " ingest >/dev/null 2>" + (root_ / "err").string() + "; echo exit=$?");
  EXPECT_NE(out.find("exit=0"), std::string::npos) << slurp((root_ / "err").string());
  EXPECT_EQ(queue(data()).size(), 400u) << slurp((root_ / "err").string());
}

// A data folder whose object store cannot take a file (every objects/xx is a plain file): storing
// an original fails, so nothing is committed and no source may be touched.
void block_store(const std::string& data, bool blocked) {
  fs::create_directories(fs::path(data) / "objects");
  for (int i = 0; i < 256; ++i) {
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02x", i);
    fs::path p = fs::path(data) / "objects" / hex;
    if (blocked) std::ofstream(p) << "x";
    else if (fs::is_regular_file(p)) fs::remove(p);
  }
}

TEST_F(Intake, StoreFailureLeavesInboxAndMaildirUntouchedThenRetries) {
  block_store(data(), true);
  drop_text_packet(7);
  for (const char* d : {"new", "cur", "tmp"}) fs::create_directories(root_ / "Maildir" / d);
  fs::copy(fixtures() + "/packets/packet.eml", root_ / "Maildir" / "new" / "1700000000.M1P1.host");
  run(bin() + " --log-level off --data " + data() + " watch " + inbox() + " --once --stability 0.2");
  std::string out = run(bin() + " --log-level off --data " + data() + " mail --maildir " + (root_ / "Maildir").string());
  EXPECT_NE(out.find("0 message(s) committed"), std::string::npos) << out;
  EXPECT_EQ(queue(data()).size(), 0u);
  EXPECT_TRUE(fs::exists(root_ / "inbox" / "packet7.txt"));  // still in the inbox
  EXPECT_FALSE(fs::exists(root_ / "inbox" / ".failed" / "packet7.txt"));
  EXPECT_TRUE(fs::exists(root_ / "Maildir" / "new" / "1700000000.M1P1.host"));  // still new
  block_store(data(), false);
  run(bin() + " --log-level off --data " + data() + " watch " + inbox() + " --once --stability 0.2");
  out = run(bin() + " --log-level off --data " + data() + " mail --maildir " + (root_ / "Maildir").string());
  EXPECT_NE(out.find("1 message(s) committed"), std::string::npos) << out;
  EXPECT_EQ(queue(data()).size(), 2u);
  EXPECT_TRUE(fs::exists(root_ / "inbox" / ".processed" / "packet7.txt"));
  EXPECT_TRUE(fs::exists(root_ / "Maildir" / "cur" / "1700000000.M1P1.host:2,S"));
}

// A loopback port nobody listens on now (the kernel's choice), for this test's Dovecot.
int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 && getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  close(fd);
  return port;
}

class Imap : public Intake {
 protected:
  void SetUp() override {
    Intake::SetUp();
    if (std::system("command -v dovecot >/dev/null 2>&1") != 0) GTEST_SKIP() << "dovecot is not installed";
    port_ = free_port();
    std::string start = std::string(CLEE_SOURCE_DIR) + "/tests/app/start_dovecot.sh " + (root_ / "dovecot").string() + " " +
                        std::to_string(port_);
    ASSERT_EQ(std::system(start.c_str()), 0);
    url_ = "imap://127.0.0.1:" + std::to_string(port_) + "/INBOX";
  }
  void TearDown() override {
    std::ifstream pid(root_ / "dovecot" / "run" / "master.pid");
    int p = 0;
    if (pid >> p) kill(p, SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    Intake::TearDown();
  }
  void append(const std::string& file) {
    // curl's APPEND marks the message \\Seen; a new message in a real mailbox is unseen.
    ASSERT_EQ(std::system(("curl -s --max-time 20 --url " + url_ + " --user clee:secret -T '" + file + "'").c_str()), 0);
    ASSERT_EQ(std::system(("curl -s --max-time 20 --url " + url_ + " --user clee:secret -X 'STORE 1:* -FLAGS (\\Seen)' >/dev/null").c_str()), 0);
  }
  std::string flags() { return run("curl -s --max-time 20 --url " + url_ + " --user clee:secret -X 'FETCH 1:* (UID FLAGS)'"); }
  std::string mail() {
    return run("CLEE_PW=secret " + bin() + " --log-level off --data " + data() + " mail --imap " + url_ +
               " --user clee --password-env CLEE_PW --account office");
  }
  int port_ = 0;
  std::string url_;
};

// (Short test names: Dovecot socket paths under the temp folder are limited in length.)
TEST_F(Imap, UncommittedNotFlagged) {
  append(fixtures() + "/packets/packet.eml");
  block_store(data(), true);
  std::string out = mail();
  EXPECT_NE(out.find("0 message(s) committed"), std::string::npos) << out;
  EXPECT_EQ(flags().find("CleeIntake"), std::string::npos) << flags();
  EXPECT_EQ(flags().find("\\Seen"), std::string::npos) << flags();
  EXPECT_EQ(queue(data()).size(), 0u);
  block_store(data(), false);
  out = mail();
  EXPECT_NE(out.find("1 message(s) committed"), std::string::npos) << out;
  EXPECT_NE(flags().find("\\Seen"), std::string::npos) << flags();
  EXPECT_EQ(queue(data()).size(), 1u);
}

TEST_F(Imap, FlaggedAfterCommit) {
  append(fixtures() + "/packets/packet.eml");
  EXPECT_EQ(flags().find("CleeIntake"), std::string::npos);
  std::string out = mail();
  EXPECT_NE(out.find("1 message(s) committed"), std::string::npos) << out;
  EXPECT_NE(flags().find("$CleeIntake"), std::string::npos) << flags();
  auto q = queue(data());
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0]["status"], "needs_information");  // the message carries one of two CVs
  out = mail();
  EXPECT_NE(out.find("0 message(s) committed"), std::string::npos);

  // The provider answers the information request: the reply joins the packet.
  std::string id = q[0]["id"];
  std::string req = run(bin() + " --log-level off --data " + data() + " request-info " + id + " --reviewer Pat");
  std::istringstream fields(req);
  std::string pid, state, token;
  fields >> pid >> state >> token;
  ASSERT_EQ(token.rfind("CLEE-REQ-", 0), 0u) << req;
  std::string reply = (root_ / "reply.eml").string();
  std::string make = "/usr/bin/python3 -c \"import sys; from email.message import EmailMessage; m=EmailMessage(); "
                     "m['From']='kwhitfield@keystonepsti.org'; m['To']='clee@pa.gov'; m['Subject']='Re: [" + token +
                     "] Information needed'; m.set_content('Attached.'); "
                     "m.add_attachment(open(sys.argv[1],'rb').read(), maintype='application', "
                     "subtype='vnd.openxmlformats-officedocument.wordprocessingml.document', filename='Lopez CV.docx'); "
                     "open(sys.argv[2],'wb').write(bytes(m))\" " +
                     fixtures() + "/packets/complete_advanced_docx/document.docx " + reply;
  ASSERT_EQ(std::system(make.c_str()), 0);
  append(reply);
  out = mail();
  EXPECT_NE(out.find("1 message(s) committed"), std::string::npos) << out;
  q = queue(data());
  ASSERT_EQ(q.size(), 1u);  // joined, not a new packet
  EXPECT_EQ(q[0]["status"], "ready_for_review") << q.dump();
}

}  // namespace
