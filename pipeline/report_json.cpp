// The report's JSON form: the contract in DESIGN.md ("The report contract"). Names and
// vocabularies there are fixed; extra keys (outline, cvs, field evidence, page ranges) are ours.
#include "pipeline/report_json.h"

#include <cmath>
#include <stdexcept>

#include "extractors/document_json.h"

namespace clee {

using nlohmann::json;

namespace {

json opt(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
json opt(const std::optional<double>& d) {
  if (!d) return nullptr;
  // Whole numbers print as integers ("16", not "16.0"); the range check keeps the cast defined.
  if (std::fabs(*d) < 1e15 && *d == std::trunc(*d)) return static_cast<long long>(*d);
  return *d;
}
json evidence_json(const std::vector<Evidence>& ev) {
  json a = json::array();
  for (const auto& e : ev) {
    json j = {{"document", e.document}, {"page", e.page}, {"quote", e.quote}, {"rule", e.rule}};
    // The region on the page (points from its top-left), only where one is known.
    if (e.box) j["box"] = {e.box->x0, e.box->y0, e.box->x1, e.box->y1};
    a.push_back(std::move(j));
  }
  return a;
}
// No report has more pages than the largest max_pages the configuration allows, in one document
// or in all: a stored report claiming more is corrupt (and would cost memory to read).
constexpr int64_t kMaxReportPages = 1'000'000;

// An integer key within [lo, hi]; `fallback` when absent. A float, a string or a number out of
// range is a malformed report (converting 1e63 to int is undefined behaviour, not an error).
int int_in(const json& j, const char* key, int fallback, int64_t lo, int64_t hi) {
  if (!j.is_object() || !j.contains(key)) return fallback;
  const json& v = j.at(key);
  if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(hi)) ||
      v.get<int64_t>() < lo || v.get<int64_t>() > hi)
    throw std::invalid_argument(std::string("'") + key + "' must be an integer from " + std::to_string(lo) + " to " +
                                std::to_string(hi));
  return static_cast<int>(v.get<int64_t>());
}
// An evidence box: four finite numbers, x0 <= x1 and y0 <= y1; anything else is a malformed report.
std::optional<Box> box_from(const json& e) {
  if (!e.is_object() || !e.contains("box")) return std::nullopt;
  const json& b = e.at("box");
  if (!b.is_array() || b.size() != 4) throw std::invalid_argument("an evidence box is not [x0, y0, x1, y1]");
  double v[4];
  for (size_t i = 0; i < 4; ++i) {
    if (!b[i].is_number() || !std::isfinite(b[i].get<double>()))
      throw std::invalid_argument("an evidence box holds a non-number");
    v[i] = b[i].get<double>();
  }
  if (v[0] > v[2] || v[1] > v[3]) throw std::invalid_argument("an evidence box is inside out");
  return Box{v[0], v[1], v[2], v[3]};
}

std::vector<Evidence> evidence_from(const json& a) {
  std::vector<Evidence> out;
  for (const auto& e : a)
    out.push_back({e.value("document", ""), int_in(e, "page", 0, 0, kMaxReportPages), e.value("quote", ""), e.value("rule", ""),
                   box_from(e)});
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
// A name outside its vocabulary is a malformed report, not a silent default.
template <typename E>
E parse_enum(const json& j, const char* key, std::optional<E> (*from)(std::string_view), const char* what) {
  std::string name = !j.contains(key) || j.at(key).is_null() ? "" : j.at(key).get<std::string>();
  auto v = from(name);
  if (!v) throw std::invalid_argument(std::string("unknown ") + what + " '" + name + "'");
  return *v;
}

json blocks_json(const std::vector<BlockJudgement>& blocks) {
  json a = json::array();
  for (const auto& b : blocks)
    a.push_back({{"title", b.title},
                 {"topic", b.topic},
                 {"hours", opt(std::optional<double>(b.hours))},
                 {"fit", b.fit == Fit::kNone ? json(nullptr) : json(fit_name(b.fit))},
                 {"curriculum", b.curriculum.empty() ? json(nullptr) : json(b.curriculum)},
                 {"overlap", b.overlap},
                 {"category", b.category == Category::kNone ? json(nullptr) : json(category_name(b.category))},
                 {"approvable", b.approvable},
                 {"area", b.area.empty() ? json(nullptr) : json(b.area)},
                 {"area_by", b.area_by.empty() ? json(nullptr) : json(b.area_by)},
                 {"evidence", evidence_json(b.evidence)}});
  return a;
}

json areas_json(const std::vector<AreaHours>& areas) {
  json a = json::array();
  for (const auto& x : areas)
    a.push_back({{"area", x.area}, {"name", x.name}, {"hours", opt(std::optional<double>(x.hours))}, {"evidence", evidence_json(x.evidence)}});
  return a;
}

json rules_json(const RulesUsed& u) {
  if (u.sha256.empty() && u.path.empty()) return nullptr;
  json areas = json::array();
  for (const auto& [id, name] : u.areas) areas.push_back({{"id", id}, {"name", name}});
  return {{"path", u.path}, {"jurisdiction", u.jurisdiction}, {"sha256", u.sha256}, {"areas", areas}};
}

std::string sget(const json& j, const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : ""; }

void content_from(const json& c, ContentVerdict& v) {
  for (const auto& b : c.value("blocks", json::array())) {
    BlockJudgement x;
    x.title = sget(b, "title");
    x.topic = sget(b, "topic");
    x.hours = onum(b, "hours").value_or(0);
    x.fit = parse_enum<Fit>(b, "fit", fit_from_name, "fit");
    x.curriculum = sget(b, "curriculum");
    x.overlap = b.value("overlap", std::vector<std::string>{});
    x.category = parse_enum<Category>(b, "category", category_from_name, "category");
    x.approvable = b.value("approvable", false);
    x.area = sget(b, "area");
    x.area_by = sget(b, "area_by");
    x.evidence = evidence_from(b.value("evidence", json::array()));
    v.blocks.push_back(std::move(x));
  }
  for (const auto& a : c.value("areas", json::array()))
    v.areas.push_back({sget(a, "area"), sget(a, "name"), onum(a, "hours").value_or(0), evidence_from(a.value("evidence", json::array()))});
  v.missing = c.value("missing", std::vector<std::string>{});
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
               {"error", d.doc.error ? json{{"code", code_name(d.doc.error->code)}, {"message", d.doc.error->message}} : json(nullptr)},
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
    findings.push_back({{"code", code_name(x.code)}, {"severity", severity_name(x.severity)}, {"message", x.message}, {"document", x.document},
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
           {{"verdict", verdict_name(r.content.verdict)},
            {"category", r.content.category == Category::kNone ? json(nullptr) : json(category_name(r.content.category))},
            {"score", r.content.score},
            {"evidence", evidence_json(r.content.evidence)},
            {"blocks", blocks_json(r.content.blocks)},
            {"areas", areas_json(r.content.areas)},
            {"missing", r.content.missing}}},
          {"rules", rules_json(r.rules)},
          {"provider_listed", r.provider_listed ? json(*r.provider_listed) : json(nullptr)},
          {"findings", findings},
          {"disposition", disposition_name(r.disposition)},
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
    int64_t total_pages = 0;
    for (const auto& jd : j.at("documents")) {
      UnderstoodDocument u;
      u.name = jd.value("name", "");
      u.doc.name = u.name;
      u.doc.sha256 = jd.value("sha256", "");
      u.type = parse_enum<DocType>(jd, "type", doc_type_from_name, "document type");
      u.doc.format = format_from_name(jd.value("format", "unknown"));
      u.doc.warnings = jd.value("warnings", std::vector<std::string>{});
      u.type_score = jd.value("type_score", 0.0);
      if (jd.contains("error") && !jd["error"].is_null()) {
        auto code = code_from_name(jd["error"].value("code", ""));
        if (!code) throw std::invalid_argument("unknown error code '" + jd["error"].value("code", "") + "'");
        u.doc.error = Error{*code, jd["error"].value("message", "")};
      }
      if (jd.contains("page_range")) {
        const json& range = jd["page_range"];
        if (!range.is_array() || range.size() != 2) throw std::invalid_argument("page_range must be [first, last]");
        json ends = {{"first", range[0]}, {"last", range[1]}};
        u.first_page = int_in(ends, "first", 1, 0, kMaxReportPages);
        u.last_page = int_in(ends, "last", 0, 0, kMaxReportPages);
      }
      // Page texts are not in the report; the queue keeps them with the documents.
      int pages = int_in(jd, "pages", 0, 0, kMaxReportPages), ocr = int_in(jd, "ocr_pages", 0, 0, kMaxReportPages);
      if ((total_pages += pages) > kMaxReportPages) throw std::invalid_argument("the report claims too many pages");
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
    r.content.verdict = parse_enum<Verdict>(c, "verdict", verdict_from_name, "verdict");
    r.content.category = parse_enum<Category>(c, "category", category_from_name, "category");
    r.content.score = c.value("score", 0.0);
    r.content.evidence = evidence_from(c.value("evidence", json::array()));
    content_from(c, r.content);
    if (j.contains("rules") && j["rules"].is_object()) {
      const json& u = j["rules"];
      r.rules = {sget(u, "path"), sget(u, "jurisdiction"), sget(u, "sha256"), {}};
      for (const auto& a : u.value("areas", json::array())) r.rules.areas.push_back({sget(a, "id"), sget(a, "name")});
    }
    if (j.contains("provider_listed") && j["provider_listed"].is_boolean()) r.provider_listed = j["provider_listed"].get<bool>();
    for (const auto& x : j.at("findings")) {
      auto code = code_from_name(x.value("code", ""));
      if (!code) throw std::invalid_argument("unknown finding code '" + x.value("code", "") + "'");
      r.findings.push_back({*code, parse_enum<Severity>(x, "severity", severity_from_name, "severity"), x.value("message", ""),
                            x.value("document", ""), evidence_from(x.value("evidence", json::array()))});
    }
    r.disposition = parse_enum<Disposition>(j, "disposition", disposition_from_name, "disposition");
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
  } catch (const std::exception& e) {
    return Error{Code::kCorrupt, std::string("malformed report JSON: ") + e.what()};
  }
}

}  // namespace clee
