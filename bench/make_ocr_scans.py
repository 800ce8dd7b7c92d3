#!/usr/bin/python3
"""Makes the OCR benchmark's scans from known text (run by bench/run_ocr_bench.sh).

Text: the words of the committed text fixtures, flowed at 10 pt (--font-size) on letter pages by reportlab
(dense pages, ~500 words each). Each page is rendered by pdftoppm at 300 DPI gray, degraded like
a scanner (skew, speckles, blur, JPEG q60) with PIL and wrapped by img2pdf. Pages listed in
--turn are turned (90 = sideways, 180 = upside down). Writes OUT/truth-N.txt (pdftotext of the
source page), OUT/scan-N.jpg and OUT/scan.pdf.
Usage: make_ocr_scans.py OUT PAGES [--turn 3:90,5:180] [--font-size PT] TEXT_PDF...
"""
import argparse
import os
import random
import subprocess

import img2pdf
from PIL import Image, ImageFilter
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("pages", type=int)
    ap.add_argument("--turn", default="")
    ap.add_argument("--font-size", type=float, default=10)
    ap.add_argument("pdfs", nargs="+")
    a = ap.parse_args()
    turns = {int(k): int(v) for k, v in (t.split(":") for t in a.turn.split(",") if t)}
    words = []
    for p in a.pdfs:
        words += subprocess.run(["pdftotext", p, "-"], capture_output=True, text=True).stdout.split()
    words = [w for w in words if w.isprintable()]
    style = getSampleStyleSheet()["BodyText"]
    style.fontSize, style.leading = a.font_size, a.font_size * 1.25
    paras, i, rng = [], 0, random.Random(7)
    while len(paras) < a.pages * 10 * (10 / a.font_size) ** 2:  # at 10 pt ~9 paragraphs of ~65 words fill a page
        n = rng.randint(45, 85)
        chunk = [words[(i + k) % len(words)] for k in range(n)]
        i += n
        text = " ".join(chunk).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        paras.append(Paragraph(text, style))
    src = os.path.join(a.out, "source.pdf")
    SimpleDocTemplate(src, pagesize=letter, leftMargin=54, rightMargin=54, topMargin=54,
                      bottomMargin=54).build(paras)
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", "-l", str(a.pages), src,
                    os.path.join(a.out, "page")], check=True)
    jpgs = []
    for n in range(1, a.pages + 1):
        png = next(os.path.join(a.out, f) for f in sorted(os.listdir(a.out))
                   if f.startswith("page-") and int(f[5:-4]) == n)
        with open(os.path.join(a.out, f"truth-{n}.txt"), "w") as t:
            t.write(subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), src, "-"],
                                   capture_output=True, text=True).stdout)
        im = Image.open(png).convert("L")
        im = im.rotate(0.7 if n % 2 else -0.5, resample=Image.BICUBIC, expand=True, fillcolor=255)
        px = im.load()
        w, h = im.size
        for _ in range(w * h // 400):
            px[rng.randrange(w), rng.randrange(h)] = rng.choice((0, 90, 160))
        im = im.filter(ImageFilter.GaussianBlur(0.4))
        if turns.get(n):
            im = im.rotate(turns[n], expand=True)
        jpg = os.path.join(a.out, f"scan-{n}.jpg")
        im.save(jpg, "JPEG", quality=60, dpi=(300, 300))
        jpgs.append(jpg)
        os.remove(png)
    with open(os.path.join(a.out, "scan.pdf"), "wb") as f:
        f.write(img2pdf.convert(jpgs))


if __name__ == "__main__":
    main()
