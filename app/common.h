// Helpers shared by the CLI's commands: finding the rule pack, reading the configured limits.
#pragma once

#include <string>

#include <memory>

#include "app/commands.h"
#include "app/config.h"
#include "app/intake.h"
#include "pipeline/rules.h"

namespace clee::app {

// --rules, else ./rules/pa-mpoetc.toml, else the one in the source tree the binary was built from.
std::string rules_path(const Globals& g);
Result<RulePack> load_rule_pack(const Globals& g);
std::string data_dir(const Globals& g);
// The configuration: --config FILE, or defaults. Usage errors (bad file) are Errors.
Result<Config> config(const Globals& g);
// Rules, validators and extraction options wired together for the stage runner.
Result<std::unique_ptr<Pipeline>> make_pipeline(const Globals& g);
std::string now_iso8601();

}  // namespace clee::app
