#!/bin/sh
# make bench: docrules beside the peers of ../shared/bench, same inputs, one
# run. Peers are built from their sources in ../shared/bench into build/bench
# (../shared is read-only). Results are ratios; no figure here is asserted.
#   bench/run.sh DOCRULES SHARED     (RUNS=5 by default)
set -eu
DR=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SHARED=$2
B=$SHARED/bench
OUT=build/bench
mkdir -p "$OUT"
if [ ! -d "$B" ]; then
    echo "bench: $B is absent; clone with ../shared beside the project" >&2
    exit 2
fi
cc -O2 -o "$OUT/mdparse" "$B/p2-c-harness/mdparse.c" \
    $(pkg-config --cflags --libs libcmark-gfm yaml-0.1) -lcmark-gfm-extensions
cc -O2 -o "$OUT/md4c_html" "$B/p2-cmark-md4c/md4c_html.c" $(pkg-config --cflags --libs md4c-html)
exec python3 bench/parse_bench.py --runs "${RUNS:-5}" --docrules "$DR" --peers "$OUT" \
    "$SHARED/corpus-bulk" "$SHARED/corpus-bulk-2"
