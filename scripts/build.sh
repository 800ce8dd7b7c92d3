#!/usr/bin/env bash
# Configures and builds clee-intake into ./build (preset "release", warnings as errors).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
