#include "notify/smtp.h"

#include <curl/curl.h>

#include <cstring>
#include <memory>
#include <mutex>

namespace clee::notify {
namespace {

void init_curl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlFree {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistFree {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

// What the exchange looked like, from libcurl's debug callback: the verb of the last command
// we sent (never its arguments: AUTH carries the password), the server's reply lines to it, and
// whether the message body went out.
struct Transcript {
  std::string command;
  std::vector<std::string> reply;  // lines of the reply to `command`
  bool data_sent = false;
  bool quitting = false;
  bool reply_done = true;  // the last reply is complete: the next line in starts a new one
  const std::string* body = nullptr;
  size_t offset = 0;  // how much of *body the read callback has handed out
};

int on_debug(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  auto* t = static_cast<Transcript*>(user);
  std::string s(data, size);
  if (type == CURLINFO_HEADER_OUT) {
    size_t end = s.find_first_of(" \r\n");
    std::string verb = s.substr(0, end);
    for (char& c : verb) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    // A line that is no verb is an AUTH exchange's continuation (credentials): never kept.
    static const char* kVerbs[] = {"EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "RSET", "NOOP", "VRFY"};
    bool known = false;
    for (const char* v : kVerbs) known = known || verb == v;
    if (verb == "QUIT") t->quitting = true;  // the farewell after a failure must not hide its reply
    if (known) t->command = verb;
    t->reply_done = true;
  } else if (type == CURLINFO_DATA_OUT) {
    t->data_sent = true;
  } else if (type == CURLINFO_HEADER_IN && !t->quitting) {
    size_t start = 0;
    while (start < s.size()) {
      size_t nl = s.find('\n', start);
      std::string line = s.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
      while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
      if (!line.empty()) {
        if (t->reply_done) t->reply.clear();
        if (t->reply.size() < 20) t->reply.push_back(line.substr(0, 500));
        // "250-…" continues a reply; "250 …" ends it.
        t->reply_done = line.size() < 4 || line[3] != '-';
      }
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }
  return 0;
}

size_t on_read(char* buffer, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transcript*>(user);
  size_t room = size * n, left = t->body->size() - t->offset;
  size_t take = std::min(room, left);
  std::memcpy(buffer, t->body->data() + t->offset, take);
  t->offset += take;
  return take;
}

std::string reply_text(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) {
    if (!out.empty()) out += " ";
    // "250-PIPELINING" / "550 5.1.1 …": keep the code once, then the words.
    out += out.empty() ? l : (l.size() > 4 ? l.substr(4) : l);
  }
  return out;
}

}  // namespace

const char* outcome_name(SendOutcome o) {
  switch (o) {
    case SendOutcome::kSent: return "sent";
    case SendOutcome::kRetry: return "retry";
    case SendOutcome::kPermanent: return "permanent";
  }
  return "retry";
}

Status check_smtp_url(const std::string& url) {
  bool plain = url.rfind("smtp://", 0) == 0, tls = url.rfind("smtps://", 0) == 0;
  if (!plain && !tls) return Error{Code::kInvalidConfig, "[smtp] url must start with smtp:// (STARTTLS) or smtps://"};
  std::string rest = url.substr(plain ? 7 : 8);
  if (rest.empty() || rest[0] == '/' || rest[0] == ':')
    return Error{Code::kInvalidConfig, "[smtp] url needs a host: smtp://host:port"};
  for (char c : rest)
    if (static_cast<unsigned char>(c) <= 0x20 || c == '@')
      return Error{Code::kInvalidConfig, "[smtp] url must be smtp://host:port (the user and password are separate keys)"};
  return Status::Ok();
}

SendOutcome classify(int curl_code, const std::string& command, bool data_sent, int code) {
  if (curl_code == CURLE_OK) return SendOutcome::kSent;
  bool about_message = data_sent || command == "MAIL" || command == "RCPT" || command == "DATA";
  if (about_message && code >= 500 && code < 600) return SendOutcome::kPermanent;
  return SendOutcome::kRetry;
}

SendResult SmtpSender::send(const std::string& envelope_from, const std::vector<std::string>& recipients,
                            const std::string& message) {
  init_curl();
  SendResult r;
  if (Status st = check_smtp_url(options_.url); !st) {
    r.error = st.error().message;
    return r;
  }
  std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
  if (!curl) {
    r.error = "libcurl could not start";
    return r;
  }
  std::unique_ptr<curl_slist, SlistFree> rcpt;
  for (const auto& a : recipients) rcpt.reset(curl_slist_append(rcpt.release(), ("<" + a + ">").c_str()));
  Transcript t;
  t.body = &message;
  char errbuf[CURL_ERROR_SIZE] = "";
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  // smtp:// must upgrade with STARTTLS; a server that does not offer it is refused.
  curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (!options_.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, options_.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, ("<" + envelope_from + ">").c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
  curl_easy_setopt(c, CURLOPT_READDATA, &t);
  curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);  // feeds the debug callback; it never prints
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, &t);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout_seconds * 1000));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout_seconds * 1000));
  CURLcode rc = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  r.code = static_cast<int>(code);
  r.reply = reply_text(t.reply);
  r.outcome = classify(rc, t.command, t.data_sent, r.code);
  if (rc != CURLE_OK) {
    r.error = std::string(errbuf[0] ? errbuf : curl_easy_strerror(rc));
    if (!t.command.empty()) r.error += " (after " + t.command + ")";
    if (!r.reply.empty()) r.error += ": " + r.reply;
  }
  return r;
}

}  // namespace clee::notify
