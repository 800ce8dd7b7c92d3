// Completeness: the three document types present and readable, required form fields filled, and a
// CV for every instructor named on the form (names compared without ranks, degrees, initials).
#include <set>

#include "pipeline/names.h"
#include "pipeline/text.h"
#include "validators/validators.h"

namespace clee {
namespace {

bool field_present(const Fields& f, const std::string& key) {
  if (key == "provider_name") return f.provider_name.has_value();
  if (key == "provider_number") return f.provider_number.has_value();
  if (key == "course_title") return f.course_title.has_value();
  if (key == "credit_hours") return f.credit_hours.has_value();
  if (key == "instructors") return f.instructors.has_value();
  if (key == "contact_name") return f.contact_name.has_value();
  if (key == "contact_email") return f.contact_email.has_value();
  if (key == "contact_phone") return f.contact_phone.has_value();
  if (key == "dates") return f.dates.has_value();
  if (key == "location") return f.location.has_value();
  if (key == "delivery_method") return f.delivery_method.has_value();
  if (key == "description") return f.description.has_value();
  return true;
}

class Completeness : public Validator {
 public:
  const char* name() const override { return "completeness"; }

  void validate(const RulePack& rules, Report& r) const override {
    bool blocking_error = false;
    std::set<std::string> present;
    const UnderstoodDocument* form = nullptr;
    for (const auto& d : r.documents) {
      if (d.doc.error) {
        blocking_error = true;
        r.findings.push_back({d.doc.error->code, Severity::kError, d.name + ": " + d.doc.error->message, d.name, {}});
        continue;
      }
      present.insert(doc_type_name(d.type));
      if (d.type == DocType::kRequestForm && !form) form = &d;
    }
    for (const auto& need : rules.required_documents) {
      if (present.count(need)) continue;
      r.missing.push_back(need);
      r.findings.push_back({Code::kMissingDocument, Severity::kError, "No " + describe(need) + " was found in the packet", "", {}});
    }
    bool fields_ok = true;
    if (form) {
      for (const auto& key : rules.required_fields) {
        if (field_present(r.fields, key)) continue;
        fields_ok = false;
        r.findings.push_back({Code::kMissingField, Severity::kError, "The request form has no value for " + key, form->name, {}});
      }
    }
    bool cvs_ok = check_instructors(r);
    r.complete = r.missing.empty() && fields_ok && cvs_ok && !blocking_error;
    r.disposition = r.complete ? Disposition::kReadyForReview : Disposition::kNeedsInformation;
  }

 private:
  static std::string describe(const std::string& type) {
    if (type == "request_form") return "CLEE request form";
    if (type == "course_outline") return "course outline";
    if (type == "instructor_cv") return "instructor CV/resume";
    return type;
  }

  static bool has_cv(const Report& r, const PersonName& want) {
    if (want.empty()) return false;
    for (const auto& cv : r.cvs)
      if (cv.name && same_person(want, parse_person_name(*cv.name))) return true;
    // A CV whose heading we could not read as a name: look for the family name at its top.
    for (const auto& d : r.documents) {
      if (d.type != DocType::kInstructorCv || d.doc.pages.empty()) continue;
      std::string head = text::name_key(d.doc.pages.front().text.substr(0, 400));  // want is folded too
      if (text::contains_phrase(head, want.family) && (want.given.empty() || text::contains_phrase(head, want.given)))
        return true;
    }
    return false;
  }

  // "John Miller Maria Lopez": a Word cell with one name per line arrives as one run of words.
  static bool two_people_with_cvs(const Report& r, const std::string& instructor) {
    std::vector<std::string> w;
    for (size_t pos = 0; pos < instructor.size();) {
      size_t sp = instructor.find(' ', pos);
      if (sp == std::string::npos) sp = instructor.size();
      if (sp > pos) w.push_back(instructor.substr(pos, sp - pos));
      pos = sp + 1;
    }
    for (size_t k = 2; w.size() >= 4 && k + 2 <= w.size(); ++k) {
      std::string a, b;
      for (size_t i = 0; i < w.size(); ++i) (i < k ? a : b) += (i == 0 || i == k ? "" : " ") + w[i];
      if (has_cv(r, parse_person_name(a)) && has_cv(r, parse_person_name(b))) return true;
    }
    return false;
  }

  static bool check_instructors(Report& r) {
    if (!r.fields.instructors) return true;
    bool ok = true;
    for (const auto& instructor : *r.fields.instructors) {
      PersonName want = parse_person_name(instructor);
      if (want.empty()) continue;
      if (has_cv(r, want) || two_people_with_cvs(r, instructor)) continue;
      ok = false;
      r.findings.push_back({Code::kInstructorWithoutCv, Severity::kError,
                            "Instructor \"" + instructor + "\" is named on the request form but no CV/resume was found",
                            "", {}});
    }
    return ok;
  }
};

}  // namespace

std::unique_ptr<Validator> make_completeness_validator() { return std::make_unique<Completeness>(); }

std::vector<std::unique_ptr<Validator>> make_validators() {
  std::vector<std::unique_ptr<Validator>> v;
  v.push_back(make_completeness_validator());
  v.push_back(make_consistency_validator());
  v.push_back(make_content_validator());
  v.push_back(make_provider_validator());
  v.push_back(make_ocr_quality_validator());
  return v;
}

}  // namespace clee
