#!/usr/bin/env bash
# Runs one fuzz target (built by the fuzz preset) for a while, seeded from our fixtures, our
# committed seeds and regressions, and the shared third-party corpora (read in place, never
# copied into the repository).
#
#   bash fuzz/run_fuzz.sh TARGET [SECONDS]        TARGET: sniff zip email docx docx_xml pdf rules
#                                                  config report_json document_json understand
#   FUZZ_SECONDS=600 bash fuzz/run_fuzz.sh pdf     (SECONDS, else FUZZ_SECONDS, else 30)
#   bash fuzz/run_fuzz.sh pdf 60 -only_ascii=1     further -flags go to libFuzzer
#   build-fuzz/fuzz/pdf_fuzz CRASH-FILE            replays one input (a crash found earlier)
#
# Environment: CLEE_SHARED_DIR (default ../shared beside the checkout), CLEE_FUZZ_BUILD (default
# build-fuzz), FUZZ_JOBS (parallel libFuzzer workers, default 1).
# The growing corpus lives in $CLEE_FUZZ_BUILD/corpus/TARGET (kept between runs: a long run goes
# on where the last stopped); crashes go to $CLEE_FUZZ_BUILD/artifacts/TARGET/. Exit status is
# libFuzzer's: 0 when nothing was found, non-zero on a crash, leak, timeout or out-of-memory.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=${1:?usage: run_fuzz.sh TARGET [SECONDS] [libFuzzer args...]}
SECONDS_TO_RUN=${2:-${FUZZ_SECONDS:-30}}
shift $(( $# >= 2 ? 2 : 1 ))
BUILD=${CLEE_FUZZ_BUILD:-$ROOT/build-fuzz}
SHARED=${CLEE_SHARED_DIR:-$ROOT/../shared}
CORPORA=$SHARED/corpora
EXE=$BUILD/fuzz/${TARGET}_fuzz
[[ -x $EXE ]] || { echo "run_fuzz.sh: $EXE not built (cmake --preset fuzz && ninja -C build-fuzz fuzz)" >&2; exit 2; }
[[ -d $CORPORA ]] || echo "run_fuzz.sh: no shared corpora at $CORPORA; seeding from fixtures only" >&2

SEEDS=$BUILD/seeds/$TARGET   # rebuilt every run from the sources below
CORPUS=$BUILD/corpus/$TARGET
ARTIFACTS=$BUILD/artifacts/$TARGET
rm -rf "$SEEDS"
mkdir -p "$SEEDS" "$CORPUS" "$ARTIFACTS"

# Links every file under the given folders whose name matches one of the patterns into $SEEDS.
seed() {
  local -a names=()
  while [[ $# -gt 0 && $1 != -- ]]; do names+=(-o -iname "$1"); shift; done
  shift
  local dir
  for dir in "$@"; do
    [[ -d $dir ]] || continue
    find "$dir" -type f \( "${names[@]:1}" \) -print0 |
      while IFS= read -r -d '' f; do ln -sf "$f" "$SEEDS/$(printf '%s' "$f" | sha1sum | cut -c1-16)"; done
  done
}

MAX_LEN=65536
TIMEOUT=10
case $TARGET in
  sniff) seed '*' -- "$ROOT/fixtures/docs" "$CORPORA/tika" "$CORPORA/eml"; MAX_LEN=16384 ;;
  zip) seed '*.zip' '*.docx' -- "$ROOT/fixtures" "$CORPORA/tika/zip" "$CORPORA/tika/docx"; MAX_LEN=262144 ;;
  email) seed '*.eml' '*.mbox' -- "$ROOT/fixtures" "$CORPORA/eml" "$CORPORA/tika/eml" "$CORPORA/tika/mbox"
         MAX_LEN=262144 ;;
  docx) seed '*.docx' '*.docm' -- "$ROOT/fixtures" "$CORPORA/docx" "$CORPORA/tika/docx" "$CORPORA/tika/docm"
        MAX_LEN=524288 ;;
  docx_xml)
    find "$ROOT/fixtures" "$CORPORA/docx" "$CORPORA/tika/docx" -iname '*.docx' -type f -print0 2>/dev/null |
      while IFS= read -r -d '' f; do
        /usr/bin/python3 "$ROOT/fuzz/docx_parts.py" "$f" >"$SEEDS/$(printf '%s' "$f" | sha1sum | cut -c1-16)" 2>/dev/null ||
          rm -f "$SEEDS/$(printf '%s' "$f" | sha1sum | cut -c1-16)"
      done ;;
  pdf) seed '*.pdf' -- "$ROOT/fixtures" "$CORPORA/pdf" "$CORPORA/tika/pdf"; MAX_LEN=1048576; TIMEOUT=20
       # pdf.js's bomb_giant.pdf makes Poppler allocate 2.5 GB in-process (two 1.25 GB buffers) before
       # any callback of ours runs: over libFuzzer's 2 GB limit at every start. Isolated extraction
       # bounds it with RLIMIT_AS; it stays out of the seeds so the run gets past loading them.
       find "$SEEDS" -lname '*/bomb_giant.pdf' -delete ;;
  rtf) seed '*.rtf' -- "$ROOT/fixtures" "$CORPORA/tika/rtf"; MAX_LEN=262144 ;;
  doc) seed '*.doc' -- "$ROOT/fixtures" "$CORPORA/tika/doc"; MAX_LEN=524288 ;;
  office) seed '*.odt' '*.ott' '*.fodt' '*.pptx' '*.xlsx' -- "$ROOT/fixtures" "$CORPORA/tika/odt" "$CORPORA/tika/pptx" \
            "$CORPORA/tika/xlsx"; MAX_LEN=524288 ;;
  outlook) seed '*.msg' '*.dat' -- "$ROOT/fixtures" "$CORPORA/tika/msg" "$CORPORA/tika/dat"; MAX_LEN=524288 ;;
  rules) seed '*.toml' -- "$ROOT/rules"; MAX_LEN=32768 ;;
  config) seed '*.toml' -- "$ROOT/deploy"; MAX_LEN=16384 ;;
  report_json | document_json) ;;
  understand)
    # pdftotext separates pages with form feeds, which is how understand_fuzz reads pages.
    if command -v pdftotext >/dev/null; then
      find "$ROOT/fixtures/packets" -iname '*.pdf' -type f -print0 | while IFS= read -r -d '' f; do
        pdftotext -q -layout "$f" "$SEEDS/$(printf '%s' "$f" | sha1sum | cut -c1-16).txt" || true
      done
    fi ;;
  *) echo "run_fuzz.sh: unknown target $TARGET" >&2; exit 2 ;;
