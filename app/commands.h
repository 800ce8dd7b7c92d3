// The CLI's commands. Each face registers its subcommands on the CLI11 app and sets
// `Globals::exit_code` from its callback. Exit status: 0 processed, 1 a packet/file could not be
// read at all, 2 usage error. stdout carries only the command's output; logs go to stderr.
#pragma once

#include <string>

#include "app/config.h"

namespace CLI {
class App;
}

namespace clee::app {

// What main() hands every command: the configuration, read once (--config FILE, else defaults)
// with the command line's --data, --rules and --store applied on top. A command never reads the file
// again; when the file could not be read, main() stopped with exit 2 before any command ran.
struct Globals {
  std::string config_path;  // --config FILE (TOML); "" = defaults
  std::string data_dir;     // --data DIR: overrides data_dir
  std::string rules_path;   // --rules FILE: overrides rules
  std::string store_url;    // --store URL: overrides store
  Config config;            // set by main() once parsing is complete
  int exit_code = 0;
};

void add_extract_command(CLI::App& app, Globals& g);   // app/cmd_extract.cpp
void add_check_command(CLI::App& app, Globals& g);     // app/cmd_check.cpp
void add_queue_commands(CLI::App& app, Globals& g);    // app/cmd_queue.cpp: ingest, queue, show,
                                                       // approve, reject, request-info, retry,
                                                       // catalog, roster, migrate
void add_intake_commands(CLI::App& app, Globals& g);   // app/cmd_intake.cpp: watch, mail, daemon
void add_serve_command(CLI::App& app, Globals& g);     // app/cmd_serve.cpp
void add_outbox_commands(CLI::App& app, Globals& g);   // app/cmd_outbox.cpp: outbox list|send|retry

}  // namespace clee::app
