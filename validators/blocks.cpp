// Reading a course's statements and judging its outline blocks (see validators/content.h).
#include <algorithm>
#include <optional>
#include <set>

#include "pipeline/text.h"
#include "validators/content.h"

namespace clee {
namespace {

// A title's "Advanced" is a weak sign: a title that promises depth over review content is still a
// refresher (DESIGN.md), so title depth weighs half a statement.
constexpr double kTitleDepthWeight = 0.5;

std::string rule_of(const Statement& s) {
  std::string r = s.pattern->id;
  if (!s.how.empty()) r += " (" + s.how + ")";
  return r + ": \"" + s.matched + "\"";
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

const Evidence* field_evidence(const Report& r, const char* key) {
  for (const auto& e : r.fields.evidence)
    if (e.rule == key) return &e;
  return nullptr;
}

std::string form_name(const Report& r) {
  for (const auto& d : r.documents)
    if (d.type == DocType::kRequestForm) return d.name;
  return "";
}

// True when the squashed, lower-cased `line` holds one of the block titles.
bool is_block_line(const std::string& low_line, const std::vector<std::string>& low_titles) {
  return std::any_of(low_titles.begin(), low_titles.end(),
                     [&](const std::string& t) { return t.size() >= 3 && low_line.find(t) != std::string::npos; });
}

void add_sentence(const StatementFinder& finder, const std::string& sentence, Evidence where, bool in_title,
                  CourseReading& c) {
  for (auto& st : finder.find(sentence)) {
    if (in_title && st.category == Category::kNewOrAdvanced) st.weight = std::min(st.weight, kTitleDepthWeight);
    Evidence e = where;
    e.quote = quote_text(sentence);
    e.rule = "course: " + rule_of(st);
    c.statements.push_back({st, std::move(e), in_title});
  }
}

void settle_stance(CourseReading& c) {
  double na = 0, depth = 0;
  Category worst = Category::kNone;
  for (const auto& q : c.statements) {
    if (q.statement.category == Category::kNewOrAdvanced) {
      depth += q.statement.weight;
    } else {
      na += q.statement.weight;
      if (category_rank(q.statement.category) > category_rank(worst)) worst = q.statement.category;
    }
  }
  if (na > 0 && na >= depth) c.stance = worst;
  else if (depth > 0) c.stance = Category::kNewOrAdvanced;
  for (const auto& q : c.statements)
    if (q.statement.category == c.stance) {
      c.stance_in_title |= q.in_title;
      if (c.stance_evidence.size() < 3) c.stance_evidence.push_back(q.evidence);
    }
}

}  // namespace

int category_rank(Category c) {
  switch (c) {
    case Category::kRequalification: return 4;
    case Category::kDepartmentPolicy: return 3;
    case Category::kAnnualRefresher: return 2;
    case Category::kBasicAcademy: return 1;
    default: return 0;
  }
}

CourseReading read_course(const Report& r, const StatementFinder& finder) {
  CourseReading c;
  std::set<std::string> seen;  // one reading per distinct sentence (titles repeat on every page)
  auto once = [&](const std::string& s) { return seen.insert(text::normalise(s)).second; };
  const Evidence* title_at = field_evidence(r, "course_title");
  if (r.fields.course_title && once(*r.fields.course_title))
    add_sentence(finder, *r.fields.course_title, title_at ? *title_at : Evidence{form_name(r), 1, "", ""}, true, c);
  if (r.outline.title && once(*r.outline.title)) add_sentence(finder, *r.outline.title, {r.outline.document, 1, "", ""}, true, c);
  if (r.fields.description) {
    c.has_description = true;
    const Evidence* at = field_evidence(r, "description");
    for (const auto& s : text::sentences(*r.fields.description))
      if (once(s)) add_sentence(finder, s, at ? *at : Evidence{form_name(r), 1, "", ""}, false, c);
  }
  c.has_objectives = !r.outline.objectives.empty();
  std::vector<std::string> titles;
  for (const auto& b : r.outline.blocks) titles.push_back(text::lower(text::squash(b.title)));
  for (const auto& d : r.documents) {
    if (d.type != DocType::kCourseOutline) continue;
    for (const auto& p : d.doc.pages)
      for (const auto& s : text::sentences(p.text)) {
        if (is_block_line(text::lower(text::squash(s)), titles) || !once(s)) continue;
        add_sentence(finder, s, {d.name, p.number, "", ""}, false, c);
      }
  }
  // Outline statements first: they say most about what is taught.
  std::stable_sort(c.statements.begin(), c.statements.end(), [&](const auto& a, const auto& b) {
    return (a.evidence.document == r.outline.document) > (b.evidence.document == r.outline.document);
  });
  settle_stance(c);
  return c;
}

OutlineLines::OutlineLines(const Report& r) : outline_(r.outline.document) {
  for (const auto& d : r.documents) {
    if (d.type != DocType::kCourseOutline) continue;
    for (const auto& p : d.doc.pages)
      for (const auto& line : text::lines(p.text)) lines_.push_back({d.name, p.number, line, " " + text::normalise(line) + " "});
  }
}

Evidence OutlineLines::find(const std::string& title) const {
  const std::string want = " " + text::normalise(title) + " ";
  const Line* best = nullptr;
  for (const auto& l : lines_)
    if ((!best || l.words.size() < best->words.size()) && l.words.find(want) != std::string::npos) best = &l;
  if (!best) return {outline_, 0, quote_text(title), ""};
  return {best->document, best->page, quote_text(best->text), ""};
}

namespace {

// Step 3: the topic against the basic curriculum, then the course's stance.
void judge_topic(const RulePack& rules, const TopicMatch& m, bool own_depth, const std::string& own_depth_rule,
                 const CourseReading& course, BlockJudgement& b) {
  Evidence line = b.evidence.front();
  bool inside = m.topic && m.coverage > rules.min_overlap;
  b.evidence.clear();
  if (inside) {
    b.curriculum = m.topic->id;
    b.overlap = m.terms;
    std::string where = "inside the basic curriculum: " + m.topic->name + " (" + joined(m.terms) + ")";
    if (own_depth) {
      b.fit = Fit::kBeyond;
      b.category = Category::kNewOrAdvanced;
      line.rule = where + "; beyond it: " + own_depth_rule;
    } else if (course.stance != Category::kNone) {
      b.fit = course.stance == Category::kNewOrAdvanced ? Fit::kBeyond : Fit::kInside;
      b.category = course.stance;
      line.rule = where + (course.stance == Category::kNewOrAdvanced ? "; the course goes beyond it"
                                                                     : std::string("; the course reads as ") + category_name(course.stance));
    } else {
      b.fit = Fit::kInside;
      b.category = Category::kBasicAcademy;
      line.rule = where;
    }
  } else {
    b.fit = rules.curriculum.empty() ? Fit::kNone : Fit::kNew;
    // Outside the curriculum only the course's title speaks for every block — or, for a pack
    // with no curriculum to measure against, whatever the course says about itself.
    bool title_says = (course.stance_in_title || rules.curriculum.empty()) && course.stance != Category::kNone &&
                      course.stance != Category::kNewOrAdvanced;
    b.category = title_says ? course.stance : Category::kNewOrAdvanced;
    if (rules.curriculum.empty()) line.rule = "no category stated in the block";
    else if (m.topic) line.rule = "new: no basic-curriculum entry covers it (touches " + m.topic->name + ": " + joined(m.terms) + ")";
    else line.rule = "new: not in the basic curriculum";
    if (title_says)
      line.rule += std::string(course.stance_in_title ? "; the course title reads as " : "; the course reads as ") +
                   category_name(course.stance);
  }
  b.evidence.push_back(std::move(line));
  bool decided = inside ? !own_depth && course.stance != Category::kNone
                        : b.category == course.stance && b.category != Category::kNewOrAdvanced;
  if (decided && !course.stance_evidence.empty()) b.evidence.push_back(course.stance_evidence.front());
}

}  // namespace

BlockJudgement judge_block(const RulePack& rules, const StatementFinder& finder, const TopicMatcher& topics,
                           const CourseReading& course, const Evidence& line, const std::string& title, double hours) {
  BlockJudgement b;
  b.title = title;
  b.topic = block_topic(title);
  b.hours = hours;
  b.evidence.push_back(line);
  // Step 1: the block's own statements; the strongest not-approvable one names it.
  std::optional<Statement> own_na;
  std::string depth_rule;
  for (auto& st : finder.find(title)) {
    if (st.category == Category::kNewOrAdvanced) {
      if (depth_rule.empty()) depth_rule = rule_of(st);
    } else if (!own_na || category_rank(st.category) > category_rank(own_na->category)) {
      own_na = std::move(st);
    }
  }
  TopicWords w = topics.words(b.topic);
  TopicMatch m = rules.curriculum.empty() ? TopicMatch{} : topics.best(w, rules.curriculum);
  if (own_na) {
    // Re-covering prior material in a course that runs on a cycle is a refresher; a block of a
    // requalification or policy course is named by the course when the course's category is
    // the stronger one.
    b.category = category_rank(course.stance) > category_rank(own_na->category) ? course.stance : own_na->category;
    if (m.topic && m.coverage > rules.min_overlap) {
      b.fit = Fit::kInside;
      b.curriculum = m.topic->id;
      b.overlap = m.terms;
    } else {
      b.fit = rules.curriculum.empty() ? Fit::kNone : Fit::kNew;
    }
    b.evidence.front().rule = rule_of(*own_na);
    if (b.category != own_na->category) {
      b.evidence.front().rule += std::string("; the course reads as ") + category_name(b.category);
      if (!course.stance_evidence.empty()) b.evidence.push_back(course.stance_evidence.front());
    }
    return b;
  }
  if (w.content == 0) {  // step 2: settled by the caller
    b.evidence.front().rule = w.exercise ? "an exercise or test" : "names no topic";
    return b;
  }
  judge_topic(rules, m, !depth_rule.empty(), depth_rule, course, b);
  return b;
}

void assign_area(const RulePack& rules, const TopicMatcher& topics, BlockJudgement& b) {
  if (rules.areas.empty()) return;
  TopicMatch m = topics.best(topics.words(b.topic.empty() ? b.title : b.topic), rules.areas);
  if (!m.topic) return;
  b.area = m.topic->id;
  Evidence e = b.evidence.empty() ? Evidence{} : b.evidence.front();
  e.rule = "area:" + m.topic->id + " (" + joined(m.terms) + ")";
  b.evidence.push_back(std::move(e));
}

}  // namespace clee
