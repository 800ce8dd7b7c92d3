// queue/exports.cpp: the catalog row's hours per curriculum area (Missouri), read from the saved
// report: one CSV column per area, an "Hours by area" HTML column; a catalog with no areas is as
// it always was.
#include "queue/exports.h"

#include "tests/queue/store_fixture.h"

namespace clee {
namespace {

class Exports : public StoreTest {
 protected:
  // An approved course whose report splits its hours across areas.
  std::string approved_with_areas(const std::string& content, std::vector<AreaHours> areas) {
    Packet p = packet(content);
    for (auto& f : p.files) EXPECT_TRUE(store_->put_object(f.bytes));
    auto r = store_->receive(p, "test", "tester");
    auto lease = store_->claim(r->id, "tester");
    Report rep;
    rep.disposition = Disposition::kReadyForReview;
    rep.fields.course_title = "Course " + content;
    rep.fields.credit_hours = 8;
    rep.content.areas = std::move(areas);
    EXPECT_TRUE(store_->save_report(*lease, rep, "tester"));
    EXPECT_TRUE(store_->approve(r->id, "Pat", 1, rules_));
    return r->id;
  }
};

TEST_P(Exports, CatalogRowsCarryHoursPerArea) {
  std::string mo = approved_with_areas("mo", {{"legal_studies", "Legal Studies", 2, {}}, {"technical_studies", "Technical Studies", 6, {}}});
  std::string other = approved_with_areas("de", {{"de_escalation", "De-escalation", 8, {}}});
  ASSERT_TRUE(store_->approve(add("pa"), "Pat", 1, rules_));  // a course with no areas
  auto rows = store_->catalog("2026-06-01");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 3u);
  CatalogAreas areas = catalog_areas(*store_, *rows);
  ASSERT_EQ(areas.size(), 2u);
  EXPECT_EQ(areas.at(mo).size(), 2u);
  EXPECT_EQ(area_hours_text(areas.at(mo)), "Legal Studies 2 · Technical Studies 6");
  std::string csv = catalog_csv(*rows, areas);
  std::string header = csv.substr(0, csv.find("\r\n"));
  EXPECT_EQ(header, "CLEE ID,Course Title,Credit Hours,Contact,Contact Email,Contact Phone,Provider,Expires,"
                    "\"Legal Studies Hours\",\"Technical Studies Hours\",\"De-escalation Hours\"");
  EXPECT_NE(csv.find("\"Course mo\",\"8\",\"\",\"\",\"\",\"\",\"2026-12-31\",\"2\",\"6\",\"\"\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\"Course de\",\"8\",\"\",\"\",\"\",\"\",\"2026-12-31\",\"\",\"\",\"8\"\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\"Course pa\",\"8\",\"Pat\",\"pat@example.org\",\"\",\"\",\"2026-12-31\",\"\",\"\",\"\"\r\n"), std::string::npos)
      << csv;
  std::string html = catalog_html(*rows, "2026-06-01", "Missouri POST", areas);
  EXPECT_NE(html.find("<th>Hours by area</th>"), std::string::npos);
  EXPECT_NE(html.find("<td>Legal Studies 2 · Technical Studies 6</td>"), std::string::npos);
  // Without areas: the columns are not there at all.
  std::string plain = catalog_csv(*rows);
  EXPECT_EQ(plain.substr(0, plain.find("\r\n")), "CLEE ID,Course Title,Credit Hours,Contact,Contact Email,Contact Phone,Provider,Expires");
  EXPECT_EQ(catalog_html(*rows, "2026-06-01", "X").find("Hours by area"), std::string::npos);
}

CLEE_BOTH_BACKENDS(Exports);

}  // namespace
}  // namespace clee
