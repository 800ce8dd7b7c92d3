// The web server's front door: an httplib::Server whose connections are not handed to worker
// threads until a whole request has arrived. cpp-httplib gives each accepted connection a pool
// thread that then waits on the socket: 8 idle or half-open connections hold the 8 threads and
// every other request waits for their timeouts; a client that trickles one byte per read timeout
// keeps its thread forever. Here one thread polls every open connection (waiting ones cost a
// file descriptor and a small buffer, no thread), checks each request head as it arrives
// (request_head.h: bytes, header count, body length), and gives a worker only a complete request
// with its body, which httplib then routes and answers as usual (handlers, error pages, default
// headers are httplib's). Limits:
//   - a head (and body) must arrive within `request_seconds` of its first byte, else 408;
//   - an idle keep-alive connection is closed after `keep_alive_seconds`, a connection after
//     `keep_alive_max_requests` requests;
//   - one client address holds at most `max_connections_per_address` connections and the server
//     `max_connections`; at the cap the oldest waiting connection (idle first) is closed to admit
//     the new one, so a flood from one address cannot keep a request from that address or any
//     other from being read;
//   - a response write that makes no progress for `write_seconds` fails.
// Refusals are answered by the hub itself (400, 408, 411, 414, 415, 431) followed by a lingering
// close (the rest of the request is read and dropped for a moment so the answer is not lost to a
// reset).
//
// Threads: httplib's accept loop hands sockets over (process_and_close_socket); one poll thread
// owns every waiting connection; `threads` workers run httplib's request processing. A
// connection belongs to exactly one of them at a time.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "app/web/request_head.h"

namespace clee::web {

struct HubLimits {
  HeadLimits head;
  int max_connections = 512;
  int max_connections_per_address = 32;  // 0: no per-address cap
  std::vector<std::string> uncapped;     // canonical addresses with only the total cap (trusted proxies)
  int threads = 8;
  int keep_alive_max_requests = 100;
  double keep_alive_seconds = 5;
  double request_seconds = 10;
  double write_seconds = 10;
  double linger_seconds = 2;
  size_t linger_bytes = 4u << 20;  // read and dropped at most, after a refusal
};

struct HubStats {
  int open = 0;  // connections open now (waiting, busy and lingering)
  uint64_t refused = 0, evicted = 0, timed_out = 0, dispatched = 0;
};

class GuardedServer : public httplib::Server {
 public:
  explicit GuardedServer(HubLimits limits);
  ~GuardedServer() override;
  GuardedServer(const GuardedServer&) = delete;
  GuardedServer& operator=(const GuardedServer&) = delete;

  // Counters since the server started listening (zero when not listening).
  HubStats stats();
  // After bind: lets `backlog` connections wait for accept (httplib listens with 5, so a burst
  // of connections overflows the queue and clients wait a second or more to retry their SYN).
  bool widen_backlog(int backlog);

 private:
  class Hub;
  class Queue;
  // Called by httplib's accept loop for every accepted socket: the hub takes it.
  bool process_and_close_socket(socket_t sock) override;
  // For the hub's workers: httplib's processing of one complete, buffered request.
  bool handle(httplib::Stream& strm, bool close_connection, bool& connection_closed);

  HubLimits limits_;
  std::mutex mu_;
  Hub* hub_ = nullptr;  // guarded by mu_; set while listening (owned by the task queue)
};

}  // namespace clee::web
