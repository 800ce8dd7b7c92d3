// The mail side in-process: a pass over a real Maildir with a real Store. Messages that reuse one
// Message-ID with different bytes (8 files of the shared eml corpus) are each kept; identical
// bytes are duplicate_packet; links, FIFOs and oversized messages in new/ are quarantined whole,
// never read, and the good mail behind them flows; the schedule never runs two passes of one
// account at once.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "app/common.h"
#include "app/mail_loop.h"
#include "tests/support/fault_env.h"

namespace clee::app {
namespace {
namespace fs = std::filesystem;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Every stored object's bytes, for "was this ever stored?" checks.
std::string all_objects(const std::string& data) {
  std::string out;
  if (!fs::exists(data + "/objects")) return out;
  for (const auto& e : fs::recursive_directory_iterator(data + "/objects"))
    if (e.is_regular_file()) out += slurp(e.path().string());
  return out;
}

class MailLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "/mail-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    for (const char* d : {"new", "cur", "tmp"}) fs::create_directories(maildir() + "/" + d);
    auto s = Store::open(data());
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    Config c;
    c.ocr = false;
    auto p = make_pipeline(c);
    ASSERT_TRUE(p) << p.error().message;
    pipeline_ = std::move(*p);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string maildir() const { return dir_ + "/Maildir"; }
  std::string data() const { return dir_ + "/data"; }
  MailPassResult pass(uint64_t max_bytes = 50ull << 20) {
    auto source = make_maildir_source("office", maildir(), max_bytes);
    return mail_pass(*store_, *pipeline_, "office", *source, MailPassOptions{}, stop_);
  }
  size_t queued() {
    auto l = store_->list();
    return l ? l->size() : 0;
  }
  std::string dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Pipeline> pipeline_;
  std::atomic<bool> stop_{false};
};

TEST_F(MailLoopTest, DifferentMessagesReusingOneMessageIdAreEachKept) {
  const std::string corpus = std::string(CLEE_SHARED_DIR) + "/corpora/eml/spec/fixtures/emails/";
  const std::vector<std::string> same_id = {
      "attachment_emails/attachment_nonascii_filename.eml", "attachment_emails/attachment_content_disposition.eml",
      "attachment_emails/attachment_content_location.eml",  "attachment_emails/attachment_message_rfc822.eml",
      "attachment_emails/attachment_with_unquoted_name.eml", "mime_emails/raw_email12.eml",
      "mime_emails/raw_email7.eml",                          "plain_emails/raw_email_quoted_with_0d0a.eml"};
  std::set<std::string> distinct;
  for (size_t i = 0; i < same_id.size(); ++i) {
    std::string bytes = slurp(corpus + same_id[i]);
    ASSERT_NE(bytes.find("9169D984-4E0B-45EF-82D4-8F5E53AD7012@example.com"), std::string::npos) << same_id[i];
    distinct.insert(bytes);
    std::ofstream(maildir() + "/new/17000000" + std::to_string(10 + i) + ".M1P1.host", std::ios::binary) << bytes;
  }
  ASSERT_EQ(distinct.size(), 7u);  // raw_email12 is byte-for-byte attachment_content_location
  MailPassResult r = pass();
  ASSERT_TRUE(r.status);
  EXPECT_EQ(r.committed, 8);
  EXPECT_EQ(queued(), 7u);  // one packet per distinct content, the identical copy a duplicate
  EXPECT_TRUE(fs::is_empty(maildir() + "/new"));
  // Every distinct message's bytes are in the store.
  std::string objects = all_objects(data());
  for (const auto& bytes : distinct) EXPECT_NE(objects.find(bytes), std::string::npos);
  // The duplicate is on record as such.
  int duplicates = 0;
  auto packets = store_->list();
  ASSERT_TRUE(packets);
  for (const auto& p : *packets) {
    auto events = store_->audit(p.id);
    ASSERT_TRUE(events);
    for (const auto& e : *events) duplicates += e.action == "duplicate_packet";
  }
  EXPECT_EQ(duplicates, 1);
}

TEST_F(MailLoopTest, LinksAndSpecialFilesInNewAreQuarantinedAndTheRestFlows) {
  fs::create_symlink("/etc/passwd", maildir() + "/new/1700000001.M1P1.host");
  fs::create_symlink("1700000002.M2P1.host", maildir() + "/new/1700000002.M2P1.host");  // itself
  ASSERT_EQ(::mkfifo((maildir() + "/new/1700000003.M3P1.host").c_str(), 0600), 0);
  fs::copy(std::string(CLEE_SOURCE_DIR) + "/fixtures/packets/packet.eml", maildir() + "/new/1700000004.M4P1.host");
  MailPassResult r = pass();
  ASSERT_TRUE(r.status) << r.status.error().message;
  EXPECT_EQ(r.committed, 1);
  EXPECT_EQ(r.quarantined, 3);
  EXPECT_EQ(queued(), 1u);
  EXPECT_TRUE(fs::exists(maildir() + "/cur/1700000004.M4P1.host:2,S"));
  const std::string q = maildir() + "/.Quarantine";
  EXPECT_TRUE(fs::is_symlink(q + "/cur/1700000001.M1P1.host:2,"));
  EXPECT_EQ(fs::read_symlink(q + "/cur/1700000001.M1P1.host:2,"), "/etc/passwd");
  EXPECT_TRUE(fs::is_symlink(q + "/cur/1700000002.M2P1.host:2,"));
  EXPECT_TRUE(fs::is_fifo(fs::symlink_status(q + "/cur/1700000003.M3P1.host:2,")));
  EXPECT_NE(slurp(q + "/1700000001.M1P1.host.reason.txt").find("unsafe_entry"), std::string::npos);
  EXPECT_TRUE(fs::exists(q + "/maildirfolder"));
  EXPECT_EQ(all_objects(data()).find(slurp("/etc/passwd")), std::string::npos);
  // The next pass finds nothing left to do.
  r = pass();
  EXPECT_EQ(r.committed + r.quarantined + r.left, 0);
}

TEST_F(MailLoopTest, AnOversizedMessageIsQuarantinedWholeNeverCut) {
  std::string eml = slurp(std::string(CLEE_SOURCE_DIR) + "/fixtures/packets/packet.eml");
  std::ofstream(maildir() + "/new/1700000001.M1P1.host", std::ios::binary) << eml;
  MailPassResult r = pass(/*max_bytes=*/1024);
  EXPECT_EQ(r.quarantined, 1);
  EXPECT_EQ(queued(), 0u);
  EXPECT_EQ(slurp(maildir() + "/.Quarantine/cur/1700000001.M1P1.host:2,"), eml);
  EXPECT_NE(slurp(maildir() + "/.Quarantine/1700000001.M1P1.host.reason.txt").find("limit_exceeded"), std::string::npos);
}

// A source whose fetch blocks until the test opens the gate, counting fetches at once.
class GatedSource : public MailSource {
 public:
  struct Gate {
    std::mutex mu;
    std::condition_variable cv;
    bool open = false;
    int fetching = 0, max_fetching = 0, fetches = 0;
  };
  explicit GatedSource(Gate& g) : g_(g) {}
  Result<std::vector<MailMessage>> fetch(size_t) override {
    std::unique_lock<std::mutex> lock(g_.mu);
    ++g_.fetches;
    g_.max_fetching = std::max(g_.max_fetching, ++g_.fetching);
    g_.cv.wait(lock, [&] { return g_.open; });
    --g_.fetching;
    return std::vector<MailMessage>{};
  }
  Status acknowledge(const MailMessage&) override { return Status::Ok(); }
  Status quarantine(const MailMessage&, const std::string&) override { return Status::Ok(); }

