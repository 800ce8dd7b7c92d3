// Legacy text encodings to UTF-8: Windows code pages (RTF \ansicpg and font charsets, Outlook's
// 8-bit MAPI strings, TNEF's OEM code page) through glibc's iconv, and UTF-16LE (Word pieces,
// MAPI Unicode strings). Bytes that do not decode become U+FFFD; the output is always valid UTF-8.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace clee {

// UTF-16LE (an odd trailing byte is dropped; unpaired surrogates become U+FFFD).
std::string utf16le_to_utf8(std::string_view bytes);

// The Windows code page of an RTF \fcharset value (0 → 0 = "the document's default").
int charset_to_codepage(int charset);

// Decodes 8-bit and double-byte code pages. Keeps one iconv handle per code page seen; not
// thread-safe (one per reader). Unknown code pages decode as Windows-1252.
class CodepageDecoder {
 public:
  CodepageDecoder() = default;
  CodepageDecoder(const CodepageDecoder&) = delete;
  CodepageDecoder& operator=(const CodepageDecoder&) = delete;
  ~CodepageDecoder();

  // Appends the UTF-8 of `bytes` in code page `codepage` (1252, 932, 65001, 10000 = Mac Roman...).
  void decode(std::string_view bytes, int codepage, std::string& out);
  std::string decode(std::string_view bytes, int codepage) {
    std::string out;
    decode(bytes, codepage, out);
    return out;
  }

 private:
  void* handle(int codepage);
  std::map<int, void*> handles_;
};

}  // namespace clee
