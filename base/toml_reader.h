// Typed reading of TOML files (toml++), one mechanism for the configuration and the rule packs:
// a file that is missing, a folder, empty or malformed is an error; every value is checked for
// type and range; an unknown key is an error. Every error reads "FILE:LINE: message" and carries
// the code the caller chose (Code::kInvalidConfig, Code::kInvalidRules).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#ifndef TOML_EXCEPTIONS
#define TOML_EXCEPTIONS 1
#endif
#include <toml++/toml.h>

#include "base/status.h"

namespace clee {

// Parses a whole file. Refuses a folder, a missing or unreadable file and an empty one (an empty
// rule pack would silently make every verdict "uncertain").
Result<toml::table> parse_toml_file(const std::string& path, Code code);
// Parses text already read (a rule pack hashed before parsing, or one kept in the store), shown as
// `name` in errors. An empty text is refused like an empty file.
Result<toml::table> parse_toml_text(const std::string& text, const std::string& name, Code code);
// Reads a whole regular file (the checks of parse_toml_file) without parsing it.
Result<std::string> read_toml_file(const std::string& path, Code code);

// One table of a parsed file, with the name it is shown under ("the top level", "[limits]",
// "[[mail]] 2"). Readers leave `*out` alone when the key is absent.
class TomlTable {
 public:
  TomlTable(std::string file, const toml::table& table, std::string where, Code code);

  // Error unless every key is in `allowed`.
  Status check_keys(std::initializer_list<const char*> allowed) const;
  Status check_keys(const std::vector<std::string>& allowed) const;

  Status get(const char* key, std::string* out) const;
  Status get(const char* key, bool* out) const;
  Status get(const char* key, int* out, int min, int max) const;
  Status get(const char* key, int64_t* out, int64_t min, int64_t max) const;
  Status get(const char* key, uint64_t* out, uint64_t min, uint64_t max) const;
  Status get(const char* key, double* out, double min, double max) const;
  Status get(const char* key, std::vector<std::string>* out) const;

  bool has(const char* key) const { return table_.contains(key); }
  // A sub-table; nullopt when absent, an error when the key holds something else.
  Result<std::optional<TomlTable>> table(const char* key) const;
  // An array of tables ([[mail]]); empty when absent, an error when the key holds something else.
  Result<std::vector<TomlTable>> tables(const char* key) const;

  const toml::table& raw() const { return table_; }
  const std::string& file() const { return file_; }
  const std::string& where() const { return where_; }
  // "FILE:LINE: " for a key of this table (the table's own line when the key is absent).
  std::string at(const char* key) const;
  std::string at(const toml::node& node) const;
  Error error(const char* key, const std::string& message) const;
  Error error(const toml::node& node, const std::string& message) const;

 private:
  std::string file_;
  const toml::table& table_;
  std::string where_;
  Code code_;
};

}  // namespace clee
