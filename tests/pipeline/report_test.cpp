// pipeline/report.cpp and pipeline/text.cpp: a report holding document text that is not valid
// UTF-8 still prints (U+FFFD in its place) and reads back; punctuation trimming keeps UTF-8 whole.
#include <gtest/gtest.h>

#include "pipeline/report_json.h"
#include "pipeline/summary.h"
#include "pipeline/text.h"

namespace clee {
namespace {

TEST(ReportJson, InvalidUtf8FromADocumentIsReplacedNotFatal) {
  Report r;
  r.source = "packet";
  r.fields.course_title = std::string("Crash \xE2\x80", 8);  // an en dash cut in half
  r.content.evidence.push_back({"outline.pdf", 2, std::string("caf\xE9 review", 11), "review-material"});
  nlohmann::json j = report_to_json(r);
  std::string out;
  ASSERT_NO_THROW(out = j.dump());
  EXPECT_NE(out.find("\xEF\xBF\xBD"), std::string::npos);  // U+FFFD
  auto back = report_from_json(nlohmann::json::parse(out));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->content.evidence.size(), 1u);
  EXPECT_EQ(back->content.evidence[0].page, 2);
}

// A judged Missouri report: per-block judgements, hours per area, the pack it was judged by.
Report judged() {
  Report r;
  r.source = "packet";
  r.fields.course_title = "In-Service <Day>";
  r.fields.credit_hours = 3;
  r.rules = {"rules/mo-post.toml", "Missouri POST", "938fee7744c5aa", {{"legal_studies", "Legal Studies"}, {"de_escalation", "De-escalation"}}};
  r.provider_listed = false;
  BlockJudgement a;
  a.title = "Case law <update>";
  a.topic = "Case law <update>";
  a.hours = 2;
  a.fit = Fit::kNew;
  a.category = Category::kNewOrAdvanced;
  a.approvable = true;
  a.area = "legal_studies";
  a.evidence = {{"outline.pdf", 1, "Case law <update> (2 hours)", "new: not in the basic curriculum"},
                {"outline.pdf", 1, "Case law <update> (2 hours)", "area:legal_studies (case law)"}};
  BlockJudgement b = a;
  b.title = "Talking people down";
  b.hours = 1;
  b.fit = Fit::kInside;
  b.curriculum = "human_relations";
  b.overlap = {"conflict resolution"};
  b.category = Category::kBasicAcademy;
  b.approvable = false;
  b.area = "de_escalation";
  b.area_by = "kim";
  r.content.blocks = {a, b};
  r.content.areas = {{"legal_studies", "Legal Studies", 2, {a.evidence[1]}}, {"de_escalation", "De-escalation", 1, {}}};
  r.content.verdict = Verdict::kAdvanced;
  r.content.category = Category::kNewOrAdvanced;
  r.content.missing = {"objectives"};
  return r;
}

TEST(ReportJson, BlocksAreasAndRulesRoundTrip) {
  Report r = judged();
  nlohmann::json j = report_to_json(r);
  EXPECT_EQ(j["content"]["areas"][0], (nlohmann::json{{"area", "legal_studies"}, {"name", "Legal Studies"}, {"hours", 2},
                                                      {"evidence", {{{"document", "outline.pdf"}, {"page", 1},
                                                                     {"quote", "Case law <update> (2 hours)"},
                                                                     {"rule", "area:legal_studies (case law)"}}}}}));
  EXPECT_EQ(j["content"]["blocks"][1]["fit"], "inside");
  EXPECT_EQ(j["content"]["blocks"][1]["area_by"], "kim");
  EXPECT_EQ(j["content"]["blocks"][0]["curriculum"], nullptr);
  EXPECT_EQ(j["rules"]["sha256"], "938fee7744c5aa");
  EXPECT_EQ(j["rules"]["areas"][1]["id"], "de_escalation");
  EXPECT_EQ(j["provider_listed"], false);
  auto back = report_from_json(j);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(report_to_json(*back), j);  // nothing lost
  j["content"]["blocks"][0]["fit"] = "sideways";
  EXPECT_FALSE(report_from_json(j));  // a name outside the vocabulary is a malformed report
  // A report saved before per-block judgements reads back with none.
  nlohmann::json old = report_to_json(Report{});
  old["content"].erase("blocks");
  old["content"].erase("areas");
  old.erase("rules");
  auto read = report_from_json(old);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_TRUE(read->content.blocks.empty());
}

TEST(ReportJson, EvidenceBoxesRoundTripAndBadOnesAreRefused) {
  Report r;
  r.fields.provider_name = "Keystone Institute";
  r.fields.evidence.push_back({"form.pdf", 1, "Provider: Keystone Institute", "provider_name", Box{72, 104.5, 300, 114}});
  r.fields.evidence.push_back({"form.docx", 1, "Provider: Keystone Institute", "provider_name"});
  nlohmann::json j = report_to_json(r);
  EXPECT_EQ(j["field_evidence"][0]["box"], (nlohmann::json{72, 104.5, 300, 114}));
  EXPECT_FALSE(j["field_evidence"][1].contains("box"));  // no geometry, no key
  auto back = report_from_json(j);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->fields.evidence[0].box, (Box{72, 104.5, 300, 114}));
  EXPECT_FALSE(back->fields.evidence[1].box);
  EXPECT_EQ(report_to_json(*back), j);
  for (nlohmann::json bad : {nlohmann::json{1, 2, 3}, nlohmann::json{300, 1, 72, 2}, nlohmann::json{1, 2, "3", 4},
                             nlohmann::json("72,104,300,114")}) {
    nlohmann::json k = j;
    k["field_evidence"][0]["box"] = bad;
    EXPECT_FALSE(report_from_json(k)) << bad.dump();
  }
}

TEST(Summary, PerBlockJudgementAndHoursPerAreaEscaped) {
  Report r = judged();
  std::string html = render_html(r);
  EXPECT_NE(html.find("Content by outline block"), std::string::npos);
  EXPECT_NE(html.find("Case law &lt;update&gt;"), std::string::npos);
  EXPECT_EQ(html.find("Case law <update>"), std::string::npos);
  EXPECT_NE(html.find("inside the basic curriculum · basic_academy"), std::string::npos);
  EXPECT_NE(html.find("de_escalation (corrected by kim)"), std::string::npos);
  EXPECT_NE(html.find("Hours by curriculum area"), std::string::npos);
  EXPECT_NE(html.find("Legal Studies <span class=\"src\">legal_studies</span></td><td>2</td>"), std::string::npos);
  EXPECT_NE(html.find("Judged by Missouri POST — rules/mo-post.toml (sha256 938fee7744c5…)"), std::string::npos);
  std::string md = render_markdown(r);
  EXPECT_NE(md.find("| Case law \\<update\\> | 2 | new · new\\_or\\_advanced \\(approvable\\) | legal\\_studies |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| Legal Studies (legal\\_studies) | 2 |"), std::string::npos);
  EXPECT_NE(md.find("missing:** objectives"), std::string::npos);
}

TEST(Text, TrimPunctKeepsUtf8Whole) {
  EXPECT_EQ(text::trim_punct("– Module 1 – Airspace –", "-:"), "Module 1 – Airspace");
  EXPECT_EQ(text::trim_punct("‘Course Outline |", "|"), "Course Outline");
  EXPECT_EQ(text::trim_punct("☒ Classroom", "-"), "☒ Classroom");  // a symbol, not punctuation
  EXPECT_EQ(text::normalise("‘Course Name’:"), "course name");
  EXPECT_TRUE(text::contains_phrase("the “refresher” course", "refresher"));
}

}  // namespace
}  // namespace clee
