#!/bin/sh
# Where a decision's tail latency comes from: docrules serve at a few fixed
# rates (bench/serve_load.c, open loop), and for each the client's p50/p99
# beside the server's own histogram (/metrics: from a request's headers to
# its answer sent) over the same requests, with the load average. A client
# p99 far above the server's is time the request spent outside the server's
# hands: waiting for a CPU (the machine's other work, the client itself),
# in the kernel, or before libmicrohttpd read it.
#   bench/serve_rates.sh DOCRULES LOAD "RATES" [SECS] [-- SERVE OPTIONS]
#   PRIO="chrt -f 20" CPRIO="chrt -f 10": the server, the client at
#   real-time priorities (root), so that no other process preempts them;
#   the server above the client (both at 10, the client sent nothing in
#   one run here: two SCHED_FIFO tasks of one priority do not take turns).
# The rules are the reference policy's (bench/rules.sh), the accounts those
# of make bench-serve (../shared's generator). Nothing is asserted.
set -eu
# The server's own histogram is read from /metrics with curl (the bench
# group of tools/install-deps.sh installs it): said, not empty columns.
command -v curl >/dev/null 2>&1 || { echo "serve_rates: needs curl (sh tools/install-deps.sh bench)" >&2; exit 2; }
DR=$1 LOAD=$2 RATES=$3
shift 3
SECS=4
if [ $# -gt 0 ] && [ "$1" != "--" ]; then SECS=$1; shift; fi
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
OUT=build/bench
mkdir -p "$OUT"
[ -d "$OUT/rates-rules" ] || sh bench/rules.sh "$OUT/rates-rules" >/dev/null
ACC=$OUT/accounts-20000.ndjson
[ -f "$ACC" ] || python3 ../shared/bench/gen/gen_accounts.py 20000 "$ACC"
ERR=$OUT/rates-serve.err
# shellcheck disable=SC2086
${PRIO:-} "$DR" serve --listen 127.0.0.1:0 -j 2 --rules "$OUT/rates-rules" --corpus corpus "$@" 2> "$ERR" &
SP=$!
trap 'kill -TERM $SP 2>/dev/null || :; wait $SP 2>/dev/null || :' EXIT
PORT=
for _ in $(seq 100); do
    PORT=$(sed -n 's|.*listening on http://[^ ]*:\([0-9]*\) .*|\1|p' "$ERR")
    [ -n "$PORT" ] && break
    sleep 0.1
done
[ -n "$PORT" ] || { cat "$ERR" >&2; exit 2; }
# The cumulative buckets of POST /v1/decide: "LE COUNT" lines.
hist() {
    curl -s "http://127.0.0.1:$PORT/metrics" |
        sed -n 's|^docrules_request_duration_seconds_bucket{route="/v1/decide",le="\([^"]*\)"} \([0-9]*\)$|\1 \2|p'
}
"$LOAD" 127.0.0.1 "$PORT" /v1/decide 2000 1 32 "$ACC" > /dev/null # warm
for R in $RATES; do
    hist > "$OUT/rates-h0"
    printf 'rate %s/s, load average %s: client ' "$R" "$(cut -d' ' -f1 /proc/loadavg)"
    # shellcheck disable=SC2086
    ${CPRIO:-} "$LOAD" 127.0.0.1 "$PORT" /v1/decide "$R" "$SECS" 32 "$ACC" | tr '\n' ' '
    hist > "$OUT/rates-h1"
    # The smallest bucket holding half, 99% and 99.9% of this run's requests.
    paste "$OUT/rates-h0" "$OUT/rates-h1" | awk '
        { le[NR] = $1; d[NR] = $4 - $2 }
        END {
            n = d[NR]
            for (i = 1; i <= NR; i++) {
                if (p50 == "" && d[i] >= 0.5 * n) p50 = le[i]
                if (p99 == "" && d[i] >= 0.99 * n) p99 = le[i]
                if (p999 == "" && d[i] >= 0.999 * n) p999 = le[i]
            }
            printf "| server: p50 <= %s s, p99 <= %s s, p99.9 <= %s s\n", p50, p99, p999
        }'
done
