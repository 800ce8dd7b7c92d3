// The Document and ExtractOptions JSON codecs: every field round-trips, every error code does,
// and the strict readers refuse what is not whole (a worker's reply crosses a process boundary).
#include <gtest/gtest.h>

#include "extractors/document_json.h"

namespace clee {
namespace {

using nlohmann::json;

// A Document with every field set to something other than its default.
Document full_document() {
  Document d;
  d.name = "outer.zip/Course Outline <b>.pdf";
  d.sha256 = std::string(64, 'a');
  d.bytes = 123456789012ull;
  d.format = Format::kPdf;
  d.mime = "application/pdf";
  d.pages = {{1, "Line one\nLine \"two\"\ttabbed — ünïcode", false, -1, 0},
             {2, "scanned text", true, 87.5, 270, 225}};
  d.fields = {{"ProviderNumber", "MPOETC-CP-0412", 1}, {"NewCourse", "Yes", 2}};
  d.tables = {{1, {{"Unit", "Hours"}, {"Momentum", "4"}}}, {2, {{}}}};
  d.headers_footers = {"Keystone PSTI - Course Outline", "Page #"};
  d.metadata = {"Title", "Author", "Subject", "Creator", "Producer", "D:20261001090000Z", "D:20261002"};
  d.warnings = {"page 2: OCR render: something"};
  d.error = Error{Code::kLimitExceeded, "time limit 3 s (read 1 of 2 pages)"};
  d.seconds = 1.2345678901234567;
  return d;
}

void expect_same(const Document& a, const Document& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.sha256, b.sha256);
  EXPECT_EQ(a.bytes, b.bytes);
  EXPECT_EQ(a.format, b.format);
  EXPECT_EQ(a.mime, b.mime);
  ASSERT_EQ(a.pages.size(), b.pages.size());
  for (size_t i = 0; i < a.pages.size(); ++i) {
    EXPECT_EQ(a.pages[i].number, b.pages[i].number);
    EXPECT_EQ(a.pages[i].text, b.pages[i].text);
    EXPECT_EQ(a.pages[i].ocr, b.pages[i].ocr);
    EXPECT_EQ(a.pages[i].ocr_confidence, b.pages[i].ocr_confidence);
    EXPECT_EQ(a.pages[i].rotation, b.pages[i].rotation);
    EXPECT_EQ(a.pages[i].ocr_dpi, b.pages[i].ocr_dpi);
  }
  ASSERT_EQ(a.fields.size(), b.fields.size());
  for (size_t i = 0; i < a.fields.size(); ++i) {
    EXPECT_EQ(a.fields[i].name, b.fields[i].name);
    EXPECT_EQ(a.fields[i].value, b.fields[i].value);
    EXPECT_EQ(a.fields[i].page, b.fields[i].page);
  }
  ASSERT_EQ(a.tables.size(), b.tables.size());
  for (size_t i = 0; i < a.tables.size(); ++i) {
    EXPECT_EQ(a.tables[i].page, b.tables[i].page);
    EXPECT_EQ(a.tables[i].rows, b.tables[i].rows);
  }
  EXPECT_EQ(a.headers_footers, b.headers_footers);
  EXPECT_EQ(a.metadata.title, b.metadata.title);
  EXPECT_EQ(a.metadata.author, b.metadata.author);
  EXPECT_EQ(a.metadata.subject, b.metadata.subject);
  EXPECT_EQ(a.metadata.creator, b.metadata.creator);
  EXPECT_EQ(a.metadata.producer, b.metadata.producer);
  EXPECT_EQ(a.metadata.created, b.metadata.created);
  EXPECT_EQ(a.metadata.modified, b.metadata.modified);
  EXPECT_EQ(a.warnings, b.warnings);
  ASSERT_EQ(a.error.has_value(), b.error.has_value());
  if (a.error) {
    EXPECT_EQ(a.error->code, b.error->code);
    EXPECT_EQ(a.error->message, b.error->message);
  }
  EXPECT_EQ(a.seconds, b.seconds);  // exactly: doubles are written with round-trip precision
}

Document round_trip(const Document& d) {
  // Through text, as over the worker's pipe.
  auto back = document_from_json(json::parse(document_to_json(d).dump()));
  EXPECT_TRUE(back) << back.error().message;
  return back ? *back : Document{};
}

TEST(DocumentJson, EveryFieldRoundTrips) {
  Document d = full_document();
  expect_same(d, round_trip(d));
  Document empty;
  expect_same(empty, round_trip(empty));
}

TEST(DocumentJson, EveryFormatRoundTrips) {
  for (Format f : {Format::kPdf, Format::kDocx, Format::kImage, Format::kText, Format::kEmail, Format::kZip,
                   Format::kUnknown}) {
    Document d;
    d.format = f;
    EXPECT_EQ(round_trip(d).format, f) << format_name(f);
  }
}

TEST(DocumentJson, EveryErrorCodeRoundTrips) {
  for (int c = 0; c <= static_cast<int>(Code::kInternal); ++c) {
    Document d;
    d.error = Error{static_cast<Code>(c), std::string("because ") + code_name(static_cast<Code>(c))};
    Document back = round_trip(d);
    ASSERT_TRUE(back.error) << code_name(static_cast<Code>(c));
    EXPECT_EQ(back.error->code, static_cast<Code>(c));
    EXPECT_EQ(back.error->message, d.error->message);
  }
}

TEST(DocumentJson, DerivedCountsAreWrittenForReaders) {
  json j = document_to_json(full_document());
  EXPECT_EQ(j["ocr_pages"], 1);
  EXPECT_EQ(j["chars"], full_document().chars());
  EXPECT_EQ(j["error"]["code"], "limit_exceeded");
}

TEST(DocumentJson, IncompleteOrMistypedDocumentsAreRefused) {
  const json good = document_to_json(full_document());
  ASSERT_TRUE(document_from_json(good));
  auto refused = [](const json& j, const std::string& why) {
    auto r = document_from_json(j);
    ASSERT_FALSE(r) << j.dump();
    EXPECT_EQ(r.error().code, Code::kCorrupt);
    EXPECT_NE(r.error().message.find(why), std::string::npos) << r.error().message;
  };
  for (const char* key : {"name", "sha256", "bytes", "format", "mime", "pages", "fields", "tables",
                          "headers_footers", "metadata", "warnings", "seconds", "error"}) {
    json j = good;
    j.erase(key);
    refused(j, std::string("missing '") + key + "'");
  }
  json j = good;
  j["bytes"] = -1;
  refused(j, "'bytes' is not a non-negative integer");
  j = good;
  j["pages"][0]["text"] = 42;
  refused(j, "'text' is not a string");
  j = good;
  j["pages"][1].erase("rotation");
  refused(j, "missing 'rotation'");
  j = good;
  j["format"] = "spreadsheet";
  refused(j, "unknown format 'spreadsheet'");
  j = good;
  j["error"]["code"] = "kind_of_broken";
  refused(j, "unknown error code 'kind_of_broken'");
  j = good;
  j["tables"][0]["rows"][0][1] = nullptr;
  refused(j, "a table cell is not a string");
  refused(json::array(), "expected an object");
  refused(json("a string"), "expected an object");
}

TEST(ExtractOptionsJson, EveryFieldRoundTrips) {
  ExtractOptions o;
  o.limits = {11, 12, 13, 14, 15.5, 16, 17, 18, 19.25, 20};
  o.ocr = false;
  o.ocr_threads = 3;
  o.ocr_language = "eng+spa";
  o.min_chars_per_page = 21;
  o.isolate = true;
  auto back = extract_options_from_json(json::parse(extract_options_to_json(o).dump()));
  ASSERT_TRUE(back) << back.error().message;
  const Limits &a = o.limits, &b = back->limits;
  EXPECT_EQ(a.max_file_bytes, b.max_file_bytes);
  EXPECT_EQ(a.max_pages, b.max_pages);
  EXPECT_EQ(a.max_image_pixels, b.max_image_pixels);
  EXPECT_EQ(a.max_entry_bytes, b.max_entry_bytes);
  EXPECT_EQ(a.max_compression_ratio, b.max_compression_ratio);
  EXPECT_EQ(a.max_total_inflated, b.max_total_inflated);
  EXPECT_EQ(a.max_entries, b.max_entries);
  EXPECT_EQ(a.max_depth, b.max_depth);
  EXPECT_EQ(a.max_seconds, b.max_seconds);
  EXPECT_EQ(a.max_memory_bytes, b.max_memory_bytes);
  EXPECT_EQ(back->ocr, o.ocr);
  EXPECT_EQ(back->ocr_threads, o.ocr_threads);
  EXPECT_EQ(back->ocr_language, o.ocr_language);
  EXPECT_EQ(back->min_chars_per_page, o.min_chars_per_page);
  EXPECT_EQ(back->isolate, o.isolate);
  // The defaults too (the values a worker most often gets).
  auto defaults = extract_options_from_json(extract_options_to_json(ExtractOptions{}));
  ASSERT_TRUE(defaults);
  EXPECT_EQ(extract_options_to_json(*defaults), extract_options_to_json(ExtractOptions{}));
}

TEST(ExtractOptionsJson, OtherVersionsUnknownOrMissingKeysAreRefused) {
  const json good = extract_options_to_json(ExtractOptions{});
  EXPECT_EQ(good["version"], kExtractOptionsVersion);
  auto refused = [](const json& j, const std::string& why) {
    auto r = extract_options_from_json(j);
    ASSERT_FALSE(r) << j.dump();
    EXPECT_EQ(r.error().code, Code::kCorrupt);
    EXPECT_NE(r.error().message.find(why), std::string::npos) << r.error().message;
  };
  json j = good;
  j["version"] = kExtractOptionsVersion + 1;
  refused(j, "options version 2");
  j = good;
  j["limits"]["max_speed"] = 1;
  refused(j, "unknown key 'max_speed' in the limits");
  j = good;
  j["colour"] = true;
  refused(j, "unknown key 'colour' in the options");
  j = good;
  j["limits"].erase("max_depth");
  refused(j, "missing 'max_depth'");
  j = good;
  j["ocr"] = "yes";
  refused(j, "'ocr' is not true or false");
  j = good;
  j["limits"]["max_pages"] = 2.5;
  refused(j, "'max_pages' is not an integer");
  j = good;
  j["limits"]["max_memory_bytes"] = -1;
  refused(j, "'max_memory_bytes' is not a non-negative integer");
}

}  // namespace
}  // namespace clee
