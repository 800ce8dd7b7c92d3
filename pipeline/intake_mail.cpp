#include "pipeline/intake_mail.h"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>

namespace clee {
namespace fs = std::filesystem;

namespace {

class MaildirSource : public MailSource {
 public:
  MaildirSource(std::string account, std::string dir) : account_(std::move(account)), dir_(std::move(dir)) {}

  Result<std::vector<MailMessage>> fetch(size_t max) override {
    std::vector<MailMessage> out;
    std::error_code ec;
    std::vector<fs::path> names;
    for (fs::directory_iterator it(fs::path(dir_) / "new", ec), end; !ec && it != end; it.increment(ec))
      if (it->is_regular_file() && it->path().filename().string()[0] != '.') names.push_back(it->path());
    if (ec) return Error{Code::kIoError, dir_ + "/new: " + ec.message()};
    std::sort(names.begin(), names.end());
    for (const auto& p : names) {
      if (out.size() >= max) break;
      std::ifstream in(p, std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      std::string base = p.filename().string();
      out.push_back({"maildir:" + account_ + ":" + base.substr(0, base.find(':')), ss.str(), "maildir new/" + base});
    }
    return out;
  }

  Status acknowledge(const MailMessage& m) override {
    std::string base = m.where.substr(std::string("maildir new/").size());
    std::string unique = base.substr(0, base.find(':'));
    fs::path from = fs::path(dir_) / "new" / base;
    fs::path to = fs::path(dir_) / "cur" / (unique + ":2,S");
    std::error_code ec;
    fs::create_directories(fs::path(dir_) / "cur", ec);
    fs::rename(from, to, ec);
    if (ec && ec != std::errc::no_such_file_or_directory)
      return Error{Code::kIoError, "cannot move " + from.string() + " to cur/: " + ec.message()};
    return Status::Ok();
  }

 private:
  std::string account_, dir_;
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
    auto search = command(base_ + folder_, "UID SEARCH UNKEYWORD $CleeIntake");
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
      auto body = fetch_uid(uid);
      if (!body) {
        spdlog::warn("imap {}: UID {}: {}", a_.name, uid, body.error().message);
        continue;
      }
      out.push_back({"imap:" + a_.name + ":" + folder_ + ":" + uidvalidity + ":" + uid, std::move(*body), "imap UID " + uid});
    }
    return out;
  }

  Status acknowledge(const MailMessage& msg) override {
    std::string uid = msg.key.substr(msg.key.rfind(':') + 1);
    auto r = command(base_ + folder_, "UID STORE " + uid + " +FLAGS ($CleeIntake \\Seen)");
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
    uint64_t size = std::stoull(m.str(1));
    size_t start = static_cast<size_t>(m.position(0) + m.length(0));
    if (size > a_.max_message_bytes) return Error{Code::kLimitExceeded, "message larger than the limit"};
    if (start + size > raw->size()) return Error{Code::kMailError, "FETCH returned a truncated message"};
    return raw->substr(start, size);
  }

  ImapAccount a_;
  std::string base_, folder_;
};

}  // namespace

std::unique_ptr<MailSource> make_maildir_source(const std::string& account, const std::string& maildir) {
  return std::make_unique<MaildirSource>(account, maildir);
}

std::unique_ptr<MailSource> make_imap_source(const ImapAccount& account) { return std::make_unique<ImapSource>(account); }

}  // namespace clee
