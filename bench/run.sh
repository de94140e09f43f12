#!/bin/sh
# make bench: docrules beside the peers of ../shared/bench, same inputs, one
# run. Peers are built from their sources in ../shared/bench into
# build/bench (../shared is read-only). Results are ratios; nothing here is
# asserted.
#   bench/run.sh DOCRULES SHARED   (PART=parse|decide|validate|all, RUNS=3, N=1000000,
#                                  N_REAL=200000 realistic accounts for the bundled rules)
#   PART=check: only decide's timing of one check (CHECK_RUNS=20 rounds)
set -eu
DR=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SHARED=$(cd "$2" && pwd)
B=$SHARED/bench
OUT=build/bench
PART=${PART:-all}
RUNS=${RUNS:-3}
N=${N:-1000000}
mkdir -p "$OUT"
# What times every command (bench/timing.py): the child's wall and peak RSS.
cc -O2 -Wall -Werror -o "$OUT/run1" bench/run1.c || exit 1
if [ ! -d "$B" ]; then
    echo "bench: $B is absent; clone with ../shared beside the project" >&2
    exit 2
fi

if [ "$PART" = parse ] || [ "$PART" = all ]; then
    cc -O2 -o "$OUT/mdparse" "$B/p2-c-harness/mdparse.c" \
        $(pkg-config --cflags --libs libcmark-gfm yaml-0.1) -lcmark-gfm-extensions
    cc -O2 -o "$OUT/md4c_html" "$B/p2-cmark-md4c/md4c_html.c" $(pkg-config --cflags --libs md4c-html)
    python3 bench/parse_bench.py --runs "$RUNS" --docrules "$DR" --peers "$OUT" \
        "$SHARED/corpus-bulk" "$SHARED/corpus-bulk-2"
    echo
fi

if [ "$PART" = decide ] || [ "$PART" = all ]; then
    cc -O2 -o "$OUT/policy" "$B/p1-c/policy.c" $(pkg-config --cflags --libs jansson)
    if [ ! -d "$OUT/jre/node_modules" ]; then
        mkdir -p "$OUT/jre"
        cp "$B/p1-json-rules-engine/"*.js* "$OUT/jre/"
        (cd "$OUT/jre" && npm install --silent --no-audit --no-fund >/dev/null 2>&1) ||
            echo "bench: npm install of json-rules-engine failed; skipping that peer" >&2
    fi
    [ -d "$OUT/jre/node_modules" ] || rm -rf "$OUT/jre"
    # The reference policy as docrules rules, over the bundled facts.
    rm -rf "$OUT/rules" && sh bench/rules.sh "$OUT/rules"
    ACC=$OUT/accounts-$N.ndjson
    [ -f "$ACC" ] || python3 "$B/gen/gen_accounts.py" "$N" "$ACC"
    REAL=$OUT/realistic-${N_REAL:-200000}.ndjson
    [ -f "$REAL" ] || python3 bench/gen_realistic.py "${N_REAL:-200000}" "$REAL"
    python3 bench/decide_bench.py --docrules "$DR" --rules "$OUT/rules" --corpus corpus \
        --peers "$OUT" --shared "$SHARED" --accounts "$ACC" --runs "$RUNS" --realistic "$REAL"
    echo
    make -s "$OUT/latency" >/dev/null
    echo "single decision in-process, bundled rules and corpus: $("$OUT/latency" rules corpus "$ACC" 20000)"
fi

# One check from the files, from a bundle, from a warm cache, and the build
# of corpus-bulk's bundle (README: "Compiled bundles and the cache"): part
# of decide, and alone as PART=check, since decide's other tables take long.
if [ "$PART" = decide ] || [ "$PART" = check ] || [ "$PART" = all ]; then
    python3 bench/check_bench.py --docrules "$DR" --bulk "$SHARED/corpus-bulk" --out "$OUT" --runs "${CHECK_RUNS:-20}"
    echo
fi

if [ "$PART" = validate ] || [ "$PART" = all ]; then
    if [ ! -d "$OUT/mdl/node_modules" ]; then
        mkdir -p "$OUT/mdl"
        cp "$B/p2-markdownlint/package"*.json "$OUT/mdl/"
        (cd "$OUT/mdl" && npm install --silent --no-audit --no-fund >/dev/null 2>&1) ||
            echo "bench: npm install of markdownlint-cli2 failed; skipping that peer" >&2
    fi
    python3 bench/validate_bench.py --docrules "$DR" --mdl "$OUT/mdl/node_modules/.bin/markdownlint-cli2" \
        --runs "${VRUNS:-1}" "$SHARED/corpus-bulk" "$SHARED/corpus-bulk-2"
fi
