#include "pipeline/rules.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/hash.h"
#include "base/toml_reader.h"
#include "pipeline/text.h"

namespace clee {
namespace {

const std::set<std::string> kDocTypes = {"request_form", "course_outline", "instructor_cv"};
const std::set<std::string> kFields = {"provider_name", "provider_number", "course_title", "credit_hours", "instructors",
                                       "contact_name", "contact_email", "contact_phone", "dates", "location",
                                       "delivery_method", "description"};

// Every reader returns early with the first error: `TRY(expr)` keeps the parser flat.
#define TRY(expr)                \
  do {                           \
    if (Status s_ = (expr); !s_) \
      return s_.error();         \
  } while (0)

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

// Phrases are compared on normalised words ("In-Service" = "in service"); a trailing "*" stays.
std::string phrase_form(const std::string& p) {
  bool star = !p.empty() && p.back() == '*';
  std::string n = text::normalise(p);
  return star && !n.empty() ? n + "*" : n;
}

Status read_phrases(const TomlTable& t, const char* key, std::vector<std::string>* out) {
  TRY(t.get(key, out));
  for (auto& p : *out) p = phrase_form(p);
  std::erase_if(*out, [](const std::string& p) { return p.empty() || p == "*"; });
  return Status::Ok();
}

Result<ContentPattern> read_pattern(const TomlTable& pt) {
  TRY(pt.check_keys({"id", "category", "all", "within", "except"}));
  ContentPattern p;
  p.line = static_cast<int>(pt.raw().source().begin.line);
  TRY(pt.get("id", &p.id));
  if (p.id.empty()) return pt.error("id", "content pattern without an id");
  std::string category;
  TRY(pt.get("category", &category));
  auto c = category_from_name(category);
  if (!c || *c == Category::kNone) return pt.error("category", "unknown category '" + category + "'");
  p.category = *c;
  const toml::node* all = pt.raw().get("all");
  const toml::array* groups = all ? all->as_array() : nullptr;
  if (!groups || groups->empty()) return pt.error("all", "content pattern '" + p.id + "' needs all = [[\"phrase\", ...], ...]");
  for (const auto& g : *groups) {
    const toml::array* phrases = g.as_array();
    if (!phrases || phrases->empty()) return pt.error(g, "empty or malformed phrase group in pattern '" + p.id + "'");
    std::vector<std::string> group;
    for (const auto& ph : *phrases) {
      auto v = ph.value_exact<std::string>();
      if (!v || phrase_form(*v).empty()) return pt.error(ph, "pattern '" + p.id + "': phrases must be non-empty strings");
      group.push_back(phrase_form(*v));
    }
    p.all.push_back(std::move(group));
  }
  TRY(pt.get("within", &p.within, 1, 40));
  TRY(read_phrases(pt, "except", &p.except));
  return p;
}

// [[curriculum]] and [[areas]]: id, name, terms. Ids are unique within their list.
Status read_topics(const TomlTable& top, const char* key, std::vector<CurriculumTopic>* out) {
  auto tables = top.tables(key);
  if (!tables) return tables.error();
  for (const auto& tt : *tables) {
    TRY(tt.check_keys({"id", "name", "terms"}));
    CurriculumTopic t;
    t.line = static_cast<int>(tt.raw().source().begin.line);
    TRY(tt.get("id", &t.id));
    TRY(tt.get("name", &t.name));
    if (t.id.empty() || t.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos)
      return tt.error("id", std::string("[[") + key + "]] needs an id of lower-case letters, digits and _");
    for (const auto& other : *out)
      if (other.id == t.id) return tt.error("id", std::string("two [[") + key + "]] entries are named '" + t.id + "'");
    TRY(read_phrases(tt, "terms", &t.terms));
    if (t.terms.empty()) return tt.error("terms", std::string("[[") + key + "]] '" + t.id + "' has no terms");
    if (t.name.empty()) t.name = t.id;
    out->push_back(std::move(t));
  }
  return Status::Ok();
}

Status read_content(const TomlTable& content, RulePack& pack) {
  TRY(content.check_keys({"min_overlap", "approvable", "default_area", "stop_words", "frame_words", "exercise_words",
                          "negation", "beyond", "patterns"}));
  TRY(content.get("min_overlap", &pack.min_overlap, 0.0, 0.99));
  std::vector<std::string> approvable;
  TRY(content.get("approvable", &approvable));
  if (content.has("approvable")) {
    pack.approvable.clear();
    for (size_t i = 0; i < approvable.size(); ++i) {
      auto c = category_from_name(approvable[i]);
      if (!c || *c == Category::kNone) {
        const toml::node* e = content.raw().get("approvable")->as_array()->get(i);
        return content.error(*e, "unknown category '" + approvable[i] + "'");
      }
      pack.approvable.push_back(*c);
    }
  }
  TRY(content.get("default_area", &pack.default_area));
  for (auto [key, list] : {std::pair{"stop_words", &pack.stop_words}, {"frame_words", &pack.frame_words},
                           {"exercise_words", &pack.exercise_words}, {"negation", &pack.negation},
                           {"beyond", &pack.beyond}})
    TRY(read_phrases(content, key, list));
  auto patterns = content.tables("patterns");
  if (!patterns) return patterns.error();
  for (const auto& pt : *patterns) {
    auto p = read_pattern(pt);
    if (!p) return p.error();
    pack.patterns.push_back(std::move(*p));
  }
  return Status::Ok();
}

Status read_pack(const TomlTable& top, RulePack& pack) {
  TRY(top.check_keys({"jurisdiction", "documents", "fields", "content", "curriculum", "areas", "checks", "outline",
                      "providers", "approval"}));
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
  TRY(read_topics(top, "curriculum", &pack.curriculum));
  TRY(read_topics(top, "areas", &pack.areas));
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
    TRY((*providers)->check_keys({"certified", "list_name", "required"}));
    TRY((*providers)->get("certified", &pack.certified_providers));
    TRY((*providers)->get("list_name", &pack.provider_list_name));
    TRY((*providers)->get("required", &pack.provider_required));
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
  if (pack.patterns.empty()) return top.error("content", "the rule pack has no [[content.patterns]]");
  if (!pack.areas.empty()) {
    if (pack.default_area.empty()) return top.error("content", "a pack with [[areas]] needs [content] default_area");
    if (!find_area(pack, pack.default_area))
      return top.error("content", "[content] default_area '" + pack.default_area + "' is not one of the [[areas]]");
  } else if (!pack.default_area.empty()) {
    return top.error("content", "[content] default_area is set but the pack declares no [[areas]]");
  }
  return Status::Ok();
}

#undef TRY

}  // namespace

Result<RulePack> load_rules_text(const std::string& text, const std::string& name) {
  auto parsed = parse_toml_text(text, name, Code::kInvalidRules);
  if (!parsed) return parsed.error();
  RulePack pack;
  pack.path = name;
  pack.text = text;
  pack.sha256 = sha256_hex(text);
  if (Status s = read_pack(TomlTable(name, *parsed, "the top level", Code::kInvalidRules), pack); !s) return s.error();
  return pack;
}

// The bytes are read once: the hash names exactly what was parsed.
Result<RulePack> load_rules(const std::string& path) {
  auto text = read_toml_file(path, Code::kInvalidRules);
  if (!text) return text.error();
  return load_rules_text(*text, path);
}

bool approvable(const RulePack& rules, Category c) {
  return std::find(rules.approvable.begin(), rules.approvable.end(), c) != rules.approvable.end();
}

const CurriculumTopic* find_area(const RulePack& rules, const std::string& id) {
  for (const auto& a : rules.areas)
    if (a.id == id) return &a;
  return nullptr;
}

}  // namespace clee
