#include "app/renewal.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

namespace clee::app {
namespace {

using nlohmann::json;

std::string normalized(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c)) out.push_back(static_cast<char>(std::tolower(c)));
    else if (!out.empty() && out.back() != ' ') out.push_back(' ');
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::set<std::string> words(const std::string& s) {
  static const std::set<std::string> kSmall = {"a", "an", "and", "the", "of", "for", "in", "on", "to", "with", "using"};
  std::set<std::string> out;
  std::string n = normalized(s), w;
  for (size_t i = 0; i <= n.size(); ++i) {
    if (i == n.size() || n[i] == ' ') {
      if (!w.empty() && !kSmall.count(w)) out.insert(w);
      w.clear();
    } else {
      w.push_back(n[i]);
    }
  }
  return out;
}

std::string number(const std::optional<double>& h) {
  if (!h) return "not stated";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", *h);
  return buf;
}

std::vector<std::string> instructors(const PacketRecord& p) {
  std::vector<std::string> out;
  if (p.report.is_object() && p.report.contains("fields") && p.report["fields"].contains("instructors") &&
      p.report["fields"]["instructors"].is_array())
    for (const auto& i : p.report["fields"]["instructors"])
      if (i.is_string()) out.push_back(i.get<std::string>());
  return out;
}

// Outline blocks: normalized title → {title as written, hours}.
std::map<std::string, std::pair<std::string, std::optional<double>>> blocks(const PacketRecord& p) {
  std::map<std::string, std::pair<std::string, std::optional<double>>> out;
  if (!p.report.is_object() || !p.report.contains("outline") || !p.report["outline"].contains("blocks")) return out;
  for (const auto& b : p.report["outline"]["blocks"]) {
    if (!b.is_object() || !b.contains("title") || !b["title"].is_string()) continue;
    std::optional<double> h;
    if (b.contains("hours") && b["hours"].is_number()) h = b["hours"].get<double>();
    out[normalized(b["title"].get<std::string>())] = {b["title"].get<std::string>(), h};
  }
  return out;
}

// Whether the packet's extracted text names `clee_id` as a whole token.
bool names_id(const json& texts, const std::string& clee_id) {
  if (clee_id.empty() || !texts.is_array()) return false;
  for (const auto& d : texts)
    for (const auto& p : d.value("pages", json::array())) {
      const std::string t = p.value("text", "");
      for (size_t at = t.find(clee_id); at != std::string::npos; at = t.find(clee_id, at + 1)) {
        size_t end = at + clee_id.size();
        bool left = at == 0 || !std::isalnum(static_cast<unsigned char>(t[at - 1]));
        bool right = end >= t.size() || !std::isalnum(static_cast<unsigned char>(t[end]));
        if (left && right) return true;
      }
    }
  return false;
}

}  // namespace

bool near_identical_titles(const std::string& a, const std::string& b) {
  std::set<std::string> x = words(a), y = words(b);
  if (x.empty() || y.empty()) return false;
  size_t common = 0;
  for (const auto& w : x) common += y.count(w);
  return static_cast<double>(common) / static_cast<double>(x.size() + y.size() - common) >= 0.8;
}

std::vector<Renewal::Change> compare_courses(const PacketRecord& before, const PacketRecord& after) {
  std::vector<Renewal::Change> out;
  if (number(before.hours) != number(after.hours))
    out.push_back({"Credit hours", number(before.hours) + " → " + number(after.hours)});
  auto was = instructors(before), now = instructors(after);
  auto key = [](const std::vector<std::string>& v) {
    std::set<std::string> s;
    for (const auto& i : v) s.insert(normalized(i));
    return s;
  };
  std::set<std::string> was_k = key(was), now_k = key(now);
  for (const auto& i : now)
    if (!was_k.count(normalized(i))) out.push_back({"Instructor added", i});
  for (const auto& i : was)
    if (!now_k.count(normalized(i))) out.push_back({"Instructor removed", i});
  auto old_b = blocks(before), new_b = blocks(after);
  for (const auto& [k, b] : new_b) {
    auto it = old_b.find(k);
    if (it == old_b.end()) out.push_back({"Outline block added", b.first + " (" + number(b.second) + " h)"});
    else if (number(it->second.second) != number(b.second))
      out.push_back({"Outline block hours", b.first + ": " + number(it->second.second) + " → " + number(b.second)});
  }
  for (const auto& [k, b] : old_b)
    if (!new_b.count(k)) out.push_back({"Outline block removed", b.first + " (" + number(b.second) + " h)"});
  return out;
}

std::optional<Renewal> find_renewal(Store& store, const PacketRecord& packet) {
  auto approved = store.list(PacketStatus::kApproved);
  if (!approved) return std::nullopt;
  // Newest approval first.
  std::sort(approved->begin(), approved->end(),
            [](const PacketRecord& a, const PacketRecord& b) { return a.approved_at > b.approved_at; });
  json texts;
  if (auto t = store.document_texts(packet.id)) texts = std::move(*t);
  const PacketRecord* match = nullptr;
  std::string how;
  for (const auto& a : *approved)
    if (a.id != packet.id && names_id(texts, a.clee_id)) {
      match = &a;
      how = "the packet names " + a.clee_id;
      break;
    }
  if (!match && !packet.provider.empty())
    for (const auto& a : *approved)
      if (a.id != packet.id && normalized(a.provider) == normalized(packet.provider) &&
          near_identical_titles(a.title, packet.title)) {
        match = &a;
        how = "same provider, near-identical title";
        break;
      }
  if (!match) return std::nullopt;
  auto full = store.get(match->id);  // with its report
  if (!full) return std::nullopt;
  Renewal r{full->id, full->clee_id, full->title, full->approved_at, full->expires_on, how, {}};
  r.changes = compare_courses(*full, packet);
  return r;
}

}  // namespace clee::app
