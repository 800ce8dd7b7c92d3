#include "app/web/connection_hub.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>

#include "app/web/client_view.h"

namespace clee::web {
namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

const char* reason_phrase(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 431: return "Request Header Fields Too Large";
    default: return "Error";
  }
}

// The numeric address and port of a socket's peer (or its own end).
void endpoint(int fd, bool peer, std::string& ip, int& port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  int rc = peer ? getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) : getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  char host[NI_MAXHOST] = "", serv[NI_MAXSERV] = "0";
  if (rc == 0) getnameinfo(reinterpret_cast<sockaddr*>(&addr), len, host, sizeof host, serv, sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV);
  ip = host;
  port = std::atoi(serv);
}

}  // namespace

// One client connection. The fd is closed with it.
struct Conn {
  enum class State { kIdle, kReading, kBusy, kLingering };
  explicit Conn(int f) : fd(f) {}
  ~Conn() { ::close(fd); }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  int fd;
  std::string address;  // canonical peer address: the per-address cap's key
  std::string peer_ip, local_ip;
  int peer_port = 0, local_port = 0;
  State state = State::kIdle;
  double since = 0;  // kIdle: became idle; kReading: first byte of this request; kLingering: began
  uint64_t seq = 0;  // admission order
  std::string in;    // received and not yet served
  size_t scanned = 0;  // bytes of `in` the head scan has seen
  std::optional<HeadScan> head;
  bool continue_sent = false, peer_closed = false, keep = false;
  int served = 0;
  size_t drained = 0;
};

namespace {

// The request a worker runs: reads come from the buffered request, writes go to the socket.
class ConnStream : public httplib::Stream {
 public:
  ConnStream(Conn& c, std::string_view request, double write_seconds) : c_(c), request_(request), write_ms_(static_cast<int>(write_seconds * 1000)) {}
  bool is_readable() const override { return pos_ < request_.size(); }
  bool is_writable() const override {
    pollfd p{c_.fd, POLLOUT, 0};
    return ::poll(&p, 1, write_ms_) > 0 && !(p.revents & (POLLERR | POLLHUP));
  }
  ssize_t read(char* ptr, size_t size) override {
    size_t n = std::min(size, request_.size() - pos_);
    std::memcpy(ptr, request_.data() + pos_, n);
    pos_ += n;
    return static_cast<ssize_t>(n);
  }
  // httplib writes a response a header line at a time: collect, and send in large pieces.
  ssize_t write(const char* ptr, size_t size) override {
    if (failed_) return -1;
    out_.append(ptr, size);
    if (out_.size() >= kFlushBytes && !flush()) return -1;
    return static_cast<ssize_t>(size);
  }
  // Sends what was written; false (and failed()) when the client stopped taking it.
  bool flush() {
    size_t off = 0;
    while (!failed_ && off < out_.size()) {
      if (!is_writable()) failed_ = true;
      ssize_t n = failed_ ? -1 : ::send(c_.fd, out_.data() + off, out_.size() - off, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n < 0 && !failed_ && (errno == EAGAIN || errno == EINTR)) continue;
      if (n <= 0) failed_ = true;
      else off += static_cast<size_t>(n);
    }
    out_.clear();
    return !failed_;
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.peer_ip;
    port = c_.peer_port;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.local_ip;
    port = c_.local_port;
  }
  socket_t socket() const override { return c_.fd; }
  bool failed() const { return failed_; }

 private:
  static constexpr size_t kFlushBytes = 64 * 1024;
  Conn& c_;
  std::string_view request_;
  std::string out_;
  size_t pos_ = 0;
  int write_ms_;
  bool failed_ = false;
};

}  // namespace

