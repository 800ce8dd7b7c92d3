#include "pipeline/runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "base/litter.h"
#include "extractors/extract.h"
#include "extractors/util.h"
#include "pipeline/evidence_boxes.h"
#include "pipeline/understand.h"

namespace clee {

namespace {

constexpr int kMaxFolderDepth = 8;

// The folder walk behind load_packet, through the Env: names in sorted order, litter skipped
// (base/litter.h, the one list), links and special files never followed or read.
class PacketWalker {
 public:
  PacketWalker(Packet& packet, const Limits& limits, Env* env) : packet_(packet), limits_(limits), env_(env) {}

  Status walk(const std::string& dir, const std::string& prefix, int depth) {
    auto list = env_->list_dir(dir);
    if (!list) return list.error();
    std::sort(list->begin(), list->end(), [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
    for (const auto& e : *list) {
      if (is_litter_name(e.name)) continue;
      std::string path = dir + "/" + e.name, label = prefix + e.name;
      if (e.type == FileType::kDirectory) {
        if (depth >= kMaxFolderDepth) {
          refuse(label, Error{Code::kLimitExceeded, "folder nested deeper than " + std::to_string(kMaxFolderDepth) + " levels, not read"});
          continue;
        }
        if (Status s = walk(path, label + "/", depth + 1); !s) return s;
      } else if (e.type == FileType::kRegular) {
        if (++files_ > limits_.max_entries)
          return Error{Code::kLimitExceeded, packet_.source + ": more than " + std::to_string(limits_.max_entries) + " files"};
        if (Status s = add(path, label); !s) return s;
      } else {
        refuse(label, unsafe_entry(e.type));
      }
    }
    return Status::Ok();
  }

  Status add(const std::string& path, const std::string& label) {
    auto info = env_->stat(path);
    if (!info) return info.error();
    if (info->type != FileType::kRegular) {
      refuse(label, unsafe_entry(info->type));
      return Status::Ok();
    }
    // A file over the limit is still an original to keep whole: it is not read into memory but
    // named by path, for the store to stream in whole; extraction is what the limit bounds (a
    // limit_exceeded document).
    if (info->size <= limits_.max_file_bytes) {
      auto bytes = env_->read_file(path, limits_.max_file_bytes);
      if (bytes) {
        packet_.files.push_back(SourceFile::in_memory(label, std::move(*bytes)));
        return Status::Ok();
      }
      if (bytes.error().code != Code::kLimitExceeded) return bytes.error();  // else it grew: by path
    }
    SourceFile f;
    f.label = label;
    f.size = info->size;
    f.path = path;
    packet_.files.push_back(std::move(f));
    return Status::Ok();
  }

  static Error unsafe_entry(FileType t) {
    return Error{Code::kUnsafeEntry, t == FileType::kSymlink ? "symbolic link, not followed"
                                                             : "not a regular file (a device, pipe or socket), not read"};
  }

  // An entry that is reported (a document with its typed error), never read nor stored.
  void refuse(const std::string& label, const Error& why) {
    spdlog::warn("packet {}: {}: {}", packet_.source, label, why.message);
    SourceFile f;
    f.label = label;
    f.refused = why;
    packet_.files.push_back(std::move(f));
  }

 private:
  Packet& packet_;
  const Limits& limits_;
  Env* env_;
  int files_ = 0;
};

std::string base_name(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  size_t slash = p.find_last_of('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

}  // namespace

Result<Packet> load_packet(const std::string& path, const Limits& limits, Env* env) {
  Packet packet;
  packet.source = path;
  auto info = env->stat(path);
  if (!info) {
    if (info.error().code == Code::kNotFound) return Error{Code::kUnreadableDocument, path + ": no such file or folder"};
    return info.error();
  }
  PacketWalker walker(packet, limits, env);
  if (info->type == FileType::kDirectory) {
    if (Status s = walker.walk(path, "", 0); !s) return s.error();
    size_t refused = 0;
    for (const auto& f : packet.files) refused += f.refused.has_value();
    if (refused == packet.files.size()) {
      // Nothing to keep: a folder of links alone is no packet (and all such would share one key).
      if (refused == 0) return Error{Code::kUnreadableDocument, path + ": the folder holds no documents"};
      return Error{Code::kUnsafeEntry, path + ": the folder holds no documents, only " + std::to_string(refused) +
                                           " entries not read (" + packet.files[0].label + ": " +
                                           packet.files[0].refused->message + ")"};
    }
  } else if (info->type == FileType::kRegular) {
    if (Status s = walker.add(path, base_name(path)); !s) return s.error();
  } else {
    return Error{Code::kUnsafeEntry, path + ": " + PacketWalker::unsafe_entry(info->type).message};
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
  place_evidence(report);
  spdlog::info("packet {}: validate: {}, {} findings, content {}, {:.3f} s", packet.source, disposition_name(report.disposition),
               report.findings.size(), verdict_name(report.content.verdict), validate_clock.seconds());
  return report;
}

}  // namespace clee
