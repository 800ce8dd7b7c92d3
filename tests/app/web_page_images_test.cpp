// The packet page's page images (app/web/page_images.h): a packet with a PDF request form shows
// one image per page with its field values outlined at the report's boxes; the image route serves
// a PNG drawn once and then from the data folder's cache, to signed-in reviewers only; document
// text in a highlight's title is escaped; a file that will not draw gives no image.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <regex>

#include "app/common.h"
#include "app/web/page_images.h"
#include "app/web/pages.h"
#include "app/web/server.h"
#include "pipeline/report_json.h"
#include "queue/store.h"
#include "tests/app/web_test_support.h"

namespace clee::web {
namespace {

namespace fs = std::filesystem;
using test::request;

std::string ingest(const std::string& data, const std::string& packet) {
  std::string cmd = std::string(CLEE_BINARY) + " --data '" + data + "' ingest '" + packet + "' 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[512];
  while (p && fgets(buf, sizeof buf, p)) out += buf;
  if (p) pclose(p);
  return out.substr(0, out.find('\t'));
}

std::string num(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", d);
  return buf;
}

uint32_t be32(const std::string& s, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(s[at + i]);
  return v;
}

class PageImagesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string((fs::temp_directory_path() / ("clee-pages-test-" + std::to_string(::getpid()))).string());
    fs::remove_all(*dir_);
    id_ = new std::string(ingest(*dir_, std::string(CLEE_SOURCE_DIR) + "/fixtures/packets/complete_advanced_pdf"));
    photo_id_ = new std::string(ingest(*dir_, std::string(CLEE_SOURCE_DIR) + "/fixtures/packets/photo_cv"));
    app::Config config;
    config.rules = std::string(CLEE_SOURCE_DIR) + "/rules/pa-mpoetc.toml";
    auto rules = app::load_rule_pack(config);
    ASSERT_TRUE(rules) << rules.error().message;
    rules_ = new RulePack(std::move(*rules));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete id_;
    delete photo_id_;
    delete rules_;
  }
  void SetUp() override {
    ASSERT_EQ(id_->rfind("P-", 0), 0u) << "not ingested: '" << *id_ << "'";
    WebConfig c;
    c.accounts.push_back({"Dana Reyes", hash_password("right password")});
    served_ = std::make_unique<test::Served>(c, *dir_, *rules_);
    ASSERT_TRUE(served_->ok());
    cookie_ = "Cookie: " + test::sign_in(served_->port(), "Dana Reyes", "right password") + "\r\n";
    ASSERT_NE(cookie_, "Cookie: \r\n");
  }

  // The stored original named `label`.
  static StoredFile file(const std::string& label, const std::string& packet = "") {
    auto store = Store::open(*dir_);
    auto files = (*store)->files(packet.empty() ? *id_ : packet);
    for (const auto& f : *files)
      if (f.label == label) return f;
    ADD_FAILURE() << "no file " << label;
    return {};
  }

  static std::string* dir_;
  static std::string* id_;
  static std::string* photo_id_;  // a CV photographed (JPEG)
  static RulePack* rules_;
  std::unique_ptr<test::Served> served_;
  std::string cookie_;
};

std::string* PageImagesTest::dir_ = nullptr;
std::string* PageImagesTest::id_ = nullptr;
std::string* PageImagesTest::photo_id_ = nullptr;
RulePack* PageImagesTest::rules_ = nullptr;

