// run_web_server for the daemon: builds the web configuration from the daemon's config file and
// its data folder and rule pack, then serves until stop.
#include <spdlog/spdlog.h>

#include "app/common.h"
#include "app/web/server.h"

namespace clee::web {

int run_web_server(const app::Globals& g, const app::Config& config, const std::string& listen, std::atomic<bool>& stop) {
  auto web = load_web_config(g.config_path);
  if (!web) {
    spdlog::error("web: {}", web.error().message);
    return 2;
  }
  if (!listen.empty())
    if (Status st = set_listen(*web, listen); !st) {
      spdlog::error("web: {}", st.error().message);
      return 2;
    }
  auto rules = app::load_rule_pack(g);
  if (!rules) {
    spdlog::error("web: {}", rules.error().message);
    return 2;
  }
  return run_web_server(*web, g.data_dir.empty() ? config.data_dir : g.data_dir, *rules, stop);
}

}  // namespace clee::web
