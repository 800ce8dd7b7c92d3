// Mailboxes as intake sources: Maildir folders and IMAP/IMAPS accounts (libcurl). A message is
// offered with a stable source key (maildir:ACCOUNT:NAME, imap:ACCOUNT:FOLDER:UIDVALIDITY:UID);
// the mailbox is touched only when the caller acknowledges the message after its packet is
// committed: Maildir new/ → cur/ with the Seen flag; IMAP keyword $CleeIntake and \Seen. A message
// that failed is left as it was and offered again next time.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "extractors/document.h"

namespace clee {

struct MailMessage {
  std::string key;    // source key, unique per account and message
  std::string bytes;  // the raw RFC 5322 message
  std::string where;  // for logs: "maildir new/1700000000.M1.host"
};

class MailSource {
 public:
  virtual ~MailSource() = default;
  // Messages not yet acknowledged, at most `max` of them.
  virtual Result<std::vector<MailMessage>> fetch(size_t max) = 0;
  virtual Status acknowledge(const MailMessage& m) = 0;
};

std::unique_ptr<MailSource> make_maildir_source(const std::string& account, const std::string& maildir);

struct ImapAccount {
  std::string name, url, user, password;  // url: imap[s]://host[:port]/FOLDER
  bool insecure_tls = false;
  long timeout_seconds = 60;
  uint64_t max_message_bytes = 50ull << 20;
};
std::unique_ptr<MailSource> make_imap_source(const ImapAccount& account);

}  // namespace clee