TEST_F(PageImagesTest, PacketPageShowsEachPageWithTheFieldValuesOutlined) {
  auto page = request(served_->port(), "GET", "/packets/" + *id_, cookie_);
  ASSERT_EQ(page.status, 200);
  auto store = Store::open(*dir_);
  auto rec = (*store)->get(*id_);
  ASSERT_TRUE(rec);
  // One image per page of every original, each under its own URL.
  const nlohmann::json& report = rec->report;
  size_t pages = 0;
  for (const auto& d : report["documents"]) {
    const std::string sha = d["sha256"];
    for (int n = d["page_range"][0]; n <= d["page_range"][1].get<int>(); ++n) {
      ++pages;
      EXPECT_NE(page.body.find("<image href=\"/packets/" + *id_ + "/pages/" + sha + "/" + std::to_string(n) + ".png\""),
                std::string::npos)
          << d["name"] << " page " << n;
    }
  }
  ASSERT_GT(pages, 1u);
  std::regex image_re("<image href=");
  EXPECT_EQ(static_cast<size_t>(std::distance(std::sregex_iterator(page.body.begin(), page.body.end(), image_re),
                                              std::sregex_iterator())),
            pages);
  // Every field value with a box is outlined there, its name and quote in the title.
  int outlined = 0;
  for (const auto& e : report["field_evidence"]) {
    if (!e.contains("box") || e["box"].is_null()) continue;
    const auto& b = e["box"];
    double x0 = b[0], y0 = b[1], x1 = b[2], y1 = b[3];
    std::string rect = "<rect class=\"hl\" x=\"" + num(x0) + "\" y=\"" + num(y0) + "\" width=\"" + num(x1 - x0) +
                       "\" height=\"" + num(y1 - y0) + "\"><title>" + e["rule"].get<std::string>() + ": ";
    EXPECT_NE(page.body.find(rect), std::string::npos) << rect;
    ++outlined;
  }
  EXPECT_GT(outlined, 3);
}

TEST_F(PageImagesTest, ImageRouteServesAPngDrawnOnceThenCached) {
  StoredFile f = file("request.pdf");
  const std::string path = "/packets/" + *id_ + "/pages/" + f.sha256 + "/1.png";
  PageImages& images = served_->server().page_images();
  int before = images.renders();
  auto first = request(served_->port(), "GET", path, cookie_);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.header("content-type"), "image/png");
  ASSERT_GT(first.body.size(), 24u);
  EXPECT_EQ(first.body.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  // Drawn at the screen resolution: the page's points at PageImages::kDpi.
  auto store = Store::open(*dir_);
  auto sizes = images.page_sizes(*(*store)->read_object(f.sha256));
  ASSERT_FALSE(sizes.empty());
  EXPECT_NEAR(be32(first.body, 16), sizes[0].width / 72 * PageImages::kDpi, 1.0);
  EXPECT_NEAR(be32(first.body, 20), sizes[0].height / 72 * PageImages::kDpi, 1.0);
  EXPECT_EQ(images.renders(), before + 1);
  auto cached = fs::status(images.cache_path(f.sha256, 1));
  EXPECT_TRUE(fs::is_regular_file(cached));
  auto mtime = fs::last_write_time(images.cache_path(f.sha256, 1));

  auto second = request(served_->port(), "GET", path, cookie_);
  ASSERT_EQ(second.status, 200);
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(images.renders(), before + 1);  // from the cache
  EXPECT_EQ(fs::last_write_time(images.cache_path(f.sha256, 1)), mtime);

  // A page the file does not have, and an object that is not this packet's, have no image.
  EXPECT_EQ(request(served_->port(), "GET", "/packets/" + *id_ + "/pages/" + f.sha256 + "/99.png", cookie_).status, 404);
  EXPECT_EQ(request(served_->port(), "GET", "/packets/" + *id_ + "/pages/" + std::string(64, 'a') + "/1.png", cookie_).status,
            404);
}

TEST_F(PageImagesTest, APhotographedPageIsScaledToScreenResolution) {
  ASSERT_EQ(photo_id_->rfind("P-", 0), 0u);
  StoredFile f = file("IMG_20261102_101500.jpg", *photo_id_);
  auto page = request(served_->port(), "GET", "/packets/" + *photo_id_, cookie_);
  ASSERT_EQ(page.status, 200);
  const std::string path = "/packets/" + *photo_id_ + "/pages/" + f.sha256 + "/1.png";
  EXPECT_NE(page.body.find("<image href=\"" + path + "\""), std::string::npos);
  auto r = request(served_->port(), "GET", path, cookie_);
  ASSERT_EQ(r.status, 200);
  ASSERT_GT(r.body.size(), 24u);
  EXPECT_EQ(r.body.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  auto store = Store::open(*dir_);
  auto sizes = served_->server().page_images().page_sizes(*(*store)->read_object(f.sha256));
  ASSERT_EQ(sizes.size(), 1u);
  EXPECT_NEAR(be32(r.body, 16), sizes[0].width / 72 * PageImages::kDpi, 1.0);
  EXPECT_NEAR(be32(r.body, 20), sizes[0].height / 72 * PageImages::kDpi, 1.0);
  EXPECT_LE(uint64_t{be32(r.body, 16)} * be32(r.body, 20), PageImages::kMaxPixels);
  // Only the first frame of a JPEG.
  EXPECT_EQ(request(served_->port(), "GET", "/packets/" + *photo_id_ + "/pages/" + f.sha256 + "/2.png", cookie_).status, 404);
}

TEST_F(PageImagesTest, AnonymousRequestsForPageImagesGoToLogin) {
  StoredFile f = file("request.pdf");
  int before = served_->server().page_images().renders();
  auto r = request(served_->port(), "GET", "/packets/" + *id_ + "/pages/" + f.sha256 + "/1.png");
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.header("location"), "/login");
  EXPECT_EQ(r.body.find("PNG"), std::string::npos);
  EXPECT_EQ(served_->server().page_images().renders(), before);
}

