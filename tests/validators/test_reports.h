// Hand-made understood reports for the validator tests: documents of a given type and text, and
// the real rule pack.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "pipeline/model.h"
#include "pipeline/rules.h"

namespace clee::testing_reports {

inline RulePack pa_rules() {
  auto r = load_rules(std::string(CLEE_SOURCE_DIR) + "/rules/pa-mpoetc.toml");
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? *r : RulePack{};
}

inline RulePack mo_rules() {
  auto r = load_rules(std::string(CLEE_SOURCE_DIR) + "/rules/mo-post.toml");
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? *r : RulePack{};
}

inline UnderstoodDocument doc(const std::string& name, DocType type, const std::string& text) {
  UnderstoodDocument u;
  u.name = name;
  u.doc.name = name;
  u.doc.format = Format::kPdf;
  u.doc.pages.push_back(Page{1, text, false, -1, 0});
  u.type = type;
  u.last_page = 1;
  return u;
}

// A packet whose form filled every required field, with one outline and one CV per instructor.
inline Report complete_report() {
  Report r;
  r.documents.push_back(doc("form.pdf", DocType::kRequestForm, "CLEE Request Form"));
  r.documents.push_back(doc("outline.pdf", DocType::kCourseOutline, "Course Outline"));
  r.documents.push_back(doc("miller.pdf", DocType::kInstructorCv, "JOHN A. MILLER\nResume"));
  r.fields.provider_name = "Keystone Institute";
  r.fields.course_title = "Advanced Crash Reconstruction";
  r.fields.credit_hours = 16;
  r.fields.instructors = std::vector<std::string>{"Sgt. John Miller (ret.)"};
  r.fields.contact_name = "Karen Whitfield";
  r.fields.contact_email = "kw@example.org";
  r.cvs.push_back({std::string("John A. Miller"), {}, "miller.pdf"});
  return r;
}

inline bool has(const Report& r, Code code) {
  return std::any_of(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.code == code; });
}

inline int count(const Report& r, Code code) {
  return static_cast<int>(std::count_if(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.code == code; }));
}

}  // namespace clee::testing_reports
