#include "pipeline/model.h"

#include <ostream>

#include "base/hash.h"

namespace clee {
namespace {

template <typename E, size_t N>
std::optional<E> find(const std::pair<E, const char*> (&table)[N], std::string_view name) {
  for (const auto& [e, n] : table)
    if (name == n) return e;
  return std::nullopt;
}

template <typename E, size_t N>
const char* name_of(const std::pair<E, const char*> (&table)[N], E e) {
  for (const auto& [x, n] : table)
    if (x == e) return n;
  return "";
}

const std::pair<DocType, const char*> kDocTypes[] = {{DocType::kRequestForm, "request_form"},
                                                     {DocType::kCourseOutline, "course_outline"},
                                                     {DocType::kInstructorCv, "instructor_cv"},
                                                     {DocType::kCoverLetter, "cover_letter"},
                                                     {DocType::kUnknown, "unknown"}};
const std::pair<Severity, const char*> kSeverities[] = {
    {Severity::kError, "error"}, {Severity::kWarning, "warning"}, {Severity::kInfo, "info"}};
const std::pair<Verdict, const char*> kVerdicts[] = {
    {Verdict::kAdvanced, "advanced"}, {Verdict::kNotAdvanced, "not_advanced"}, {Verdict::kUncertain, "uncertain"}};
const std::pair<Category, const char*> kCategories[] = {{Category::kNone, ""},
                                                        {Category::kNewOrAdvanced, "new_or_advanced"},
                                                        {Category::kBasicAcademy, "basic_academy"},
                                                        {Category::kDepartmentPolicy, "department_policy"},
                                                        {Category::kAnnualRefresher, "annual_refresher"},
                                                        {Category::kRequalification, "requalification"}};
const std::pair<Fit, const char*> kFits[] = {
    {Fit::kNone, ""}, {Fit::kInside, "inside"}, {Fit::kBeyond, "beyond"}, {Fit::kNew, "new"}};
const std::pair<Disposition, const char*> kDispositions[] = {{Disposition::kReadyForReview, "ready_for_review"},
                                                             {Disposition::kNeedsInformation, "needs_information"}};

}  // namespace

SourceFile SourceFile::in_memory(std::string label, std::string bytes) {
  SourceFile f;
  f.label = std::move(label);
  f.sha256 = sha256_hex(bytes);
  f.size = bytes.size();
  f.bytes = std::move(bytes);
  return f;
}

const char* doc_type_name(DocType t) { return name_of(kDocTypes, t); }
std::optional<DocType> doc_type_from_name(std::string_view n) { return find(kDocTypes, n); }
const char* severity_name(Severity s) { return name_of(kSeverities, s); }
const char* verdict_name(Verdict v) { return name_of(kVerdicts, v); }
const char* category_name(Category c) { return name_of(kCategories, c); }
const char* disposition_name(Disposition d) { return name_of(kDispositions, d); }
const char* fit_name(Fit f) { return name_of(kFits, f); }
std::optional<Fit> fit_from_name(std::string_view n) { return find(kFits, n); }
std::optional<Severity> severity_from_name(std::string_view n) { return find(kSeverities, n); }
std::optional<Verdict> verdict_from_name(std::string_view n) { return find(kVerdicts, n); }
std::optional<Category> category_from_name(std::string_view n) { return find(kCategories, n); }
std::optional<Disposition> disposition_from_name(std::string_view n) { return find(kDispositions, n); }

std::ostream& operator<<(std::ostream& os, DocType v) { return os << doc_type_name(v); }
std::ostream& operator<<(std::ostream& os, Severity v) { return os << severity_name(v); }
std::ostream& operator<<(std::ostream& os, Verdict v) { return os << verdict_name(v); }
std::ostream& operator<<(std::ostream& os, Category v) { return os << (v == Category::kNone ? "(none)" : category_name(v)); }
std::ostream& operator<<(std::ostream& os, Disposition v) { return os << disposition_name(v); }

}  // namespace clee
