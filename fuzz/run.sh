#!/bin/sh
# Runs each fuzz target for SECONDS, seeded from corpus/, tests/ and
# examples/; the corpora it grows are kept in build/fuzz/corpus-TARGET.
# Exits non-zero on the first crash, leaving build/fuzz/crash-TARGET-*.
#   fuzz/run.sh SECONDS [TARGET...]
set -u
S=${1:-60}
shift || true
B=build/fuzz
T=${*:-"doc frontmatter legacy html account batch patterns bundle config corpus"}
seed() {
    d=$B/corpus-$1
    [ -d "$d" ] && return
    mkdir -p "$d"
    case $1 in
        doc|html) find corpus tests/fixtures -name '*.md' -size -64k -exec cp {} "$d/" \; 2>/dev/null ;;
        frontmatter) for f in corpus/*/*.md; do sed -n '2,/^---/p' "$f" > "$d/$(basename "$f")"; done ;;
        legacy) for f in corpus/*/*.md; do grep -q '^<properties' "$f" && sed -n '1,20p' "$f" | sed 's/^<properties //' > "$d/$(basename "$f")"; done ;;
        account) cp examples/*.json "$d/" ;;
        batch) for f in examples/*.json; do tr -d '\n' < "$f"; echo; done > "$d/all.ndjson"; printf 'not json\n\n{"id":"a"}\n' > "$d/bad.ndjson" ;;
        # A real bundle of the bundled rules and corpus, one of a single doc,
        # and a cache entry of that doc (which records its input files).
        bundle) if [ -x build/docrules ]; then
                    build/docrules build -o "$d/bundled.drb" 2>/dev/null
                    build/docrules build --corpus corpus/office365/cancel-subscription.zh-tw.md -o "$d/one-doc.drb" 2>/dev/null
                    # (absolute: a relative XDG_CACHE_HOME is ignored, as XDG says,
                    # and the entry would go to the user's own cache)
                    XDG_CACHE_HOME="$PWD/$d/xdg" build/docrules check examples/office365-30-licenses.json \
                        --corpus corpus/office365/cancel-subscription.zh-tw.md >/dev/null 2>&1
                    for f in "$d"/xdg/docrules/*.drb; do [ -f "$f" ] && mv "$f" "$d/cache-entry.drb"; done
                    rm -rf "$d/xdg"
                    if [ ! -f "$d/cache-entry.drb" ]; then
                        echo "fuzz: no cache entry was made to seed bundle with"; rm -rf "$d"; exit 1
                    fi
                else echo "fuzz: no build/docrules to make bundle seeds (make first)"; fi ;;
        # The README's configuration, and one of each key's shapes.
        config) printf 'disable: [mt-hello-for-the, link-file-missing]\nseverity:\n  policy-gap: error\n  front-matter-absent: warning\nignore:\n  - "drafts/**"\n  - "azure/*.generated.md"\n' > "$d/readme.yaml"
                printf 'ignore: "docs/drafts/**"\ndisable: section-empty\n' > "$d/scalars.yaml" ;;
        # Each multi-doc fixture as one input, in the shape head prints files.
        corpus) for f in $(find tests/fixtures -name '*.md' -exec dirname {} \; | sort -u); do
                    for m in "$f"/*.md; do printf '==> %s <==\n' "$(basename "$m")"; cat "$m"; [ -z "$(tail -c1 "$m")" ] || echo; done \
                        > "$d/$(echo "$f" | tr / _)"
                done ;;
        patterns) grep -ho '\[\[[^]]*\]\]' rules/facts/*.lua | sed 's/^\[\[//; s/\]\]$//' > "$d/rules.txt" ;;
    esac
}
rc=0
for t in $T; do
    seed "$t"
    echo "fuzz: $t for ${S}s"
    # A bundle holds the rule scripts' text: its seeds pass 64 KiB.
    ml=65536; [ "$t" = bundle ] && ml=262144
    "$B/fuzz_$t" -max_total_time="$S" -max_len=$ml -timeout=20 -rss_limit_mb=2048 \
        -artifact_prefix="$B/crash-$t-" -print_final_stats=1 "$B/corpus-$t" 2>"$B/fuzz-$t.log"
    r=$?
    grep -E "^stat::number_of_executed_units|^#[0-9]+ *DONE" "$B/fuzz-$t.log" | tail -2
    if [ $r -ne 0 ]; then
        echo "fuzz: $t FAILED (exit $r); see $B/fuzz-$t.log and $B/crash-$t-*"
        tail -40 "$B/fuzz-$t.log"
        rc=1
    fi
done
exit $rc
