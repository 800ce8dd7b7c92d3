#include "app/decisions.h"

#include <spdlog/spdlog.h>

#include <ctime>

#include "app/catalog_export.h"
#include "pipeline/dates.h"
#include "queue/exports.h"

namespace clee::app {
namespace {

// One message for the packet as the decision left it, or a note (for the audit log) saying why
// none goes: no address to send it to.
template <typename Make>
Result<Store::Composed> compose_one(Store& store, const Notices* notices, const PacketRecord& after, Make make) {
  Store::Composed out;
  auto to = notices->recipient(store, after);
  if (!to) {
    out.notes.push_back("no email address for the provider (none on the form, and the packet did not come by email)");
    return out;
  }
  auto m = make(*to);
  if (!m) return m.error();
  out.messages.push_back(std::move(*m));
  return out;
}

// After a decision committed: the static export folder shows the catalog as it now stands.
void republish(Store& store, const Notices* notices) {
  if (!notices) return;
  if (Status st = publish_catalog(store, notices->publish_dir(), notices->jurisdiction()); !st)
    spdlog::error("publishing the Approved CLEE Courses to {}: {}", notices->publish_dir(), st.error().message);
}

}  // namespace

Result<ApprovalPlan> plan_approval(const PacketRecord& p, const std::string& today, std::optional<int> year, int years) {
  auto day = parse_iso_date(today);
  if (!day) return Error{Code::kInternal, "today is not a date: " + today};
  if (years < 1 || years > 10) return Error{Code::kUsage, "years must be between 1 and 10"};
  ApprovalPlan plan;
  plan.course_dates = form_dates(p);
  CivilDate reference = parse_iso_date(p.received_at).value_or(*day);
  CourseDates dates = parse_course_dates(plan.course_dates, reference);
  plan.default_year = default_approval_year(dates, *day);
  plan.year = year.value_or(plan.default_year);
  if (plan.year < day->year || plan.year > day->year + 5)
    return Error{Code::kUsage, "the approval year must be from " + std::to_string(day->year) + " to " +
                                   std::to_string(day->year + 5) + ", not " + std::to_string(plan.year)};
  plan.years = years;
  CivilDate through{plan.year + years - 1, 12, 31};
  plan.expires_on = through.iso();
  // The period runs from the day of approval (or January 1 of a later year) to its end.
  CivilDate from = plan.year > day->year ? CivilDate{plan.year, 1, 1} : *day;
  plan.warnings = dates_outside(dates, from, through);
  return plan;
}

Result<Approval> approve_packet(Store& store, const Notices* notices, const std::string& id,
                                const std::string& reviewer, const ApprovalPlan& plan, const RulePack& rules) {
  Store::Compose compose;
  if (notices)
    compose = [&](const PacketRecord& after, int64_t decision) {
      return compose_one(store, notices, after, [&](const Notices::Recipient& to) { return notices->approval(after, to, decision); });
    };
  for (const auto& w : plan.warnings) spdlog::warn("packet {}: {}", id, w);
  auto a = store.approve(id, reviewer, Store::ApprovalTerm{plan.year, plan.years}, rules, compose);
  if (a) republish(store, notices);
  return a;
}

Status reject_packet(Store& store, const Notices* notices, const std::string& id, const std::string& reviewer,
                     const std::string& reason) {
  Store::Compose compose;
  if (notices)
    compose = [&](const PacketRecord& after, int64_t decision) {
      return compose_one(store, notices, after,
                         [&](const Notices::Recipient& to) { return notices->rejection(after, to, decision, reason); });
    };
  Status st = store.reject(id, reviewer, reason, compose);
  if (st) republish(store, notices);
  return st;
}

Result<std::string> request_information(Store& store, const Notices* notices, const std::string& id,
                                        const std::string& reviewer, const std::string& message) {
  std::string mime;
  Store::Compose compose;
  if (notices)
    compose = [&](const PacketRecord& after, int64_t decision) -> Result<Store::Composed> {
      auto c = compose_one(store, notices, after, [&](const Notices::Recipient& to) {
        return notices->request_info(after, to, decision, message, reviewer);
      });
      if (c && !c->messages.empty()) mime = c->messages.front().mime;
      return c;
    };
  auto token = store.request_info(id, reviewer, message, compose);
  if (!token) return token.error();
  republish(store, notices);
  if (mime.empty()) {
    // No address (or no notices): the prepared email is still kept for the reviewer to forward.
    auto rec = store.get(id);
    if (!rec) return rec.error();
    std::time_t t = static_cast<std::time_t>(store.env()->now_seconds());
    char date[64];
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", std::gmtime(&t));
    mime = information_request_eml(*rec, *token, message, reviewer, date);
  }
  std::string path = store.data_dir() + "/outbox/" + id + "-" + *token + ".eml";
  if (Status st = store.env()->write_durably(path, mime); !st) return st.error();
  return *token;
}

Store::Compose receipt_composer(Store& store, const Notices* notices) {
  if (!notices || !notices->receipts()) return {};
  return [&store, notices](const PacketRecord& after, int64_t) -> Result<Store::Composed> {
    auto files = store.files(after.id);
    size_t n = files ? files->size() : 0;
    auto c = compose_one(store, notices, after, [&](const Notices::Recipient& to) { return notices->receipt(after, to, n); });
    // A receipt that cannot be made never holds up the report it is about.
    if (!c) {
      spdlog::warn("packet {}: no receipt: {}", after.id, c.error().message);
      Store::Composed none;
      none.notes.push_back("receipt not made: " + c.error().message);
      return none;
    }
    return c;
  };
}

}  // namespace clee::app
