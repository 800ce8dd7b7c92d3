// The fixture the store's tests share: a fresh data folder on a FaultEnv (settable clock,
// injectable failures), and helpers to add packets in a given state.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "queue/store.h"
#include "tests/support/fault_env.h"

namespace clee {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "/store-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    env_.set_time(*parse_utc("2026-03-05T10:00:00Z"));
    auto s = Store::open(dir_, &env_, options_);
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    rules_.clee_id_format = "CLEE-{year}-{seq:04}";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Packet packet(const std::string& content) {
    Packet p;
    p.source = "test:" + content;
    p.files.push_back(SourceFile::in_memory("a.txt", content));
    return p;
  }
  std::string add(const std::string& content, Disposition disposition = Disposition::kReadyForReview) {
    Packet p = packet(content);
    for (auto& f : p.files) EXPECT_TRUE(store_->put_object(f.bytes));
    auto r = store_->receive(p, "test", "tester");
    EXPECT_TRUE(r) << r.error().message;
    auto lease = store_->claim(r->id, "tester");
    EXPECT_TRUE(lease) << lease.error().message;
    Report rep;
    rep.disposition = disposition;
    rep.complete = disposition == Disposition::kReadyForReview;
    rep.fields.course_title = "Course " + content;
    rep.fields.credit_hours = 8;
    rep.fields.contact_name = "Pat";
    rep.fields.contact_email = "pat@example.org";
    EXPECT_TRUE(store_->save_report(*lease, rep, "tester"));
    return r->id;
  }
  // A received packet (not yet checked).
  std::string receive(const std::string& content) {
    Packet p = packet(content);
    EXPECT_TRUE(store_->put_object(p.files[0].bytes));
    auto r = store_->receive(p, "test", "t");
    EXPECT_TRUE(r) << r.error().message;
    return r->id;
  }

  test::FaultEnv env_;
  StoreOptions options_;
  std::string dir_;
  std::unique_ptr<Store> store_;
  RulePack rules_;
};

}  // namespace clee
