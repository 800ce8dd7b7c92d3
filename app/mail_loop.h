// The mail side of intake: one pass over a mailbox (the `mail` command, and the daemon's schedule)
// and the schedule itself. A pass commits each message — a reply to an information request joins
// its packet, anything else is a new packet — and acknowledges it only once its content is
// committed. Duplicates are recognised by content alone (the packet key, sha256 of the bytes): a
// different message that reuses a Message-ID is a new packet, an identical one is
// duplicate_packet. A message that cannot be read (a link, a special file, over the size limit),
// whose work threw, or that failed max_attempts times (counted durably) is quarantined with its
// reason so the rest flows; any other failure leaves it untouched for the next pass.
//
// MailLoop runs at most one pass per account at a time: a pass is due every interval, but a new
// one starts only after the previous one for that account has ended.
//
// Thread-safety: mail_pass runs on one thread with its own Store; MailLoop::tick on one thread
// (the service's loop), its passes on the pool's workers.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "app/config.h"
#include "app/intake.h"
#include "app/worker_pool.h"
#include "pipeline/intake_mail.h"

namespace clee::app {

struct MailPassOptions {
  int max_attempts = 5;       // then the message is quarantined
  size_t max_messages = 500;  // per pass
};

struct MailPassResult {
  int committed = 0, quarantined = 0, left = 0;  // left: failed this time, kept for the next pass
  Status status;                                 // the mailbox itself could not be read
};

// Commits one message. Ok once its content is committed (or was already): the caller may then
// acknowledge it in the mailbox.
Status commit_message(Store& store, const Pipeline& pipeline, const std::string& account, const MailMessage& msg);

MailPassResult mail_pass(Store& store, const Pipeline& pipeline, const std::string& account, MailSource& source,
                         const MailPassOptions& options, const std::atomic<bool>& stop);

// The configured account's source (Maildir or IMAP).
std::unique_ptr<MailSource> source_for(const MailAccount& account, Env* env = Env::Default());

class MailLoop {
 public:
  using SourceFactory = std::function<std::unique_ptr<MailSource>(const MailAccount&)>;

  MailLoop(std::vector<MailAccount> accounts, WorkerPool& pool, const Pipeline& pipeline, double interval_seconds,
           MailPassOptions options, const std::atomic<bool>& stop, Env* env = Env::Default(),
           SourceFactory sources = nullptr);

  // Submits a pass for each account whose interval has come and whose previous pass has ended.
  void tick();
  // Passes submitted and not yet ended.
  size_t running();
  int passes_started() const { return started_.load(); }

 private:
  void pass(Store& store, const MailAccount& account);

  std::vector<MailAccount> accounts_;
  WorkerPool& pool_;
  const Pipeline& pipeline_;
  double interval_;
  MailPassOptions options_;
  const std::atomic<bool>& stop_;
  Env* env_;
  SourceFactory sources_;
  std::mutex mu_;
  std::map<std::string, bool> running_;  // account → a pass is under way; guarded by mu_
  std::map<std::string, double> next_;   // account → when the next pass is due (tick thread)
  std::atomic<int> started_{0};
};

}  // namespace clee::app
