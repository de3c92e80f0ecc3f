#!/usr/bin/env bash
# tests/run.sh: runs every unit test binary and every multi-process test script, counts
# their PASS / FAIL lines, and ends with "N passed, N failed" (the line CI reads).
# Usage: tests/run.sh BUILD_TEST_DIR
set -u
dir=${1:-build/tests}
cd "$(dirname "$0")/.." || exit 2
log=$(mktemp)
status=0
for test in "$dir"/test_*; do
    [ -x "$test" ] || continue
    echo "== $(basename "$test")"
    "$test" 2>&1 | tee -a "$log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done
for script in tests/test_*.sh; do
    [ -f "$script" ] || continue
    echo "== $(basename "$script")"
    bash "$script" 2>&1 | tee -a "$log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done
passed=$(grep -c '^PASS ' "$log")
failed=$(grep -c '^FAIL ' "$log")
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    # a test binary crashed or exited nonzero without a FAIL line: count it
    failed=1
    echo "FAIL a test program exited with an error (see above)"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
