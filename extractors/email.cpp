#include "extractors/email.h"

#include <cstdlib>
#include <memory>
#include <mutex>

#include "base/gmime.h"
#include "extractors/util.h"

namespace clee {
namespace {

void replace_all_in(std::string& s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
}

constexpr size_t kTinyImageBytes = 10 * 1024;  // signature images and logos
// An image embedded in an HTML body (Content-ID, not an attachment, no file name) under this size
// is a logo or a social-media icon; a larger one may be a scan pasted into the mail, and is kept.
constexpr size_t kEmbeddedLogoBytes = 64 * 1024;
constexpr int kMaxMessageDepth = 8;

GPtr<GMimeMessage> parse(std::string_view bytes) {
  gmime_init();
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  return GPtr<GMimeMessage>(g_mime_parser_construct_message(parser.get(), nullptr));
}

std::string part_bytes(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (!content) return {};
  GPtr<GMimeStream> mem(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, mem.get());
  GByteArray* arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
  return std::string(reinterpret_cast<const char*>(arr->data), arr->len);
}

}  // namespace

// Strips tags from an HTML body; good enough for a cover letter (scripts and styles dropped).
std::string html_to_text(std::string_view html) {
  std::string out;
  bool in_tag = false;
  std::string tag;
  bool skip = false;
  for (size_t i = 0; i < html.size(); ++i) {
    char c = html[i];
    if (in_tag) {
      if (c == '>') {
        in_tag = false;
        std::string t;
        for (char ch : tag) t.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
        if (t.rfind("script", 0) == 0 || t.rfind("style", 0) == 0) skip = true;
        if (t.rfind("/script", 0) == 0 || t.rfind("/style", 0) == 0) skip = false;
        if (t.rfind("br", 0) == 0 || t.rfind("/p", 0) == 0 || t.rfind("/div", 0) == 0 ||
            t.rfind("/tr", 0) == 0 || t.rfind("li", 0) == 0 || t.rfind("/h", 0) == 0 || t.rfind("/li", 0) == 0 ||
            t.rfind("/table", 0) == 0)
          out.push_back('\n');
        else if (t.rfind("/td", 0) == 0 || t.rfind("/th", 0) == 0)
          out.push_back('\t');
      } else {
        tag.push_back(c);
      }
    } else if (c == '<') {
      in_tag = true;
      tag.clear();
    } else if (!skip) {
      out.push_back(c);
    }
  }
  // The few named entities a mail client writes; &amp; last, after numeric references.
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (size_t p = out.find(from); p != std::string::npos; p = out.find(from, p + to.size()))
      out.replace(p, from.size(), to);
  };
  replace_all("&nbsp;", " ");
  replace_all("&lt;", "<");
  replace_all("&gt;", ">");
  replace_all("&quot;", "\"");
  replace_all("&#39;", "'");
  replace_all("&apos;", "'");
  // Numeric character references (&#8211; &#x2013;).
  std::string decoded;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '&' && i + 2 < out.size() && out[i + 1] == '#') {
      size_t semi = out.find(';', i);
      if (semi != std::string::npos && semi - i <= 10) {
        bool hex = out[i + 2] == 'x' || out[i + 2] == 'X';
        unsigned long cp = std::strtoul(out.c_str() + i + (hex ? 3 : 2), nullptr, hex ? 16 : 10);
        if (cp >= 0x20 && cp <= 0x10FFFF) {
          append_utf8(decoded, static_cast<char32_t>(cp));
          i = semi;
          continue;
        }
      }
    }
    decoded.push_back(out[i]);
  }
  replace_all_in(decoded, "&amp;", "&");
  return decoded;
}

namespace {

struct Walk {
  const Limits& limits;
  std::vector<ContainedFile> files;
  std::string plain, html;
  uint64_t total = 0;
  std::optional<Error> error;
  int parts = 0;

