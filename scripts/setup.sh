#!/usr/bin/env bash
# Quick start, step 1: install what clee-intake needs (Debian 12), build it, and run the main job
# on the bundled sample packets: check them, ingest them into ./clee-data (embedded SQLite), and
# list the review queue.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
data=${CLEE_DATA:-./clee-data}
echo "== clee-intake check samples/* (the reviewer summary of each sample packet)"
./build/clee-intake check --format md samples/* || true
echo "== clee-intake ingest samples/* into $data"
./build/clee-intake --data "$data" ingest samples/*
echo "== clee-intake queue list"
./build/clee-intake --data "$data" queue list