TEST_F(PageImagesTest, ALinkInTheCacheIsNeverFollowed) {
  StoredFile f = file("cv1.pdf");
  PageImages& images = served_->server().page_images();
  fs::create_directories(*dir_ + "/pages");
  const std::string secret = *dir_ + "/secret.txt";
  { std::FILE* s = std::fopen(secret.c_str(), "w"); std::fputs("secret", s); std::fclose(s); }
  fs::create_symlink(secret, images.cache_path(f.sha256, 1));
  auto r = request(served_->port(), "GET", "/packets/" + *id_ + "/pages/" + f.sha256 + "/1.png", cookie_);
  EXPECT_NE(r.status, 200);
  EXPECT_EQ(r.body.find("secret"), std::string::npos);
  fs::remove(images.cache_path(f.sha256, 1));
}

TEST(PageImages, AFileThatWillNotDrawGivesNoImageOnceAndIsNotRetried) {
  std::string dir = (fs::temp_directory_path() / ("clee-pages-bad-" + std::to_string(::getpid()))).string();
  fs::remove_all(dir);
  PageImages images(dir, Limits{});
  // A PNG whose header says 16 x 16 gray and whose pixel data is missing.
  const std::string broken = std::string("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x10\0\0\0\x10\x08\0\0\0\0\0\0\0\0", 33);
  int reads = 0;
  auto read = [&]() -> Result<std::string> { ++reads; return broken; };
  const std::string sha(64, 'b');
  EXPECT_FALSE(images.png(sha, 1, read));
  EXPECT_FALSE(images.png(sha, 1, read));
  EXPECT_EQ(images.renders(), 1);
  EXPECT_EQ(reads, 1);
  EXPECT_TRUE(images.page_sizes(broken).empty());
  EXPECT_TRUE(fs::is_regular_file(images.cache_path(sha, 1)));  // the empty marker
  EXPECT_FALSE(images.png("../../etc/passwd", 1, read));
  fs::remove_all(dir);
}

TEST(PageImagesHtml, HostileQuotesAreEscapedInTheHighlightTitles) {
  Report rep;
  UnderstoodDocument d;
  d.name = "request.pdf";
  d.doc.sha256 = std::string(64, 'c');
  Page one;
  one.number = 1;
  d.doc.pages.push_back(one);
  d.first_page = d.last_page = 1;
  rep.documents.push_back(d);
  rep.fields.course_title = "<script>alert(1)</script>";
  Evidence e;
  e.document = "request.pdf";
  e.page = 1;
  e.quote = "<script>alert(1)</script>\"><b>";
  e.rule = "course_title";
  e.box = Box{72, 100, 300, 112};
  rep.fields.evidence.push_back(e);
  PacketView v;
  v.record.id = "P-1";
  v.record.report = report_to_json(rep);
  v.pages.push_back({d.doc.sha256, 1, 612, 792});
  PageContext ctx;
  std::string html = packet_page(ctx, v);
  EXPECT_NE(html.find("<svg viewBox=\"0 0 612 792\""), std::string::npos);
  EXPECT_NE(html.find("<rect class=\"hl\" x=\"72\" y=\"100\" width=\"228\" height=\"12\"><title>course_title: "
                      "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;b&gt;</title></rect>"),
            std::string::npos);
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
}

}  // namespace
}  // namespace clee::web
