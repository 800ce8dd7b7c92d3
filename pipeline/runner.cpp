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
  if (!in) return Error{Code::kUnreadableDocument, p.string() + ": cannot open"};
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
  if (ec || !fs::exists(st)) return Error{Code::kUnreadableDocument, path + ": no such file or folder"};
  auto add = [&](const fs::path& p, const std::string& label) -> Status {
    auto data = read_bounded(p, limits.max_file_bytes);
    if (!data) return data.error();
    packet.files.push_back(SourceFile::in_memory(label, std::move(*data)));
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
        return Error{Code::kLimitExceeded, path + ": more than " + std::to_string(limits.max_entries) + " files"};
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files)
      if (Status s = add(f, fs::relative(f, root).string()); !s) return s.error();
    if (packet.files.empty()) return Error{Code::kUnreadableDocument, path + ": the folder holds no documents"};
  } else {
    if (Status s = add(root, root.filename().string()); !s) return s.error();
  }
  return packet;
}

Report run_packet(const Packet& packet, const RulePack& rules, const std::vector<std::unique_ptr<Validator>>& validators,
                  const RunOptions& options) {
  Report report;
  report.source = packet.source;
  report.received_at = packet.received_at;
  Stopwatch clock;
  std::vector<Document> docs;
  std::vector<std::string> roles;
  for (const auto& f : packet.files) {
    // An entry not read (a symlink...) or an original too large to extract is a document with
    // its typed error: named in the report, never silently dropped.
    if (f.refused || !f.path.empty()) {
      Document d;
      d.name = f.label;
      d.sha256 = f.sha256;
      d.bytes = f.size;
      d.error = f.refused ? *f.refused
                          : Error{Code::kLimitExceeded, std::to_string(f.size) + " bytes, over the extraction limit of " +
                                                            std::to_string(options.extract.limits.max_file_bytes) +
                                                            " (the original is stored whole)"};
      docs.push_back(std::move(d));
      roles.push_back("file");
      continue;
    }
    for (auto& leaf : expand_containers(f.bytes, f.label, "file", options.extract.limits)) {
      // A lone container's entries are named as the provider named them; several files keep
      // the container's name in front.
      std::string label = leaf.label;
      if (packet.files.size() == 1 && label.rfind(f.label + "/", 0) == 0) label = label.substr(f.label.size() + 1);
      if (leaf.failed) {
        docs.push_back(std::move(*leaf.failed));
        docs.back().name = label;
      } else {
        docs.push_back(extract_document(leaf.bytes, label, options.extract));
      }
      roles.push_back(leaf.role);
    }
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
  spdlog::info("packet {}: validate: {}, {} findings, content {}, {:.3f} s", packet.source, disposition_name(report.disposition),
               report.findings.size(), verdict_name(report.content.verdict), validate_clock.seconds());
  return report;
}

}  // namespace clee
