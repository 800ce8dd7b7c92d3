#!/usr/bin/env bash
# OCR benchmark: dense 300-DPI scans made from known text, read in one run by
#   clee-intake extract (pages in parallel, one Tesseract per thread, OSD when needed),
#   tesseract CLI (OMP_THREAD_LIMIT=1; one page at a time, and two at a time with xargs -P2;
#                  --psm 3 as users run it, and --psm 1 which adds orientation detection),
#   ocrmypdf --output-type none --sidecar (-l eng --rotate-pages; its own page parallelism).
# Prints wall s/page, CPU s/page (all processes), peak RSS (largest process) and word recall against the source text (each source
# word found in the output, counted with multiplicity), for upright pages and for turned pages.
# Then the ratios the targets (issue 14) are read on: CPU per page against tesseract --psm 3 and
# --psm 1 (target <= 0.9x psm 3, recall >= tesseract's), and the peak RSS of `check` of the 4-page
# scanned packet (fixtures/packets/combined_scanned.pdf) with 2 OCR threads (target <= 200 MB).
# Usage: bench/run_ocr_bench.sh [BUILD_DIR] [PAGES] [BEFORE_BINARY]   (default build, 6 pages:
# 3 → 90°, 5 → 180°). With BEFORE_BINARY (e.g. main's build/clee-intake) it is measured too.
# FONT_PT=8 (default 10) sets the text size of the scans: smaller type leaves less to save.
set -uo pipefail
cd "$(dirname "$0")/.."
B=${1:-build}/clee-intake
N=${2:-6}
BEFORE=${3:-}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
export OMP_THREAD_LIMIT=1
T=/usr/bin/time
TURN="3:90,5:180"

echo "== OCR bench: $(getconf _NPROCESSORS_ONLN) cores, $(date -u +%FT%TZ), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 bench/make_ocr_scans.py "$OUT" "$N" --turn "$TURN" --font-size "${FONT_PT:-10}" fixtures/docs/text_outline.pdf \
  fixtures/docs/two_column.pdf fixtures/docs/lo_outline.pdf fixtures/packets/complete_advanced_pdf/*.pdf || exit 1
turned=" $(echo "$TURN" | tr ',' '\n' | cut -d: -f1 | tr '\n' ' ')"
echo "   $N pages of ${FONT_PT:-10}-pt text, $(cat "$OUT"/truth-*.txt | wc -w) source words; turned pages:$turned"

# recall TOOL_DIR: word recall of OUT/TOOL_DIR/N.txt vs OUT/truth-N.txt, upright and turned pages
recall() { /usr/bin/python3 - "$OUT" "$1" "$turned" <<'PY'
import collections, os, re, sys
out, tool, turned = sys.argv[1], sys.argv[2], set(map(int, sys.argv[3].split()))
w = lambda p: re.findall(r"[a-z0-9]+", open(p, errors="ignore").read().lower()) if os.path.exists(p) else []
hit = {True: [0, 0], False: [0, 0]}
n = 1
while os.path.exists(os.path.join(out, f"truth-{n}.txt")):
    truth, got = w(os.path.join(out, f"truth-{n}.txt")), collections.Counter(w(os.path.join(out, tool, f"{n}.txt")))
    for t in truth:
        h = hit[n in turned]; h[1] += 1
        if got[t] > 0: got[t] -= 1; h[0] += 1
    n += 1
r = lambda h: h[0] / max(1, h[1])
print("recall %.3f (upright %.3f, turned %.3f)" % ((hit[True][0] + hit[False][0]) / max(1, hit[True][1] + hit[False][1]), r(hit[False]), r(hit[True])))
PY
}
# run NAME CMD...: one timed run; prints wall/cpu per page and peak RSS (children included)
run() {
  local name=$1; shift
  $T -f "%e %U %S %M" -o "$OUT/time" "$@" >/dev/null 2>"$OUT/err" || { echo "   $name: FAILED: $(tail -2 "$OUT/err")"; return; }
  read -r wall user sys rss < "$OUT/time"
  echo "$user $sys" > "$OUT/cpu.${name%%,*}"
  printf "   %-32s wall %5.2f s/page  CPU %5.2f s/page  peak RSS %7d KiB  %s\n" "$name" \
    "$(echo "$wall / $N" | bc -l)" "$(echo "($user + $sys) / $N" | bc -l)" "$rss" "$(recall "$name")"
}
split_pages() {  # split_pages DIR FILE: form-feed separated text → DIR/N.txt
  mkdir -p "$OUT/$1"; /usr/bin/python3 -c "
import sys
for i, t in enumerate(open(sys.argv[1], errors='ignore').read().split('\f'), 1): open(f'$OUT/$1/{i}.txt', 'w').write(t)" "$2"
}

