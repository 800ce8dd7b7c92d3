// `serve`: the reviewer web pages over the data folder (loopback by default), until SIGTERM.
// `serve --hash-password` reads a password from stdin and prints the line to put in the
// config's [[web.accounts]] password_hash (or [web] shared_secret_hash).
#include <spdlog/spdlog.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/common.h"
#include "app/service.h"
#include "app/web/server.h"

namespace clee::app {
namespace {

std::string read_password() {
  bool tty = isatty(STDIN_FILENO);
  termios old{};
  if (tty) {
    std::cerr << "Password: " << std::flush;
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

void add_serve_command(CLI::App& app, Globals& g) {
  struct A {
    std::string listen;
    bool hash_password = false;
  };
  auto a = std::make_shared<A>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve the reviewer web pages (queue, packets, decisions, catalog)");
  cmd->add_option("--listen", a->listen, "HOST:PORT (default from [web] in the config, else 127.0.0.1:8080)");
  cmd->add_flag("--hash-password", a->hash_password, "read a password from stdin and print its hash line for the config");
  cmd->callback([a, &g] {
    if (a->hash_password) {
      std::string pw = read_password();
      if (pw.empty()) {
        std::cerr << "clee-intake: empty password\n";
        g.exit_code = 2;
        return;
      }
      std::cout << web::hash_password(pw) << "\n";
      return;
    }
    web::WebConfig web = g.config.web;
    if (!a->listen.empty())
      if (Status st = web::set_listen(web, a->listen); !st) {
        std::cerr << "clee-intake: " << st.error().message << "\n";
        g.exit_code = 2;
        return;
      }
    if (Status st = web::validate(web); !st) {
      std::cerr << "clee-intake: " << st.error().message << "\n";
      g.exit_code = 2;
      return;
    }
    auto rules = load_rule_pack(g.config);
    if (!rules) {
      std::cerr << "clee-intake: " << rules.error().message << "\n";
      g.exit_code = 2;
      return;
    }
    auto notices = Notices::make(g.config, *rules);
    if (!notices) {
      std::cerr << "clee-intake: " << notices.error().message << "\n";
      g.exit_code = 2;
      return;
    }
    install_stop_handlers();
    g.exit_code = web::run_web_server(web, g.config.data_dir, *rules, stop_requested(), store_options(g.config), &*notices);
  });
}

}  // namespace clee::app
