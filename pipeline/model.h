// The packet model shared by every stage after extraction: what a packet is, what understanding
// made of its documents, and the Report (whose JSON shape is the contract in DESIGN.md).
// Plain data. validators/ and queue/ read these types and nothing else of pipeline/.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

// Where an outline block stands against the basic curriculum: inside it (the overlap is quoted),
// beyond it (inside, with depth: prerequisites, advanced methods, certifications, specialised
// tools), or new (no curriculum entry covers it). kNone: the pack has no curriculum to measure
// against, or the block names no topic (an exercise, a test).
enum class Fit { kNone, kInside, kBeyond, kNew };
const char* fit_name(Fit f);  // "" | inside | beyond | new
std::optional<Fit> fit_from_name(std::string_view name);

// The judgement of one outline block (one per Outline::blocks entry, same order).
struct BlockJudgement {
  std::string title;     // the block as the outline names it
  std::string topic;     // the title without "Block 3 –", "Day 1", "Hour 2:"
  double hours = 0;
  Fit fit = Fit::kNone;
  std::string curriculum;            // the curriculum entry it overlaps ("" = none)
  std::vector<std::string> overlap;  // the curriculum terms found in it
  Category category = Category::kNone;  // what its hours count as
  bool approvable = false;              // under the pack it was judged by
  std::string area;                     // curriculum area id ("" when the pack declares none)
  std::string area_by;                  // "" = the rules; the reviewer who corrected the area
  std::vector<Evidence> evidence;       // the block's line and the sentences that decided it
};

// Credit hours in one curriculum area (Missouri); the report's areas sum to the credit hours.
struct AreaHours {
  std::string area, name;
  double hours = 0;
  std::vector<Evidence> evidence;
};

struct ContentVerdict {
  Verdict verdict = Verdict::kUncertain;
  Category category = Category::kNone;  // kNone when uncertain with nothing leaning
  double score = 0;                     // share of the judged hours that is approvable (0..1)
  std::vector<Evidence> evidence;
  std::vector<BlockJudgement> blocks;
  std::vector<AreaHours> areas;
  std::vector<std::string> missing;  // uncertain: what the outline would need to be judged
};

// The rule pack a report was judged by: a re-check uses the same pack (by its hash).
struct RulesUsed {
  std::string path, jurisdiction, sha256;
  std::vector<std::pair<std::string, std::string>> areas;  // declared areas: id, name
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
  RulesUsed rules;
  // On the pack's provider list? nullopt when the pack lists no providers.
  std::optional<bool> provider_listed;
  std::vector<Finding> findings;
  Disposition disposition = Disposition::kNeedsInformation;
};

}  // namespace clee
