// The long-running intake service behind `watch` and `daemon`, composed of small units: a worker
// pool (app/worker_pool.h, a store connection per worker), the inbox loop (app/inbox_loop.h,
// claims and settles inbox items), the mail loop (app/mail_loop.h, one pass per account at a
// time) and a sweep whose workers claim due packets one by one (claim_next). Of several daemons
// for one office — on one host or several sharing a PostgreSQL store — one works each source at
// a time (app/source_holds.h); the others stand by and take it over when its holder dies.
// The config is the one main() read. Clean shutdown on SIGTERM/SIGINT: loops stop taking work,
// work in flight finishes, claimed items not started go back into the inbox; anything not
// acknowledged is still in its source and is redone at the next start (duplicates are recognised
// by content).
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
// another process (a daemon, here or on another host) works it (Store::hold_source).
int poll_mail_once(const Config& config);
// The names sources are held by: "inbox:PATH", "mail:ACCOUNT".
std::string source_name(const InboxConfig& inbox);
std::string source_name(const MailAccount& account);

// Set by SIGTERM/SIGINT once install_stop_handlers() ran.
std::atomic<bool>& stop_requested();
void install_stop_handlers();

}  // namespace clee::app
