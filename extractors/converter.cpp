// LibreOffice converter (converter.h).
#include "extractors/converter.h"

#include <signal.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <thread>

#include "extractors/util.h"

namespace clee {
namespace {

constexpr int kRestartExit = 81;  // soffice.bin asks its launcher to start it again (a new profile)

// The profile's security settings, written before LibreOffice first reads it: no macros, and no
// linked images or objects fetched from places the document names.
const char* kRegistry = R"(<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseSystemFileDialog" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
)";

struct Server {
  std::thread thread;
  std::atomic<bool> done{false};
  ChildResult result;  // written by the thread before `done`
  std::string pidfile, lock;
  double started = 0;
  int jobs = 0;
  bool ready = false;  // it has opened the placeholder: conversions may be handed to it
};

}  // namespace

struct Converter::Impl {
  Env* env;
  ConverterOptions opt;
  std::mutex mu;
  bool probed = false;
  std::string program, base, profile;
  bool have_setsid = false, have_unshare = false;
  int counter = 0;
  std::unique_ptr<FileLock> owner;  // held while this converter lives: its folder is not stale
  std::unique_ptr<Server> server;
  Stats stats;

  bool probe();
  void clean_stale(const std::string& dir);
  std::vector<std::string> wrap(const std::string& pidfile, const std::vector<std::string>& args) const;
  long read_pid(const std::string& pidfile);  // 0 when absent, empty or not a pid
  bool kill_group(const std::string& pidfile);  // false when there was no pid to kill
  void start_server(const Limits& limits);
  bool wait_ready(const Limits& limits);
  void stop_server();
  Result<std::string> run(std::string_view bytes, std::string_view from, std::string_view to, const Limits& limits);
};

bool Converter::Impl::probe() {
  if (probed) return !program.empty();
  probed = true;
  for (const std::string& p : {opt.program, std::string("/usr/lib/libreoffice/program/soffice.bin"),
                               std::string("/opt/libreoffice/program/soffice.bin"), std::string("/usr/lib64/libreoffice/program/soffice.bin")})
    if (!p.empty() && env->exists(p)) {
      program = p;
      break;
    }
  if (program.empty()) return false;
  have_setsid = env->exists("/usr/bin/setsid");
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = !opt.work_dir.empty() ? opt.work_dir : (tmp && *tmp ? tmp : "/tmp");
  clean_stale(dir);
  static std::atomic<int> instances{0};
  base = dir + "/clee-lo-" + std::to_string(::getpid()) + "-" + std::to_string(instances++);
  profile = base + "/profile";
  if (Status s = env->make_dirs(base); !s) {
    spdlog::warn("converter: cannot make its folder: {}", s.error().message);
    program.clear();
    return false;
  }
  auto lock = env->lock_file(base + "/owner.lock");
  if (!lock) {
    spdlog::warn("converter: cannot lock its folder: {}", lock.error().message);
    program.clear();
    return false;
  }
  owner = std::move(*lock);
  for (const char* sub : {"/home", "/tmp", "/profile/user"})
    if (Status s = env->make_dirs(base + sub); !s) {
      spdlog::warn("converter: cannot make its folder: {}", s.error().message);
      program.clear();
      return false;
    }
  if (Status s = env->write_durably(profile + "/user/registrymodifications.xcu", kRegistry); !s)
    spdlog::warn("converter: profile settings not written: {}", s.error().message);
  // No network for LibreOffice when the kernel lets us make a network namespace unprivileged.
  if (env->exists("/usr/bin/unshare")) {
    ChildSpec probe_spec;
    probe_spec.argv = {"/usr/bin/unshare", "-rn", "--", "/bin/true"};
    probe_spec.wall_seconds = 10;
    ChildResult r = env->run_child(probe_spec);
    have_unshare = r.started && r.exit_code == 0;
  }
  if (!have_unshare) spdlog::warn("converter: no network namespace available; LibreOffice runs with the network");
  spdlog::debug("converter: {} in {}{}", program, base, have_unshare ? " (no network)" : "");
  return true;
}

