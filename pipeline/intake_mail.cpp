#include "pipeline/intake_mail.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include "base/litter.h"

#include <algorithm>
#include <mutex>
#include <regex>
#include <cstdlib>
#include <sstream>

namespace clee {

namespace {

// The unique part of a Maildir name ("1700000000.M1P1.host:2,S" → "1700000000.M1P1.host").
std::string maildir_unique(const std::string& name) { return name.substr(0, name.find(':')); }

class MaildirSource : public MailSource {
 public:
  MaildirSource(std::string account, std::string dir, uint64_t max_bytes, Env* env)
      : account_(std::move(account)), dir_(std::move(dir)), max_bytes_(max_bytes), env_(env) {}

  Result<std::vector<MailMessage>> fetch(size_t max) override {
    auto list = env_->list_dir(dir_ + "/new");
    if (!list) return list.error();
    std::sort(list->begin(), list->end(), [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
    std::vector<MailMessage> out;
    for (const auto& e : *list) {
      if (out.size() >= max) break;
      if (is_litter_name(e.name)) continue;
      MailMessage m{"maildir:" + account_ + ":" + maildir_unique(e.name), "", "maildir new/" + e.name, e.name, std::nullopt};
      if (e.type == FileType::kSymlink) {
        m.problem = Error{Code::kUnsafeEntry, m.where + ": symbolic link, not followed"};
      } else if (e.type != FileType::kRegular) {
        m.problem = Error{Code::kUnsafeEntry, m.where + ": not a regular file (a folder, device, pipe or socket)"};
      } else {
        auto bytes = env_->read_file(dir_ + "/new/" + e.name, max_bytes_);
        if (!bytes && bytes.error().code == Code::kNotFound) continue;  // taken by another process meanwhile
        if (bytes) m.bytes = std::move(*bytes);
        else m.problem = bytes.error();
      }
      out.push_back(std::move(m));
    }
    return out;
  }

  Status acknowledge(const MailMessage& m) override {
    if (Status s = env_->make_dirs(dir_ + "/cur"); !s) return s;
    Status s = env_->rename_durably(dir_ + "/new/" + m.name, dir_ + "/cur/" + maildir_unique(m.name) + ":2,S");
    // Another process may have acknowledged it first: gone from new/ is what we wanted.
    if (!s && s.code() != Code::kNotFound) return s;
    return Status::Ok();
  }

  Status quarantine(const MailMessage& m, const std::string& reason) override {
    // A Maildir++ folder, so a mail client shows the set-aside messages as the folder "Quarantine".
    std::string q = dir_ + "/.Quarantine";
    for (const char* sub : {"/cur", "/new", "/tmp"})
      if (Status s = env_->make_dirs(q + sub); !s) return s;
    if (!env_->exists(q + "/maildirfolder"))
      if (Status s = env_->write_durably(q + "/maildirfolder", ""); !s) return s;
    std::string unique = maildir_unique(m.name);
    if (Status s = env_->write_durably(q + "/" + unique + ".reason.txt", reason + "\n"); !s) return s;
    // Unseen (no S flag) so a person notices it; the reason file says why it is there.
    Status s = env_->rename_durably(dir_ + "/new/" + m.name, q + "/cur/" + unique + ":2,");
    if (!s && s.code() != Code::kNotFound) return s;
    return Status::Ok();
  }

 private:
  std::string account_, dir_;
  uint64_t max_bytes_;
  Env* env_;
};

size_t append(char* p, size_t size, size_t n, void* out) {
  auto* s = static_cast<std::string*>(out);
  s->append(p, size * n);
  return size * n;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};

// IMAP with libcurl: one easy handle, commands issued as custom requests so we control exactly
// what touches the mailbox (BODY.PEEK never sets \Seen; only STORE after commit does).
class ImapSource : public MailSource {
 public:
  explicit ImapSource(ImapAccount a) : a_(std::move(a)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    // "imaps://host:993/INBOX" → base "imaps://host:993/", folder "INBOX".
    size_t scheme = a_.url.find("://");
    size_t slash = a_.url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    base_ = slash == std::string::npos ? a_.url + "/" : a_.url.substr(0, slash + 1);
    folder_ = slash == std::string::npos || slash + 1 >= a_.url.size() ? "INBOX" : a_.url.substr(slash + 1);
  }

  Result<std::vector<MailMessage>> fetch(size_t max) override {
    auto select = command(base_ + folder_, "EXAMINE " + folder_);
    if (!select) return select.error();
    std::smatch m;
    static const std::regex validity(R"(UIDVALIDITY (\d+))");
    std::string uidvalidity = std::regex_search(*select, m, validity) ? m.str(1) : "0";
    auto search = command(base_ + folder_, "UID SEARCH UNKEYWORD $CleeIntake UNKEYWORD $CleeQuarantine");
    if (!search) return search.error();
    std::vector<std::string> uids;
    static const std::regex line(R"(\* SEARCH([ 0-9]*))");
    if (std::regex_search(*search, m, line)) {
      std::istringstream ss(m.str(1));
      std::string uid;
      while (ss >> uid) uids.push_back(uid);
    }
    std::vector<MailMessage> out;
    for (const auto& uid : uids) {
      if (out.size() >= max) break;
      MailMessage msg{"imap:" + a_.name + ":" + folder_ + ":" + uidvalidity + ":" + uid, "", "imap UID " + uid, uid, std::nullopt};
      auto body = fetch_uid(uid);
      if (body) msg.bytes = std::move(*body);
      else msg.problem = body.error();
      out.push_back(std::move(msg));
    }
    return out;
  }

  Status acknowledge(const MailMessage& msg) override {
    auto r = command(base_ + folder_, "UID STORE " + msg.name + " +FLAGS ($CleeIntake \\Seen)");
    if (!r) return r.error();
    return Status::Ok();
  }

  // IMAP has no place for a reason beside a message: the reason goes to the log, the keyword
  // keeps the message out of later passes (remove it by hand to have it taken again).
  Status quarantine(const MailMessage& msg, const std::string& reason) override {
    spdlog::warn("imap {}: UID {} set aside ($CleeQuarantine): {}", a_.name, msg.name, reason);
    auto r = command(base_ + folder_, "UID STORE " + msg.name + " +FLAGS ($CleeQuarantine)");
    if (!r) return r.error();
    return Status::Ok();
  }

 private:
  std::unique_ptr<CURL, CurlDeleter> handle() {
    std::unique_ptr<CURL, CurlDeleter> c(curl_easy_init());
    curl_easy_setopt(c.get(), CURLOPT_USERNAME, a_.user.c_str());
    curl_easy_setopt(c.get(), CURLOPT_PASSWORD, a_.password.c_str());
    curl_easy_setopt(c.get(), CURLOPT_TIMEOUT, a_.timeout_seconds);
    curl_easy_setopt(c.get(), CURLOPT_CONNECTTIMEOUT, 20L);
    curl_easy_setopt(c.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c.get(), CURLOPT_PROTOCOLS_STR, "imap,imaps");
    curl_easy_setopt(c.get(), CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(a_.max_message_bytes));
    if (a_.insecure_tls) {
      curl_easy_setopt(c.get(), CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(c.get(), CURLOPT_SSL_VERIFYHOST, 0L);
    }
    return c;
  }

  // Runs one IMAP command; the untagged responses come back as text. libcurl hands the whole
  // server dialogue (literals included) to the header callback and repeats the first response line
  // as the body; `dialogue_only` returns just the former, so a FETCH literal appears exactly once.
  Result<std::string> command(const std::string& url, const std::string& cmd, bool dialogue_only = false) {
    auto c = handle();
    std::string out, headers;
    curl_easy_setopt(c.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(c.get(), CURLOPT_CUSTOMREQUEST, cmd.c_str());
    curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, append);
    curl_easy_setopt(c.get(), CURLOPT_WRITEDATA, &out);
    curl_easy_setopt(c.get(), CURLOPT_HEADERFUNCTION, append);
    curl_easy_setopt(c.get(), CURLOPT_HEADERDATA, dialogue_only ? &headers : &out);
    CURLcode rc = curl_easy_perform(c.get());
    if (rc != CURLE_OK) return Error{Code::kMailError, a_.name + ": " + cmd.substr(0, cmd.find(' ')) + ": " + curl_easy_strerror(rc)};
    return dialogue_only ? headers : out;
  }

  // UID FETCH n BODY.PEEK[]: PEEK leaves \Seen alone, so the mailbox is untouched until the
  // packet is committed. The message arrives as an IMAP literal: "* 1 FETCH (UID n BODY[] {size}".
  Result<std::string> fetch_uid(const std::string& uid) {
    auto raw = command(base_ + folder_, "UID FETCH " + uid + " BODY.PEEK[]", true);
    if (!raw) return raw.error();
    static const std::regex literal(R"(BODY\[\] \{(\d+)\}\r?\n)");
    std::smatch m;
    if (!std::regex_search(*raw, m, literal)) return Error{Code::kMailError, "FETCH returned no message"};
    uint64_t size = std::strtoull(m.str(1).c_str(), nullptr, 10);  // no throw: saturates at ULLONG_MAX
    size_t start = static_cast<size_t>(m.position(0) + m.length(0));
    if (size > a_.max_message_bytes) return Error{Code::kLimitExceeded, "message larger than the limit"};
    if (start + size > raw->size()) return Error{Code::kMailError, "FETCH returned a truncated message"};
    return raw->substr(start, size);
  }

  ImapAccount a_;
  std::string base_, folder_;
};

}  // namespace

std::unique_ptr<MailSource> make_maildir_source(const std::string& account, const std::string& maildir,
                                                uint64_t max_message_bytes, Env* env) {
  return std::make_unique<MaildirSource>(account, maildir, max_message_bytes, env);
}

std::unique_ptr<MailSource> make_imap_source(const ImapAccount& account) { return std::make_unique<ImapSource>(account); }

}  // namespace clee
