// The program's modules (base/module.h): the OCR module (extractors/ocr_module.h) is found from the
// build tree and from an installed tree (`cmake --install`), and a missing or broken module is a
// typed document error, never a crash; the same for the documents module (cairo and pango: the
// catalog and roster PDFs), whose absence costs only those PDFs.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "documents/documents_module.h"
#include "extractors/ocr_module.h"
#include "test_util.h"
#include "tests/support/shell.h"

namespace fs = std::filesystem;

namespace {

using clee::test::Ran;

Ran run(const std::string& cmd) { return clee::test::run_status(cmd + " 2>/dev/null"); }

// `BINARY extract` of the scanned form: its one document as JSON.
nlohmann::json extract_scan(const std::string& binary) {
  Ran r = run(binary + " --log-level off extract --format json " + fixture_path("docs/scan_form.png"));
  EXPECT_EQ(r.status, 0) << "a document error is not a failure of the command (nor a crash)";
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  if (!j.is_array() || j.size() != 1) {
    ADD_FAILURE() << "not one document: " << r.out;
    return nlohmann::json::object();
  }
  return j[0];
}

class InstalledTree : public ::testing::Test {
 protected:
  void SetUp() override {
    prefix_ = fs::temp_directory_path() / ("clee-ocr-module-" + std::to_string(getpid()));
    fs::remove_all(prefix_);
    Ran r = run(std::string(CMAKE_COMMAND) + " --install " + CLEE_BUILD_DIR + " --prefix " + prefix_.string());
    ASSERT_EQ(r.status, 0) << r.out;
    binary_ = (prefix_ / "bin/clee-intake").string();
    module_ = prefix_ / "lib/clee-intake" / clee::kOcrModuleName;
    ASSERT_TRUE(fs::exists(binary_));
    ASSERT_TRUE(fs::exists(module_)) << "install puts the module in lib/clee-intake/";
  }
  void TearDown() override { fs::remove_all(prefix_); }

  fs::path prefix_, module_;
  std::string binary_;
};

TEST(OcrModule, FoundFromTheBuildTree) {
  auto doc = extract_scan(CLEE_BINARY);
  EXPECT_TRUE(doc["error"].is_null()) << doc["error"];
  EXPECT_EQ(doc["ocr_pages"], 1);
  EXPECT_NE(doc["pages"][0]["text"].get<std::string>().find("COURSE APPROVAL"), std::string::npos);
  // In this process too (a test executable in a subfolder of the build tree).
  auto api = clee::ocr_module();
  ASSERT_TRUE(api) << api.error().message;
  EXPECT_EQ((*api)->abi, clee::kOcrModuleAbi);
}

TEST_F(InstalledTree, FoundBesideTheInstalledProgram) {
  auto doc = extract_scan(binary_);
  EXPECT_TRUE(doc["error"].is_null()) << doc["error"];
  EXPECT_NE(doc["pages"][0]["text"].get<std::string>().find("COURSE APPROVAL"), std::string::npos);
}

TEST_F(InstalledTree, MissingModuleIsATypedError) {
  fs::remove(module_);
  auto doc = extract_scan(binary_);  // the build tree's module is not used by an installed program
  ASSERT_TRUE(doc["error"].is_object()) << doc;
  EXPECT_EQ(doc["error"]["code"], "unreadable_document");
  EXPECT_NE(doc["error"]["message"].get<std::string>().find("not found"), std::string::npos) << doc["error"];
  // A text PDF needs no OCR and still reads.
  Ran r = run(binary_ + " --log-level off extract --format json " + fixture_path("docs/text_outline.pdf"));
  ASSERT_EQ(r.status, 0);
  auto pdf = nlohmann::json::parse(r.out);
  EXPECT_TRUE(pdf[0]["error"].is_null()) << pdf[0]["error"];
}

TEST_F(InstalledTree, BrokenModuleIsATypedError) {
  std::ofstream(module_, std::ios::trunc) << "not a shared object";
  auto doc = extract_scan(binary_);
  ASSERT_TRUE(doc["error"].is_object()) << doc;
  EXPECT_EQ(doc["error"]["code"], "unreadable_document");
  EXPECT_NE(doc["error"]["message"].get<std::string>().find("cannot be loaded"), std::string::npos) << doc["error"];
}

// The catalog PDF from a data folder holding the bundled samples, by `binary`.
Ran catalog_pdf(const std::string& binary, const fs::path& data) {
  std::string samples = std::string(CLEE_SOURCE_DIR) + "/samples";
  run(binary + " --log-level off --data " + data.string() + " ingest " + samples + "/*");
  return run(binary + " --log-level off --data " + data.string() + " catalog --format pdf");
}

TEST_F(InstalledTree, DocumentsModuleDrawsTheCatalogAndItsAbsenceOnlyCostsThePdfs) {
  fs::path documents = prefix_ / "lib/clee-intake" / clee::documents::kDocumentsModuleName;
  ASSERT_TRUE(fs::exists(documents)) << "install puts the documents module in lib/clee-intake/";
  fs::path data = prefix_ / "data";
  Ran pdf = catalog_pdf(binary_, data);
  ASSERT_EQ(pdf.status, 0);
  EXPECT_EQ(pdf.out.substr(0, 5), "%PDF-");
  fs::remove(documents);
  Ran missing = run("(" + binary_ + " --data " + data.string() + " catalog --format pdf 2>&1)");
  EXPECT_NE(missing.status, 0);
  EXPECT_NE(missing.out.find("documents module"), std::string::npos) << missing.out;
  EXPECT_NE(missing.out.find("not found"), std::string::npos) << missing.out;
  Ran csv = run(binary_ + " --log-level off --data " + data.string() + " catalog --format csv");
  EXPECT_EQ(csv.status, 0) << "the CSV needs no module";
  EXPECT_FALSE(csv.out.empty());
}

}  // namespace
