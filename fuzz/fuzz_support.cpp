#include "fuzz/fuzz_support.h"

#include <spdlog/spdlog.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace clee::fuzz {

Limits small_limits() {
  Limits l;
  l.max_file_bytes = 4u << 20;
  l.max_pages = 8;
  l.max_image_pixels = 4'000'000;
  l.max_entry_bytes = 4u << 20;
  l.max_compression_ratio = 100;
  l.max_total_inflated = 16u << 20;
  l.max_entries = 64;
  l.max_depth = 3;
  l.max_seconds = 5;
  l.max_memory_bytes = 512u << 20;
  return l;
}

ExtractOptions small_options() {
  ExtractOptions o;
  o.limits = small_limits();
  o.ocr = false;
  o.ocr_threads = 1;
  o.isolate = false;
  return o;
}

void quiet_logs() { spdlog::set_level(spdlog::level::off); }

void fuzz_check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

void fuzz_check_same(const nlohmann::json& a, const nlohmann::json& b, const char* what) {
  if (a == b) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\ndifference: %s\n", what,
               nlohmann::json::diff(a, b).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  std::abort();
}

TempFile::TempFile(std::string_view bytes, const char* suffix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/clee-fuzz.XXXXXX";
  fuzz_check(::mkdtemp(pattern.data()) != nullptr, "mkdtemp");
  dir_ = pattern;
  path_ = dir_ + "/input" + suffix;
  std::ofstream out(path_, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  fuzz_check(static_cast<bool>(out), "write temp file");
}

TempFile::~TempFile() {
  ::unlink(path_.c_str());
  ::rmdir(dir_.c_str());
}

namespace {

void put16(std::string& s, uint32_t v) {
  s.push_back(static_cast<char>(v & 0xff));
  s.push_back(static_cast<char>((v >> 8) & 0xff));
}
void put32(std::string& s, uint32_t v) {
  put16(s, v & 0xffff);
  put16(s, v >> 16);
}

}  // namespace

std::string stored_zip(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out, central;
  for (const auto& entry : entries) {
    const std::string& name = entry.first;  // (clang 14 cannot capture structured bindings)
    const std::string& data = entry.second;
    uint32_t crc = static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
    uint32_t offset = static_cast<uint32_t>(out.size());
    auto header = [&](std::string& s, bool local) {
      put32(s, local ? 0x04034b50 : 0x02014b50);
      if (!local) put16(s, 20);  // version made by
      put16(s, 20);              // version needed
      put16(s, 0);               // flags
      put16(s, 0);               // stored
      put16(s, 0);               // time
      put16(s, 0x21);            // date: 1980-01-01
      put32(s, crc);
      put32(s, static_cast<uint32_t>(data.size()));
      put32(s, static_cast<uint32_t>(data.size()));
      put16(s, static_cast<uint32_t>(name.size()));
      put16(s, 0);  // extra
      if (!local) {
        put16(s, 0);  // comment
        put16(s, 0);  // disk
        put16(s, 0);  // internal attributes
        put32(s, 0);  // external attributes
        put32(s, offset);
      }
      s += name;
    };
    header(out, true);
    out += data;
    header(central, false);
  }
  uint32_t central_offset = static_cast<uint32_t>(out.size());
  out += central;
  put32(out, 0x06054b50);
  put16(out, 0);
  put16(out, 0);
  put16(out, static_cast<uint32_t>(entries.size()));
  put16(out, static_cast<uint32_t>(entries.size()));
  put32(out, static_cast<uint32_t>(central.size()));
  put32(out, central_offset);
  put16(out, 0);
  return out;
}

std::vector<std::string_view> split_parts(std::string_view data, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    size_t at = data.find(sep, start);
    if (at == std::string_view::npos) {
      parts.push_back(data.substr(start));
      return parts;
    }
    parts.push_back(data.substr(start, at - start));
    start = at + 1;
  }
}

}  // namespace clee::fuzz
