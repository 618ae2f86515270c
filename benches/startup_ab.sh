#!/usr/bin/env bash
# Start-up A/B of two builds of calmdesk against the empty eframe window, under Xvfb:
#
#   benches/startup_ab.sh BIG.sqlite3 A_BINARY B_BINARY [ROUNDS]
#
# Cases, interleaved round by round (default 31 rounds, one warm-up): ref (the empty window,
# benches/empty_window.rs), a / b (each build with the big client remembered), an / bn (each
# build with no client remembered). Prints per case the median time to the first painted frame
# (the probe in src/probe.rs), quartiles, the ratio to the empty window and VmHWM. BIG.sqlite3
# as for benches/startup.sh (a gen-demo file; opened read-write). Copy a build aside with
# `cp target/release/calmdesk /tmp/calmdesk_a` before changing the code.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 3 ] || [ ! -f "$1" ] || [ ! -x "$2" ] || [ ! -x "$3" ]; then
    echo "usage: $0 BIG.sqlite3 A_BINARY B_BINARY [ROUNDS]" >&2
    exit 2
fi
big="$(realpath "$1")"; A="$(realpath "$2")"; B="$(realpath "$3")"; rounds="${4:-31}"
empty="$(cargo build --release --quiet --bench empty_window --message-format=json \
    | grep -o '"executable":"[^"]*empty_window[^"]*"' | tail -n 1 | sed 's/"executable":"\(.*\)"/\1/')"
[ -x "$empty" ] || { echo "could not build benches/empty_window.rs" >&2; exit 1; }
work="$(mktemp -d)"
display=":$(( 90 + RANDOM % 100 ))"
Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 & xvfb_pid=$!
trap 'kill $xvfb_pid; rm -rf "$work"' EXIT
export DISPLAY="$display"; sleep 1
mkdir -m 0700 "$work/runtime"; export XDG_RUNTIME_DIR="$work/runtime"; export LANG=en_GB.UTF-8
for c in ref a b an bn; do mkdir -p "$work/$c/calmdesk"; done
run_once() { local data="$1"; shift; local t0; t0="$(date +%s%N)"
  XDG_DATA_HOME="$data" CALMDESK_FIRST_FRAME="$t0" CALMDESK_STEADY_FRAMES=0 timeout 60 "$@" 2>/dev/null | grep '^first_frame' | sed -E 's/.*launch_ms=([0-9.]+).*vm_hwm_kb=([0-9]+).*/\1 \2/'; }
one() { case "$1" in
  ref) run_once "$work/ref" "$empty";;
  a) printf '{"app":"(last_client:{\\"%s\\":1})"}' "$big" > "$work/a/calmdesk/app.ron"; run_once "$work/a" "$A" --db "$big";;
  b) printf '{"app":"(last_client:{\\"%s\\":1})"}' "$big" > "$work/b/calmdesk/app.ron"; run_once "$work/b" "$B" --db "$big";;
  an) rm -f "$work/an/calmdesk/app.ron"; run_once "$work/an" "$A" --db "$big";;
  bn) rm -f "$work/bn/calmdesk/app.ron"; run_once "$work/bn" "$B" --db "$big";;
esac; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for c in ref a b an bn; do one $c >/dev/null; done
for r in $(seq "$rounds"); do for c in ref a b an bn; do echo "$c $(one $c)" >> "$work/res"; done; done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
refm=$(awk '$1=="ref"{print $2}' "$work/res" | sort -n | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}')
for c in ref a b an bn; do
  hwm=$(awk -v c=$c '$1==c{print $3}' "$work/res" | sort -n | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}')
  awk -v c=$c '$1==c{print $2}' "$work/res" | sort -n | awk -v c=$c -v r=$refm -v hwm=$hwm '{v[NR]=$1} END{q1=v[int(NR/4)+1]; q3=v[int(3*NR/4)]; med=v[int((NR+1)/2)]; printf "%-4s median %6.1f ms (q %5.1f-%5.1f) x%.3f  VmHWM median %.1f MB  n=%d\n", c, med, q1, q3, med/r, hwm/1024, NR}'
done
