#!/usr/bin/env bash
# Start-up and memory of the real window against an empty eframe window built the same way
# (benches/empty_window.rs: same eframe features, Glow, release profile), under Xvfb.
#
#   benches/startup.sh BIG.sqlite3 [RUNS]
#
# BIG.sqlite3 is a database made by `calmdesk gen-demo` (its first client is the big one). It is
# opened read-write, as the app always opens a file: use a copy you do not mind the app touching.
# Five cases, run in turns so that a change in the machine's load hits all of them alike, each
# once to warm up and then RUNS times (default 7):
#   empty window          the reference
#   window, one label     the same window showing one label (what showing anything costs)
#   empty database        calmdesk --db on a new file
#   big, none remembered  calmdesk --db BIG, no client remembered
#   big, big remembered   calmdesk --db BIG, the big client remembered in the prefs
# Each run prints the time from just before exec to the first painted frame (the probe in
# src/probe.rs, on the second frame) and VmHWM/VmRSS then; the script prints medians, the ratio
# to the empty window, and the load average before and after. Then three rounds of steady
# frames: each case draws STEADY more frames (default 60) with nothing changing, and the script
# prints the median time one frame took (layout, paint, present); STEADY=0 leaves them out.
#
# An A/B of two builds: `OTHER=BINARY benches/startup.sh BIG.sqlite3 [RUNS]` adds two cases,
# that build (copied aside with `cp target/release/calmdesk /tmp/calmdesk_a` before changing
# the code) with no client and with the big client remembered, interleaved with the rest.
# Needs: xvfb libxcursor1 libxi6 libxkbcommon-x11-0 libfontconfig1 (docs/PERFORMANCE.md).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 1 ] || [ ! -f "$1" ]; then
    echo "usage: $0 BIG.sqlite3 [RUNS]  (make one with: calmdesk gen-demo --exchanges 1000000 --db BIG.sqlite3)" >&2
    exit 2
fi
big="$(realpath "$1")"
runs="${2:-7}"
steady="${STEADY:-60}"

cargo build --release --quiet --bin calmdesk
app="$PWD/target/release/calmdesk"
other=""
if [ -n "${OTHER:-}" ]; then
    [ -x "$OTHER" ] || { echo "OTHER=$OTHER is not an executable" >&2; exit 2; }
    other="$(realpath "$OTHER")"
fi
empty="$(cargo build --release --quiet --bench empty_window --message-format=json \
    | grep -o '"executable":"[^"]*empty_window[^"]*"' | tail -n 1 | sed 's/"executable":"\(.*\)"/\1/')"
[ -x "$empty" ] || { echo "could not build benches/empty_window.rs" >&2; exit 1; }

