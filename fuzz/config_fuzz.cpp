// The configuration file (app/config.cpp through base/toml_reader.cpp): any TOML text is a Config
// or Code::kInvalidConfig with "FILE:LINE: message". A Config that loads holds only values in
// their documented ranges.
#include <cstdint>
#include <string>

#include "app/config.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clee;
  fuzz::TempFile file(std::string_view(reinterpret_cast<const char*>(data), size), ".toml");
  auto c = app::load_config(file.path());
  if (!c) {
    fuzz::fuzz_check(c.error().code == Code::kInvalidConfig, "a bad config is invalid_config");
    fuzz::fuzz_check(c.error().message.rfind(file.path() + ":", 0) == 0, "the error starts with FILE:");
    return 0;
  }
  const Limits& l = c->limits;
  fuzz::fuzz_check(l.max_pages >= 1 && l.max_depth >= 1 && l.max_entries >= 1 && l.max_seconds > 0,
                   "limits in range");
  fuzz::fuzz_check(c->daemon.workers >= 1 && c->daemon.workers <= 256, "workers in range");
  fuzz::fuzz_check(c->daemon.retry_max_seconds >= c->daemon.retry_initial_seconds, "retry bounds ordered");
  fuzz::fuzz_check(!c->data_dir.empty() && !c->ocr_language.empty(), "data_dir and ocr_language set");
  for (size_t i = 0; i < c->mail.size(); ++i) {
    fuzz::fuzz_check(!c->mail[i].name.empty() && c->mail[i].maildir.empty() != c->mail[i].url.empty(),
                     "a mail account has a name and one source");
    for (size_t k = 0; k < i; ++k) fuzz::fuzz_check(c->mail[k].name != c->mail[i].name, "mail names unique");
  }
  fuzz::fuzz_check(c->web.port >= 0 && c->web.port <= 65535, "web port in range");
  return 0;
}
