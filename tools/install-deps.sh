#!/bin/sh
# Installs the Debian packages docrules needs, or says how.
#   tools/install-deps.sh [build|test|bench|dev|fuzz]...   (default: build)
# As root it runs apt-get itself; otherwise it prints the exact command and
# fails, so `make` stops before a confusing compiler error.
set -eu

build="gcc make pkg-config man-db libxml2-dev libpcre2-dev liblua5.4-dev libcmocka-dev libyaml-dev
libcmark-gfm-dev libcmark-gfm-extensions-dev libjansson-dev libyajl-dev
libmicrohttpd-dev libsqlite3-dev"
# The peers of ../shared/bench and what measures them.
bench="lua5.4 lua-cjson cmark-gfm libmd4c-dev libmd4c-html0-dev python3 nodejs npm wrk"
# bench/serve_rates.sh reads the server's /metrics with it.
bench="$bench curl"
# make bench-serve's ceiling row: nginx answering a fixed body, started on a
# configuration of the bench's own (the package's service is not used).
bench="$bench nginx-light"
# The suites: the SARIF report is checked against the official schema.
test="python3-jsonschema"
# The service's scaling-out examples (examples/haproxy, examples/dask), run
# by the suites; /usr/bin/python3 is the Python python3-distributed is for.
test="$test haproxy python3-distributed"
# examples/systemd's unit is checked with systemd-analyze (verify, security).
test="$test systemd"
# Memory checking.
dev="valgrind"
# libFuzzer comes with clang's runtime.
fuzz="clang libclang-rt-14-dev"

groups=${*:-build}
want=""
for g in $groups; do
    case $g in
        build) want="$want $build" ;;
        test) want="$want $build $test" ;;
        bench) want="$want $build $bench" ;;
        dev) want="$want $build $test $dev" ;;
        fuzz) want="$want $build $fuzz" ;;
        *) echo "install-deps: unknown group '$g' (build, test, bench, dev, fuzz)" >&2; exit 2 ;;
    esac
done

missing=""
for p in $want; do
    # nodejs/npm may come from elsewhere than Debian; a working command is enough.
    case $p in
        nodejs) command -v node >/dev/null 2>&1 && continue ;;
        npm) command -v npm >/dev/null 2>&1 && continue ;;
        python3) command -v python3 >/dev/null 2>&1 && continue ;;
    esac
    case " $missing " in *" $p "*) continue ;; esac
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
    echo "install-deps: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >&2
else
    echo "install-deps: missing Debian packages:$missing" >&2
    echo "run: sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi
