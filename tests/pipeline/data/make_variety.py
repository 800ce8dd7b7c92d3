#!/usr/bin/python3
"""Makes differently-worded packets for the understanding tests, so the check pipeline is tried
on layouts, labels and phrasing that the fixtures (fixtures/make/) do not use.

Tools: python-docx, reportlab (canvas, positioned text like a flattened form), pandoc
(Markdown -> DOCX), LibreOffice (DOCX -> PDF, as Word users export), Pillow + img2pdf (scans),
Python's email and zipfile. Deterministic apart from tool version strings.

Run: /usr/bin/python3 tests/pipeline/data/make_variety.py   (writes tests/pipeline/data/variety/)
"""
import io, os, random, shutil, subprocess, tempfile, zipfile
from email.message import EmailMessage

import img2pdf
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from docx import Document
from docx.shared import Pt
from reportlab import rl_config
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

rl_config.invariant = 1
random.seed(77)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "variety")
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"


def fresh(name):
    d = os.path.join(OUT, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def docx_to_pdf(src, dst_dir):
    """LibreOffice, as a Word user's "Save as PDF" would do it."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", dst_dir, src],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def pandoc_docx(markdown, dst):
    subprocess.run(["pandoc", "-f", "markdown", "-o", dst], input=markdown.encode(), check=True)


# ------------------------------------------------------------------------------------------------
# A. Four-column Word table form (label, value, label, value); schedule by clock times with a
#    lunch row; resumes whose headings carry ranks and credentials; "Last, First" on the form.
def packet_a():
    d = fresh("lo_table4_negotiation")
    with tempfile.TemporaryDirectory() as tmp:
        doc = Document()
        doc.add_heading("Application for Continuing Law Enforcement Education Credit", 1)
        doc.add_paragraph("Please complete every section. Incomplete applications are returned.")
        rows = [("Name of Training Agency", "Susquehanna Regional Police Academy",
                 "Agency MPOETC #", "ACAD-231"),
                ("Title of Training Program", "Crisis Negotiation II: Barricade and Suicide Intervention",
                 "Number of CLEE Hours Requested", "Sixteen (16)"),
                ("Lead Instructor(s)", "Ruiz, Angela M.; Thompson, Derek", "Program Date(s)", "October 5-6, 2027"),
                ("Agency Contact", "Paul Brenner", "Phone #", "570-555-0123 ext. 4"),
                ("E-mail", "pbrenner@srpa-training.org", "Venue", "SRPA Building 2, Sunbury, PA")]
        t = doc.add_table(rows=0, cols=4)
        t.style = "Table Grid"
        for r in rows:
            cells = t.add_row().cells
            for i, v in enumerate(r):
                cells[i].text = v
        doc.add_paragraph("")
        doc.add_paragraph("Signature of Academy Director: ____________________    Date: __________")
        doc.save(os.path.join(d, "Application.docx"))

    o = Document()
    o.add_heading("Crisis Negotiation II: Barricade and Suicide Intervention", 0)
    o.add_heading("Purpose", 2)
    o.add_paragraph("Negotiators who completed a basic crisis negotiation course learn advanced "
                    "strategies for protracted barricades and suicide interventions. Participants "
                    "will review recorded incidents as case studies and apply them in full-scale "
                    "simulations with a tactical team.")
    o.add_heading("Performance Objectives", 2)
    for obj in ["Apply the behavioral change stairway model to a protracted barricade.",
                "Assess suicide risk factors during a live negotiation.",
                "Coordinate negotiation and tactical team actions in a command post.",
                "Conduct a post-incident case review with the negotiation team."]:
        o.add_paragraph(obj, style="List Number")
    o.add_heading("Schedule", 2)
    sched = [("Day 1", "", ""),
             ("0800-1000", "Negotiation team structure and command post roles", "Ruiz"),
             ("1000-1200", "Suicide intervention: risk assessment", "Thompson"),
             ("1200-1300", "Lunch", ""),
             ("1300-1700", "Protracted barricade simulation I", "Ruiz / Thompson"),
             ("Day 2", "", ""),
             ("0800-1200", "Third-party intermediaries and family members", "Thompson"),
             ("1200-1300", "Lunch", ""),
             ("1300-1700", "Full-scale exercise with tactical team and debrief", "Ruiz / Thompson")]
    t = o.add_table(rows=1, cols=3)
    t.style = "Table Grid"
    for i, h in enumerate(["Time", "Topic", "Instructor"]):
        t.rows[0].cells[i].text = h
    for r in sched:
        cells = t.add_row().cells
        for i, v in enumerate(r):
            cells[i].text = v
    o.add_heading("Evaluation", 2)
    o.add_paragraph("Graded simulation using the negotiation skills rubric; written examination.")
    o.save(os.path.join(d, "Outline - Crisis Neg II.docx"))

    for fname, heading, lines in [
        ("attachment(1).docx", "Cpl. Angela M. Ruiz, MS, CPP",
         ["RESUME", "Summary: crisis negotiator since 2012, team leader since 2019.",
          "Experience", "2012-present  Crisis Negotiation Team, Sunbury Police Department",
          "Education", "M.S. Clinical Psychology, Bloomsburg University",
          "Certifications", "FBI National Crisis Negotiation Course, 2013"]),
        ("attachment(2).docx", "DEREK J. THOMPSON",
         ["Resume", "Professional Experience",
          "2008-2023  Sergeant, Pennsylvania State Police, Crisis Negotiation Unit",
          "2023-present  Instructor, Susquehanna Regional Police Academy",
          "Education", "B.A. Psychology, Lycoming College",
          "Training", "Advanced Crisis Negotiation, 2015; Suicide Intervention (ASIST) trainer"])]:
        c = Document()
        c.add_heading(heading, 1)
        for ln in lines:
            c.add_paragraph(ln)
        c.save(os.path.join(d, fname))


# ------------------------------------------------------------------------------------------------
# B. Word form with a column-header table (labels above values), several pairs on one line, an
#    instructor list under a heading; outline and CV written in Markdown and converted by pandoc.
def packet_b():
    d = fresh("pandoc_header_row_interviewing")
    f = Document()
    f.add_heading("Keystone Child Advocacy Training Center", 1)
    f.add_paragraph("CLEE Course Submission")
    t = f.add_table(rows=2, cols=3)
    t.style = "Table Grid"
    for i, (h, v) in enumerate([("Course Title", "Forensic Interviewing of Child Victims"),
                                ("Hours", "12"), ("Date(s)", "November 2-3, 2027")]):
        t.rows[0].cells[i].text = h
        t.rows[1].cells[i].text = v
    f.add_paragraph("")
    f.add_paragraph("Provider: Keystone Child Advocacy Training Center    Provider No.: CTP-7781")
    f.add_paragraph("Contact: Jane Okafor | Phone: 215-555-0100 | E-mail: jokafor@kcatc.org")
    f.add_paragraph("Instructors")
    for n in ["Dr. Evelyn Park, Psy.D.", "Det. Marcus Hale (ret.)"]:
        f.add_paragraph(n, style="List Bullet")
    f.add_paragraph("Delivery: Classroom with recorded practice interviews")
    f.add_paragraph("Authorized signature: __________________")
    f.save(os.path.join(d, "submission.docx"))

    pandoc_docx("""# Forensic Interviewing of Child Victims

## Terminal Objective

Upon completion, investigators will be able to conduct a legally defensible, developmentally
appropriate forensic interview of a child victim.

## Enabling Objectives

1. Explain memory development and suggestibility research as it applies to child witnesses.
2. Demonstrate the NICHD protocol phases in a recorded practice interview.
3. Evaluate a peer's interview transcript for leading questions.

## Modules

- Module 1: Child development and memory (3 hours)
- Module 2: The NICHD protocol (3 hours)
- Module 3: Practice interviews with role players (4 hours)
- Module 4: Courtroom testimony and defense challenges (2 hours)

Total: 12 hours

## Evaluation

Scored practice interview and a written test.
""", os.path.join(d, "document.docx"))

    pandoc_docx("""# Curriculum Vitae

**Evelyn R. Park, Psy.D.**

## Education

- Psy.D. Clinical Psychology, Widener University
- B.A. Psychology, University of Pittsburgh

## Professional Experience

- 2014-present: Forensic interviewer, Keystone Child Advocacy Center
- Trained more than 600 investigators in child forensic interviewing

## Certifications

- NICHD protocol trainer
""", os.path.join(d, "Park.docx"))

    pandoc_docx("""# MARCUS HALE

Detective (retired), Philadelphia Police Department, Special Victims Unit

## Experience

- 1999-2021: Detective, Special Victims Unit
- 2021-present: Adjunct instructor, Keystone Child Advocacy Training Center

## Education and Training

- B.S. Criminal Justice, Temple University
- Advanced Forensic Interviewing, National Children's Advocacy Center, 2010
""", os.path.join(d, "hale_resume.docx"))


# ------------------------------------------------------------------------------------------------
# C. A flattened form drawn on a canvas (numbered labels, values in a column), an outline with
#    "Hour 1" lines, and both CVs in one PDF. Department-policy content without the word "policy"
#    in the title.
def canvas_pages(path, pages, title):
    c = canvas.Canvas(path, pagesize=letter)
    c.setTitle(title)
    for page in pages:
        y = 740
        for kind, *rest in page:
            if kind == "h":
                c.setFont("Helvetica-Bold", 15)
                c.drawString(72, y, rest[0])
                y -= 26
            elif kind == "p":
                c.setFont("Helvetica", 10.5)
                c.drawString(72, y, rest[0])
                y -= 15
            elif kind == "kv":
                c.setFont("Helvetica-Bold", 10)
                c.drawString(72, y, rest[0])
                c.setFont("Helvetica", 10)
                c.drawString(250, y, rest[1])
                c.rect(245, y - 4, 300, 16)
                y -= 24
            elif kind == "gap":
                y -= 12
        c.showPage()
    c.save()


def packet_c():
    d = fresh("canvas_numbered_policy")
    canvas_pages(os.path.join(d, "scan0001.pdf"), [[
        ("h", "Continuing Education Course Request"),
        ("p", "Return to the training office with the course outline and instructor resumes."),
        ("gap",),
        ("kv", "1. Sponsor/Provider", "City of Elkton Bureau of Police"),
        ("kv", "2. Provider Cert. Number", "ACAD-145"),
        ("kv", "3. Course Title", "Vehicle Pursuits: Directive 4.12 Changes"),
        ("kv", "4. Total CLEE Credit Hours", "3"),
        ("kv", "5. Instructor Name(s)", "Lt. Carla Benson, Capt. Omar Said"),
        ("kv", "6. Contact Person", "Lt. Carla Benson"),
        ("kv", "7. Contact Telephone", "(484) 555-0190"),
        ("kv", "8. Contact E-Mail", "cbenson@elktonpd.gov"),
        ("gap",),
        ("p", "Applicant signature: ____________________  Date: ___________"),
    ]], "Course Request")
    canvas_pages(os.path.join(d, "outline.pdf"), [[
        ("h", "Vehicle Pursuits: Directive 4.12 Changes"),
        ("p", "Lesson plan"),
        ("gap",),
        ("p", "Goal: every sworn member learns the bureau's revised pursuit directive (Directive 4.12),"),
        ("p", "effective January 1, as required by the Chief of Police."),
        ("gap",),
        ("p", "Objectives"),
        ("p", "1. Identify what changed in the bureau's pursuit directive."),
        ("p", "2. Complete the bureau's revised pursuit reporting form."),
        ("gap",),
        ("p", "Hour 1: Directive 4.12 changes, line by line (1 hour)"),
        ("p", "Hour 2: Supervisor responsibilities under the directive (1 hour)"),
        ("p", "Hour 3: Reporting forms and acknowledgement (1 hour)"),
        ("gap",),
        ("p", "Evaluation: signed acknowledgement of the directive."),
    ]], "Lesson plan")
    canvas_pages(os.path.join(d, "instructors.pdf"), [
        [("h", "Carla J. Benson"), ("p", "Lieutenant, City of Elkton Bureau of Police"), ("gap",),
         ("p", "Experience"), ("p", "2005-present  Patrol officer, sergeant and lieutenant"),
         ("p", "Education"), ("p", "B.S. Criminal Justice, West Chester University"),
         ("p", "Certifications"), ("p", "MPOETC certified instructor; EVOC instructor")],
        [("h", "Omar Said"), ("p", "Captain, Operations Division"), ("gap",),
         ("p", "Employment"), ("p", "1998-present  City of Elkton Bureau of Police"),
         ("p", "Education"), ("p", "M.P.A., Penn State University"),
         ("p", "Qualifications"), ("p", "Author of the bureau's pursuit directive")]], "Instructor resumes")


# ------------------------------------------------------------------------------------------------
# D. One scanned PDF (form, outline, CV) made from page images: a requalification course.
def draw_page(lines, skew):
    img = Image.new("L", (1700, 2200), 255)
    dr = ImageDraw.Draw(img)
    y = 150
    for kind, s in lines:
        font = ImageFont.truetype(FONT_BOLD if kind == "h" else FONT, 44 if kind == "h" else 32)
        dr.text((150, y), s, font=font, fill=0)
        y += 70 if kind == "h" else 52
    img = img.rotate(skew, fillcolor=255, resample=Image.BICUBIC)
    img = img.filter(ImageFilter.GaussianBlur(0.6))
    px = img.load()
    for _ in range(6000):
        px[random.randrange(1700), random.randrange(2200)] = random.choice((0, 90))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def packet_d():
    d = fresh("scanned_combined_requal")
    pages = [
        [("h", "CLEE Request Form"), ("p", ""),
         ("p", "Training Provider: Beaver Valley Firearms Academy"),
         ("p", "Provider Number: CTP-6612"),
         ("p", "Course Title: Duty Handgun Qualification"),
         ("p", "Credit Hours Requested: 4"),
         ("p", "Instructor: Sgt. Paul Novak"),
         ("p", "Contact Name: Rita Gomez"),
         ("p", "Contact Email: rgomez@bvfa.net"),
         ("p", "Contact Phone: 724-555-0150"),
         ("p", ""), ("p", "Signature: ______________________")],
        [("h", "Course Outline"), ("p", "Duty Handgun Qualification"), ("p", ""),
         ("p", "Officers shoot the annual qualification course of fire"),
         ("p", "and must reach the minimum qualification score."),
         ("p", ""), ("p", "Objectives"),
         ("p", "1. Qualify on the state course of fire."),
         ("p", "2. Requalify after remedial training when needed."),
         ("p", ""), ("p", "Block 1 - Safety briefing (1 hour)"),
         ("p", "Block 2 - Qualification course of fire (3 hours)")],
        [("h", "Paul Novak"), ("p", "Resume"), ("p", ""), ("p", "Experience"),
         ("p", "2001-present  Range master, Beaver Valley Firearms Academy"),
         ("p", "Certifications"), ("p", "MPOETC firearms instructor"),
         ("p", "Education"), ("p", "A.S. Criminal Justice, Community College of Beaver County")],
    ]
    images = [draw_page(p, s) for p, s in zip(pages, (0.8, -0.6, 0.4))]
    with open(os.path.join(d, "SCAN_20271002.pdf"), "wb") as fh:
        fh.write(img2pdf.convert(images, layout_fun=img2pdf.get_fixed_dpi_layout_fun((200, 200))))


# ------------------------------------------------------------------------------------------------
# E. An e-mail with only an HTML body (the cover letter), the form as a Word file with a two-column
#    table of unusual labels, the outline as a LibreOffice PDF and the CV zipped. An annual
#    in-service course that never says "refresher".
def packet_e():
    d = fresh("eml_inservice")
    with tempfile.TemporaryDirectory() as tmp:
        f = Document()
        f.add_heading("Training Course Approval Request", 1)
        t = f.add_table(rows=0, cols=2)
        t.style = "Table Grid"
        for k, v in [("Organization Submitting", "Mon Valley Municipal Police Training Cooperative"),
                     ("Program Name", "Annual In-Service Update 2027"),
                     ("Total Contact Hours", "8"),
                     ("Presenter(s)", "Ofc. Lena Marsh"),
                     ("Primary Contact", "Ofc. Lena Marsh"),
                     ("Contact Email Address", "lmarsh@monvalleyptc.org"),
                     ("Contact Phone No.", "412.555.0177")]:
            cells = t.add_row().cells
            cells[0].text, cells[1].text = k, v
        form_path = os.path.join(tmp, "form.docx")
        f.save(form_path)

        o = Document()
        o.add_heading("Annual In-Service Update 2027", 0)
        o.add_paragraph("Overview")
        o.add_paragraph("The yearly in-service day that every officer completes each year. It covers "
                        "the same core topics as every year: a review of legal updates, first aid, "
                        "and use of force, so officers stay current.")
        o.add_paragraph("Objectives")
        for obj in ["Review this year's changes to the Crimes Code.",
                    "Review CPR and first aid steps.", "Review use of force principles."]:
            o.add_paragraph(obj, style="List Number")
        t = o.add_table(rows=0, cols=2)
        for k, v in [("Legal updates", "3"), ("First aid and CPR", "3"), ("Use of force review", "2"),
                     ("Total", "8")]:
            cells = t.add_row().cells
            cells[0].text, cells[1].text = k, v
        opath = os.path.join(tmp, "InService_Outline.docx")
        o.save(opath)
        docx_to_pdf(opath, tmp)

        c = Document()
        c.add_paragraph("Lena Marsh")
        c.add_paragraph("Police Officer and Instructor")
        for ln in ["Work History", "2010-present  Officer, Monessen Police Department",
                   "Education", "B.S. Administration of Justice, Penn State Fayette",
                   "Certifications", "American Heart Association BLS instructor"]:
            c.add_paragraph(ln)
        cpath = os.path.join(tmp, "Marsh.docx")
        c.save(cpath)
        zbuf = io.BytesIO()
        with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_DEFLATED) as z:
            z.write(cpath, "Marsh.docx")

        m = EmailMessage()
        m["From"] = "Lena Marsh <lmarsh@monvalleyptc.org>"
        m["To"] = "training@mpoetc.example"
        m["Subject"] = "CLEE submission"
        m["Date"] = "Mon, 04 Oct 2027 09:12:00 -0400"
        m["Message-ID"] = "<inservice-2027@monvalleyptc.org>"
        m.set_content("<html><body><p>Dear MPOETC training staff,</p><p>Please find attached our "
                      "request, the outline and the instructor's resume.</p><p>Sincerely,<br>Lena "
                      "Marsh</p></body></html>", subtype="html")
        with open(form_path, "rb") as fh:
            m.add_attachment(fh.read(), maintype="application",
                             subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                             filename="attachment.docx")
        with open(os.path.join(tmp, "InService_Outline.pdf"), "rb") as fh:
            m.add_attachment(fh.read(), maintype="application", subtype="pdf", filename="InService_Outline.pdf")
        m.add_attachment(zbuf.getvalue(), maintype="application", subtype="zip", filename="resume.zip")
        with open(os.path.join(d, "submission.eml"), "wb") as fh:
            fh.write(bytes(m))


# ------------------------------------------------------------------------------------------------
# F. Text-only "Label: value" form with labels in no synonym list, an advanced course whose
#    outline says "review" in its ordinary senses (peer review, case review), CVs as plain PDFs.
def packet_f():
    d = fresh("lines_latent_prints")
    canvas_pages(os.path.join(d, "request.pdf"), [[
        ("h", "Request for CLEE Course Approval"),
        ("p", "Agency/Organization Submitting Request: Commonwealth Forensic Science Institute"),
        ("p", "Provider Certification #: CTP-9043"),
        ("p", "Name of Program: Advanced Latent Print Comparison"),
        ("p", "Amount of Credit Requested: 24 hours"),
        ("p", "Course Instructor(s): Dr. Helen Vance and Tpr. Luis Ortega"),
        ("p", "Primary Point of Contact: Helen Vance"),
        ("p", "Email: training@cfsi-pa.org    Tel.: 717-555-0111"),
        ("p", "Brief Description:"),
        ("p", "Comparison of distorted and low-quality latent prints using ACE-V, with"),
        ("p", "statistical support tools and blind verification."),
    ]], "CLEE request")
    canvas_pages(os.path.join(d, "outline.pdf"), [[
        ("h", "Advanced Latent Print Comparison - Course Outline"),
        ("p", "Scope: examiners with two years of casework learn techniques beyond the basic"),
        ("p", "latent print course: distortion analysis, complex comparisons and statistical tools."),
        ("p", "Participants will conduct a peer review of each comparison and a technical review of"),
        ("p", "conclusions, as in an accredited laboratory."),
        ("gap",),
        ("p", "Learning Objectives"),
        ("p", "1. Analyze distortion caused by pressure, substrate and movement."),
        ("p", "2. Evaluate complex comparisons with low minutiae counts."),
        ("p", "3. Apply a statistical model to support a conclusion."),
        ("gap",),
        ("p", "Day 1  Distortion analysis ............................ 8 hours"),
        ("p", "Day 2  Complex comparisons ........................... 8 hours"),
        ("p", "Day 3  Statistical tools and mock court testimony .... 8 hours"),
        ("p", "Total instructional hours: 24"),
    ]], "Outline")
    canvas_pages(os.path.join(d, "vance_cv.pdf"), [[
        ("h", "HELEN M. VANCE, PH.D."), ("p", "Curriculum Vitae"), ("gap",),
        ("p", "Education"), ("p", "Ph.D. Forensic Science, Penn State University, 2009"),
        ("p", "Professional Experience"), ("p", "2009-present  Latent print examiner, Commonwealth lab"),
        ("p", "Certifications"), ("p", "IAI Certified Latent Print Examiner")]], "CV")
    canvas_pages(os.path.join(d, "ortega.pdf"), [[
        ("h", "Trooper Luis A. Ortega"), ("p", "Resume"), ("gap",),
        ("p", "Experience"), ("p", "2012-present  Pennsylvania State Police, Forensic Services"),
        ("p", "Education"), ("p", "B.S. Biology, Kutztown University"),
        ("p", "Certifications"), ("p", "IAI Latent Print Certification, 2018")]], "Resume")


# ------------------------------------------------------------------------------------------------
# G. Word form whose boxes hold the label above the value in the same cell, tick boxes, and an
#    instructor table with a header row; the CV's name sits in the page header; a nickname.
def packet_g():
    d = fresh("docx_stacked_cells_drones")
    f = Document()
    f.add_heading("CLEE Course Request", 1)
    t = f.add_table(rows=0, cols=2)
    t.style = "Table Grid"
    for a, b in [(("Provider Name", "Allegheny Aviation Safety Academy"), ("Provider Number", "CTP-8830")),
                 (("Course Title", "Small UAS Flight Operations for Public Safety"), ("Credit Hours Requested", "8")),
                 (("Contact Name", "Robert Kaminski"), ("Contact Email", "rk@aasa-pa.org"))]:
        cells = t.add_row().cells
        for cell, (label, value) in zip(cells, (a, b)):
            cell.text = label
            cell.add_paragraph(value)
    f.add_paragraph("Delivery method:  \u2612 Classroom   \u2610 Online   \u2610 Hybrid")
    f.add_paragraph("")
    it = f.add_table(rows=1, cols=3)
    it.style = "Table Grid"
    for i, h in enumerate(["Instructor Name", "Agency", "Resume attached"]):
        it.rows[0].cells[i].text = h
    for row in [("Robert Kaminski", "AASA", "Yes"), ("Dana Whitaker", "Pittsburgh Bureau of Police", "Yes")]:
        cells = it.add_row().cells
        for i, v in enumerate(row):
            cells[i].text = v
    f.save(os.path.join(d, "request.docx"))

    o = Document()
    o.add_heading("Small UAS Flight Operations for Public Safety", 0)
    o.add_paragraph("Course Description")
    o.add_paragraph("Officers who hold an FAA Part 107 remote pilot certificate learn new skills: night "
                    "operations, thermal imaging searches, crash scene mapping with photogrammetry and "
                    "evidence documentation from the air. This is a new capability for most agencies.")
    o.add_paragraph("Learning Objectives")
    for obj in ["Plan a night search mission under a Part 107 waiver.",
                "Produce an orthomosaic map of a crash scene.",
                "Interpret thermal imagery during a missing-person search."]:
        o.add_paragraph(obj, style="List Bullet")
    o.add_paragraph("Module 1 \u2013 Airspace, waivers and mission planning \u2013 2 hrs")
    o.add_paragraph("Module 2 \u2013 Thermal imaging searches \u2013 2.5 hrs")
    o.add_paragraph("Module 3 \u2013 Photogrammetry for crash scenes \u2013 2.5 hrs")
    o.add_paragraph("Module 4 \u2013 Flight evaluation \u2013 1 hr")
    o.add_paragraph("Total Course Hours: 8")
    o.save(os.path.join(d, "outline.docx"))

    for fname, name, body in [
        ("resume1.docx", "Bob Kaminski", ["PROFESSIONAL SUMMARY", "Chief pilot, Allegheny Aviation Safety Academy.",
                                          "EXPERIENCE", "2016-present  Chief pilot and instructor",
                                          "CERTIFICATIONS", "FAA Part 107 Remote Pilot; FAA CFI"]),
        ("resume2.docx", "Dana Whitaker", ["PROFESSIONAL SUMMARY", "Officer, UAS unit.",
                                           "EXPERIENCE", "2012-present  Pittsburgh Bureau of Police",
                                           "EDUCATION", "B.S. Aviation, Community College of Allegheny County"])]:
        c = Document()
        c.sections[0].header.paragraphs[0].text = name
        for ln in body:
            c.add_paragraph(ln)
        c.save(os.path.join(d, fname))


# ------------------------------------------------------------------------------------------------
# H. One Word document (form, outline, two CVs, page breaks between) saved as PDF by LibreOffice:
#    a combined text PDF, split by content.
def packet_h():
    d = fresh("lo_combined")
    with tempfile.TemporaryDirectory() as tmp:
        doc = Document()
        doc.add_heading("CLEE Request Form", 1)
        for k, v in [("Training Provider", "Northeast Tactical Medicine Group"), ("Provider Number", "CTP-4417"),
                     ("Course Title", "Tactical Emergency Casualty Care for Patrol"), ("Credit Hours", "8"),
                     ("Instructor(s)", "Dr. Owen Price; Ofc. Nia Brooks"), ("Contact Name", "Owen Price"),
                     ("Contact Email", "oprice@netmg.org"), ("Contact Phone", "(570) 555-0161")]:
            doc.add_paragraph(f"{k}: {v}")
        doc.add_page_break()
        doc.add_heading("Course Outline", 1)
        doc.add_paragraph("Tactical Emergency Casualty Care for Patrol")
        doc.add_paragraph("Enabling Objectives")
        for obj in ["Apply a tourniquet to self and others under simulated fire.",
                    "Perform wound packing with hemostatic gauze.",
                    "Conduct a casualty collection point exercise."]:
            doc.add_paragraph(obj, style="List Number")
        for blk in ["Care under fire (2 hours)", "Tactical field care (3 hours)", "Scenario-based exercises (3 hours)"]:
            doc.add_paragraph(blk)
        doc.add_page_break()
        doc.add_heading("Owen Price, MD", 1)
        for ln in ["Curriculum Vitae", "Emergency physician and tactical medical director since 2011.",
                   "Education: M.D., University of Pittsburgh", "Certifications: TECC instructor"]:
            doc.add_paragraph(ln)
        doc.add_page_break()
        doc.add_heading("Nia Brooks", 1)
        for ln in ["Resume", "Experience: 2014-present Police officer and SWAT medic, Scranton PD",
                   "Certifications: TCCC and TECC instructor; EMT-B"]:
            doc.add_paragraph(ln)
        src = os.path.join(tmp, "Packet.docx")
        doc.save(src)
        docx_to_pdf(src, d)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for make in (packet_a, packet_b, packet_c, packet_d, packet_e, packet_f, packet_g, packet_h):
        make()
    print("wrote", OUT)
