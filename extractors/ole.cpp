#include "extractors/ole.h"

#include <gsf/gsf.h>
#include <strings.h>

#include <mutex>

#include "extractors/util.h"

namespace clee {
namespace {

void init_gsf() {
  // libgsf registers GObject types here; glib's dynamic type registration is not thread-safe.
  static std::once_flag once;
  std::call_once(once, [] { gsf_init(); });
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

Result<std::unique_ptr<OleFile>> OleFile::open(std::string_view bytes) {
  init_gsf();
  std::unique_ptr<OleFile> f(new OleFile());
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

std::string prop_string(GsfDocMetaData* meta, const char* name) {
  GsfDocProp* prop = gsf_doc_meta_data_lookup(meta, name);
  if (!prop) return {};
  const GValue* v = gsf_doc_prop_get_val(prop);
  if (!v) return {};
  if (G_VALUE_HOLDS_STRING(v)) {
    const char* s = g_value_get_string(v);
    return s ? tidy_text(sanitize_utf8(s)) : "";
  }
  if (VAL_IS_GSF_TIMESTAMP(v)) {
    auto* ts = static_cast<GsfTimestamp*>(g_value_get_boxed(v));
    if (!ts) return {};
    char* s = gsf_timestamp_as_string(ts);
    std::string out = s ? s : "";
    g_free(s);
    return out;
  }
  return {};
}

}  // namespace

Metadata ole_summary_information(const OleStorage& root) {
  Metadata m;
  GsfInputPtr in = root.input("\005SummaryInformation");
  if (!in) return m;
  std::unique_ptr<GsfDocMetaData, GsfUnref> meta(gsf_doc_meta_data_new());
  GError* err = gsf_doc_meta_data_read_from_msole(meta.get(), in.get());
  if (err) {
    g_error_free(err);
    return m;
  }
  m.title = prop_string(meta.get(), GSF_META_NAME_TITLE);
  m.author = prop_string(meta.get(), GSF_META_NAME_CREATOR);
  m.subject = prop_string(meta.get(), GSF_META_NAME_SUBJECT);
  m.creator = prop_string(meta.get(), GSF_META_NAME_GENERATOR);
  m.created = prop_string(meta.get(), GSF_META_NAME_DATE_CREATED);
  m.modified = prop_string(meta.get(), GSF_META_NAME_DATE_MODIFIED);
  return m;
}

}  // namespace clee
