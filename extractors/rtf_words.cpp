#include "extractors/rtf_words.h"

#include "extractors/util.h"

namespace clee::rtf {

// Destinations whose whole group is skipped (besides any unknown {\* ...}).
bool skipped_destination(std::string_view w) {
  static const char* kSkip[] = {
      "colortbl", "stylesheet", "pict", "objdata", "listtable", "listoverridetable", "revtbl", "rsidtbl",
      "generator", "themedata", "colorschememapping", "datastore", "latentstyles", "xmlnstbl", "pgdsctbl",
      "filetbl", "annotation", "atnid", "atnauthor", "atndate", "atnref", "atnicn", "atntime", "atnparent",
      "atrfstart", "atrfend", "bkmkstart", "bkmkend", "fldinst", "xe", "tc", "tcn", "txe", "rxe", "template",
      "userprops", "docvar", "nonshppict", "shprslt", "sp", "sn", "sv", "objclass", "objname", "objalias",
      "objsect", "objtime", "blipuid", "pn", "pntxta", "pntxtb", "mmathPr", "passwordhash", "protusertbl",
      "wgrffmtfilter", "private", "falt", "panose", "fname", "listpicture", "datafield", "ffname", "ffdeftext", "list", "listlevel", "leveltext",
      "levelnumbers", "listname", "lfolevel", "listoverrideformat", "liststylename",
      "ffformat", "ffhelptext", "ffstattext", "ffentrymcr", "ffexitmcr", "fchars", "lchars", "keywords",
      "doccomm", "comment", "company", "manager", "category", "operator", "hlinkbase", "printim", "buptim",
      "macpict", "wmetafile", "dibitmap", "wbitmap", "pgp", "listlevel", "listoverride",
      "tcn", "nesttableprops", "oldparprops", "oldcprops", "oldpprops", "oldsprops", "oldtprops",
      "mmath", "picprop", "docinfo", "xmlattrname", "xmlattrvalue", "xmlclose", "xmlname", "xmlopen",
      "factoidname", "bkmkstart", "formfield", "password", "aftncn", "aftnsep", "aftnsepc", "ftncn", "ftnsep",
      "ftnsepc"};
  for (const char* s : kSkip)
    if (w == s) return true;
  return false;
}

// Starred destinations whose text is read after all.
bool kept_starred(std::string_view w) {
  return w == "shpinst" || w == "ud" || w == "htmltag" || w == "fldrslt" || w == "shptxt" || w == "listtext" ||
         w == "pntext" || w == "footnote" || w == "mhtmltag";
}

// Symbol-font (\fcharset2) bytes: the few glyphs that carry meaning on forms.
void append_symbol(std::string& out, unsigned char c) {
  switch (c) {
    case 0xFE: case 0xFD: case 0x78: case 0xFB: append_utf8(out, 0x2612); break;  // ☒
    case 0xA8: case 0x6F: case 0x71: append_utf8(out, 0x2610); break;             // ☐
    case 0xFC: append_utf8(out, 0x2713); break;                                    // ✓
    case 0xB7: case 0x9F: case 0x6C: case 0xA7: case 0x95: case 0x96: append_utf8(out, 0x2022); break;  // •
    default: break;
  }
}

// Writers give symbol fonts a text charset (LibreOffice writes OpenSymbol as \fcharset128), but
// their bytes are glyph numbers.
bool symbol_font_name(std::string_view n) {
  for (const char* s : {"Symbol", "Wingdings", "Webdings", "Dingbats", "Marlett"})
    if (n.find(s) != std::string_view::npos) return true;
  return false;
}

int hex_byte(char a, char b) {
  auto v = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  int hi = v(a), lo = v(b);
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

bool is_destination_word(std::string_view w) {
  return w == "fonttbl" || w == "info" || w == "footnote" || w == "header" || w == "headerl" || w == "headerr" ||
         w == "headerf" || w == "footer" || w == "footerl" || w == "footerr" || w == "footerf" || w == "title" ||
         w == "author" || w == "subject" || w == "creatim" || w == "revtim" || w == "htmltag" || w == "mhtmltag" ||
         w == "upr" || w == "ud";
}

}  // namespace clee::rtf
