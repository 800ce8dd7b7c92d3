// Reviewer and intake commands over the durable queue: ingest, queue list, show, approve, reject,
// request-info, retry, catalog, roster, and migrate (the queue to a PostgreSQL store). Every
// decision lands in the audit log.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <mutex>

#include "app/common.h"
#include "app/catalog_export.h"
#include "app/decisions.h"
#include "app/worker_pool.h"
#include "pipeline/report_json.h"
#include "pipeline/summary.h"
#include "queue/exports.h"
#include "queue/migrate.h"
#include "queue/sql.h"

namespace clee::app {
namespace {

Result<std::unique_ptr<Store>> open_store(const Globals& g) { return app::open_store(g.config); }
// For commands that only read: they work on a read-only or full data folder, and create nothing.
Result<std::unique_ptr<Store>> open_store_to_read(const Globals& g) { return app::open_store(g.config, true); }

std::string age(const std::string& received_at) {
  std::tm tm{};
  if (!strptime(received_at.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) return "";
  double secs = std::difftime(std::time(nullptr), timegm(&tm));
  if (secs < 3600) return std::to_string(static_cast<int>(secs / 60)) + "m";
  if (secs < 86400 * 2) return std::to_string(static_cast<int>(secs / 3600)) + "h";
  return std::to_string(static_cast<int>(secs / 86400)) + "d";
}

nlohmann::json record_json(const PacketRecord& r) {
  return {{"id", r.id}, {"status", status_name(r.status)}, {"source", r.source}, {"received_at", r.received_at},
          {"provider", r.provider}, {"title", r.title}, {"hours", r.hours ? nlohmann::json(*r.hours) : nlohmann::json(nullptr)},
          {"verdict", r.verdict ? nlohmann::json(verdict_name(*r.verdict)) : nlohmann::json(nullptr)}, {"missing", r.missing}, {"clee_id", r.clee_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.clee_id)},
          {"expires_on", r.expires_on.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.expires_on)}, {"error", r.error}};
}

// One packet to its end; every failure is a value, an exception included.
Status ingest_one(Store& store, const Pipeline& pipeline, const std::string& path, const std::string& actor,
                  std::mutex& out_mu) {
  return guarded("ingest " + path, [&]() -> Status {
    auto packet = load_packet(path, pipeline.options.extract.limits);
    if (!packet) return packet.error();
    auto done = ingest(store, std::move(*packet), "cli", actor, pipeline);
    if (!done) return done.error();
    std::lock_guard<std::mutex> lock(out_mu);
    std::cout << done->id << "\t" << (done->duplicate ? "duplicate_packet (already queued)" : status_name(done->status)) << "\t"
              << path << std::endl;
    return Status::Ok();
  });
}

// Packets are ingested `--jobs` at a time (default: the daemon's [daemon] workers), each worker on
// its own store connection. Ingesting is bound by the disk's flushes (every original and every
// commit is fsync'd before the next step), not by the CPU: packets in flight overlap those waits.
void add_ingest(CLI::App& app, Globals& g) {
  auto paths = std::make_shared<std::vector<std::string>>();
  auto jobs = std::make_shared<int>(0);
  CLI::App* cmd = app.add_subcommand("ingest", "Store, check and queue packets (folder, .zip, .eml or file)");
  cmd->add_option("packets", *paths, "packets to ingest")->required();
  cmd->add_option("--jobs", *jobs, "packets in flight at once (default: [daemon] workers)")->check(CLI::Range(1, 256));
  cmd->callback([paths, jobs, &g] {
    auto pipeline = make_pipeline(g.config);
    if (!pipeline) return fail(g, pipeline.error(), 2);
    int workers = std::max(1, std::min(*jobs > 0 ? *jobs : g.config.daemon.workers, static_cast<int>(paths->size())));
    WorkerPool pool(workers, [&g] { return open_store(g); });
    if (Status st = pool.start(); !st) return fail(g, st.error());
    std::string actor = std::getenv("USER") ? std::getenv("USER") : "cli";
    std::mutex out_mu;
    std::atomic<size_t> failed{0};
    for (const auto& path : *paths)
      pool.submit([&, path](Store& store) {
        if (Status st = ingest_one(store, **pipeline, path, actor, out_mu); !st) {
          ++failed;
          std::lock_guard<std::mutex> lock(out_mu);
          std::cerr << "clee-intake: " << path << ": " << code_name(st.code()) << ": " << st.error().message << "\n";
        }
      });
    pool.drain();
    pool.stop();
    size_t bad = failed.load();
    std::cerr << "clee-intake: ingest: " << (paths->size() - bad) << " of " << paths->size() << " packet(s) queued"
              << (bad ? ", " + std::to_string(bad) + " FAILED (not queued; run ingest again for them)" : "") << "\n";
    if (bad) g.exit_code = 1;
  });
}

void add_list(CLI::App& app, Globals& g) {
  struct A {
    std::string status;
    bool json = false;
  };
  auto a = std::make_shared<A>();
  CLI::App* queue = app.add_subcommand("queue", "The review queue");
  CLI::App* cmd = queue->add_subcommand("list", "List packets, ready for review first, oldest first");
  queue->require_subcommand(1);
  cmd->add_option("--status", a->status, "only this status")
      ->check(CLI::IsMember({"received", "processing", "ready_for_review", "needs_information", "failed", "approved",
                             "rejected", "info_requested"}));
  cmd->add_flag("--json", a->json, "JSON output");
  cmd->callback([a, &g] {
    auto store = open_store_to_read(g);
    if (!store && store.error().code == Code::kNotFound) {
      // No data folder yet: nothing has been ingested, so the queue is empty (and stays uncreated).
      spdlog::info("{}", store.error().message);
      if (a->json) std::cout << "[]\n";
      else std::printf("(the queue is empty)\n");
      return;
    }
    if (!store) return fail(g, store.error());
    auto rows = (*store)->list(a->status.empty() ? std::nullopt : status_from_name(a->status));
    if (!rows) return fail(g, rows.error());
    if (a->json) {
      nlohmann::json j = nlohmann::json::array();
      for (const auto& r : *rows) j.push_back(record_json(r));
      std::cout << j.dump(2) << "\n";
      return;
    }
    std::printf("%-13s %-18s %-6s %-13s %5s  %-34s %-28s %s\n", "ID", "STATUS", "AGE", "VERDICT", "HOURS", "TITLE",
                "PROVIDER", "MISSING / CLEE ID");
    for (const auto& r : *rows) {
      std::string extra = !r.clee_id.empty() ? r.clee_id : "";
      for (const auto& m : r.missing) extra += (extra.empty() ? "" : ",") + m;
      if (r.status == PacketStatus::kFailed) extra = r.error.substr(0, 60);
      char hours[16] = "";
      if (r.hours) std::snprintf(hours, sizeof hours, "%g", *r.hours);
      std::printf("%-13s %-18s %-6s %-13s %5s  %-34.34s %-28.28s %s\n", r.id.c_str(), status_name(r.status), age(r.received_at).c_str(),
                  r.verdict ? verdict_name(*r.verdict) : "", hours, r.title.c_str(), r.provider.c_str(), extra.c_str());
    }
    if (rows->empty()) std::printf("(the queue is empty)\n");
  });
}

void add_show(CLI::App& app, Globals& g) {
  struct A {
    std::string id, format = "md";
  };
  auto a = std::make_shared<A>();
  CLI::App* cmd = app.add_subcommand("show", "Show a packet's summary");
  cmd->add_option("id", a->id, "packet id (a unique prefix is enough)")->required();
  cmd->add_option("--format", a->format, "md|html|json")->check(CLI::IsMember({"md", "html", "json"}));
  cmd->callback([a, &g] {
    auto store = open_store_to_read(g);
    if (!store) return fail(g, store.error());
    auto id = (*store)->resolve(a->id);
    if (!id) return fail(g, id.error());
    auto rec = (*store)->get(*id);
    if (!rec) return fail(g, rec.error());
    auto audit = (*store)->audit(*id);
    if (a->format == "json") {
      nlohmann::json j = record_json(*rec);
      j["report"] = rec->report;
      j["audit"] = nlohmann::json::array();
      if (audit)
        for (const auto& e : *audit) j["audit"].push_back({{"at", e.at}, {"actor", e.actor}, {"action", e.action}, {"detail", e.detail}});
      std::cout << j.dump(2) << "\n";
      return;
    }
    if (rec->report.is_null()) {
      std::cout << rec->id << ": " << status_name(rec->status) << (rec->error.empty() ? "" : " — " + rec->error) << "\n";
      return;
    }
    auto report = report_from_json(rec->report);
    if (!report) return fail(g, report.error());
    if (a->format == "html") {
      std::cout << render_html(*report);
      return;
    }
    std::cout << "Packet " << rec->id << " — " << status_name(rec->status);
    if (!rec->clee_id.empty()) std::cout << " — " << rec->clee_id << " (expires " << rec->expires_on << ")";
    std::cout << "\n\n" << render_markdown(*report) << "\n## History\n\n";
    if (audit)
      for (const auto& e : *audit) std::cout << "- " << e.at << " " << e.actor << ": " << e.action << " — " << e.detail << "\n";
  });
}

// The office's messages for a decision made from the CLI (nullptr, with a warning, when the
// templates cannot be loaded: the config check refuses that before any command runs).
std::unique_ptr<Notices> cli_notices(const Globals& g, const RulePack& rules) {
  auto n = Notices::make(g.config, rules);
  if (!n) {
    std::cerr << "clee-intake: " << n.error().message << "\n";
    return nullptr;
  }
  return std::make_unique<Notices>(std::move(*n));
}

void add_decisions(CLI::App& app, Globals& g) {
  struct A {
    std::string id, reviewer, reason, message;
    int years = 0, year = 0;
  };
  auto a = std::make_shared<A>();
  CLI::App* approve = app.add_subcommand("approve", "Approve a packet: CLEE ID, expiry, catalog row, the approval email");
  approve->add_option("id", a->id)->required();
  approve->add_option("--reviewer", a->reviewer, "who decides")->required();
  approve->add_option("--year", a->year, "the first year approved (default: the course's year, else this year)");
  approve->add_option("--years", a->years, "years of approval (default from the rule pack)");
  approve->callback([a, &g] {
    auto store = open_store(g);
    if (!store) return fail(g, store.error());
    auto rules = load_rule_pack(g.config);
    if (!rules) return fail(g, rules.error(), 2);
    auto id = (*store)->resolve(a->id);
    if (!id) return fail(g, id.error());
    auto rec = (*store)->get(*id);
    if (!rec) return fail(g, rec.error());
    auto plan = plan_approval(*rec, (*store)->now().substr(0, 10), a->year > 0 ? std::optional<int>(a->year) : std::nullopt,
                              a->years > 0 ? a->years : rules->default_years);
    if (!plan) return fail(g, plan.error(), 2);
    auto notices = cli_notices(g, *rules);
    auto ap = approve_packet(**store, notices.get(), *id, a->reviewer, *plan, *rules);
    if (!ap) return fail(g, ap.error());
    for (const auto& w : plan->warnings) std::cerr << "clee-intake: warning: " << w << "\n";
    std::cout << *id << "\tapproved\t" << ap->clee_id << "\texpires " << ap->expires_on << "\n";
  });
  CLI::App* reject = app.add_subcommand("reject", "Reject a packet, with the reason (emailed to the provider)");
  reject->add_option("id", a->id)->required();
  reject->add_option("--reviewer", a->reviewer)->required();
  reject->add_option("--reason", a->reason)->required();
  reject->callback([a, &g] {
    auto store = open_store(g);
    if (!store) return fail(g, store.error());
    auto id = (*store)->resolve(a->id);
    if (!id) return fail(g, id.error());
    auto rules = load_rule_pack(g.config);
    if (!rules) return fail(g, rules.error(), 2);
    auto notices = cli_notices(g, *rules);
    if (Status st = reject_packet(**store, notices.get(), *id, a->reviewer, a->reason); !st) return fail(g, st.error());
    std::cout << *id << "\trejected\n";
  });
  CLI::App* info = app.add_subcommand("request-info", "Ask the provider for what is missing (queued in the outbox, copy in outbox/)");
  info->add_option("id", a->id)->required();
  info->add_option("--reviewer", a->reviewer)->required();
  info->add_option("--message", a->message, "a note to the provider");
  info->callback([a, &g] {
    auto store = open_store(g);
    if (!store) return fail(g, store.error());
    auto id = (*store)->resolve(a->id);
    if (!id) return fail(g, id.error());
    auto rules = load_rule_pack(g.config);
    if (!rules) return fail(g, rules.error(), 2);
    auto notices = cli_notices(g, *rules);
    auto token = request_information(**store, notices.get(), *id, a->reviewer, a->message);
    if (!token) return fail(g, token.error());
    std::cout << *id << "\tinfo_requested\t" << *token << "\t" << (*store)->data_dir() + "/outbox/" + *id + "-" + *token + ".eml"
              << "\n";
  });
  auto retry_id = std::make_shared<std::string>();
  CLI::App* retry = app.add_subcommand("retry", "Check a failed (or any) packet again");
  retry->add_option("id", *retry_id)->required();
  retry->callback([retry_id, &g] {
    auto pipeline = make_pipeline(g.config);
    if (!pipeline) return fail(g, pipeline.error(), 2);
    auto store = open_store(g);
    if (!store) return fail(g, store.error());
    auto id = (*store)->resolve(*retry_id);
    if (!id) return fail(g, id.error());
    if (Status st = (*store)->retry(*id, "cli"); !st) return fail(g, st.error());
    if (Status st = process(**store, *id, "cli", **pipeline); !st) return fail(g, st.error());
    auto rec = (*store)->get(*id);
    std::cout << *id << "\t" << (rec ? status_name(rec->status) : "") << "\n";
  });
}

void add_catalog(CLI::App& app, Globals& g) {
  struct A {
    std::string format = "csv", as_of, id, roster_format = "html";
  };
  auto a = std::make_shared<A>();
  CLI::App* cmd = app.add_subcommand("catalog", "The Approved CLEE Courses document");
  cmd->add_option("--format", a->format, "csv|html|pdf")->check(CLI::IsMember({"csv", "html", "pdf"}));
  cmd->add_option("--as-of", a->as_of, "date YYYY-MM-DD (default today); expired courses leave the document");
  cmd->callback([a, &g] {
    auto store = open_store_to_read(g);
    if (!store) return fail(g, store.error());
    std::string as_of = a->as_of.empty() ? (*store)->now().substr(0, 10) : a->as_of;
    auto rows = (*store)->catalog(as_of);
    if (!rows) return fail(g, rows.error());
    auto rules = load_rule_pack(g.config);
    std::string jurisdiction = rules ? rules->jurisdiction : "";
    CatalogAreas areas = catalog_areas(**store, *rows);
    if (a->format == "pdf") {
      auto pdf = catalog_pdf(*rows, as_of, jurisdiction);
      if (!pdf) return fail(g, pdf.error());
      std::cout << *pdf;
      return;
    }
    std::cout << (a->format == "csv" ? catalog_csv(*rows, areas) : catalog_html(*rows, as_of, jurisdiction, areas));
  });
  CLI::App* roster = app.add_subcommand("roster", "The CLEE roster form for an approved course");
  roster->add_option("id", a->id)->required();
  roster->add_option("--format", a->roster_format, "html|csv|pdf")->check(CLI::IsMember({"html", "csv", "pdf"}));
  roster->callback([a, &g] {
    auto store = open_store_to_read(g);
    if (!store) return fail(g, store.error());
    auto id = (*store)->resolve(a->id);
    if (!id) return fail(g, id.error());
    auto rec = (*store)->get(*id);
    if (!rec) return fail(g, rec.error());
    if (rec->status != PacketStatus::kApproved) return fail(g, Error{Code::kUsage, *id + " is not approved (" + status_name(rec->status) + ")"});
    if (a->roster_format == "pdf") {
      auto rules = load_rule_pack(g.config);
      if (!rules) return fail(g, rules.error(), 2);
      auto notices = Notices::make(g.config, *rules);
      if (!notices) return fail(g, notices.error(), 2);
      auto pdf = notices->roster(*rec);
      if (!pdf) return fail(g, pdf.error());
      std::cout << *pdf;
      return;
    }
    std::cout << (a->roster_format == "csv" ? roster_csv(*rec) : roster_html(*rec));
  });
}

void print_migration(const MigrationReport& r, const std::string& data_dir) {
  std::printf("%-16s %10s %10s  %-64s\n", "TABLE", "FROM ROWS", "TO ROWS", "SHA256");
  for (size_t i = 0; i < r.from.size(); ++i) {
    const TableDigest& a = r.from[i];
    const TableDigest* b = i < r.to.size() ? &r.to[i] : nullptr;
    bool same = b && a.rows == b->rows && a.sha256 == b->sha256;
    std::printf("%-16s %10llu %10llu  %s  %s\n", a.table.c_str(), static_cast<unsigned long long>(a.rows),
                static_cast<unsigned long long>(b ? b->rows : 0), a.sha256.c_str(), same ? "same" : "DIFFERENT");
    if (b && !same) std::printf("%-16s %10s %10s  %s\n", "", "", "(to)", b->sha256.c_str());
  }
  std::printf("originals: %llu named by packets, %s in %s/objects (not copied: both stores use this folder)\n",
              static_cast<unsigned long long>(r.originals),
              r.originals_missing ? (std::to_string(r.originals_missing) + " of them MISSING").c_str() : "all present",
              data_dir.c_str());
}

// `migrate --from sqlite:PATH --to postgresql://…`: PATH is the data folder (or its clee.sqlite).
void add_migrate(CLI::App& app, Globals& g) {
  struct A {
    std::string from, to;
  };
  auto a = std::make_shared<A>();
  CLI::App* cmd = app.add_subcommand(
      "migrate", "Copy the queue, audit log and catalog from the SQLite store to a PostgreSQL store, verified");
  cmd->add_option("--from", a->from, "sqlite:PATH (the data folder, or its clee.sqlite)")->required();
  cmd->add_option("--to", a->to, "postgresql://user@host:port/db")->required();
  cmd->callback([a, &g] {
    if (a->from.rfind("sqlite:", 0) != 0 || !sql::is_postgres_url(a->to))
      return fail(g, Error{Code::kUsage, "migrate --from sqlite:PATH --to postgresql://user@host:port/db"}, 2);
    std::string dir = a->from.substr(7);
    if (auto info = Env::Default()->stat(dir); info && info->type == FileType::kRegular) {
      if (std::filesystem::path(dir).filename() != "clee.sqlite")
        return fail(g, Error{Code::kUsage, dir + ": give the data folder or its clee.sqlite"}, 2);
      dir = std::filesystem::path(dir).parent_path().string();
      if (dir.empty()) dir = ".";
    }
    StoreOptions source = store_options(g.config), dest = source;
    source.url = "";
    source.read_only = true;  // the source is only read
    dest.url = a->to;
    auto from = Store::open(dir, Env::Default(), source);
    if (!from) return fail(g, from.error());
    auto to = Store::open(dir, Env::Default(), dest);
    if (!to) return fail(g, to.error());
    auto report = migrate_queue(**from, **to);
    if (!report) return fail(g, report.error());
    print_migration(*report, dir);
    if (report->done_before)
      std::printf("already migrated: %s holds this very queue; nothing was written\n", (*to)->where().c_str());
    else
      std::printf("migrated to %s: every count and hash matches. Set store = \"%s\" in the configuration "
                  "(data_dir stays %s) and start the daemons.\n",
                  (*to)->where().c_str(), (*to)->where().c_str(), dir.c_str());
    if (report->originals_missing) g.exit_code = 1;
  });
}

}  // namespace

void add_queue_commands(CLI::App& app, Globals& g) {
  add_ingest(app, g);
  add_list(app, g);
  add_show(app, g);
  add_decisions(app, g);
  add_catalog(app, g);
  add_migrate(app, g);
}

}  // namespace clee::app