 private:
  Gate& g_;
};

TEST_F(MailLoopTest, APassThatOutlastsTheIntervalIsNeverJoinedByASecond) {
  test::FaultEnv env;
  GatedSource::Gate gate;
  WorkerPool pool(3, [&] { return Store::open(data()); });
  ASSERT_TRUE(pool.start());
  MailAccount account{"office", maildir(), "", "", "", false, ""};
  MailLoop loop({account}, pool, *pipeline_, /*interval=*/10, MailPassOptions{}, stop_, &env,
                [&](const MailAccount&) { return std::make_unique<GatedSource>(gate); });
  loop.tick();
  for (int i = 0; i < 5; ++i) {  // five intervals go by while the first pass hangs
    env.advance(10);
    loop.tick();
  }
  EXPECT_EQ(loop.passes_started(), 1);
  EXPECT_EQ(loop.running(), 1u);
  {
    std::lock_guard<std::mutex> lock(gate.mu);
    gate.open = true;
  }
  gate.cv.notify_all();
  pool.drain();
  EXPECT_EQ(loop.running(), 0u);
  loop.tick();  // due (the interval passed long ago) and free: the next pass starts
  pool.drain();
  EXPECT_EQ(loop.passes_started(), 2);
  EXPECT_EQ(gate.max_fetching, 1);
  EXPECT_EQ(gate.fetches, 2);
}

// A message the process died on five times (attempts are noted durably before the work) is
// quarantined, untouched, at the next pass; the message behind it is committed.
TEST_F(MailLoopTest, AMessageThatKeptCrashingThePassIsQuarantinedAndTheRestFlows) {
  std::string eml = slurp(std::string(CLEE_SOURCE_DIR) + "/fixtures/packets/packet.eml");
  std::ofstream(maildir() + "/new/1700000001.M1P1.host", std::ios::binary) << eml;
  fs::copy(std::string(CLEE_SOURCE_DIR) + "/fixtures/packets/forwarded.eml", maildir() + "/new/1700000002.M2P1.host");
  for (int i = 0; i < MailPassOptions{}.max_attempts; ++i)
    ASSERT_TRUE(store_->note_source_attempt("maildir:office:1700000001.M1P1.host", Error{Code::kInternal, "did not finish"}));
  MailPassResult r = pass();
  EXPECT_EQ(r.quarantined, 1);
  EXPECT_EQ(r.committed, 1);
  EXPECT_EQ(slurp(maildir() + "/.Quarantine/cur/1700000001.M1P1.host:2,"), eml);
  EXPECT_NE(slurp(maildir() + "/.Quarantine/1700000001.M1P1.host.reason.txt").find("attempts"), std::string::npos);
  EXPECT_TRUE(fs::exists(maildir() + "/cur/1700000002.M2P1.host:2,S"));
}

}  // namespace
}  // namespace clee::app
