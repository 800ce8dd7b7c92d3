// Helpers shared by the CLI's commands: the rule pack, the pipeline wiring, the extraction
// options, all from the one configuration main() read.
#pragma once

#include <memory>
#include <string>

#include "app/commands.h"
#include "app/config.h"
#include "app/intake.h"
#include "pipeline/rules.h"
#include "queue/store.h"

namespace clee::app {

// The configured rule pack, else ./rules/pa-mpoetc.toml, else the one in the source tree the
// binary was built from.
std::string rules_path(const Config& c);
Result<RulePack> load_rule_pack(const Config& c);
// The extraction options the configuration asks for ([limits], [extract]).
ExtractOptions extract_options(const Config& c);
// Rules, validators and extraction options wired together for the stage runner. Read-only once
// made: one Pipeline serves every worker thread.
Result<std::unique_ptr<Pipeline>> make_pipeline(const Config& c);
// Where the queue is (`store`, else SQLite in data_dir) and its lease and retry settings from
// [daemon].
StoreOptions store_options(const Config& c);
// Opens the configured queue (originals in data_dir). `read_only` for commands that only read:
// they work on a read-only or full data folder, or a read-only database role, and create nothing.
Result<std::unique_ptr<Store>> open_store(const Config& c, bool read_only = false);
// Prints "clee-intake: MESSAGE" to stderr and sets the exit code.
void fail(Globals& g, const Error& e, int exit_code = 1);

}  // namespace clee::app
