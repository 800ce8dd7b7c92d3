#include "pipeline/rules.h"

#include <map>
#include <set>

#include "base/toml_reader.h"
#include "pipeline/text.h"

namespace clee {
namespace {

const std::set<std::string> kDocTypes = {"request_form", "course_outline", "instructor_cv"};
const std::set<std::string> kFields = {"provider_name", "provider_number", "course_title", "credit_hours", "instructors",
                                       "contact_name", "contact_email", "contact_phone", "dates", "location",
                                       "delivery_method", "description"};
const std::set<std::string> kWhere = {"any", "title", "objectives"};

// Every reader returns early with the first error: `TRY(expr)` keeps the parser flat.
#define TRY(expr)                \
  do {                           \
    if (Status s_ = (expr); !s_) \
      return s_.error();         \
  } while (0)

std::string lowered(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Values must belong to `allowed`; the error points at the offending element.
Status check_members(const TomlTable& t, const char* key, const std::vector<std::string>& values,
                     const std::set<std::string>& allowed, const std::string& what) {
  for (size_t i = 0; i < values.size(); ++i)
    if (!allowed.count(values[i])) {
      const toml::node* n = t.raw().get(key);
      const toml::node* e = n && n->as_array() ? n->as_array()->get(i) : n;
      return e ? t.error(*e, "unknown " + what + " '" + values[i] + "'") : t.error(key, "unknown " + what);
    }
  return Status::Ok();
}

Result<LabelWords> label_words(const TomlTable& t, const std::string& field) {
  TRY(t.check_keys({"all", "none"}));
  LabelWords w;
  const toml::node* all = t.raw().get("all");
  if (!all) return t.error("all", t.where() + " needs 'all'");
  const toml::array* groups = all->as_array();
  if (!groups || groups->empty()) return t.error("all", t.where() + ".all must be an array of word arrays");
  for (const auto& g : *groups) {
    const toml::array* words = g.as_array();
    if (!words || words->empty()) return t.error(g, "empty or malformed word group in " + t.where());
    std::vector<std::string> group;
    for (const auto& word : *words) {
      auto s = word.value_exact<std::string>();
      if (!s) return t.error(word, t.where() + " words must be strings");
      group.push_back(*s);
    }
    w.all.push_back(std::move(group));
  }
  TRY(t.get("none", &w.none));
  (void)field;
  return w;
}

Status read_fields(const TomlTable& fields, RulePack& pack) {
  TRY(fields.check_keys({"required", "labels", "label_words"}));
  TRY(fields.get("required", &pack.required_fields));
  TRY(check_members(fields, "required", pack.required_fields, kFields, "field"));
  auto labels = fields.table("labels");
  if (!labels) return labels.error();
  if (*labels) {
    // Two fields must not share a label once case and punctuation are ignored ("provider #" is "provider").
    std::map<std::string, std::pair<std::string, std::string>> seen;  // normalised → field, label
    for (const auto& [k, v] : (*labels)->raw()) {
      std::string key(k.str());
      if (!kFields.count(key)) return (*labels)->error(v, "unknown field '" + key + "' in fields.labels");
      std::vector<std::string> list;
      TRY((*labels)->get(key.c_str(), &list));
      const auto& arr = *v.as_array();
      for (size_t i = 0; i < list.size(); ++i) {
        auto [it, fresh] = seen.try_emplace(text::normalise(list[i]), key, list[i]);
        if (!fresh && it->second.first != key)
          return (*labels)->error(arr[i], "label '" + list[i] + "' of " + key + " reads the same as '" +
                                              it->second.second + "' of " + it->second.first);
      }
      pack.label_synonyms[key] = std::move(list);
    }
  }
  auto words = fields.table("label_words");
  if (!words) return words.error();
  if (*words) {
    for (const auto& [k, v] : (*words)->raw()) {
      std::string key(k.str());
      if (!kFields.count(key)) return (*words)->error(v, "unknown field '" + key + "' in fields.label_words");
      auto t = (*words)->table(key.c_str());
      if (!t) return t.error();
      auto w = label_words(**t, key);
      if (!w) return w.error();
      pack.label_words[key] = std::move(*w);
    }
  }
  return Status::Ok();
}

Status read_content(const TomlTable& content, RulePack& pack) {
  TRY(content.check_keys({"advanced_threshold", "not_advanced_threshold", "title_advanced_cap", "rules"}));
  TRY(content.get("advanced_threshold", &pack.advanced_threshold, 0.0, 1000.0));
  TRY(content.get("not_advanced_threshold", &pack.not_advanced_threshold, 0.0, 1000.0));
  TRY(content.get("title_advanced_cap", &pack.title_advanced_cap, 0.0, 1000.0));
  auto rules = content.tables("rules");
  if (!rules) return rules.error();
  for (const auto& rt : *rules) {
    TRY(rt.check_keys({"id", "category", "where", "weight", "phrases", "except"}));
    ContentRule rule;
    rule.line = static_cast<int>(rt.raw().source().begin.line);
    TRY(rt.get("id", &rule.id));
    if (rule.id.empty()) return rt.error("id", "content rule without an id");
    std::string category;
    TRY(rt.get("category", &category));
    auto c = category_from_name(category);
    if (!c || *c == Category::kNone) return rt.error("category", "unknown category '" + category + "'");
    rule.category = *c;
    TRY(rt.get("where", &rule.where));
    if (!kWhere.count(rule.where)) return rt.error("where", "unknown where '" + rule.where + "'");
    TRY(rt.get("weight", &rule.weight, -100.0, 100.0));
    TRY(rt.get("phrases", &rule.phrases));
    TRY(rt.get("except", &rule.except));
    if (rule.phrases.empty()) return rt.error("phrases", "content rule '" + rule.id + "' has no phrases");
    for (auto& p : rule.phrases) p = lowered(p);
    for (auto& p : rule.except) p = lowered(p);
    pack.content_rules.push_back(std::move(rule));
  }
  return Status::Ok();
}

Status read_pack(const TomlTable& top, RulePack& pack) {
  TRY(top.check_keys({"jurisdiction", "documents", "fields", "content", "checks", "outline", "providers", "approval"}));
  TRY(top.get("jurisdiction", &pack.jurisdiction));
  auto documents = top.table("documents");
  if (!documents) return documents.error();
  if (*documents) {
    TRY((*documents)->check_keys({"required"}));
    TRY((*documents)->get("required", &pack.required_documents));
    TRY(check_members(**documents, "required", pack.required_documents, kDocTypes, "document type"));
  }
  auto fields = top.table("fields");
  if (!fields) return fields.error();
  if (*fields) TRY(read_fields(**fields, pack));
  auto content = top.table("content");
  if (!content) return content.error();
  if (*content) TRY(read_content(**content, pack));
  auto checks = top.table("checks");
  if (!checks) return checks.error();
  if (*checks) {
    TRY((*checks)->check_keys({"hours_tolerance", "ocr_min_confidence", "title_similarity_min"}));
    TRY((*checks)->get("hours_tolerance", &pack.hours_tolerance, 0.0, 100.0));
    TRY((*checks)->get("ocr_min_confidence", &pack.ocr_min_confidence, 0.0, 100.0));
    TRY((*checks)->get("title_similarity_min", &pack.title_similarity_min, 0.0, 1.0));
  }
  auto outline = top.table("outline");
  if (!outline) return outline.error();
  if (*outline) {
    TRY((*outline)->check_keys({"excluded_blocks"}));
    TRY((*outline)->get("excluded_blocks", &pack.excluded_blocks));
  }
  auto providers = top.table("providers");
  if (!providers) return providers.error();
  if (*providers) {
    TRY((*providers)->check_keys({"certified"}));
    TRY((*providers)->get("certified", &pack.certified_providers));
  }
  auto approval = top.table("approval");
  if (!approval) return approval.error();
  if (*approval) {
    TRY((*approval)->check_keys({"clee_id_format", "default_years"}));
    TRY((*approval)->get("clee_id_format", &pack.clee_id_format));
    if (pack.clee_id_format.find("{seq") == std::string::npos)
      return (*approval)->error("clee_id_format", "clee_id_format needs a {seq} placeholder");
    TRY((*approval)->get("default_years", &pack.default_years, 1, 10));
  }
  if (pack.required_documents.empty())
    return top.error("documents", "the rule pack lists no required documents ([documents] required = [...])");
  if (pack.content_rules.empty()) return top.error("content", "the rule pack has no [[content.rules]]");
  return Status::Ok();
}

#undef TRY

}  // namespace

Result<RulePack> load_rules(const std::string& path) {
  auto parsed = parse_toml_file(path, Code::kInvalidRules);
  if (!parsed) return parsed.error();
  RulePack pack;
  pack.path = path;
  if (Status s = read_pack(TomlTable(path, *parsed, "the top level", Code::kInvalidRules), pack); !s) return s.error();
  return pack;
}

}  // namespace clee
