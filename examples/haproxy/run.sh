#!/bin/sh
# Two `docrules serve` behind haproxy (haproxy.cfg beside this file), all on
# loopback, until SIGTERM or Ctrl-C.
#   examples/haproxy/run.sh DIR [DOCRULES] [-- MORE SERVE OPTIONS]
# DIR holds each server's decision log (s1.db, s2.db), stderr (s1.err, ...)
# and pid (s1.pid, s2.pid, haproxy.pid). The servers take ephemeral ports;
# haproxy listens on $DOCRULES_LB (default 127.0.0.1:8180). Once haproxy
# answers, one line on stdout:
#   haproxy: listening on http://127.0.0.1:8180 (s1 127.0.0.1:PORT, s2 127.0.0.1:PORT)
# SIGTERM or SIGINT stops haproxy, then both servers with SIGTERM (each
# finishes what it is deciding and flushes its log), and waits for them.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=${1:?usage: run.sh DIR [DOCRULES] [-- SERVE OPTIONS]}
shift
DR=docrules
if [ $# -gt 0 ] && [ "$1" != "--" ]; then DR=$1; shift; fi
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
mkdir -p "$DIR"
rm -f "$DIR/s1.pid" "$DIR/s2.pid" "$DIR/haproxy.pid"
export DOCRULES_LB="${DOCRULES_LB:-127.0.0.1:8180}"

stop() {
    trap - INT TERM EXIT
    # haproxy first, so that no request reaches a server that is stopping.
    for f in haproxy s1 s2; do
        [ -f "$DIR/$f.pid" ] || continue
        p=$(cat "$DIR/$f.pid")
        kill -TERM "$p" 2>/dev/null || :
        wait "$p" 2>/dev/null || :
    done
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

# Its address, once the server says it listens.
address() {
    i=0
    while ! grep -q 'listening on http://' "$DIR/$1.err" 2>/dev/null; do
        i=$((i + 1))
        if [ $i -gt 600 ] || ! kill -0 "$(cat "$DIR/$1.pid")" 2>/dev/null; then
            echo "run.sh: $1 did not start:" >&2; cat "$DIR/$1.err" >&2; exit 1
        fi
        sleep 0.1
    done
    sed -n 's|.*listening on http://\([^ ]*\).*|\1|p' "$DIR/$1.err" | head -1
}
# One server, named s1 or s2, with serve's own options after the name.
serve() {
    n=$1; shift
    "$DR" serve --listen 127.0.0.1:0 --log "$DIR/$n.db" "$@" 2> "$DIR/$n.err" &
    echo $! > "$DIR/$n.pid"
}
serve s1 "$@"
serve s2 "$@"
DOCRULES_S1=$(address s1)
DOCRULES_S2=$(address s2)
export DOCRULES_S1 DOCRULES_S2

haproxy -db -f "$HERE/haproxy.cfg" 2> "$DIR/haproxy.err" &
echo $! > "$DIR/haproxy.pid"
# Ready when a health check through haproxy answers 200.
i=0
until python3 - "$DOCRULES_LB" <<'PY' 2>/dev/null
import http.client, sys
host, port = sys.argv[1].rsplit(":", 1)
c = http.client.HTTPConnection(host, int(port), timeout=1)
c.request("GET", "/healthz")
sys.exit(c.getresponse().status != 200)
PY
do
    i=$((i + 1))
    if [ $i -gt 100 ] || ! kill -0 "$(cat "$DIR/haproxy.pid")" 2>/dev/null; then
        echo "run.sh: haproxy did not start:" >&2; cat "$DIR/haproxy.err" >&2; exit 1
    fi
    sleep 0.1
done
echo "haproxy: listening on http://$DOCRULES_LB (s1 $DOCRULES_S1, s2 $DOCRULES_S2)"
# Until a signal; a server or haproxy that dies is not restarted here (that
# is systemd's or Kubernetes' job): haproxy's checks route around it.
while :; do sleep 1 & wait $! || :; done
