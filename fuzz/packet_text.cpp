#include "fuzz/packet_text.h"

#include "fuzz/fuzz_support.h"
#include "pipeline/report_json.h"
#include "pipeline/summary.h"
#include "pipeline/understand.h"
#include "validators/validators.h"

namespace clee::fuzz {

const std::vector<std::string>& sample_packet_pages() {
  static const std::vector<std::string> pages = {
      "CLEE Course Approval Request Form\n"
      "Provider Name: Keystone Public Safety Training Institute\n"
      "Provider Number: MPOETC-CP-0412\n"
      "Course Title: Advanced Crash Reconstruction Using Event Data Recorders\n"
      "Credit Hours Requested: 16\n"
      "Instructor(s): Sgt. John A. Miller (ret.); Dr. Maria Lopez, LCSW\n"
      "Contact Person: Karen Whitfield\n"
      "Email: kwhitfield@keystonepsti.org\n"
      "Phone: (717) 555-0142\n",
      "Course Outline\nAdvanced Crash Reconstruction Using Event Data Recorders\n"
      "Objectives\n1. Demonstrate the retrieval of event data recorder data using the Bosch CDR tool.\n"
      "2. Analyse pre-crash data to reconstruct vehicle speed.\n"
      "Block 1 Event data recorder fundamentals 4 hours\n"
      "Block 2 Momentum and energy analysis 4 hours\n"
      "Lunch 1 hour\n"
      "Block 3 Case studies 8 hours\nTotal hours: 16\n",
      "JOHN A. MILLER\nCurriculum Vitae\nProfessional Experience\n"
      "2004-2024 Pennsylvania State Police, collision reconstruction unit\n"
      "Education\nB.S. Mechanical Engineering, Penn State University\n"
      "Certifications\nACTAR accredited reconstructionist\n"};
  return pages;
}

void understand_and_validate(const std::vector<std::string>& pages, const RulePack& rules) {
  Document doc;
  doc.name = "packet.pdf";
  doc.format = Format::kPdf;
  for (size_t i = 0; i < pages.size(); ++i) doc.pages.push_back(Page{static_cast<int>(i + 1), pages[i], false, -1, 0});
  Report report;
  report.source = "fuzz";
  report.documents = understand_documents({doc}, {"file"}, rules);
  int next = 1;
  for (const auto& u : report.documents) {
    fuzz_check(u.first_page == next && u.last_page >= u.first_page - 1, "split parts cover the pages in order");
    next = u.last_page + 1;
    Fields f = extract_fields(u, rules);
    Outline o = extract_outline(u, rules);
    InstructorCv cv = extract_cv(u);
    if (u.type == DocType::kRequestForm) report.fields = std::move(f);
    if (u.type == DocType::kCourseOutline) report.outline = std::move(o);
    if (u.type == DocType::kInstructorCv) report.cvs.push_back(std::move(cv));
  }
  fuzz_check(next == static_cast<int>(pages.size()) + 1 || (pages.empty() && next == 1), "split parts end at the last page");
  for (const auto& v : make_validators()) v->validate(rules, report);
  // Page texts are not in the report JSON (the queue keeps them beside it), so the first read
  // loses "chars"; from then on the codec must be a fixed point.
  auto back = report_from_json(report_to_json(report));
  fuzz_check(back.ok(), "a report made by the pipeline reads back");
  auto once = report_to_json(*back);
  auto again = report_from_json(once);
  fuzz_check(again.ok(), "a report read back reads back again");
  fuzz_check_same(once, report_to_json(*again), "a report made by the pipeline round-trips through JSON");
  fuzz_check(!render_markdown(report).empty() && !render_html(report).empty(), "summaries render");
}

}  // namespace clee::fuzz
