#include "extractors/ole.h"

#include <gsf/gsf.h>
#include <spdlog/spdlog.h>
#include <strings.h>

#include <cstring>
#include <mutex>
#include <vector>

#include "base/env.h"
#include "extractors/codepage.h"
#include "extractors/util.h"

namespace clee {
namespace {

// libgsf reports damaged files (a chain too short, a bad block) as GLib warnings on stderr: one
// per problem, thousands for a hostile file. They go to the debug log instead; the reader's own
// typed errors say what matters.
void gsf_log(const gchar* domain, GLogLevelFlags, const gchar* message, gpointer) {
  spdlog::debug("{}: {}", domain ? domain : "libgsf", message ? sanitize_utf8(message) : "");
}

void init_gsf() {
  // libgsf registers GObject types here; glib's dynamic type registration is not thread-safe.
  static std::once_flag once;
  std::call_once(once, [] {
    gsf_init();
    for (const char* domain : {"libgsf", "libgsf:msole", "libgsf:utils"})
      g_log_set_handler(domain, static_cast<GLogLevelFlags>(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO |
                                                            G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_CRITICAL),
                        gsf_log, nullptr);
  });
}

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

void GsfUnref::operator()(void* p) const {
  if (p) g_object_unref(p);
}

bool is_ole(std::string_view b) { return b.substr(0, 8) == std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8); }

OleStorage::OleStorage(GsfInfile* infile) : infile_(infile) {
  g_object_ref(infile_);
  int n = gsf_infile_num_children(infile_);
  for (int i = 0; i < n; ++i) {
    const char* name = gsf_infile_name_by_index(infile_, i);
    GsfInputPtr child(gsf_infile_child_by_index(infile_, i));
    if (!name || !child) continue;
    Entry e;
    e.name = name;
    // A storage is an infile with children; an empty storage reads as a zero-length stream.
    e.storage = GSF_IS_INFILE(child.get()) && gsf_infile_num_children(GSF_INFILE(child.get())) >= 0;
    e.size = e.storage ? 0 : static_cast<uint64_t>(gsf_input_size(child.get()));
    entries_.push_back(std::move(e));
  }
}

OleStorage::OleStorage(const OleStorage& other) : infile_(other.infile_), entries_(other.entries_) {
  g_object_ref(infile_);
}

OleStorage::~OleStorage() {
  if (infile_) g_object_unref(infile_);
}

const OleStorage::Entry* OleStorage::find(std::string_view name) const {
  for (const auto& e : entries_)
    if (same_name(e.name, name)) return &e;
  return nullptr;
}

GsfInputPtr OleStorage::input(std::string_view name) const {
  const Entry* e = find(name);
  if (!e) return nullptr;
  return GsfInputPtr(gsf_infile_child_by_name(infile_, e->name.c_str()));
}

Result<std::string> OleStorage::read(std::string_view name, uint64_t max_bytes) const {
  const Entry* e = find(name);
  if (!e || e->storage) return Error{Code::kNotFound, "no stream " + sanitize_utf8(name)};
  if (e->size > max_bytes)
    return Error{Code::kLimitExceeded, "stream " + sanitize_utf8(e->name) + " is " + std::to_string(e->size) +
                                           " bytes (limit " + std::to_string(max_bytes) + ")"};
  GsfInputPtr in = input(name);
  if (!in) return Error{Code::kUnreadableDocument, "stream " + sanitize_utf8(e->name) + " cannot be opened"};
  std::string out(static_cast<size_t>(e->size), '\0');
  size_t done = 0;
  while (done < out.size()) {
    size_t n = std::min<size_t>(out.size() - done, 1 << 16);
    if (!gsf_input_read(in.get(), n, reinterpret_cast<guint8*>(out.data() + done)))
      return Error{Code::kUnreadableDocument, "stream " + sanitize_utf8(e->name) + " is damaged"};
    done += n;
  }
  return out;
}

std::string OleStorage::head(std::string_view name, size_t n) const {
  const Entry* e = find(name);
  if (!e || e->storage) return {};
  GsfInputPtr in = input(name);
  if (!in) return {};
  std::string out(std::min<size_t>(n, e->size), '\0');
  if (!out.empty() && !gsf_input_read(in.get(), out.size(), reinterpret_cast<guint8*>(out.data()))) return {};
  return out;
}

Result<OleStorage> OleStorage::storage(std::string_view name) const {
  const Entry* e = find(name);
  if (!e || !e->storage) return Error{Code::kNotFound, "no storage " + sanitize_utf8(name)};
  GsfInputPtr in = input(name);
  if (!in || !GSF_IS_INFILE(in.get())) return Error{Code::kNotFound, "no storage " + sanitize_utf8(name)};
  return OleStorage(GSF_INFILE(in.get()));
}

namespace {

// The directory's entry 0 is the root storage, and [MS-CFB] 2.6.3 says its left and right sibling
// links MUST be NOSTREAM. libgsf follows them anyway, giving each sibling no parent, so every one
// replaces the root it just read and the one before is leaked (libgsf 1.14.50, and upstream's
// ole_dirent_new still does). A damaged file can carry any ids there, so they are cleared in a
// copy before libgsf reads it: the same tree a reader keeping to the spec would see. Offsets: the
// header's sector shift at 0x1E and first directory sector at 0x30; the entry's left sibling at
// 0x44 and right sibling at 0x48.
constexpr uint32_t kNoStream = 0xFFFFFFFF;

uint32_t le32(std::string_view s, size_t o) {
  if (o + 4 > s.size()) return 0;
  return static_cast<uint32_t>(static_cast<unsigned char>(s[o])) | static_cast<uint32_t>(static_cast<unsigned char>(s[o + 1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[o + 2])) << 16 | static_cast<uint32_t>(static_cast<unsigned char>(s[o + 3])) << 24;
}

// The offset of the root entry's left-sibling field, or 0 when it lies outside the bytes.
size_t root_siblings_offset(std::string_view bytes) {
  if (bytes.size() < 512) return 0;
  unsigned shift = static_cast<unsigned char>(bytes[0x1E]) | static_cast<unsigned>(static_cast<unsigned char>(bytes[0x1F])) << 8;
  if (shift < 7 || shift > 16) return 0;  // libgsf refuses these itself
  uint64_t sector = le32(bytes, 0x30);
  uint64_t at = (sector + 1) << shift;
  if (at + 0x4C > bytes.size()) return 0;
  return static_cast<size_t>(at + 0x44);
}

}  // namespace

Result<std::unique_ptr<OleFile>> OleFile::open(std::string_view bytes) {
  init_gsf();
  std::unique_ptr<OleFile> f(new OleFile());
  if (size_t at = root_siblings_offset(bytes); at && (le32(bytes, at) != kNoStream || le32(bytes, at + 4) != kNoStream)) {
    f->repaired_.assign(bytes);
    std::memset(f->repaired_.data() + at, 0xFF, 8);
    bytes = f->repaired_;
  }
  f->source_ = gsf_input_memory_new(reinterpret_cast<const guint8*>(bytes.data()), static_cast<gsf_off_t>(bytes.size()),
                                    FALSE);
  if (!f->source_) return Error{Code::kUnreadableDocument, "cannot read the compound file"};
  GError* err = nullptr;
  GsfInfile* root = gsf_infile_msole_new(f->source_, &err);
  if (!root) {
    std::string why = err && err->message ? sanitize_utf8(err->message) : "not a compound file";
    if (err) g_error_free(err);
    return Error{Code::kUnreadableDocument, "damaged OLE compound file: " + why};
  }
  f->root_ = std::make_unique<OleStorage>(root);
  g_object_unref(root);  // the storage holds its own reference
  return f;
}

OleFile::~OleFile() {
  root_.reset();
  if (source_) g_object_unref(source_);
}

namespace {

// One property of a section, as text: VT_LPSTR in the section's code page, VT_LPWSTR, or a
// VT_FILETIME as an ISO date. "" for anything else or anything out of bounds.
std::string property_text(std::string_view sec, uint64_t off, int codepage) {
  if (off + 8 > sec.size()) return {};
  uint32_t type = le32(sec, off) & 0xFFFF;
  if (type == 0x1E || type == 0x1F) {  // VT_LPSTR / VT_LPWSTR: a count, then the characters
    uint64_t n = le32(sec, off + 4) * (type == 0x1F ? 2ull : 1ull);
    if (off + 8 + n > sec.size()) return {};
    std::string_view raw = sec.substr(off + 8, static_cast<size_t>(n));
    std::string out = type == 0x1F ? utf16le_to_utf8(raw) : CodepageDecoder().decode(raw, codepage == 65001 ? 65001 : codepage);
    while (!out.empty() && out.back() == '\0') out.pop_back();
    return tidy_text(sanitize_utf8(out));
  }
  if (type == 0x40) {  // VT_FILETIME: 100 ns since 1601
    uint64_t ft = le32(sec, off + 4) | static_cast<uint64_t>(le32(sec, off + 8)) << 32;
    double epoch = static_cast<double>(ft) / 1e7 - 11644473600.0;
    return epoch > 0 && epoch < 253402300799.0 ? format_utc(epoch) : "";
  }
  return {};
}

}  // namespace

// MS-OLEPS: the stream's first section (FMTID_SummaryInformation): count (propid, offset) pairs,
// the code page in property 1. Read here rather than through libgsf, whose reader leaks on some
// damaged property sets (found by fuzzing); every offset is checked against the section.
Metadata ole_summary_information(const OleStorage& root) {
  Metadata m;
  std::string s = root.head("\005SummaryInformation", 1 << 20);
  if (s.size() < 48 || le32(s, 24) == 0) return m;
  uint64_t at = le32(s, 44);  // the first section's offset, after its FMTID (64-bit sums: no wrap)
  if (at + 8 > s.size()) return m;
  uint64_t size = le32(s, at);
  std::string_view sec = std::string_view(s).substr(at, static_cast<size_t>(std::min<uint64_t>(size, s.size() - at)));
  uint32_t count = std::min<uint32_t>(le32(sec, 4), 1024);
  int codepage = 1252;
  std::vector<std::pair<uint32_t, uint64_t>> props;
  for (uint64_t i = 0; i < count && 8 + i * 8 + 8 <= sec.size(); ++i) {
    uint32_t id = le32(sec, 8 + i * 8);
    uint64_t off = le32(sec, 12 + i * 8);
    if (id == 1 && off + 8 <= sec.size()) codepage = static_cast<int>(le32(sec, off + 4) & 0xFFFF);
    props.emplace_back(id, off);
  }
  if (codepage == 1200 || codepage <= 0) codepage = 1252;  // 1200 is UTF-16, written as VT_LPWSTR anyway
  for (auto [id, off] : props) {
    switch (id) {
      case 2: m.title = property_text(sec, off, codepage); break;
      case 3: m.subject = property_text(sec, off, codepage); break;
      case 4: m.author = property_text(sec, off, codepage); break;
      case 12: m.created = property_text(sec, off, codepage); break;
      case 13: m.modified = property_text(sec, off, codepage); break;
      case 18: m.creator = property_text(sec, off, codepage); break;
      default: break;
    }
  }
  return m;
}

}  // namespace clee
