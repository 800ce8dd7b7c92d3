// The configuration file (TOML), read once by main() and handed to every command (Globals). An
// example with every key: deploy/clee-intake.toml. A file that cannot be read, an unknown key, a
// value of the wrong type or out of range stops every command with "FILE:LINE: message" and
// exit 2 — never a silent default.
#pragma once

#include <string>
#include <vector>

#include "app/web/web_config.h"
#include "base/status.h"
#include "extractors/limits.h"

namespace clee::app {

struct MailAccount {
  std::string name;        // account label used in source keys
  std::string maildir;     // a Maildir folder (new/, cur/, tmp/), or
  std::string url;         // imap://host:port/INBOX or imaps://...
  std::string user, password;
  bool insecure_tls = false;  // accept self-signed certificates (tests, internal servers)
  std::string rules;          // the rule pack its packets are judged by; "" = the top-level `rules`
};

struct InboxConfig {
  std::string path;                // "" = no watcher
  bool poll = false;               // polling instead of inotify (network shares)
  double stability_seconds = 2.0;  // size and mtime unchanged this long before pick-up
  double rescan_seconds = 30.0;    // periodic full rescan of the inbox
  bool delete_processed = false;   // delete instead of moving to .processed/
  std::string rules;               // the rule pack its packets are judged by; "" = the top-level `rules`
};

struct DaemonConfig {
  int workers = 2;
  double mail_interval_seconds = 300;
  // A source item (inbox entry, mail message) that fails this many times in a row is moved aside
  // (the inbox's .failed/, the Maildir's quarantine) with its reason, so the rest flows.
  int max_attempts = 5;
  double retry_initial_seconds = 10;  // backoff after a transient failure, doubling
  double retry_max_seconds = 3600;
  double lease_seconds = 120;         // a claimed packet's lease; renewed by a heartbeat
};

// [smtp]: where outgoing mail goes (notify/smtp.h). Without a url nothing is sent, but every
// message is still queued in the outbox, and goes once a url is configured.
struct SmtpConfig {
  std::string url;          // smtp://host:port (STARTTLS required) or smtps://host:port
  std::string user;         // "" = no AUTH
  std::string password;     // from `password`, or read from `password_file` when the config is read
  std::string password_file;
  std::string from;         // "CLEE Office <clee@office.example.gov>": From and the envelope sender
  std::string reply_to;     // optional Reply-To
  std::string bcc_archive;  // optional: every message is also sent (Bcc, envelope only) here
  std::string ca_file;      // optional CA bundle for a private server's certificate
  double connect_timeout_seconds = 15;
  double timeout_seconds = 120;
  double send_interval_seconds = 30;   // the daemon's sending schedule
  double retry_initial_seconds = 60;   // backoff after a failed attempt, doubling
  double retry_max_seconds = 3600;
  double give_up_hours = 120;          // a message still undelivered after this is failed
};

// [notify]: what the office's messages say and when they go.
struct NotifyConfig {
  std::string office_name;      // "" = the rule pack's jurisdiction
  std::string signature;        // closes every message ("" = "CLEE training staff\n" + office name)
  std::string templates;        // a folder whose NAME.txt replace the built-in templates ("" = none)
  bool receipts = true;         // a receipt when a packet has been checked ("complete" / "missing: …")
  bool html = false;            // add an HTML alternative to the text body
  int roster_rows = 30;
  // The static export folder, rewritten on every decision (app/catalog_export.h);
  // "" = DATA_DIR/published.
  std::string publish_dir;
};

struct Config {
  std::string path;                 // the file it came from; "" = built-in defaults
  std::string data_dir = "./clee-data";  // originals (and, without `store`, the SQLite queue)
  // The shared queue: "postgresql://user@host:port/db" (also postgres://); "" = the embedded
  // SQLite queue in data_dir. Every host that opens it mounts the same data_dir.
  std::string store;
  std::string rules;                // "" = bundled rules/pa-mpoetc.toml
  Limits limits;
  // [extract]
  bool isolate = false;             // extract each document in a child process with rlimits
  bool ocr = true;
  std::string ocr_language = "eng";
  int ocr_threads = 0;              // 0 = all cores
  int min_chars_per_page = 20;
  InboxConfig inbox;
  std::vector<MailAccount> mail;
  DaemonConfig daemon;
  web::WebConfig web;
  SmtpConfig smtp;
  NotifyConfig notify;
};

// Reads `path`; "" gives the defaults.
Result<Config> load_config(const std::string& path);
// Ok for "" and PostgreSQL URLs; otherwise a message saying what `store` takes.
Status check_store_url(const std::string& url);

}  // namespace clee::app