work="$(mktemp -d)"
xvfb_pid=""
cleanup() {
    [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

display=":$(( 90 + RANDOM % 100 ))"
Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY="$display"
for _ in $(seq 50); do
    [ -e "/tmp/.X11-unix/X${display#:}" ] && break
    sleep 0.1
done
mkdir -m 0700 "$work/runtime"
export XDG_RUNTIME_DIR="$work/runtime"
export LANG=en_GB.UTF-8

# Each case has its own data folder, so its prefs (eframe's app.ron) are its own.
for folder in none remembered emptydb other_none other_remembered; do
    mkdir -p "$work/$folder/calmdesk"
done
mkdir -p "$work/ref"
remember_big() {
    # The prefs as eframe keeps them: a RON map whose "app" value is calmdesk's Prefs in RON.
    # The big client is the first one gen-demo writes: client_id 1.
    printf '{"app":"(last_client:{\\"%s\\":1})"}' "$big" > "$work/$1/calmdesk/app.ron"
}

# One run: prints "launch_ms vm_hwm_kb vm_rss_kb", or with STEADY_FRAMES set "frame_ms".
run_once() {
    local data="$1"; shift
    local t0 output
    t0="$(date +%s%N)"
    output="$(XDG_DATA_HOME="$data" CALMDESK_FIRST_FRAME="$t0" \
        CALMDESK_STEADY_FRAMES="${STEADY_FRAMES:-0}" timeout 300 "$@" 2>/dev/null || true)"
    if [ -n "${STEADY_FRAMES:-}" ]; then
        echo "$output" | grep '^steady_frames' | sed -E 's/.*frame_ms=([0-9.]+).*/\1/' | grep . \
            || { echo "no steady frames from: $*" >&2; return 1; }
        return 0
    fi
    local line
    line="$(echo "$output" | grep '^first_frame' || true)"
    if [ -z "$line" ]; then
        echo "no first frame from: $*" >&2
        return 1
    fi
    echo "$line" | sed -E 's/.*launch_ms=([0-9.]+).*vm_hwm_kb=([0-9]+).*vm_rss_kb=([0-9]+).*/\1 \2 \3/'
}

cases=("empty window" "empty database" "big, none remembered" "big, big remembered" "window, one label"
    "${other##*/}, none remembered" "${other##*/}, big remembered")
order=(0 4 1 2 3)
[ -n "$other" ] && order+=(5 6)
run_case() {
    case "$1" in
        0) run_once "$work/ref" "$empty" ;;
        1) run_once "$work/emptydb" "$app" --db "$work/empty.sqlite3" ;;
        2) run_once "$work/none" "$app" --db "$big" ;;
        3) remember_big remembered; run_once "$work/remembered" "$app" --db "$big" ;;
        4) CALMDESK_REFERENCE_LABEL=1 run_once "$work/ref" "$empty" ;;
        5) run_once "$work/other_none" "$other" --db "$big" ;;
        6) remember_big other_remembered; run_once "$work/other_remembered" "$other" --db "$big" ;;
    esac
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# The first and third quartiles, "Q1-Q3" (the middle half of the runs).
quartiles() { sort -n | awk '{ v[NR] = $1 } END { printf "%.1f-%.1f", v[int(NR / 4) + 1], v[int((3 * NR + 3) / 4)] }'; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
for index in "${order[@]}"; do run_case "$index" >/dev/null; done   # warm-up: page cache, prefs
for round in $(seq "$runs"); do
    for index in "${order[@]}"; do
        echo "$index $(run_case "$index")" >> "$work/results"
    done
done
for round in $(seq "$(( steady > 0 ? 3 : 0 ))"); do
    for index in "${order[@]}"; do
        echo "$index $(STEADY_FRAMES="$steady" run_case "$index")" >> "$work/steady"
    done
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"

reference="$(awk '$1 == 0 { print $2 }' "$work/results" | median)"
printf '\n%-32s %14s %13s %8s %11s %11s   %s\n' "case ($runs runs)" "first frame ms" "quartiles" "× empty" "VmHWM MB" "VmRSS MB" "all runs, ms"
for index in "${order[@]}"; do
    ms="$(awk -v i="$index" '$1 == i { print $2 }' "$work/results" | median)"
    middle="$(awk -v i="$index" '$1 == i { print $2 }' "$work/results" | quartiles)"
    hwm="$(awk -v i="$index" '$1 == i { print $3 }' "$work/results" | median)"
    rss="$(awk -v i="$index" '$1 == i { print $4 }' "$work/results" | median)"
    all="$(awk -v i="$index" '$1 == i { printf "%s ", $2 }' "$work/results")"
    printf '%-32s %14.1f %13s %8.2f %11.1f %11.1f   %s\n' "${cases[$index]}" "$ms" "$middle" \
        "$(awk -v a="$ms" -v b="$reference" 'BEGIN { print a / b }')" \
        "$(awk -v k="$hwm" 'BEGIN { print k / 1024 }')" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$all"
done

[ "$steady" -gt 0 ] || exit 0
printf '\n%-32s %14s %8s   %s\n' "steady frame (3 runs)" "ms a frame" "× empty" "all runs, ms"
steady_reference="$(awk '$1 == 0 { print $2 }' "$work/steady" | median)"
for index in "${order[@]}"; do
    ms="$(awk -v i="$index" '$1 == i { print $2 }' "$work/steady" | median)"
    all="$(awk -v i="$index" '$1 == i { printf "%s ", $2 }' "$work/steady")"
    printf '%-32s %14.2f %8.2f   %s\n' "${cases[$index]}" "$ms" \
        "$(awk -v a="$ms" -v b="$steady_reference" 'BEGIN { print a / b }')" "$all"
done
