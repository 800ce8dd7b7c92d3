#include "app/common.h"

#include <ctime>
#include <filesystem>

#include "validators/validators.h"

namespace clee::app {

Result<Config> config(const Globals& g) {
  if (g.config_path.empty()) return Config{};
  return load_config(g.config_path);
}

std::string rules_path(const Globals& g) {
  if (!g.rules_path.empty()) return g.rules_path;
  if (!g.config_path.empty()) {
    auto c = load_config(g.config_path);
    if (c && !c->rules.empty()) return c->rules;
  }
  if (std::filesystem::exists("rules/pa-mpoetc.toml")) return "rules/pa-mpoetc.toml";
  return std::string(CLEE_SOURCE_DIR_DEFAULT) + "/rules/pa-mpoetc.toml";
}

Result<RulePack> load_rule_pack(const Globals& g) { return load_rules(rules_path(g)); }

std::string data_dir(const Globals& g) {
  if (!g.data_dir.empty()) return g.data_dir;
  auto c = config(g);
  return c ? c->data_dir : "./clee-data";
}

Result<std::unique_ptr<Pipeline>> make_pipeline(const Globals& g) {
  auto c = config(g);
  if (!c) return c.error();
  auto rules = load_rule_pack(g);
  if (!rules) return rules.error();
  auto p = std::make_unique<Pipeline>();
  p->rules = std::move(*rules);
  p->validators = make_validators();
  p->options.extract.limits = c->limits;
  p->options.extract.isolate = c->isolate;
  return p;
}

std::string now_iso8601() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

}  // namespace clee::app
