// `clee-intake check PACKET... --format json|md|html`: the report for each packet, touching no
// store. One JSON object per packet (an array when several). Exit 0 when every packet was
// processed whatever the verdict, 1 when a packet could not be read at all, 2 for usage errors.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <ctime>
#include <iostream>

#include "app/common.h"
#include "pipeline/report_json.h"
#include "pipeline/summary.h"
#include "pipeline/runner.h"
#include "base/env.h"

namespace clee::app {

void add_check_command(CLI::App& app, Globals& g) {
  struct Args {
    std::vector<std::string> packets;
    std::string format = "json";
    bool json = false;
    bool no_ocr = false;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("check", "Report on packets (folder, .zip, .eml or file) without storing them");
  cmd->add_option("packets", a->packets, "packets to check")->required();
  cmd->add_option("--format", a->format, "json|md|html")->check(CLI::IsMember({"json", "md", "html"}));
  cmd->add_flag("--json", a->json, "same as --format json");
  cmd->add_flag("--no-ocr", a->no_ocr, "do not OCR scans");
  cmd->callback([a, &g] {
    if (a->json) a->format = "json";
    auto pipeline = make_pipeline(g.config);
    if (!pipeline) return fail(g, pipeline.error(), 2);
    RunOptions& options = (*pipeline)->options;
    if (a->no_ocr) options.extract.ocr = false;
    nlohmann::json all = nlohmann::json::array();
    for (const auto& path : a->packets) {
      auto packet = load_packet(path, options.extract.limits);
      if (!packet) {
        spdlog::error("{}: {}", path, packet.error().message);
        g.exit_code = 1;
        continue;
      }
      packet->received_at = Env::Default()->now_utc();
      Report report = run_packet(*packet, (*pipeline)->rules, (*pipeline)->validators, options);
      if (a->format == "json") all.push_back(report_to_json(report));
      else if (a->format == "md") std::cout << render_markdown(report) << (a->packets.size() > 1 ? "\n---\n\n" : "");
      else std::cout << render_html(report);
    }
    if (a->format == "json") std::cout << (a->packets.size() == 1 && all.size() == 1 ? all[0] : all).dump(2) << "\n";
  });
}

}  // namespace clee::app