  void object(GMimeObject* obj, int depth) {
    if (!obj || error) return;
    if (++parts > limits.max_entries) {
      error = Error{Code::kLimitExceeded, "message has more than " + std::to_string(limits.max_entries) + " parts"};
      return;
    }
    if (depth > kMaxMessageDepth) {
      error = Error{Code::kLimitExceeded, "messages nested deeper than " + std::to_string(kMaxMessageDepth)};
      return;
    }
    if (GMIME_IS_MESSAGE_PART(obj)) {
      // A forwarded message: its attachments belong to the packet too.
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
      if (inner) object(g_mime_message_get_mime_part(inner), depth + 1);
      return;
    }
    if (GMIME_IS_MULTIPART(obj)) {
      GMimeMultipart* mp = GMIME_MULTIPART(obj);
      int n = g_mime_multipart_get_count(mp);
      for (int i = 0; i < n; ++i) object(g_mime_multipart_get_part(mp, i), depth);
      return;
    }
    if (!GMIME_IS_PART(obj)) return;
    GMimePart* part = GMIME_PART(obj);
    GMimeContentType* ct = g_mime_object_get_content_type(obj);
    std::string type = ct ? std::string(g_mime_content_type_get_media_type(ct) ? g_mime_content_type_get_media_type(ct) : "") : "";
    std::string sub = ct ? std::string(g_mime_content_type_get_media_subtype(ct) ? g_mime_content_type_get_media_subtype(ct) : "") : "";
    for (auto& ch : type) ch = static_cast<char>(std::tolower(ch));
    for (auto& ch : sub) ch = static_cast<char>(std::tolower(ch));
    const char* fname = g_mime_part_get_filename(part);
    const char* disp = g_mime_object_get_disposition(obj);
    bool attachment = (disp && g_ascii_strcasecmp(disp, "attachment") == 0) || (fname && *fname);
    if (!attachment && type == "text" && (sub == "plain" || sub == "html")) {
      std::string text;
      if (GMIME_IS_TEXT_PART(obj)) {
        char* t = g_mime_text_part_get_text(GMIME_TEXT_PART(obj));  // converted to UTF-8
        if (t) {
          text = t;
          g_free(t);
        }
      } else {
        text = part_bytes(part);
      }
      std::string& into = sub == "plain" ? plain : html;
      if (!into.empty()) into += "\n\n";  // a forwarded message's or a second part's text
      into += sanitize_utf8(text);
      return;
    }
    std::string data = part_bytes(part);
    total += data.size();
    if (data.size() > limits.max_file_bytes || total > limits.max_total_inflated) {
      error = Error{Code::kLimitExceeded, "attachments exceed the size limit"};
      return;
    }
    if (type == "image" && data.size() < kTinyImageBytes) return;  // signature or logo
    const char* cid = g_mime_object_get_content_id(obj);
    bool embedded = cid && *cid && !(disp && g_ascii_strcasecmp(disp, "attachment") == 0) && !(fname && *fname);
    if (type == "image" && embedded && data.size() < kEmbeddedLogoBytes) return;
    if (data.empty()) return;
    std::string label = fname && *fname ? sanitize_utf8(fname) : (type + "/" + sub + " attachment");
    files.push_back({label, std::move(data), "attachment"});
  }
};

std::string header(GMimeObject* obj, const char* name) {
  const char* v = g_mime_object_get_header(obj, name);
  return v ? sanitize_utf8(v) : std::string();
}

}  // namespace

Result<std::vector<ContainedFile>> unpack_email(std::string_view bytes, const Limits& limits) {
  GPtr<GMimeMessage> msg = parse(bytes);
  if (!msg) return Error{Code::kUnreadableDocument, "not a readable email message"};
  Walk walk{limits, {}, {}, {}, 0, std::nullopt, 0};
  walk.object(g_mime_message_get_mime_part(msg.get()), 0);
  if (walk.error) return *walk.error;
  std::string body = !walk.plain.empty() ? walk.plain : html_to_text(walk.html);
  body = tidy_text(body);
  if (!body.empty()) {
    const char* subject = g_mime_message_get_subject(msg.get());
    std::string text = subject ? "Subject: " + sanitize_utf8(subject) + "\n\n" + body : body;
    walk.files.insert(walk.files.begin(), ContainedFile{"message body (cover letter)", text, "body"});
  }
  return walk.files;
}

Result<EmailInfo> parse_email_info(std::string_view bytes) {
  GPtr<GMimeMessage> msg = parse(bytes);
  if (!msg) return Error{Code::kUnreadableDocument, "not a readable email message"};
  EmailInfo info;
  GMimeObject* obj = GMIME_OBJECT(msg.get());
  const char* id = g_mime_message_get_message_id(msg.get());
  info.message_id = id ? sanitize_utf8(id) : "";
  const char* subject = g_mime_message_get_subject(msg.get());
  info.subject = subject ? sanitize_utf8(subject) : "";
  // Addresses through GMime's parser, so encoded-word display names come out decoded.
  auto addresses = [&](InternetAddressList* list, const char* name) {
    if (!list || internet_address_list_length(list) == 0) return header(obj, name);
    char* s = internet_address_list_to_string(list, nullptr, FALSE);
    std::string out = s ? sanitize_utf8(s) : std::string();
    g_free(s);
    return out;
  };
  info.from = addresses(g_mime_message_get_from(msg.get()), "From");
  info.to = addresses(g_mime_message_get_to(msg.get()), "To");
  info.date = header(obj, "Date");
  info.in_reply_to = header(obj, "In-Reply-To");
  std::string refs = header(obj, "References");
  size_t pos = 0;
  while ((pos = refs.find('<', pos)) != std::string::npos) {
    size_t end = refs.find('>', pos);
    if (end == std::string::npos) break;
    info.references.push_back(refs.substr(pos + 1, end - pos - 1));
    pos = end;
  }
  auto strip = [](std::string& s) {
    auto a = s.find('<'), b = s.rfind('>');
    if (a != std::string::npos && b != std::string::npos && b > a) s = s.substr(a + 1, b - a - 1);
  };
  strip(info.in_reply_to);
  return info;
}

}  // namespace clee
