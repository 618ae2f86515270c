#!/usr/bin/env bash
# Starts the real binary under Xvfb on a temporary database, waits for its window, photographs
# it and checks the picture is not blank, closes the window with Ctrl+Q, and checks that the
# process exits 0 and that the database passes SQLite's integrity check.
set -euo pipefail
binary="$(realpath "${1:-target/release/calmdesk}")"
work="$(mktemp -d)"
trap 'kill "${app_pid:-}" "${xvfb_pid:-}" 2>/dev/null || true' EXIT

# A display nobody holds (no lock file), and up to 30 s for the server to listen: on a loaded
# machine Xvfb can take several seconds to start.
number=$(( 90 + RANDOM % 100 ))
while [ -e "/tmp/.X${number}-lock" ] || [ -e "/tmp/.X11-unix/X${number}" ]; do
    number=$(( number + 1 ))
done
display=":$number"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY="$display"
mkdir -p -m 0700 "$work/runtime"
export XDG_RUNTIME_DIR="$work/runtime" XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config"
for _ in $(seq 300); do
    [ -e "/tmp/.X11-unix/X${number}" ] && break
    if ! kill -0 "$xvfb_pid" 2>/dev/null; then
        echo "Xvfb did not start on $display:" >&2
        cat "$work/xvfb.log" >&2
        exit 1
    fi
    sleep 0.1
done
if [ ! -e "/tmp/.X11-unix/X${number}" ]; then
    echo "Xvfb did not listen on $display within 30 s" >&2
    cat "$work/xvfb.log" >&2
    exit 1
fi

db="$work/smoke.sqlite3"
"$binary" --db "$db" >"$work/app.log" 2>&1 &
app_pid=$!

window=""
for _ in $(seq 120); do
    window="$(xdotool search --name '^calmdesk' 2>/dev/null | head -n1 || true)"
    [ -n "$window" ] && break
    if ! kill -0 "$app_pid" 2>/dev/null; then
        echo "the app exited before showing a window:" >&2
        cat "$work/app.log" >&2
        exit 1
    fi
    sleep 0.5
done
if [ -z "$window" ]; then
    echo "no calmdesk window appeared within 60 s" >&2
    cat "$work/app.log" >&2
    exit 1
fi
echo "window $window is up"
sleep 2

shot="${SMOKE_SCREENSHOT:-$work/window.png}"
import -window root "$shot"
colours="$(identify -format '%k' "$shot")"
deviation="$(convert "$shot" -colorspace Gray -format '%[fx:standard_deviation*1000]' info: | cut -d. -f1)"
echo "screenshot: $colours colours, grey deviation $deviation/1000"
if [ "$colours" -lt 16 ] || [ "$deviation" -lt 10 ]; then
    echo "the window looks blank" >&2
    exit 1
fi

xdotool windowfocus --sync "$window" 2>/dev/null || xdotool windowfocus "$window"
sleep 0.3
xdotool key --clearmodifiers ctrl+q
status=0
for _ in $(seq 40); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.25; done
if kill -0 "$app_pid" 2>/dev/null; then
    echo "the app did not close on Ctrl+Q" >&2
    cat "$work/app.log" >&2
    exit 1
fi
wait "$app_pid" || status=$?
app_pid=""
if [ "$status" -ne 0 ]; then
    echo "the app exited with status $status" >&2
    cat "$work/app.log" >&2
    exit 1
fi
echo "the app exited 0"

mode="$(stat -c '%a' "$db")"
if [ "$mode" != "600" ]; then
    echo "the database file has mode $mode, expected 600" >&2
    exit 1
fi
"$binary" --db "$db" check
echo "smoke test passed"
