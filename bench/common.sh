# shellcheck shell=bash disable=SC2034
# bench/common.sh: what bench/run.sh and bench/accuracy.sh share. Sourced, not run.
#
# - ROOT: the repository; DATASETS: the labelled sets (default ../shared/datasets next to
#   the repository; override with DATASETS=...).
# - PIN: the command prefix that keeps a measured program on one CPU (taskset), so kulak
#   and VADER each get exactly one core and the same one. BENCH_CPU=N picks the CPU.
# - need_vader: installs the pinned vader-sentiment (bench/package.json) into
#   bench/node_modules with npm when it is missing; returns 1 (and says why) when it can't.
# - need_tag_throughput: builds bench/out/tag_throughput against build/libkulak.a.
# - jget FILE|- KEY: a field of a one-line JSON document.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 2
DATASETS=${DATASETS:-$ROOT/../shared/datasets}
# where kulak looks for a dataset a model names by a path not on this machine (the shipped
# models name ../shared/datasets next to the repository): here, the sets being measured
export KULAK_DATASETS=${KULAK_DATASETS:-$DATASETS}
KULAK="$ROOT/bin/kulak"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"

BTMP=$(mktemp -d /tmp/kulak-bench.XXXXXX)
BENCH_RUN_DIRS=()
bench_cleanup () {
    local dir
    for dir in "${BENCH_RUN_DIRS[@]}"; do
        case "$dir" in /tmp/kulak-[0-9]*-*) rm -rf "$dir" ;; esac
    done
    case "$BTMP" in /tmp/kulak-bench.*) rm -rf "$BTMP" ;; esac
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -x "$KULAK" ]; then
    echo "bench: bin/kulak is missing; run make all (or make bench) first" >&2
    exit 2
fi

if command -v taskset >/dev/null 2>&1; then
    BENCH_CPU=${BENCH_CPU:-$(taskset -pc $$ 2>/dev/null | sed 's/.*: *//; s/[-,].*//')}
    PIN="taskset -c ${BENCH_CPU:-0}"
    PIN_NOTE="pinned to CPU ${BENCH_CPU:-0} (taskset)"
else
    PIN=""
    PIN_NOTE="not pinned (no taskset): single-threaded programs, but the OS may move them"
fi

have_datasets () {
    [ -d "$DATASETS" ] && ls "$DATASETS"/*/eval.tsv >/dev/null 2>&1
}

need_vader () {
    [ -f "$ROOT/bench/node_modules/vader-sentiment/package.json" ] && return 0
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        echo "bench: node and npm are needed for the VADER baseline (apt-get install nodejs npm)" >&2
        return 1
    fi
    echo "bench: installing vader-sentiment (pinned in bench/package.json) into bench/node_modules" >&2
    if ! (cd "$ROOT/bench" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>"$BTMP/npm.err"); then
        echo "bench: npm ci failed: $(tail -3 "$BTMP/npm.err" | tr '\n' ' ')" >&2
        return 1
    fi
}

need_tag_throughput () {
    make -s --no-print-directory -f bench/Makefile >"$BTMP/make.log" 2>&1 || {
        echo "bench: building bench/out/tag_throughput failed:" >&2
        cat "$BTMP/make.log" >&2
        return 1
    }
}

jget () {
    python3 -c '
import json, sys
src = sys.stdin if sys.argv[1] == "-" else open(sys.argv[1])
try:
    value = json.loads(src.readline())
    for key in sys.argv[2].split("."):
        value = value[key]
    print(value)
except Exception:
    print("")
' "$1" "$2"
}

# fmt_rate X: a rate as an integer with thousands separators ("-" when empty).
fmt_rate () {
    [ -z "$1" ] && { echo "-"; return; }
    LC_ALL=C awk -v x="$1" 'BEGIN { s = sprintf("%.0f", x); out = "";
        while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
        print s out }'
}

# ratio A B: A / B with two decimals ("-" when either is missing or B is 0).
ratio () {
    LC_ALL=C awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "-";
        else printf "%.2f\n", a / b }'
}

now () { date +%s.%N; }
elapsed () { LC_ALL=C awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f\n", b - a }'; }
