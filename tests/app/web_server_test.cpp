// The reviewer web server's routes over a real data folder (packets ingested by the built binary
// from committed fixtures), driven by httplib::Client: sign-in, 302 to /login when signed out,
// 404 for bad IDs, 403 without a valid CSRF token, 413 for oversized requests, escaping of
// <script> from packet fields, downloads, decisions recorded under the signed-in reviewer.
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdio>
#include <filesystem>
#include <regex>
#include <thread>

#include "app/common.h"
#include "app/web/server.h"
#include "queue/store.h"

namespace clee::web {
namespace {

namespace fs = std::filesystem;

std::string ingest(const std::string& data, const std::string& packet) {
  std::string cmd = std::string(CLEE_BINARY) + " --data '" + data + "' ingest '" + packet + "' 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[512];
  while (p && fgets(buf, sizeof buf, p)) out += buf;
  if (p) pclose(p);
  return out.substr(0, out.find('\t'));
}

class WebServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string((fs::temp_directory_path() / ("clee-web-test-" + std::to_string(::getpid()))).string());
    fs::remove_all(*dir_);
    const std::string src = CLEE_SOURCE_DIR;
    ids_ = new std::map<std::string, std::string>{
        {"ready", ingest(*dir_, src + "/fixtures/packets/complete_advanced_pdf")},
        {"refresher", ingest(*dir_, src + "/fixtures/packets/refresher_annual")},
        {"missing", ingest(*dir_, src + "/fixtures/packets/missing_cv")},
        {"script", ingest(*dir_, src + "/tests/web/data/script_in_fields")},
        {"scanned", ingest(*dir_, src + "/fixtures/packets/scanned_form")},
    };
    app::Config config;
    config.rules = src + "/rules/pa-mpoetc.toml";
    auto rules = app::load_rule_pack(config);
    ASSERT_TRUE(rules) << rules.error().message;
    rules_ = new RulePack(std::move(*rules));
    hash_ = new std::string(hash_password("right password"));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete ids_;
    delete rules_;
    delete hash_;
  }

  void SetUp() override {
    for (const auto& [k, v] : *ids_) ASSERT_EQ(v.rfind("P-", 0), 0u) << k << " was not ingested: '" << v << "'";
    WebConfig c;
    c.port = 0;
    c.max_body_bytes = 8 * 1024;
    c.login_max_failures = 3;
    c.accounts.push_back({"Dana Reyes", *hash_});
    server_ = std::make_unique<WebServer>(c, *dir_, *rules_);
    ASSERT_TRUE(server_->bind());
    thread_ = std::thread([this] { server_->serve(); });
    while (!server_->running()) std::this_thread::yield();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }
  void TearDown() override {
    server_->stop();
    thread_.join();
  }

  static std::string cookie_of(const httplib::Result& r) {
    std::string c = r->get_header_value("Set-Cookie");
    return c.substr(0, c.find(';'));
  }
  static std::string csrf_in(const std::string& body) {
    std::smatch m;
    std::regex re("name=\"_csrf\" value=\"([0-9a-f]{64,})\"");
    return std::regex_search(body, m, re) ? m[1].str() : "";
  }
  httplib::Headers with(const std::string& cookie) { return {{"Cookie", cookie}}; }
  httplib::Result post(const std::string& path, const std::string& cookie, const httplib::Params& params) {
    return cookie.empty() ? client_->Post(path, params) : client_->Post(path, with(cookie), params);
  }

  // Signs in; returns the session cookie and sets csrf_.
  std::string sign_in() {
    auto page = client_->Get("/login");
    EXPECT_EQ(page->status, 200);
    std::string pre = cookie_of(page);
    auto r = post("/login", pre, {{"_csrf", csrf_in(page->body)}, {"user", "Dana Reyes"}, {"password", "right password"}});
    EXPECT_EQ(r->status, 303);
    EXPECT_EQ(r->get_header_value("Location"), "/queue");
    std::string cookie = cookie_of(r);
    EXPECT_NE(cookie, pre);  // a fresh session id after sign-in
    auto q = client_->Get("/queue", with(cookie));
    csrf_ = csrf_in(q->body);
    return cookie;
  }

