// Shared by the extractor tests: reading committed fixtures.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

inline std::string fixture_path(const std::string& rel) { return std::string(CLEE_SOURCE_DIR) + "/fixtures/" + rel; }

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string fixture(const std::string& rel) { return read_file(fixture_path(rel)); }
