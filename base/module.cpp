// Finding and loading the program's modules (see module.h).
#include "base/module.h"

#include <dlfcn.h>
#include <unistd.h>

namespace clee {
namespace {

std::string executable_dir() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  std::string path(buf, static_cast<size_t>(n));
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

}  // namespace

std::vector<std::string> module_candidates(const char* file_name) {
  std::vector<std::string> out;
  std::string dir = executable_dir();
  if (!dir.empty()) {
    out.push_back(dir + "/" + file_name);
    out.push_back(dir + "/../lib/clee-intake/" + file_name);
  }
#ifdef CLEE_BUILD_DIR
  // A program run from inside the build tree it was built in (the test executables live in its
  // subfolders) uses that tree's module. An installed or copied program never does: a module left
  // in some build folder is not its own.
  std::string build = CLEE_BUILD_DIR;
  if (!dir.empty() && (dir == build || dir.rfind(build + "/", 0) == 0)) out.push_back(build + "/" + file_name);
#endif
  return out;
}

Result<LoadedModule> load_module(const char* file_name, const char* entry) {
  std::vector<std::string> candidates = module_candidates(file_name);
  for (const auto& path : candidates) {
    if (access(path.c_str(), F_OK) != 0) continue;
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = dlerror();
      return Error{Code::kIoError, path + " cannot be loaded: " + (why ? why : "?")};
    }
    void* symbol = dlsym(handle, entry);
    if (symbol == nullptr) return Error{Code::kIoError, path + " has no " + entry};
    return LoadedModule{symbol, path};
  }
  std::string tried;
  for (const auto& path : candidates) tried += (tried.empty() ? "" : ", ") + path;
  return Error{Code::kNotFound, std::string(file_name) + " not found (looked at " + tried + ")"};
}

}  // namespace clee
