#include "extractors/doc_lists.h"

#include <algorithm>

#include "extractors/util.h"

namespace clee {
namespace {

uint32_t u32(std::string_view s, size_t o) {
  if (o + 4 > s.size()) return 0;
  return static_cast<uint32_t>(static_cast<unsigned char>(s[o])) | static_cast<uint32_t>(static_cast<unsigned char>(s[o + 1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[o + 2])) << 16 | static_cast<uint32_t>(static_cast<unsigned char>(s[o + 3])) << 24;
}
uint16_t u16(std::string_view s, size_t o) {
  return o + 2 <= s.size() ? static_cast<uint16_t>(static_cast<unsigned char>(s[o]) | static_cast<unsigned char>(s[o + 1]) << 8) : 0;
}

constexpr size_t kLstf = 28, kLvlf = 28, kLfo = 16;


// MS-DOC 2.9.97 MSONFC, the common ones.
std::string number(int nfc, int n) {
  switch (nfc) {
    case 1: return roman_numeral(n, true);
    case 2: return roman_numeral(n, false);
    case 3: case 4: {
      if (n <= 0) return "0";
      char c = static_cast<char>((nfc == 3 ? 'A' : 'a') + (n - 1) % 26);
      return std::string(static_cast<size_t>(std::min((n - 1) / 26 + 1, 10)), c);
    }
    case 22: return (n < 10 ? "0" : "") + std::to_string(n);
    default: return std::to_string(n);
  }
}

// Symbol-font bullets sit in the private-use area (U+F0B7 is Symbol's bullet).
void append_char(std::string& out, char16_t c) {
  if (c >= 0xF000 && c <= 0xF0FF) {
    unsigned char low = static_cast<unsigned char>(c - 0xF000);
    if (low == 0xB7 || low == 0xA7 || low == 0x6C || low == 0x9F || low == 0x6E || low == 0xD8) append_utf8(out, 0x2022);
    else if (low == 0x71 || low == 0xA8 || low == 0x6F) append_utf8(out, 0x2610);
    else if (low == 0xFC || low == 0xFB) append_utf8(out, 0x2713);
    else append_utf8(out, 0x2022);
    return;
  }
  if (c >= 0x20) append_utf8(out, c);
}

}  // namespace

namespace {

// sprmPIlfo / sprmPIlvl in a grpprl: -1 when absent.
void list_sprms(std::string_view g, int& ilfo, int& ilvl) {
  size_t p = 0;
  while (p + 2 <= g.size()) {
    uint16_t sprm = u16(g, p);
    p += 2;
    size_t len;
    switch (sprm >> 13) {
      case 0: case 1: len = 1; break;
      case 2: case 4: case 5: len = 2; break;
      case 3: len = 4; break;
      case 7: len = 3; break;
      default:
        if (sprm == 0xD608 || sprm == 0xD606) len = 2 + (u16(g, p) > 0 ? u16(g, p) - 1u : 0u);
        else if (sprm == 0xC615 && p < g.size() && static_cast<unsigned char>(g[p]) == 255) return;
        else len = p < g.size() ? 1 + static_cast<unsigned char>(g[p]) : 1;
    }
    if (p + len > g.size()) return;
    if (sprm == 0x460B) ilfo = static_cast<int16_t>(u16(g, p));
    if (sprm == 0x260A) ilvl = static_cast<unsigned char>(g[p]);
    p += len;
  }
}

}  // namespace

std::pair<int, int> DocLists::style_list(int istd) const {
  if (istd < 0 || static_cast<size_t>(istd) >= style_list_.size()) return {0, 0};
  return style_list_[static_cast<size_t>(istd)];
}

void DocLists::load(std::string_view t, std::pair<uint32_t, uint32_t> lst, std::pair<uint32_t, uint32_t> lfo,
                    std::pair<uint32_t, uint32_t> stsh) {
  // Paragraph styles' own list sprms, then resolved through istdBase (at most 10 hops).
  if (stsh.second >= 6 && static_cast<uint64_t>(stsh.first) + stsh.second <= t.size()) {
    std::string_view s = t.substr(stsh.first, stsh.second);
    size_t cbStshi = u16(s, 0), cstd = std::min<size_t>(u16(s, 2), 4095), base_size = u16(s, 4);
    struct Raw {
      int base = 0xFFF, ilfo = -1, ilvl = -1;
    };
    std::vector<Raw> raw(cstd);
    size_t p = 2 + cbStshi;
    for (size_t i = 0; i < cstd && p + 2 <= s.size(); ++i) {
      size_t cb = u16(s, p);
      p += 2;
      if (cb == 0 || p + cb > s.size()) {
        p += cb;
        continue;
      }
      std::string_view std_ = s.substr(p, cb);
      p += cb;
      if (std_.size() < 10 || base_size == 0 || base_size > cb) continue;
      uint16_t w1 = u16(std_, 2);
      if ((w1 & 0xF) != 1) continue;  // paragraph styles only
      raw[i].base = w1 >> 4;
      size_t cch = u16(std_, base_size);
      size_t upx = base_size + 2 + cch * 2 + 2;
      upx += upx & 1;
      size_t cbupx = u16(std_, upx);
      if (cbupx >= 2 && upx + 2 + cbupx <= std_.size())
        list_sprms(std_.substr(upx + 4, cbupx - 2), raw[i].ilfo, raw[i].ilvl);
    }
    style_list_.assign(cstd, {0, 0});
    for (size_t i = 0; i < cstd; ++i) {
      int ilfo = -1, ilvl = -1;
      size_t at = i;
      for (int hop = 0; hop < 10 && at < cstd && (ilfo < 0 || ilvl < 0); ++hop) {
        if (ilfo < 0) ilfo = raw[at].ilfo;
        if (ilvl < 0) ilvl = raw[at].ilvl;
        at = static_cast<size_t>(raw[at].base);
      }
      style_list_[i] = {std::max(ilfo, 0), std::max(ilvl, 0)};
    }
  }
  if (lst.second >= 2 && static_cast<uint64_t>(lst.first) + lst.second <= t.size()) {
    // The LVLs follow the PlfLst in the table stream, outside its lcb.
    std::string_view s = t.substr(lst.first);
    size_t count = std::min<size_t>(u16(s, 0), (lst.second - 2) / kLstf);
    size_t p = 2 + count * kLstf;
    for (size_t i = 0; i < count && p <= s.size(); ++i) {
      size_t at = 2 + i * kLstf;
      uint32_t lsid = u32(s, at);
      bool simple = at + 26 < s.size() && (static_cast<unsigned char>(s[at + 26]) & 1);
      List list;
      for (int lv = 0; lv < (simple ? 1 : 9); ++lv) {
        if (p + kLvlf > s.size()) break;
        Level L;
        L.start = static_cast<int>(u32(s, p));
        L.nfc = static_cast<unsigned char>(s[p + 4]);
        size_t chpx = static_cast<unsigned char>(s[p + 24]), papx = static_cast<unsigned char>(s[p + 25]);
        p += kLvlf + papx + chpx;
        size_t cch = u16(s, p);
        p += 2;
        if (p + cch * 2 > s.size()) break;
        for (size_t k = 0; k < cch; ++k) L.text.push_back(static_cast<char16_t>(u16(s, p + 2 * k)));
        p += cch * 2;
        list.levels.push_back(std::move(L));
      }
      lists_[lsid] = std::move(list);
    }
  }
  if (lfo.second >= 4 && static_cast<uint64_t>(lfo.first) + lfo.second <= t.size()) {
    std::string_view s = t.substr(lfo.first, lfo.second);
    size_t count = std::min<size_t>(u32(s, 0), 4096);
    if (4 + count * kLfo > s.size()) return;
    std::vector<size_t> levels;
    for (size_t i = 0; i < count; ++i) {
      lfo_.push_back(u32(s, 4 + i * kLfo));
      levels.push_back(static_cast<unsigned char>(s[4 + i * kLfo + 12]));
    }
    // LFOData: per LFO a cp and its level overrides (starts only; formatting overrides skipped).
    size_t p = 4 + count * kLfo;
    lfo_start_.resize(count);
    for (size_t i = 0; i < count && p + 4 <= s.size(); ++i) {
      p += 4;
      for (size_t k = 0; k < levels[i] && p + 8 <= s.size(); ++k) {
        int start = static_cast<int>(u32(s, p));
        uint32_t flags = u32(s, p + 4);
        p += 8;
        if (flags & 0x10) lfo_start_[i][static_cast<int>(flags & 0xF)] = start;
        if (flags & 0x20) {  // an LVL follows: step over it
          if (p + kLvlf > s.size()) return;
          size_t chpx = static_cast<unsigned char>(s[p + 24]), papx = static_cast<unsigned char>(s[p + 25]);
          p += kLvlf + papx + chpx;
          p += 2 + static_cast<size_t>(u16(s, p)) * 2;
        }
      }
    }
  }
}

std::string DocLists::marker(int ilfo, int ilvl) {
  if (ilfo <= 0 || static_cast<size_t>(ilfo) > lfo_.size()) return {};
  uint32_t lsid = lfo_[static_cast<size_t>(ilfo) - 1];
  auto it = lists_.find(lsid);
  if (it == lists_.end() || it->second.levels.empty()) return {};
  const auto& levels = it->second.levels;
  int lv = std::clamp(ilvl, 0, static_cast<int>(levels.size()) - 1);
  auto& ctr = counters_[lsid];
  ctr.resize(9, 0);
  const auto& starts = lfo_start_.size() >= static_cast<size_t>(ilfo) ? lfo_start_[static_cast<size_t>(ilfo) - 1]
                                                                    : std::map<int, int>{};
  auto start_of = [&](int l) {
    auto s = starts.find(l);
    return s != starts.end() ? s->second : levels[static_cast<size_t>(l)].start;
  };
  ctr[static_cast<size_t>(lv)] = ctr[static_cast<size_t>(lv)] == 0 ? start_of(lv) : ctr[static_cast<size_t>(lv)] + 1;
  for (size_t k = static_cast<size_t>(lv) + 1; k < ctr.size(); ++k) ctr[k] = 0;
  const Level& L = levels[static_cast<size_t>(lv)];
  if (L.nfc == 255) return std::string(static_cast<size_t>(lv) * 2, ' ');  // no number
  std::string out(static_cast<size_t>(lv) * 2, ' ');
  for (char16_t c : L.text) {
    if (c < 9) {
      int l = std::min<int>(c, static_cast<int>(levels.size()) - 1);
      int v = ctr[static_cast<size_t>(l)] == 0 ? start_of(l) : ctr[static_cast<size_t>(l)];
      out += L.nfc == 23 ? "" : number(levels[static_cast<size_t>(l)].nfc, v);
    } else {
      append_char(out, c);
    }
  }
  return out + " ";
}

}  // namespace clee
