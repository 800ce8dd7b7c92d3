#include "app/config.h"

#include "base/toml_reader.h"
#include "notify/message.h"
#include "notify/smtp.h"
#include "notify/templates.h"
#include "queue/sql.h"

namespace clee::app {
namespace {

#define TRY(expr)                \
  do {                           \
    if (Status s_ = (expr); !s_) \
      return s_;                 \
  } while (0)

constexpr uint64_t kTiB = 1ull << 40;

Status read_limits(const TomlTable& t, Limits& l) {
  TRY(t.check_keys({"max_file_bytes", "max_pages", "max_image_pixels", "max_entry_bytes", "max_compression_ratio",
                    "max_total_inflated", "max_entries", "max_depth", "max_seconds", "max_memory_bytes"}));
  TRY(t.get("max_file_bytes", &l.max_file_bytes, 1024, kTiB));
  TRY(t.get("max_pages", &l.max_pages, 1, 1'000'000));
  TRY(t.get("max_image_pixels", &l.max_image_pixels, 10'000, 10'000'000'000ull));
  TRY(t.get("max_entry_bytes", &l.max_entry_bytes, 1024, kTiB));
  TRY(t.get("max_compression_ratio", &l.max_compression_ratio, 1.0, 1e6));
  TRY(t.get("max_total_inflated", &l.max_total_inflated, 1024, kTiB));
  TRY(t.get("max_entries", &l.max_entries, 1, 10'000'000));
  TRY(t.get("max_depth", &l.max_depth, 1, 32));
  TRY(t.get("max_seconds", &l.max_seconds, 0.1, 86400.0));
  TRY(t.get("max_memory_bytes", &l.max_memory_bytes, 64ull << 20, kTiB));
  return Status::Ok();
}

Status read_extract(const TomlTable& t, Config& c) {
  TRY(t.check_keys({"isolate", "ocr", "ocr_language", "ocr_threads", "min_chars_per_page"}));
  TRY(t.get("isolate", &c.isolate));
  TRY(t.get("ocr", &c.ocr));
  TRY(t.get("ocr_language", &c.ocr_language));
  if (c.ocr_language.empty() || c.ocr_language.find_first_not_of("abcdefghijklmnopqrstuvwxyz_+") != std::string::npos)
    return t.error("ocr_language", "[extract] ocr_language must be Tesseract language codes like \"eng\" or \"eng+spa\"");
  TRY(t.get("ocr_threads", &c.ocr_threads, 0, 256));
  TRY(t.get("min_chars_per_page", &c.min_chars_per_page, 0, 100000));
  return Status::Ok();
}

Status read_inbox(const TomlTable& t, InboxConfig& i) {
  TRY(t.check_keys({"path", "poll", "stability_seconds", "rescan_seconds", "delete_processed", "rules"}));
  TRY(t.get("path", &i.path));
  TRY(t.get("rules", &i.rules));
  if (i.path.empty()) return t.error("path", "[inbox] needs a path");
  TRY(t.get("poll", &i.poll));
  TRY(t.get("stability_seconds", &i.stability_seconds, 0.0, 3600.0));
  TRY(t.get("rescan_seconds", &i.rescan_seconds, 0.1, 86400.0));
  TRY(t.get("delete_processed", &i.delete_processed));
  return Status::Ok();
}

Status read_daemon(const TomlTable& t, DaemonConfig& d) {
  TRY(t.check_keys({"workers", "mail_interval_seconds", "max_attempts", "retry_initial_seconds", "retry_max_seconds",
                    "lease_seconds"}));
  TRY(t.get("workers", &d.workers, 1, 256));
  TRY(t.get("mail_interval_seconds", &d.mail_interval_seconds, 1.0, 86400.0));
  TRY(t.get("max_attempts", &d.max_attempts, 1, 1000));
  TRY(t.get("retry_initial_seconds", &d.retry_initial_seconds, 0.01, 86400.0));
  TRY(t.get("retry_max_seconds", &d.retry_max_seconds, 0.01, 7 * 86400.0));
  TRY(t.get("lease_seconds", &d.lease_seconds, 5.0, 86400.0));
  if (d.retry_max_seconds < d.retry_initial_seconds)
    return t.error("retry_max_seconds", "[daemon] retry_max_seconds must not be less than retry_initial_seconds");
  return Status::Ok();
}

Status read_mail(const TomlTable& t, MailAccount& m) {
  TRY(t.check_keys({"name", "maildir", "url", "user", "password", "insecure_tls", "rules"}));
  TRY(t.get("rules", &m.rules));
  TRY(t.get("name", &m.name));
  TRY(t.get("maildir", &m.maildir));
  TRY(t.get("url", &m.url));
  TRY(t.get("user", &m.user));
  TRY(t.get("password", &m.password));
  TRY(t.get("insecure_tls", &m.insecure_tls));
  if (m.name.empty() || m.maildir.empty() == m.url.empty())
    return t.error("name", "a [[mail]] account needs a name and exactly one of maildir or url");
  if (!m.url.empty() && m.url.rfind("imap://", 0) != 0 && m.url.rfind("imaps://", 0) != 0)
    return t.error("url", "[[mail]] url must start with imap:// or imaps://");
  return Status::Ok();
}

// A password file holds the password on its first line (a trailing newline is not part of it).
Status read_password_file(const TomlTable& t, SmtpConfig& s) {
  // Through the Env: never a link, never a huge file.
  auto bytes = Env::Default()->read_file(s.password_file, 64 * 1024);
  if (!bytes) return t.error("password_file", "[smtp] password_file " + s.password_file + " cannot be read: " + bytes.error().message);
  std::string line = bytes->substr(0, bytes->find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty() || line.size() > 1024)
    return t.error("password_file", "[smtp] password_file " + s.password_file + " holds no password on its first line");
  s.password = line;
  return Status::Ok();
}

Status read_smtp(const TomlTable& t, SmtpConfig& s) {
  TRY(t.check_keys({"url", "user", "password", "password_file", "from", "reply_to", "bcc_archive", "ca_file",
                    "connect_timeout_seconds", "timeout_seconds", "send_interval_seconds", "retry_initial_seconds",
                    "retry_max_seconds", "give_up_hours"}));
  for (auto [key, out] : {std::pair{"url", &s.url}, {"user", &s.user}, {"password", &s.password},
                          {"password_file", &s.password_file}, {"from", &s.from}, {"reply_to", &s.reply_to},
                          {"bcc_archive", &s.bcc_archive}, {"ca_file", &s.ca_file}})
    TRY(t.get(key, out));
  if (s.url.empty()) return t.error("url", "[smtp] needs a url: smtp://host:port (STARTTLS) or smtps://host:port");
  if (Status st = notify::check_smtp_url(s.url); !st) return t.error("url", st.error().message);
  if (!s.password.empty() && !s.password_file.empty())
    return t.error("password_file", "[smtp] takes password or password_file, not both");
  if (!s.password_file.empty()) TRY(read_password_file(t, s));
  if (!s.user.empty() && s.password.empty()) return t.error("user", "[smtp] user needs a password or password_file");
  if (!notify::parse_mailbox(s.from)) return t.error("from", "[smtp] needs from = \"Office name <address@domain>\"");
  if (!s.reply_to.empty() && !notify::parse_mailbox(s.reply_to)) return t.error("reply_to", "[smtp] reply_to is not an email address");
  if (!s.bcc_archive.empty() && !notify::parse_mailbox(s.bcc_archive))
    return t.error("bcc_archive", "[smtp] bcc_archive is not an email address");
  TRY(t.get("connect_timeout_seconds", &s.connect_timeout_seconds, 1.0, 600.0));
  TRY(t.get("timeout_seconds", &s.timeout_seconds, 1.0, 3600.0));
  TRY(t.get("send_interval_seconds", &s.send_interval_seconds, 1.0, 86400.0));
  TRY(t.get("retry_initial_seconds", &s.retry_initial_seconds, 1.0, 86400.0));
  TRY(t.get("retry_max_seconds", &s.retry_max_seconds, 1.0, 7 * 86400.0));
  TRY(t.get("give_up_hours", &s.give_up_hours, 0.01, 24 * 60.0));
  if (s.retry_max_seconds < s.retry_initial_seconds)
    return t.error("retry_max_seconds", "[smtp] retry_max_seconds must not be less than retry_initial_seconds");
  return Status::Ok();
}

Status read_notify(const TomlTable& t, NotifyConfig& n) {
  TRY(t.check_keys({"office_name", "signature", "templates", "receipts", "html", "roster_rows", "publish_dir"}));
  TRY(t.get("office_name", &n.office_name));
  TRY(t.get("signature", &n.signature));
  TRY(t.get("templates", &n.templates));
  TRY(t.get("receipts", &n.receipts));
  TRY(t.get("html", &n.html));
  TRY(t.get("roster_rows", &n.roster_rows, 1, 500));
  TRY(t.get("publish_dir", &n.publish_dir));
  if (!n.templates.empty())
    if (auto set = notify::TemplateSet::load(n.templates); !set) return t.error("templates", set.error().message);
  return Status::Ok();
}

Status read_config(const TomlTable& top, Config& c) {
  TRY(top.check_keys({"data_dir", "store", "rules", "limits", "extract", "inbox", "mail", "daemon", "web", "smtp", "notify"}));
  TRY(top.get("data_dir", &c.data_dir));
  if (c.data_dir.empty()) return top.error("data_dir", "data_dir must not be empty");
  TRY(top.get("store", &c.store));
  if (Status st = check_store_url(c.store); !st) return top.error("store", st.error().message);
  TRY(top.get("rules", &c.rules));
  auto limits = top.table("limits");
  if (!limits) return limits.error();
  if (*limits) TRY(read_limits(**limits, c.limits));
  auto extract = top.table("extract");
  if (!extract) return extract.error();
  if (*extract) TRY(read_extract(**extract, c));
  auto inbox = top.table("inbox");
  if (!inbox) return inbox.error();
  if (*inbox) TRY(read_inbox(**inbox, c.inbox));
  auto daemon = top.table("daemon");
  if (!daemon) return daemon.error();
  if (*daemon) TRY(read_daemon(**daemon, c.daemon));
  auto mail = top.tables("mail");
  if (!mail) return mail.error();
  for (const auto& m : *mail) {
    MailAccount account;
    TRY(read_mail(m, account));
    for (const auto& other : c.mail)
      if (other.name == account.name) return m.error("name", "two [[mail]] accounts are named '" + account.name + "'");
    c.mail.push_back(std::move(account));
  }
  auto w = top.table("web");
  if (!w) return w.error();
  if (*w) TRY(web::read_web_table(**w, c.web));
  auto smtp = top.table("smtp");
  if (!smtp) return smtp.error();
  if (*smtp) TRY(read_smtp(**smtp, c.smtp));
  auto n = top.table("notify");
  if (!n) return n.error();
  if (*n) TRY(read_notify(**n, c.notify));
  return Status::Ok();
}

#undef TRY

}  // namespace

Status check_store_url(const std::string& url) {
  if (url.empty() || sql::is_postgres_url(url)) return Status::Ok();
  // The value is not echoed: it may hold a password.
  return Error{Code::kInvalidConfig, "store must be a PostgreSQL URL, postgresql://user@host:port/db (leave it out "
                                     "for the SQLite queue in data_dir)"};
}

Result<Config> load_config(const std::string& path) {
  Config c;
  if (path.empty()) return c;
  auto parsed = parse_toml_file(path, Code::kInvalidConfig);
  if (!parsed) return parsed.error();
  c.path = path;
  if (Status s = read_config(TomlTable(path, *parsed, "the top level", Code::kInvalidConfig), c); !s) return s.error();
  return c;
}

}  // namespace clee::app