  static std::string* dir_;
  static std::map<std::string, std::string>* ids_;
  static RulePack* rules_;
  static std::string* hash_;
  std::unique_ptr<WebServer> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
  std::string csrf_;
};

std::string* WebServerTest::dir_ = nullptr;
std::map<std::string, std::string>* WebServerTest::ids_ = nullptr;
RulePack* WebServerTest::rules_ = nullptr;
std::string* WebServerTest::hash_ = nullptr;

TEST_F(WebServerTest, SignedOutRequestsGoToLogin) {
  const std::string id = ids_->at("ready");
  for (const std::string& path : std::vector<std::string>{"/queue", "/packets/" + id, "/packets/" + id + "/files/1", "/packets/" + id + "/documents/1", "/catalog",
                           "/catalog.csv"}) {
    auto r = client_->Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 302) << path;
    EXPECT_EQ(r->get_header_value("Location"), "/login") << path;
  }
  auto post = client_->Post("/packets/" + id + "/approve", httplib::Params{{"years", "1"}});
  EXPECT_EQ(post->status, 302);
  auto bogus = client_->Get("/queue", with("clee_session=" + std::string(64, 'a')));
  EXPECT_EQ(bogus->status, 302);
}

TEST_F(WebServerTest, EveryPageCarriesSecurityHeaders) {
  for (const std::string path : {"/login", "/no-such-page", "/static/style.css"}) {
    auto r = client_->Get(path);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->get_header_value("Content-Security-Policy"),
              "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors "
              "'none'; base-uri 'none'")
        << path;
    EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r->get_header_value("Referrer-Policy"), "same-origin");  // no-referrer makes our own Origin "null"
    EXPECT_EQ(r->get_header_value("X-Frame-Options"), "DENY");
  }
  auto login = client_->Get("/login");
  std::string c = login->get_header_value("Set-Cookie");
  EXPECT_NE(c.find("HttpOnly"), std::string::npos);
  EXPECT_NE(c.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(client_->Get("/static/style.css")->get_header_value("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(client_->Get("/static/app.js")->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(login->body.find("<script>"), std::string::npos);  // no inline script
  EXPECT_EQ(login->body.find("style="), std::string::npos);    // no inline style
}

TEST_F(WebServerTest, LoginNeedsTokenAndRightPasswordAndIsRateLimited) {
  auto page = client_->Get("/login");
  std::string pre = cookie_of(page), token = csrf_in(page->body);
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(post("/login", pre, {{"user", "Dana Reyes"}, {"password", "right password"}})->status, 403);
  EXPECT_EQ(post("/login", "", {{"_csrf", token}, {"user", "Dana Reyes"}, {"password", "right password"}})->status, 403);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(post("/login", pre, {{"_csrf", token}, {"user", "Dana Reyes"}, {"password", "wrong"}})->status, 401);
  auto limited = post("/login", pre, {{"_csrf", token}, {"user", "Dana Reyes"}, {"password", "right password"}});
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(limited->get_header_value("Set-Cookie"), "");
}

TEST_F(WebServerTest, UnknownAccountIsRefused) {
  auto page = client_->Get("/login");
  auto r = post("/login", cookie_of(page), {{"_csrf", csrf_in(page->body)}, {"user", "Mallory"}, {"password", "right password"}});
  EXPECT_EQ(r->status, 401);
}

TEST_F(WebServerTest, PagesAnswerAndBadIdsAre404) {
  std::string cookie = sign_in();
  const std::string id = ids_->at("ready");
  auto q = client_->Get("/queue", with(cookie));
  ASSERT_EQ(q->status, 200);
  for (const auto& [k, v] : *ids_) EXPECT_NE(q->body.find(v), std::string::npos) << k;
  auto filtered = client_->Get("/queue?status=needs_information", with(cookie));
  EXPECT_NE(filtered->body.find(ids_->at("missing")), std::string::npos);
  EXPECT_EQ(filtered->body.find("/packets/" + ids_->at("script") + "\""), std::string::npos);
  auto searched = client_->Get("/queue?q=firearms", with(cookie));
  EXPECT_NE(searched->body.find(ids_->at("refresher")), std::string::npos);
  EXPECT_EQ(searched->body.find("/packets/" + ids_->at("ready") + "\""), std::string::npos);

  auto p = client_->Get("/packets/" + id, with(cookie));
  ASSERT_EQ(p->status, 200);
  EXPECT_NE(p->body.find("Advanced Crash Reconstruction"), std::string::npos);
  EXPECT_NE(p->body.find("<blockquote>"), std::string::npos);
  EXPECT_NE(p->body.find("action=\"/packets/" + id + "/approve\""), std::string::npos);
  EXPECT_EQ(client_->Get("/packets/" + id + "/documents/1", with(cookie))->status, 200);
  EXPECT_EQ(client_->Get("/packets/" + id + "/documents/1?page=0", with(cookie))->status, 200);
  EXPECT_EQ(client_->Get("/catalog", with(cookie))->status, 200);

  EXPECT_EQ(client_->Get("/packets/P-0000000000", with(cookie))->status, 404);
  EXPECT_EQ(client_->Get("/packets/..%2F..%2Fetc", with(cookie))->status, 404);
  EXPECT_EQ(client_->Get("/packets/" + id + "/files/99", with(cookie))->status, 404);
  EXPECT_EQ(client_->Get("/packets/" + id + "/files/0", with(cookie))->status, 404);
  EXPECT_EQ(client_->Get("/packets/" + id + "/documents/99", with(cookie))->status, 404);
  EXPECT_EQ(client_->Get("/packets/P-0000000000/files/1", with(cookie))->status, 404);
  EXPECT_EQ(post("/packets/P-0000000000/approve", cookie, {{"_csrf", csrf_}})->status, 404);
}

TEST_F(WebServerTest, OriginalsDownloadAsAttachmentsWithTheirBytes) {
  std::string cookie = sign_in();
  const std::string id = ids_->at("ready");
  auto store = Store::open(*dir_);
  ASSERT_TRUE(store);
  auto files = (*store)->files(id);
  ASSERT_TRUE(files);
  ASSERT_FALSE(files->empty());
  auto r = client_->Get("/packets/" + id + "/files/1", with(cookie));
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/octet-stream");
  EXPECT_EQ(r->get_header_value("Content-Disposition"), "attachment; filename=\"" + (*files)[0].label + "\"");
  EXPECT_EQ(r->body, *(*store)->read_object((*files)[0].sha256));
}

TEST_F(WebServerTest, PostsWithoutAValidCsrfTokenAreRefused) {
  std::string cookie = sign_in();
  const std::string id = ids_->at("refresher");
  EXPECT_EQ(post("/packets/" + id + "/reject", cookie, {{"reason", "forged"}})->status, 403);
  EXPECT_EQ(post("/packets/" + id + "/reject", cookie, {{"reason", "forged"}, {"_csrf", std::string(64, '0')}})->status, 403);
  EXPECT_EQ(post("/packets/" + id + "/reject", cookie, {{"reason", "forged"}, {"_csrf", csrf_.substr(1)}})->status, 403);
  httplib::Headers cross = {{"Cookie", cookie}, {"Origin", "http://evil.example"}};
  EXPECT_EQ(client_->Post("/packets/" + id + "/reject", cross, httplib::Params{{"reason", "forged"}, {"_csrf", csrf_}})->status, 403);
  EXPECT_EQ(client_->Post("/logout", with(cookie), httplib::Params{})->status, 403);
  auto store = Store::open(*dir_);
  EXPECT_NE((*store)->get(id)->status, PacketStatus::kRejected);
  // An empty reason is not a reason.
  EXPECT_EQ(post("/packets/" + id + "/reject", cookie, {{"reason", "  "}, {"_csrf", csrf_}})->status, 400);
}

TEST_F(WebServerTest, OversizedRequestsAre413) {
  std::string cookie = sign_in();
  std::string big(64 * 1024, 'x');
  auto r = client_->Post("/packets/" + ids_->at("refresher") + "/reject", with(cookie), "reason=" + big + "&_csrf=" + csrf_,
                         "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
}

TEST_F(WebServerTest, ScriptInFieldsIsEscaped) {
  std::string cookie = sign_in();
  const std::string id = ids_->at("script");
  for (const std::string& path : std::vector<std::string>{"/packets/" + id, "/packets/" + id + "/documents/1?page=0", "/queue"}) {
    auto r = client_->Get(path, with(cookie));
    ASSERT_EQ(r->status, 200) << path;
    EXPECT_EQ(r->body.find("<script>window"), std::string::npos) << path;
    EXPECT_EQ(r->body.find("<img src=x"), std::string::npos) << path;
    EXPECT_NE(r->body.find("&lt;script&gt;window.__pwned"), std::string::npos) << path;
  }
}

TEST_F(WebServerTest, DecisionsAreRecordedUnderTheSignedInReviewer) {
  std::string cookie = sign_in();
  const std::string ready = ids_->at("ready"), missing = ids_->at("missing");
  auto r = post("/packets/" + ready + "/approve", cookie, {{"_csrf", csrf_}, {"years", "2"}, {"reviewer", "Mallory"}});
  ASSERT_EQ(r->status, 303);
  EXPECT_EQ(r->get_header_value("Location"), "/packets/" + ready);
  auto store = Store::open(*dir_);
  auto rec = (*store)->get(ready);
  ASSERT_EQ(rec->status, PacketStatus::kApproved);
  EXPECT_EQ(rec->expires_on.substr(5), "12-31");
  auto page = client_->Get("/packets/" + ready, with(cookie));
  EXPECT_NE(page->body.find(rec->clee_id), std::string::npos);
  EXPECT_NE(page->body.find("Expires " + rec->expires_on), std::string::npos);
  EXPECT_NE(client_->Get("/catalog", with(cookie))->body.find(rec->clee_id), std::string::npos);
  auto csv = client_->Get("/catalog.csv", with(cookie));
  EXPECT_NE(csv->body.find(rec->clee_id), std::string::npos);
  EXPECT_EQ(csv->get_header_value("Content-Disposition").rfind("attachment; filename=\"approved-clee-courses-", 0), 0u);
  // A second approval is a conflict, not a second CLEE ID.
  EXPECT_EQ(post("/packets/" + ready + "/approve", cookie, {{"_csrf", csrf_}})->status, 409);

  auto info = post("/packets/" + missing + "/request-info", cookie, {{"_csrf", csrf_}, {"message", "Please send the CV."}});
  ASSERT_EQ(info->status, 303);
  auto shown = client_->Get("/packets/" + missing, with(cookie));
  EXPECT_NE(shown->body.find("Email prepared for the provider"), std::string::npos);
  EXPECT_NE(shown->body.find("Please send the CV."), std::string::npos);

  bool approved_by_dana = false, info_by_dana = false;
  auto ready_audit = (*store)->audit(ready);
  auto missing_audit = (*store)->audit(missing);
  ASSERT_TRUE(ready_audit);
  ASSERT_TRUE(missing_audit);
  for (const auto& e : *ready_audit) {
    EXPECT_NE(e.actor, "Mallory");
    approved_by_dana |= e.actor == "Dana Reyes" && e.action.find("approve") != std::string::npos;
  }
  for (const auto& e : *missing_audit) info_by_dana |= e.actor == "Dana Reyes";
  EXPECT_TRUE(approved_by_dana);
  EXPECT_TRUE(info_by_dana);
}

TEST_F(WebServerTest, OcrPagesAreMarkedWithConfidence) {
  std::string cookie = sign_in();
  const std::string id = ids_->at("scanned");
  int marked = 0, plain = 0;
  for (int n = 1; n <= 20; ++n) {
    auto r = client_->Get("/packets/" + id + "/documents/" + std::to_string(n) + "?page=0", with(cookie));
    if (r->status == 404) break;
    ASSERT_EQ(r->status, 200);
    (r->body.find("% confidence</span>") != std::string::npos ? marked : plain)++;
  }
  EXPECT_GE(marked, 1);  // the scanned request form
  EXPECT_GE(plain, 1);   // the born-digital outline and CVs carry no OCR mark
}

TEST_F(WebServerTest, SharedSecretSignsInAsTheOfficeWithSecureCookies) {
  WebConfig c;
  c.port = 0;
  c.shared_secret_hash = *hash_;
  c.shared_name = "Front Office";
  c.secure_cookies = true;
  WebServer office(c, *dir_, *rules_);
  ASSERT_TRUE(office.bind());
  std::thread t([&office] { office.serve(); });
  while (!office.running()) std::this_thread::yield();
  httplib::Client cl("127.0.0.1", office.port());
  auto page = cl.Get("/login");
  EXPECT_EQ(page->body.find("name=\"user\""), std::string::npos);  // only the passphrase is asked
  std::string pre = cookie_of(page);
  EXPECT_NE(page->get_header_value("Set-Cookie").find("; Secure"), std::string::npos);
  EXPECT_EQ(cl.Post("/login", with(pre), httplib::Params{{"_csrf", csrf_in(page->body)}, {"password", "wrong"}})->status, 401);
  auto ok = cl.Post("/login", with(pre), httplib::Params{{"_csrf", csrf_in(page->body)}, {"password", "right password"}});
  ASSERT_EQ(ok->status, 303);
  auto q = cl.Get("/queue", with(cookie_of(ok)));
  EXPECT_EQ(q->status, 200);
  EXPECT_NE(q->body.find("<span>Front Office</span>"), std::string::npos);
  office.stop();
  t.join();
}

TEST_F(WebServerTest, LogoutEndsTheSession) {
  std::string cookie = sign_in();
  EXPECT_EQ(post("/logout", cookie, {{"_csrf", csrf_}})->status, 303);
  EXPECT_EQ(client_->Get("/queue", with(cookie))->status, 302);
}

TEST(WebServerBind, RefusesNonLoopbackUnlessAllowed) {
  RulePack rules;
  WebConfig c;
  c.host = "0.0.0.0";
  c.port = 0;
  c.accounts.push_back({"Dana", hash_password("pw")});
  WebServer s(c, (fs::temp_directory_path() / "clee-web-bind").string(), rules);
  Status st = s.bind();
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("non-loopback"), std::string::npos);
}

}  // namespace
}  // namespace clee::web

