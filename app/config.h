// The configuration file (TOML), read by the daemon and by every command given --config.
// Example with every key: deploy/clee-intake.toml. Unknown keys are errors, reported with line.
#pragma once

#include <string>
#include <vector>

#include "extractors/limits.h"
#include "extractors/document.h"

namespace clee::app {

struct MailAccount {
  std::string name;        // account label used in source keys
  std::string maildir;     // a Maildir folder (new/, cur/, tmp/), or
  std::string url;         // imap://host:port/INBOX or imaps://...
  std::string user, password;
  bool insecure_tls = false;  // accept self-signed certificates (tests, internal servers)
};

struct Config {
  std::string data_dir = "./clee-data";
  std::string rules;               // "" = bundled rules/pa-mpoetc.toml
  Limits limits;
  bool isolate = false;            // extract each document in a child process with rlimits
  std::string inbox;               // "" = no watcher
  bool inbox_poll = false;         // polling instead of inotify (network shares)
  double stability_seconds = 2.0;  // size and mtime unchanged this long before pick-up
  double rescan_seconds = 30.0;    // periodic full rescan of the inbox
  bool delete_processed = false;   // delete instead of moving to .processed/
  std::vector<MailAccount> mail;
  double mail_interval_seconds = 300;
  int workers = 2;
  std::string web_listen;          // "" = no web server
};

Result<Config> load_config(const std::string& path);

}  // namespace clee::app
