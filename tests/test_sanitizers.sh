#!/usr/bin/env bash
# tests/test_sanitizers.sh: every parser (CSV, JSON Lines, the wire decoder, lexicon files)
# and the text path (normalize, then tagging with the shipped lexicons and models) built with
# AddressSanitizer and UndefinedBehaviorSanitizer and fed its seeds plus 2,000 random
# mutations each (`make fuzz-smoke`). A crash, a leak, undefined behaviour or a broken
# invariant of the harness fails.
set -u
cd "$(dirname "$0")/.." || exit 2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! command -v clang >/dev/null; then
    echo "FAIL sanitizers_build: clang is missing (make deps installs it)"
    exit 1
fi
if ! make --no-print-directory fuzz-smoke >"$log" 2>&1; then
    for h in csv jsonl wire lexicon tag; do
        if grep -q "smoke_$h failed" "$log" || ! grep -q "smoke_$h: .* ran" "$log"; then
            echo "FAIL sanitizers_$h: $(grep -E "smoke_$h|ERROR|runtime error" "$log" | head -3 | tr '\n' ' ')"
        else
            echo "PASS sanitizers_$h"
        fi
    done
    exit 1
fi
for h in csv jsonl wire lexicon tag; do
    if grep -q "smoke_$h: .* mutations ran" "$log"; then
        echo "PASS sanitizers_$h"
    else
        echo "FAIL sanitizers_$h: no run reported"
    fi
done
