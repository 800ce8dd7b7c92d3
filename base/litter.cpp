#include "base/litter.h"

namespace clee {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

bool is_litter_name(std::string_view n) {
  if (n.empty() || n[0] == '.') return true;  // .DS_Store, ._x (AppleDouble), .~lock.x#, .x.swp, .git
  if (n.rfind("~$", 0) == 0) return true;     // Office owner files
  if (n == "Thumbs.db" || n == "desktop.ini" || n == "__MACOSX" || n == "Icon\r") return true;
  for (std::string_view suffix : {".part", ".crdownload", ".download", ".tmp", ".swp", ".swx", "~", ".partial"})
    if (ends_with(n, suffix)) return true;
  return false;
}

bool is_litter_path(std::string_view path) {
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find_first_of("/\\", start);
    std::string_view part = path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    // A folder entry ends with '/': its empty last component is not litter.
    if (!part.empty() && is_litter_name(part)) return true;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return false;
}

}  // namespace clee
