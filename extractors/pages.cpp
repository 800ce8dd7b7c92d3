#include "extractors/pages.h"

#include "extractors/util.h"

namespace clee {

void finish_pages(std::vector<std::string>& pages, std::vector<Table>& tables, Document& doc) {
  std::vector<int> number(pages.size() + 1, 0);
  int n = 0;
  for (size_t i = 0; i < pages.size(); ++i) {
    std::string t = tidy_text(sanitize_utf8(pages[i]));
    bool last_chance = doc.pages.empty() && i + 1 == pages.size();
    if (t.empty() && !last_chance) continue;
    number[i + 1] = ++n;
    doc.pages.push_back(Page{n, std::move(t), false, -1, 0});
  }
  for (auto& t : tables) {
    size_t at = t.page > 0 && static_cast<size_t>(t.page) <= pages.size() ? static_cast<size_t>(t.page) : 1;
    // A table on a page that was dropped sits on the next page kept.
    while (at < number.size() && number[at] == 0) ++at;
    t.page = at < number.size() ? number[at] : n;
    for (auto& r : t.rows)
      for (auto& c : r) c = sanitize_utf8(c);
    doc.tables.push_back(std::move(t));
  }
  pages.clear();
  tables.clear();
}

}  // namespace clee
