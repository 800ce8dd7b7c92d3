#!/usr/bin/env bash
# Intake throughput and latency: 1,000 text packets through `clee-intake ingest` on all cores
# (wall time, peak RSS per process), and how soon a packet dropped into a watched inbox is queued.
# Usage: bench/run_ingest_bench.sh [BUILD_DIR]. Prints figures; asserts nothing.
set -uo pipefail
cd "$(dirname "$0")/.."
B=${1:-build}/clee-intake
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
export OMP_THREAD_LIMIT=1
T=/usr/bin/time
echo "== machine: $(nproc --all) cores, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== ingest 1,000 text packets on $(nproc --all) cores, and inbox pick-up latency"
mkdir -p "$OUT/many"
for i in $(seq 1 1000); do
  d="$OUT/many/p$i"; mkdir -p "$d"
  cp fixtures/packets/complete_advanced_pdf/*.pdf "$d/"
  printf 'Cover note for packet %d\n' "$i" > "$d/note.txt"
done
start=$(date +%s.%N)
ls -d "$OUT"/many/p* | xargs -P "$(nproc --all)" -n 100 $T -f "%M" -a -o "$OUT/rss" "$B" --log-level off --data "$OUT/data" ingest >/dev/null 2>&1
end=$(date +%s.%N)
queued=$("$B" --log-level off --data "$OUT/data" queue list --json | python3 -c "import json,sys; print(len(json.load(sys.stdin)))")
echo "   $queued packets queued in $(echo "$end - $start" | bc) s wall; peak RSS per process $(sort -n "$OUT/rss" | tail -1) KiB"
mkdir -p "$OUT/inbox"
"$B" --log-level off --data "$OUT/data2" watch "$OUT/inbox" --stability 1 & wpid=$!
sleep 1.5
cp -r fixtures/packets/complete_advanced_docx "$OUT/inbox/.staging"; mv "$OUT/inbox/.staging" "$OUT/inbox/new-packet"
t0=$(date +%s.%N)
while :; do
  n=$("$B" --log-level off --data "$OUT/data2" queue list --json 2>/dev/null | python3 -c "import json,sys; print(len(json.load(sys.stdin)))" 2>/dev/null)
  [[ "$n" == "1" ]] && break
  sleep 0.05
done
t1=$(date +%s.%N)
kill "$wpid"; wait "$wpid" 2>/dev/null
echo "   inbox pick-up: queued $(echo "$t1 - $t0" | bc) s after the packet was complete (stability wait 1 s)"
