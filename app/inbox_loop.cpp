#include "app/inbox_loop.h"

#include <spdlog/spdlog.h>

#include <optional>

namespace clee::app {

InboxLoop::InboxLoop(InboxWatcher& watcher, WorkerPool& pool, const Pipeline& pipeline, InboxLoopOptions options, Env* env)
    : watcher_(watcher),
      pool_(pool),
      pipeline_(pipeline),
      options_(options),
      env_(env),
      backoff_(options.retry_initial_seconds, options.retry_max_seconds) {}

void InboxLoop::tick(bool* pending) {
  *pending = false;
  double now = env_->monotonic_seconds();
  if (now >= next_heartbeat_) {
    if (Status s = watcher_.heartbeat(); !s) spdlog::warn("inbox: heartbeat: {}", s.error().message);
    next_heartbeat_ = now + options_.heartbeat_seconds;
  }
  if (now >= next_recover_) {
    auto back = watcher_.recover_stale_claims();
    if (!back) spdlog::warn("inbox: returning a stopped process's claims: {}", back.error().message);
    else if (*back > 0) spdlog::info("inbox: {} item(s) claimed by a process that stopped are back in the inbox", *back);
    next_recover_ = now + options_.recover_seconds;
  }
  for (const auto& item : watcher_.ready_items(pending)) {
    if (options_.once && attempted_.count(item.name)) continue;
    if (!backoff_.ready(item.name, now)) continue;  // its next try is not due yet
    if (in_flight_.load() >= options_.max_claimed) {
      *pending = true;  // ready, waiting for a worker
      break;
    }
    auto claimed = watcher_.claim(item);
    if (!claimed) {
      // kNotFound: another process claimed it first; kBusy: one of that name is still ours.
      Code c = claimed.error().code;
      if (c != Code::kNotFound && c != Code::kBusy) {
        double wait = backoff_.failed(item.name, now);
        spdlog::warn("inbox {}: cannot claim it: {} (next try in {:.0f} s)", item.name, claimed.error().message, wait);
      }
      continue;
    }
    if (options_.once) attempted_.insert(item.name);
    ++in_flight_;
    InboxItem it = *claimed;
    if (!pool_.submit([this, it](Store& store) { handle(store, it); })) {
      --in_flight_;
      (void)watcher_.release(it);  // stopping: back where it was
    }
  }
}

void InboxLoop::handle(Store& store, const InboxItem& item) {
  Status st = guarded("inbox " + item.name, [&] { return settle(store, item); });
  if (!st) log_settle_error(item, st);
  --in_flight_;
}

void InboxLoop::log_settle_error(const InboxItem& item, const Status& st) {
  if (st.code() == Code::kNotFound) {
    // The claim was taken over (this process was presumed dead): the other owner settles it.
    spdlog::info("inbox {}: no longer claimed here ({}); another process has it", item.name, st.error().message);
    return;
  }
  spdlog::error("inbox {}: {}", item.name, st.error().message);
}

// Counted in the store's durable record before the work starts (as "did not finish"), so an
// item that crashes the process every time is counted too; forgotten once the item is settled.
Result<int> InboxLoop::note_attempt(Store& store, const std::string& key) {
  return store.note_source_attempt(key, Error{Code::kInternal, "the attempt did not finish (the process stopped or crashed)"});
}

void InboxLoop::forget_attempts(Store& store, const std::string& key) {
  if (Status st = store.forget_source_attempts(key); !st) spdlog::warn("{}: {}", key, st.error().message);
}

Status InboxLoop::settle(Store& store, const InboxItem& item) {
  if (item.type != FileType::kRegular && item.type != FileType::kDirectory) {
    std::string what = item.type == FileType::kSymlink ? "symbolic link, not followed" : "not a regular file or folder, not read";
    spdlog::warn("inbox {}: {}: moved to .failed/", item.name, what);
    return watcher_.reject(item, std::string(code_name(Code::kUnsafeEntry)) + ": " + item.name + ": " + what +
                                     " (the entry itself is kept here; what it points to was never read)");
  }
  std::string key = "inbox:" + item.name;
  auto attempt = note_attempt(store, key);
  int n = attempt ? *attempt : 1;
  if (n > options_.max_attempts) {
    forget_attempts(store, key);
    spdlog::error("inbox {}: {} attempts did not finish; moved to .failed/", item.name, n - 1);
    return watcher_.reject(item, "moved aside after " + std::to_string(n - 1) +
                                     " attempts that did not finish (the process stopped or crashed while taking it)");
  }
  // Everything that reads the item or touches the store, at one boundary: an exception here is
  // a typed failure of this item (kInternal), never the worker's end.
  std::optional<Ingested> done;
  Status st = guarded("taking " + item.name, [&]() -> Status {
    auto packet = load_packet(item.path, pipeline_.options.extract.limits, env_);
    if (!packet) return packet.error();
    packet->source = "inbox:" + item.name;
    auto in = ingest(store, std::move(*packet), "inbox", "daemon", pipeline_);
    if (!in) return in.error();
    done = *in;
    return Status::Ok();
  });
  if (!st) return fail_item(store, item, n, st.error());
  forget_attempts(store, key);
  backoff_.clear(item.name);
  if (done->status == PacketStatus::kFailed) {
    // Committed and kept in the queue as `failed`; the item goes to .failed/ with why.
    auto rec = store.get(done->id);
    return watcher_.reject(item, "packet " + done->id + " failed: " + (rec ? rec->error : std::string("?")) +
                                     "\nIt is kept in the queue; after fixing the cause run: clee-intake retry " + done->id);
  }
  return watcher_.acknowledge(item);
}

Status InboxLoop::fail_item(Store& store, const InboxItem& item, int attempt, const Error& error) {
  if (is_transient(error.code) && attempt < options_.max_attempts) {
    double wait = backoff_.failed(item.name, env_->monotonic_seconds());
    spdlog::warn("inbox {}: {} (attempt {} of {}; left in the inbox, next try in {:.0f} s)", item.name, error.message, attempt,
                 options_.max_attempts, wait);
    return watcher_.release(item);
  }
  forget_attempts(store, "inbox:" + item.name);
  backoff_.clear(item.name);
  spdlog::error("inbox {}: {}: {}; moved to .failed/", item.name, code_name(error.code), error.message);
  return watcher_.reject(item, std::string(code_name(error.code)) + ": " + error.message);
}

void InboxLoop::release_unsettled() {
  auto back = watcher_.release_all();
  if (!back) spdlog::warn("inbox: releasing claimed items: {}", back.error().message);
  else if (*back > 0) spdlog::info("inbox: {} claimed item(s) not started are back in the inbox", *back);
}

}  // namespace clee::app
