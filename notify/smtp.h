// Sending one message to an SMTP server through libcurl, and what the server's answer means for
// the message. `smtp://host:port` must offer STARTTLS (it is required: the password and the
// provider's documents never cross the network in the clear); `smtps://host:port` is TLS from
// the first byte. AUTH (PLAIN, LOGIN...) when a user is set. Every exchange is bounded by a
// connect timeout and a total timeout, and the server's reply lines are kept — the last one is
// what a reviewer sees ("550 5.1.1 <x@y>: Recipient address rejected…"). One SmtpSender per
// thread; it keeps no connection between messages.
//
// Classification: a 5xx the server gave to our MAIL FROM, RCPT TO, DATA or to the message itself
// is permanent — sending the same message again cannot succeed, it is marked failed with the
// server's words. Everything else is transient and retried later: a 4xx, a server that is down,
// slow or drops the connection, and also a refused login, a TLS failure or a server that offers
// no STARTTLS, because those are the office's set-up, not the message, and must not fail every
// message queued behind them.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace clee::notify {

struct SmtpOptions {
  std::string url;       // smtp://host:port or smtps://host:port
  std::string user;      // "" = no AUTH
  std::string password;
  std::string ca_file;   // a CA bundle to trust instead of the system's ("" = system)
  double connect_timeout_seconds = 15;
  double timeout_seconds = 120;  // the whole exchange
};

// Checks the URL's scheme and form; Code::kInvalidConfig with the reason otherwise.
Status check_smtp_url(const std::string& url);

enum class SendOutcome { kSent, kRetry, kPermanent };
const char* outcome_name(SendOutcome o);  // "sent", "retry", "permanent"

struct SendResult {
  SendOutcome outcome = SendOutcome::kRetry;
  int code = 0;             // the server's last reply code (250, 451, 550...), 0 when none
  std::string reply;        // the server's last reply line(s), as it wrote them
  std::string error;        // what went wrong, for logs and the outbox row ("" when sent)
};

// Classifies a failed exchange. `command` is the last SMTP command we sent ("MAIL", "RCPT",
// "DATA", "AUTH", "EHLO", "STARTTLS", "" before any); `data_sent` is true once the message
// itself was transferred; `code` the last reply code; `curl_code` libcurl's result.
SendOutcome classify(int curl_code, const std::string& command, bool data_sent, int code);

class SmtpSender {
 public:
  explicit SmtpSender(SmtpOptions options) : options_(std::move(options)) {}
  // Sends `message` (RFC 5322, CRLF) from `envelope_from` to every address in `recipients`.
  SendResult send(const std::string& envelope_from, const std::vector<std::string>& recipients,
                  const std::string& message);

 private:
  SmtpOptions options_;
};

}  // namespace clee::notify
