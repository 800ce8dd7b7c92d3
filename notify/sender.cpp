#include "notify/sender.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <ctime>

namespace clee::notify {
namespace {

double epoch_of(const std::string& iso) {
  std::tm tm{};
  if (iso.size() < 19 || !strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return 0;
  return static_cast<double>(timegm(&tm));
}

// One claimed message to its outcome. Returns false when the outbox could not record it.
bool send_one(Outbox& outbox, SmtpSender& smtp, const SendPolicy& policy, const OutboxEntry& e,
              const std::string& owner, Env* env, SendPass& pass) {
  SendResult r = smtp.send(e.message.envelope_from, e.message.recipients, e.message.mime);
  Status st;
  if (r.outcome == SendOutcome::kSent) {
    st = outbox.message_sent(e.id, owner, r.reply);
    spdlog::info("outbox {}: {} for {} sent to {}: {}", e.id, e.message.kind, e.packet_id, e.message.to, r.reply);
    ++pass.sent;
  } else {
    double created = epoch_of(e.created_at);
    bool too_old = created > 0 && env->now_seconds() - created > policy.give_up_seconds;
    if (r.outcome == SendOutcome::kPermanent || too_old) {
      std::string why = r.outcome == SendOutcome::kPermanent
                            ? r.error
                            : "gave up after " + std::to_string(e.attempts) + " attempts: " + r.error;
      st = outbox.message_failed(e.id, owner, why);
      spdlog::error("outbox {}: {} for {} to {} failed: {}", e.id, e.message.kind, e.packet_id, e.message.to, why);
      ++pass.failed;
    } else {
      double wait = retry_delay(policy, e.attempts);
      st = outbox.message_deferred(e.id, owner, r.error, env->now_seconds() + wait);
      spdlog::warn("outbox {}: {} for {} not sent ({}); next try in {:.0f} s", e.id, e.message.kind, e.packet_id,
                   r.error, wait);
      ++pass.deferred;
    }
  }
  if (!st) {
    spdlog::error("outbox {}: recording the outcome failed: {}", e.id, st.error().message);
    if (st.code() != Code::kBusy) {
      pass.status = st;
      return false;
    }
  }
  return true;
}

}  // namespace

double lease_seconds(const SmtpOptions& smtp) { return smtp.connect_timeout_seconds + smtp.timeout_seconds + 60; }

double retry_delay(const SendPolicy& p, int attempts) {
  double d = p.retry_initial_seconds * std::pow(2.0, std::max(0, attempts - 1));
  return std::min(d, p.retry_max_seconds);
}

SendPass send_due(Outbox& outbox, SmtpSender& smtp, const SmtpOptions& options, const SendPolicy& policy,
                  const std::string& owner, Env* env, const std::atomic<bool>* stop) {
  SendPass pass;
  while (!stop || !stop->load()) {
    auto claimed = outbox.claim_messages(owner, lease_seconds(options), policy.batch);
    if (!claimed) {
      pass.status = claimed.error();
      return pass;
    }
    if (claimed->empty()) break;
    for (const auto& e : *claimed) {
      if (stop && stop->load()) break;  // unsent claims expire and are taken again
      if (!send_one(outbox, smtp, policy, e, owner, env, pass)) return pass;
    }
  }
  return pass;
}

}  // namespace clee::notify