class GuardedServer::Hub {
 public:
  Hub(GuardedServer& server, HubLimits limits) : server_(server), limits_(std::move(limits)) {
    wake_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    reactor_ = std::thread([this] { reactor_loop(); });
    for (int i = 0; i < std::max(1, limits_.threads); ++i) workers_.emplace_back([this] { worker_loop(); });
  }
  ~Hub() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
      for (int fd : busy_fds_) ::shutdown(fd, SHUT_RDWR);  // a worker blocked writing gives up now
    }
    wake();
    work_cv_.notify_all();
    reactor_.join();
    for (auto& w : workers_) w.join();
    ::close(wake_);
  }

  // From the accept thread.
  void adopt(int fd) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      accepted_.push_back(fd);
    }
    wake();
  }

  HubStats stats() {
    std::lock_guard<std::mutex> lock(mu_);
    return stats_;
  }

 private:
  void wake() {
    uint64_t one = 1;
    ssize_t n = ::write(wake_, &one, sizeof one);
    (void)n;  // a full counter already wakes the reactor
  }

  // ---- the reactor: every waiting connection ----
  void reactor_loop() {
    std::vector<pollfd> fds;
    std::vector<Conn*> polled;
    for (;;) {
      std::vector<int> accepted;
      std::vector<std::unique_ptr<Conn>> done;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (stopping_) break;
        accepted.swap(accepted_);
        done.swap(done_);
      }
      for (int fd : accepted) admit(fd);
      for (auto& c : done) returned(std::move(c));
      double next = expire(now_seconds());
      fds.assign(1, pollfd{wake_, POLLIN, 0});
      polled.assign(1, nullptr);
      for (auto& [fd, c] : conns_) {
        fds.push_back(pollfd{fd, POLLIN, 0});
        polled.push_back(c.get());
      }
      int timeout = static_cast<int>(std::clamp((next - now_seconds()) * 1000 + 1, 0.0, 1000.0));
      if (::poll(fds.data(), fds.size(), timeout) <= 0) continue;
      if (fds[0].revents) {
        uint64_t v;
        ssize_t n = ::read(wake_, &v, sizeof v);
        (void)n;
      }
      for (size_t i = 1; i < fds.size(); ++i)
        if (fds[i].revents) on_readable(*polled[i]);
    }
    conns_.clear();  // closes every waiting connection
    std::lock_guard<std::mutex> lock(mu_);
    for (int fd : accepted_) ::close(fd);
    accepted_.clear();
    done_.clear();
  }

  void admit(int fd) {
    auto c = std::make_unique<Conn>(fd);
    int one = 1;  // a response goes out in one piece (ConnStream): never hold its tail for an ACK
    (void)::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    endpoint(fd, true, c->peer_ip, c->peer_port);
    endpoint(fd, false, c->local_ip, c->local_port);
    c->address = canonical_ip(c->peer_ip).value_or(c->peer_ip);
    bool capped = limits_.max_connections_per_address > 0 &&
                  std::find(limits_.uncapped.begin(), limits_.uncapped.end(), c->address) == limits_.uncapped.end();
    auto held = per_address_.find(c->address);
    if ((capped && held != per_address_.end() && held->second >= limits_.max_connections_per_address && !evict(&c->address)) ||
        (open_ >= limits_.max_connections && !evict(nullptr))) {
      spdlog::debug("web: connection from {} refused: every connection it may hold is busy", c->address);
      count(&HubStats::refused);
      return;  // closed with c
    }
    c->since = now_seconds();
    c->seq = ++seq_;
    ++per_address_[c->address];
    ++open_;
    set_open();
    conns_[fd] = std::move(c);
  }

  // Closes the oldest waiting connection (lingering first, then idle, then half-read) of
  // `address` (any address when null). False when every one is busy.
  bool evict(const std::string* address) {
    Conn* victim = nullptr;
    auto rank = [](const Conn& c) { return c.state == Conn::State::kLingering ? 0 : c.state == Conn::State::kIdle ? 1 : 2; };
    for (auto& [fd, c] : conns_) {
      if (address && c->address != *address) continue;
      if (!victim || rank(*c) < rank(*victim) || (rank(*c) == rank(*victim) && c->seq < victim->seq)) victim = c.get();
    }
    if (!victim) return false;
    spdlog::debug("web: closing a waiting connection from {} to admit a new one", victim->address);
    count(&HubStats::evicted);
    close_conn(victim->fd);
    return true;
  }

  void close_conn(int fd) {
    auto it = conns_.find(fd);
    if (it == conns_.end()) return;
    forget(*it->second);
    conns_.erase(it);
  }
  void forget(const Conn& c) {
    if (--per_address_[c.address] <= 0) per_address_.erase(c.address);
    --open_;
    set_open();
  }

  // Acts on deadlines; returns the nearest deadline still ahead.
  double expire(double now) {
    double next = now + 1;
    std::vector<int> idle_out, read_out, linger_out;
    for (auto& [fd, c] : conns_) {
      double limit = c->state == Conn::State::kIdle      ? limits_.keep_alive_seconds
                     : c->state == Conn::State::kReading ? limits_.request_seconds
                                                         : limits_.linger_seconds;
      double deadline = c->since + limit;
      if (deadline > now) next = std::min(next, deadline);
      else (c->state == Conn::State::kIdle ? idle_out : c->state == Conn::State::kReading ? read_out : linger_out).push_back(fd);
    }
    for (int fd : idle_out) close_conn(fd);
    for (int fd : linger_out) close_conn(fd);
    for (int fd : read_out) {
      Conn& c = *conns_[fd];
      spdlog::debug("web: request from {} not received within {} s", c.address, limits_.request_seconds);
      count(&HubStats::timed_out);
      refuse(c, 408);
    }
    return next;
  }

  void on_readable(Conn& c) {
    char buf[16384];
    const size_t room_max = limits_.head.max_header_bytes * 2 + limits_.head.max_body_bytes;
    for (;;) {
      size_t want = sizeof buf;
      if (c.state != Conn::State::kLingering) want = std::min(want, room_max - std::min(room_max, c.in.size()));
      if (want == 0) break;
      ssize_t n = ::recv(c.fd, buf, want, MSG_DONTWAIT);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno == EAGAIN) break;
      if (n <= 0) {  // the client closed (or reset) its side
        c.peer_closed = true;
        break;
      }
      if (c.state == Conn::State::kLingering) {
        c.drained += static_cast<size_t>(n);
        if (c.drained > limits_.linger_bytes) return close_conn(c.fd);
        continue;
      }
      if (c.state == Conn::State::kIdle) {
        c.state = Conn::State::kReading;
        c.since = now_seconds();
      }
      c.in.append(buf, static_cast<size_t>(n));
    }
    const bool eof = c.peer_closed;
    const int fd = c.fd;
    if (c.state == Conn::State::kReading && progress(c)) return;  // a worker owns it now
    if (eof) close_conn(fd);
  }

  // Scans what arrived; refuses, waits, or hands a complete request to a worker (true: then
  // `c` is no longer the reactor's to touch).
  bool progress(Conn& c) {
    if (!c.head) {
      // Only a new line can complete the head or add a header; rescanning on every byte of a
      // trickle would cost a slow client's bytes squared.
      bool news = std::memchr(c.in.data() + c.scanned, '\n', c.in.size() - c.scanned) != nullptr;
      if (!news && c.in.size() < limits_.head.max_header_bytes) return false;
      c.scanned = c.in.size();
      HeadScan s = scan_head(c.in, limits_.head);
      if (s.state == HeadScan::State::kIncomplete) return false;
      if (s.state == HeadScan::State::kRefused) {
        spdlog::debug("web: request from {} refused with {}: {}", c.address, s.status, s.reason);
        count(&HubStats::refused);
        refuse(c, s.status);
        return false;
      }
      c.head = s;
    }
    size_t need = c.head->head_bytes + c.head->body_bytes;
    if (c.in.size() < need) {
      if (c.head->expect_continue && !c.continue_sent && !c.peer_closed) {
        static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
        (void)::send(c.fd, kContinue, sizeof kContinue - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
        c.continue_sent = true;
      }
      return false;
    }
    dispatch(c);
    return true;
  }

  // Answers `status` and closes after a moment of reading and dropping what else comes.
  void refuse(Conn& c, int status) {
    std::string body = std::to_string(status) + " " + reason_phrase(status) + "\n";
    std::string r = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) +
                    "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + std::to_string(body.size()) +
                    "\r\nConnection: close\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
                    "Content-Security-Policy: default-src 'none'\r\n\r\n" + body;
    (void)::send(c.fd, r.data(), r.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    linger(c);
  }

  void linger(Conn& c) {
    ::shutdown(c.fd, SHUT_WR);
    c.state = Conn::State::kLingering;
    c.since = now_seconds();
    c.in.clear();
    c.in.shrink_to_fit();
  }

  void dispatch(Conn& c) {
    c.state = Conn::State::kBusy;
    auto it = conns_.find(c.fd);
    std::unique_ptr<Conn> owned = std::move(it->second);
    conns_.erase(it);
    {
      std::lock_guard<std::mutex> lock(mu_);
      busy_fds_.insert(owned->fd);
      work_.push_back(std::move(owned));
      ++stats_.dispatched;
    }
    work_cv_.notify_one();
  }

  // A worker is done with `c`: keep it for its next request, or close it.
  void returned(std::unique_ptr<Conn> c) {
    Conn& ref = *c;
    int fd = c->fd;
    conns_[fd] = std::move(c);
    if (!ref.keep) {
      if (ref.peer_closed) return close_conn(fd);
      return linger(ref);
    }
    ref.since = now_seconds();
    ref.state = ref.in.empty() ? Conn::State::kIdle : Conn::State::kReading;
    if (ref.state == Conn::State::kReading) progress(ref);  // a pipelined request is already here
  }

  // ---- the workers: one complete request at a time ----
  void worker_loop() {
    for (;;) {
      std::unique_ptr<Conn> c;
      {
        std::unique_lock<std::mutex> lock(mu_);
        work_cv_.wait(lock, [this] { return stopping_ || !work_.empty(); });
        if (stopping_) return;  // queued connections are closed with the hub
        c = std::move(work_.front());
        work_.pop_front();
      }
      serve(*c);
      {
        std::lock_guard<std::mutex> lock(mu_);
        busy_fds_.erase(c->fd);
        if (stopping_) return;  // c closes here
        done_.push_back(std::move(c));
      }
      wake();
    }
  }

  void serve(Conn& c) {
    const size_t need = c.head->head_bytes + c.head->body_bytes;
    const bool last = c.served + 1 >= limits_.keep_alive_max_requests || c.head->body_too_large || c.peer_closed;
    ConnStream strm(c, std::string_view(c.in).substr(0, need), limits_.write_seconds);
    bool closed = false, ok = false;
    try {
      ok = server_.handle(strm, last, closed);
    } catch (const std::exception& e) {  // httplib catches handler exceptions; this is a last guard
      spdlog::error("web: request from {} failed: {}", c.address, e.what());
    }
    if (ok) ok = strm.flush();
    ++c.served;
    c.in.erase(0, need);
    c.scanned = 0;
    c.head.reset();
    c.continue_sent = false;
    c.keep = ok && !closed && !last && !strm.failed();
  }

  void count(uint64_t HubStats::*field) {
    std::lock_guard<std::mutex> lock(mu_);
    ++(stats_.*field);
  }
  void set_open() {
    std::lock_guard<std::mutex> lock(mu_);
    stats_.open = open_;
  }

  GuardedServer& server_;
  const HubLimits limits_;
  int wake_ = -1;
  std::thread reactor_;
  std::vector<std::thread> workers_;

  // The reactor's own state (only its thread touches it).
  std::map<int, std::unique_ptr<Conn>> conns_;  // waiting and lingering connections
  std::unordered_map<std::string, int> per_address_;  // open connections per address, busy ones too
  int open_ = 0;
  uint64_t seq_ = 0;

  std::mutex mu_;
  std::condition_variable work_cv_;
  bool stopping_ = false;                       // guarded by mu_
  std::vector<int> accepted_;                   // guarded by mu_
  std::deque<std::unique_ptr<Conn>> work_;      // guarded by mu_
  std::vector<std::unique_ptr<Conn>> done_;     // guarded by mu_
  std::set<int> busy_fds_;                      // guarded by mu_
  HubStats stats_;                              // guarded by mu_
};

