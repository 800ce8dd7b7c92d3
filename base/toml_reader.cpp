#include "base/toml_reader.h"

#include <sys/stat.h>

#include <cmath>
#include <fstream>
#include <sstream>

namespace clee {
namespace {

template <typename T>
std::string range_text(T min, T max) {
  std::ostringstream s;
  s << min << " to " << max;
  return s.str();
}

const char* type_name(const toml::node& n) {
  if (n.is_string()) return "a string";
  if (n.is_integer()) return "an integer";
  if (n.is_floating_point()) return "a number";
  if (n.is_boolean()) return "true/false";
  if (n.is_table()) return "a table";
  if (n.is_array()) return "an array";
  return "a date/time";
}

std::string shown(const toml::node& n) {
  if (auto s = n.value<std::string>()) return "\"" + *s + "\"";
  std::ostringstream o;
  if (n.is_integer() || n.is_floating_point() || n.is_boolean()) {
    n.visit([&](auto&& v) { o << v; });
    return o.str();
  }
  return type_name(n);
}

}  // namespace

Result<std::string> read_toml_file(const std::string& path, Code code) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Error{code, path + ":0: cannot read: no such file"};
  if (S_ISDIR(st.st_mode)) return Error{code, path + ":0: is a folder, not a TOML file"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{code, path + ":0: cannot read the file"};
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<toml::table> parse_toml_text(const std::string& text, const std::string& name, Code code) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return Error{code, name + ":1: the file is empty"};
  try {
    return toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    return Error{code, name + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description())};
  }
}

Result<toml::table> parse_toml_file(const std::string& path, Code code) {
  auto text = read_toml_file(path, code);
  if (!text) return text.error();
  return parse_toml_text(*text, path, code);
}

TomlTable::TomlTable(std::string file, const toml::table& table, std::string where, Code code)
    : file_(std::move(file)), table_(table), where_(std::move(where)), code_(code) {}

std::string TomlTable::at(const toml::node& node) const {
  return file_ + ":" + std::to_string(node.source().begin.line) + ": ";
}

std::string TomlTable::at(const char* key) const {
  if (const toml::node* n = table_.get(key)) return at(*n);
  return at(static_cast<const toml::node&>(table_));
}

Error TomlTable::error(const char* key, const std::string& message) const { return Error{code_, at(key) + message}; }
Error TomlTable::error(const toml::node& node, const std::string& message) const {
  return Error{code_, at(node) + message};
}

Status TomlTable::check_keys(std::initializer_list<const char*> allowed) const {
  return check_keys(std::vector<std::string>(allowed.begin(), allowed.end()));
}

Status TomlTable::check_keys(const std::vector<std::string>& allowed) const {
  for (const auto& [k, v] : table_) {
    bool known = false;
    for (const auto& a : allowed) known = known || k.str() == a;
    if (!known) return Error{code_, at(v) + "unknown key '" + std::string(k.str()) + "' in " + where_};
  }
  return Status::Ok();
}

Status TomlTable::get(const char* key, std::string* out) const {
  const toml::node* n = table_.get(key);
  if (!n) return Status::Ok();
  auto v = n->value_exact<std::string>();
  if (!v) return error(key, where_ + " " + key + " must be a string, got " + type_name(*n));
  *out = *v;
  return Status::Ok();
}

Status TomlTable::get(const char* key, bool* out) const {
  const toml::node* n = table_.get(key);
  if (!n) return Status::Ok();
  auto v = n->value_exact<bool>();
  if (!v) return error(key, where_ + " " + key + " must be true or false, got " + shown(*n));
  *out = *v;
  return Status::Ok();
}

Status TomlTable::get(const char* key, int64_t* out, int64_t min, int64_t max) const {
  const toml::node* n = table_.get(key);
  if (!n) return Status::Ok();
  auto v = n->value_exact<int64_t>();
  if (!v || *v < min || *v > max)
    return error(key, where_ + " " + key + " must be an integer from " + range_text(min, max) + ", got " + shown(*n));
  *out = *v;
  return Status::Ok();
}

Status TomlTable::get(const char* key, int* out, int min, int max) const {
  int64_t v = *out;
  if (Status s = get(key, &v, min, max); !s) return s;
  *out = static_cast<int>(v);
  return Status::Ok();
}

Status TomlTable::get(const char* key, uint64_t* out, uint64_t min, uint64_t max) const {
  const toml::node* n = table_.get(key);
  if (!n) return Status::Ok();
  auto v = n->value_exact<int64_t>();
  if (!v || *v < 0 || static_cast<uint64_t>(*v) < min || static_cast<uint64_t>(*v) > max)
    return error(key, where_ + " " + key + " must be an integer from " + range_text(min, max) + ", got " + shown(*n));
  *out = static_cast<uint64_t>(*v);
  return Status::Ok();
}

Status TomlTable::get(const char* key, double* out, double min, double max) const {
  const toml::node* n = table_.get(key);
  if (!n) return Status::Ok();
  std::optional<double> v;
  if (n->is_floating_point()) v = n->value_exact<double>();
  else if (n->is_integer()) v = static_cast<double>(*n->value_exact<int64_t>());
  if (!v || !std::isfinite(*v) || *v < min || *v > max)
    return error(key, where_ + " " + key + " must be a number from " + range_text(min, max) + ", got " + shown(*n));
  *out = *v;
  return Status::Ok();
}

Status TomlTable::get(const char* key, std::vector<std::string>* out) const {
  const toml::node* n = table_.get(key);
  if (!n) return Status::Ok();
  const toml::array* arr = n->as_array();
  if (!arr) return error(key, where_ + " " + key + " must be an array of strings, got " + type_name(*n));
  std::vector<std::string> v;
  for (const auto& e : *arr) {
    auto s = e.value_exact<std::string>();
    if (!s) return error(e, where_ + " " + key + " must contain only strings, got " + type_name(e));
    v.push_back(*s);
  }
  *out = std::move(v);
  return Status::Ok();
}

Result<std::optional<TomlTable>> TomlTable::table(const char* key) const {
  const toml::node* n = table_.get(key);
  if (!n) return std::optional<TomlTable>();
  const toml::table* t = n->as_table();
  std::string name = where_ == "the top level" ? std::string("[") + key + "]"
                                               : where_.substr(0, where_.size() - 1) + "." + key + "]";
  if (!t) return error(key, name + " must be a table, got " + type_name(*n));
  return std::optional<TomlTable>(TomlTable(file_, *t, name, code_));
}

Result<std::vector<TomlTable>> TomlTable::tables(const char* key) const {
  std::vector<TomlTable> out;
  const toml::node* n = table_.get(key);
  if (!n) return out;
  const toml::array* arr = n->as_array();
  std::string name = where_ == "the top level" ? std::string("[[") + key + "]]"
                                               : "[[" + where_.substr(1, where_.size() - 2) + "." + key + "]]";
  if (!arr) return error(key, name + " must be an array of tables, got " + type_name(*n));
  int i = 0;
  for (const auto& e : *arr) {
    ++i;
    const toml::table* t = e.as_table();
    if (!t) return error(e, name + " entries must be tables");
    out.emplace_back(file_, *t, name + " #" + std::to_string(i), code_);
  }
  return out;
}

}  // namespace clee
