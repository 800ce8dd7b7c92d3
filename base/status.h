// Errors as values, for every stage: a typed Code, a Status (ok or an Error) and a Result<T> (a
// value or an Error). Codes are one enum: the report's finding codes (DESIGN.md, "The report
// contract") and the internal ones (io error, busy, not found, usage, ...). Callers branch on the
// code, never on message text; `code_name` gives the stable snake_case name used in JSON, in the
// store and in logs. Plain values, safe to copy between threads.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace clee {

enum class Code {
  // --- the report's finding vocabulary (names are a contract) ---
  kMissingDocument,
  kMissingField,
  kUnreadableDocument,
  kEncryptedDocument,
  kUnsupportedFormat,
  kInstructorWithoutCv,
  kHoursMismatch,
  kNotAdvancedContent,
  kUncertainContent,
  kDuplicatePacket,
  kProviderNotCertified,
  kLimitExceeded,
  kOcrLowConfidence,
  kTitleMismatch,   // ours: the form's and the outline's titles differ
  kUnsafeEntry,     // ours: a symlink, device or pipe in a packet, inbox or Maildir: never followed
  // --- internal codes (never a finding on a report) ---
  kIoError,            // a file-system call failed (the message names the path and the cause)
  kNoSpace,            // ENOSPC / EDQUOT / SQLITE_FULL: transient, retried with backoff
  kReadOnly,           // EROFS / EACCES on a write, SQLITE_READONLY
  kBusy,               // another process holds it (a lease, a database lock)
  kNotFound,
  kUsage,              // a bad command line or argument
  kInvalidConfig,      // FILE:LINE: message
  kInvalidRules,       // FILE:LINE: message
  kInvalidTransition,  // a packet state change the state machine refuses
  kCorrupt,            // stored data that does not read back (a truncated database, a bad object)
  kStoreError,         // any other database failure
  kMailError,          // a mail server or mailbox failed (network, protocol)
  kBindFailed,
  kInternal,           // an exception or a bug, caught at a boundary
};

// "missing_document", "io_error", ...
const char* code_name(Code c);
// The inverse of code_name; nullopt for names not in the vocabulary.
std::optional<Code> code_from_name(std::string_view name);
// True for the report's finding vocabulary (DESIGN.md), false for internal codes.
bool is_finding_code(Code c);
// Prints code_name (logs, test failure messages).
std::ostream& operator<<(std::ostream& os, Code c);
// Failures that may pass by themselves (a full disk, a locked database, a mail server down):
// retried with backoff rather than recorded as the item's final state.
bool is_transient(Code c);

// A typed failure: `code` to branch on, `message` for a human (names the path, file:line, ...).
struct Error {
  Code code = Code::kInternal;
  std::string message;
};

// Result<T>: a value or an Error. Errors are values; exceptions do not cross stage boundaries.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Status: Result without a value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  static Status Ok() { return Status(); }
  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *error_; }
  Code code() const { return error_ ? error_->code : Code::kInternal; }

 private:
  std::optional<Error> error_;
};

}  // namespace clee
