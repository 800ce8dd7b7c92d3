#!/usr/bin/env bash
# Extractor benchmark: clee-intake extract against the tool a user would pick instead, in one run.
# One section per extractor; each engineer owns their section (PDF text: PDF engineer; OCR: OCR
# engineer; DOCX: DOCX engineer). Prints figures and ratios; asserts nothing.
# Usage: bench/run_extract_bench.sh [BUILD_DIR=build] [CORPUS_SAMPLE=20]
# Needs: poppler-utils (pdftotext, pdfinfo, pdffonts), /usr/bin/time.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
B=$BUILD/clee-intake
SAMPLE=${2:-20}
SHARED=${CLEE_SHARED:-../shared}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
export OMP_THREAD_LIMIT=1
T=/usr/bin/time
[[ -x $B ]] || { echo "build $B first" >&2; exit 2; }

# cpu_rss CMD... → "cpu_seconds peak_rss_kib wall_seconds" of one run (stdout discarded)
cpu_rss() { $T -f "%U %S %M %e" -o "$OUT/t" "$@" >/dev/null 2>&1; awk '{printf "%.3f %d %.3f\n", $1+$2, $3, $4}' "$OUT/t"; }
add() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", a+b}'; }

echo "== machine: $(nproc) cores, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------------------------------------
# 1. PDF text (PDF engineer): clee-intake extract --no-ocr vs pdftotext, same files, same run.
# ---------------------------------------------------------------------------------------------
echo "== 1. text PDFs: clee-intake extract --no-ocr vs pdftotext / pdftotext -layout"
pdfs=(fixtures/docs/text_outline.pdf fixtures/docs/lo_outline.pdf fixtures/docs/form_fillable.pdf
      fixtures/docs/two_column.pdf fixtures/docs/form_lines.pdf)
# A deterministic sample of corpus PDFs with a text layer that pdftotext reads in under 0.5 s.
if [[ -f $SHARED/corpora/pdf/pdftotext-22.12_baseline.tsv ]]; then
  while IFS=$'\t' read -r path rc secs; do
    f=$SHARED/corpora/$path
    [[ $rc == 0 && -f $f ]] || continue
    awk -v s="$secs" 'BEGIN{exit !(s < 0.5)}' || continue
    pdffonts "$f" 2>/dev/null | tail -n +3 | grep -q . || continue
    [[ $(pdftotext "$f" - 2>/dev/null | wc -c) -gt 500 ]] || continue
    pdfs+=("$f")
    (( ${#pdfs[@]} >= 5 + SAMPLE )) && break
  done < <(tail -n +2 "$SHARED/corpora/pdf/pdftotext-22.12_baseline.tsv")
fi
RUNS=3
printf '%s\n' "${pdfs[@]}" > "$OUT/list"
pages=0
for f in "${pdfs[@]}"; do n=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/{print $2}'); pages=$((pages + ${n:-1})); done
# Each tool runs over the whole list RUNS times inside one timed shell: the children's CPU is summed
# by the kernel with µs precision (per-file /usr/bin/time rounds to 10 ms, more than a small PDF).
# $2 is what follows the file name: pdftotext needs "-" to write to stdout, not beside the input.
loop() { $T -f "%U %S %M" -o "$OUT/t" sh -c 'for r in $(seq '"$RUNS"'); do while IFS= read -r f; do '"$1"' "$f" '"${2:-}"' >/dev/null 2>&1; done < "'"$OUT/list"'"; done'; awk '{printf "%.3f %d\n", $1+$2, $3}' "$OUT/t"; }
read -r ours rss_ours < <(loop "$B --log-level off extract --no-ocr --format json")
read -r peer rss_peer < <(loop "pdftotext -q -enc UTF-8 -eol unix -nopgbrk" -)
read -r peer_layout _ < <(loop "pdftotext -q -layout" -)
n=$((pages * RUNS))
awk -v o="$ours" -v p="$peer" -v l="$peer_layout" -v n="$n" -v f="${#pdfs[@]}" -v pg="$pages" -v r="$RUNS" -v ro="$rss_ours" -v rp="$rss_peer" 'BEGIN{
  printf "   one process per file: %d files, %d pages, %d runs\n", f, pg, r;
  printf "   CPU/page: clee-intake %.2f ms, pdftotext %.2f ms, pdftotext -layout %.2f ms\n", 1000*o/n, 1000*p/n, 1000*l/n;
  printf "   ratio clee-intake/pdftotext %.2fx (goal <= 1.2x), /pdftotext -layout %.2fx\n", o/p, o/l;
  printf "   peak RSS (largest process): clee-intake %d KiB, pdftotext %d KiB\n", ro, rp}'
# Process start-up weighs on small files (clee-intake links Poppler, Tesseract, GMime, libzip…):
# the same files in ONE clee-intake process (x RUNS), against pdftotext's per-file sum.
all=(); for ((r = 0; r < RUNS; ++r)); do all+=("${pdfs[@]}"); done
read -r c m _ < <(cpu_rss "$B" --log-level off extract --no-ocr --format json "${all[@]}")
read -r c0 _ _ < <(cpu_rss "$B" --log-level off extract --no-ocr --format json fixtures/docs/notes.pdf)
awk -v c="$c" -v c0="$c0" -v p="$peer" -v n="$n" -v m="$m" 'BEGIN{
  printf "   one clee-intake process for all files: %.2f ms CPU/page vs pdftotext %.2f ms/page: ratio %.2fx; peak RSS %d KiB\n", 1000*c/n, 1000*p/n, c/p, m;
  printf "   start-up: clee-intake on a one-line text file %.0f ms CPU\n", 1000*c0}'

# Isolation cost: the same text PDF in-process vs in a child process (fork+exec, rlimits, JSON).
if [[ -x $BUILD/bench/isolation_bench ]]; then
  echo "== 1b. isolation cost"
  "$BUILD/bench/isolation_bench" fixtures/docs/text_outline.pdf 20 "$B" 2>&1 | sed 's/^/   /'
fi

# ---------------------------------------------------------------------------------------------
# 2. OCR (OCR engineer): scans vs tesseract (OMP_THREAD_LIMIT=1) and ocrmypdf --sidecar.
# ---------------------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------------------
# 3. DOCX (DOCX engineer): clee-intake extract vs pandoc -t plain.
# ---------------------------------------------------------------------------------------------
