#include "app/common.h"

#include <filesystem>

namespace clee::app {

std::string rules_path(const Globals& g) {
  if (!g.rules_path.empty()) return g.rules_path;
  if (std::filesystem::exists("rules/pa-mpoetc.toml")) return "rules/pa-mpoetc.toml";
  return std::string(CLEE_SOURCE_DIR_DEFAULT) + "/rules/pa-mpoetc.toml";
}

Result<RulePack> load_rule_pack(const Globals& g) { return load_rules(rules_path(g)); }

std::string data_dir(const Globals& g) { return g.data_dir.empty() ? "./clee-data" : g.data_dir; }

}  // namespace clee::app
