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

# The same for grouped imports, which may span lines: `use crate::{store::Store, domain::X};` or
# `use super::super::{store, ...}` count as using each first name inside the braces.
forbid_grouped() {
    local where="$1" names="$2" why="$3"
    local found
    found="$(find $where -name '*.rs' -print0 | xargs -0 perl -0777 -ne '
        s{^\s*//.*$}{}mg;
        while (/\buse\s+(?:crate::|(?:super::)+)\{(.*?)\};/sg) {
            my $group = $1;
            1 while $group =~ s/\{[^{}]*\}//g;
            for my $path (split /,/, $group) {
                my ($head) = $path =~ /^\s*(\w+)/;
                print "$ARGV: uses $head in a grouped import\n" if defined $head && $head =~ /^(?:'"$names"')$/;
            }
        }' || true)"
    if [ -n "$found" ]; then
        echo "layer breach: $why" >&2
        echo "$found" >&2
        status=1
    fi
}

core="src/domain src/store src/reading src/clock.rs src/demo.rs src/demo"
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
forbid_grouped "src/ui" 'store' "views (ui/) must not use the store: they draw and return actions"
forbid_grouped "src/domain" 'ui|app|store' "the domain must not use ui, app or store"
forbid_grouped "src/reading" 'ui|app|store|domain' "the reader must not use ui, app, store or domain"
forbid_grouped "src/store" 'ui|app' "the store must not use ui or app"
exit "$status"
