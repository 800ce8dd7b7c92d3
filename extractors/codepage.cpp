#include "extractors/codepage.h"

#include <iconv.h>

#include <cerrno>

#include "extractors/util.h"

namespace clee {

std::string utf16le_to_utf8(std::string_view b) {
  std::string out;
  out.reserve(b.size());
  for (size_t i = 0; i + 1 < b.size(); i += 2) {
    char32_t u = static_cast<unsigned char>(b[i]) | static_cast<char32_t>(static_cast<unsigned char>(b[i + 1])) << 8;
    if (u >= 0xD800 && u <= 0xDBFF && i + 3 < b.size()) {
      char32_t lo = static_cast<unsigned char>(b[i + 2]) | static_cast<char32_t>(static_cast<unsigned char>(b[i + 3])) << 8;
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
        i += 2;
        continue;
      }
    }
    append_utf8(out, u);  // a lone surrogate becomes U+FFFD there
  }
  return out;
}

int charset_to_codepage(int charset) {
  switch (charset) {
    case 0: return 0;       // ANSI: the document's code page
    case 1: return 0;       // default
    case 2: return 42;      // Symbol (mapped by the caller)
    case 77: return 10000;  // Mac Roman
    case 128: return 932;   // Shift-JIS
    case 129: return 949;   // Hangul
    case 130: return 1361;  // Johab
    case 134: return 936;   // GB2312
    case 136: return 950;   // Big5
    case 161: return 1253;  // Greek
    case 162: return 1254;  // Turkish
    case 163: return 1258;  // Vietnamese
    case 177: return 1255;  // Hebrew
    case 178: return 1256;  // Arabic
    case 186: return 1257;  // Baltic
    case 204: return 1251;  // Cyrillic
    case 222: return 874;   // Thai
    case 238: return 1250;  // Eastern European
    case 254: return 437;   // PC 437
    case 255: return 850;   // OEM
    default: return 0;
  }
}

namespace {

std::string iconv_name(int cp) {
  switch (cp) {
    case 65001: return "UTF-8";
    case 10000: return "MACINTOSH";
    case 20127: return "ASCII";
    case 28591: return "ISO-8859-1";
    case 28592: return "ISO-8859-2";
    case 28605: return "ISO-8859-15";
    case 1200: return "UTF-16LE";
    case 51932: return "EUC-JP";
    case 50220: return "ISO-2022-JP";
    case 936: return "GBK";
    case 950: return "BIG5";
    default: return "CP" + std::to_string(cp);
  }
}

}  // namespace

CodepageDecoder::~CodepageDecoder() {
  for (auto& [cp, h] : handles_)
    if (h) iconv_close(static_cast<iconv_t>(h));
}

void* CodepageDecoder::handle(int cp) {
  auto it = handles_.find(cp);
  if (it != handles_.end()) return it->second;
  iconv_t h = iconv_open("UTF-8", iconv_name(cp).c_str());
  void* v = h == reinterpret_cast<iconv_t>(-1) ? nullptr : static_cast<void*>(h);
  handles_[cp] = v;
  return v;
}

void CodepageDecoder::decode(std::string_view bytes, int cp, std::string& out) {
  if (cp <= 0 || cp == 42) cp = 1252;
  void* hv = handle(cp);
  if (!hv) hv = handle(1252);
  if (!hv) {  // no iconv at all: Latin-1
    for (unsigned char c : bytes) append_utf8(out, c);
    return;
  }
  iconv_t h = static_cast<iconv_t>(hv);
  iconv(h, nullptr, nullptr, nullptr, nullptr);  // reset shift state
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  char buf[4096];
  while (in_left > 0) {
    char* o = buf;
    size_t o_left = sizeof buf;
    size_t r = iconv(h, &in, &in_left, &o, &o_left);
    out.append(buf, static_cast<size_t>(o - buf));
    if (r != static_cast<size_t>(-1)) break;
    if (errno == E2BIG) continue;
    // EILSEQ or EINVAL (a cut double-byte sequence): one byte becomes U+FFFD.
    append_utf8(out, 0xFFFD);
    ++in;
    --in_left;
    iconv(h, nullptr, nullptr, nullptr, nullptr);
  }
}

}  // namespace clee
