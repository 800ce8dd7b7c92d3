#include "app/service.h"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include "app/common.h"
#include "app/source_holds.h"
#include "extractors/extract.h"
#include "extractors/util.h"
#include "pipeline/intake_inbox.h"
#include "pipeline/intake_mail.h"

namespace clee::app {

std::atomic<bool>& stop_requested() {
  static std::atomic<bool> stop{false};
  return stop;
}

namespace {

void on_signal(int) { stop_requested().store(true); }

// A reply to an information request: the token in the subject, or In-Reply-To/References
// naming the request's Message-ID <TOKEN.PACKET@clee-intake>.
std::optional<std::string> reply_target(Store& store, const EmailInfo& info) {
  static const std::regex token(R"(CLEE-REQ-[A-Z0-9]{10})");
  std::smatch m;
  std::vector<std::string> places = {info.subject, info.in_reply_to};
  for (const auto& r : info.references) places.push_back(r);
  for (const auto& s : places)
    if (std::regex_search(s, m, token))
      if (auto id = store.packet_for_token(m.str(0))) return id;
  return std::nullopt;
}

// Commits one message: a reply joins its packet (checked again), anything else is a new packet.
// Returns Ok only when the message's content is committed and its packet did not fail; then the
// mailbox may be touched. A packet that failed stays `failed` in the queue and its message stays
// unmarked: the next pass finds the message committed (source key) and retries the packet.
Status commit_message(Store& store, const Pipeline& pipeline, const std::string& account, const MailMessage& msg) {
  std::string actor = "mail:" + account;
  auto info = read_email_info(msg.bytes);
  std::string message_key = info && !info->message_id.empty() ? "message-id:" + info->message_id : "";
  std::optional<std::string> done = store.packet_for_source(msg.key);
  if (!done && !message_key.empty()) {
    // The same message again under another UID, folder or account (re-delivered, copied).
    if ((done = store.packet_for_source(message_key))) {
      (void)store.append_audit(*done, actor, "duplicate_packet", "message <" + info->message_id + "> arrived again (" + msg.where + ")");
      (void)store.remember_source(msg.key, *done);
    }
  }
  if (done) {
    auto rec = store.get(*done);
    if (rec && rec->status == PacketStatus::kFailed) {
      spdlog::info("mail {}: {} is packet {}, which failed; retrying it", account, msg.where, *done);
      if (Status st = store.retry(*done, actor); !st) return st;
      if (Status st = process(store, *done, actor, pipeline); !st) return st;
      rec = store.get(*done);
      if (rec && rec->status == PacketStatus::kFailed) return Error{Code::kInternal, "packet " + *done + " failed again: " + rec->error};
    }
    spdlog::info("mail {}: {} already committed as {}; acknowledging", account, msg.where, *done);
    return Status::Ok();
  }
  std::string subject = info ? info->subject : "";
  std::string label = (subject.empty() ? std::string("message") : subject.substr(0, 80)) + ".eml";
  std::string id;
  if (info) {
    if (auto target = reply_target(store, *info)) {
      auto sha = store.put_object(msg.bytes);
      if (!sha) return sha.error();
      if (Status st = store.add_files(*target, {SourceFile::in_memory(label, msg.bytes)}, actor); !st) return st;
      if (Status st = store.remember_source(msg.key, *target); !st) return st;
      spdlog::info("mail {}: reply joins packet {}", account, *target);
      if (Status st = process(store, *target, actor, pipeline); !st)
        spdlog::error("packet {}: {}", *target, st.error().message);
      id = *target;
    }
  }
  if (id.empty()) {
    Packet p;
    p.source = actor + " " + (info && !info->message_id.empty() ? "<" + info->message_id + ">" : msg.where);
    p.files.push_back(SourceFile::in_memory(label, msg.bytes));
    auto in = ingest(store, std::move(p), "mail", actor, pipeline, msg.key);
    if (!in) return in.error();
    id = in->id;
    if (info && !info->message_id.empty()) (void)store.set_message_id(id, info->message_id);
  }
  if (!message_key.empty()) (void)store.remember_source(message_key, id);
  auto rec = store.get(id);
  if (rec && rec->status == PacketStatus::kFailed) return Error{Code::kInternal, "packet " + id + " failed: " + rec->error};
  return Status::Ok();
}

std::unique_ptr<MailSource> source_for(const MailAccount& a) {
  if (!a.maildir.empty()) return make_maildir_source(a.name, a.maildir);
  return make_imap_source({a.name, a.url, a.user, a.password, a.insecure_tls});
}

class WorkQueue {
 public:
  void push(std::function<void(Store&, const Pipeline&)> task) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      tasks_.push_back(std::move(task));
    }
    cv_.notify_one();
  }
  // Waits briefly for a task; false when there is none (or we are stopping).
  bool pop(std::function<void(Store&, const Pipeline&)>* task) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(300), [&] { return !tasks_.empty() || stop_requested().load(); });
    if (stop_requested().load() || tasks_.empty()) return false;
    *task = std::move(tasks_.front());
    tasks_.pop_front();
    ++active_;
    return true;
  }
  void finished() {
    std::lock_guard<std::mutex> lock(mu_);
    --active_;
  }
  // Tasks waiting or running.
  size_t size() {
    std::lock_guard<std::mutex> lock(mu_);
    return tasks_.size() + active_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void(Store&, const Pipeline&)>> tasks_;
  size_t active_ = 0;
};

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

