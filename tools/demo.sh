#!/bin/sh
# The main job on the bundled corpus and rules: what `make run` shows.
set -eu
DR=${1:-build/docrules}
echo "== docrules check examples/office365-30-licenses.json"
"$DR" check examples/office365-30-licenses.json --format text
echo
echo "== the same as JSON, some fields (docrules check --format json --fields ...)"
"$DR" check examples/office365-30-licenses.json --format json --fields id,decision,channels,remedies,refund
echo
echo "== docrules check examples/azure-2017-account-admin.json --as-of 2017-03-10"
"$DR" check examples/azure-2017-account-admin.json --as-of 2017-03-10 --format text
echo
echo "== docrules batch --fields id,decision,channels < the examples, one line each"
for f in examples/*.json; do tr -d '\n' < "$f"; echo; done | "$DR" batch --fields id,decision,channels
echo
echo "== docrules test"
"$DR" test
echo
echo "== docrules validate (the bundled corpus and rules), findings by code"
"$DR" validate 2>/tmp/docrules-validate.$$ | awk -F': ' '{ n[$2 "  " $3]++ } END { for (k in n) printf "  %4d %s\n", n[k], k }' | sort -k2
cat /tmp/docrules-validate.$$
rm -f /tmp/docrules-validate.$$
echo "== two of them"
"$DR" validate 2>/dev/null | grep -E "nl-nl.md:40:36|zh-tw.md:28:1" || true