// Folders left by a process that died without cleaning up (its owner lock is free again: the
// kernel released it with the process): kill the LibreOffice still running from them (found by
// the pid files inside, confirmed by a command line that names the folder) and remove them.
void Converter::Impl::clean_stale(const std::string& dir) {
  auto entries = env->list_dir(dir);
  if (!entries) return;
  for (const auto& e : *entries) {
    if (e.type != FileType::kDirectory || e.name.rfind("clee-lo-", 0) != 0) continue;
    std::string path = dir + "/" + e.name;
    auto lock = env->lock_file(path + "/owner.lock");
    if (!lock) continue;  // busy: its converter is alive (or the folder is not ours to judge)
    if (auto files = env->list_dir(path)) {
      for (const auto& f : *files) {
        if (f.name.size() < 5 || f.name.substr(f.name.size() - 4) != ".pid") continue;
        auto text = env->read_file(path + "/" + f.name, 64);
        long pid = text ? std::strtol(text->c_str(), nullptr, 10) : 0;
        if (pid <= 1) continue;
        auto cmdline = env->read_file("/proc/" + std::to_string(pid) + "/cmdline", 1 << 16);
        if (cmdline && cmdline->find(path) != std::string::npos) {
          ::kill(-static_cast<pid_t>(pid), SIGKILL);
          ::kill(static_cast<pid_t>(pid), SIGKILL);
        }
      }
    }
    lock->reset();
    (void)env->remove_all(path);
  }
}

