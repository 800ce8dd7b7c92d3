// Intake faces: `watch INBOX` (a folder staff drop packets into), `mail` (one pass over the
// configured Maildir and IMAP accounts — for a systemd timer or cron), and `daemon --config FILE`
// (watcher + mail schedule + workers until SIGTERM).
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/common.h"
#include "app/service.h"
#include "app/web/server.h"

#include <thread>

namespace clee::app {

void add_intake_commands(CLI::App& app, Globals& g) {
  struct A {
    std::string inbox;
    bool poll = false, once = false;
    double stability = -1;
    int workers = 0;
    std::string maildir, imap_url, user, password, account = "mail";
  };
  auto a = std::make_shared<A>();
  CLI::App* watch = app.add_subcommand("watch", "Take packets dropped into an inbox folder (until SIGTERM)");
  watch->add_option("inbox", a->inbox, "the inbox folder")->required();
  watch->add_flag("--poll", a->poll, "poll instead of inotify (network shares)");
  watch->add_flag("--once", a->once, "take the stable items there now, then exit");
  watch->add_option("--stability", a->stability, "seconds an item must stay unchanged (default 2)");
  watch->add_option("--workers", a->workers, "parallel packets (default from config, 2)");
  watch->callback([a, &g] {
    Config c = g.config;
    c.inbox.path = a->inbox;
    c.inbox.poll = c.inbox.poll || a->poll;
    if (a->stability >= 0) c.inbox.stability_seconds = a->stability;
    if (a->workers > 0) c.daemon.workers = a->workers;
    spdlog::info("watching {} ({}; stable after {} s)", c.inbox.path, c.inbox.poll ? "polling" : "inotify",
                 c.inbox.stability_seconds);
    g.exit_code = run_service(c, ServiceOptions{true, false, a->once});
  });

  CLI::App* mail = app.add_subcommand("mail", "Take packets from the configured mailboxes (one pass)");
  mail->add_option("--maildir", a->maildir, "a Maildir folder (instead of the config's accounts)");
  mail->add_option("--imap", a->imap_url, "imap[s]://host:port/FOLDER (instead of the config's accounts)");
  mail->add_option("--user", a->user, "IMAP user");
  mail->add_option("--password-env", a->password, "name of the environment variable holding the IMAP password");
  mail->add_option("--account", a->account, "account label for --maildir/--imap");
  mail->callback([a, &g] {
    Config c = g.config;
    if (!a->maildir.empty()) c.mail = {MailAccount{a->account, a->maildir, "", "", "", false, ""}};
    if (!a->imap_url.empty()) {
      const char* pw = a->password.empty() ? nullptr : std::getenv(a->password.c_str());
      c.mail = {MailAccount{a->account, "", a->imap_url, a->user, pw ? pw : "", false, ""}};
    }
    if (c.mail.empty()) {
      std::cerr << "clee-intake: no mail accounts: give --maildir, --imap or a config with [[mail]]\n";
      g.exit_code = 2;
      return;
    }
    install_stop_handlers();
    int n = poll_mail_once(c);
    if (n < 0) g.exit_code = 1;
    else std::cout << n << " message(s) committed\n";
  });

  auto once = std::make_shared<bool>(false);
  CLI::App* daemon = app.add_subcommand("daemon", "Run the intake service: inbox watcher, mail schedule, workers");
  daemon->add_flag("--once", *once, "one round, then exit");
  daemon->callback([once, &g] {
    if (g.config_path.empty()) {
      std::cerr << "clee-intake: daemon needs --config FILE (see deploy/clee-intake.toml)\n";
      g.exit_code = 2;
      return;
    }
    const Config& c = g.config;
    // The reviewer pages run beside the intake loops and stop with them (SIGTERM).
    std::thread web;
    if (c.web.listen_set && !*once) {
      install_stop_handlers();
      web = std::thread([&c] {
        if (web::run_web_server(c, stop_requested()) != 0) spdlog::error("web pages did not start");
      });
    }
    g.exit_code = run_service(c, ServiceOptions{!c.inbox.path.empty(), !c.mail.empty(), *once});
    stop_requested().store(true);
    if (web.joinable()) web.join();
  });
}

}  // namespace clee::app
