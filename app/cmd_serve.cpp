// Placeholder until this command lands; replaced by its owner.
#include <CLI/CLI.hpp>

#include "app/commands.h"

namespace clee::app {
void add_serve_command(CLI::App& app, Globals& g) {
  (void)app;
  (void)g;
}
}  // namespace clee::app
