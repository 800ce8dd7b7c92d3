// Sniffing by content, finer than the report's Format: which reader opens the bytes. Never the
// file name: a .doc that is really RTF or Word 2003 XML, a .xlsx that is a password-protected
// OLE wrapper, a winmail.dat named "attachment.bin" are all told apart by what is inside.
//
// - zip: the OOXML main part ([Content_Types] aside, word/document.xml, ppt/presentation.xml,
//   xl/workbook.xml) or an ODF package's `mimetype` entry (text, text template, spreadsheet,
//   presentation);
// - OLE2 compound files by their stream names: WordDocument (Word 97+ or, by the FIB version,
//   Word 6/95), Workbook/Book (Excel), PowerPoint Document, __substg1.0_*/__properties_version1.0
//   (Outlook .msg), EncryptionInfo/EncryptedPackage or DRM data spaces (a protected file);
// - `{\rtf`, TNEF's signature 0x223E9F78, ISO-BMFF `ftyp` with a HEIF/AVIF brand, Word 2003 XML
//   and flat ODT (`<?xml` with their root element), then the image and PDF magic numbers, email
//   header lines, libmagic, and a text heuristic.
#pragma once

#include <string>
#include <string_view>

#include "extractors/document.h"

namespace clee {

enum class Kind {
  kPdf,
  kDocx,
  kDoc,          // Word 97–2003 binary (native reader)
  kDocLegacy,    // Word 6/95 binary: through the converter
  kWordXml,      // Word 2003 XML ("WordprocessingML"): through the converter
  kRtf,
  kOdt,          // ODF text and text template (zip)
  kFlatOdt,      // ODF text as one XML file (.fodt)
  kPptx,
  kXlsx,
  kPpt,          // PowerPoint 97–2003: through the converter
  kXls,          // Excel 97–2003 (and BIFF5): through the converter
  kOds,          // ODF spreadsheet (zip or flat XML): through the converter, read as XLSX
  kOdp,          // ODF presentation (zip or flat XML): through the converter, read as PPTX
  kEncryptedOle, // an OLE wrapper of a password-protected or rights-managed Office file
  kOle,          // some other compound file
  kImage,
  kHeif,         // HEIC/HEIF/AVIF (libheif)
  kText,
  kEml,
  kMsg,
  kTnef,
  kZip,
  kUnknown,
};

struct Sniffed {
  Kind kind = Kind::kUnknown;
  Format format = Format::kUnknown;
  std::string mime;
};

Sniffed sniff_content(std::string_view bytes);

// True for the kinds that are read through LibreOffice (converter.h), not natively.
bool needs_converter(Kind k);

}  // namespace clee
