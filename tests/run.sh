#!/bin/sh
# Runs every test binary in BUILD/tests, shows their output, and ends with
# one line that sums them: "N passed, N failed[, N skipped]". A binary that
# dies without cmocka's summary counts as one failure.
BUILD=${1:-build}
passed=0; failed=0; skipped=0
out=$(mktemp)
for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    "$t" > "$out" 2>&1
    rc=$?
    cat "$out"
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
    s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
    if [ -z "$p$f" ]; then
        echo "$t: died with status $rc before its summary"
        failed=$((failed + 1))
        continue
    fi
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
    [ "$rc" -ne 0 ] && [ -z "$f" ] && { echo "$t: exit status $rc"; failed=$((failed + 1)); }
done
rm -f "$out"
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
