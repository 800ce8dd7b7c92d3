#include "app/corrections.h"

#include <spdlog/spdlog.h>

#include <regex>

#include "validators/areas.h"

namespace clee::app {
namespace {

// Titles come from documents: quotes and line breaks inside them must not break the record.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c == '\n' || c == '\r' ? ' ' : c);
  }
  return out + "\"";
}

// The block a correction names in `report`: same title, the recorded index first.
std::optional<size_t> find_block(const Report& r, const AreaCorrection& c) {
  const auto& blocks = r.content.blocks;
  if (c.index < blocks.size() && blocks[c.index].title == c.title) return c.index;
  for (size_t i = 0; i < blocks.size(); ++i)
    if (blocks[i].title == c.title) return i;
  return std::nullopt;
}

}  // namespace

std::string area_correction_detail(const AreaCorrection& c) {
  return "block " + std::to_string(c.index + 1) + " " + quoted(c.title) + ": " + (c.from.empty() ? "none" : c.from) + " -> " +
         c.to;
}

std::optional<AreaCorrection> parse_area_correction(const AuditEvent& e) {
  if (e.action != kAreaCorrected) return std::nullopt;
  static const std::regex re(R"re(^block (\d{1,4}) "((?:[^"\\]|\\.)*)": ([a-z0-9_]+) -> ([a-z0-9_]+)$)re");
  std::smatch m;
  if (!std::regex_match(e.detail, m, re)) return std::nullopt;
  AreaCorrection c;
  c.index = std::stoul(m.str(1)) - 1;
  for (size_t i = 0; i < m.str(2).size(); ++i) {
    char ch = m.str(2)[i];
    if (ch == '\\' && i + 1 < m.str(2).size()) ch = m.str(2)[++i];
    c.title.push_back(ch);
  }
  c.from = m.str(3) == "none" ? "" : m.str(3);
  c.to = m.str(4);
  c.by = e.actor;
  return c;
}

int reapply_area_corrections(Report& report, const std::vector<AuditEvent>& audit) {
  int applied = 0;
  for (const auto& e : audit) {
    auto c = parse_area_correction(e);
    if (!c) continue;
    auto at = find_block(report, *c);
    if (!at) continue;  // the block is gone (a reply changed the outline)
    if (correct_block_area(report, *at, c->to, c->by, &c->from)) ++applied;
  }
  return applied;
}

Status correct_area(Store& store, const std::string& id, size_t index, const std::string& area, const std::string& reviewer) {
  auto rec = store.get(id);
  if (!rec) return rec.error();
  if (rec->status != PacketStatus::kReady && rec->status != PacketStatus::kNeedsInformation)
    return Error{Code::kInvalidTransition, "packet " + id + " is " + status_name(rec->status) +
                                               "; a block's area can be corrected only before the decision"};
  auto report = store.load_report(id);
  if (!report) return report.error();
  Report trial = *report;
  if (Status st = correct_block_area(trial, index, area, reviewer); !st) return st;
  AreaCorrection c{index, report->content.blocks[index].title, report->content.blocks[index].area, area, reviewer};
  if (Status st = store.append_audit(id, reviewer, kAreaCorrected, area_correction_detail(c)); !st) return st;
  // The saved report is replaced under a lease (the store's only way to write a report): back to
  // `received`, claimed, saved. Whoever checks the packet meanwhile re-applies the log.
  if (Status st = store.retry(id, reviewer); !st) return st;
  auto lease = store.claim(id, reviewer);
  if (!lease && lease.error().code == Code::kBusy) return Status::Ok();
  if (!lease) return lease.error();
  auto current = store.load_report(id);
  auto audit = store.audit(id);
  if (!current || !audit) {
    Error e = !current ? current.error() : audit.error();
    (void)store.release_failed(*lease, e, reviewer);
    return e;
  }
  reapply_area_corrections(*current, *audit);
  if (Status st = store.save_report(*lease, *current, reviewer); !st) {
    spdlog::error("packet {}: saving the corrected report failed: {}", id, st.error().message);
    (void)store.release_failed(*lease, st.error(), reviewer);
    return st;
  }
  return Status::Ok();
}

}  // namespace clee::app
