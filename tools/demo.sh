#!/bin/sh
# The main job on the bundled corpus and rules: what `make run` shows.
set -eu
DR=${1:-build/docrules}
echo "== docrules check examples/office365-30-licenses.json"
"$DR" check examples/office365-30-licenses.json --format text
echo
echo "== the same account as JSON (docrules check --format json), abridged"
"$DR" check examples/office365-30-licenses.json --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
r = d["reasons"][0]
print(json.dumps({k: d[k] for k in ("id", "decision", "channels", "remedies", "refund")}, ensure_ascii=False))
print(json.dumps({"rule": r["rule"], "message": r["message"], "source": r["source"]}, ensure_ascii=False))'
echo
echo "== docrules check examples/azure-2017-account-admin.json --as-of 2017-03-10"
"$DR" check examples/azure-2017-account-admin.json --as-of 2017-03-10 --format text
echo
echo "== docrules batch < examples (one decision line per account)"
for f in examples/*.json; do tr -d '\n' < "$f"; echo; done | "$DR" batch |
    python3 -c 'import json,sys
for l in sys.stdin:
    d = json.loads(l); print("%-12s %-15s %s" % (d["id"], d["decision"], ",".join(d.get("channels", []))))'
echo
echo "== docrules test"
"$DR" test
echo
echo "== docrules validate (the bundled corpus and rules), findings by code"
"$DR" validate --format json 2>/tmp/docrules-validate.$$ | python3 -c '
import collections, json, sys
c = collections.Counter((f["severity"], f["code"]) for f in json.load(sys.stdin))
for (sev, code), n in sorted(c.items()): print("  %4d %-8s %s" % (n, sev, code))'
cat /tmp/docrules-validate.$$; rm -f /tmp/docrules-validate.$$
echo "== two of them"
"$DR" validate 2>/dev/null | grep -E "nl-nl.md:40:36|zh-tw.md:28:1" || true
