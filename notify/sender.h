// One sending pass over the outbox: claim what is due, send each message through SMTP, record
// the outcome. A 5xx to the message marks it failed with the server's words; anything else is
// retried with a doubling backoff (`retry_initial_seconds`, at most `retry_max_seconds`) until it
// has been queued `give_up_seconds` (then failed, with the last error). The lease a claim takes
// outlasts one SMTP exchange (timeouts included), so a sender that is alive never loses its rows.
// Used by `outbox send` and the daemon's schedule.
#pragma once

#include <atomic>
#include <string>

#include "base/env.h"
#include "notify/outbox.h"
#include "notify/smtp.h"

namespace clee::notify {

struct SendPolicy {
  double retry_initial_seconds = 60;
  double retry_max_seconds = 3600;
  double give_up_seconds = 5 * 86400;  // like an MTA's queue lifetime
  // Messages claimed at once. One: the lease then only has to outlast one exchange, and the
  // senders of several daemons share the queue message by message.
  size_t batch = 1;
};

struct SendPass {
  int sent = 0, deferred = 0, failed = 0;
  Status status;  // not ok when the outbox itself could not be read or written
};

// The lease a claim takes: one exchange's timeouts and a margin.
double lease_seconds(const SmtpOptions& smtp);

// Seconds to wait before attempt `attempts + 1` after `attempts` failed ones.
double retry_delay(const SendPolicy& p, int attempts);

// Sends everything due now (claiming in batches until none is left or `stop`).
SendPass send_due(Outbox& outbox, SmtpSender& smtp, const SmtpOptions& options, const SendPolicy& policy,
                  const std::string& owner, Env* env, const std::atomic<bool>* stop = nullptr);

}  // namespace clee::notify
