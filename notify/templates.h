// The texts of the messages the office sends, as templates it can edit. A template is a file:
// a "Subject: …" line, an empty line, then the body. `{{name}}` is replaced by a value; the
// names a template may use are a fixed list (an unknown one is refused when the templates are
// loaded, with FILE:LINE, so a typo never reaches a provider). A line holding only placeholders
// whose values are all empty is dropped, so optional parts (a reviewer's note) leave no gap.
// Values are data: they are inserted as they are, never read as template text (a course title
// holding "{{reason}}" stays those characters), and the Subject is made one safe header line
// when the message is built (notify/message.h).
//
// The defaults ship with the program (notify/templates/*.txt, compiled in); a file with the
// same name in the office's templates folder replaces one.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/status.h"

namespace clee::notify {

// receipt_complete, receipt_missing, request_info, approval, rejection.
const std::vector<std::string>& template_names();
// Every placeholder name a template may use.
const std::vector<std::string>& placeholder_names();

struct Template {
  std::string name;
  std::string source;  // file it came from, or "built-in NAME"
  std::string subject, body;
};

struct Rendered {
  std::string subject, body;
};

// Parses one template's text; `source` names it in errors ("FILE:LINE: message", kInvalidConfig).
Result<Template> parse_template(const std::string& name, const std::string& text, const std::string& source);
Rendered render(const Template& t, const std::map<std::string, std::string>& values);

class TemplateSet {
 public:
  // The built-in defaults, each replaced by DIR/NAME.txt when the office has one ("" = none).
  // Files are read through `env` (never through a link) and checked.
  static Result<TemplateSet> load(const std::string& dir, Env* env = Env::Default());
  // REQUIRES: `name` is one of template_names().
  const Template& get(const std::string& name) const;

 private:
  std::map<std::string, Template> templates_;
};

// The built-in text of a template ("" for an unknown name).
std::string default_template_text(const std::string& name);

}  // namespace clee::notify
