// clee-intake: the command-line face. Parses global options, sets up logging, dispatches.
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "app/commands.h"
#include "app/config.h"

int main(int argc, char** argv) {
  // Tesseract's OpenMP reads OMP_THREAD_LIMIT once, when libgomp loads. Its default threading
  // turns ~0.5 s of OCR per page into several seconds on 2 cores (threads spin against our own
  // per-page parallelism). libgomp comes with the OCR module, loaded on the first OCR
  // (extractors/ocr_module.h), so setting the limit here, before any thread exists, is in time.
  // A limit the user set is kept.
  setenv("OMP_THREAD_LIMIT", "1", 0);
  CLI::App app{"clee-intake: CLEE course-approval packet intake and review"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "clee-intake 0.1.0");
  clee::app::Globals g;
  std::string log_level = "info";
  std::string log_file;
  app.add_option("--config", g.config_path, "configuration file (TOML)");
  app.add_option("--data", g.data_dir, "data folder (default: from config, else ./clee-data)");
  app.add_option("--rules", g.rules_path, "rule pack (default: rules/pa-mpoetc.toml)");
  app.add_option("--store", g.store_url,
                 "the shared queue, postgresql://user@host:port/db (default: from config, else SQLite in the data folder)");
  app.add_option("--log-level", log_level, "trace|debug|info|warn|error|off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  app.add_option("--log-file", log_file, "write logs to this file instead of stderr");
  app.parse_complete_callback([&] {
    // The configuration is read here, once, before any command runs; a broken file stops every
    // command (exit 2), including those that would only have read a default.
    auto config = clee::app::load_config(g.config_path);
    if (!config) {
      std::fprintf(stderr, "clee-intake: %s\n", config.error().message.c_str());
      throw CLI::RuntimeError(2);
    }
    g.config = std::move(*config);
    if (!g.data_dir.empty()) g.config.data_dir = g.data_dir;
    if (!g.rules_path.empty()) g.config.rules = g.rules_path;
    if (!g.store_url.empty()) {
      if (clee::Status st = clee::app::check_store_url(g.store_url); !st) {
        std::fprintf(stderr, "clee-intake: --store: %s\n", st.error().message.c_str());
        throw CLI::RuntimeError(2);
      }
      g.config.store = g.store_url;
    }
    std::shared_ptr<spdlog::logger> logger;
    if (!log_file.empty()) {
      logger = spdlog::basic_logger_mt("clee", log_file);
    } else {
      logger = spdlog::stderr_color_mt("clee");
    }
    logger->set_level(spdlog::level::from_str(log_level));
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(logger);
  });

  clee::app::add_extract_command(app, g);
  clee::app::add_check_command(app, g);
  clee::app::add_queue_commands(app, g);
  clee::app::add_intake_commands(app, g);
  clee::app::add_serve_command(app, g);
  clee::app::add_outbox_commands(app, g);

  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "clee-intake: %s\n", e.what());
    return 1;
  }
  return g.exit_code;
}
