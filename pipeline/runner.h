// The stage runner: a Packet in, a Report out. Extracts every file (containers unpacked),
// understands the documents (types, page ranges of combined PDFs, fields, outline, CVs), then runs
// the validators it is given. It imports neither validators/ nor queue/: the app wires them in.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/env.h"
#include "extractors/limits.h"
#include "pipeline/model.h"
#include "pipeline/rules.h"

namespace clee {

// A validation step. Implementations live in validators/; tests may wire their own.
class Validator {
 public:
  virtual ~Validator() = default;
  virtual const char* name() const = 0;
  // Adds findings (and may set report.content / complete / missing) from the understood report.
  virtual void validate(const RulePack& rules, Report& report) const = 0;
};

// Reads a packet from a path: a folder (recursively, names sorted; litter skipped), a .zip, an
// .eml, or a single file, through the Env. Never follows a symbolic link: a link, FIFO, socket or
// device inside a folder is an entry that is reported (Code::kUnsafeEntry), never read or stored;
// a path that is itself one is refused. Folder depth and file count are bounded by limits.
Result<Packet> load_packet(const std::string& path, const Limits& limits, Env* env = Env::Default());

struct RunOptions {
  ExtractOptions extract;
};

// Runs extract → understand → validate. Never throws; failures become findings.
Report run_packet(const Packet& packet, const RulePack& rules,
                  const std::vector<std::unique_ptr<Validator>>& validators,
                  const RunOptions& options);

}  // namespace clee
