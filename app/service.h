// The long-running intake service behind `watch` and `daemon`, composed of small units: a worker
// pool (app/worker_pool.h, a store connection per worker), the inbox loop (app/inbox_loop.h,
// claims and settles inbox items), the mail loop (app/mail_loop.h, one pass per account at a
// time) and a sweep that hands the workers packets whose lease expired or whose backoff is due.
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
// Returns the number of messages committed.
int poll_mail_once(const Config& config);

// Set by SIGTERM/SIGINT once install_stop_handlers() ran.
std::atomic<bool>& stop_requested();
void install_stop_handlers();

}  // namespace clee::app
