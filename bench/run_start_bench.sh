#!/usr/bin/env bash
# Process start and `check` of text packets (issue 14), against the peer tools in the same run:
#   1. `clee-intake --version` against `pdftotext -v` (the smallest start of the peer users run):
#      CPU ms per process (user + system, from wait4), wall ms, libraries loaded.
#   2. `clee-intake check` of text packets (PDF and DOCX, no scans) against what a user would run
#      by hand on the same files: pdftotext for each PDF, pandoc -t plain for each DOCX. The peers
#      only extract text; check also types, splits, reads fields, validates and writes the report.
# Figures are medians of RUNS interleaved trials (bench_runs); CPU time is the figure the targets
# are read on (the machine is shared: wall time is printed too, and says how loaded it was).
# Targets: start <= 15 ms; check of a text packet <= 0.2x pdftotext + pandoc.
# Usage: bench/run_start_bench.sh [BUILD_DIR] [RUNS] [BEFORE_BINARY]   (default build, 20). With
# BEFORE_BINARY (e.g. main's build/clee-intake) its --version is measured in the same run too.
# Asserts nothing.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=$(realpath "${1:-build}")
B=$BUILD/clee-intake
R=$BUILD/bench/bench_runs
RUNS=${2:-20}
BEFORE=${3:-}
[[ -x $B && -x $R ]] || { echo "build clee-intake and bench_runs in $BUILD first" >&2; exit 2; }
for tool in pdftotext pandoc; do command -v $tool >/dev/null || { echo "missing peer tool: $tool" >&2; exit 2; }; done
unset OMP_THREAD_LIMIT  # what a user's shell has: clee-intake must not need it set
echo "== machine: $(nproc --all) cores, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"

# libs CMD...: shared objects the dynamic loader maps for CMD (its own and its libraries').
libs() { LD_DEBUG=files "$@" 2>&1 >/dev/null | grep -c 'calling init:'; }

echo "== 1. process start: clee-intake --version vs pdftotext -v ($RUNS runs each, interleaved)"
read -r c_cpu c_min c_wall _ c_fail p_cpu p_min p_wall _ p_fail < <("$R" "$RUNS" "$B" --version --- pdftotext -v | tr '\n' ' ')
printf '   %-22s CPU %6.2f ms (min %6.2f)  wall %6.2f ms  %3d libraries%s\n' "clee-intake --version" \
  "$c_cpu" "$c_min" "$c_wall" "$(libs "$B" --version)" "$([[ $c_fail != 0 ]] && echo "  FAILED $c_fail")"
printf '   %-22s CPU %6.2f ms (min %6.2f)  wall %6.2f ms  %3d libraries\n' "pdftotext -v" \
  "$p_cpu" "$p_min" "$p_wall" "$(libs pdftotext -v)"
if [[ -n $BEFORE ]]; then
  read -r b_cpu b_min b_wall _ b_fail _ < <("$R" "$RUNS" "$BEFORE" --version --- "$B" --version | tr '\n' ' ')
  printf '   %-22s CPU %6.2f ms (min %6.2f)  wall %6.2f ms  %3d libraries (%s)\n' "before: --version" \
    "$b_cpu" "$b_min" "$b_wall" "$(OMP_THREAD_LIMIT=1 libs "$BEFORE" --version)" "$BEFORE"
fi
awk -v c="$c_cpu" -v p="$p_cpu" -v w="$c_wall" 'BEGIN{
  printf "   ratio clee-intake/pdftotext start: %.2fx CPU; target: start <= 15 ms (CPU %.1f ms, wall %.1f ms: %s)\n",
    c/p, c, w, (c <= 15 ? "met" : "NOT met")}'

echo "== 2. check of text packets vs pdftotext + pandoc on the same files ($RUNS runs each, interleaved)"
packets=(basic_academy requalification refresher_annual advanced_title_review_content complete_advanced_pdf
         complete_advanced_docx)
sum_c=0 sum_p=0
printf '   %-32s %5s %10s %10s %10s %10s %7s\n' packet files check_cpu peers_cpu check_wall peers_wall ratio
for name in "${packets[@]}"; do
  dir=fixtures/packets/$name
  peer=() n=0
  for f in "$dir"/*; do
    case "$f" in
      *.pdf) peer+=(";;" pdftotext -q "$f" /dev/null); n=$((n + 1)) ;;
      *.docx) peer+=(";;" pandoc -t plain "$f" -o /dev/null); n=$((n + 1)) ;;
    esac
  done
  read -r cc _ cw _ cf pc _ pw _ pf < <("$R" "$RUNS" "$B" --log-level warn check --format json "$dir" --- "${peer[@]:1}" |
                                     tr '\n' ' ')
  [[ $cf != 0 || $pf != 0 ]] && echo "   $name: FAILED runs: check $cf, peers $pf"
  printf '   %-32s %5d %8.2fms %8.2fms %8.2fms %8.2fms %6.3fx\n' "$name" "$n" "$cc" "$pc" "$cw" "$pw" \
    "$(awk -v c="$cc" -v p="$pc" 'BEGIN{print c/p}')"
  sum_c=$(awk -v a="$sum_c" -v b="$cc" 'BEGIN{print a+b}'); sum_p=$(awk -v a="$sum_p" -v b="$pc" 'BEGIN{print a+b}')
done
awk -v c="$sum_c" -v p="$sum_p" 'BEGIN{
  printf "   all packets: check %.1f ms CPU, peers %.1f ms CPU: ratio %.3fx; target <= 0.2x: %s\n", c, p, c/p,
    (c/p <= 0.2 ? "met" : "NOT met")}'
echo "   load after: $(cut -d' ' -f1-3 /proc/loadavg)"
