#!/usr/bin/python3
"""Prints a DOCX's XML parts in docx_xml_fuzz.cpp's order, joined by 0x01 (a seed for it).
Parts over 32 KiB (Word's styles.xml is ~300 KiB of latent styles) are left empty: a fuzzer
mutates small inputs far better, and the walker reads only the list styles from styles.xml."""
import sys
import zipfile

PARTS = ["word/document.xml", "word/numbering.xml", "word/styles.xml", "word/footnotes.xml",
         "word/endnotes.xml", "word/header1.xml", "docProps/core.xml", "_rels/.rels"]

with zipfile.ZipFile(sys.argv[1]) as z:
    names = set(z.namelist())
    parts = [z.read(p) if p in names else b"" for p in PARTS]
    parts = [p if len(p) <= 32 * 1024 else b"" for p in parts]
sys.stdout.buffer.write(b"\x01".join(p.replace(b"\x01", b"") for p in parts))
