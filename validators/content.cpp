// Content: does the course teach new or advanced skills? Judged as staff judge it — block by
// block against the basic academy curriculum (see validators/content.h for one block), then
// weighed by hours: `advanced` when most of the judged hours are approvable under the pack,
// `not_advanced` with the category that carries most hours, `uncertain` only when the outline
// holds too little to judge, saying what is missing. When the outline lists no blocks with hours,
// the course is judged as one block from its title and its own statements. Every block's
// judgement, and the verdict, quote the lines and sentences that carried them.
#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "validators/areas.h"
#include "validators/content.h"
#include "validators/validators.h"

namespace clee {
namespace {

constexpr size_t kVerdictBlockQuotes = 4, kVerdictStatementQuotes = 2;

std::string hours_text(double h) {
  std::ostringstream os;
  os << std::round(h * 100) / 100;
  return os.str();
}

std::string label(Category c) {
  switch (c) {
    case Category::kBasicAcademy: return "basic academy-level material";
    case Category::kDepartmentPolicy: return "department-level policy";
    case Category::kAnnualRefresher: return "an annual refresher";
    case Category::kRequalification: return "requalification";
    default: return category_name(c);
  }
}

RulesUsed record(const RulePack& rules) {
  RulesUsed u{rules.path, rules.jurisdiction, rules.sha256, {}};
  for (const auto& a : rules.areas) u.areas.push_back({a.id, a.name});
  return u;
}

// The category carrying most hours among `blocks` (kNone if none); a tie goes to the stronger
// not-approvable category (a reviewer would not call half a refresher new).
Category main_category(const std::vector<BlockJudgement>& blocks, bool only_not_approvable) {
  std::map<Category, double> hours;
  for (const auto& b : blocks)
    if (b.category != Category::kNone && !(only_not_approvable && b.approvable)) hours[b.category] += b.hours;
  Category best = Category::kNone;
  double most = 0;
  for (const auto& [c, h] : hours)
    if (h > most + 1e-9 || (std::fabs(h - most) <= 1e-9 && category_rank(c) > category_rank(best))) {
      best = c;
      most = h;
    }
  return best;
}

std::string main_area(const std::vector<BlockJudgement>& blocks) {
  std::map<std::string, double> hours;
  for (const auto& b : blocks)
    if (!b.area.empty()) hours[b.area] += b.hours;
  std::string best;
  for (const auto& [a, h] : hours)
    if (best.empty() || h > hours[best]) best = a;
  return best;
}

class Content : public Validator {
 public:
  const char* name() const override { return "content"; }

  void validate(const RulePack& rules, Report& r) const override {
    StatementFinder finder(rules);
    TopicMatcher topics(rules);
    CourseReading course = read_course(r, finder);
    r.rules = record(rules);
    ContentVerdict& v = r.content;
    v = ContentVerdict{};
    OutlineLines lines(r);
    for (const auto& ob : r.outline.blocks)
      v.blocks.push_back(judge_block(rules, finder, topics, course, lines.find(ob.title), ob.title, ob.hours.value_or(0)));
    bool whole_course = v.blocks.empty();
    if (whole_course && !judge_whole_course(rules, topics, course, r)) return uncertain(r, course);
    settle_unnamed(course, v.blocks);
    for (auto& b : v.blocks) b.approvable = b.category != Category::kNone && approvable(rules, b.category);
    settle_areas(rules, topics, r);
    weigh(rules, course, whole_course, r);
  }

 private:
  // No blocks with hours: the course is one block, named by its title and its own statements.
  // False when that is too little to judge.
  static bool judge_whole_course(const RulePack& rules, const TopicMatcher& topics, const CourseReading& course,
                                 Report& r) {
    bool stated = course.stance != Category::kNone;
    if (!stated && !course.has_objectives && !course.has_description) return false;
    std::string title = r.fields.course_title.value_or(r.outline.title.value_or(""));
    double hours = r.fields.credit_hours.value_or(r.outline.total_hours.value_or(1));
    BlockJudgement b;
    b.title = title.empty() ? "(the whole course)" : title;
    b.topic = title;
    b.hours = hours > 0 ? hours : 1;
    Evidence line{"", 1, title, "the whole course: its title"};
    for (const auto& e : r.fields.evidence)
      if (e.rule == "course_title") line = {e.document, e.page, e.quote, line.rule};
    if (line.document.empty()) line.document = r.outline.document;
    if (title.empty() && !course.stance_evidence.empty()) {  // no title to quote: the course's own words
      line = course.stance_evidence.front();
      line.rule = "the whole course: its own statements";
    }
    TopicWords w = topics.words(title);
    TopicMatch m = rules.curriculum.empty() ? TopicMatch{} : topics.best(w, rules.curriculum);
    bool inside = m.topic && m.coverage > rules.min_overlap;
    if (inside) {
      b.curriculum = m.topic->id;
      b.overlap = m.terms;
    }
    if (stated) {  // the course's own statements decide, whatever its topic
      b.category = course.stance;
      b.fit = rules.curriculum.empty() || w.content == 0 ? Fit::kNone
              : inside ? (course.stance == Category::kNewOrAdvanced ? Fit::kBeyond : Fit::kInside)
                       : Fit::kNew;
      line.rule += std::string("; the course reads as ") + category_name(course.stance);
    } else if (w.content == 0) {
      return false;
    } else {
      b.fit = rules.curriculum.empty() ? Fit::kNone : inside ? Fit::kInside : Fit::kNew;
      b.category = inside ? Category::kBasicAcademy : Category::kNewOrAdvanced;
      line.rule += inside ? "; inside the basic curriculum: " + m.topic->name : std::string("; new: not in the basic curriculum");
    }
    b.evidence.push_back(line);
    if (stated)
      for (const auto& e : course.stance_evidence) b.evidence.push_back(e);
    r.content.blocks.push_back(std::move(b));
    return true;
  }

