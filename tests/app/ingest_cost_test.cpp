// What ingesting a packet costs the data folder (issue 14): a text packet, checked in
// milliseconds, is stored, checked and queued on the one store connection the caller opened. The
// lease heartbeat opens its own connection only when a renewal is due (a long OCR check), so a
// batch of packets never pays a Store::open per packet (a liveness lock and a sweep of every
// object shard: what made 1,000-packet ingests spend most of their CPU listing objects/).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "app/common.h"
#include "app/intake.h"
#include "pipeline/runner.h"

namespace clee::app {
namespace {
namespace fs = std::filesystem;

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

TEST(IngestCost, TextPacketsUseTheCallersConnectionOnly) {
  std::string dir = testing::TempDir() + "/ingest-cost-" + std::to_string(::getpid());
  fs::remove_all(dir);
  Config c;
  c.ocr = false;
  auto pipeline = make_pipeline(c);
  ASSERT_TRUE(pipeline) << pipeline.error().message;
  CountingEnv env;
  auto store = Store::open(dir + "/data", &env);
  ASSERT_TRUE(store) << store.error().message;
  int after_open = env.run_locks.load();
  ASSERT_GE(after_open, 1) << "a store connection takes a liveness lock in run/";
  std::string src = std::string(CLEE_SOURCE_DIR) + "/fixtures/packets/complete_advanced_pdf";
  for (int i = 0; i < 3; ++i) {
    auto packet = load_packet(src, (*pipeline)->options.extract.limits);
    ASSERT_TRUE(packet) << packet.error().message;
    packet->files.push_back(SourceFile::in_memory("note.txt", "Cover note " + std::to_string(i) + "\n"));
    auto done = ingest(**store, std::move(*packet), "cli", "test", **pipeline);
    ASSERT_TRUE(done) << done.error().message;
    EXPECT_FALSE(done->duplicate);
    EXPECT_EQ(done->status, PacketStatus::kReady);
  }
  EXPECT_EQ(env.run_locks.load(), after_open) << "ingest opened other store connections";
  auto rows = (*store)->list(std::nullopt);
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->size(), 3u);
  store->reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace clee::app
