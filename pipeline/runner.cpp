#include "pipeline/runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "extractors/extract.h"
#include "extractors/util.h"
#include "pipeline/understand.h"

namespace clee {
namespace fs = std::filesystem;

const char* doc_type_name(DocType t) {
  switch (t) {
    case DocType::kRequestForm: return "request_form";
    case DocType::kCourseOutline: return "course_outline";
    case DocType::kInstructorCv: return "instructor_cv";
    case DocType::kCoverLetter: return "cover_letter";
    case DocType::kUnknown: break;
  }
  return "unknown";
}

namespace {

constexpr int kMaxFolderDepth = 8;

// Temp, lock and system files that editors and file managers leave beside real documents.
bool ignored_name(const std::string& base) {
  auto ends = [&](const char* suf) {
    std::string s(suf);
    return base.size() >= s.size() && base.compare(base.size() - s.size(), s.size(), s) == 0;
  };
  return base.empty() || base[0] == '.' || base.rfind("~$", 0) == 0 || base == "Thumbs.db" || base == "desktop.ini" ||
         ends(".part") || ends(".crdownload") || ends(".tmp") || ends(".reason.txt");
}

Result<std::string> read_bounded(const fs::path& p, uint64_t limit) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return Error{errc::kUnreadable, p.string() + ": cannot open"};
  std::string data;
  // One byte past the limit is enough for the extractor to report limit_exceeded.
  data.resize(static_cast<size_t>(std::min<uint64_t>(limit + 1, std::max<uintmax_t>(fs::file_size(p), 0))));
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  data.resize(static_cast<size_t>(in.gcount()));
  return data;
}

}  // namespace

Result<Packet> load_packet(const std::string& path, const Limits& limits) {
  Packet packet;
  packet.source = path;
  std::error_code ec;
  fs::path root(path);
  auto st = fs::status(root, ec);
  if (ec || !fs::exists(st)) return Error{errc::kUnreadable, path + ": no such file or folder"};
  auto add = [&](const fs::path& p, const std::string& label) -> Status {
    auto data = read_bounded(p, limits.max_file_bytes);
    if (!data) return data.error();
    packet.files.push_back({label, sha256_hex(*data), std::move(*data)});
    return Status::Ok();
  };
  if (fs::is_directory(st)) {
    std::vector<fs::path> files;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      if (it.depth() > kMaxFolderDepth) {
        it.disable_recursion_pending();
        continue;
      }
      std::string base = it->path().filename().string();
      if (ignored_name(base)) {
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file()) files.push_back(it->path());  // symlinks to files are followed
      if (static_cast<int>(files.size()) > limits.max_entries)
        return Error{errc::kLimitExceeded, path + ": more than " + std::to_string(limits.max_entries) + " files"};
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files)
      if (Status s = add(f, fs::relative(f, root).string()); !s) return s.error();
    if (packet.files.empty()) return Error{errc::kUnreadable, path + ": the folder holds no documents"};
  } else {
    if (Status s = add(root, root.filename().string()); !s) return s.error();
  }
  return packet;
}

namespace {

struct Leaf {
  std::string label, bytes, role;
};

void expand(const std::string& label, std::string bytes, const std::string& role, int depth, const Limits& limits,
            std::vector<Leaf>& leaves, std::vector<Document>& failed) {
  Format f = sniff(bytes);
  if (!is_container(f)) {
    leaves.push_back({label, std::move(bytes), role});
    return;
  }
  auto fail = [&](Error e) {
    Document d;
    d.name = label;
    d.format = f;
    d.bytes = bytes.size();
    d.sha256 = sha256_hex(bytes);
    d.error = std::move(e);
    failed.push_back(std::move(d));
  };
  if (depth >= limits.max_depth)
    return fail(Error{errc::kLimitExceeded, "containers nested deeper than " + std::to_string(limits.max_depth)});
  auto entries = unpack(bytes, label, limits);
  if (!entries) return fail(entries.error());
  for (auto& e : *entries) {
    std::string child = depth == 0 ? e.label : label + "/" + e.label;
    expand(child, std::move(e.bytes), e.role, depth + 1, limits, leaves, failed);
  }
}

}  // namespace

Report run_packet(const Packet& packet, const RulePack& rules, const std::vector<std::unique_ptr<Validator>>& validators,
                  const RunOptions& options) {
  Report report;
  report.source = packet.source;
  report.received_at = packet.received_at;
  Stopwatch clock;
  std::vector<Leaf> leaves;
  std::vector<Document> docs;
  for (const auto& f : packet.files) {
    // A lone container's entries are named as the provider named them; several files keep the
    // container's name in front.
    std::vector<Leaf> mine;
    expand(f.label, f.bytes, "file", 0, options.extract.limits, mine, docs);
    if (packet.files.size() > 1)
      for (auto& l : mine)
        if (l.label != f.label && l.label.rfind(f.label + "/", 0) != 0) l.label = f.label + "/" + l.label;
    for (auto& l : mine) leaves.push_back(std::move(l));
  }
  std::vector<std::string> roles(docs.size(), "file");
  for (const auto& leaf : leaves) {
    docs.push_back(extract_document(leaf.bytes, leaf.label, options.extract));
    roles.push_back(leaf.role);
  }
  int ocr_pages = 0;
  for (const auto& d : docs) ocr_pages += d.ocr_pages();
  spdlog::info("packet {}: extract {} documents, {} OCR'd pages, {:.2f} s", packet.source, docs.size(), ocr_pages,
               clock.seconds());

  Stopwatch understand_clock;
  report.documents = understand_documents(docs, roles, rules);
  const UnderstoodDocument* form = nullptr;
  const UnderstoodDocument* outline = nullptr;
  for (const auto& u : report.documents) {
    if (u.type == DocType::kRequestForm && (!form || u.type_score > form->type_score)) form = &u;
    if (u.type == DocType::kCourseOutline && (!outline || u.type_score > outline->type_score)) outline = &u;
    if (u.type == DocType::kInstructorCv) report.cvs.push_back(extract_cv(u));
  }
  if (form) report.fields = extract_fields(*form, rules);
  if (outline) report.outline = extract_outline(*outline, rules);
  spdlog::info("packet {}: understand: {} documents typed, form {}, outline {}, {} CVs, {:.3f} s", packet.source,
               report.documents.size(), form ? "found" : "missing", outline ? "found" : "missing", report.cvs.size(),
               understand_clock.seconds());

  Stopwatch validate_clock;
  for (const auto& v : validators) v->validate(rules, report);
  spdlog::info("packet {}: validate: {}, {} findings, content {}, {:.3f} s", packet.source, report.disposition,
               report.findings.size(), report.content.verdict, validate_clock.seconds());
  return report;
}

}  // namespace clee
