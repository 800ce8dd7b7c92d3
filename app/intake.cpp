#include "app/intake.h"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

#include "app/corrections.h"
#include "extractors/util.h"
#include "app/decisions.h"

namespace clee::app {

namespace {

// Renews a lease from its own thread and store connection while a long check (OCR) runs, so the
// lease only expires when this process stops.
class Heartbeat {
 public:
  Heartbeat(Store& store, Lease lease) : lease_(std::move(lease)) {
    auto own = store.companion();  // its own connection, kept from packet to packet
    if (!own) {
      spdlog::warn("packet {}: no heartbeat ({}); the lease lasts {} s", lease_.packet_id, own.error().message,
                   store.options().lease_seconds);
      return;
    }
    thread_ = std::thread([this, s = *own] {
      std::unique_lock<std::mutex> lock(mu_);
      double every = std::max(1.0, s->options().lease_seconds / 3);
      while (!cv_.wait_for(lock, std::chrono::duration<double>(every), [this] { return done_; }))
        if (Status st = s->renew(lease_); !st) spdlog::warn("{}", st.error().message);
    });
  }
  ~Heartbeat() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  Lease lease_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

// The pack a packet is judged by. A packet judged before is judged again by the pack its report
// recorded (its sha256): a configured pack with those bytes, else the copy kept in the store when
// it was first judged — so a re-check reproduces the verdict even after the file changed. A new
// packet takes its source's pack.
const RulePack& rules_for_packet(Store& store, const PacketRecord& rec, const Pipeline& pipeline, const std::string& actor,
                                 std::unique_ptr<RulePack>& kept) {
  std::string sha;
  if (rec.report.is_object() && rec.report.contains("rules") && rec.report["rules"].is_object())
    sha = rec.report["rules"].value("sha256", "");
  if (sha.empty()) return pipeline.rules_for(rec.source);
  if (const RulePack* configured = pipeline.rules_with_sha(sha)) return *configured;
  if (auto text = store.read_object(sha, 16u << 20)) {
    auto pack = load_rules_text(*text, "store:" + sha);
    if (pack && pack->sha256 == sha) {
      kept = std::make_unique<RulePack>(std::move(*pack));
      kept->path = rec.report["rules"].value("path", kept->path);
      return *kept;
    }
  }
  const RulePack& now = pipeline.rules_for(rec.source);
  spdlog::warn("packet {}: the rule pack it was judged by (sha256 {}) is not in the store; judged by {}", rec.id, sha, now.path);
  (void)store.append_audit(rec.id, actor, "rules_changed",
                           "the rule pack it was judged by (sha256 " + sha.substr(0, 12) + ") is gone; judged by " + now.path +
                               " (sha256 " + now.sha256.substr(0, 12) + ")");
  return now;
}

}  // namespace

const RulePack& Pipeline::rules_for(const std::string& source) const {
  std::string key = source.rfind("inbox:", 0) == 0 ? "inbox" : source.substr(0, source.find(' '));
  auto it = source_rules.find(key);
  return it != source_rules.end() && it->second ? *it->second : rules;
}

const RulePack* Pipeline::rules_with_sha(const std::string& sha256) const {
  if (rules.sha256 == sha256) return &rules;
  for (const auto& [_, pack] : source_rules)
    if (pack && pack->sha256 == sha256) return pack.get();
  return nullptr;
}

namespace {

// Checks a claimed packet and saves (or releases) it under its lease.
Status check_claimed(Store& store, const Lease& claimed, const std::string& actor, const Pipeline& pipeline) {
  const std::string& id = claimed.packet_id;
  Result<Report> report = Error{Code::kInternal, "not checked"};
  {
    Heartbeat heartbeat(store, claimed);
    auto packet = store.load(id, pipeline.options.extract.limits.max_file_bytes);
    auto rec = store.get(id);
    if (!packet || !rec) {
      report = !packet ? packet.error() : rec.error();
    } else {
      std::unique_ptr<RulePack> kept;
      const RulePack& rules = rules_for_packet(store, *rec, pipeline, actor, kept);
      // The pack's bytes are kept with the originals (content-addressed): a re-check finds them.
      if (!rules.text.empty())
        if (auto st = store.put_object(rules.text); !st) spdlog::warn("packet {}: keeping its rule pack: {}", id, st.error().message);
      try {
        report = run_packet(*packet, rules, pipeline.validators, pipeline.options);
        if (auto audit = store.audit(id); report && audit) reapply_area_corrections(*report, *audit);
      } catch (const std::exception& e) {
        // Kept, with its error and a way to retry; never blocks other packets.
        report = Error{Code::kInternal, std::string("checking failed: ") + e.what()};
      }
    }
  }
  if (!report) {
    spdlog::error("packet {}: {}", id, report.error().message);
    return store.release_failed(claimed, report.error(), actor);
  }
  // The receipt ("complete" / "missing: …") is queued in the report's transaction.
  if (Status st = store.save_report(claimed, *report, actor, receipt_composer(store, pipeline.notices.get())); !st) {
    // Saving failed (a full disk, a busy database): the packet is released, never left held.
    spdlog::error("packet {}: saving the report failed: {}", id, st.error().message);
    if (Status released = store.release_failed(claimed, st.error(), actor); !released)
      spdlog::error("packet {}: {}", id, released.error().message);
    return st;
  }
  return Status::Ok();
}

}  // namespace

Status process(Store& store, const std::string& id, const std::string& actor, const Pipeline& pipeline) {
  // Claimed first: of two processes (daemon and CLI) that reach one packet, only one checks it.
  auto lease = store.claim(id, actor);
  if (!lease) return lease.error();
  return check_claimed(store, *lease, actor, pipeline);
}

Result<std::optional<std::string>> process_next(Store& store, const std::string& actor, const Pipeline& pipeline) {
  auto lease = store.claim_next(actor);
  if (!lease) return lease.error();
  if (!*lease) return std::optional<std::string>();
  if (Status st = check_claimed(store, **lease, actor, pipeline); !st)
    spdlog::error("packet {}: {}", (*lease)->packet_id, st.error().message);
  return std::optional<std::string>((*lease)->packet_id);
}

Result<Ingested> ingest(Store& store, Packet packet, const std::string& source_kind, const std::string& actor,
                        const Pipeline& pipeline, const std::string& source_key) {
  Stopwatch clock;
  // 1. Originals first, each whole and fsync'd into the content-addressed store: from memory, or
  // streamed from its path when it is over the extraction limit. A refused entry (a link...) is
  // never stored; the packet names it.
  for (auto& f : packet.files) {
    if (f.refused) continue;
    auto sha = f.path.empty() ? store.put_object(f.bytes) : store.put_object_file(f.path);
    if (!sha) return sha.error();
    f.sha256 = *sha;
  }
  if (packet.received_at.empty()) packet.received_at = store.now();
  // 2. The packet row and its first audit event, in one transaction.
  auto received = store.receive(packet, source_kind, actor, source_key);
  if (!received) return received.error();
  Ingested out{received->id, received->duplicate, PacketStatus::kReceived};
  if (received->duplicate) {
    spdlog::info("packet {}: duplicate_packet: {} is already queued", received->id, packet.source);
    auto rec = store.get(received->id);
    if (rec) out.status = rec->status;
    return out;
  }
  // 3. The caller may acknowledge its source from here on; checking can fail and be retried.
  Status st = process(store, received->id, actor, pipeline);
  if (!st && st.error().code == Code::kBusy) spdlog::info("packet {}: {}", received->id, st.error().message);
  else if (!st) spdlog::error("packet {}: {}", received->id, st.error().message);
  auto rec = store.get(received->id);
  if (rec) out.status = rec->status;
  spdlog::info("packet {}: ingested from {} as {} in {:.2f} s", received->id, packet.source, status_name(out.status), clock.seconds());
  return out;
}

int process_pending(Store& store, const std::string& actor, const Pipeline& pipeline) {
  auto pending = store.due();
  if (!pending) return 0;
  int n = 0;
  for (const auto& p : *pending) {
    Status st = process(store, p.id, actor, pipeline);
    if (!st && st.error().code == Code::kBusy) continue;  // another process has it
    if (!st) spdlog::error("packet {}: {}", p.id, st.error().message);
    ++n;
  }
  return n;
}

}  // namespace clee::app