  // Blocks that name no topic (exercises, tests, "Fundamentals review") follow the course's main
  // content, else the course's stance.
  static void settle_unnamed(const CourseReading& course, std::vector<BlockJudgement>& blocks) {
    Category main = main_category(blocks, false);
    if (main == Category::kNone) main = course.stance;
    for (auto& b : blocks) {
      if (b.category != Category::kNone || main == Category::kNone) continue;
      b.category = main;
      b.evidence.front().rule += std::string(": counted with the course's main content (") + category_name(main) + ")";
    }
  }

  static void settle_areas(const RulePack& rules, const TopicMatcher& topics, Report& r) {
    if (rules.areas.empty()) return;
    auto& blocks = r.content.blocks;
    for (auto& b : blocks) assign_area(rules, topics, b);
    std::string main = main_area(blocks);
    for (auto& b : blocks) {
      if (!b.area.empty()) continue;
      bool unnamed = topics.words(b.topic).content == 0;
      b.area = unnamed && !main.empty() ? main : rules.default_area;
      Evidence e = b.evidence.front();
      e.rule = "area:" + b.area + (unnamed && !main.empty() ? " (follows the course's main area)"
                                                            : " (no area's terms name it: the pack's default area)");
      b.evidence.push_back(std::move(e));
    }
    tally_areas(r);
  }

  static void uncertain(Report& r, const CourseReading& course) {
    ContentVerdict& v = r.content;
    v.verdict = Verdict::kUncertain;
    v.category = Category::kNone;
    if (r.outline.document.empty()) v.missing.push_back("a course outline");
    if (r.outline.blocks.empty()) v.missing.push_back("a schedule of blocks with their hours");
    else v.missing.push_back("block topics (the schedule names only exercises or tests)");
    if (!course.has_objectives) v.missing.push_back("objectives");
    if (!course.has_description) v.missing.push_back("a description of what is taught");
    std::string what;
    for (const auto& m : v.missing) what += (what.empty() ? "" : ", ") + m;
    r.findings.push_back({Code::kUncertainContent, Severity::kWarning,
                          "Too little to judge what the course teaches (missing: " + what + "); a reviewer should judge",
                          r.outline.document, {}});
  }

  static void weigh(const RulePack& rules, const CourseReading& course, bool whole_course, Report& r) {
    ContentVerdict& v = r.content;
    double total = 0, ok = 0;
    for (const auto& b : v.blocks)
      if (b.category != Category::kNone) {
        total += b.hours;
        if (b.approvable) ok += b.hours;
      }
    if (total <= 0) return uncertain(r, course);
    v.score = ok / total;
    Category winner = ok * 2 > total ? Category::kNewOrAdvanced : main_category(v.blocks, true);
    v.verdict = ok * 2 > total ? Verdict::kAdvanced : Verdict::kNotAdvanced;
    v.category = winner;
    quote_verdict(course, whole_course, r);
    if (v.verdict != Verdict::kNotAdvanced) return;
    double carried = 0;
    for (const auto& b : v.blocks) carried += b.category == winner ? b.hours : 0;
    std::string msg = whole_course ? "The course reads as " + label(winner)
                                   : hours_text(carried) + " of " + hours_text(total) + " outline hours read as " + label(winner);
    r.findings.push_back({Code::kNotAdvancedContent, Severity::kError,
                          msg + ", which is not approvable for CLEE credit under " + rules.jurisdiction +
                              " (courses must teach new or advanced skills)",
                          v.evidence.empty() ? "" : v.evidence.front().document, v.evidence});
  }

  // The verdict's quotes: the blocks carrying the winning side (most hours first) and the
  // course's statements for it; with no schedule, the statements lead.
  static void quote_verdict(const CourseReading& course, bool whole_course, Report& r) {
    ContentVerdict& v = r.content;
    bool advanced = v.verdict == Verdict::kAdvanced;
    std::vector<const BlockJudgement*> side;
    for (const auto& b : v.blocks)
      if (advanced ? b.approvable : b.category == v.category) side.push_back(&b);
    std::stable_sort(side.begin(), side.end(), [](auto* a, auto* b) { return a->hours > b->hours; });
    std::vector<Evidence> blocks, statements;
    for (const auto* b : side)
      if (!b->evidence.empty() && blocks.size() < kVerdictBlockQuotes) blocks.push_back(b->evidence.front());
    for (const auto& q : course.statements) {
      bool for_side = advanced ? q.statement.category == Category::kNewOrAdvanced : q.statement.category == v.category;
      if (for_side && statements.size() < kVerdictStatementQuotes) statements.push_back(q.evidence);
    }
    auto& first = whole_course ? statements : blocks;
    auto& second = whole_course ? blocks : statements;
    v.evidence = first;
    v.evidence.insert(v.evidence.end(), second.begin(), second.end());
  }
};

}  // namespace

std::unique_ptr<Validator> make_content_validator() { return std::make_unique<Content>(); }

}  // namespace clee
