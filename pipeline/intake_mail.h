// Mailboxes as intake sources: Maildir folders and IMAP/IMAPS accounts (libcurl). A message is
// offered with a stable source key (maildir:ACCOUNT:NAME, imap:ACCOUNT:FOLDER:UIDVALIDITY:UID);
// the mailbox is touched only when the caller acknowledges the message after its packet is
// committed: Maildir new/ → cur/ with the Seen flag; IMAP keyword $CleeIntake and \Seen. A message
// that failed is left as it was and offered again next time — unless the caller quarantines it
// (it kept failing, or it can never be read): Maildir moves it, untouched, into the Maildir++
// folder `.Quarantine` (a folder mail clients show) with `.Quarantine/NAME.reason.txt` beside it;
// IMAP marks it with the keyword $CleeQuarantine and offers it no more.
//
// Maildir is read through the Env and never follows a link: a symbolic link, folder, FIFO, socket
// or device in new/ is offered with `problem` set (Code::kUnsafeEntry) and no bytes, so the
// caller quarantines it — the link itself, never its target.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/status.h"

namespace clee {

struct MailMessage {
  std::string key;    // source key, unique per account and message
  std::string bytes;  // the raw RFC 5322 message (empty when `problem` is set)
  std::string where;  // for logs: "maildir new/1700000000.M1.host"
  std::string name;   // Maildir: the file's name in new/; IMAP: the UID
  std::optional<Error> problem;  // could not be read (a link, a special file, too large, I/O)
};

class MailSource {
 public:
  virtual ~MailSource() = default;
  // Messages not yet acknowledged, at most `max` of them.
  virtual Result<std::vector<MailMessage>> fetch(size_t max) = 0;
  virtual Status acknowledge(const MailMessage& m) = 0;
  // Sets the message aside with its reason so later passes skip it; it is kept whole, unread.
  virtual Status quarantine(const MailMessage& m, const std::string& reason) = 0;
};

// `max_message_bytes`: a larger message is offered with problem kLimitExceeded (never cut).
std::unique_ptr<MailSource> make_maildir_source(const std::string& account, const std::string& maildir,
                                                uint64_t max_message_bytes = 50ull << 20, Env* env = Env::Default());

struct ImapAccount {
  std::string name, url, user, password;  // url: imap[s]://host[:port]/FOLDER
  bool insecure_tls = false;
  long timeout_seconds = 60;
  uint64_t max_message_bytes = 50ull << 20;
};
std::unique_ptr<MailSource> make_imap_source(const ImapAccount& account);

}  // namespace clee
