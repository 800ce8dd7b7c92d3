// extractors/layout*.cpp through the real extractors on the fixtures of fixtures/layout/ (made by
// fixtures/make/layout.py with LibreOffice, Chromium, reportlab, python-docx, Pillow's libtiff):
// key/value pairs by geometry, as `extract --format json` prints them (the DESIGN.md contract),
// widgets labelled by the printed text beside them, OCR boxes converted to points.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "extractors/document_json.h"
#include "extractors/extract.h"
#include "test_util.h"

namespace clee {
namespace {

Document read(const std::string& rel, const ExtractOptions& o = ExtractOptions{}) {
  std::string name = rel.substr(rel.rfind('/') + 1);
  Document d = extract_document(fixture("layout/" + rel), name, o);
  EXPECT_FALSE(d.error) << rel << ": " << d.error->message;
  return d;
}

// The value of the first pair whose key is `key`, "" when none.
std::string value_of(const Document& d, const std::string& key) {
  for (const auto& kv : d.key_values)
    if (kv.key == key) return kv.value;
  return "";
}

std::string one_line(std::string v) {
  for (auto& c : v)
    if (c == '\n') c = ' ';
  return v;
}

TEST(LayoutPairs, JsonShowsTheContractsKeysWithBoxesInPoints) {
  Document d = read("two_column_form/Request Form.pdf", no_ocr());
  nlohmann::json j = document_to_json(d);
  ASSERT_TRUE(j.contains("key_values"));
  ASSERT_GE(j["key_values"].size(), 10u);
  const double w = d.pages.at(0).width, h = d.pages.at(0).height;
  for (const auto& kv : j["key_values"]) {
    std::set<std::string> keys;
    for (const auto& [k, v] : kv.items()) keys.insert(k);
    EXPECT_EQ(keys, (std::set<std::string>{"key", "value", "page", "key_box", "value_box"}));
    EXPECT_EQ(kv["page"], 1);
    for (const char* b : {"key_box", "value_box"}) {
      ASSERT_EQ(kv[b].size(), 4u) << kv.dump();
      double x0 = kv[b][0], y0 = kv[b][1], x1 = kv[b][2], y1 = kv[b][3];
      EXPECT_TRUE(0 <= x0 && x0 < x1 && x1 <= w && 0 <= y0 && y0 < y1 && y1 <= h) << kv.dump();
    }
  }
  // Labels in one column, values in another: each label with the value on its band. The first
  // row is drawn at y = 680 from the bottom of a 792-point page: about 110 from the top.
  EXPECT_EQ(value_of(d, "Title of the Training Program"), "Small Unmanned Aircraft Operations for Crime Scene Documentation");
  EXPECT_EQ(value_of(d, "Coordinator Responsible"), "Lt. Gerald Okonkwo");
  const auto& first = d.key_values.front();
  EXPECT_EQ(first.key, "Name of Sponsoring Organization");
  EXPECT_NEAR(first.key_box->y1, 792 - 680, 3);
  EXPECT_NEAR(first.value_box->x0, 270, 1);
}

TEST(LayoutPairs, AValueWrappedInItsWordTableCellKeepsEveryLine) {
  Document d = read("word_table_wrap/CLEE Request.pdf", no_ocr());
  EXPECT_EQ(one_line(value_of(d, "Training Provider / Academy Name")),
            "Northeastern Pennsylvania Regional Law Enforcement Training and Leadership Institute");
  EXPECT_EQ(one_line(value_of(d, "Training Location")),
            "Wilkes-Barre Public Safety Complex, 1450 Mundy Street, Wilkes-Barre, PA 18702");
}

TEST(LayoutPairs, AWrappedLabelInAnHtmlGridIsOneLabel) {
  Document d = read("html_grid_form/Approval Request.pdf", no_ocr());
  EXPECT_EQ(one_line(value_of(d, "Training Provider / Academy Name")), "Allegheny County Police Training Academy");
  EXPECT_EQ(one_line(value_of(d, "Location")), "Allegheny County Public Safety Training Center, North Park");
  // The hint under the label belongs to the label, never to the value.
  bool hinted = false;
  for (const auto& kv : d.key_values) {
    EXPECT_EQ(kv.value.find("less than 60"), std::string::npos) << kv.key;
    hinted |= kv.key.find("Course Title") == 0 &&
              one_line(kv.value) == "Small Unmanned Aircraft Operations for Crime Scene Documentation";
  }
  EXPECT_TRUE(hinted);
}

TEST(LayoutPairs, TextNWidgetsTakeThePrintedLabelBesideOrAbove) {
  Document d = read("fillable_textn/Application.pdf", no_ocr());
  std::map<std::string, std::string> label;
  for (const auto& f : d.fields) {
    ASSERT_TRUE(f.box) << f.name;
    label[f.name] = f.label;
  }
  EXPECT_EQ(label["Text1"], "Agency / Organization");  // left of its box
  EXPECT_EQ(label["Text3"], "Course Name");            // above its box
  EXPECT_EQ(label["Text10"], "Course Location");
  EXPECT_EQ(label["Text14"], "Date Submitted");
  EXPECT_EQ(value_of(d, "Course Name"), "Small Unmanned Aircraft Operations for Crime Scene Documentation");
  EXPECT_EQ(value_of(d, "Point of Contact"), "Lt. Gerald Okonkwo");
}

TEST(LayoutPairs, DocxLabelsAboveValuesAndTabbedLabels) {
  Document d = read("docx_labels_above/Course Request.docx", no_ocr());
  EXPECT_EQ(value_of(d, "Training Provider"),
            "Northeastern Pennsylvania Regional Law Enforcement Training and Leadership Institute");
  EXPECT_EQ(value_of(d, "Course Title"), "Vehicle Infotainment and Telematics Forensics for Investigators");
  EXPECT_EQ(value_of(d, "Telephone"), "(570) 555-0186");
  for (const auto& kv : d.key_values) EXPECT_FALSE(kv.key_box) << "DOCX has no geometry";
}

// A G4 fax at 204 x 196 dpi and a phone photo: captions at the top of each box, the entry under
// it; boxes in points on a page of the image's size.
void expect_boxed_form(const Document& d, const std::string& provider, const std::string& number) {
  ASSERT_EQ(d.pages.size(), 1u);
  ASSERT_TRUE(d.pages[0].ocr);
  // Word for word (a fax's speck may stick to a word as a full stop: the understanding drops it).
  std::string got = one_line(value_of(d, "TRAINING PROVIDER"));
  got.erase(std::remove(got.begin(), got.end(), '.'), got.end());
  EXPECT_EQ(got, provider);
  EXPECT_EQ(value_of(d, "PROVIDER NUMBER"), number);
  EXPECT_FALSE(value_of(d, "CONTACT PERSON").empty());
  EXPECT_EQ(value_of(d, "PROVIDER NUMBER").find("HOURS"), std::string::npos);
  for (const auto& kv : d.key_values) {
    ASSERT_TRUE(kv.key_box && kv.value_box);
    EXPECT_LE(kv.value_box->x1, d.pages[0].width + 0.5) << kv.key;
    EXPECT_LE(kv.value_box->y1, d.pages[0].height + 0.5) << kv.key;
  }
}

TEST(LayoutPairs, FaxedBoxedForm) {
  Document d = read("fax_form/fax0001.tif");
  // 1734 pixels at 204 dpi across, 2156 at 196 dpi down: a letter page, 612 x 792 points (the
  // fax's pixels are not square: each axis by its own resolution).
  EXPECT_NEAR(d.pages.at(0).width, 612, 2);
  EXPECT_NEAR(d.pages.at(0).height, 792, 2);
  // The title, drawn at 738 points up a 792-point page: 54 from the top, 15-point capitals.
  bool title = false;
  for (const auto& w : d.pages[0].words)
    if (w.text == "APPROVAL") {
      title = true;
      EXPECT_NEAR(w.box.y1, 792 - 738, 4);  // turned 0.7°: a point or two
    }
  EXPECT_TRUE(title);
  expect_boxed_form(d, "Allegheny County Police Training Academy", "ACAD-0412");
}

TEST(LayoutPairs, PhotographedBoxedForm) {
  Document d = read("photo_form/IMG_20270203_094112.jpg");
  expect_boxed_form(d, "Northeastern Pennsylvania Regional Law Enforcement Training and Leadership Institute",
                    "MPOETC-CP-0977");
}

}  // namespace
}  // namespace clee
