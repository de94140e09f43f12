#!/bin/sh
# make bench-serve: docrules serve beside json-rules-engine behind Node's
# http module (bench/serve-peer), the reference policy, on loopback, in one
# run (bench/serve_bench.py says what is measured). Nothing is asserted.
#   bench/serve.sh DOCRULES SHARED LOAD   (ROUNDS=3 SECS=5 CONNS=32 J=2 N_ACC=20000)
# LOAD is bench/serve_load.c built (make does it).
set -eu
DR=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SHARED=$(cd "$2" && pwd)
B=$SHARED/bench
OUT=build/bench
N_ACC=${N_ACC:-20000}
mkdir -p "$OUT"
if [ ! -d "$B" ]; then
    echo "bench-serve: $B is absent; clone with ../shared beside the project" >&2
    exit 2
fi
# json-rules-engine: the shared peer's own node_modules when someone ran
# npm install there; else as make bench installs it (from the npm registry,
# into build/bench/jre, at the version ../shared's package-lock.json pins),
# a tree make bench already made being used as it is.
MODS=$OUT/jre/node_modules
[ -d "$B/p1-json-rules-engine/node_modules/json-rules-engine" ] && MODS=$B/p1-json-rules-engine/node_modules
if [ ! -d "$MODS/json-rules-engine" ]; then
    mkdir -p "$OUT/jre"
    cp "$B/p1-json-rules-engine/"*.js* "$OUT/jre/"
    (cd "$OUT/jre" && npm install --silent --no-audit --no-fund >/dev/null 2>&1) ||
        echo "bench-serve: npm install of json-rules-engine failed; measuring docrules alone" >&2
fi
PEER=""
[ -d "$MODS/json-rules-engine" ] && PEER="--node-path $(cd "$MODS" && pwd)"
echo "bench-serve: json-rules-engine from ${MODS}"
# The reference policy as docrules rules (a folder of its own, so that a
# make bench at the same time does not remake it under the server).
rm -rf "$OUT/serve-rules" && sh bench/rules.sh "$OUT/serve-rules"
ACC=$OUT/accounts-$N_ACC.ndjson
[ -f "$ACC" ] || python3 "$B/gen/gen_accounts.py" "$N_ACC" "$ACC"
# shellcheck disable=SC2086
exec python3 bench/serve_bench.py --docrules "$DR" --rules "$OUT/serve-rules" --corpus corpus \
    --shared "$SHARED" $PEER --accounts "$ACC" --load "$3" \
    --rounds "${ROUNDS:-3}" --secs "${SECS:-5}" --conns "${CONNS:-32}" --jobs "${J:-2}"
