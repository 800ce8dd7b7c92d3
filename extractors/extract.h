// The extractors' entry points: bytes in, Documents out. Thread-safe; no global mutable state.
//
// A file is either a leaf (PDF, DOCX, image, text) that becomes one Document, or a container
// (zip, email) whose entries are unpacked one level at a time and extracted in turn. Every failure
// ends as a typed Error on the Document it concerns; these functions never throw.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extractors/document.h"
#include "extractors/limits.h"

namespace clee {

// Sniffs the format from the first bytes (magic numbers, then libmagic), never from the name.
// `mime` (optional) receives the MIME type.
Format sniff(std::string_view bytes, std::string* mime = nullptr);

bool is_container(Format f);  // zip (not docx) and email

// One entry of a container. `label` is the entry or attachment name: a label, never a path.
struct ContainedFile {
  std::string label;
  std::string bytes;
  std::string role;  // "entry" (zip), "attachment" (email), "body" (an email's text body)
};

// Headers of an email that intake needs to thread replies and name the source.
struct EmailInfo {
  std::string message_id, in_reply_to, subject, from, to, date;
  std::vector<std::string> references;
};

// Unpacks one level of a container (zip or email). Limits: entries, inflated bytes and ratio.
Result<std::vector<ContainedFile>> unpack(std::string_view bytes, const std::string& label,
                                          const Limits& limits);
Result<EmailInfo> read_email_info(std::string_view bytes);

// Extracts one leaf file. Never throws; a failure is `Document::error`.
Document extract_document(std::string_view bytes, const std::string& name,
                          const ExtractOptions& options);

// One file out of a container tree: bytes to extract, or a container that could not be opened
// (then `failed` holds a Document carrying the typed error: limit_exceeded for nesting, size,
// bombs; encrypted_document; unreadable_document).
struct ExpandedFile {
  std::string label;  // "outer.zip/inner.pdf"; labels only, never paths
  std::string bytes;
  std::string role;   // the role given for the top file, else the container's: entry|attachment|body
  std::optional<Document> failed;
};

// Unpacks containers recursively, up to limits.max_depth, without extracting the leaves.
// Shared by extract_all and the stage runner.
std::vector<ExpandedFile> expand_containers(std::string bytes, const std::string& label, const std::string& role,
                                            const Limits& limits);

// Extracts a file and, recursively up to limits.max_depth, a container's entries, flattened.
// Entry names are "outer.zip/inner.pdf" labels.
std::vector<Document> extract_all(std::string_view bytes, const std::string& name,
                                  const ExtractOptions& options);

}  // namespace clee
