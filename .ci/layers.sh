#!/usr/bin/env bash
# The layers' never-arrows (docs/ARCHITECTURE.md): each line names a folder and what it must never
# use. A `use` or a path in code counts; a word in a comment does not. Exit 1 on the first breach.
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
forbid() {
    local where="$1" pattern="$2" why="$3"
    # Drop comment lines (//, //!, ///) before looking.
    local found
    found="$(grep -rnE "$pattern" $where --include='*.rs' | grep -vE '^[^:]+:[0-9]+:\s*//' || true)"
    if [ -n "$found" ]; then
        echo "layer breach: $why" >&2
        echo "$found" >&2
        status=1
    fi
}

core="src/domain src/store src/reading src/clock.rs src/demo.rs"
forbid "$core" '^\s*use (egui|eframe|egui_extras)\b|\b(egui|eframe|egui_extras)::' \
    "the core (domain, store, reading, clock, demo) must not use egui"
forbid "src/ui" '\bcrate::store\b|\bsuper::(super::)*store\b' \
    "views (ui/) must not use the store: they draw and return actions"
forbid "src/domain" '\bcrate::(ui|app|store)\b' \
    "the domain must not use ui, app or store"
forbid "src/reading" '\bcrate::(ui|app|store|domain)\b' \
    "the reader must not use ui, app, store or domain"
forbid "src/store" '\bcrate::(ui|app)\b' \
    "the store must not use ui or app"
exit "$status"
