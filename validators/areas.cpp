#include "validators/areas.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace clee {
namespace {

constexpr size_t kEvidencePerArea = 4;

// The hours the areas must add up to: the credit hours requested, else the outline's total,
// else the blocks' own sum.
double target_hours(const Report& r, double block_sum) {
  if (r.fields.credit_hours && *r.fields.credit_hours > 0) return *r.fields.credit_hours;
  if (r.outline.total_hours && *r.outline.total_hours > 0) return *r.outline.total_hours;
  return block_sum;
}

// Scales `raw` to `target` and rounds to quarter hours by largest remainder, so the parts sum
// to the target exactly (when the target is itself in quarter hours).
std::map<std::string, double> apportion(const std::map<std::string, double>& raw, double target) {
  double sum = 0;
  for (const auto& [_, h] : raw) sum += h;
  std::map<std::string, double> out;
  if (sum <= 0) return out;
  double quarters = target * 4;
  if (std::fabs(quarters - std::round(quarters)) > 1e-9) {
    for (const auto& [a, h] : raw) out[a] = h * target / sum;
    return out;
  }
  long long total = std::llround(quarters), given = 0;
  std::vector<std::pair<double, std::string>> remainders;
  for (const auto& [a, h] : raw) {
    double exact = h * quarters / sum;
    long long whole = static_cast<long long>(std::floor(exact + 1e-9));
    out[a] = static_cast<double>(whole);
    given += whole;
    remainders.push_back({exact - static_cast<double>(whole), a});
  }
  std::stable_sort(remainders.begin(), remainders.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
  for (size_t i = 0; given < total && i < remainders.size(); ++i, ++given) out[remainders[i].second] += 1;
  for (auto& [_, q] : out) q /= 4;
  return out;
}

bool is_area_evidence(const Evidence& e) { return e.rule.rfind("area:", 0) == 0; }

}  // namespace

void tally_areas(Report& r) {
  r.content.areas.clear();
  std::map<std::string, double> raw;
  double block_sum = 0;
  for (const auto& b : r.content.blocks)
    if (!b.area.empty() && b.hours > 0) {
      raw[b.area] += b.hours;
      block_sum += b.hours;
    }
  std::map<std::string, double> hours = apportion(raw, target_hours(r, block_sum));
  // Declared order first; an id the pack no longer declares (an old report) after, by name.
  std::vector<std::pair<std::string, std::string>> order = r.rules.areas;
  for (const auto& entry : hours) {
    const std::string& a = entry.first;  // not a structured binding: clang 14 cannot capture those
    if (std::none_of(order.begin(), order.end(), [&](const auto& o) { return o.first == a; })) order.push_back({a, a});
  }
  for (const auto& [id, name] : order) {
    auto it = hours.find(id);
    if (it == hours.end() || it->second <= 0) continue;
    AreaHours a{id, name, it->second, {}};
    for (const auto& b : r.content.blocks) {
      if (b.area != id) continue;
      for (const auto& e : b.evidence)
        if (is_area_evidence(e) && a.evidence.size() < kEvidencePerArea) a.evidence.push_back(e);
    }
    r.content.areas.push_back(std::move(a));
  }
}

Status correct_block_area(Report& r, size_t index, const std::string& area, const std::string& by, const std::string* was) {
  if (index >= r.content.blocks.size())
    return Error{Code::kNotFound, "the report has no outline block " + std::to_string(index + 1)};
  auto declared = std::find_if(r.rules.areas.begin(), r.rules.areas.end(), [&](const auto& a) { return a.first == area; });
  if (declared == r.rules.areas.end())
    return Error{Code::kUsage, "'" + area + "' is not a curriculum area of the rule pack this packet was judged by"};
  BlockJudgement& b = r.content.blocks[index];
  Evidence where = b.evidence.empty() ? Evidence{r.outline.document, 0, b.title, ""} : b.evidence.front();
  std::erase_if(b.evidence, is_area_evidence);
  const std::string& before = was ? *was : b.area;
  where.rule = "area:" + area + " (corrected by " + by + "; was " + (before.empty() ? "none" : before) + ")";
  b.evidence.push_back(where);
  b.area = area;
  b.area_by = by;
  tally_areas(r);
  return Status::Ok();
}

}  // namespace clee
