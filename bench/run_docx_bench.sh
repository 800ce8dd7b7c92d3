#!/usr/bin/env bash
# DOCX text extraction: clee-intake vs pandoc, in the same run, on the same files.
#
#   bench/run_docx_bench.sh [path/to/clee-intake] [docx files or folders...]
#
# Defaults: build/clee-intake (or $CLEE_BIN), every .docx in ../shared/corpora/docx
# ($CLEE_SHARED_DIR) and fixtures/docs. Per file, each tool runs once as its own process
# (`clee-intake extract --no-ocr --format text FILE`, `pandoc -t plain FILE`): wall and CPU
# seconds and peak RSS from /usr/bin/time. Prints the N largest files, then totals and ratios
# (clee / pandoc), and one batch run where clee-intake reads every file in a single process (what
# `check` does with a packet). Prints figures; asserts nothing.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-${CLEE_BIN:-$here/build/clee-intake}}"
shift || true
shared="${CLEE_SHARED_DIR:-$here/../shared}"
command -v pandoc >/dev/null || { echo "pandoc not installed"; exit 1; }
[ -x "$bin" ] || { echo "no clee-intake at $bin (build it, or pass its path)"; exit 1; }

inputs=("$@")
[ ${#inputs[@]} -eq 0 ] && inputs=("$shared/corpora/docx" "$here/fixtures/docs")
mapfile -t files < <(for p in "${inputs[@]}"; do
  if [ -d "$p" ]; then find "$p" -name '*.docx' -type f; else echo "$p"; fi
done | sort)
[ ${#files[@]} -gt 0 ] || { echo "no .docx files"; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
measure() {  # measure OUT_PREFIX cmd... → prints "wall cpu rss_kb"
  local out="$1"; shift
  /usr/bin/time -f '%e %U %S %M' -o "$out.time" "$@" >"$out.txt" 2>/dev/null || true
  awk '{printf "%.3f %.3f %d\n", $1, $2 + $3, $4}' "$out.time"
}

printf '%-48s %8s | %8s %8s %7s | %8s %8s %7s\n' file KB clee_wall clee_cpu clee_MB pandoc_w pandoc_c pand_MB >"$tmp/rows"
cw=0 cc=0 pw=0 pc=0 crss=0 prss=0 n=0
for f in "${files[@]}"; do
  read -r w1 c1 r1 < <(measure "$tmp/c" "$bin" extract --no-ocr --format text "$f")
  read -r w2 c2 r2 < <(measure "$tmp/p" pandoc -t plain "$f")
  kb=$(( $(stat -c %s "$f") / 1024 ))
  printf '%-48s %8d | %8.3f %8.3f %7.1f | %8.3f %8.3f %7.1f\n' "$(basename "$f" | cut -c1-48)" "$kb" \
    "$w1" "$c1" "$(echo "$r1/1024" | bc -l)" "$w2" "$c2" "$(echo "$r2/1024" | bc -l)" >>"$tmp/rows.$kb.$n"
  cw=$(echo "$cw + $w1" | bc -l); cc=$(echo "$cc + $c1" | bc -l)
  pw=$(echo "$pw + $w2" | bc -l); pc=$(echo "$pc + $c2" | bc -l)
  [ "$r1" -gt "$crss" ] && crss=$r1
  [ "$r2" -gt "$prss" ] && prss=$r2
  n=$((n + 1))
done

echo "DOCX bench: ${#files[@]} files, one process per file per tool ($(nproc) cores, $(date -u +%FT%TZ))"
echo "clee-intake: $bin"
echo "pandoc:      $(pandoc --version | head -1)"
echo
echo "The 10 largest files:"
cat "$tmp/rows"
ls "$tmp" | grep '^rows\.' | sort -t. -k2,2nr | head -10 | while read -r r; do cat "$tmp/$r"; done
echo
printf 'totals over %d files      wall s    cpu s   peak RSS MB\n' "$n"
printf '  clee-intake extract    %7.2f  %7.2f   %7.1f\n' "$cw" "$cc" "$(echo "$crss/1024" | bc -l)"
printf '  pandoc -t plain        %7.2f  %7.2f   %7.1f\n' "$pw" "$pc" "$(echo "$prss/1024" | bc -l)"
printf '  ratio clee/pandoc      %7.3f  %7.3f   %7.3f\n' "$(echo "$cw/$pw" | bc -l)" "$(echo "$cc/$pc" | bc -l)" \
  "$(echo "$crss/$prss" | bc -l)"
echo
read -r bw bc br < <(measure "$tmp/batch" "$bin" extract --no-ocr --format text "${files[@]}")
printf 'batch: clee-intake extract of all %d files in one process: wall %.2f s, cpu %.2f s, peak RSS %.1f MB\n' \
  "$n" "$bw" "$bc" "$(echo "$br/1024" | bc -l)"
printf '       per file: %.1f ms cpu (pandoc per file, process included: %.1f ms cpu)\n' \
  "$(echo "1000*$bc/$n" | bc -l)" "$(echo "1000*$pc/$n" | bc -l)"
