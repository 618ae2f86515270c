#!/usr/bin/env bash
# Walks the real window's accessibility tree the way a screen reader meets it (AT-SPI, Linux):
# starts the release binary on the demo data under Xvfb with an accessibility bus, then lists every
# control by role and name and fails on an unnamed control or frame, or a name with no letter.
# The kittest tour (tests/ui_access.rs) checks every screen on every `cargo test`; this checks the
# same tree as published by the real binary. Needs (Debian): xvfb dbus-x11 at-spi2-core
# python3-pyatspi. Usage: .ci/atspi-walk.sh [target/release/calmdesk] [--list]
set -euo pipefail
binary="${1:-target/release/calmdesk}"
list="${2:-}"
display=":$((70 + RANDOM % 20))"
work="$(mktemp -d)"
trap 'kill "${app_pid:-}" "${xvfb_pid:-}" "${DBUS_SESSION_BUS_PID:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -m 0700 -p "$work/runtime"
Xvfb "$display" -screen 0 1280x860x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY="$display" XDG_RUNTIME_DIR="$work/runtime" XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config"
sleep 2
eval "$(dbus-launch --sh-syntax)"
/usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 &
sleep 2
for property in IsEnabled ScreenReaderEnabled; do
    dbus-send --session --print-reply --dest=org.a11y.Bus /org/a11y/bus \
        org.freedesktop.DBus.Properties.Set string:org.a11y.Status "string:$property" \
        variant:boolean:true >/dev/null
done
"$binary" --demo >"$work/app.log" 2>&1 &
app_pid=$!
sleep 6
/usr/bin/python3 - "$list" <<'PY'
import sys, time
import pyatspi

INTERACTIVE = {
    pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_CHECK_BOX,
    pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_ENTRY, pyatspi.ROLE_TEXT, pyatspi.ROLE_SPIN_BUTTON,
    pyatspi.ROLE_SLIDER, pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_PAGE_TAB, pyatspi.ROLE_LINK,
    pyatspi.ROLE_MENU_ITEM,
}

def find_app():
    for _ in range(30):
        for app in pyatspi.Registry.getDesktop(0):
            if app is not None and "calmdesk" in (app.name or "").lower():
                return app
        time.sleep(1)
    return None

app = find_app()
if app is None:
    sys.exit("the calmdesk window never reached the accessibility bus")
problems, seen = [], 0

def walk(node):
    global seen
    role, name = node.getRole(), (node.name or "").strip()
    if role in (pyatspi.ROLE_FRAME, pyatspi.ROLE_DIALOG) and not name:
        problems.append(f"an unnamed {node.getRoleName()}")
    if role in INTERACTIVE:
        seen += 1
        if sys.argv[1] == "--list":
            print(f"  {node.getRoleName()}: {name!r}")
        if not name:
            problems.append(f"an unnamed {node.getRoleName()}")
        elif not any(c.isalpha() for c in name):
            problems.append(f"a {node.getRoleName()} named {name!r}")
    for index in range(node.childCount):
        walk(node.getChildAtIndex(index))

walk(app)
print(f"{seen} controls in the window; {len(problems)} problems")
for problem in problems:
    print(f"  {problem}")
sys.exit(1 if problems or seen == 0 else 0)
PY
