// The RTF reader's vocabulary (rtf.cpp): which control words open destinations that are read,
// which are skipped, and the few byte-level helpers. Internal to the RTF reader.
#pragma once

#include <string>
#include <string_view>

namespace clee::rtf {

// Destinations whose whole group is skipped (besides any unknown {\* ...}).
bool skipped_destination(std::string_view word);
// Starred destinations whose text is read after all ({\*\shpinst ...}, {\*\htmltag ...}).
bool kept_starred(std::string_view word);
// Destinations the reader handles itself (font table, info, notes, headers, HTML tags, \upr/\ud).
bool is_destination_word(std::string_view word);
// Symbol-font (\fcharset2, or a font named like one) bytes: the glyphs that carry meaning on
// forms (check boxes, check marks, bullets); others are dropped.
void append_symbol(std::string& out, unsigned char c);
bool symbol_font_name(std::string_view name);
// Two hex digits as a byte, -1 when they are not.
int hex_byte(char a, char b);

}  // namespace clee::rtf
