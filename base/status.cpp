#include "base/status.h"

#include <array>
#include <ostream>
#include <utility>

namespace clee {
namespace {

constexpr std::array<std::pair<Code, const char*>, 29> kNames = {{
    {Code::kMissingDocument, "missing_document"},
    {Code::kMissingField, "missing_field"},
    {Code::kUnreadableDocument, "unreadable_document"},
    {Code::kEncryptedDocument, "encrypted_document"},
    {Code::kUnsupportedFormat, "unsupported_format"},
    {Code::kInstructorWithoutCv, "instructor_without_cv"},
    {Code::kHoursMismatch, "hours_mismatch"},
    {Code::kNotAdvancedContent, "not_advanced_content"},
    {Code::kUncertainContent, "uncertain_content"},
    {Code::kDuplicatePacket, "duplicate_packet"},
    {Code::kProviderNotCertified, "provider_not_certified"},
    {Code::kLimitExceeded, "limit_exceeded"},
    {Code::kOcrLowConfidence, "ocr_low_confidence"},
    {Code::kTitleMismatch, "title_mismatch"},
    {Code::kUnsafeEntry, "unsafe_entry"},
    {Code::kIoError, "io_error"},
    {Code::kNoSpace, "no_space"},
    {Code::kReadOnly, "read_only"},
    {Code::kBusy, "busy"},
    {Code::kNotFound, "not_found"},
    {Code::kUsage, "usage"},
    {Code::kInvalidConfig, "invalid_config"},
    {Code::kInvalidRules, "invalid_rules"},
    {Code::kInvalidTransition, "invalid_transition"},
    {Code::kCorrupt, "corrupt"},
    {Code::kStoreError, "store_error"},
    {Code::kMailError, "mail_error"},
    {Code::kBindFailed, "bind_failed"},
    {Code::kInternal, "internal"},
}};

}  // namespace

const char* code_name(Code c) {
  for (const auto& [code, name] : kNames)
    if (code == c) return name;
  return "internal";
}

std::optional<Code> code_from_name(std::string_view name) {
  for (const auto& [code, n] : kNames)
    if (name == n) return code;
  return std::nullopt;
}

std::ostream& operator<<(std::ostream& os, Code c) { return os << code_name(c); }

bool is_finding_code(Code c) { return static_cast<int>(c) <= static_cast<int>(Code::kUnsafeEntry); }

bool is_transient(Code c) {
  return c == Code::kNoSpace || c == Code::kBusy || c == Code::kIoError || c == Code::kMailError;
}

}  // namespace clee
