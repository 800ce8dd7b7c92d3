#include "app/notices.h"

#include <cstdio>
#include <ctime>

#include "documents/documents.h"
#include "extractors/email.h"
#include "notify/message.h"

namespace clee::app {
namespace {

using nlohmann::json;

std::string field_text(const PacketRecord& p, const char* key) {
  if (!p.report.is_object() || !p.report.contains("fields")) return "";
  const json& f = p.report["fields"];
  if (!f.contains(key) || !f[key].is_string()) return "";
  return f[key].get<std::string>();
}

std::string instructors(const PacketRecord& p) {
  if (!p.report.is_object() || !p.report.contains("fields")) return "";
  const json& f = p.report["fields"];
  if (!f.contains("instructors") || !f["instructors"].is_array()) return "";
  std::string out;
  for (const auto& i : f["instructors"])
    if (i.is_string()) out += (out.empty() ? "" : ", ") + i.get<std::string>();
  return out;
}

std::string hours_text(const std::optional<double>& h) {
  if (!h) return "not stated";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", *h);
  return buf;
}

std::string missing_label(const std::string& m) {
  if (m == "request_form") return "the completed CLEE Request Form";
  if (m == "course_outline") return "the course outline";
  if (m == "instructor_cv") return "a CV/resume for each instructor";
  return m;
}

std::string type_label(const std::string& t) {
  if (t == "request_form") return "request form";
  if (t == "course_outline") return "course outline";
  if (t == "instructor_cv") return "instructor CV/resume";
  if (t == "cover_letter") return "cover letter";
  return "other document";
}

// "  - NAME (what it is)" per document the report names.
std::string document_list(const PacketRecord& p) {
  std::string out;
  if (!p.report.is_object() || !p.report.contains("documents")) return out;
  for (const auto& d : p.report["documents"]) {
    if (!d.is_object()) continue;
    // Each file with what we took it for, unless its name already says so: a mail's body is
    // named "message body (cover letter)".
    std::string name = d.value("name", std::string()), kind = " (" + type_label(d.value("type", "")) + ")";
    bool said = name.size() >= kind.size() && name.compare(name.size() - kind.size(), kind.size(), kind) == 0;
    out += (out.empty() ? "" : "\n") + ("  - " + name + (said ? "" : kind));
  }
  return out;
}

// Error findings other than the missing documents, each a line: what else must be fixed.
std::string problem_list(const PacketRecord& p) {
  std::string out;
  if (!p.report.is_object() || !p.report.contains("findings")) return out;
  for (const auto& f : p.report["findings"])
    if (f.is_object() && f.value("severity", "") == "error" && f.value("code", "") != "missing_document")
      out += (out.empty() ? "" : "\n") + ("  - " + f.value("message", std::string()));
  return out;
}

std::string pretty_day(const std::string& iso) {
  std::tm tm{};
  if (iso.size() < 10 || !strptime(iso.substr(0, 10).c_str(), "%Y-%m-%d", &tm)) return iso;
  char buf[40];
  std::strftime(buf, sizeof buf, "%B %d, %Y", &tm);
  std::string s = buf;
  if (s.size() > 4 && s[s.find(' ') + 1] == '0') s.erase(s.find(' ') + 1, 1);
  return s;
}

double epoch_of(const std::string& iso) {
  std::tm tm{};
  if (iso.size() < 19 || !strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return static_cast<double>(std::time(nullptr));
  return static_cast<double>(timegm(&tm));
}

}  // namespace

std::string form_dates(const PacketRecord& p) { return field_text(p, "dates"); }
std::string form_location(const PacketRecord& p) { return field_text(p, "location"); }

Result<Notices> Notices::make(const Config& config, const RulePack& rules) {
  Notices n;
  n.notify_ = config.notify;
  n.smtp_ = config.smtp;
  n.office_ = config.notify.office_name.empty() ? rules.jurisdiction : config.notify.office_name;
  n.publish_dir_ = config.notify.publish_dir.empty() ? config.data_dir + "/published" : config.notify.publish_dir;
  n.jurisdiction_ = rules.jurisdiction;
  n.signature_ = config.notify.signature.empty() ? "CLEE training staff\n" + n.office_ : config.notify.signature;
  auto t = notify::TemplateSet::load(config.notify.templates);
  if (!t) return t.error();
  n.templates_ = std::move(*t);
  return n;
}

std::optional<Notices::Recipient> Notices::recipient(Store& store, const PacketRecord& p) const {
  Recipient r;
  // The email the packet came in (a mail packet's original is the whole message).
  if (auto files = store.files(p.id)) {
    for (const auto& f : *files) {
      if (f.label.size() < 4 || f.label.compare(f.label.size() - 4, 4, ".eml") != 0 || !f.refused.empty()) continue;
      auto bytes = store.read_object(f.sha256, 64ull << 20);
      if (!bytes) continue;
      auto info = parse_email_info(*bytes);
      if (!info) continue;
      if (r.in_reply_to.empty()) r.in_reply_to = info->message_id;
      if (r.address.empty())
        if (auto from = notify::parse_mailbox(info->from)) r.address = from->address, r.name = from->name;
      break;
    }
  }
  if (auto form = notify::parse_mailbox(p.contact_email)) r.address = form->address, r.name = p.contact;
  if (r.address.empty()) return std::nullopt;
  // A Message-ID we could not echo safely is simply not threaded.
  for (char c : r.in_reply_to)
    if (!std::isalnum(static_cast<unsigned char>(c)) && std::string_view("._-@+=").find(c) == std::string_view::npos) {
      r.in_reply_to.clear();
      break;
    }
  return r;
}

std::map<std::string, std::string> Notices::values(const PacketRecord& p, const Recipient& to) const {
  std::string dates = form_dates(p), location = form_location(p);
  std::string missing;
  for (const auto& m : p.missing) missing += (missing.empty() ? "" : "\n") + ("  - " + missing_label(m));
  return {{"office_name", office_},
          {"office_signature", signature_},
          {"packet_id", p.id},
          {"course_title", p.title.empty() ? "your course" : p.title},
          {"provider_name", p.provider},
          {"contact_name", p.contact.empty() ? (to.name.empty() ? "training coordinator" : to.name) : p.contact},
          {"received_at", pretty_day(p.received_at)},
          {"documents", document_list(p)},
          {"missing", missing},
          {"problems", problem_list(p)},
          {"token", p.token},
          {"clee_id", p.clee_id},
          {"credit_hours", hours_text(p.hours)},
          {"approved_through", p.expires_on},
          {"approval_year", p.expires_on.substr(0, 4)},
          {"course_dates", dates.empty() ? "not stated on the request form" : dates},
          {"location", location.empty() ? "not stated on the request form" : location}};
}

Result<notify::OutgoingMessage> Notices::build(const std::string& template_name, const std::string& kind,
                                               const std::string& key, const PacketRecord& p, const Recipient& to,
                                               std::map<std::string, std::string> v,
                                               std::vector<notify::Attachment> attachments) const {
  auto from = notify::parse_mailbox(smtp_.from);
  if (!from) from = notify::Mailbox{office_, "clee-intake@localhost.invalid"};
  if (from->name.empty()) from->name = office_;
  notify::Rendered text = notify::render(templates_.get(template_name), v);
  notify::MailMessage m;
  m.from = *from;
  m.to = {{to.name, to.address}};
  if (auto reply = notify::parse_mailbox(smtp_.reply_to)) m.reply_to = *reply;
  m.subject = text.subject;
  // The request's token must be in the Subject, whatever the office's template says: the reply
  // joins its packet by it.
  if (kind == "request_info" && m.subject.find(p.token) == std::string::npos) m.subject = "[" + p.token + "] " + m.subject;
  m.message_id = notify::make_message_id(key, notify::domain_of(from->address));
  m.in_reply_to = to.in_reply_to;
  m.date = epoch_of(p.updated_at);
  m.text = text.body;
  m.html = notify_.html;
  m.attachments = std::move(attachments);
  m.headers = {{"X-CLEE-Packet", p.id}};
  auto mime = notify::build_mime(m);
  if (!mime) return mime.error();
  notify::OutgoingMessage out;
  out.kind = kind;
  out.message_id = m.message_id;
  out.envelope_from = from->address;
  out.recipients = {to.address};
  if (auto bcc = notify::parse_mailbox(smtp_.bcc_archive)) out.recipients.push_back(bcc->address);
  out.to = to.address;
  out.subject = notify::header_text(m.subject, 240);
  out.text = m.text;
  out.mime = std::move(*mime);
  return out;
}

Result<notify::OutgoingMessage> Notices::receipt(const PacketRecord& p, const Recipient& to, size_t files) const {
  bool complete = p.missing.empty() && p.disposition == Disposition::kReadyForReview;
  auto v = values(p, to);
  return build(complete ? "receipt_complete" : "receipt_missing", "receipt",
               "clee.receipt." + p.id + "." + std::to_string(files), p, to, v);
}

Result<notify::OutgoingMessage> Notices::request_info(const PacketRecord& p, const Recipient& to, int64_t decision,
                                                      const std::string& message, const std::string& reviewer) const {
  auto v = values(p, to);
  v["message"] = message;
  v["reviewer"] = reviewer;
  return build("request_info", "request_info", p.token + "." + p.id + "." + std::to_string(decision), p, to, v);
}

Result<notify::OutgoingMessage> Notices::approval(const PacketRecord& p, const Recipient& to, int64_t decision) const {
  auto pdf = roster(p);
  if (!pdf) return pdf.error();
  return build("approval", "approval", "clee.approval." + p.id + "." + std::to_string(decision), p, to, values(p, to),
               {{"CLEE Roster " + p.clee_id + ".pdf", "application/pdf", std::move(*pdf)}});
}

Result<notify::OutgoingMessage> Notices::rejection(const PacketRecord& p, const Recipient& to, int64_t decision,
                                                   const std::string& reason) const {
  auto v = values(p, to);
  v["reason"] = reason;
  return build("rejection", "rejection", "clee.rejection." + p.id + "." + std::to_string(decision), p, to, v);
}

Result<std::string> Notices::roster(const PacketRecord& p) const {
  documents::RosterInfo r;
  r.office_name = office_;
  r.clee_id = p.clee_id;
  r.title = p.title;
  r.provider = p.provider;
  r.hours = hours_text(p.hours);
  r.course_dates = form_dates(p);
  r.location = form_location(p);
  r.instructors = instructors(p);
  r.approved_through = p.expires_on;
  r.issued_on = p.approved_at.substr(0, 10);
  r.rows = notify_.roster_rows;
  return documents::roster_pdf(r);
}

}  // namespace clee::app
