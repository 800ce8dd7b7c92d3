// Content: does the course teach new or advanced skills, or is it basic academy material,
// department policy, an annual refresher or requalification? Weighted phrase rules from the rule
// pack over the title, description, objectives and outline text; a phrase inside a negated
// sentence ("this is not a refresher course") does not count; a title's "Advanced" counts only up
// to a cap, so review content under an advanced title is still not approvable. Every verdict
// quotes the sentences that carried it.
#include <algorithm>
#include <map>
#include <set>

#include "pipeline/text.h"
#include "validators/validators.h"

namespace clee {
namespace {

struct Unit {
  std::string document;
  int page;
  std::string sentence;
  std::string where;  // title | objectives | text
};

struct Hit {
  Evidence evidence;
  Category category;
  double weight;
};

// True when a negation governs the phrase at `pos`: "not", "no", "never", "without"... within
// the few words before it in the same sentence.
bool negated(const std::string& low, size_t pos) {
  size_t from = pos > 48 ? pos - 48 : 0;
  std::string window = low.substr(from, pos - from);
  for (const char* neg : {"not", "no", "never", "without", "isn't", "doesn't", "nor", "neither", "non", "rather than",
                          "instead of", "beyond"}) {
    if (text::contains_phrase(window, neg)) return true;
  }
  return false;
}

std::vector<Unit> units_of(const Report& r) {
  std::vector<Unit> units;
  const std::string form_name = [&] {
    for (const auto& d : r.documents)
      if (d.type == DocType::kRequestForm) return d.name;
    return std::string();
  }();
  if (r.fields.course_title) units.push_back({form_name, 1, *r.fields.course_title, "title"});
  else if (r.outline.title) units.push_back({r.outline.document, 1, *r.outline.title, "title"});
  if (r.fields.description)
    for (auto& s : text::sentences(*r.fields.description)) units.push_back({form_name, 1, s, "text"});
  for (const auto& o : r.outline.objectives) units.push_back({r.outline.document, 0, o, "objectives"});
  std::set<std::string> objectives(r.outline.objectives.begin(), r.outline.objectives.end());
  for (const auto& d : r.documents) {
    if (d.type != DocType::kCourseOutline) continue;
    for (const auto& p : d.doc.pages)
      for (auto& s : text::sentences(p.text)) {
        if (r.outline.title && text::squash(s) == *r.outline.title) continue;  // counted as the title
        std::string sq = text::squash(s);
        if (std::any_of(objectives.begin(), objectives.end(), [&](const std::string& o) {
              return sq.size() <= o.size() + 6 && sq.find(o) != std::string::npos;  // "1. " + objective
            }))
          continue;  // counted as an objective
        units.push_back({d.name, p.number, s, "text"});
      }
  }
  // Objectives appear in the page text too; find their page for the quote.
  for (auto& u : units) {
    if (u.where != "objectives") continue;
    for (const auto& d : r.documents)
      if (d.name == u.document)
        for (const auto& p : d.doc.pages)
          if (text::squash(p.text).find(u.sentence) != std::string::npos) u.page = p.number;
  }
  return units;
}

class Content : public Validator {
 public:
  const char* name() const override { return "content"; }

  void validate(const RulePack& rules, Report& r) const override {
    std::vector<Hit> hits;
    std::map<std::string, int> per_rule;  // a rule counts at most 4 sentences: long outlines don't win by length
    std::map<Category, double> score;
    double title_advanced = 0;
    std::vector<Evidence> negations;
    for (const auto& u : units_of(r)) {
      std::string low = text::lower(u.sentence);
      for (const auto& rule : rules.content_rules) {
        if (rule.where == "title" && u.where != "title") continue;
        if (rule.where == "objectives" && u.where != "objectives") continue;
        if (std::any_of(rule.except.begin(), rule.except.end(),
                        [&](const std::string& e) { return text::contains_phrase(low, e); }))
          continue;
        for (const auto& phrase : rule.phrases) {
          size_t at = 0;
          if (!text::contains_phrase(low, phrase, &at)) continue;
          if (negated(low, at)) {
            if (rule.category != Category::kNewOrAdvanced)
              negations.push_back({u.document, u.page, u.sentence.substr(0, 300), rule.id + " (negated)"});
            break;
          }
          if (per_rule[rule.id] >= 4) break;
          double w = rule.weight;
          if (u.where == "title" && rule.category == Category::kNewOrAdvanced) {
            w = std::min(w, std::max(0.0, rules.title_advanced_cap - title_advanced));
            title_advanced += w;
            if (w <= 0) break;
          }
          ++per_rule[rule.id];
          score[rule.category] += w;
          hits.push_back({{u.document, u.page, u.sentence.substr(0, 300), rule.id + ": \"" + phrase + "\""}, rule.category, w});
          break;
        }
      }
    }
    // Saying the course is not a refresher is itself a (weak) sign that it is not one.
    if (!negations.empty()) score[Category::kNewOrAdvanced] += 0.5;
    double advanced = score[Category::kNewOrAdvanced];
    Category worst = Category::kNone;
    double not_advanced = 0, worst_score = 0;
    for (const auto& [cat, s] : score) {
      if (cat == Category::kNewOrAdvanced) continue;
      not_advanced += s;
      if (s > worst_score) {
        worst_score = s;
        worst = cat;
      }
    }
    ContentVerdict& v = r.content;
    v.score = advanced - not_advanced;
    if (not_advanced >= rules.not_advanced_threshold && not_advanced > advanced * 0.8) {
      v.verdict = Verdict::kNotAdvanced;
      v.category = worst;
    } else if (advanced >= rules.advanced_threshold && advanced >= not_advanced * 2) {
      v.verdict = Verdict::kAdvanced;
      v.category = Category::kNewOrAdvanced;
    } else {
      v.verdict = Verdict::kUncertain;
      v.category = advanced >= not_advanced || worst == Category::kNone ? Category::kNewOrAdvanced : worst;
    }
    // Evidence: the strongest sentences for the side that won (both sides when uncertain).
    std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.weight > b.weight; });
    for (const auto& h : hits) {
      bool for_verdict = v.verdict == Verdict::kUncertain || (v.verdict == Verdict::kAdvanced) == (h.category == Category::kNewOrAdvanced);
      if (for_verdict && v.evidence.size() < 6) v.evidence.push_back(h.evidence);
    }
    for (const auto& n : negations)
      if (v.evidence.size() < 8 && v.verdict != Verdict::kNotAdvanced) v.evidence.push_back(n);
    if (v.verdict == Verdict::kNotAdvanced) {
      r.findings.push_back({Code::kNotAdvancedContent, Severity::kError,
                            "The course reads as " + label(v.category) +
                                ", which is not approvable for CLEE credit (courses must teach new or advanced skills)",
                            v.evidence.empty() ? "" : v.evidence.front().document, v.evidence});
    } else if (v.verdict == Verdict::kUncertain) {
      r.findings.push_back({Code::kUncertainContent, Severity::kWarning,
                            "The evidence that the course teaches new or advanced skills is thin; a reviewer should judge",
                            "", v.evidence});
    }
  }

 private:
  static std::string label(Category category) {
    const std::string c = category_name(category);
    if (c == "basic_academy") return "basic academy-level material";
    if (c == "department_policy") return "department-level policy";
    if (c == "annual_refresher") return "an annual refresher";
    if (c == "requalification") return "requalification";
    return c;
  }
};

}  // namespace

std::unique_ptr<Validator> make_content_validator() { return std::make_unique<Content>(); }

}  // namespace clee
