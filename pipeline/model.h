// The packet model shared by every stage after extraction: what a packet is, what understanding
// made of its documents, and the Report (whose JSON shape is the contract in DESIGN.md).
// Plain data. validators/ and queue/ read these types and nothing else of pipeline/.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extractors/document.h"

namespace clee {

// One file as it arrived (a folder's file, the zip/eml itself, a single path).
// The original is always kept whole: `bytes` holds it when it is within the extraction limit
// (max_file_bytes); a larger one is not read into memory — `path` names where the store streams it
// from, and extraction reports limit_exceeded. An entry that is not a file we read (a symbolic
// link, a FIFO, a device) is `refused`: never read, never stored, but named in the report.
struct SourceFile {
  std::string label;   // name as the provider gave it; never used as a path
  std::string sha256;  // hex of the whole original ("" when refused)
  std::string bytes;   // the original bytes, when size <= the extraction limit
  uint64_t size = 0;   // bytes in the original
  std::string path;    // where to stream it from when `bytes` does not hold it; "" otherwise
  std::optional<Error> refused;

  // An in-memory original (the common case).
  static SourceFile in_memory(std::string label, std::string bytes);
  bool held() const { return path.empty() && !refused; }  // `bytes` is the whole original
};

// What one provider sent for one course.
struct Packet {
  std::string id;           // queue id when stored; "" for `check`
  std::string source;       // path, or message id as given
  std::string received_at;  // ISO 8601 UTC
  std::vector<SourceFile> files;
};

enum class DocType { kRequestForm, kCourseOutline, kInstructorCv, kCoverLetter, kUnknown };
const char* doc_type_name(DocType t);  // "request_form", ...
std::optional<DocType> doc_type_from_name(std::string_view name);

// The report's vocabularies as enums; each *_name gives the contract's string, each *_from_name
// its inverse (nullopt for a name outside the vocabulary).
enum class Severity { kError, kWarning, kInfo };
enum class Verdict { kAdvanced, kNotAdvanced, kUncertain };
enum class Category { kNone, kNewOrAdvanced, kBasicAcademy, kDepartmentPolicy, kAnnualRefresher, kRequalification };
enum class Disposition { kReadyForReview, kNeedsInformation };
const char* severity_name(Severity s);        // error | warning | info
const char* verdict_name(Verdict v);          // advanced | not_advanced | uncertain
const char* category_name(Category c);        // new_or_advanced | ... ; "" for kNone
const char* disposition_name(Disposition d);  // ready_for_review | needs_information
std::optional<Severity> severity_from_name(std::string_view name);
std::optional<Verdict> verdict_from_name(std::string_view name);
std::optional<Category> category_from_name(std::string_view name);  // "" → kNone
std::optional<Disposition> disposition_from_name(std::string_view name);
std::ostream& operator<<(std::ostream& os, DocType v);
std::ostream& operator<<(std::ostream& os, Severity v);
std::ostream& operator<<(std::ostream& os, Verdict v);
std::ostream& operator<<(std::ostream& os, Category v);
std::ostream& operator<<(std::ostream& os, Disposition v);

// A Document placed in its packet: its type, and for a part of a combined PDF, its page range.
struct UnderstoodDocument {
  Document doc;           // pages limited to the range for a split part
  DocType type = DocType::kUnknown;
  std::string name;       // report name: "Packet.pdf" or "Packet.pdf (pages 3-4)"
  int first_page = 1;     // 1-based range within the original file
  int last_page = 0;
  double type_score = 0;  // classifier confidence, for the summary
};

struct Evidence {
  std::string document;
  int page = 0;  // 1-based, 0 when unknown
  std::string quote;
  std::string rule;  // which rule or label carried it
  // Where on `page` the quote sits (points from the page's top-left, as Document boxes are);
  // nullopt when the document has no geometry or the quote was not found on the page.
  std::optional<Box> box = std::nullopt;
};

struct Finding {
  Code code = Code::kInternal;  // a finding code (is_finding_code), DESIGN.md
  Severity severity = Severity::kError;
  std::string message;
  std::string document;  // "" when about the packet
  std::vector<Evidence> evidence;
};

struct OutlineBlock {
  std::string title;
  std::optional<double> hours;
};

struct Outline {
  std::optional<std::string> title;
  std::vector<OutlineBlock> blocks;
  std::optional<double> total_hours;
  std::vector<std::string> objectives;
  std::string document;
};

struct InstructorCv {
  std::optional<std::string> name;
  std::vector<std::string> qualifications;
  std::string document;
};

// Request-form fields. A field not found is nullopt (JSON null), never "" or a guess.
struct Fields {
  std::optional<std::string> provider_name, provider_number, course_title;
  std::optional<double> credit_hours;
  std::optional<std::vector<std::string>> instructors;
  std::optional<std::string> contact_name, contact_email, contact_phone;
  std::optional<std::string> dates, location, delivery_method, description;
  std::vector<Evidence> evidence;  // where each field came from (rule = field name)
};

struct ContentVerdict {
  Verdict verdict = Verdict::kUncertain;
  Category category = Category::kNone;  // kNone when uncertain with nothing leaning
  double score = 0;
  std::vector<Evidence> evidence;
};

struct Report {
  std::string schema = "clee-intake.report/v1";
  std::string source;
  std::string received_at;
  std::vector<UnderstoodDocument> documents;
  Fields fields;
  Outline outline;
  std::vector<InstructorCv> cvs;
  bool complete = false;
  std::vector<std::string> missing;  // request_form | course_outline | instructor_cv
  ContentVerdict content;
  std::vector<Finding> findings;
  Disposition disposition = Disposition::kNeedsInformation;
};

}  // namespace clee
