// `clee-intake extract FILE...`: what each file was read as — the operator's tool for "why did it
// read this wrong". Containers are expanded. Options come from the config's [limits] and [extract]
// with the command line's flags on top. Also serves `--worker` for isolated extraction, which
// takes no other flag: the worker's options arrive with the document (sandbox.h).
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/commands.h"
#include "extractors/document_json.h"
#include "extractors/extract.h"
#include "extractors/sandbox.h"

namespace clee::app {
namespace {

struct ExtractArgs {
  std::vector<std::string> files;
  std::string format = "text";
  bool no_ocr = false;
  bool isolate = false;
  bool worker = false;
  ExtractOptions options;  // the flags' values; only those given override the config
};

void print_text(const Document& d, std::ostream& os) {
  os << "=== " << d.name << "  [" << format_name(d.format) << ", " << d.mime << ", " << d.bytes << " bytes, "
     << d.pages.size() << " pages, " << d.ocr_pages() << " OCR'd]\n";
  if (d.error) os << "ERROR " << code_name(d.error->code) << ": " << d.error->message << "\n";
  for (const auto& w : d.warnings) os << "warning: " << w << "\n";
  const auto& m = d.metadata;
  if (!m.title.empty() || !m.author.empty()) os << "metadata: title=\"" << m.title << "\" author=\"" << m.author << "\"\n";
  for (const auto& f : d.fields)
    os << "field: " << f.name << (f.label.empty() ? "" : " (label \"" + f.label + "\")") << " = " << f.value << "\n";
  // Key/value pairs read by layout, with where they sit: why a field was read as it was.
  auto box = [](const std::optional<Box>& b) {
    if (!b) return std::string();
    char buf[96];
    std::snprintf(buf, sizeof buf, " @%.0f,%.0f-%.0f,%.0f", b->x0, b->y0, b->x1, b->y1);
    return std::string(buf);
  };
  for (const auto& kv : d.key_values) {
    std::string value = kv.value;
    for (size_t at; (at = value.find('\n')) != std::string::npos;) value.replace(at, 1, " / ");
    os << "pair p" << kv.page << (kv.how.empty() ? "" : " " + kv.how) << box(kv.key_box) << ": " << kv.key << " = " << value << box(kv.value_box)
       << "\n";
  }
  for (const auto& h : d.headers_footers) os << "header/footer: " << h << "\n";
  for (size_t t = 0; t < d.tables.size(); ++t) {
    os << "table " << t + 1 << " (page " << d.tables[t].page << "):\n";
    for (const auto& row : d.tables[t].rows) {
      os << "  |";
      for (const auto& c : row) os << " " << c << " |";
      os << "\n";
    }
  }
  for (const auto& p : d.pages) {
    os << "--- page " << p.number;
    if (p.ocr) os << " (OCR, confidence " << static_cast<int>(p.ocr_confidence) << ", rotated " << p.rotation << ")";
    os << " ---\n" << p.text << "\n";
  }
}

}  // namespace

void add_extract_command(CLI::App& app, Globals& g) {
  auto args = std::make_shared<ExtractArgs>();
  CLI::App* cmd = app.add_subcommand("extract", "Show what clee-intake reads from files (text, fields, tables, OCR)");
  cmd->add_option("files", args->files, "files to read (PDF, DOCX, images, zip, eml, text)");
  cmd->add_option("--format", args->format, "json|text")->check(CLI::IsMember({"json", "text"}));
  cmd->add_flag("--no-ocr", args->no_ocr, "never run OCR");
  cmd->add_flag("--isolate", args->isolate, "extract each document in a child process with limits");
  cmd->add_flag("--worker", args->worker, "internal: serve one extraction request on stdin for an isolating parent")
      ->group("");
  Limits& l = args->options.limits;
  CLI::Option* max_pages = cmd->add_option("--max-pages", l.max_pages, "page limit per document");
  CLI::Option* max_seconds = cmd->add_option("--max-seconds", l.max_seconds, "wall-time limit per document");
  CLI::Option* max_pixels = cmd->add_option("--max-pixels", l.max_image_pixels, "pixel limit per image");
  CLI::Option* max_bytes = cmd->add_option("--max-bytes", l.max_file_bytes, "size limit per file (bytes)");
  CLI::Option* min_chars =
      cmd->add_option("--min-chars", args->options.min_chars_per_page, "fewer visible characters on a PDF page → OCR it");
  CLI::Option* threads = cmd->add_option("--ocr-threads", args->options.ocr_threads, "OCR threads (0 = all cores)");
  cmd->callback([=, &g] {
    if (args->worker) {
      g.exit_code = run_extract_worker();
      return;
    }
    ExtractOptions opts;
    opts.limits = g.config.limits;
    opts.ocr = g.config.ocr && !args->no_ocr;
    opts.ocr_language = g.config.ocr_language;
    opts.ocr_threads = g.config.ocr_threads;
    opts.min_chars_per_page = g.config.min_chars_per_page;
    opts.isolate = g.config.isolate || args->isolate;
    const ExtractOptions& given = args->options;
    if (max_pages->count()) opts.limits.max_pages = given.limits.max_pages;
    if (max_seconds->count()) opts.limits.max_seconds = given.limits.max_seconds;
    if (max_pixels->count()) opts.limits.max_image_pixels = given.limits.max_image_pixels;
    if (max_bytes->count()) opts.limits.max_file_bytes = given.limits.max_file_bytes;
    if (min_chars->count()) opts.min_chars_per_page = given.min_chars_per_page;
    if (threads->count()) opts.ocr_threads = given.ocr_threads;
    if (args->files.empty()) throw CLI::ValidationError("extract", "give at least one FILE");
    nlohmann::json all = nlohmann::json::array();
    for (const auto& path : args->files) {
      std::ifstream in(path, std::ios::binary);
      if (!in) {
        spdlog::error("{}: cannot read the file", path);
        g.exit_code = 1;
        continue;
      }
      std::ostringstream ss;
      ss << in.rdbuf();
      std::string bytes = ss.str();
      std::string label = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
      for (const auto& d : extract_all(bytes, label, opts)) {
        spdlog::info("extract {}: {} {} pages ({} OCR'd) in {:.2f} s{}", d.name, format_name(d.format), d.pages.size(),
                     d.ocr_pages(), d.seconds, d.error ? " — " + std::string(code_name(d.error->code)) : "");
        if (args->format == "json") all.push_back(document_to_json(d));
        else print_text(d, std::cout);
      }
    }
    if (args->format == "json") std::cout << all.dump(2) << "\n";
  });
}

}  // namespace clee::app
