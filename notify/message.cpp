#include "notify/message.h"

#include <cctype>
#include <memory>
#include <mutex>

#include "base/gmime.h"
#include "base/html.h"

namespace clee::notify {
namespace {

struct FormatOptionsFree {
  void operator()(GMimeFormatOptions* o) const { g_mime_format_options_free(o); }
};

// The plain text as HTML: escaped, each line ended with <br>.
std::string escape_html(const std::string& s) {
  std::string out;
  for (char c : html_escape(s)) {
    if (c == '\r') continue;
    if (c == '\n') out += "<br>\n";
    else out.push_back(c);
  }
  return out;
}

// A text part, quoted-printable: lines stay short and 7-bit whatever the text holds.
GMimeObject* text_part(const char* subtype, const std::string& text) {
  GMimeTextPart* part = g_mime_text_part_new_with_subtype(subtype);
  g_mime_text_part_set_text(part, text.c_str());
  g_mime_text_part_set_charset(part, "utf-8");
  g_mime_part_set_content_encoding(GMIME_PART(part), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  return GMIME_OBJECT(part);
}

GMimeObject* attachment_part(const Attachment& a) {
  std::string type = a.mime_type.empty() ? "application/octet-stream" : a.mime_type;
  size_t slash = type.find('/');
  std::string major = slash == std::string::npos ? "application" : type.substr(0, slash);
  std::string minor = slash == std::string::npos ? "octet-stream" : type.substr(slash + 1);
  GMimePart* part = g_mime_part_new_with_type(major.c_str(), minor.c_str());
  g_mime_part_set_filename(part, header_text(a.filename, 120).c_str());
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(a.bytes.data(), a.bytes.size()));
  GPtr<GMimeDataWrapper> content(g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
  g_mime_part_set_content(part, content.get());
  g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
  return GMIME_OBJECT(part);
}

// The body: text (or text + HTML alternative), then the attachments in a multipart/mixed.
GMimeObject* body(const MailMessage& m) {
  GMimeObject* content = text_part("plain", m.text);
  if (m.html) {
    GMimeMultipart* alt = g_mime_multipart_new_with_subtype("alternative");
    g_mime_multipart_add(alt, content);
    g_object_unref(content);
    std::string html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><div style=\"font-family:sans-serif\">" +
                       escape_html(m.text) + "</div></body></html>\n";
    GMimeObject* h = text_part("html", html);
    g_mime_multipart_add(alt, h);
    g_object_unref(h);
    content = GMIME_OBJECT(alt);
  }
  if (m.attachments.empty()) return content;
  GMimeMultipart* mixed = g_mime_multipart_new_with_subtype("mixed");
  g_mime_multipart_add(mixed, content);
  g_object_unref(content);
  for (const auto& a : m.attachments) {
    GMimeObject* p = attachment_part(a);
    g_mime_multipart_add(mixed, p);
    g_object_unref(p);
  }
  return GMIME_OBJECT(mixed);
}

bool safe_id_part(const std::string& s) {
  if (s.empty() || s.size() > 200) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') return false;
  return true;
}

bool valid_message_id(const std::string& id) {
  size_t at = id.find('@');
  return at != std::string::npos && id.find('@', at + 1) == std::string::npos && safe_id_part(id.substr(0, at)) &&
         safe_id_part(id.substr(at + 1));
}

Status add_mailbox(GMimeMessage* msg, GMimeAddressType type, const Mailbox& mb) {
  if (!valid_address(mb.address)) return Error{Code::kUsage, "not a usable email address: " + header_text(mb.address, 80)};
  g_mime_message_add_mailbox(msg, type, header_text(mb.name, 120).c_str(), mb.address.c_str());
  return Status::Ok();
}

}  // namespace

std::string header_text(const std::string& value, size_t max) {
  std::string out;
  for (char c : value) {
    unsigned char u = static_cast<unsigned char>(c);
    bool space = u < 0x20 || u == 0x7f || c == ' ';
    if (space) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > max) {
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
    out.resize(cut);
  }
  return out;
}

bool valid_address(const std::string& a) {
  if (a.size() < 3 || a.size() > 254) return false;
  size_t at = a.find('@');
  if (at == 0 || at == std::string::npos || at + 1 >= a.size() || a.find('@', at + 1) != std::string::npos) return false;
  for (char c : a) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return false;  // no spaces, controls or 8-bit in an envelope
    if (std::string_view("<>()[]\\,;:\"").find(c) != std::string_view::npos) return false;
  }
  std::string domain = a.substr(at + 1);
  return domain.find('.') != std::string::npos && domain.front() != '.' && domain.back() != '.' &&
         domain.find("..") == std::string::npos;
}

std::optional<Mailbox> parse_mailbox(const std::string& text) {
  std::string t = text.substr(0, 1000);
  // The first of several ("a@x; b@y", "a@x, b@y", one per line).
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == ';' || t[i] == '\n' || t[i] == '\r' || (t[i] == ',' && t.find('@') < i)) {
      t.resize(i);
      break;
    }
  }
  Mailbox mb;
  size_t lt = t.find('<'), gt = t.rfind('>');
  std::string addr = t;
  if (lt != std::string::npos && gt != std::string::npos && gt > lt) {
    addr = t.substr(lt + 1, gt - lt - 1);
    mb.name = header_text(t.substr(0, lt), 120);
    while (!mb.name.empty() && mb.name.front() == '"') mb.name.erase(0, 1);
    while (!mb.name.empty() && (mb.name.back() == '"' || mb.name.back() == ' ')) mb.name.pop_back();
  }
  addr = header_text(addr, 254);
  if (addr.rfind("mailto:", 0) == 0) addr = addr.substr(7);
  while (!addr.empty() && (addr.back() == '.' || addr.back() == ' ')) addr.pop_back();
  while (!addr.empty() && addr.front() == ' ') addr.erase(0, 1);
  if (!valid_address(addr)) return std::nullopt;
  mb.address = addr;
  return mb;
}

