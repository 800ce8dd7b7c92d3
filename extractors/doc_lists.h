// Word 97–2003 list numbering (MS-DOC 2.9.147 LSTF, 2.9.150 LVL, 2.9.131 LFO): the marker a
// numbered or bulleted paragraph shows ("1.", "a)", "iv.", "•"), from the list definitions in the
// table stream (PlfLst, PlfLfo) and the paragraph's list (sprmPIlfo) and level (sprmPIlvl).
// Counters run per list and level; a higher level restarts the deeper ones. Bounded by the
// stream (every offset checked); unknown or damaged definitions give no marker. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace clee {

class DocLists {
 public:
  // `lst` and `lfo` are the (fc, lcb) of PlfLst and PlfLfo in the table stream, `stsh` the
  // stylesheet's (list styles such as "List Number" carry the list in the style, not the paragraph).
  void load(std::string_view table, std::pair<uint32_t, uint32_t> lst, std::pair<uint32_t, uint32_t> lfo,
            std::pair<uint32_t, uint32_t> stsh);
  // The list and level paragraph style `istd` gives (through its base styles); {0, 0} for none.
  std::pair<int, int> style_list(int istd) const;
  // The marker for the next paragraph of list `ilfo` (1-based) at level `ilvl`, with its
  // indentation (two spaces per level) and a trailing space; "" when the paragraph has none.
  std::string marker(int ilfo, int ilvl);

 private:
  struct Level {
    int start = 1, nfc = 0;
    std::u16string text;  // code units 0..8 stand for the numbers of levels 0..8
  };
  struct List {
    std::vector<Level> levels;
  };
  std::map<uint32_t, List> lists_;        // lsid → definition
  std::vector<uint32_t> lfo_;             // ilfo - 1 → lsid
  std::vector<std::map<int, int>> lfo_start_;  // ilfo - 1 → level → start override
  std::map<uint32_t, std::vector<int>> counters_;  // lsid → level values (0: not started)
  std::vector<std::pair<int, int>> style_list_;    // istd → (ilfo, ilvl), resolved
};

}  // namespace clee
