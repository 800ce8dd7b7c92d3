#include "app/service.h"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>
#include <optional>

#include "app/common.h"
#include "app/inbox_loop.h"
#include "app/mail_loop.h"
#include "app/outbox_send.h"
#include "app/source_holds.h"
#include "app/worker_pool.h"
#include "pipeline/intake_inbox.h"

namespace clee::app {

std::atomic<bool>& stop_requested() {
  static std::atomic<bool> stop{false};
  return stop;
}

namespace {

void on_signal(int) { stop_requested().store(true); }

// Packets the queue holds that need checking — left `received` by a crash, held by a process
// that stopped (here, in a CLI run or on another host), or past their backoff — are checked by
// workers that claim them one by one (claim_next: never one another worker on any host is
// claiming) until none is due; at most one such task per worker at a time.
class PacketSweep {
 public:
  PacketSweep(Store& store, WorkerPool& pool, const Pipeline& pipeline) : store_(store), pool_(pool), pipeline_(pipeline) {}

  void run() {
    // Leases whose holder is gone go back to `received`.
    if (auto redo = store_.requeue_expired("daemon"); redo && !redo->empty())
      spdlog::info("requeued {} interrupted packet(s)", redo->size());
    auto due = store_.due(static_cast<size_t>(pool_.workers()));
    if (!due) return;
    for (size_t i = due->size(); i > 0 && draining_.load() < pool_.workers(); --i) {
      ++draining_;
      bool queued = pool_.submit([this](Store& store) {
        while (!stop_requested()) {
          Result<std::optional<std::string>> next = std::optional<std::string>();
          Status st = guarded("the queue", [&] {
            next = process_next(store, "daemon", pipeline_);
            return next ? Status::Ok() : Status(next.error());
          });
          if (!st) spdlog::error("{}", st.error().message);
          if (!st || !next || !*next) break;
        }
        --draining_;
      });
      if (!queued) --draining_;
    }
  }
  size_t in_flight() { return static_cast<size_t>(draining_.load()); }

 private:
  Store& store_;
  WorkerPool& pool_;
  const Pipeline& pipeline_;
  std::atomic<int> draining_{0};
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

std::string source_name(const InboxConfig& inbox) { return "inbox:" + inbox.path; }
std::string source_name(const MailAccount& account) { return "mail:" + account.name; }

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
    // Of several daemons (and `mail` runs) for one office, one works an account at a time.
    auto hold = (*store)->hold_source(source_name(account));
    if (!hold) {
      spdlog::info("mail {}: skipped: {}", account.name, hold.error().message);
      continue;
    }
    auto source = source_for(account);
    MailPassResult r = mail_pass(**store, **pipeline, account.name, *source, options, stop_requested());
    if (!r.status) spdlog::error("mail {}: {}", account.name, r.status.error().message);
    committed += r.committed;
  }
  return committed;
}

namespace {

// The service's parts, made from the one config: the watcher and its loop, the mail schedule.
// Each source is worked only while this daemon holds it (SourceHolds): one loop per account, so
// that each is ticked on its own hold.
struct Loops {
  std::unique_ptr<InboxWatcher> watcher;
  std::unique_ptr<InboxLoop> inbox;
  std::vector<std::pair<std::string, std::unique_ptr<MailLoop>>> mail;  // source name, loop
  size_t mail_running() {
    size_t n = 0;
    for (auto& [name, loop] : mail) n += loop->running();
    return n;
  }
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
    for (const auto& account : config.mail)
      l.mail.emplace_back(source_name(account), std::make_unique<MailLoop>(std::vector<MailAccount>{account}, pool, pipeline,
                                                                          interval, mo, stop_requested(), env));
  }
  if (!config.smtp.url.empty()) l.send = std::make_unique<SendLoop>(config, stop_requested(), env);
  return l;
}

// Ticks every part until SIGTERM (or, --once, until nothing is left to do).
void drive(const Config& config, const ServiceOptions& options, Loops& l, PacketSweep& sweep, WorkerPool& pool,
           SourceHolds& holds, Env* env) {
  double next_sweep = 0;
  while (!stop_requested()) {
    double now = env->monotonic_seconds();
    if (now >= next_sweep) {
      sweep.run();
      next_sweep = now + config.inbox.rescan_seconds;
    }
    bool pending = false;
    // (--once: a source another daemon works is left to it.)
    if (l.inbox && holds.holding(source_name(config.inbox))) l.inbox->tick(&pending);
    for (auto& [name, loop] : l.mail)
      if (holds.holding(name)) loop->tick();
    if (l.send) l.send->tick();
    if (options.once) {
      bool busy = pool.backlog() > 0 || sweep.in_flight() > 0 || (l.inbox && l.inbox->in_flight() > 0) ||
                  l.mail_running() > 0 || (l.send && l.send->running());
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
  // Of several daemons for one office (any host), one works each source at a time.
  SourceHolds holds(**main_store);
  drive(config, options, *loops, sweep, pool, holds, env);
  // Work in flight finishes; claimed items not started go back into the inbox.
  pool.stop();
  if (loops->inbox) loops->inbox->release_unsettled();
  spdlog::info("intake service stopped");
  return pool.escaped_exceptions() > 0 ? 1 : 0;
}

}  // namespace clee::app