std::string domain_of(const std::string& address) {
  size_t at = address.rfind('@');
  return at == std::string::npos ? "" : address.substr(at + 1);
}

std::string make_message_id(const std::string& key, const std::string& domain) {
  std::string left;
  for (char c : key.substr(0, 160))
    left.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ? c : '-');
  std::string right;
  for (char c : domain.substr(0, 120))
    right.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ? c : '-');
  if (left.empty()) left = "clee";
  if (right.empty()) right = "clee-intake.invalid";
  return left + "@" + right;
}

Result<std::string> build_mime(const MailMessage& m) {
  gmime_init();
  if (!valid_message_id(m.message_id)) return Error{Code::kUsage, "not a usable Message-ID: " + header_text(m.message_id, 80)};
  if (!m.in_reply_to.empty() && !valid_message_id(m.in_reply_to))
    return Error{Code::kUsage, "not a usable In-Reply-To: " + header_text(m.in_reply_to, 80)};
  if (m.to.empty()) return Error{Code::kUsage, "a message needs a recipient"};
  GPtr<GMimeMessage> msg(g_mime_message_new(TRUE));
  if (Status st = add_mailbox(msg.get(), GMIME_ADDRESS_TYPE_FROM, m.from); !st) return st.error();
  for (const auto& to : m.to)
    if (Status st = add_mailbox(msg.get(), GMIME_ADDRESS_TYPE_TO, to); !st) return st.error();
  if (m.reply_to)
    if (Status st = add_mailbox(msg.get(), GMIME_ADDRESS_TYPE_REPLY_TO, *m.reply_to); !st) return st.error();
  g_mime_message_set_subject(msg.get(), header_text(m.subject, 240).c_str(), "utf-8");
  g_mime_message_set_message_id(msg.get(), m.message_id.c_str());
  GDateTime* date = g_date_time_new_from_unix_utc(static_cast<gint64>(m.date));
  g_mime_message_set_date(msg.get(), date);
  g_date_time_unref(date);
  GMimeObject* obj = GMIME_OBJECT(msg.get());
  if (!m.in_reply_to.empty()) {
    std::string ref = "<" + m.in_reply_to + ">";
    g_mime_object_set_header(obj, "In-Reply-To", ref.c_str(), nullptr);
    g_mime_object_set_header(obj, "References", ref.c_str(), nullptr);
  }
  for (const auto& [name, value] : m.headers) {
    bool ok = !name.empty() && name.size() < 60;
    for (char c : name) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-');
    if (!ok) return Error{Code::kUsage, "not a header name: " + header_text(name, 60)};
    g_mime_object_set_header(obj, name.c_str(), header_text(value, 400).c_str(), "utf-8");
  }
  GMimeObject* b = body(m);
  g_mime_message_set_mime_part(msg.get(), b);
  g_object_unref(b);
  std::unique_ptr<GMimeFormatOptions, FormatOptionsFree> opts(g_mime_format_options_new());
  g_mime_format_options_set_newline_format(opts.get(), GMIME_NEWLINE_FORMAT_DOS);
  char* text = g_mime_object_to_string(obj, opts.get());
  if (!text) return Error{Code::kInternal, "GMime could not write the message"};
  std::string out(text);
  g_free(text);
  return out;
}

}  // namespace clee::notify
