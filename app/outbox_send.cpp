#include "app/outbox_send.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "app/common.h"

namespace clee::app {

std::string sender_name(const std::string& role) {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = 0;
  return role + "@" + host + ":" + std::to_string(::getpid());
}

notify::SmtpOptions smtp_options(const SmtpConfig& c) {
  notify::SmtpOptions o;
  o.url = c.url;
  o.user = c.user;
  o.password = c.password;
  o.ca_file = c.ca_file;
  o.connect_timeout_seconds = c.connect_timeout_seconds;
  o.timeout_seconds = c.timeout_seconds;
  return o;
}

notify::SendPolicy send_policy(const SmtpConfig& c) {
  notify::SendPolicy p;
  p.retry_initial_seconds = c.retry_initial_seconds;
  p.retry_max_seconds = c.retry_max_seconds;
  p.give_up_seconds = c.give_up_hours * 3600;
  return p;
}

notify::SendPass send_outbox(Store& store, const Config& config, const std::string& owner,
                             const std::atomic<bool>* stop) {
  if (config.smtp.url.empty()) {
    notify::SendPass none;
    none.status = Error{Code::kInvalidConfig, "no [smtp] url is configured: messages stay queued"};
    return none;
  }
  notify::SmtpOptions options = smtp_options(config.smtp);
  notify::SmtpSender smtp(options);
  return notify::send_due(store, smtp, options, send_policy(config.smtp), owner, store.env(), stop);
}

SendLoop::SendLoop(const Config& config, std::atomic<bool>& stop, Env* env)
    : config_(config), stop_(stop), env_(env),
      owner_(sender_name("daemon")) {}

SendLoop::~SendLoop() {
  if (thread_.joinable()) thread_.join();
}

void SendLoop::tick() {
  if (config_.smtp.url.empty() || running_.load()) return;
  double now = env_->monotonic_seconds();
  if (now < next_) return;
  next_ = now + config_.smtp.send_interval_seconds;
  if (thread_.joinable()) thread_.join();
  running_.store(true);
  thread_ = std::thread([this] {
    pass();
    running_.store(false);
  });
}

void SendLoop::drain() {
  if (thread_.joinable()) thread_.join();
  if (!config_.smtp.url.empty()) pass();
}

void SendLoop::pass() {
  auto store = Store::open(config_.data_dir, env_, store_options(config_));
  if (!store) {
    spdlog::error("outbox: {}", store.error().message);
    return;
  }
  notify::SendPass p = send_outbox(**store, config_, owner_, &stop_);
  if (!p.status) spdlog::error("outbox: {}", p.status.error().message);
  if (p.sent + p.deferred + p.failed > 0)
    spdlog::info("outbox: {} sent, {} deferred, {} failed", p.sent, p.deferred, p.failed);
}

}  // namespace clee::app