# clee-intake: JSON keeps pages apart; the pages go to OUT/$OURS (clee-intake, or before).
ours() {
  local dir=$OUT/${OURS:-clee-intake}
  "$B" --log-level off extract --format json "$OUT/scan.pdf" > "$OUT/ours.json" && mkdir -p "$dir" &&
    /usr/bin/python3 -c "
import json, sys
d = json.load(open('$OUT/ours.json'))
d = d[0] if isinstance(d, list) else d
for p in d['pages']: open(f\"$dir/{p['number']}.txt\", 'w').write(p['text'])
rot = ['%d:%d' % (p['number'], p.get('rotation', 0)) for p in d['pages'] if p.get('rotation')]
open('$OUT/rot', 'w').write(' '.join(rot))"
}
tess_one() {  # tess_one PSM DIR
  mkdir -p "$OUT/$2"
  for i in $(seq 1 "$N"); do tesseract "$OUT/scan-$i.jpg" "$OUT/$2/$i" --psm "$1" 2>/dev/null; done
}
tess_two() {
  mkdir -p "$OUT/$2"
  seq 1 "$N" | xargs -P 2 -I{} tesseract "$OUT/scan-{}.jpg" "$OUT/$2/{}" --psm "$1"
}
ocrmy() {
  ocrmypdf -q -l eng --rotate-pages --output-type none --sidecar "$OUT/ocrmypdf.txt" "$OUT/scan.pdf" - &&
    split_pages ocrmypdf "$OUT/ocrmypdf.txt"
}
export -f tess_one tess_two ours ocrmy split_pages; export OUT N B
run clee-intake bash -c ours
if [[ -n $BEFORE ]]; then
  cp "$OUT/rot" "$OUT/rot.after" 2>/dev/null
  OURS=before B=$BEFORE run before bash -c ours
  mv "$OUT/rot.after" "$OUT/rot" 2>/dev/null
  echo "   (before: $BEFORE)"
fi
echo "   (clee-intake rotations found: $(cat "$OUT/rot" 2>/dev/null))"
run "tesseract --psm 3, 1 at a time" bash -c 'tess_one 3 "tesseract --psm 3, 1 at a time"'
run "tesseract --psm 3, 2 at a time" bash -c 'tess_two 3 "tesseract --psm 3, 2 at a time"'
run "tesseract --psm 1, 2 at a time" bash -c 'tess_two 1 "tesseract --psm 1, 2 at a time"'
command -v ocrmypdf >/dev/null && run ocrmypdf bash -c ocrmy
cpu() { awk '{print $1 + $2}' "$OUT/cpu.$1" 2>/dev/null || echo 0; }
awk -v c="$(cpu clee-intake)" -v t3="$(cpu "tesseract --psm 3")" -v t1="$(cpu "tesseract --psm 1")" 'BEGIN{
  if (t3 > 0) printf "   CPU ratio clee-intake / tesseract --psm 3 (1 at a time): %.2fx (target <= 0.9x: %s)\n", c/t3, (c/t3 <= 0.9 ? "met" : "NOT met");
  if (t1 > 0) printf "   CPU ratio clee-intake / tesseract --psm 1 (2 at a time): %.2fx\n", c/t1}'

echo "== peak RSS: check of the 4-page scanned packet, 2 OCR threads (target <= 200 MB)"
printf '[extract]\nocr_threads = 2\n' > "$OUT/two.toml"
packet=fixtures/packets/combined_scanned.pdf
for bin in "$B" ${BEFORE:+"$BEFORE"}; do
  $T -f "%e %U %S %M" -o "$OUT/time" "$bin" --log-level off --config "$OUT/two.toml" check --format json "$packet" >/dev/null 2>&1 ||
    echo "   $bin: FAILED"
  read -r wall user sys rss < "$OUT/time"
  printf "   %-40s peak RSS %4d MB  CPU %5.2f s  wall %5.2f s  (%s)\n" "$bin" "$((rss / 1024))" \
    "$(echo "$user + $sys" | bc)" "$wall" "$([[ $((rss / 1024)) -le 200 ]] && echo met || echo NOT met)"
done
echo "   load after: $(cut -d' ' -f1-3 /proc/loadavg)"
