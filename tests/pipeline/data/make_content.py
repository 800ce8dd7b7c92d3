#!/usr/bin/python3
"""Renders the content-judgement fixtures: one packet per course of content_courses.py (request
form, outline, instructor resume) with python-docx and reportlab, in four outline layouts (a Word
schedule table, Word "Block N – Topic (H hours)" lines, a PDF clock-time schedule with a lunch row,
a PDF dot-leader list), and EXPECTED.json with each course's expected judgement and rule pack.

Run: /usr/bin/python3 tests/pipeline/data/make_content.py   (writes tests/pipeline/data/content/)
     /usr/bin/python3 tests/pipeline/data/make_content.py --blind   (also the held-back courses)
Deterministic: reportlab invariant mode, fixed DOCX core-property dates.
"""
import datetime, json, os, shutil, sys, textwrap

from docx import Document
from reportlab import rl_config
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import content_courses  # noqa: E402

rl_config.invariant = 1
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "content")
PACKS = {"pa": "pa-mpoetc.toml", "mo": "mo-post.toml"}
FIXED = datetime.datetime(2027, 1, 4, 9, 0, 0)


def docx_save(doc, path):
    cp = doc.core_properties
    cp.created = cp.modified = FIXED
    cp.last_printed = FIXED
    cp.author = cp.last_modified_by = "Training Office"
    cp.revision = 1
    doc.save(path)


def hours_text(h):
    return ("%g hour" % h) + ("" if h == 1 else "s")


class Pdf:
    """Positioned text lines on letter pages, as a word processor's PDF export would have them."""

    def __init__(self, path):
        self.c = canvas.Canvas(path, pagesize=letter, invariant=1)
        self.y = 740

    def line(self, text, size=10.5, bold=False, indent=0):
        if self.y < 60:
            self.c.showPage()
            self.y = 740
        self.c.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        self.c.drawString(60 + indent, self.y, text)
        self.y -= size + 5

    def para(self, text, size=10.5):
        for ln in textwrap.wrap(text, 92):
            self.line(ln, size)
        self.y -= 4

    def save(self):
        self.c.save()


def form_fields(c):
    return [("Training Provider Name", c["provider"][0]), ("Provider Number", c["provider"][1]),
            ("Course Title", c["title"]), ("Credit Hours Requested", str(c["hours"])),
            ("Instructor(s)", c["instructor"]), ("Point of Contact", "Jordan Pike"),
            ("Contact E-mail", "jpike@example-training.org"), ("Contact Phone", "(555) 010-0142"),
            ("Course Date(s)", "March 9, 2027"), ("Delivery Method", "Classroom"),
            ("Course Description", c["description"])]


def write_form(c, d, as_pdf):
    if as_pdf:
        p = Pdf(os.path.join(d, "request.pdf"))
        p.line("CLEE Course Approval Request", 15, True)
        p.y -= 6
        for k, v in form_fields(c):
            if k == "Course Description":
                p.para(k + ": " + v)
            else:
                p.line(k + ": " + v)
        p.save()
        return
    doc = Document()
    doc.add_heading("CLEE Course Approval Request", 1)
    t = doc.add_table(rows=0, cols=2)
    t.style = "Table Grid"
    for k, v in form_fields(c):
        cells = t.add_row().cells
        cells[0].text, cells[1].text = k, v
    docx_save(doc, os.path.join(d, "request.docx"))


def schedule_times(blocks):
    """0800-1000 Topic rows, a lunch row at noon when a block ends there."""
    rows, t = [], 8.0
    for title, h in blocks:
        if abs(t - 12.0) < 1e-9:
            rows.append(("1200-1300", "Lunch"))
            t = 13.0
        a, b = t, t + h
        fmt = lambda x: "%02d%02d" % (int(x), round((x - int(x)) * 60))
        rows.append((fmt(a) + "-" + fmt(b), title))
        t = b
    return rows


def write_outline(c, d):
    layout = c["layout"]
    if layout.startswith("docx"):
        doc = Document()
        doc.add_heading(c["title"], 0)
        doc.add_heading("Purpose", 2)
        doc.add_paragraph(c["purpose"])
        doc.add_heading("Performance Objectives", 2)
        for o in c["objectives"]:
            doc.add_paragraph(o, style="List Number")
        doc.add_heading("Schedule", 2)
        if layout == "docx_table":
            t = doc.add_table(rows=1, cols=2)
            t.style = "Table Grid"
            t.rows[0].cells[0].text, t.rows[0].cells[1].text = "Topic", "Hours"
            for title, h in c["blocks"]:
                cells = t.add_row().cells
                cells[0].text, cells[1].text = title, "%g" % h
        else:
            for i, (title, h) in enumerate(c["blocks"], 1):
                doc.add_paragraph("Block %d – %s (%s)" % (i, title, hours_text(h)))
        doc.add_heading("Evaluation", 2)
        doc.add_paragraph("Written test and instructor observation.")
        docx_save(doc, os.path.join(d, "outline.docx"))
        return
    p = Pdf(os.path.join(d, "outline.pdf"))
    p.line(c["title"] + " - Course Outline", 14, True)
    p.y -= 4
    p.line("Purpose", 11.5, True)
    p.para(c["purpose"])
    p.line("Performance Objectives", 11.5, True)
    for i, o in enumerate(c["objectives"], 1):
        p.line("%d. %s" % (i, o))
    p.y -= 4
    p.line("Schedule", 11.5, True)
    if layout == "pdf_times":
        for when, title in schedule_times(c["blocks"]):
            p.line(when + "  " + title)
    else:
        for title, h in c["blocks"]:
            dots = "." * max(4, 60 - len(title))
            p.line("%s %s %s" % (title, dots, ("%g hrs" % h) if h != 1 else "1 hr"))
    p.y -= 4
    p.line("Evaluation", 11.5, True)
    p.para("Written test and instructor observation.")
    p.save()


def write_resume(c, d):
    p = Pdf(os.path.join(d, "resume.pdf"))
    name = c["instructor"].replace("Sgt. ", "")
    p.line(name.upper(), 15, True)
    p.line("Resume")
    p.y -= 6
    p.line("Professional Experience", 11.5, True)
    p.line("2009-present  Sergeant and training officer, county police department")
    p.line("2016-present  Instructor for in-service and specialized courses")
    p.line("Instructor Certifications", 11.5, True)
    p.line("Certified instructor, " + ("MPOETC" if c["pack"] == "pa" else "Missouri POST"))
    p.line("Education", 11.5, True)
    p.line("B.S. Criminal Justice")
    p.save()


def main():
    blind = "--blind" in sys.argv
    courses = content_courses.TUNING + (content_courses.BLIND if blind else [])
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    expected = []
    for i, c in enumerate(courses):
        d = os.path.join(OUT, c["name"])
        os.makedirs(d)
        write_form(c, d, as_pdf=i % 2 == 1)
        write_outline(c, d)
        write_resume(c, d)
        e = dict(c["expect"])
        e.update(path=c["name"], rules=PACKS[c["pack"]], credit_hours=c["hours"],
                 blind=c in content_courses.BLIND)
        expected.append(e)
    with open(os.path.join(OUT, "EXPECTED.json"), "w") as fh:
        json.dump({"schema": "clee-intake.content-expected/v1",
                   "note": "Written by tests/pipeline/data/make_content.py from content_courses.py.",
                   "packets": expected}, fh, indent=1, sort_keys=True)
        fh.write("\n")


if __name__ == "__main__":
    main()
