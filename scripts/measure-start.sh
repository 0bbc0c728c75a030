#!/usr/bin/env bash
# Cold start to the sign-in screen painted, and memory, for the release build (performance.md:
# painted within 1.5 s; a blank Tauri 2 window paints in ~1 s and costs ~450 MB across its
# processes here). Not a test: it prints figures.
#   scripts/measure-start.sh [path to the release binary] [runs]
# Each run starts Throughline on a set-up data folder in a virtual display of its own (Xvfb),
# takes screenshots as fast as it can, and counts the start as painted at the first screenshot
# that matches the settled sign-in screen (allowing the text caret's blink). Memory is read two
# seconds later: resident (RSS) and proportional (PSS, shared pages split) of the app and its
# WebKit processes.
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
app="$(realpath "${1:-$target_dir/release/throughline}")"
runs="${2:-5}"
[ -x "$app" ] || { echo "No release build at $app: run make package first." >&2; exit 2; }
for tool in Xvfb xdotool import compare; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: run make setup-test." >&2; exit 2; }
done

work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
data="$work/data"
echo "Setting up a data folder (a demo team of 300)"
cargo run -q -p throughline-core --bin throughline-demo -- "$data" 300 >/dev/null

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" 2>/dev/null &
while [ ! -s "$work/display" ]; do sleep 0.05; done
export DISPLAY=":$(cat "$work/display")"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

tree_of() { # the process and all its descendants
  local pid="$1"
  echo "$pid"
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do tree_of "$child"; done
}

kb_of() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/$3" 2>/dev/null || echo 0; }

painted_all=()
for run in $(seq 1 "$runs"); do
  rm -f "$work"/shot-*.png
  start=$(now_ms)
  THROUGHLINE_DATA_DIR="$data" "$app" >/dev/null 2>&1 &
  pid=$!
  shots=()
  deadline=$((start + 6000))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    import -window root -depth 8 "$work/shot-${#shots[@]}.png" 2>/dev/null || continue
    shots+=("$(( $(now_ms) - start ))")
  done
  window=$(xdotool search --onlyvisible --name '^Throughline$' 2>/dev/null | head -1 || true)
  [ -n "$window" ] || { echo "run $run: no Throughline window appeared" >&2; exit 1; }
  last=$(( ${#shots[@]} - 1 ))
  # The window is up at the first screenshot that is not the empty (black) screen.
  shown=""
  for i in $(seq 0 "$last"); do
    if [ "$(convert "$work/shot-$i.png" -format '%[fx:maxima.r>0]' info:)" = 1 ]; then shown="${shots[$i]}"; break; fi
  done
  painted=""
  for i in $(seq 0 "$last"); do
    differing=$(compare -metric AE -fuzz 10% "$work/shot-$i.png" "$work/shot-$last.png" null: 2>&1 || true)
    if [ "${differing%% *}" -lt 400 ] 2>/dev/null; then painted="${shots[$i]}"; break; fi
  done
  sleep 2
  rss=0; pss=0; count=0
  for p in $(tree_of "$pid"); do
    rss=$((rss + $(kb_of "$p" VmRSS status))); pss=$((pss + $(kb_of "$p" Pss smaps_rollup))); count=$((count + 1))
  done
  app_rss=$(kb_of "$pid" VmRSS status)
  cp "$work/shot-$last.png" "${SHOT:-/tmp}/throughline-start-$run.png"
  printf 'run %d: window shown at %s ms, sign-in painted at %s ms (%d screenshots); memory: app %d MB RSS; %d processes %d MB RSS, %d MB PSS\n' \
    "$run" "${shown:-?}" "${painted:-?}" "${#shots[@]}" $((app_rss / 1024)) "$count" $((rss / 1024)) $((pss / 1024))
  painted_all+=("${painted:-99999}")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  sleep 0.5
done
median=$(printf '%s\n' "${painted_all[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
echo "Cold start to the sign-in screen painted: median ${median} ms over $runs runs (budget 1500 ms)."
echo "Load average when it finished (this machine's other work slows every figure): $(cut -d' ' -f1-3 /proc/loadavg)"
echo "The last screen of each run: ${SHOT:-/tmp}/throughline-start-<run>.png"
