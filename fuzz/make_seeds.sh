#!/usr/bin/env bash
# Makes the committed seeds under fuzz/seeds/ from our own fixtures with our own tools (the
# shared corpora are never copied into the repository; run_fuzz.sh reads them at run time).
#   bash fuzz/make_seeds.sh [path/to/clee-intake]     (default: build/clee-intake)
# seeds/report_json/   `check --json` reports of fixture packets
# seeds/document_json/ `extract --format json` of fixture documents (PDF, DOCX, eml)
# seeds/understand/    the page texts of fixture PDFs and DOCX, pages joined by form feeds
# seeds/docx_xml/      the XML parts of fixture DOCX files joined by 0x01 (docx_xml_fuzz.cpp)
# seeds/config/ and seeds/rules/ are written by hand (small TOML files), not here.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/clee-intake}
S=fuzz/seeds
mkdir -p $S/report_json $S/document_json $S/understand $S/docx_xml
# Times are fixed so the seeds are the same from run to run.
for p in complete_advanced_pdf hours_mismatch hostile_text encrypted_outline fillable_form; do
  "$BIN" check --json --no-ocr "fixtures/packets/$p" 2>/dev/null | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
r["received_at"] = "2026-11-02T10:15:00Z"
json.dump(r, sys.stdout, indent=2, sort_keys=True)' >"$S/report_json/$p.json"
done
for f in fixtures/docs/form_lines.pdf fixtures/docs/form_fillable.pdf fixtures/docs/rich.docx \
         fixtures/docs/truncated.pdf fixtures/docs/containers/forwarded.eml; do
  # extract prints an array (a container gives several); document_from_json reads one.
  "$BIN" extract --format json --no-ocr "$f" 2>/dev/null |
    /usr/bin/python3 -c 'import json, sys; d = json.load(sys.stdin)[0]; d["seconds"] = 0.25; json.dump(d, sys.stdout, indent=1)' \
      >"$S/document_json/$(basename "$f").json"
done
# Page texts: the JSON's pages, joined by \f (understand_fuzz.cpp cuts pages there).
for f in fixtures/packets/complete_advanced_pdf/*.pdf fixtures/packets/hours_mismatch/*.docx \
         fixtures/docs/text_outline.pdf fixtures/docs/form_lines.pdf; do
  name=$(basename "$(dirname "$f")")_$(basename "$f")
  "$BIN" extract --format json --no-ocr "$f" 2>/dev/null | /usr/bin/python3 -c '
import json, sys
doc = json.load(sys.stdin)
doc = doc[0]
sys.stdout.write("\f".join(p["text"] for p in doc["pages"]))' >"$S/understand/${name// /_}.txt"
done
# One combined PDF's worth: form, outline and two CVs as consecutive pages (the split rules).
(cd $S/understand && cat complete_advanced_pdf_request.pdf.txt <(printf '\f') complete_advanced_pdf_outline.pdf.txt \
   <(printf '\f') complete_advanced_pdf_cv1.pdf.txt <(printf '\f') complete_advanced_pdf_cv2.pdf.txt >combined_packet.txt)
for f in fixtures/docs/rich.docx fixtures/docs/footnotes.docx fixtures/docs/form_word_fields.docx \
         fixtures/docs/containers/features.docx; do
  /usr/bin/python3 fuzz/docx_parts.py "$f" >"$S/docx_xml/$(basename "$f" .docx).bin"
done
