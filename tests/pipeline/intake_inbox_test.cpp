// The inbox watcher in-process, through FaultEnv: the stability wait on the test clock (no
// sleeping), litter, links and special files at the top of the inbox, the claim (an atomic rename
// only one process wins), heartbeats and the return of a dead owner's claims, and the moves that
// settle an item never replacing what is already there.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "pipeline/intake_inbox.h"
#include "tests/support/fault_env.h"

namespace clee {
namespace {
namespace fs = std::filesystem;

class Inbox : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "/inbox-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(inbox());
    env_.set_time(1'800'000'000);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string inbox() const { return dir_ + "/inbox"; }
  InboxOptions options(double stability = 2.0) {
    InboxOptions o;
    o.poll = true;
    o.stability_seconds = stability;
    o.claim_expiry_seconds = 60;
    return o;
  }
  std::unique_ptr<InboxWatcher> watcher(double stability = 2.0) {
    auto w = std::make_unique<InboxWatcher>(inbox(), options(stability), &env_);
    EXPECT_TRUE(w->start());
    return w;
  }
  void drop(const std::string& name, const std::string& text = "CLEE Request Form\n") {
    std::ofstream(inbox() + "/" + name) << text;
  }
  static std::vector<std::string> names(const std::vector<InboxItem>& items) {
    std::vector<std::string> out;
    for (const auto& i : items) out.push_back(i.name);
    return out;
  }
  std::string dir_;
  test::FaultEnv env_;
};

TEST_F(Inbox, StabilityWaitRunsOnTheEnvClock) {
  auto w = watcher(2.0);
  drop("a.txt");
  bool pending = false;
  EXPECT_TRUE(w->ready_items(&pending).empty());
  EXPECT_TRUE(pending);
  env_.advance(1.0);
  EXPECT_TRUE(w->ready_items(&pending).empty());
  env_.advance(1.5);
  EXPECT_EQ(names(w->ready_items(&pending)), std::vector<std::string>{"a.txt"});
  EXPECT_FALSE(pending);
  // A change starts the wait again.
  drop("a.txt", "CLEE Request Form\nmore text, another size\n");
  EXPECT_TRUE(w->ready_items(&pending).empty());
  EXPECT_TRUE(pending);
  env_.advance(2.5);
  EXPECT_EQ(names(w->ready_items(&pending)), std::vector<std::string>{"a.txt"});
}

TEST_F(Inbox, LitterAndEmptyFoldersAreNotOffered) {
  auto w = watcher(0);
  for (const char* n : {"~$form.docx", "x.pdf.crdownload", "notes.swp", ".hidden", "Thumbs.db"}) drop(n);
  fs::create_directories(inbox() + "/being set up");
  drop("real.txt");
  EXPECT_EQ(names(w->ready_items()), std::vector<std::string>{"real.txt"});
}

TEST_F(Inbox, LinksAndFifosAtTheTopAreOfferedAtOnceAndRejectedAsThemselves) {
  auto w = watcher(60);  // a long wait: a link must not need it
  fs::create_symlink("/etc/passwd", inbox() + "/passwd");
  fs::create_symlink("self", inbox() + "/self");
  ASSERT_EQ(::mkfifo((inbox() + "/pipe").c_str(), 0600), 0);
  auto items = w->ready_items();
  ASSERT_EQ(names(items), (std::vector<std::string>{"passwd", "pipe", "self"}));
  EXPECT_EQ(items[0].type, FileType::kSymlink);
  EXPECT_EQ(items[1].type, FileType::kOther);
  EXPECT_EQ(items[2].type, FileType::kSymlink);
  for (const auto& it : items) {
    auto c = w->claim(it);
    ASSERT_TRUE(c) << c.error().message;
    ASSERT_TRUE(w->reject(*c, "unsafe_entry: not followed"));
  }
  // The links themselves moved, never their targets.
  EXPECT_TRUE(fs::is_symlink(inbox() + "/.failed/passwd"));
  EXPECT_EQ(fs::read_symlink(inbox() + "/.failed/passwd"), "/etc/passwd");
  EXPECT_TRUE(fs::exists("/etc/passwd"));
  EXPECT_TRUE(fs::is_fifo(fs::symlink_status(inbox() + "/.failed/pipe")));
  EXPECT_TRUE(fs::exists(inbox() + "/.failed/self.reason.txt"));
}

TEST_F(Inbox, ASelfReferencingLinkInsideAFolderIsMeasuredWithoutThrowing) {
  auto w = watcher(1.0);
  fs::create_directories(inbox() + "/packet");
  drop("packet/form.txt");
  fs::create_symlink("loop", inbox() + "/packet/loop");
  EXPECT_TRUE(w->ready_items().empty());
  env_.advance(1.5);
  auto items = w->ready_items();
  ASSERT_EQ(names(items), std::vector<std::string>{"packet"});
  EXPECT_EQ(items[0].type, FileType::kDirectory);
}

TEST_F(Inbox, OfTwoWatchersThatSawOneItemExactlyOneClaimsIt) {
  auto a = watcher(0), b = watcher(0);
  drop("a.txt");
  auto seen_a = a->ready_items(), seen_b = b->ready_items();
  ASSERT_EQ(seen_a.size(), 1u);
  ASSERT_EQ(seen_b.size(), 1u);
  auto got_a = a->claim(seen_a[0]);
  ASSERT_TRUE(got_a) << got_a.error().message;
  auto got_b = b->claim(seen_b[0]);
  ASSERT_FALSE(got_b);
  EXPECT_EQ(got_b.error().code, Code::kNotFound);  // "someone else has it", not a failure
  EXPECT_EQ(got_a->path, inbox() + "/.claimed/" + a->owner() + "/a.txt");
  EXPECT_TRUE(fs::exists(got_a->path));
  EXPECT_TRUE(b->ready_items().empty());
  ASSERT_TRUE(a->acknowledge(*got_a));
  EXPECT_TRUE(fs::exists(inbox() + "/.processed/a.txt"));
  EXPECT_FALSE(fs::exists(inbox() + "/.failed"));
}

TEST_F(Inbox, ANameInFlightHereIsNotOfferedAgainUntilSettled) {
  auto w = watcher(0);
  drop("a.txt", "first");
  auto first = w->claim(w->ready_items()[0]);
  ASSERT_TRUE(first);
  drop("a.txt", "second, same name");
  EXPECT_TRUE(w->ready_items().empty());
  ASSERT_TRUE(w->acknowledge(*first));
  auto second = w->claim(w->ready_items()[0]);
  ASSERT_TRUE(second);
  ASSERT_TRUE(w->acknowledge(*second));
  // Nothing replaced: both are kept.
  std::ifstream one(inbox() + "/.processed/a.txt"), two(inbox() + "/.processed/a.txt.1");
  std::string s1((std::istreambuf_iterator<char>(one)), {}), s2((std::istreambuf_iterator<char>(two)), {});
  EXPECT_EQ(s1, "first");
  EXPECT_EQ(s2, "second, same name");
}

TEST_F(Inbox, ReleaseReturnsAnItemWithoutReplacingANewOneOfTheSameName) {
  auto w = watcher(0);
  drop("a.txt", "old");
  auto c = w->claim(w->ready_items()[0]);
  ASSERT_TRUE(c);
  drop("a.txt", "new");
  ASSERT_TRUE(w->release(*c));
  EXPECT_TRUE(fs::exists(inbox() + "/a.txt"));
  EXPECT_TRUE(fs::exists(inbox() + "/returned-1-a.txt"));
}

TEST_F(Inbox, ClaimsOfAProcessThatEndedReturnAtOnceOnThisHost) {
  std::string path;
  {
    auto dead = watcher(0);
    drop("a.txt");
    drop("b.txt");
    auto items = dead->ready_items();
    ASSERT_EQ(items.size(), 2u);
    for (const auto& it : items) ASSERT_TRUE(dead->claim(it));
  }  // its lock is gone with it, as with SIGKILL; its claim folder stays
  auto live = watcher(0);
  EXPECT_TRUE(live->ready_items().empty());
  auto back = live->recover_stale_claims();
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, 2);
  EXPECT_EQ(names(live->ready_items()), (std::vector<std::string>{"a.txt", "b.txt"}));
}

TEST_F(Inbox, ALiveOwnersClaimsStayAndAnotherHostsReturnOnlyAfterTheHeartbeatExpires) {
  auto a = watcher(0), b = watcher(0);
  drop("a.txt");
  ASSERT_TRUE(a->claim(a->ready_items()[0]));
  auto back = b->recover_stale_claims();
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, 0);  // a holds its lock and beats
  // An owner on another host: only its heartbeat can tell.
  fs::create_directories(inbox() + "/.claimed/remote");
  std::ofstream(inbox() + "/.claimed/remote/r.txt") << "remote item";
  std::ofstream(inbox() + "/.claimed/remote.alive") << std::fixed << env_.now_seconds() << " some-other-host\n";
  back = b->recover_stale_claims();
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, 0);
  env_.advance(30);
  ASSERT_TRUE(a->heartbeat());
  env_.advance(40);  // remote: 70 s since its beat (expiry 60); a: 40 s
  back = b->recover_stale_claims();
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, 1);
  EXPECT_TRUE(fs::exists(inbox() + "/r.txt"));
  EXPECT_FALSE(fs::exists(inbox() + "/.claimed/remote"));
  EXPECT_TRUE(fs::exists(inbox() + "/.claimed/" + a->owner() + "/a.txt"));
}

