#!/usr/bin/env bash
# A private PostgreSQL server for tests and benchmarks, on loopback, in a folder of its own.
#   pg_test_server.sh start DIR PORT [OWNER_PID]   → initdb DIR/data, listen 127.0.0.1:PORT, socket in DIR;
#                                                    user "postgres", trust auth on loopback only.
#   pg_test_server.sh stop DIR                     → immediate stop
# Run as root (tests and CI are), the server runs as the unprivileged `postgres` account from
# Debian's package (initdb refuses root). With OWNER_PID, a watcher stops the server once that
# process is gone, so a test that crashed leaves no server behind. fsync is off (test data only)
# unless PG_TEST_DURABLE=1.
# Never touches the cluster Debian creates (/var/lib/postgresql); that one need not run.
set -euo pipefail
cmd=$1
dir=$2
bindir=${CLEE_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
  echo "pg_test_server: no PostgreSQL server binaries (apt-get install postgresql; or set CLEE_PG_BINDIR)" >&2
  exit 1
fi
as_owner=()
if [[ $(id -u) -eq 0 ]]; then
  as_owner=(runuser -u postgres --)
fi
case "$cmd" in
  start)
    port=$3
    owner=${4:-}
    # Tests need no durability; benchmarks (PG_TEST_DURABLE=1) keep PostgreSQL's defaults
    # (fsync, synchronous_commit), as the SQLite store keeps synchronous=FULL.
    durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    if [[ "${PG_TEST_DURABLE:-0}" == "1" ]]; then durability=""; fi
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
    "${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-k $dir -p $port -c listen_addresses=127.0.0.1 $durability -c max_connections=300" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    if [[ -n "$owner" ]]; then
      # Detached from the caller's stdout/stderr so that a pipe reading them sees EOF.
      (while kill -0 "$owner" 2>/dev/null && [[ -f "$dir/data/postmaster.pid" ]]; do sleep 1; done
       "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true) \
        </dev/null >/dev/null 2>&1 &
    fi
    ;;
  stop)
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: pg_test_server.sh start DIR PORT [OWNER_PID] | stop DIR" >&2
    exit 2
    ;;
esac