namespace clee::web {
namespace {

// Missouri: a block's curriculum area corrected on the packet page, under the signed-in reviewer.
TEST_F(WebServerTest, AReviewerCorrectsABlocksAreaOnThePacketPage) {
  const std::string src = CLEE_SOURCE_DIR;
  std::string cmd = std::string(CLEE_BINARY) + " --data '" + *dir_ + "' --rules '" + src + "/rules/mo-post.toml' ingest '" + src +
                    "/tests/pipeline/data/content/mo_drones' 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[512];
  while (p && fgets(buf, sizeof buf, p)) out += buf;
  if (p) pclose(p);
  const std::string id = out.substr(0, out.find('\t'));
  ASSERT_EQ(id.rfind("P-", 0), 0u) << out;
  std::string cookie = sign_in();
  auto page = client_->Get("/packets/" + id, with(cookie));
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<h2>Curriculum areas</h2>"), std::string::npos);
  EXPECT_NE(page->body.find("action=\"/packets/" + id + "/area\""), std::string::npos);
  EXPECT_NE(page->body.find("<option value=\"technical_studies\" selected>Technical Studies</option>"), std::string::npos);
  EXPECT_NE(page->body.find("Hours by curriculum area"), std::string::npos);
  // Pennsylvania declares no areas: no such form.
  EXPECT_EQ(client_->Get("/packets/" + ids_->at("ready"), with(cookie))->body.find("Curriculum areas"), std::string::npos);

  EXPECT_EQ(post("/packets/" + id + "/area", cookie, {{"block", "2"}, {"area", "legal_studies"}})->status, 403);  // no token
  EXPECT_EQ(post("/packets/" + id + "/area", cookie, {{"_csrf", csrf_}, {"block", "x"}, {"area", "legal_studies"}})->status, 400);
  EXPECT_EQ(post("/packets/" + id + "/area", cookie, {{"_csrf", csrf_}, {"block", "2"}, {"area", "electives"}})->status, 400);
  EXPECT_EQ(post("/packets/" + id + "/area", cookie, {{"_csrf", csrf_}, {"block", "9"}, {"area", "legal_studies"}})->status, 404);
  auto r = post("/packets/" + id + "/area", cookie,
                {{"_csrf", csrf_}, {"block", "2"}, {"area", "skill_development_other"}, {"reviewer", "Mallory"}});
  ASSERT_EQ(r->status, 303);
  EXPECT_EQ(r->get_header_value("Location"), "/packets/" + id + "#areas");
  auto store = Store::open(*dir_);
  ASSERT_TRUE(store);
  auto rec = (*store)->get(id);
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->status, PacketStatus::kReady);
  EXPECT_EQ(rec->report["content"]["blocks"][1]["area"], "skill_development_other");
  EXPECT_EQ(rec->report["content"]["blocks"][1]["area_by"], "Dana Reyes");
  bool audited = false;
  auto audit = (*store)->audit(id);
  ASSERT_TRUE(audit);
  for (const auto& e : *audit) {
    EXPECT_NE(e.actor, "Mallory");
    audited |= e.action == "area_corrected" && e.actor == "Dana Reyes" &&
               e.detail == "block 2 \"Thermal search flights\": technical_studies -> skill_development_other";
  }
  EXPECT_TRUE(audited);
  auto after = client_->Get("/packets/" + id, with(cookie));
  EXPECT_NE(after->body.find("<option value=\"skill_development_other\" selected>"), std::string::npos);
  EXPECT_NE(after->body.find("corrected by Dana Reyes"), std::string::npos);
  EXPECT_NE(after->body.find("area_corrected"), std::string::npos);  // in the history
  // Decided: no more corrections; the catalog row shows the hours per area.
  ASSERT_EQ(post("/packets/" + id + "/approve", cookie, {{"_csrf", csrf_}})->status, 303);
  auto catalog = client_->Get("/catalog", with(cookie));
  EXPECT_NE(catalog->body.find("<th>Hours by area</th>"), std::string::npos);
  EXPECT_NE(catalog->body.find("Skill Development – Other 2 · Technical Studies 2"), std::string::npos);
  EXPECT_NE(client_->Get("/catalog.csv", with(cookie))->body.find("\"Skill Development – Other Hours\""), std::string::npos);
  EXPECT_EQ(post("/packets/" + id + "/area", cookie, {{"_csrf", csrf_}, {"block", "1"}, {"area", "legal_studies"}})->status, 409);
  EXPECT_EQ(client_->Get("/packets/" + id, with(cookie))->body.find("<h2>Curriculum areas</h2>"), std::string::npos);
}

}  // namespace
}  // namespace clee::web
