// The messages the office sends a provider, made from a packet's record and report, the office's
// templates and the [smtp]/[notify] configuration: a receipt once a packet is checked
// ("complete" or "missing: …"), a request for information (the token in the Subject), the
// approval (CLEE ID, title, hours, approved through, the CLEE roster attached as PDF) and the
// rejection (the reason). Each becomes a notify::OutgoingMessage — the bytes to send, with a
// Message-ID made from what caused it, so the same event never makes a second message:
//   receipt       clee.receipt.PACKET.FILES@DOMAIN   (FILES: how many files the packet has, so a
//                                                     reply that adds files gets a new receipt)
//   request       TOKEN.PACKET.DECISION@DOMAIN       (the token joins the provider's reply)
//   approval      clee.approval.PACKET.DECISION@DOMAIN
//   rejection     clee.rejection.PACKET.DECISION@DOMAIN
// The recipient is the form's contact email, else the From of the email the packet came in (a
// message with no usable address is not queued, and the audit log says why).
#pragma once

#include <optional>
#include <string>

#include "app/config.h"
#include "notify/message.h"
#include "notify/outbox.h"
#include "notify/templates.h"
#include "pipeline/dates.h"
#include "pipeline/rules.h"
#include "queue/store.h"

namespace clee::app {

class Notices {
 public:
  // Loads the templates ([notify] templates over the built-in ones).
  static Result<Notices> make(const Config& config, const RulePack& rules);

  bool receipts() const { return notify_.receipts; }
  const std::string& office_name() const { return office_; }
  // Where every decision republishes the Approved CLEE Courses, and the heading it carries.
  const std::string& publish_dir() const { return publish_dir_; }
  const std::string& jurisdiction() const { return jurisdiction_; }

  // Who a packet's messages go to: the form's contact email, else the sender of the email it
  // came in. `in_reply_to` is that email's Message-ID ("" when none), for threading.
  struct Recipient {
    std::string address, name, in_reply_to;
  };
  std::optional<Recipient> recipient(Store& store, const PacketRecord& packet) const;

  // `after` is the packet as the decision left it (status, CLEE ID, token...); `decision` the
  // decision's number. nullopt from recipient() means: queue nothing.
  Result<notify::OutgoingMessage> receipt(const PacketRecord& after, const Recipient& to, size_t files) const;
  Result<notify::OutgoingMessage> request_info(const PacketRecord& after, const Recipient& to, int64_t decision,
                                               const std::string& message, const std::string& reviewer) const;
  Result<notify::OutgoingMessage> approval(const PacketRecord& after, const Recipient& to, int64_t decision) const;
  Result<notify::OutgoingMessage> rejection(const PacketRecord& after, const Recipient& to, int64_t decision,
                                            const std::string& reason) const;

  // The CLEE roster of an approved packet as PDF (the approval's attachment, `roster --format pdf`).
  Result<std::string> roster(const PacketRecord& approved) const;

 private:
  Notices() = default;
  std::map<std::string, std::string> values(const PacketRecord& p, const Recipient& to) const;
  Result<notify::OutgoingMessage> build(const std::string& template_name, const std::string& kind,
                                        const std::string& message_id_key, const PacketRecord& p, const Recipient& to,
                                        std::map<std::string, std::string> values,
                                        std::vector<notify::Attachment> attachments = {}) const;

  NotifyConfig notify_;
  SmtpConfig smtp_;
  std::string office_, signature_, publish_dir_, jurisdiction_;
  notify::TemplateSet templates_;
};

// Course dates and place from a packet's stored report ("" when the form stated none).
std::string form_dates(const PacketRecord& p);
std::string form_location(const PacketRecord& p);

}  // namespace clee::app