// The command line that runs LibreOffice: in its own session (so the whole process group can be
// killed), its pid written to `pidfile`, without network, with a private HOME and TMPDIR.
std::vector<std::string> Converter::Impl::wrap(const std::string& pidfile, const std::vector<std::string>& args) const {
  std::vector<std::string> argv;
  if (have_setsid) argv.push_back("/usr/bin/setsid");
  // The pid file appears whole (written aside, then renamed): a reader never sees it empty.
  for (const char* a : {"/bin/sh", "-c", "echo $$ > \"$0.new\" && mv -f \"$0.new\" \"$0\"; exec \"$@\""}) argv.push_back(a);
  argv.push_back(pidfile);
  if (have_unshare)
    for (const char* a : {"/usr/bin/unshare", "-rn", "--"}) argv.push_back(a);
  for (const std::string& a : {std::string("/usr/bin/env"), "HOME=" + base + "/home", "TMPDIR=" + base + "/tmp",
                               std::string("SAL_USE_VCLPLUGIN=svp"), program})
    argv.push_back(a);
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

long Converter::Impl::read_pid(const std::string& pidfile) {
  auto text = env->read_file(pidfile, 64);
  long pid = text ? std::strtol(text->c_str(), nullptr, 10) : 0;
  return pid > 1 ? pid : 0;
}

bool Converter::Impl::kill_group(const std::string& pidfile) {
  long pid = read_pid(pidfile);
  if (pid == 0) return false;
  if (have_setsid) ::kill(-static_cast<pid_t>(pid), SIGKILL);
  ::kill(static_cast<pid_t>(pid), SIGKILL);
  return true;
}

// Starts the warm instance in the background, after a conversion that ran on its own: that one
// made the profile (a new profile makes soffice.bin exit asking for a restart) and nobody waits
// for this start; the next conversion waits until the instance is ready.
void Converter::Impl::start_server(const Limits& limits) {
  auto s = std::make_unique<Server>();
  std::string keep = base + "/keep.txt";
  s->lock = base + "/.~lock.keep.txt#";
  (void)env->write_durably(keep, "placeholder that keeps the converter's LibreOffice running\n");
  (void)env->remove(s->lock);  // left by an instance that was killed
  s->pidfile = base + "/server-" + std::to_string(++counter) + ".pid";
  s->started = env->monotonic_seconds();
  ChildSpec spec;
  spec.argv = wrap(s->pidfile, {"-env:UserInstallation=file://" + profile, "--headless", "--invisible", "--nologo",
                                "--norestore", "--nolockcheck", keep});
  spec.wall_seconds = opt.lifetime_seconds + 60;  // a safety net; it is normally stopped before
  spec.max_memory_bytes = limits.max_memory_bytes;
  spec.max_cpu_seconds = static_cast<uint64_t>(opt.lifetime_seconds);
  spec.max_output_bytes = 16u << 20;
  Server* raw = s.get();
  Env* e = env;
  s->thread = std::thread([raw, e, spec] {
    raw->result = e->run_child(spec);
    raw->done = true;
  });
  server = std::move(s);
  ++stats.starts;
}

// LibreOffice handles a conversion handed to it before it has opened the placeholder, then finds
// no document open and quits. It locks the placeholder once open: wait for that.
bool Converter::Impl::wait_ready(const Limits& limits) {
  if (server->ready) return true;
  double deadline = env->monotonic_seconds() + std::max(30.0, limits.max_seconds);
  while (!server->done && !env->exists(server->lock) && env->monotonic_seconds() < deadline) env->sleep_for(0.02);
  server->ready = !server->done && env->exists(server->lock);
  return server->ready;
}

void Converter::Impl::stop_server() {
  if (!server) return;
  if (server->done) {  // it ended by itself: say how
    const ChildResult& r = server->result;
    spdlog::info("converter: LibreOffice instance ended by itself after {} conversions (exit {}, signal {}){}{}",
                 server->jobs, r.exit_code, r.signal, r.errors.empty() ? "" : ": ", sanitize_utf8(r.errors.substr(0, 300)));
  } else {
    // Its shell writes the pid file as it starts: give a just-started instance that moment. Then
    // kill it until its thread sees it gone: the join below waits for that, and an instance
    // missed here would hold it for the instance's whole lifetime (lifetime_seconds + 60).
    double until = env->monotonic_seconds() + 10;
    while (!server->done && env->monotonic_seconds() < until) {
      if (kill_group(server->pidfile)) until = std::min(until, env->monotonic_seconds() + 5);
      env->sleep_for(0.02);
    }
    if (!server->done) spdlog::warn("converter: the LibreOffice instance did not stop when killed; waiting for it");
  }
  if (server->thread.joinable()) server->thread.join();
  (void)env->remove(server->pidfile);
  server.reset();
}

Result<std::string> Converter::Impl::run(std::string_view bytes, std::string_view from, std::string_view to,
                                          const Limits& limits) {
  if (!probe())
    return Error{Code::kUnsupportedFormat, "reading ." + std::string(from) + " files needs LibreOffice, which is not installed"};
  if (server) {
    bool retire = server->done || server->jobs >= opt.max_jobs ||
                  env->monotonic_seconds() - server->started > opt.lifetime_seconds - limits.max_seconds;
    if (retire || !wait_ready(limits)) stop_server();  // this conversion runs on its own, the next gets a new one
  }
  std::string job = base + "/job-" + std::to_string(++counter);
  std::string in = job + "/in." + std::string(from), out_dir = job + "/out";
  if (Status s = env->make_dirs(out_dir); !s) return s.error();
  if (Status s = env->write_durably(in, bytes); !s) return s.error();
  ChildSpec spec;
  spec.argv = wrap(job + "/client.pid", {"-env:UserInstallation=file://" + profile, "--headless", "--norestore",
                                         "--nologo", "--nolockcheck", "--convert-to", std::string(to), "--outdir", out_dir, in});
  spec.wall_seconds = limits.max_seconds;
  spec.max_memory_bytes = limits.max_memory_bytes;
  spec.max_cpu_seconds = static_cast<uint64_t>(limits.max_seconds) + 5;
  spec.max_output_bytes = 1u << 20;
  Stopwatch clock;
  ChildResult r = env->run_child(spec);
  if (r.exit_code == kRestartExit) r = env->run_child(spec);  // a first start on a new profile
  // "txt:Text (encoded):UTF8" names a filter after the extension.
  std::string ext(to.substr(0, to.find(':')));
  std::string out_file = out_dir + "/in." + ext;
  Result<std::string> result = Error{Code::kInternal, ""};
  if (r.timed_out) {
    kill_group(job + "/client.pid");
    stop_server();  // the instance doing the work is stuck: replace it
    result = Error{Code::kLimitExceeded, "LibreOffice took longer than " + std::to_string(static_cast<int>(limits.max_seconds)) +
                                             " s to convert it"};
  } else if (!r.started) {
    result = Error{Code::kUnsupportedFormat, "LibreOffice could not be started: " + sanitize_utf8(r.errors)};
  } else if (auto data = env->read_file(out_file, limits.max_file_bytes)) {
    result = std::move(*data);
  } else if (data.error().code == Code::kLimitExceeded) {
    result = data.error();
  } else {
    // Nothing written: a damaged or password-protected file (or the instance died: replace it).
    if (server && server->done) stop_server();
    result = Error{Code::kUnreadableDocument, "LibreOffice could not read the ." + std::string(from) + " file"};
  }
  if (server) ++server->jobs;
  if (opt.warm && !server) start_server(limits);  // warm for the next conversion
  (void)env->remove_all(job);
  stats.last_seconds = clock.seconds();
  ++(result ? stats.conversions : stats.failures);
  spdlog::debug("converter: {} → {} in {:.2f} s{}", from, to, stats.last_seconds, result ? "" : ": " + result.error().message);
  return result;
}

Converter::Converter(Env* env, ConverterOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->env = env;
  impl_->opt = std::move(options);
}

Converter::~Converter() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->stop_server();
  if (!impl_->base.empty()) (void)impl_->env->remove_all(impl_->base);
  impl_->owner.reset();
}

Result<std::string> Converter::convert(std::string_view bytes, std::string_view from, std::string_view to,
                                       const Limits& limits) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->run(bytes, from, to, limits);
}

bool Converter::available() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->probe();
}

Converter::Stats Converter::stats() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->stats;
}

Converter& shared_converter() {
  static Converter converter;
  return converter;
}

}  // namespace clee
