#include "app/service.h"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>
#include <set>

#include "app/common.h"
#include "app/inbox_loop.h"
#include "app/mail_loop.h"
#include "app/outbox_send.h"
#include "app/worker_pool.h"
#include "pipeline/intake_inbox.h"

namespace clee::app {

std::atomic<bool>& stop_requested() {
  static std::atomic<bool> stop{false};
  return stop;
}

namespace {

void on_signal(int) { stop_requested().store(true); }

// Packets the queue holds that need checking — left `received` by a crash, or held by a process
// that stopped — are handed to the workers, each once at a time.
class PacketSweep {
 public:
  PacketSweep(Store& store, WorkerPool& pool, const Pipeline& pipeline) : store_(store), pool_(pool), pipeline_(pipeline) {}

  void run() {
    // Leases that expired (their holder stopped) go back to `received`; `due` lists the received
    // packets whose backoff deadline has passed.
    if (auto redo = store_.requeue_expired("daemon"); redo && !redo->empty())
      spdlog::info("requeued {} interrupted packet(s)", redo->size());
    auto received = store_.due(256);
    if (!received) return;
    for (const auto& p : *received) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (!inflight_.insert(p.id).second) continue;
      }
      bool queued = pool_.submit([this, id = p.id](Store& store) {
        Status st = guarded("packet " + id, [&] { return process(store, id, "daemon", pipeline_); });
        if (!st && st.code() != Code::kBusy) spdlog::error("packet {}: {}", id, st.error().message);
        std::lock_guard<std::mutex> lock(mu_);
        inflight_.erase(id);
      });
      if (!queued) {
        std::lock_guard<std::mutex> lock(mu_);
        inflight_.erase(p.id);
      }
    }
  }
  size_t in_flight() {
    std::lock_guard<std::mutex> lock(mu_);
    return inflight_.size();
  }

 private:
  Store& store_;
  WorkerPool& pool_;
  const Pipeline& pipeline_;
  std::mutex mu_;
  std::set<std::string> inflight_;  // guarded by mu_
};

InboxLoopOptions inbox_loop_options(const Config& c, size_t workers, bool once) {
  InboxLoopOptions o;
  o.max_claimed = workers * 2;
  o.max_attempts = c.daemon.max_attempts;
  o.retry_initial_seconds = c.daemon.retry_initial_seconds;
  o.retry_max_seconds = c.daemon.retry_max_seconds;
  o.heartbeat_seconds = c.daemon.lease_seconds / 4;
  o.recover_seconds = std::min(c.inbox.rescan_seconds, c.daemon.lease_seconds / 2);
  o.once = once;
  return o;
}

}  // namespace

void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
}

int poll_mail_once(const Config& config) {
  auto pipeline = make_pipeline(config);
  if (!pipeline) {
    spdlog::error("{}", pipeline.error().message);
    return -1;
  }
  auto store = Store::open(config.data_dir, Env::Default(), store_options(config));
  if (!store) {
    spdlog::error("{}", store.error().message);
    return -1;
  }
  int committed = 0;
  MailPassOptions options;
  options.max_attempts = config.daemon.max_attempts;
  for (const auto& account : config.mail) {
    auto source = source_for(account);
    MailPassResult r = mail_pass(**store, **pipeline, account.name, *source, options, stop_requested());
    if (!r.status) spdlog::error("mail {}: {}", account.name, r.status.error().message);
    committed += r.committed;
  }
  return committed;
}

namespace {

// The service's parts, made from the one config: the watcher and its loop, the mail schedule.
struct Loops {
  std::unique_ptr<InboxWatcher> watcher;
  std::unique_ptr<InboxLoop> inbox;
  std::unique_ptr<MailLoop> mail;
  std::unique_ptr<SendLoop> send;  // the outbox, every [smtp] send_interval_seconds
};

Result<Loops> make_loops(const Config& config, const ServiceOptions& options, WorkerPool& pool, const Pipeline& pipeline,
                         Env* env) {
  Loops l;
  if (options.inbox && !config.inbox.path.empty()) {
    InboxOptions io{config.inbox.poll, config.inbox.stability_seconds, config.inbox.delete_processed, config.daemon.lease_seconds};
    l.watcher = std::make_unique<InboxWatcher>(config.inbox.path, io, env);
    if (Status st = l.watcher->start(); !st) return Error{st.code(), "inbox " + config.inbox.path + ": " + st.error().message};
    l.inbox = std::make_unique<InboxLoop>(*l.watcher, pool, pipeline,
                                          inbox_loop_options(config, static_cast<size_t>(pool.workers()), options.once), env);
  }
  if (options.mail && !config.mail.empty()) {
    MailPassOptions mo;
    mo.max_attempts = config.daemon.max_attempts;
    // --once: one pass per account (the interval never comes round again in this run).
    double interval = options.once ? 1e18 : config.daemon.mail_interval_seconds;
    l.mail = std::make_unique<MailLoop>(config.mail, pool, pipeline, interval, mo, stop_requested(), env);
  }
  if (!config.smtp.url.empty()) l.send = std::make_unique<SendLoop>(config, stop_requested(), env);
  return l;
}

// Ticks every part until SIGTERM (or, --once, until nothing is left to do).
void drive(const Config& config, const ServiceOptions& options, Loops& l, PacketSweep& sweep, WorkerPool& pool, Env* env) {
  double next_sweep = 0;
  while (!stop_requested()) {
    double now = env->monotonic_seconds();
    if (now >= next_sweep) {
      sweep.run();
      next_sweep = now + config.inbox.rescan_seconds;
    }
    bool pending = false;
    if (l.inbox) l.inbox->tick(&pending);
    if (l.mail) l.mail->tick();
    if (l.send) l.send->tick();
    if (options.once) {
      bool busy = pool.backlog() > 0 || sweep.in_flight() > 0 || (l.inbox && l.inbox->in_flight() > 0) ||
                  (l.mail && l.mail->running() > 0) || (l.send && l.send->running());
      if (!busy && !pending) {
        if (l.send) l.send->drain();
        return;
      }
    }
    if (l.watcher) l.watcher->wait(pending ? 0.25 : std::min(1.0, config.inbox.rescan_seconds));
    else env->sleep_for(0.2);
  }
}

}  // namespace

int run_service(const Config& config, const ServiceOptions& options) {
  install_stop_handlers();
  Env* env = Env::Default();
  auto main_store = Store::open(config.data_dir, env, store_options(config));
  if (!main_store) {
    spdlog::error("{}", main_store.error().message);
    return 1;
  }
  // One pipeline (rules, validators, options) for every worker: read-only once made.
  auto pipeline = make_pipeline(config);
  if (!pipeline) {
    spdlog::error("{}", pipeline.error().message);
    return 2;
  }
  WorkerPool pool(config.daemon.workers, [&] { return Store::open(config.data_dir, env, store_options(config)); });
  if (Status st = pool.start(); !st) {
    spdlog::error("workers cannot start: {}", st.error().message);
    return 1;
  }
  auto loops = make_loops(config, options, pool, **pipeline, env);
  if (!loops) {
    spdlog::error("{}", loops.error().message);
    return 1;
  }
  PacketSweep sweep(**main_store, pool, **pipeline);
  drive(config, options, *loops, sweep, pool, env);
  // Work in flight finishes; claimed items not started go back into the inbox.
  pool.stop();
  if (loops->inbox) loops->inbox->release_unsettled();
  spdlog::info("intake service stopped");
  return pool.escaped_exceptions() > 0 ? 1 : 0;
}

}  // namespace clee::app
