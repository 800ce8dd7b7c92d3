#!/usr/bin/env bash
# Quick start, step 2: build and run every test (unit, integration, corpora, IMAP, browser).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
ctest --preset release -j "$(nproc)" --timeout 1800
