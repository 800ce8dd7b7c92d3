// The long-running intake service behind `watch` and `daemon`: an inbox watcher, a mail
// schedule and a pool of workers, each worker with its own store connection. Clean shutdown on
// SIGTERM/SIGINT: loops stop taking work, work in flight finishes; anything not acknowledged is
// still in its source and is redone at the next start (duplicates are recognised by sha256).
#pragma once

#include <atomic>
#include <string>

#include "app/commands.h"
#include "app/config.h"

namespace clee::app {

struct ServiceOptions {
  bool inbox = false;
  bool mail = false;
  bool once = false;  // take what is there (stable), then return
};

// Returns the process exit code.
int run_service(const Config& config, const ServiceOptions& options);

// One pass over every configured mailbox (the `mail` command and the daemon's schedule).
// Returns the number of messages committed. Each account is held for its pass, and skipped when
// another process works it (Store::hold_source); `held`: the accounts the caller already holds
// (the daemon), passed over in place of config.mail.
int poll_mail_once(const Config& config, const std::vector<MailAccount>* held = nullptr);
// The names sources are held by: "inbox:PATH", "mail:ACCOUNT".
std::string source_name(const InboxConfig& inbox);
std::string source_name(const MailAccount& account);

// Set by SIGTERM/SIGINT once install_stop_handlers() ran.
std::atomic<bool>& stop_requested();
void install_stop_handlers();

}  // namespace clee::app