int poll_mail_once(const Config& config, const std::vector<MailAccount>* held) {
  auto pipeline = make_pipeline(config);
  if (!pipeline) {
    spdlog::error("{}", pipeline.error().message);
    return -1;
  }
  auto store = open_store(config);
  if (!store) {
    spdlog::error("{}", store.error().message);
    return -1;
  }
  int committed = 0;
  for (const auto& account : held ? *held : config.mail) {
    // Of several daemons (and `mail` runs) for one office, one works an account at a time.
    std::unique_ptr<SourceHold> hold;
    if (!held) {
      auto h = (*store)->hold_source(source_name(account));
      if (!h) {
        spdlog::info("mail {}: skipped: {}", account.name, h.error().message);
        continue;
      }
      hold = std::move(*h);
    }
    auto src = source_for(account);
    auto msgs = src->fetch(500);
    if (!msgs) {
      spdlog::error("mail {}: {}", account.name, msgs.error().message);
      continue;
    }
    for (const auto& m : *msgs) {
      if (stop_requested()) break;
      Status st = commit_message(**store, **pipeline, account.name, m);
      if (!st) {  // kept in the mailbox, untouched, to be retried
        spdlog::error("mail {}: {}: {} (left in the mailbox; will retry)", account.name, m.where, st.error().message);
        continue;
      }
      if (Status ack = src->acknowledge(m); !ack) spdlog::warn("mail {}: {}: {}", account.name, m.where, ack.error().message);
      ++committed;
    }
  }
  return committed;
}

