#include "app/mail_loop.h"

#include <spdlog/spdlog.h>

#include <regex>

#include "extractors/extract.h"

namespace clee::app {

namespace {

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

Status join_reply(Store& store, const Pipeline& pipeline, const std::string& account, const MailMessage& msg,
                  const std::string& label, const std::string& target) {
  std::string actor = "mail:" + account;
  auto sha = store.put_object(msg.bytes);
  if (!sha) return sha.error();
  if (Status st = store.add_files(target, {SourceFile::in_memory(label, msg.bytes)}, actor); !st) return st;
  if (Status st = store.remember_source(msg.key, target); !st) return st;
  spdlog::info("mail {}: {}: reply joins packet {}", account, msg.where, target);
  // Committed from here on; checking may fail and is retried as any packet is.
  if (Status st = process(store, target, actor, pipeline); !st) spdlog::error("packet {}: {}", target, st.error().message);
  return Status::Ok();
}

// An attempt is noted before the work, as "did not finish": a crash in the middle is counted.
Result<int> note_attempt(Store& store, const std::string& key) {
  return store.note_source_attempt(key, Error{Code::kInternal, "the attempt did not finish (the process stopped or crashed)"});
}

void forget_attempts(Store& store, const std::string& key) {
  if (Status st = store.forget_source_attempts(key); !st) spdlog::warn("{}: {}", key, st.error().message);
}

}  // namespace

Status commit_message(Store& store, const Pipeline& pipeline, const std::string& account, const MailMessage& msg) {
  // Only this message's own source key (its UID or Maildir name) says "already committed".
  // A Message-ID is no key: clients resend different content under one id.
  if (auto done = store.packet_for_source(msg.key)) {
    spdlog::info("mail {}: {} already committed as {}; acknowledging", account, msg.where, *done);
    return Status::Ok();
  }
  auto info = read_email_info(msg.bytes);
  std::string subject = info ? info->subject : "";
  std::string label = (subject.empty() ? std::string("message") : subject.substr(0, 80)) + ".eml";
  if (info)
    if (auto target = reply_target(store, *info)) return join_reply(store, pipeline, account, msg, label, *target);
  std::string actor = "mail:" + account;
  Packet p;
  p.source = actor + " " + (info && !info->message_id.empty() ? "<" + info->message_id + ">" : msg.where);
  p.files.push_back(SourceFile::in_memory(label, msg.bytes));
  auto in = ingest(store, std::move(p), "mail", actor, pipeline, msg.key);
  if (!in) return in.error();
  // Kept for threading and display only; never consulted to recognise a duplicate.
  if (!in->duplicate && info && !info->message_id.empty()) (void)store.set_message_id(in->id, info->message_id);
  return Status::Ok();
}

MailPassResult mail_pass(Store& store, const Pipeline& pipeline, const std::string& account, MailSource& source,
                         const MailPassOptions& options, const std::atomic<bool>& stop) {
  MailPassResult r;
  auto msgs = source.fetch(options.max_messages);
  if (!msgs) {
    r.status = msgs.error();
    return r;
  }
  for (const auto& m : *msgs) {
    if (stop.load()) break;
    auto set_aside = [&](const std::string& reason) {
      spdlog::error("mail {}: {}: {}; quarantined", account, m.where, reason);
      if (Status q = source.quarantine(m, reason); !q) {
        spdlog::error("mail {}: {}: cannot quarantine it: {}", account, m.where, q.error().message);
        ++r.left;
        return;
      }
      forget_attempts(store, m.key);
      ++r.quarantined;
    };
    if (m.problem && !is_transient(m.problem->code)) {
      set_aside(std::string(code_name(m.problem->code)) + ": " + m.problem->message);
      continue;
    }
    // Counted before the work, durably: a message that crashes the process every time is counted.
    auto attempt = note_attempt(store, m.key);
    int n = attempt ? *attempt : 1;
    if (n > options.max_attempts) {
      set_aside("moved aside after " + std::to_string(n - 1) + " attempts that did not succeed");
      continue;
    }
    Status st = m.problem ? Status(*m.problem)
                          : guarded("taking " + m.where, [&] { return commit_message(store, pipeline, account, m); });
    if (!st) {
      if (st.code() == Code::kInternal || n >= options.max_attempts) {
        set_aside(std::string(code_name(st.code())) + ": " + st.error().message);
      } else {
        spdlog::warn("mail {}: {}: {} (attempt {} of {}; left in the mailbox for the next pass)", account, m.where,
                     st.error().message, n, options.max_attempts);
        ++r.left;
      }
      continue;
    }
    forget_attempts(store, m.key);
    if (Status ack = source.acknowledge(m); !ack) spdlog::warn("mail {}: {}: {}", account, m.where, ack.error().message);
    ++r.committed;
  }
  return r;
}

std::unique_ptr<MailSource> source_for(const MailAccount& a, Env* env) {
  if (!a.maildir.empty()) return make_maildir_source(a.name, a.maildir, ImapAccount{}.max_message_bytes, env);
  return make_imap_source({a.name, a.url, a.user, a.password, a.insecure_tls});
}

MailLoop::MailLoop(std::vector<MailAccount> accounts, WorkerPool& pool, const Pipeline& pipeline, double interval_seconds,
                   MailPassOptions options, const std::atomic<bool>& stop, Env* env, SourceFactory sources)
    : accounts_(std::move(accounts)),
      pool_(pool),
      pipeline_(pipeline),
      interval_(interval_seconds),
      options_(options),
      stop_(stop),
      env_(env),
      sources_(sources ? std::move(sources) : [env](const MailAccount& a) { return source_for(a, env); }) {}

void MailLoop::tick() {
  double now = env_->monotonic_seconds();
  for (const auto& a : accounts_) {
    auto due = next_.find(a.name);
    if (due != next_.end() && now < due->second) continue;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (running_[a.name]) continue;  // the previous pass is still under way: never two at once
      running_[a.name] = true;
    }
    next_[a.name] = now + interval_;
    ++started_;
    const MailAccount* account = &a;
    if (!pool_.submit([this, account](Store& store) { pass(store, *account); })) {
      std::lock_guard<std::mutex> lock(mu_);
      running_[a.name] = false;
    }
  }
}

size_t MailLoop::running() {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& [name, on] : running_) n += on;
  return n;
}

void MailLoop::pass(Store& store, const MailAccount& account) {
  Status st = guarded("mail " + account.name, [&] {
    auto source = sources_(account);
    MailPassResult r = mail_pass(store, pipeline_, account.name, *source, options_, stop_);
    if (!r.status) return r.status;
    if (r.committed || r.quarantined || r.left)
      spdlog::info("mail {}: pass: {} committed, {} quarantined, {} left for the next pass", account.name, r.committed,
                   r.quarantined, r.left);
    return Status::Ok();
  });
  if (!st) spdlog::error("mail {}: {}", account.name, st.error().message);
  std::lock_guard<std::mutex> lock(mu_);
  running_[account.name] = false;
}

}  // namespace clee::app
