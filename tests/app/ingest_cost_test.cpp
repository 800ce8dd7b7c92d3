// What ingesting a packet costs the data folder (issue 14), and `ingest --jobs`. A text packet, checked in
// milliseconds, is stored, checked and queued without a Store::open per packet (a liveness lock
// and a sweep of every object shard: what made 1,000-packet ingests spend most of their CPU
// listing objects/ when the lease heartbeat opened a connection per packet). The heartbeat's
// connection (Store::companion) is opened once and kept from packet to packet.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "app/common.h"
#include "app/intake.h"
#include "pipeline/runner.h"
#include "tests/support/shell.h"

namespace clee::app {
namespace {
namespace fs = std::filesystem;

using clee::test::run;

// Counts the store connections opened on a data folder: each takes a liveness lock in run/.
class CountingEnv : public EnvWrapper {
 public:
  CountingEnv() : EnvWrapper(Env::Default()) {}
  Result<std::unique_ptr<FileLock>> lock_file(const std::string& p) override {
    if (p.find("/run/") != std::string::npos) ++run_locks;
    return EnvWrapper::lock_file(p);
  }
  std::atomic<int> run_locks{0};
};

TEST(IngestCost, NoStoreConnectionPerPacket) {
  std::string dir = testing::TempDir() + "/ingest-cost-" + std::to_string(::getpid());
  fs::remove_all(dir);
  Config c;
  c.ocr = false;
  auto pipeline = make_pipeline(c);
  ASSERT_TRUE(pipeline) << pipeline.error().message;
  CountingEnv env;
  auto store = Store::open(dir + "/data", &env);
  ASSERT_TRUE(store) << store.error().message;
  ASSERT_GE(env.run_locks.load(), 1) << "a store connection takes a liveness lock in run/";
  int after_first = 0;
  std::string src = std::string(CLEE_SOURCE_DIR) + "/fixtures/packets/complete_advanced_pdf";
  for (int i = 0; i < 3; ++i) {
    auto packet = load_packet(src, (*pipeline)->options.extract.limits);
    ASSERT_TRUE(packet) << packet.error().message;
    packet->files.push_back(SourceFile::in_memory("note.txt", "Cover note " + std::to_string(i) + "\n"));
    auto done = ingest(**store, std::move(*packet), "cli", "test", **pipeline);
    ASSERT_TRUE(done) << done.error().message;
    EXPECT_FALSE(done->duplicate);
    EXPECT_EQ(done->status, PacketStatus::kReady);
    if (i == 0) after_first = env.run_locks.load();
  }
  EXPECT_EQ(env.run_locks.load(), after_first) << "later packets opened store connections of their own";
  auto rows = (*store)->list(std::nullopt);
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->size(), 3u);
  store->reset();
  fs::remove_all(dir);
}

// `ingest --jobs N` takes N packets at a time: every packet queued once, one line each on stdout,
// the same content given twice queued once (the other a duplicate), a failure counted.
TEST(IngestJobs, EveryPacketOnceWithOneLineEach) {
  fs::path root = testing::TempDir() + "/ingest-jobs-" + std::to_string(::getpid());
  fs::remove_all(root);
  fs::create_directories(root / "batch");
  std::string args;
  for (int i = 0; i < 40; ++i) {
    fs::path p = root / "batch" / ("p" + std::to_string(i) + ".txt");
    std::ofstream(p) << "CLEE Request Form\nCourse Title: Jobs " << (i == 39 ? 0 : i) << "\n";  // p39 repeats p0
    args += " '" + p.string() + "'";
  }
  args += " '" + (root / "missing.txt").string() + "'";
  std::string out = run(std::string(CLEE_BINARY) + " --log-level off --data " + (root / "data").string() + " ingest --jobs 4" +
                        args + " 2>" + (root / "err").string() + "; echo exit=$?");
  std::ifstream in(root / "err");
  std::string err((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(out.find("exit=1"), std::string::npos) << out;
  EXPECT_NE(err.find("40 of 41 packet(s) queued, 1 FAILED"), std::string::npos) << err;
  EXPECT_NE(err.find("missing.txt: unreadable_document"), std::string::npos) << err;
  std::istringstream lines(out);
  std::string line;
  std::set<std::string> ids, paths;
  int duplicates = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("exit=", 0) == 0) continue;
    auto tab = line.find('\t'), tab2 = line.rfind('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    ids.insert(line.substr(0, tab));
    paths.insert(line.substr(tab2 + 1));
    if (line.find("duplicate_packet") != std::string::npos) ++duplicates;
  }
  EXPECT_EQ(paths.size(), 40u) << out;
  EXPECT_EQ(ids.size(), 39u) << out;
  EXPECT_EQ(duplicates, 1) << out;
  std::string listed = run(std::string(CLEE_BINARY) + " --log-level off --data " + (root / "data").string() +
                           " queue list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'");
  EXPECT_EQ(listed, "39\n");
  fs::remove_all(root);
}

}  // namespace
}  // namespace clee::app
