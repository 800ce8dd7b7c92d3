#include "extractors/document_json.h"

#include "extractors/extract.h"

namespace clee {

using nlohmann::json;

Format format_from_name(std::string_view n) {
  for (Format f : {Format::kPdf, Format::kDocx, Format::kDoc, Format::kRtf, Format::kOdt, Format::kPptx, Format::kXlsx,
                   Format::kImage, Format::kText, Format::kEmail, Format::kZip})
    if (n == format_name(f)) return f;
  return Format::kUnknown;
}

json document_to_json(const Document& d) {
  json pages = json::array();
  for (const auto& p : d.pages) {
    json jp = {{"number", p.number}, {"text", p.text}, {"ocr", p.ocr}};
    if (p.ocr) {
      jp["ocr_confidence"] = p.ocr_confidence;
      jp["rotation"] = p.rotation;
    }
    pages.push_back(std::move(jp));
  }
  json fields = json::array();
  for (const auto& f : d.fields) fields.push_back({{"name", f.name}, {"value", f.value}, {"page", f.page}});
  json tables = json::array();
  for (const auto& t : d.tables) tables.push_back({{"page", t.page}, {"rows", t.rows}});
  json j = {{"name", d.name},
            {"sha256", d.sha256},
            {"bytes", d.bytes},
            {"format", format_name(d.format)},
            {"mime", d.mime},
            {"pages", pages},
            {"ocr_pages", d.ocr_pages()},
            {"chars", d.chars()},
            {"fields", fields},
            {"tables", tables},
            {"headers_footers", d.headers_footers},
            {"metadata",
             {{"title", d.metadata.title},
              {"author", d.metadata.author},
              {"subject", d.metadata.subject},
              {"creator", d.metadata.creator},
              {"producer", d.metadata.producer},
              {"created", d.metadata.created},
              {"modified", d.metadata.modified}}},
            {"warnings", d.warnings},
            {"seconds", d.seconds}};
  j["error"] = d.error ? json{{"code", code_name(d.error->code)}, {"message", d.error->message}} : json(nullptr);
  return j;
}

Result<Document> document_from_json(const json& j) {
  try {
    Document d;
    d.name = j.at("name").get<std::string>();
    d.sha256 = j.value("sha256", "");
    d.bytes = j.value("bytes", uint64_t{0});
    d.format = format_from_name(j.value("format", "unknown"));
    d.mime = j.value("mime", "");
    for (const auto& jp : j.at("pages")) {
      Page p;
      p.number = jp.at("number").get<int>();
      p.text = jp.at("text").get<std::string>();
      p.ocr = jp.value("ocr", false);
      p.ocr_confidence = jp.value("ocr_confidence", -1.0);
      p.rotation = jp.value("rotation", 0);
      d.pages.push_back(std::move(p));
    }
    for (const auto& jf : j.value("fields", json::array()))
      d.fields.push_back({jf.at("name").get<std::string>(), jf.at("value").get<std::string>(), jf.value("page", 0)});
    for (const auto& jt : j.value("tables", json::array()))
      d.tables.push_back({jt.value("page", 0), jt.at("rows").get<std::vector<std::vector<std::string>>>()});
    d.headers_footers = j.value("headers_footers", std::vector<std::string>{});
    const json& m = j.value("metadata", json::object());
    d.metadata = {m.value("title", ""), m.value("author", ""), m.value("subject", ""), m.value("creator", ""),
                  m.value("producer", ""), m.value("created", ""), m.value("modified", "")};
    d.warnings = j.value("warnings", std::vector<std::string>{});
    d.seconds = j.value("seconds", 0.0);
    if (j.contains("error") && !j["error"].is_null())
      d.error = Error{code_from_name(j["error"].at("code").get<std::string>()).value_or(Code::kUnreadableDocument),
                      j["error"].at("message").get<std::string>()};
    return d;
  } catch (const json::exception& e) {
    return Error{Code::kUnreadableDocument, std::string("malformed document JSON: ") + e.what()};
  }
}

}  // namespace clee
