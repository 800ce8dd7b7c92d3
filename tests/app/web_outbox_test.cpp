// The web face of issue 12: the approve form proposes the course's year (changeable) and warns
// about course dates outside the period; an approval made there queues the approval email (with
// the roster) and republishes the static export folder; the public catalog page is off unless
// configured, and then needs no sign-in.
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <regex>
#include <thread>

#include "app/common.h"
#include "app/notices.h"
#include "app/web/auth.h"
#include "app/web/server.h"
#include "queue/store.h"

namespace clee::web {
namespace {

namespace fs = std::filesystem;

std::string run(const std::string& cmd) {
  FILE* p = popen((cmd + " 2>/dev/null").c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while (p && (n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  if (p) pclose(p);
  return out;
}

int this_year() {
  std::time_t t = std::time(nullptr);
  return std::gmtime(&t)->tm_year + 1900;
}

class WebOutbox : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("clee-web-outbox-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name())).string();
    fs::remove_all(dir_);
    std::string out = run(std::string(CLEE_BINARY) + " --data '" + dir_ + "' ingest '" + CLEE_SOURCE_DIR +
                          "/fixtures/packets/complete_advanced_docx'");
    id_ = out.substr(0, out.find('\t'));
    ASSERT_EQ(id_.rfind("P-", 0), 0u) << out;
    config_.data_dir = dir_;
    config_.rules = std::string(CLEE_SOURCE_DIR) + "/rules/pa-mpoetc.toml";
    config_.smtp.from = "CLEE Office <clee@example.gov>";
    auto rules = app::load_rule_pack(config_);
    ASSERT_TRUE(rules);
    rules_ = std::move(*rules);
    auto n = app::Notices::make(config_, rules_);
    ASSERT_TRUE(n) << n.error().message;
    notices_ = std::make_unique<app::Notices>(std::move(*n));
  }
  void TearDown() override {
    if (server_) {
      server_->stop();
      thread_.join();
    }
    fs::remove_all(dir_);
  }
  void start(bool public_catalog) {
    WebConfig c;
    c.port = 0;
    c.public_catalog = public_catalog;
    c.accounts.push_back({"Dana Reyes", hash_password("right password")});
    server_ = std::make_unique<WebServer>(c, dir_, rules_);
    server_->set_notices(notices_.get());
    ASSERT_TRUE(server_->bind());
    thread_ = std::thread([this] { server_->serve(); });
    while (!server_->running()) std::this_thread::yield();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }
  static std::string csrf_in(const std::string& body) {
    std::smatch m;
    return std::regex_search(body, m, std::regex("name=\"_csrf\" value=\"([0-9a-f]{64,})\"")) ? m[1].str() : "";
  }
  static std::string cookie_of(const httplib::Result& r) {
    std::string c = r->get_header_value("Set-Cookie");
    return c.substr(0, c.find(';'));
  }
  std::string sign_in() {
    auto page = client_->Get("/login");
    std::string pre = cookie_of(page);
    auto r = client_->Post("/login", {{"Cookie", pre}},
                           httplib::Params{{"_csrf", csrf_in(page->body)}, {"user", "Dana Reyes"}, {"password", "right password"}});
    EXPECT_EQ(r->status, 303);
    std::string cookie = cookie_of(r);
    csrf_ = csrf_in(client_->Get("/queue", httplib::Headers{{"Cookie", cookie}})->body);
    return cookie;
  }

  std::string dir_, id_, csrf_;
  app::Config config_;
  RulePack rules_;
  std::unique_ptr<app::Notices> notices_;
  std::unique_ptr<WebServer> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(WebOutbox, TheApproveFormProposesTheCoursesYearAndTheApprovalQueuesItsEmailAndRepublishes) {
  start(false);
  std::string cookie = sign_in();
  httplib::Headers h{{"Cookie", cookie}};
  int year = std::max(2027, this_year());  // the course runs March 9-10, 2027
  auto page = client_->Get("/packets/" + id_, h);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<option value=\"" + std::to_string(year) + "\" selected>"), std::string::npos);
  EXPECT_NE(page->body.find("Course dates on the form: March 9-10, 2027"), std::string::npos);
  EXPECT_EQ(page->body.find("class=\"warning\""), std::string::npos);  // the proposed year covers it
  auto r = client_->Post("/packets/" + id_ + "/approve", h,
                         httplib::Params{{"_csrf", csrf_}, {"year", std::to_string(year)}, {"years", "1"}});
  ASSERT_EQ(r->status, 303) << r->body;
  auto store = Store::open(dir_);
  ASSERT_TRUE(store);
  auto rec = (*store)->get(id_);
  EXPECT_EQ(rec->expires_on, std::to_string(year) + "-12-31");
  auto queued = (*store)->packet_messages(id_);
  ASSERT_TRUE(queued);
  bool approval = false;
  for (const auto& e : *queued)
    if (e.message.kind == "approval") {
      approval = true;
      EXPECT_NE(e.message.mime.find("application/pdf"), std::string::npos);
      EXPECT_NE(e.message.subject.find(rec->clee_id), std::string::npos);
    }
  EXPECT_TRUE(approval);
  // The static export folder now lists the course, in all three forms.
  fs::path pub = fs::path(dir_) / "published";
  std::string text = run("pdftotext -layout '" + (pub / "approved-clee-courses.pdf").string() + "' -");
  EXPECT_NE(text.find(rec->clee_id), std::string::npos) << text;
  EXPECT_TRUE(fs::exists(pub / "approved-clee-courses.csv"));
  EXPECT_TRUE(fs::exists(pub / "approved-clee-courses.html"));
  // The signed-out public page is off by default.
  EXPECT_EQ(client_->Get("/public/catalog")->status, 404);
}

TEST_F(WebOutbox, AYearThatLeavesTheCourseOutIsWarnedAboutAndAPastYearRefused) {
  start(false);
  std::string cookie = sign_in();
  httplib::Headers h{{"Cookie", cookie}};
  auto past = client_->Post("/packets/" + id_ + "/approve", h,
                            httplib::Params{{"_csrf", csrf_}, {"year", std::to_string(this_year() - 1)}});
  EXPECT_EQ(past->status, 400);
  EXPECT_EQ((*Store::open(dir_))->get(id_)->status, PacketStatus::kReady);
}

TEST_F(WebOutbox, ThePublicCatalogNeedsNoSignInWhenConfigured) {
  start(true);
  std::string cookie = sign_in();
  ASSERT_EQ(client_->Post("/packets/" + id_ + "/approve", httplib::Headers{{"Cookie", cookie}},
                          httplib::Params{{"_csrf", csrf_}})->status, 303);
  std::string clee_id = (*Store::open(dir_))->get(id_)->clee_id;
  httplib::Client anonymous("127.0.0.1", server_->port());
  auto html = anonymous.Get("/public/catalog");
  ASSERT_EQ(html->status, 200);
  EXPECT_NE(html->body.find(clee_id), std::string::npos);
  EXPECT_EQ(html->body.find("_csrf"), std::string::npos);  // nothing to act on
  auto csv = anonymous.Get("/public/catalog.csv");
  EXPECT_NE(csv->body.find(clee_id), std::string::npos);
  auto pdf = anonymous.Get("/public/catalog.pdf");
  ASSERT_EQ(pdf->status, 200);
  EXPECT_EQ(pdf->get_header_value("Content-Type"), "application/pdf");
  EXPECT_EQ(pdf->body.rfind("%PDF-", 0), 0u);
  // Read-only: nothing else answers there.
  EXPECT_EQ(anonymous.Post("/public/catalog", httplib::Params{})->status, 404);
  EXPECT_EQ(anonymous.Get("/queue")->status, 302);
}

TEST_F(WebOutbox, APacketForAnApprovedCourseShowsThatApprovalAndWhatChanged) {
  start(false);
  std::string cookie = sign_in();
  httplib::Headers h{{"Cookie", cookie}};
  ASSERT_EQ(client_->Post("/packets/" + id_ + "/approve", h, httplib::Params{{"_csrf", csrf_}})->status, 303);
  std::string clee_id = (*Store::open(dir_))->get(id_)->clee_id;
  // The same provider sends the course again (without one instructor's CV).
  std::string out = run(std::string(CLEE_BINARY) + " --data '" + dir_ + "' ingest '" + CLEE_SOURCE_DIR +
                        "/fixtures/packets/missing_cv'");
  std::string again = out.substr(0, out.find('\t'));
  auto page = client_->Get("/packets/" + again, h);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("Renewal of " + clee_id), std::string::npos) << page->body;
  EXPECT_NE(page->body.find("same provider, near-identical title"), std::string::npos);
}

}  // namespace
}  // namespace clee::web
