#!/bin/sh
# The main job on the bundled corpus: what `make run` shows a newcomer.
set -eu
DR=${1:-build/docrules}
echo "== docrules extract --stats corpus"
"$DR" extract --stats corpus
echo
echo "== the Office 365 seed, its bullets (text, English source, line)"
"$DR" extract corpus/office365/cancel-subscription.zh-tw.md |
    python3 -c 'import json,sys
d=json.load(sys.stdin)
print(d["title"], d["locale"], d["date"], "(from " + d["date_from"] + ")")
for s in d["sections"]:
    for b in s["bullets"]:
        print("  line %d: %s\n           %s" % (b["line"], b["text"], b.get("source_text", "")))'
