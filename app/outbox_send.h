// Sending the outbox from the configuration: `outbox send` (one pass, then exit) and the
// daemon's schedule (a pass every [smtp] send_interval_seconds, 30 s by default). Both go through notify::send_due, so one message is sent by one process at a time
// whatever runs at once (the outbox's claim and lease, queue/store.h).
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include "app/config.h"
#include "notify/sender.h"
#include "queue/store.h"

namespace clee::app {

// Names a sender in leases and the audit log: "ROLE@HOST:PID".
std::string sender_name(const std::string& role);
notify::SmtpOptions smtp_options(const SmtpConfig& c);
notify::SendPolicy send_policy(const SmtpConfig& c);

// One pass over what is due. kInvalidConfig when [smtp] has no url.
notify::SendPass send_outbox(Store& store, const Config& config, const std::string& owner,
                             const std::atomic<bool>* stop = nullptr);

// The daemon's schedule: tick() starts a pass on its own thread when one is due and none runs.
class SendLoop {
 public:
  SendLoop(const Config& config, std::atomic<bool>& stop, Env* env);
  ~SendLoop();
  SendLoop(const SendLoop&) = delete;
  SendLoop& operator=(const SendLoop&) = delete;
  void tick();
  bool running() const { return running_.load(); }
  // Waits for a pass in flight, then sends what is due now in this thread (`daemon --once`
  // ends with it, so the receipts of the packets it took go out before it exits).
  void drain();

 private:
  const Config& config_;
  std::atomic<bool>& stop_;
  Env* env_;
  std::string owner_;
  double next_ = 0;
  std::atomic<bool> running_{false};
  std::thread thread_;
  void pass();
};

}  // namespace clee::app