TEST_F(Inbox, HeartbeatAndLockFilesOfAnOwnerThatDiedBeforeItsFolderAreCleanedUp) {
  auto w = watcher(0);
  std::ofstream(inbox() + "/.claimed/gone.lock") << "";
  std::ofstream(inbox() + "/.claimed/gone.alive") << std::fixed << env_.now_seconds() - 1000 << " " << "x\n";
  auto back = w->recover_stale_claims();
  ASSERT_TRUE(back);
  EXPECT_FALSE(fs::exists(inbox() + "/.claimed/gone.lock"));
  EXPECT_FALSE(fs::exists(inbox() + "/.claimed/gone.alive"));
  EXPECT_TRUE(fs::exists(inbox() + "/.claimed/" + w->owner() + ".alive"));  // its own stay
  EXPECT_TRUE(fs::exists(inbox() + "/.claimed/" + w->owner() + ".lock"));
}

TEST_F(Inbox, AnOwnerWhoseClaimWasTakenOverLearnsItAsNotFound) {
  auto slow = watcher(0);
  drop("a.txt");
  auto c = slow->claim(slow->ready_items()[0]);
  ASSERT_TRUE(c);
  // Another process moved it back (it thought the owner dead): the owner must not report a failure.
  fs::rename(c->path, inbox() + "/a.txt");
  Status st = slow->acknowledge(*c);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.code(), Code::kNotFound);
  EXPECT_FALSE(fs::exists(inbox() + "/.processed/a.txt"));
}

TEST_F(Inbox, AFailingRenameIsATypedErrorAndTheItemStays) {
  auto w = watcher(0);
  drop("a.txt");
  auto items = w->ready_items();
  env_.fail(test::FaultEnv::Op::kRename, Code::kReadOnly);
  auto c = w->claim(items[0]);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, Code::kReadOnly);
  EXPECT_TRUE(fs::exists(inbox() + "/a.txt"));
}

TEST_F(Inbox, ReleaseAllReturnsEverythingClaimedAndACleanStopLeavesNoClaimFolder) {
  {
    auto w = watcher(0);
    drop("a.txt");
    drop("b.txt");
    for (const auto& it : w->ready_items()) ASSERT_TRUE(w->claim(it));
    auto n = w->release_all();
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 2);
  }
  EXPECT_TRUE(fs::exists(inbox() + "/a.txt"));
  EXPECT_TRUE(fs::exists(inbox() + "/b.txt"));
  EXPECT_TRUE(fs::is_empty(inbox() + "/.claimed"));
}

}  // namespace
}  // namespace clee