esac

DICT=()
[[ -f $ROOT/fuzz/dicts/$TARGET.dict ]] && DICT=(-dict="$ROOT/fuzz/dicts/$TARGET.dict")
echo "fuzz $TARGET for ${SECONDS_TO_RUN}s: $(find "$SEEDS" -type l -o -type f | wc -l) seeds, corpus $CORPUS" >&2
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export OMP_THREAD_LIMIT=1
cd "$BUILD"
JOBS=()
[[ ${FUZZ_JOBS:-1} -gt 1 ]] && JOBS=(-jobs="$FUZZ_JOBS" -workers="$FUZZ_JOBS")
# libFuzzer stops on a corpus folder that does not exist: pass only those that do.
DIRS=("$CORPUS" "$SEEDS")
for d in "$ROOT/fuzz/seeds/$TARGET" "$ROOT/fuzz/regressions/$TARGET"; do [[ -d $d ]] && DIRS+=("$d"); done
# FUZZ_SEED fixes libFuzzer's random seed (CI: the same mutations each run, so a red run is a
# change of ours, not luck); unset, each run explores anew.
[[ -n ${FUZZ_SEED:-} ]] && JOBS+=(-seed="$FUZZ_SEED")
exec "$EXE" -max_total_time="$SECONDS_TO_RUN" -timeout="$TIMEOUT" -rss_limit_mb=2048 -max_len="$MAX_LEN" \
  -print_final_stats=1 -artifact_prefix="$ARTIFACTS/" "${DICT[@]}" "${JOBS[@]}" "$@" "${DIRS[@]}"
