// run_web_server for the daemon: the configuration's [web] table, data folder and rule pack;
// serves until stop.
#include <spdlog/spdlog.h>

#include "app/common.h"
#include "app/web/server.h"

namespace clee::web {

int run_web_server(const app::Config& config, std::atomic<bool>& stop) {
  auto rules = app::load_rule_pack(config);
  if (!rules) {
    spdlog::error("web: {}", rules.error().message);
    return 2;
  }
  auto notices = app::Notices::make(config, *rules);
  if (!notices) {
    spdlog::error("web: {}", notices.error().message);
    return 2;
  }
  return run_web_server(config.web, config.data_dir, *rules, stop, app::store_options(config), &*notices);
}

}  // namespace clee::web