int run_service(const Config& config, const ServiceOptions& options) {
  install_stop_handlers();
  auto main_store = open_store(config);
  if (!main_store) {
    spdlog::error("{}", main_store.error().message);
    return 1;
  }
  // One pipeline (rules, validators, options) for every worker: read-only once made.
  auto shared_pipeline = make_pipeline(config);
  if (!shared_pipeline) {
    spdlog::error("{}", shared_pipeline.error().message);
    return 2;
  }
  const Pipeline& pipeline_ref = **shared_pipeline;
  // Of several daemons for one office (any host), one works each source at a time.
  SourceHolds holds(**main_store);
  WorkQueue queue;
  std::mutex inflight_mu;
  std::set<std::string> inflight;
  std::atomic<int> failures{0};
  std::vector<std::thread> workers;
  int n = std::max(1, config.daemon.workers);
  for (int i = 0; i < n; ++i) {
    workers.emplace_back([&] {
      auto store = open_store(config);
      if (!store) {
        spdlog::error("worker cannot start: {}", store.error().message);
        failures++;
        return;
      }
      std::function<void(Store&, const Pipeline&)> task;
      while (!stop_requested()) {
        if (queue.pop(&task)) {
          task(**store, pipeline_ref);
          queue.finished();
        }
      }
      // Drain what is queued but not started? No: it is still in its source and redone next time.
    });
  }
  // The inbox is watched only while this daemon holds it (another takes over when it dies).
  std::shared_ptr<InboxWatcher> watcher;
  auto inbox_held = [&] {
    if (!options.inbox || config.inbox.path.empty()) return false;
    if (!holds.holding(source_name(config.inbox))) {
      watcher.reset();  // tasks in flight keep theirs
      return false;
    }
    if (!watcher)
      watcher = std::make_shared<InboxWatcher>(
          config.inbox.path, InboxOptions{config.inbox.poll, config.inbox.stability_seconds, config.inbox.delete_processed});
    return true;
  };
  std::set<std::string> attempted;
  std::map<std::string, double> next_mail;  // account → next pass (or next try of its hold)
  double next_sweep = 0;
  std::atomic<int> draining{0};
  Stopwatch clock;
  // Packets left `received` or held by a process that died (a crash mid-check, here, in a CLI run
  // or on another host) are checked again: at start, then at every rescan, workers claim due
  // packets one by one (claim_next: never one another worker on any host is claiming) until
  // none is due.
  auto sweep = [&] {
    if (auto redo = (*main_store)->requeue_expired("daemon"); redo && !redo->empty())
      spdlog::info("requeued {} interrupted packet(s)", redo->size());
    auto due = (*main_store)->due(static_cast<size_t>(n));
    if (!due) return;
    for (size_t i = due->size(); i > 0 && draining.load() < n; --i) {
      ++draining;
      queue.push([&draining](Store& store, const Pipeline& pipeline) {
        while (!stop_requested()) {
          auto done = process_next(store, "daemon", pipeline);
          if (!done) spdlog::error("{}", done.error().message);
          if (!done || !*done) break;
        }
        --draining;
      });
    }
  };
  while (!stop_requested()) {
    if (clock.seconds() >= next_sweep) {
      sweep();
      next_sweep = clock.seconds() + config.inbox.rescan_seconds;
    }
    bool pending = false;
    if (inbox_held()) {
      for (const auto& item : watcher->ready_items(&pending)) {
        if (options.once && !attempted.insert(item.name).second) continue;  // one try per run
        {
          std::lock_guard<std::mutex> lock(inflight_mu);
          if (!inflight.insert("inbox:" + item.name).second) continue;
        }
        std::shared_ptr<InboxWatcher> w = watcher;
        queue.push([item, w, &inflight, &inflight_mu](Store& store, const Pipeline& pipeline) {
          auto packet = load_packet(item.path, pipeline.options.extract.limits);
          if (!packet) {
            // Unreadable as a packet (e.g. an empty folder): kept in .failed/ with the reason.
            spdlog::error("inbox {}: {}", item.name, packet.error().message);
            (void)w->reject(item, std::string(code_name(packet.error().code)) + ": " + packet.error().message);
          } else {
            packet->source = "inbox:" + item.name;
            auto done = ingest(store, std::move(*packet), "inbox", "daemon", pipeline);
            if (done && done->status == PacketStatus::kFailed) {
              // Committed and kept in the queue as `failed`; the item goes to .failed/ with why.
              auto rec = store.get(done->id);
              (void)w->reject(item, "packet " + done->id + " failed: " + (rec ? rec->error : std::string("?")) +
                                        "\nIt is kept in the queue; after fixing the cause run: clee-intake retry " + done->id);
            } else if (done) {
              if (Status st = w->acknowledge(item); !st) spdlog::error("inbox {}: {}", item.name, st.error().message);
            } else {
              spdlog::error("inbox {}: not committed, left in the inbox: {}", item.name, done.error().message);
            }
          }
          std::lock_guard<std::mutex> lock(inflight_mu);
          inflight.erase("inbox:" + item.name);
        });
      }
    }
    if (options.mail) {
      std::vector<MailAccount> due_now;
      for (const auto& a : config.mail) {
        double& next = next_mail[a.name];
        if (clock.seconds() < next) continue;
        bool mine = holds.holding(source_name(a));
        if (mine) due_now.push_back(a);
        // --once: one pass, or none when another daemon works the account.
        next = options.once ? 1e18 : clock.seconds() + (mine ? config.daemon.mail_interval_seconds : 3.0);
      }
      if (!due_now.empty())
        queue.push([&config, due_now](Store&, const Pipeline&) { poll_mail_once(config, &due_now); });
    }
    if (options.once) {
      bool busy;
      {
        std::lock_guard<std::mutex> lock(inflight_mu);
        busy = !inflight.empty() || queue.size() > 0;
      }
      if (!busy && !pending) break;
    }
    if (watcher) watcher->wait(pending ? 0.25 : std::min(1.0, config.inbox.rescan_seconds));
    else std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  if (options.once) {
    // Let the queue drain before stopping the workers.
    while (queue.size() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop_requested().store(true);
  for (auto& t : workers) t.join();
  spdlog::info("intake service stopped");
  return failures > 0 ? 1 : 0;
}

}  // namespace clee::app
