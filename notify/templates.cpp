#include "notify/templates.h"

#include <algorithm>

namespace clee::notify {

// Generated from notify/templates/*.txt (notify/embed_templates.cmake).
extern const std::map<std::string, std::string>& embedded_templates();

namespace {

constexpr uint64_t kMaxTemplateBytes = 64 * 1024;

bool known(const std::string& name) {
  const auto& all = placeholder_names();
  return std::find(all.begin(), all.end(), name) != all.end();
}

// Checks every {{name}} in `text`, which starts on line `first_line` of `source`.
Status check_placeholders(const std::string& text, const std::string& source, int first_line) {
  int line = first_line;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') ++line;
    if (text.compare(i, 2, "{{") != 0) continue;
    size_t end = text.find("}}", i + 2);
    std::string name = end == std::string::npos ? "" : text.substr(i + 2, end - i - 2);
    if (end == std::string::npos || name.find('\n') != std::string::npos)
      return Error{Code::kInvalidConfig, source + ":" + std::to_string(line) + ": '{{' without a closing '}}'"};
    if (!known(name))
      return Error{Code::kInvalidConfig,
                   source + ":" + std::to_string(line) + ": unknown placeholder {{" + name + "}}"};
    i = end + 1;
  }
  return Status::Ok();
}

// Replaces the placeholders of one line; `all_empty` tells whether it had some and all were "".
std::string fill_line(const std::string& line, const std::map<std::string, std::string>& values, bool* only_empty) {
  std::string out;
  bool any = false, nonempty = false, other_text = false;
  size_t i = 0;
  while (i < line.size()) {
    size_t open = line.find("{{", i);
    if (open == std::string::npos) {
      out += line.substr(i);
      other_text = other_text || line.find_first_not_of(" \t\r", i) != std::string::npos;
      break;
    }
    std::string before = line.substr(i, open - i);
    other_text = other_text || before.find_first_not_of(" \t\r") != std::string::npos;
    out += before;
    size_t close = line.find("}}", open + 2);
    std::string name = line.substr(open + 2, close - open - 2);
    auto it = values.find(name);
    std::string v = it == values.end() ? "" : it->second;
    any = true;
    nonempty = nonempty || !v.empty();
    out += v;  // inserted as data: never scanned for placeholders again
    i = close + 2;
  }
  *only_empty = any && !nonempty && !other_text;
  return out;
}

}  // namespace

const std::vector<std::string>& template_names() {
  static const std::vector<std::string> kNames = {"receipt_complete", "receipt_missing", "request_info", "approval",
                                                  "rejection"};
  return kNames;
}

const std::vector<std::string>& placeholder_names() {
  static const std::vector<std::string> kNames = {
      "office_name", "office_signature", "packet_id",  "course_title", "provider_name",    "contact_name",
      "received_at", "documents",        "missing",    "problems",     "token",            "message",
      "reviewer",    "clee_id",          "credit_hours", "approved_through", "approval_year", "course_dates",
      "location",    "reason"};
  return kNames;
}

std::string default_template_text(const std::string& name) {
  auto it = embedded_templates().find(name);
  return it == embedded_templates().end() ? "" : it->second;
}

Result<Template> parse_template(const std::string& name, const std::string& text, const std::string& source) {
  std::string t;
  for (char c : text)
    if (c != '\r') t.push_back(c);
  if (t.rfind("Subject:", 0) != 0)
    return Error{Code::kInvalidConfig, source + ":1: a template starts with a 'Subject: …' line"};
  size_t nl = t.find('\n');
  Template out;
  out.name = name;
  out.source = source;
  out.subject = t.substr(8, nl == std::string::npos ? std::string::npos : nl - 8);
  while (!out.subject.empty() && out.subject.front() == ' ') out.subject.erase(0, 1);
  if (out.subject.empty()) return Error{Code::kInvalidConfig, source + ":1: the Subject is empty"};
  std::string rest = nl == std::string::npos ? "" : t.substr(nl + 1);
  if (!rest.empty() && rest[0] != '\n')
    return Error{Code::kInvalidConfig, source + ":2: an empty line must follow the Subject line"};
  out.body = rest.empty() ? "" : rest.substr(1);
  if (out.body.find_first_not_of(" \n\t") == std::string::npos)
    return Error{Code::kInvalidConfig, source + ":3: the body is empty"};
  if (Status st = check_placeholders(out.subject, source, 1); !st) return st.error();
  if (Status st = check_placeholders(out.body, source, 3); !st) return st.error();
  return out;
}

Rendered render(const Template& t, const std::map<std::string, std::string>& values) {
  Rendered r;
  bool ignored = false;
  r.subject = fill_line(t.subject, values, &ignored);
  size_t start = 0;
  while (start <= t.body.size()) {
    size_t nl = t.body.find('\n', start);
    std::string line = t.body.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    bool drop = false;
    std::string filled = fill_line(line, values, &drop);
    if (!drop) r.body += filled + (nl == std::string::npos ? "" : "\n");
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  // Dropped lines can leave runs of blank lines: keep at most one.
  std::string tidy;
  for (size_t i = 0; i < r.body.size(); ++i) {
    if (r.body[i] == '\n' && tidy.size() >= 2 && tidy[tidy.size() - 1] == '\n' && tidy[tidy.size() - 2] == '\n') continue;
    tidy.push_back(r.body[i]);
  }
  r.body = tidy;
  return r;
}

Result<TemplateSet> TemplateSet::load(const std::string& dir, Env* env) {
  TemplateSet set;
  for (const auto& name : template_names()) {
    std::string source = "built-in " + name, text = default_template_text(name);
    std::string path = dir.empty() ? "" : dir + "/" + name + ".txt";
    if (!path.empty() && env->exists(path)) {
      auto read = env->read_file(path, kMaxTemplateBytes);
      if (!read) return Error{Code::kInvalidConfig, path + ": " + read.error().message};
      source = path;
      text = *read;
    }
    auto t = parse_template(name, text, source);
    if (!t) return t.error();
    set.templates_[name] = std::move(*t);
  }
  return set;
}

const Template& TemplateSet::get(const std::string& name) const { return templates_.at(name); }

}  // namespace clee::notify
