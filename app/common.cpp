#include "app/common.h"

#include "base/env.h"
#include <iostream>
#include <map>

#include "validators/validators.h"

namespace clee::app {

std::string rules_path(const Config& c) {
  if (!c.rules.empty()) return c.rules;
  if (Env::Default()->exists("rules/pa-mpoetc.toml")) return "rules/pa-mpoetc.toml";
  return std::string(CLEE_SOURCE_DIR_DEFAULT) + "/rules/pa-mpoetc.toml";
}

Result<RulePack> load_rule_pack(const Config& c) { return load_rules(rules_path(c)); }

ExtractOptions extract_options(const Config& c) {
  ExtractOptions o;
  o.limits = c.limits;
  o.isolate = c.isolate;
  o.ocr = c.ocr;
  o.ocr_language = c.ocr_language;
  o.ocr_threads = c.ocr_threads;
  o.min_chars_per_page = c.min_chars_per_page;
  return o;
}

// Each source that names a pack gets it (a file named twice is read once).
Status load_source_packs(const Config& c, Pipeline& p) {
  std::map<std::string, std::shared_ptr<const RulePack>> by_path;
  auto pack = [&](const std::string& key, const std::string& path, const std::string& where) -> Status {
    if (path.empty()) return Status::Ok();
    auto& shared = by_path[path];
    if (!shared) {
      auto r = load_rules(path);
      if (!r) return Error{r.error().code, where + " rules: " + r.error().message};
      shared = std::make_shared<const RulePack>(std::move(*r));
    }
    p.source_rules[key] = shared;
    return Status::Ok();
  };
  if (Status st = pack("inbox", c.inbox.rules, "[inbox]"); !st) return st;
  for (const auto& m : c.mail)
    if (Status st = pack("mail:" + m.name, m.rules, "[[mail]] " + m.name); !st) return st;
  return Status::Ok();
}

Result<std::unique_ptr<Pipeline>> make_pipeline(const Config& c) {
  auto rules = load_rule_pack(c);
  if (!rules) return rules.error();
  auto p = std::make_unique<Pipeline>();
  p->rules = std::move(*rules);
  if (Status st = load_source_packs(c, *p); !st) return st.error();
  p->validators = make_validators();
  p->options.extract = extract_options(c);
  auto notices = Notices::make(c, p->rules);
  if (!notices) return notices.error();
  p->notices = std::make_shared<const Notices>(std::move(*notices));
  return p;
}

StoreOptions store_options(const Config& c) {
  StoreOptions o;
  o.url = c.store;
  o.lease_seconds = c.daemon.lease_seconds;
  o.retry_initial_seconds = c.daemon.retry_initial_seconds;
  o.retry_max_seconds = c.daemon.retry_max_seconds;
  o.max_attempts = c.daemon.max_attempts;
  return o;
}

Result<std::unique_ptr<Store>> open_store(const Config& c, bool read_only) {
  StoreOptions o = store_options(c);
  o.read_only = read_only;
  return Store::open(c.data_dir, Env::Default(), o);
}

void fail(Globals& g, const Error& e, int exit_code) {
  std::cerr << "clee-intake: " << e.message << "\n";
  g.exit_code = exit_code;
}

}  // namespace clee::app
