// Outgoing email as MIME, built with GMime: a text body (and, when asked, the same text as an
// HTML alternative), attachments, and the headers a provider's mail client and our own intake
// rely on — a stable Message-ID (the same message built again has the same id, so a resend is
// recognisable), In-Reply-To/References for threading, and X-CLEE-Packet. Every value is data:
// header values have control characters removed before GMime encodes them (RFC 2047), addresses
// are checked to be one plain mailbox each, and HTML bodies are escaped text — no value can add
// a header, a recipient or markup. Lines end in CRLF, ready for SMTP.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace clee::notify {

struct Mailbox {
  std::string name;     // display name, may be ""
  std::string address;  // local@domain
};

struct Attachment {
  std::string filename;   // as the recipient sees it
  std::string mime_type;  // "application/pdf"
  std::string bytes;
};

struct MailMessage {
  Mailbox from;
  std::vector<Mailbox> to;
  std::optional<Mailbox> reply_to;
  std::string subject;
  std::string message_id;   // without angle brackets: "approval.P-1a2b3c4d5e@office.example.gov"
  std::string in_reply_to;  // a Message-ID without brackets, "" for none; also set as References
  double date = 0;          // seconds since the epoch (UTC)
  std::string text;         // the plain-text body
  bool html = false;        // add an HTML alternative made from `text` (escaped)
  std::vector<Attachment> attachments;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. X-CLEE-Packet
};

// The RFC 5322 message, CRLF line endings. kUsage when an address is not a plain mailbox or the
// Message-ID is not of the form left@domain with safe characters.
Result<std::string> build_mime(const MailMessage& m);

// A plain mailbox from what a form or a header says ("Jane Doe <jane@example.org>", "jane@example.org",
// "mailto:jane@example.org"); the first one when several are given ("a@x; b@y"). nullopt when
// there is none, or it holds anything an SMTP envelope must not (spaces, control characters,
// quotes, brackets, a second @).
std::optional<Mailbox> parse_mailbox(const std::string& text);
bool valid_address(const std::string& address);
// The domain part of an address ("office.example.gov"), "" when it has none.
std::string domain_of(const std::string& address);

// A Message-ID (without brackets) from a key and the sender's domain: characters outside
// [A-Za-z0-9._-] in the key become '-'. The same inputs give the same id.
std::string make_message_id(const std::string& key, const std::string& domain);

// Text made safe for one header line: control characters (CR, LF, TAB, NUL...) become spaces,
// runs of spaces collapse, and at most `max` bytes are kept (cut on a UTF-8 boundary).
std::string header_text(const std::string& value, size_t max = 200);

}  // namespace clee::notify
