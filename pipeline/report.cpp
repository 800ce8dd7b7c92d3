// The report's JSON form: the contract in DESIGN.md ("The report contract"). Names and
// vocabularies there are fixed; extra keys (outline, cvs, field evidence, page ranges) are ours.
#include "pipeline/report.h"

namespace clee {

using nlohmann::json;

namespace {

json opt(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
json opt(const std::optional<double>& d) {
  if (!d) return nullptr;
  if (*d == static_cast<double>(static_cast<long long>(*d))) return static_cast<long long>(*d);
  return *d;
}
json evidence_json(const std::vector<Evidence>& ev) {
  json a = json::array();
  for (const auto& e : ev) a.push_back({{"document", e.document}, {"page", e.page}, {"quote", e.quote}, {"rule", e.rule}});
  return a;
}
std::vector<Evidence> evidence_from(const json& a) {
  std::vector<Evidence> out;
  for (const auto& e : a) out.push_back({e.value("document", ""), e.value("page", 0), e.value("quote", ""), e.value("rule", "")});
  return out;
}
std::optional<std::string> ostr(const json& j, const char* k) {
  if (!j.contains(k) || j[k].is_null()) return std::nullopt;
  return j[k].get<std::string>();
}
std::optional<double> onum(const json& j, const char* k) {
  if (!j.contains(k) || j[k].is_null()) return std::nullopt;
  return j[k].get<double>();
}
DocType type_from(const std::string& s) {
  for (DocType t : {DocType::kRequestForm, DocType::kCourseOutline, DocType::kInstructorCv, DocType::kCoverLetter})
    if (s == doc_type_name(t)) return t;
  return DocType::kUnknown;
}

}  // namespace

json report_to_json_raw(const Report& r);

// Text from documents may hold bytes that are not UTF-8 (a cut sequence, a Latin-1 file): they
// become U+FFFD here, so every writer of the report (stdout, the queue) can dump it.
json report_to_json(const Report& r) {
  json j = report_to_json_raw(r);
  return json::parse(j.dump(-1, ' ', false, json::error_handler_t::replace));
}

json report_to_json_raw(const Report& r) {
  json docs = json::array();
  for (const auto& d : r.documents) {
    json jd = {{"name", d.name},
               {"sha256", d.doc.sha256},
               {"format", d.doc.format == Format::kZip ? "unknown" : format_name(d.doc.format)},
               {"type", doc_type_name(d.type)},
               {"pages", d.doc.pages.size()},
               {"ocr_pages", d.doc.ocr_pages()},
               {"chars", d.doc.chars()},
               {"error", d.doc.error ? json{{"code", d.doc.error->code}, {"message", d.doc.error->message}} : json(nullptr)},
               {"page_range", {d.first_page, d.last_page}},
               {"type_score", d.type_score},
               {"warnings", d.doc.warnings}};
    double conf = 0;
    int n = 0;
    for (const auto& p : d.doc.pages)
      if (p.ocr) {
        conf += p.ocr_confidence;
        ++n;
      }
    jd["ocr_confidence"] = n ? json(conf / n) : json(nullptr);
    docs.push_back(std::move(jd));
  }
  const Fields& f = r.fields;
  json fields = {{"provider_name", opt(f.provider_name)},
                 {"provider_number", opt(f.provider_number)},
                 {"course_title", opt(f.course_title)},
                 {"credit_hours", opt(f.credit_hours)},
                 {"instructors", f.instructors ? json(*f.instructors) : json(nullptr)},
                 {"contact_name", opt(f.contact_name)},
                 {"contact_email", opt(f.contact_email)},
                 {"contact_phone", opt(f.contact_phone)},
                 {"dates", opt(f.dates)},
                 {"location", opt(f.location)},
                 {"delivery_method", opt(f.delivery_method)},
                 {"description", opt(f.description)}};
  json findings = json::array();
  for (const auto& x : r.findings)
    findings.push_back({{"code", x.code}, {"severity", x.severity}, {"message", x.message}, {"document", x.document},
                        {"evidence", evidence_json(x.evidence)}});
  json blocks = json::array();
  for (const auto& b : r.outline.blocks) blocks.push_back({{"title", b.title}, {"hours", opt(b.hours)}});
  json cvs = json::array();
  for (const auto& c : r.cvs) cvs.push_back({{"name", opt(c.name)}, {"qualifications", c.qualifications}, {"document", c.document}});
  return {{"schema", r.schema},
          {"source", r.source},
          {"received_at", r.received_at.empty() ? json(nullptr) : json(r.received_at)},
          {"documents", docs},
          {"fields", fields},
          {"field_evidence", evidence_json(f.evidence)},
          {"complete", r.complete},
          {"missing", r.missing},
          {"content",
           {{"verdict", r.content.verdict},
            {"category", r.content.category.empty() ? json(nullptr) : json(r.content.category)},
            {"score", r.content.score},
            {"evidence", evidence_json(r.content.evidence)}}},
          {"findings", findings},
          {"disposition", r.disposition},
          {"outline",
           {{"title", opt(r.outline.title)},
            {"blocks", blocks},
            {"total_hours", opt(r.outline.total_hours)},
            {"objectives", r.outline.objectives},
            {"document", r.outline.document}}},
          {"cvs", cvs}};
}

Result<Report> report_from_json(const json& j) {
  try {
    Report r;
    r.schema = j.at("schema").get<std::string>();
    r.source = j.value("source", "");
    if (j.contains("received_at") && !j["received_at"].is_null()) r.received_at = j["received_at"].get<std::string>();
    for (const auto& jd : j.at("documents")) {
      UnderstoodDocument u;
      u.name = jd.value("name", "");
      u.doc.name = u.name;
      u.doc.sha256 = jd.value("sha256", "");
      u.type = type_from(jd.value("type", "unknown"));
      if (jd.contains("error") && !jd["error"].is_null())
        u.doc.error = Error{jd["error"].value("code", ""), jd["error"].value("message", "")};
      if (jd.contains("page_range")) {
        u.first_page = jd["page_range"][0].get<int>();
        u.last_page = jd["page_range"][1].get<int>();
      }
      // Page texts are not in the report; the queue keeps them with the documents.
      int pages = jd.value("pages", 0), ocr = jd.value("ocr_pages", 0);
      double conf = jd.contains("ocr_confidence") && !jd["ocr_confidence"].is_null() ? jd["ocr_confidence"].get<double>() : -1;
      for (int i = 0; i < pages; ++i) u.doc.pages.push_back(Page{u.first_page + i, "", i < ocr, i < ocr ? conf : -1, 0});
      r.documents.push_back(std::move(u));
    }
    const json& f = j.at("fields");
    r.fields.provider_name = ostr(f, "provider_name");
    r.fields.provider_number = ostr(f, "provider_number");
    r.fields.course_title = ostr(f, "course_title");
    r.fields.credit_hours = onum(f, "credit_hours");
    if (f.contains("instructors") && !f["instructors"].is_null()) r.fields.instructors = f["instructors"].get<std::vector<std::string>>();
    r.fields.contact_name = ostr(f, "contact_name");
    r.fields.contact_email = ostr(f, "contact_email");
    r.fields.contact_phone = ostr(f, "contact_phone");
    r.fields.dates = ostr(f, "dates");
    r.fields.location = ostr(f, "location");
    r.fields.delivery_method = ostr(f, "delivery_method");
    r.fields.description = ostr(f, "description");
    r.fields.evidence = evidence_from(j.value("field_evidence", json::array()));
    r.complete = j.at("complete").get<bool>();
    r.missing = j.at("missing").get<std::vector<std::string>>();
    const json& c = j.at("content");
    r.content.verdict = c.value("verdict", "uncertain");
    r.content.category = c.contains("category") && !c["category"].is_null() ? c["category"].get<std::string>() : "";
    r.content.score = c.value("score", 0.0);
    r.content.evidence = evidence_from(c.value("evidence", json::array()));
    for (const auto& x : j.at("findings"))
      r.findings.push_back({x.value("code", ""), x.value("severity", ""), x.value("message", ""), x.value("document", ""),
                            evidence_from(x.value("evidence", json::array()))});
    r.disposition = j.at("disposition").get<std::string>();
    if (j.contains("outline")) {
      const json& o = j["outline"];
      r.outline.title = ostr(o, "title");
      r.outline.total_hours = onum(o, "total_hours");
      r.outline.objectives = o.value("objectives", std::vector<std::string>{});
      r.outline.document = o.value("document", "");
      for (const auto& b : o.value("blocks", json::array())) r.outline.blocks.push_back({b.value("title", ""), onum(b, "hours")});
    }
    for (const auto& cv : j.value("cvs", json::array()))
      r.cvs.push_back({ostr(cv, "name"), cv.value("qualifications", std::vector<std::string>{}), cv.value("document", "")});
    return r;
  } catch (const json::exception& e) {
    return Error{"unreadable_document", std::string("malformed report JSON: ") + e.what()};
  }
}

}  // namespace clee