// httplib creates a task queue per listen and shuts it down when the listener closes: the hub
// lives exactly as long. Tasks (one per accepted socket) run at once on the accept thread; they
// only hand the socket to the hub.
class GuardedServer::Queue : public httplib::TaskQueue {
 public:
  explicit Queue(GuardedServer& s) : server_(s), hub_(std::make_unique<Hub>(s, s.limits_)) {
    std::lock_guard<std::mutex> lock(server_.mu_);
    server_.hub_ = hub_.get();
  }
  ~Queue() override { shutdown(); }
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(server_.mu_);
      server_.hub_ = nullptr;
    }
    hub_.reset();
  }

 private:
  GuardedServer& server_;
  std::unique_ptr<Hub> hub_;
};

GuardedServer::GuardedServer(HubLimits limits) : limits_(std::move(limits)) {
  // Keep well below the process's file limit: the daemon needs descriptors for its own work.
  rlimit nofile{};
  if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur != RLIM_INFINITY) {
    int room = static_cast<int>(nofile.rlim_cur) - 128;
    if (room > 0 && limits_.max_connections > room) {
      spdlog::warn("web: max_connections {} lowered to {} (the open-file limit is {})", limits_.max_connections, room, nofile.rlim_cur);
      limits_.max_connections = room;
    }
  }
  new_task_queue = [this] { return new Queue(*this); };
}

GuardedServer::~GuardedServer() = default;

HubStats GuardedServer::stats() {
  std::lock_guard<std::mutex> lock(mu_);
  return hub_ ? hub_->stats() : HubStats{};
}

bool GuardedServer::widen_backlog(int backlog) {
  // listen() on a listening socket changes its backlog (Linux, BSD).
  return svr_sock_ != INVALID_SOCKET && ::listen(svr_sock_, backlog) == 0;
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!hub_) {
    ::close(sock);
    return false;
  }
  hub_->adopt(sock);
  return true;
}

bool GuardedServer::handle(httplib::Stream& strm, bool close_connection, bool& connection_closed) {
  return process_request(strm, close_connection, connection_closed, nullptr);
}

}  // namespace clee::web
