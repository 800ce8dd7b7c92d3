// Helpers shared by the CLI's commands: finding the rule pack, reading the configured limits.
#pragma once

#include <string>

#include "app/commands.h"
#include "pipeline/rules.h"

namespace clee::app {

// --rules, else ./rules/pa-mpoetc.toml, else the one in the source tree the binary was built from.
std::string rules_path(const Globals& g);
Result<RulePack> load_rule_pack(const Globals& g);
std::string data_dir(const Globals& g);

}  // namespace clee::app
