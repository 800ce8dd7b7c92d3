#!/usr/bin/env bash
# Intake benchmark (issue 4): prints figures, asserts nothing.
#   1. 1,000 text packets through `clee-intake ingest` on this machine's cores (goal: ≤ 30 s wall,
#      peak RSS ≤ 200 MB per process). Each packet is the text-PDF fixture packet (form, outline,
#      CVs) plus a unique cover note, so every packet is new (no duplicate short-cut) and fully
#      checked; `nproc` ingest processes share one data folder (WAL, BEGIN IMMEDIATE).
#   2. The same 1,000 again: every one recognised as duplicate_packet (wall time).
#   3. Inbox pick-up latency: time from a packet becoming complete in the inbox (an atomic rename)
#      to its row being in the queue, for `watch` with inotify and with --poll, at the default
#      stability wait (2 s) and at 0.5 s. Latency = stability wait + check time + scan granularity.
# Every count it prints is checked: a run that queued fewer than N packets (or recognised fewer than
# N duplicates) says FAILED with the ingest errors and exits 1 — a figure is never reported as done
# when part of the work was lost.
# Ingest is bound by the disk's flushes (each original and each commit fsync'd), so each process
# keeps JOBS packets in flight (`ingest --jobs`, default 4 here). Target (issue 14): <= 15 s.
# Usage: bench/run_ingest_bench.sh [BUILD_DIR] [N] [JOBS]
set -uo pipefail
cd "$(dirname "$0")/.."
B=$(realpath "${1:-build}")/clee-intake
N=${2:-1000}
JOBS=${3:-4}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
export OMP_THREAD_LIMIT=1
P=$(nproc --all)  # OMP_THREAD_LIMIT=1 would make plain nproc say 1
echo "== machine: $P cores, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== 1. ingest $N text packets, $P processes, --jobs $JOBS"
mkdir -p "$OUT/many"
for i in $(seq 1 "$N"); do
  d="$OUT/many/p$i"; mkdir -p "$d"
  cp fixtures/packets/complete_advanced_pdf/*.pdf "$d/"
  printf 'Cover note for packet %d\n' "$i" > "$d/note.txt"
done
start=$(date +%s.%N)
ls -d "$OUT"/many/p* | xargs -P "$P" -n $(( (N + 2*P - 1) / (2*P) )) \
  /usr/bin/time -f "%M %U %S" -a -o "$OUT/rss" "$B" --log-level off --data "$OUT/data" ingest --jobs "$JOBS" >"$OUT/ingest.out" 2>&1
rc1=$?
end=$(date +%s.%N)
count() { "$B" --log-level off --data "$1" queue list --json | python3 -c "import json,sys; print(len(json.load(sys.stdin)))"; }
FAILED=0
check() {  # WHAT GOT WANTED LOG
  if [[ "$2" != "$3" ]]; then
    echo "   FAILED: $1: $2, expected $3. Errors reported by ingest:"
    grep -v '^P-' "$4" | grep -iv 'packet(s) queued$' | sort | uniq -c | sort -rn | head -10 | sed 's/^/     /'
    FAILED=1
  fi
}
queued=$(count "$OUT/data")
wall=$(echo "$end - $start" | bc)
check "packets queued" "$queued" "$N" "$OUT/ingest.out"
[[ $rc1 == 0 ]] || { echo "   FAILED: an ingest process exited $rc1"; FAILED=1; }
echo "   $queued packets queued in ${wall} s wall ($(echo "scale=1; 1000 * $wall / $N" | bc) ms/packet); peak RSS per process $(sort -n "$OUT/rss" | tail -1 | cut -d' ' -f1) KiB; CPU $(awk '{c += $2 + $3} END {printf "%.1f", c}' "$OUT/rss") s (user+sys, all processes); target <= 15 s: $(awk -v w="$wall" 'BEGIN{print (w <= 15 ? "met" : "NOT met")}')"
"$B" --log-level off --data "$OUT/data" queue list --json |
  python3 -c "import json,sys,collections; print('   statuses:', dict(collections.Counter(p['status'] for p in json.load(sys.stdin))))"

echo "== 2. the same $N packets again (duplicates)"
start=$(date +%s.%N)
ls -d "$OUT"/many/p* | xargs -P "$P" -n $(( (N + 2*P - 1) / (2*P) )) "$B" --log-level off --data "$OUT/data" ingest --jobs "$JOBS" >"$OUT/dup.out" 2>&1
rc=$?
end=$(date +%s.%N)
dups=$(grep -c duplicate_packet "$OUT/dup.out")
check "duplicates recognised" "$dups" "$N" "$OUT/dup.out"
check "queue after the duplicates" "$(count "$OUT/data")" "$N" "$OUT/dup.out"
echo "   $dups reported duplicate_packet, queue still $(count "$OUT/data"), exit $rc, $(echo "$end - $start" | bc) s wall"

echo "== 3. inbox pick-up latency (5 packets each; from the rename that completes it to its queue row)"
latency() {  # MODE STABILITY
  local mode=$1 stab=$2 inbox="$OUT/inbox-$1-$2" data="$OUT/data-$1-$2" flags=()
  [[ $mode == poll ]] && flags=(--poll)
  mkdir -p "$inbox"
  "$B" --log-level off --data "$data" watch "$inbox" --stability "$stab" "${flags[@]}" & local wpid=$!
  sleep 1
  local sum=0 max=0
  for i in 1 2 3 4 5; do
    mkdir -p "$OUT/stage$i"; cp fixtures/packets/complete_advanced_docx/* "$OUT/stage$i/"
    printf 'latency probe %s %s %d\n' "$mode" "$stab" "$i" > "$OUT/stage$i/note.txt"
    local t0; t0=$(date +%s.%N)
    mv "$OUT/stage$i" "$inbox/packet$i"
    local waited=0
    while [[ $(count "$data" 2>/dev/null) != "$i" ]]; do
      sleep 0.02; waited=$((waited + 1))
      if (( waited > 3000 )); then echo "   FAILED: $mode $stab: packet $i not queued within 60 s"; FAILED=1; break; fi
    done
    local d; d=$(echo "$(date +%s.%N) - $t0" | bc)
    sum=$(echo "$sum + $d" | bc); max=$(echo "if ($d > $max) $d else $max" | bc)
  done
  kill "$wpid"; wait "$wpid" 2>/dev/null
  printf '   %-7s stability %-4s s: mean %.2f s, max %.2f s\n' "$mode" "$stab" "$(echo "$sum / 5" | bc -l)" "$max"
}
latency inotify 2
latency inotify 0.5
latency poll 2
if [[ $FAILED != 0 ]]; then
  echo "== FAILED: some counts above are not what was asked for"
  exit 1
fi
