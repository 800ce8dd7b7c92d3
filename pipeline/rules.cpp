#include "pipeline/rules.h"

#include <map>
#include <set>

#include "pipeline/text.h"
#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

namespace clee {
namespace {

const std::set<std::string> kCategories = {"new_or_advanced", "basic_academy", "department_policy", "annual_refresher",
                                           "requalification"};
const std::set<std::string> kDocTypes = {"request_form", "course_outline", "instructor_cv"};
const std::set<std::string> kFields = {"provider_name", "provider_number", "course_title", "credit_hours", "instructors",
                                       "contact_name", "contact_email", "contact_phone", "dates", "location",
                                       "delivery_method", "description"};
const std::set<std::string> kWhere = {"any", "title", "objectives"};
const std::set<std::string> kRuleKeys = {"id", "category", "where", "weight", "phrases", "except"};
const std::set<std::string> kTopKeys = {"jurisdiction", "documents", "fields", "content", "checks", "outline",
                                        "providers", "approval"};

struct RuleError {
  std::string message;
};

std::string at(const std::string& path, const toml::node* n) {
  int line = n ? static_cast<int>(n->source().begin.line) : 0;
  return path + ":" + std::to_string(line) + ": ";
}

std::vector<std::string> strings(const std::string& path, const toml::node* n, const std::string& what) {
  std::vector<std::string> out;
  if (!n) return out;
  const toml::array* arr = n->as_array();
  if (!arr) throw RuleError{at(path, n) + what + " must be an array of strings"};
  for (const auto& e : *arr) {
    auto s = e.value<std::string>();
    if (!s) throw RuleError{at(path, &e) + what + " must contain only strings"};
    out.push_back(*s);
  }
  return out;
}

double number(const std::string& path, const toml::node* n, double fallback, const std::string& what) {
  if (!n) return fallback;
  auto v = n->value<double>();
  if (!v) throw RuleError{at(path, n) + what + " must be a number"};
  return *v;
}

// A misspelt key would otherwise be ignored silently ("phrase" for "phrases").
void known_keys(const std::string& path, const toml::table& t, const std::set<std::string>& keys, const std::string& where) {
  for (const auto& [k, v] : t)
    if (!keys.count(std::string(k.str())))
      throw RuleError{at(path, &v) + "unknown key '" + std::string(k.str()) + "'" + where};
}

LabelWords label_words(const std::string& path, const toml::node& n, const std::string& field) {
  const toml::table* t = n.as_table();
  if (!t) throw RuleError{at(path, &n) + "fields.label_words." + field + " must be a table {all = [[...]], none = [...]}"};
  known_keys(path, *t, {"all", "none"}, " in fields.label_words." + field);
  LabelWords w;
  if (const toml::node* all = t->get("all")) {
    const toml::array* groups = all->as_array();
    if (!groups || groups->empty()) throw RuleError{at(path, all) + "fields.label_words." + field + ".all must be an array of word arrays"};
    for (const auto& g : *groups) {
      auto words = strings(path, &g, "fields.label_words." + field + ".all");
      if (words.empty()) throw RuleError{at(path, &g) + "empty word group in fields.label_words." + field};
      w.all.push_back(std::move(words));
    }
  } else {
    throw RuleError{at(path, &n) + "fields.label_words." + field + " needs 'all'"};
  }
  w.none = strings(path, t->get("none"), "fields.label_words." + field + ".none");
  return w;
}

}  // namespace

Result<RulePack> load_rules(const std::string& path) {
  RulePack pack;
  pack.path = path;
  try {
    toml::table t = toml::parse_file(path);
    known_keys(path, t, kTopKeys, "");
    pack.jurisdiction = t["jurisdiction"].value_or(std::string());
    pack.required_documents = strings(path, t["documents"]["required"].node(), "documents.required");
    for (size_t i = 0; i < pack.required_documents.size(); ++i)
      if (!kDocTypes.count(pack.required_documents[i]))
        throw RuleError{at(path, t["documents"]["required"][i].node()) + "unknown document type '" +
                        pack.required_documents[i] + "'"};
    pack.required_fields = strings(path, t["fields"]["required"].node(), "fields.required");
    for (size_t i = 0; i < pack.required_fields.size(); ++i)
      if (!kFields.count(pack.required_fields[i]))
        throw RuleError{at(path, t["fields"]["required"][i].node()) + "unknown field '" + pack.required_fields[i] + "'"};
    if (auto* labels = t["fields"]["labels"].as_table()) {
      // Two fields must not share a label once case and punctuation are ignored ("provider #" is "provider").
      std::map<std::string, std::pair<std::string, std::string>> seen;  // normalised → field, label
      for (const auto& [k, v] : *labels) {
        std::string key(k.str());
        if (!kFields.count(key)) throw RuleError{at(path, &v) + "unknown field '" + key + "' in fields.labels"};
        pack.label_synonyms[key] = strings(path, &v, "fields.labels." + key);
        const auto& arr = *v.as_array();
        for (size_t i = 0; i < arr.size(); ++i) {
          const std::string& label = pack.label_synonyms[key][i];
          auto [it, fresh] = seen.try_emplace(text::normalise(label), key, label);
          if (!fresh && it->second.first != key)
            throw RuleError{at(path, &arr[i]) + "label '" + label + "' of " + key + " reads the same as '" +
                            it->second.second + "' of " + it->second.first};
        }
      }
    }
    if (auto* words = t["fields"]["label_words"].as_table()) {
      for (const auto& [k, v] : *words) {
        std::string key(k.str());
        if (!kFields.count(key)) throw RuleError{at(path, &v) + "unknown field '" + key + "' in fields.label_words"};
        pack.label_words[key] = label_words(path, v, key);
      }
    }
    auto content = t["content"];
    pack.advanced_threshold = number(path, content["advanced_threshold"].node(), 2.0, "content.advanced_threshold");
    pack.not_advanced_threshold = number(path, content["not_advanced_threshold"].node(), 2.0, "content.not_advanced_threshold");
    pack.title_advanced_cap = number(path, content["title_advanced_cap"].node(), 1.0, "content.title_advanced_cap");
    if (auto* rules = content["rules"].as_array()) {
      for (auto& r : *rules) {
        auto* rt = r.as_table();
        if (!rt) throw RuleError{at(path, &r) + "content.rules entries must be tables"};
        known_keys(path, *rt, kRuleKeys, " in content rule");
        ContentRule rule;
        rule.line = static_cast<int>(r.source().begin.line);
        rule.id = (*rt)["id"].value_or(std::string());
        if (rule.id.empty()) throw RuleError{at(path, &r) + "content rule without an id"};
        rule.category = (*rt)["category"].value_or(std::string());
        if (!kCategories.count(rule.category))
          throw RuleError{at(path, (*rt)["category"].node() ? (*rt)["category"].node() : &r) + "unknown category '" +
                          rule.category + "'"};
        rule.where = (*rt)["where"].value_or(std::string("any"));
        if (!kWhere.count(rule.where)) throw RuleError{at(path, (*rt)["where"].node()) + "unknown where '" + rule.where + "'"};
        rule.weight = number(path, (*rt)["weight"].node(), 1.0, "weight");
        rule.phrases = strings(path, (*rt)["phrases"].node(), "phrases");
        for (auto& p : rule.phrases)
          for (auto& c : p) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        rule.except = strings(path, (*rt)["except"].node(), "except");
        for (auto& p : rule.except)
          for (auto& c : p) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (rule.phrases.empty()) throw RuleError{at(path, &r) + "content rule '" + rule.id + "' has no phrases"};
        pack.content_rules.push_back(std::move(rule));
      }
    }
    auto checks = t["checks"];
    pack.hours_tolerance = number(path, checks["hours_tolerance"].node(), 0.25, "checks.hours_tolerance");
    pack.ocr_min_confidence = number(path, checks["ocr_min_confidence"].node(), 60, "checks.ocr_min_confidence");
    pack.title_similarity_min = number(path, checks["title_similarity_min"].node(), 0.5, "checks.title_similarity_min");
    if (t["outline"]["excluded_blocks"]) pack.excluded_blocks = strings(path, t["outline"]["excluded_blocks"].node(), "outline.excluded_blocks");
    pack.certified_providers = strings(path, t["providers"]["certified"].node(), "providers.certified");
    pack.clee_id_format = t["approval"]["clee_id_format"].value_or(std::string("CLEE-{year}-{seq:04}"));
    if (pack.clee_id_format.find("{seq") == std::string::npos)
      throw RuleError{at(path, t["approval"]["clee_id_format"].node()) + "clee_id_format needs a {seq} placeholder"};
    pack.default_years = static_cast<int>(number(path, t["approval"]["default_years"].node(), 1, "approval.default_years"));
  } catch (const toml::parse_error& e) {
    return Error{"invalid_rules", path + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description())};
  } catch (const RuleError& e) {
    return Error{"invalid_rules", e.message};
  }
  return pack;
}

}  // namespace clee
