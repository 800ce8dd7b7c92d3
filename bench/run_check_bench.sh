#!/usr/bin/env bash
# Wall time of `clee-intake check` on a text-only packet and on a scanned one, beside what a user
# would otherwise run by hand on the same files: pdftotext for each PDF, pandoc for each DOCX,
# pdftoppm + tesseract for each scanned page (the peers only extract text; check also types,
# splits, reads the fields and validates).
#
# Usage: bench/run_check_bench.sh [path/to/clee-intake] [runs] [path/to/baseline/clee-intake]
#   default binary: build/clee-intake (or $CLEE_BINARY); default runs: 5. Prints the median.
#   With a baseline (another build, e.g. main's, or $CLEE_BASELINE), both binaries are timed in
#   the same run, alternating run by run, and the ratio printed (goal: text <= 1.1x).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-${CLEE_BINARY:-$root/build/clee-intake}}"
runs="${2:-5}"
base="${3:-${CLEE_BASELINE:-}}"
text_packets=("$root/fixtures/packets/complete_advanced_pdf" "$root/fixtures/packets/complete_advanced_docx")
scan_packet="$root/fixtures/packets/scanned_form"
[ -x "$bin" ] || { echo "no clee-intake at $bin (give its path as the first argument)" >&2; exit 2; }
[ -z "$base" ] || [ -x "$base" ] || { echo "no baseline clee-intake at $base" >&2; exit 2; }
for tool in pdftotext pandoc pdftoppm tesseract pdffonts; do
  command -v "$tool" >/dev/null || { echo "missing peer tool: $tool" >&2; exit 2; }
done
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT


# Median wall time (ms) of `runs` runs of "$@"; EPOCHREALTIME (bash 5) reads the clock without a fork.
time_it() {
  local times=()
  for ((i = 0; i < runs; i++)); do
    local t0 t1
    t0="${EPOCHREALTIME/[.,]/}"
    "$@" >/dev/null 2>&1
    t1="${EPOCHREALTIME/[.,]/}"
    times+=("$(( (t1 - t0) / 1000 )).$(( (t1 - t0) % 1000 / 100 ))")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# Medians (ms) of `runs` runs each of "$bin" and "$base" on packet $1, the two alternating run by
# run so that a change in the machine's load falls on both alike. Prints "check baseline".
time_pair() {
  local a=() b=() i t0 t1
  for ((i = 0; i < runs; i++)); do
    t0="${EPOCHREALTIME/[.,]/}"; "$bin" --log-level warn check --format json "$1" >/dev/null 2>&1; t1="${EPOCHREALTIME/[.,]/}"
    a+=("$(( (t1 - t0) / 1000 ))")
    t0="${EPOCHREALTIME/[.,]/}"; "$base" --log-level warn check --format json "$1" >/dev/null 2>&1; t1="${EPOCHREALTIME/[.,]/}"
    b+=("$(( (t1 - t0) / 1000 ))")
  done
  local ma mb
  ma=$(printf '%s\n' "${a[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  mb=$(printf '%s\n' "${b[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  echo "$ma $mb"
}

# The peers on one packet: text from every file, OCR for PDF pages without a text layer.
peers() {
  local dir="$1" f
  for f in "$dir"/*; do
    case "$f" in
      *.pdf)
        if pdffonts "$f" 2>/dev/null | awk 'NR > 2 { found = 1 } END { exit !found }'; then
          pdftotext -layout "$f" "$tmp/out.txt"
        else
          rm -f "$tmp"/page-*.png
          pdftoppm -r 300 -png "$f" "$tmp/page"
          for p in "$tmp"/page-*.png; do tesseract "$p" "$tmp/ocr" >/dev/null 2>&1; done
        fi ;;
      *.docx) pandoc -t plain "$f" -o "$tmp/out.txt" ;;
    esac
  done
}

echo "clee-intake check vs peers (median of $runs runs, wall ms) on $(nproc) cores"
if [ -n "$base" ]; then
  printf '%-28s %12s %12s %8s %12s\n' "packet" "check" "baseline" "ratio" "peers"
else
  printf '%-28s %12s %12s\n' "packet" "check" "peers"
fi
for p in "${text_packets[@]}" "$scan_packet"; do
  q=$(time_it peers "$p")
  if [ -n "$base" ]; then
    read -r c b < <(time_pair "$p")
    r=$(awk -v c="$c" -v b="$b" 'BEGIN { printf "%.2f", (b > 0 ? c / b : 0) }')
    printf '%-28s %12s %12s %7sx %12s\n' "$(basename "$p")" "$c" "$b" "$r" "$q"
  else
    c=$(time_it "$bin" --log-level warn check --format json "$p")
    printf '%-28s %12s %12s\n' "$(basename "$p")" "$c" "$q"
  fi
done
echo "goal: text-only packet <= 50 ms; with a baseline, text packets within 1.1x and scans no slower"
