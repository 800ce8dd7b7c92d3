#!/usr/bin/env bash
# CI: builds the fuzz targets (preset "fuzz": clang-14, libFuzzer + AddressSanitizer + UBSan) and
# runs each for FUZZ_SECONDS (default 30), seeded from fixtures/, fuzz/seeds/, fuzz/regressions/
# and the shared corpora (CLEE_SHARED_DIR, default ../shared). Exits non-zero when any target
# crashes, leaks, times out or runs out of memory; the input that did it is kept under
# build-fuzz/artifacts/TARGET/ and the target's log under build-fuzz/logs/TARGET.log.
#
#   bash scripts/fuzz.sh                      every target, 30 s each
#   FUZZ_SECONDS=3600 bash scripts/fuzz.sh    long runs (the corpus in build-fuzz/corpus/ grows)
#   FUZZ_TARGETS="pdf docx" bash scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export FUZZ_SECONDS=${FUZZ_SECONDS:-30}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "${CLEE_JOBS:-$(nproc)}"
if [[ -n ${FUZZ_TARGETS:-} ]]; then
  read -r -a targets <<<"$FUZZ_TARGETS"
else
  targets=()
  for f in fuzz/*_fuzz.cpp; do t=$(basename "$f" .cpp); targets+=("${t%_fuzz}"); done
fi
mkdir -p build-fuzz/logs
failed=()
for t in "${targets[@]}"; do
  log=build-fuzz/logs/$t.log
  if bash fuzz/run_fuzz.sh "$t" "$FUZZ_SECONDS" >"$log" 2>&1; then
    echo "fuzz $t: ok, $(grep -m1 -o 'number_of_executed_units: [0-9]*' "$log" | cut -d' ' -f2) inputs in ${FUZZ_SECONDS}s"
  else
    failed+=("$t")
    echo "fuzz $t: FAILED (log: $log; inputs: build-fuzz/artifacts/$t/)"
    grep -E -A40 'ERROR: |runtime error|fuzz invariant broken' "$log" | head -60 || tail -n 40 "$log"
  fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz targets that failed: ${failed[*]}" >&2
  exit 1
fi
