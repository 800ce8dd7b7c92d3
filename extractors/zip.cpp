#include "extractors/zip.h"

#include <zip.h>

#include <algorithm>

namespace clee {
namespace {

struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

zip_t* open_archive(std::string_view bytes, std::string* why) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  if (!src) {
    *why = zip_error_strerror(&err);
    zip_error_fini(&err);
    return nullptr;
  }
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY, &err);
  if (!z) {
    *why = zip_error_strerror(&err);
    zip_source_free(src);
  }
  zip_error_fini(&err);
  return z;
}

}  // namespace

Result<std::unique_ptr<ZipReader>> ZipReader::open(std::string_view bytes, const Limits& limits) {
  std::string why;
  zip_t* z = open_archive(bytes, &why);
  if (!z) return Error{Code::kUnreadableDocument, "not a readable zip archive: " + why};
  std::unique_ptr<ZipReader> r(new ZipReader());
  r->archive_ = z;
  r->limits_ = limits;
  zip_int64_t n = zip_get_num_entries(z, 0);
  if (n > limits.max_entries)
    return Error{Code::kLimitExceeded, "archive has " + std::to_string(n) + " entries (limit " +
                                           std::to_string(limits.max_entries) + ")"};
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z, i, 0, &st) != 0 || !st.name) continue;
    ZipEntry e;
    e.index = i;
    e.name = st.name;
    e.size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
    e.compressed_size = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    e.encrypted = (st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE;
    e.directory = !e.name.empty() && e.name.back() == '/';
    r->entries_.push_back(std::move(e));
  }
  return r;
}

ZipReader::~ZipReader() {
  if (archive_) zip_discard(archive_);
}

const ZipEntry* ZipReader::find(std::string_view name) const {
  for (const auto& e : entries_)
    if (e.name == name) return &e;
  return nullptr;
}

Result<std::string> ZipReader::read(const ZipEntry& entry) {
  if (entry.encrypted)
    return Error{Code::kEncryptedDocument, "zip entry '" + entry.name + "' is password-protected"};
  auto too_big = [&](uint64_t n) -> std::optional<Error> {
    if (n > limits_.max_entry_bytes)
      return Error{Code::kLimitExceeded, "zip entry '" + entry.name + "' inflates beyond " +
                                             std::to_string(limits_.max_entry_bytes) + " bytes"};
    if (total_inflated_ + n > limits_.max_total_inflated)
      return Error{Code::kLimitExceeded, "archive inflates beyond " +
                                             std::to_string(limits_.max_total_inflated) + " bytes"};
    double ratio = static_cast<double>(n) / static_cast<double>(std::max<uint64_t>(entry.compressed_size, 1));
    if (n > (1u << 20) && ratio > limits_.max_compression_ratio)
      return Error{Code::kLimitExceeded, "zip entry '" + entry.name + "' compression ratio " +
                                             std::to_string(static_cast<int>(ratio)) + ":1 exceeds " +
                                             std::to_string(static_cast<int>(limits_.max_compression_ratio)) + ":1"};
    return std::nullopt;
  };
  if (auto e = too_big(entry.size)) return *e;  // declared size: refuse early
  std::unique_ptr<zip_file_t, ZipFileCloser> f(zip_fopen_index(archive_, entry.index, 0));
  if (!f) return Error{Code::kUnreadableDocument, "cannot open zip entry '" + entry.name + "': " + zip_strerror(archive_)};
  std::string out;
  char buf[64 * 1024];
  for (;;) {
    zip_int64_t got = zip_fread(f.get(), buf, sizeof buf);
    if (got < 0) return Error{Code::kUnreadableDocument, "zip entry '" + entry.name + "' is damaged"};
    if (got == 0) break;
    out.append(buf, static_cast<size_t>(got));
    // The declared size may lie: count what actually inflates.
    if (auto e = too_big(out.size())) return *e;
  }
  total_inflated_ += out.size();
  return out;
}

bool zip_has_entry(std::string_view bytes, std::string_view name) {
  std::string why;
  zip_t* z = open_archive(bytes, &why);
  if (!z) return false;
  bool found = zip_name_locate(z, std::string(name).c_str(), 0) >= 0;
  zip_discard(z);
  return found;
}

}  // namespace clee
