#!/usr/bin/env bash
# The formats providers send (issue 9): cost per document by format, clee-intake beside the tools
# a user would pick instead, in one run, on the same files.
#
#   bench/run_formats_bench.sh [path/to/clee-intake]
#
# Files: fixtures/docs/formats and ../shared/corpora/tika ($CLEE_SHARED_DIR), by content kind.
# Per file, each tool runs once as its own process; /usr/bin/time gives wall, CPU and peak RSS
# (%M). Tools: `clee-intake extract --no-ocr --format text` (HEIC with OCR, its real path);
# `soffice --convert-to txt` cold (a fresh process per file, its profile made beforehand, the
# best case for one-shot LibreOffice) and warm (handed to one running instance, as our converter
# does); antiword and catdoc for .doc; pandoc for .odt and .rtf. Then clee-intake reading all files
# of a format in one process (what `check` does with a packet; the converter stays warm there).
# Prints figures and ratios; asserts nothing.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-${CLEE_BIN:-$here/build/clee-intake}}"
shared="${CLEE_SHARED_DIR:-$here/../shared}"
[ -x "$bin" ] || { echo "no clee-intake at $bin (build it, or pass its path)"; exit 1; }
lo=/usr/lib/libreoffice/program/soffice.bin
tmp="$(mktemp -d)"
cleanup() {
  [ -f "$tmp/server.pid" ] && kill "$(cat "$tmp/server.pid")" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

declare -A files
add() { files[$1]+="$2"$'\n'; }
for f in "$here"/fixtures/docs/formats/* "$shared"/corpora/tika/{doc,rtf,odt,pptx,xlsx,msg,dat,heic}/*; do
  [ -f "$f" ] || continue
  case "$(file -b "$f")" in
    *"Outlook Message"*) add msg "$f" ;;
    *"Transport Neutral"*) add tnef "$f" ;;
    *HEIF*) add heic "$f" ;;
    *"Rich Text"*) add rtf "$f" ;;
    *"OpenDocument Text"*) add odt "$f" ;;
    *"PowerPoint 2007"*) add pptx "$f" ;;
    *"Excel 2007"*) add xlsx "$f" ;;
    *"Composite Document File"*)
      case "$f" in
        *.doc) add doc "$f" ;; *.ppt) add ppt "$f" ;; *.xls) add xls "$f" ;;
      esac ;;
  esac
done

measure() {  # measure cmd... → "wall cpu rss_kb" (wall from the clock in ns: time's %e has 10 ms steps)
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f '%U %S %M' -o "$tmp/t" "$@" >/dev/null 2>&1 || true
  t1=$(date +%s%N)
  # the last line: time writes "Command exited with non-zero status N" first when it did
  tail -1 "$tmp/t" | awk -v w="$(( (t1 - t0) / 1000 ))" '{printf "%.4f %.4f %d\n", w / 1e6, $1 + $2, $3}'
}

have_lo=0
if [ -x "$lo" ]; then
  have_lo=1
  # One profile, made before any timing; a warm instance on it for the "warm" column.
  "$lo" -env:UserInstallation="file://$tmp/prof" --headless --terminate_after_init >/dev/null 2>&1 || true
  "$lo" -env:UserInstallation="file://$tmp/prof" --headless --terminate_after_init >/dev/null 2>&1 || true
  cp -r "$tmp/prof" "$tmp/warmprof"
  echo keep >"$tmp/keep.txt"
  (setsid "$lo" -env:UserInstallation="file://$tmp/warmprof" --headless --invisible --norestore --nolockcheck \
     "$tmp/keep.txt" >/dev/null 2>&1 & echo $! >"$tmp/server.pid")
  for _ in $(seq 1 100); do [ -e "$tmp/.~lock.keep.txt#" ] && break; sleep 0.1; done
fi
lo_measure() {  # lo_measure PROFILE TARGET FILE → soffice --convert-to TARGET, measured
  rm -rf "$tmp/o"
  measure "$lo" -env:UserInstallation="file://$1" --headless --norestore --nolockcheck --convert-to "$2" \
    --outdir "$tmp/o" "$3"
}

declare -A W C R N B
row() {  # row KEY wall cpu rss
  W[$1]=$(echo "${W[$1]:-0} + $2" | bc -l); C[$1]=$(echo "${C[$1]:-0} + $3" | bc -l)
  [ "$4" -gt "${R[$1]:-0}" ] && R[$1]=$4
  N[$1]=$(( ${N[$1]:-0} + 1 ))
}

for fmt in doc rtf odt pptx xlsx ppt xls msg tnef heic; do
  [ -n "${files[$fmt]:-}" ] || continue
  while IFS= read -r f; do
    [ -n "$f" ] || continue
    if [ "$fmt" = heic ]; then row "$fmt clee-intake extract (OCR)" $(measure "$bin" extract --format text "$f")
    else row "$fmt clee-intake extract" $(measure "$bin" extract --no-ocr --format text "$f"); fi
    if [ $have_lo = 1 ]; then
      case $fmt in
        doc|rtf|odt)
          row "$fmt soffice --convert-to txt (cold)" $(lo_measure "$tmp/prof" "txt:Text (encoded):UTF8" "$f")
          row "$fmt soffice --convert-to txt (warm)" $(lo_measure "$tmp/warmprof" "txt:Text (encoded):UTF8" "$f") ;;
        pptx|xlsx|ppt|xls)  # no text export outside Writer: the OOXML conversion our converter makes
          to=pptx; case $fmt in xlsx|xls) to=xlsx ;; esac
          [ $fmt = pptx ] && to=odp; [ $fmt = xlsx ] && to=ods
          row "$fmt soffice --convert-to $to (cold)" $(lo_measure "$tmp/prof" "$to" "$f")
          row "$fmt soffice --convert-to $to (warm)" $(lo_measure "$tmp/warmprof" "$to" "$f") ;;
      esac
    fi
    if [ $fmt = doc ]; then
      command -v antiword >/dev/null && row "$fmt antiword" $(measure antiword "$f")
      command -v catdoc >/dev/null && row "$fmt catdoc" $(measure catdoc "$f")
    fi
    if [ $fmt = odt ] || [ $fmt = rtf ]; then
      command -v pandoc >/dev/null && row "$fmt pandoc -t plain" $(measure pandoc -f "$fmt" -t plain "$f")
    fi
  done <<<"${files[$fmt]}"
  mapfile -t batch < <(printf '%s' "${files[$fmt]}" | sed '/^$/d')
  ocr=--no-ocr; [ $fmt = heic ] && ocr=
  read -r bw bcpu brss < <(measure "$bin" extract $ocr --format text "${batch[@]}")
  B[$fmt]="$bw $bcpu $brss ${#batch[@]}"
done

echo "Formats bench ($(nproc) cores, $(date -u +%FT%TZ)); clee-intake: $bin"
[ $have_lo = 1 ] && echo "LibreOffice: $("$lo" --version 2>/dev/null | head -1)"
command -v pandoc >/dev/null && echo "pandoc: $(pandoc --version | head -1)"
echo
printf '%-44s %5s %10s %10s %9s\n' "format / tool (one process per file)" files "ms/file" "cpu ms/f" "peak MB"
echo "(cpu from /usr/bin/time, in 10 ms steps: below that it reads 0)"
printf '%s\n' "${!N[@]}" | sort | while IFS= read -r key; do
  n=${N[$key]}
  printf '%-44s %5d %10.1f %10.1f %9.1f\n' "$key" "$n" "$(echo "1000*${W[$key]}/$n" | bc -l)" \
    "$(echo "1000*${C[$key]}/$n" | bc -l)" "$(echo "${R[$key]}/1024" | bc -l)"
done
echo
echo "ratios (wall per file, clee-intake / peer):"
for fmt in doc rtf odt pptx xlsx ppt xls; do
  ck="$fmt clee-intake extract"; [ -n "${N[$ck]:-}" ] || continue
  cw=$(echo "${W[$ck]}/${N[$ck]}" | bc -l)
  for key in "${!N[@]}"; do
    case "$key" in "$fmt "*) ;; *) continue ;; esac
    [ "$key" = "$ck" ] && continue
    pw=$(echo "${W[$key]}/${N[$key]}" | bc -l)
    printf '  %-52s %8.3f\n' "$ck / ${key#"$fmt "}" "$(echo "$cw / $pw" | bc -l)"
  done
done
echo
echo "batch: clee-intake extract of every file of a format in one process (the converter warm after its first file):"
for fmt in doc rtf odt pptx xlsx ppt xls msg tnef heic; do
  [ -n "${B[$fmt]:-}" ] || continue
  read -r bw bcpu brss bn <<<"${B[$fmt]}"
  printf '  %-5s %3d files: wall %7.2f s (%7.1f ms/file), cpu %6.2f s, peak RSS %7.1f MB\n' "$fmt" "$bn" "$bw" \
    "$(echo "1000*$bw/$bn" | bc -l)" "$bcpu" "$(echo "$brss/1024" | bc -l)"
done
