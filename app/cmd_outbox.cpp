// `outbox list|send|retry ID`: the messages the office sends providers (app/notices.h), as the
// queue holds them. `send` sends what is due now and exits (for a timer; the daemon sends on its
// own schedule); `retry ID` makes a failed message due again.
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/common.h"
#include "app/outbox_send.h"

namespace clee::app {
namespace {

// "reply" and "error" are the server's words: printed on one line whatever they hold.
std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return s;
}

void print_entry(const notify::OutboxEntry& e) {
  std::cout << e.id << "\t" << notify::outbox_status_name(e.status) << "\t" << e.message.kind << "\t" << e.packet_id
            << "\t" << e.message.to << "\t" << one_line(e.message.subject) << "\tattempts " << e.attempts;
  if (e.status == notify::OutboxStatus::kSent) std::cout << "\tsent " << e.sent_at << "\t" << one_line(e.server_reply);
  else if (!e.last_error.empty()) std::cout << "\tnext " << e.next_attempt_at << "\t" << one_line(e.last_error);
  std::cout << "\n";
}

Result<std::unique_ptr<Store>> open_store(const Globals& g, bool read_only = false) {
  StoreOptions o = store_options(g.config);
  o.read_only = read_only;
  return Store::open(g.config.data_dir, Env::Default(), o);
}

}  // namespace

void add_outbox_commands(CLI::App& app, Globals& g) {
  struct A {
    std::string status;
    int64_t id = 0;
  };
  auto a = std::make_shared<A>();
  CLI::App* outbox = app.add_subcommand("outbox", "Messages to providers: list, send what is due, retry a failed one");
  outbox->require_subcommand(1);
  CLI::App* list = outbox->add_subcommand("list", "Every message, newest first");
  list->add_option("--status", a->status, "queued|sent|failed")->check(CLI::IsMember({"queued", "sent", "failed"}));
  list->callback([a, &g] {
    auto store = open_store(g, true);
    if (!store) return fail(g, store.error());
    auto rows = (*store)->outbox(a->status.empty() ? std::nullopt : notify::outbox_status_from_name(a->status));
    if (!rows) return fail(g, rows.error());
    for (const auto& e : *rows) print_entry(e);
  });
  CLI::App* send = outbox->add_subcommand("send", "Send the messages that are due, then exit");
  send->callback([&g] {
    auto store = open_store(g);
    if (!store) return fail(g, store.error());
    notify::SendPass p = send_outbox(**store, g.config, sender_name("cli"));
    if (!p.status) return fail(g, p.status.error(), p.status.code() == Code::kInvalidConfig ? 2 : 1);
    std::cout << "sent " << p.sent << "\tdeferred " << p.deferred << "\tfailed " << p.failed << "\n";
  });
  CLI::App* retry = outbox->add_subcommand("retry", "Make a failed message due again");
  retry->add_option("id", a->id, "the message's number (outbox list)")->required();
  retry->callback([a, &g] {
    auto store = open_store(g);
    if (!store) return fail(g, store.error());
    if (Status st = (*store)->retry_message(a->id, "cli"); !st) return fail(g, st.error());
    auto e = (*store)->outbox_entry(a->id);
    if (!e) return fail(g, e.error());
    print_entry(*e);
  });
}

}  // namespace clee::app
