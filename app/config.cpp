#include "app/config.h"

#include <set>
#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

namespace clee::app {
namespace {

struct ConfigError {
  std::string message;
};

void check_keys(const std::string& path, const toml::table& t, const std::set<std::string>& allowed, const std::string& where) {
  for (const auto& [k, v] : t)
    if (!allowed.count(std::string(k.str())))
      throw ConfigError{path + ":" + std::to_string(v.source().begin.line) + ": unknown key '" + std::string(k.str()) +
                        "' in " + where};
}

}  // namespace

Result<Config> load_config(const std::string& path) {
  Config c;
  try {
    toml::table t = toml::parse_file(path);
    check_keys(path, t, {"data_dir", "rules", "limits", "inbox", "mail", "daemon", "web", "extract"}, "the top level");
    c.data_dir = t["data_dir"].value_or(c.data_dir);
    c.rules = t["rules"].value_or(std::string());
    if (auto* l = t["limits"].as_table()) {
      check_keys(path, *l, {"max_file_bytes", "max_pages", "max_image_pixels", "max_entry_bytes", "max_compression_ratio",
                            "max_total_inflated", "max_entries", "max_depth", "max_seconds", "max_memory_bytes"}, "[limits]");
      c.limits.max_file_bytes = (*l)["max_file_bytes"].value_or(c.limits.max_file_bytes);
      c.limits.max_pages = (*l)["max_pages"].value_or(c.limits.max_pages);
      c.limits.max_image_pixels = (*l)["max_image_pixels"].value_or(c.limits.max_image_pixels);
      c.limits.max_entry_bytes = (*l)["max_entry_bytes"].value_or(c.limits.max_entry_bytes);
      c.limits.max_compression_ratio = (*l)["max_compression_ratio"].value_or(c.limits.max_compression_ratio);
      c.limits.max_total_inflated = (*l)["max_total_inflated"].value_or(c.limits.max_total_inflated);
      c.limits.max_entries = (*l)["max_entries"].value_or(c.limits.max_entries);
      c.limits.max_depth = (*l)["max_depth"].value_or(c.limits.max_depth);
      c.limits.max_seconds = (*l)["max_seconds"].value_or(c.limits.max_seconds);
      c.limits.max_memory_bytes = (*l)["max_memory_bytes"].value_or(c.limits.max_memory_bytes);
    }
    if (auto* e = t["extract"].as_table()) {
      check_keys(path, *e, {"isolate"}, "[extract]");
      c.isolate = (*e)["isolate"].value_or(false);
    }
    if (auto* i = t["inbox"].as_table()) {
      check_keys(path, *i, {"path", "poll", "stability_seconds", "rescan_seconds", "delete_processed"}, "[inbox]");
      c.inbox = (*i)["path"].value_or(std::string());
      c.inbox_poll = (*i)["poll"].value_or(false);
      c.stability_seconds = (*i)["stability_seconds"].value_or(c.stability_seconds);
      c.rescan_seconds = (*i)["rescan_seconds"].value_or(c.rescan_seconds);
      c.delete_processed = (*i)["delete_processed"].value_or(false);
    }
    if (auto* d = t["daemon"].as_table()) {
      check_keys(path, *d, {"workers", "mail_interval_seconds"}, "[daemon]");
      c.workers = (*d)["workers"].value_or(c.workers);
      c.mail_interval_seconds = (*d)["mail_interval_seconds"].value_or(c.mail_interval_seconds);
    }
    if (auto* w = t["web"].as_table()) c.web_listen = (*w)["listen"].value_or(std::string());
    if (auto* accounts = t["mail"].as_array()) {
      for (auto& a : *accounts) {
        auto* at = a.as_table();
        if (!at) throw ConfigError{path + ":" + std::to_string(a.source().begin.line) + ": [[mail]] entries must be tables"};
        check_keys(path, *at, {"name", "maildir", "url", "user", "password", "insecure_tls"}, "[[mail]]");
        MailAccount m;
        m.name = (*at)["name"].value_or(std::string());
        m.maildir = (*at)["maildir"].value_or(std::string());
        m.url = (*at)["url"].value_or(std::string());
        m.user = (*at)["user"].value_or(std::string());
        m.password = (*at)["password"].value_or(std::string());
        m.insecure_tls = (*at)["insecure_tls"].value_or(false);
        if (m.name.empty() || (m.maildir.empty() == m.url.empty()))
          throw ConfigError{path + ":" + std::to_string(a.source().begin.line) +
                            ": a [[mail]] account needs a name and exactly one of maildir or url"};
        c.mail.push_back(std::move(m));
      }
    }
  } catch (const toml::parse_error& e) {
    return Error{Code::kInvalidConfig, path + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description())};
  } catch (const ConfigError& e) {
    return Error{Code::kInvalidConfig, e.message};
  }
  return c;
}

}  // namespace clee::app
