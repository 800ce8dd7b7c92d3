// Every packet in fixtures/packets/EXPECTED.json (written by the fixtures' own script from the
// content they rendered) through the real pipeline in-process, each listed fact asserted: document
// types, missing documents, completeness, disposition, verdict and category with evidence, finding
// codes present and absent, form fields, document errors, OCR'd documents, outline hours, blocks
// and objectives. The JSON is compared as the report contract prints it (report_to_json).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "pipeline/report_json.h"
#include "pipeline/summary.h"
#include "pipeline/runner.h"
#include "validators/validators.h"

namespace clee {
namespace {

using nlohmann::json;

const std::string kPackets = std::string(CLEE_SOURCE_DIR) + "/fixtures/packets/";

json expected() {
  std::ifstream in(kPackets + "EXPECTED.json");
  if (!in) return json::object();
  return json::parse(in, nullptr, false);
}

// "combined.pdf (page 3)" names the part starting on page 3; else the name or its last segment.
const json* find_doc(const json& docs, const std::string& key) {
  if (key.size() > 1 && key.back() == ')' && key.find(" (page ") != std::string::npos) {
    int first = std::stoi(key.substr(key.rfind(" (page ") + 7));
    for (const auto& d : docs)
      if (d.contains("page_range") && d["page_range"][0] == first) return &d;
    return nullptr;
  }
  for (const auto& d : docs) {
    std::string name = d.value("name", "");
    if (name == key || (name.size() > key.size() && name.compare(name.size() - key.size() - 1, std::string::npos, "/" + key) == 0))
      return &d;
  }
  return nullptr;
}

// The member, or an empty value: never a temporary that a range-for would outlive.
const json& member(const json& j, const char* key) {
  static const json kEmpty = json::object();
  return j.contains(key) ? j[key] : kEmpty;
}

json hours(const json& v) {
  if (v.is_number_float() && v.get<double>() == static_cast<double>(static_cast<long long>(v.get<double>())))
    return static_cast<long long>(v.get<double>());
  return v;
}

void compare(const json& exp, const json& rep) {
  const json& docs = rep["documents"];
  for (const auto& [key, type] : member(exp, "documents").items()) {
    const json* d = find_doc(docs, key);
    ASSERT_NE(d, nullptr) << "document " << key << " not in report";
    EXPECT_EQ((*d)["type"], type) << key;
  }
  if (exp.contains("types")) {
    std::vector<std::string> types;
    for (const auto& d : docs) types.push_back(d["type"]);
    std::sort(types.begin(), types.end());
    EXPECT_EQ(json(types), exp["types"]);
  }
  if (exp.contains("document_count")) { EXPECT_EQ(docs.size(), exp["document_count"].get<size_t>()); }
  for (const char* key : {"missing", "complete", "disposition"})
    if (exp.contains(key)) { EXPECT_EQ(rep[key], exp[key]) << key; }
  const json& content = rep["content"];
  if (exp.contains("verdict")) { EXPECT_EQ(content["verdict"], exp["verdict"]); }
  if (exp.contains("category")) { EXPECT_EQ(content["category"], exp["category"]); }
  if (exp.contains("category_any")) {
    const auto& any = exp["category_any"];
    EXPECT_NE(std::find(any.begin(), any.end(), content["category"]), any.end()) << content["category"];
  }
  if (exp.value("verdict", "") == "advanced" || exp.value("verdict", "") == "not_advanced") {
    EXPECT_FALSE(content["evidence"].empty()) << "a verdict without quotes";
  }
  std::vector<std::string> codes;
  for (const auto& f : rep["findings"]) codes.push_back(f["code"]);
  for (const auto& c : member(exp, "codes_include"))
    EXPECT_NE(std::find(codes.begin(), codes.end(), c.get<std::string>()), codes.end()) << "missing finding " << c;
  for (const auto& c : member(exp, "codes_exclude"))
    EXPECT_EQ(std::find(codes.begin(), codes.end(), c.get<std::string>()), codes.end()) << "unexpected finding " << c;
  for (const auto& [code, text] : member(exp, "finding_mentions").items()) {
    bool found = false;
    for (const auto& f : rep["findings"])
      found |= f["code"] == code && f["message"].get<std::string>().find(text.get<std::string>()) != std::string::npos;
    EXPECT_TRUE(found) << "no " << code << " finding mentions " << text;
  }
  for (const auto& [k, v] : member(exp, "fields").items())
    EXPECT_EQ(k == "credit_hours" ? hours(rep["fields"][k]) : rep["fields"][k], v) << "field " << k;
  for (const auto& [key, code] : member(exp, "document_errors").items()) {
    const json* d = find_doc(docs, key);
    ASSERT_NE(d, nullptr) << key;
    ASSERT_FALSE((*d)["error"].is_null()) << key;
    EXPECT_EQ((*d)["error"]["code"], code) << key;
  }
  for (const auto& key : member(exp, "ocr_documents")) {
    const json* d = find_doc(docs, key);
    ASSERT_NE(d, nullptr) << key;
    EXPECT_GT((*d)["ocr_pages"].get<int>(), 0) << key;
  }
  const json& outline = rep["outline"];
  if (exp.contains("outline_total_hours")) { EXPECT_EQ(hours(outline["total_hours"]), exp["outline_total_hours"]); }
  if (exp.contains("outline_blocks")) { EXPECT_EQ(outline["blocks"].size(), exp["outline_blocks"].get<size_t>()); }
  if (exp.contains("outline_objectives")) { EXPECT_EQ(outline["objectives"].size(), exp["outline_objectives"].get<size_t>()); }
}

TEST(Expected, EveryFixturePacketHasItsFacts) {
  json all = expected();
  ASSERT_TRUE(all.contains("packets")) << "fixtures/packets/EXPECTED.json missing or unreadable";
  auto pa = load_rules(std::string(CLEE_SOURCE_DIR) + "/rules/pa-mpoetc.toml");
  ASSERT_TRUE(pa) << pa.error().message;
  RulePack certified = *pa;
  for (const auto& p : member(all, "certified_providers")) certified.certified_providers.push_back(p);
  auto validators = make_validators();
  int checked = 0;
  for (const auto& exp : all["packets"]) {
    std::string path = exp["path"];
    SCOPED_TRACE(path + (exp.value("rules_certified", false) ? " (certified list)" : ""));
    auto packet = load_packet(kPackets + path, Limits{});
    ASSERT_TRUE(packet) << packet.error().message;
    Report r = run_packet(*packet, exp.value("rules_certified", false) ? certified : *pa, validators, RunOptions{});
    compare(exp, report_to_json(r));
    ++checked;
  }
  EXPECT_GE(checked, 20);
}

}  // namespace
}  // namespace clee
