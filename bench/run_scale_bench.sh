#!/usr/bin/env bash
# Scale benchmark (issue 13): prints figures, asserts nothing.
#   1. N packets checked by 1, 2 and 4 worker processes on one queue — the daemon's own loop
#      (claim_next, heartbeat connection, load, check, save) — on the SQLite store and on a
#      PostgreSQL store (a private server on loopback with its durable defaults: fsync and
#      synchronous_commit on, as SQLite keeps synchronous=FULL), same machine, same packets, same
#      run. Packets/s, the workers' CPU per packet, the PostgreSQL server's CPU per packet, and the
#      ratios.
#   2. Per-packet costs from one instrumented worker on each store.
#   3. On paper, from those costs: what H hosts of workers against one PostgreSQL server would do.
# Each packet is the text-PDF fixture packet (form, outline, CVs) plus a unique note: a cheap check
# (no OCR), so the store's share shows. OCR'd scans cost ~0.5 s of CPU per page (run_ocr_bench.sh)
# and scale with cores alone.
# Usage: bench/run_scale_bench.sh [BUILD_DIR] [N]
set -uo pipefail
cd "$(dirname "$0")/.."
SB=$(realpath "${1:-build}")/bench/scale_bench
N=${2:-200}
PACKET=fixtures/packets/complete_advanced_pdf
OUT=$(mktemp -d)
chmod 755 "$OUT"  # the server runs as postgres and must reach its folder inside
PGDIR=$OUT/pg
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PG_TEST_DURABLE=1 bash tests/support/pg_test_server.sh start "$PGDIR" "$PORT" $$ || exit 1
trap 'bash tests/support/pg_test_server.sh stop "$PGDIR"; rm -rf "$OUT"' EXIT
CORES=$(nproc --all)
TICK=$(getconf CLK_TCK)
echo "== machine: $CORES cores, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg); PostgreSQL $(psql -V | awk '{print $3}'), SQLite $(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)')"

new_db() {
  psql -qAt "postgresql://postgres@127.0.0.1:$PORT/postgres" -c "CREATE DATABASE $1" >/dev/null
  echo "postgresql://postgres@127.0.0.1:$PORT/$1"
}
# CPU ticks the server has used: the postmaster with its reaped backends, and its live children.
server_ticks() {
  local pm
  pm=$(head -1 "$PGDIR/data/postmaster.pid")
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v pm="$pm" '$1 == pm {t += $14 + $15 + $16 + $17} $4 == pm {t += $14 + $15} END {print t + 0}'
}
val() { grep -o "$1=[^ ]*" "$2" | head -1 | cut -d= -f2; }

RESULTS=$OUT/results
: >"$RESULTS"
for store in sqlite postgresql; do
  for procs in 1 2 4; do
    data=$OUT/data-$store-$procs
    args=(--data "$data")
    [[ $store == postgresql ]] && args+=(--store "$(new_db "bench_${procs}")")
    "$SB" load "${args[@]}" --packets "$N" --from "$PACKET" >"$OUT/load" || { echo "load failed" >&2; exit 1; }
    t0=$(server_ticks)
    "$SB" work "${args[@]}" --procs "$procs" >"$OUT/work" || echo "   (worker failures: $(cat "$OUT/work"))"
    sleep 1  # the backends exit and are reaped
    t1=$(server_ticks)
    server_ms=0
    [[ $store == postgresql ]] && server_ms=$(python3 -c "print(1000 * ($t1 - $t0) / $TICK / $N)")
    echo "$store $procs $(val pps "$OUT/work") $(val worker_cpu_ms_per_packet "$OUT/work") $server_ms $(val intake_pps "$OUT/load") $(val packets "$OUT/work")" >>"$RESULTS"
  done
  data=$OUT/profile-$store
  args=(--data "$data")
  [[ $store == postgresql ]] && args+=(--store "$(new_db bench_profile)")
  "$SB" load "${args[@]}" --packets "$N" --from "$PACKET" >/dev/null
  echo "$store profile $("$SB" profile "${args[@]}")" >>"$OUT/profile"
done

python3 - "$RESULTS" "$OUT/profile" "$N" "$CORES" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
prof = {l.split()[0]: dict(kv.split("=") for kv in l.split()[2:]) for l in open(sys.argv[2])}
n, cores = int(sys.argv[3]), int(sys.argv[4])
r = {(s, int(p)): dict(pps=float(a), cpu=float(b), server=float(c), intake=float(d), done=int(e)) for s, p, a, b, c, d, e in rows}
print(f"== 1. checking {n} packets (text-PDF packet + a note) with K worker processes on one queue")
print("   store        K   packets/s   worker CPU ms/packet   server CPU ms/packet   intake packets/s   checked")
for (s, p), x in sorted(r.items()):
    print(f"   {s:<11} {p:>2}   {x['pps']:>9.1f}   {x['cpu']:>20.2f}   {x['server']:>20.2f}   {x['intake']:>16.1f}   {x['done']:>7}")
for p in (1, 2, 4):
    print(f"   PostgreSQL / SQLite at K={p}: {r[('postgresql', p)]['pps'] / r[('sqlite', p)]['pps']:.2f}x packets/s")
for s in ("sqlite", "postgresql"):
    print(f"   {s}: speed-up 1→2→4 processes: {r[(s, 2)]['pps'] / r[(s, 1)]['pps']:.2f}x, {r[(s, 4)]['pps'] / r[(s, 1)]['pps']:.2f}x")
print("== 2. per-packet costs, one instrumented worker (ms; wall except check)")
for s in ("sqlite", "postgresql"):
    c = {k: float(v) for k, v in prof[s].items() if k != "packets"}
    print(f"   {s:<11} claim {c['claim_ms']:.2f}  heartbeat connection {c['heartbeat_open_ms']:.2f}  load {c['load_ms']:.2f}"
          f"  check (CPU) {c['check_cpu_ms']:.2f}  save {c['save_ms']:.2f}")
pg, sq = prof["postgresql"], prof["sqlite"]
client_cpu = r[("postgresql", 1)]["cpu"]           # a worker's CPU per packet (check + client side of the store)
server_cpu = max(r[("postgresql", 1)]["server"], r[("postgresql", 4)]["server"])
wall = 1000 / r[("postgresql", 1)]["pps"]          # one worker's wall time per packet (CPU + waits)
print("== 3. on paper: H hosts with C cores each running workers, one PostgreSQL server with S cores")
print(f"   measured: worker CPU {client_cpu:.2f} ms/packet, server CPU {server_cpu:.2f} ms/packet, one worker's wall"
      f" {wall:.2f} ms/packet (so a core keeps ~{wall / client_cpu:.1f} workers busy before it saturates)")
S = cores
print(f"   server ceiling (S={S}): {S * 1000 / server_cpu:.0f} packets/s; it grows with S until commit fsyncs bind"
      " (group commit shares one fsync among concurrent commits)")
for H in (1, 2, 4, 8, 16, 32):
    hosts = H * cores * 1000 / client_cpu
    print(f"   H={H:>2} hosts × C={cores}: workers could do {hosts:>7.0f}/s → {min(hosts, S * 1000 / server_cpu):>6.0f} packets/s"
          f" ({'server-bound' if hosts > S * 1000 / server_cpu else 'worker-bound'})")
sq_serial = float(sq["claim_ms"]) + float(sq["save_ms"])
print(f"   SQLite: one host only (the file must be local); its writers take turns: claim + save hold the write lock"
      f" ~{sq_serial:.2f} ms/packet → at most ~{1000 / sq_serial:.0f} packets/s whatever the cores")
PY
