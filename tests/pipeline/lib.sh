# shellcheck shell=bash disable=SC2034
# tests/pipeline/lib.sh: helpers shared by the multi-process tests (test_pipeline.sh,
# test_durability.sh). Sourced, not run. Every check prints one line the runner counts:
#     PASS name
#     FAIL name: why
# Every process a test starts is registered with `track`; the EXIT trap stops them, removes
# the private /tmp/kulak-UID-HASH folders of the databases `kulak run` served, and deletes
# the test's temp dir. Nothing here measures time: deadlines only bound waiting.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KULAK="$ROOT/bin/kulak"
FAILED=0
TRACKED=()          # pids to stop at exit
RUN_DIRS=()         # private run folders of `kulak run` to remove at exit
T=""

pass () { echo "PASS $1"; }
fail () { echo "FAIL $1: $2"; FAILED=$((FAILED + 1)); }

# check NAME WHY-IF-FALSE COMMAND...: PASS when COMMAND succeeds.
check () {
    local name=$1 why=$2
    shift 2
    if "$@"; then pass "$name"; else fail "$name" "$why"; fi
}

# check_cmd NAME COMMAND...: PASS when COMMAND succeeds, else FAIL with what it printed.
check_cmd () {
    local name=$1 out rc
    shift
    out=$("$@" 2>&1)
    rc=$?
    if [ "$rc" -eq 0 ]; then pass "$name"; else fail "$name" "$(echo "$out" | tr '\n' ' ' | cut -c1-600)"; fi
}

# expect_eq NAME ACTUAL EXPECTED [CONTEXT]
expect_eq () {
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', expected '$3'${4:+ ($4)}"; fi
}

# sql DB QUERY: sqlite3 that waits for a busy writer instead of failing.
sql () {
    sqlite3 -batch -cmd '.timeout 10000' "$1" "$2" 2>/dev/null
}

track () { TRACKED+=("$@"); }

# The children of a process (kulak run's stages run in their own process groups).
children_of () { ps -o pid= --ppid "$1" 2>/dev/null | tr -d ' '; }

alive () { kill -0 "$1" 2>/dev/null; }
# running PID: alive and not a zombie waiting to be reaped
running () {
    kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" != Z ]
}

# wait_until SECONDS COMMAND...: polls COMMAND every 0.1 s; 0 once it succeeds, 1 at the
# deadline.
wait_until () {
    local tries=$(( $1 * 10 ))
    shift
    while [ "$tries" -gt 0 ]; do
        "$@" && return 0
        sleep 0.1
        tries=$((tries - 1))
    done
    "$@"
}

# wait_exit PID SECONDS: waits for a child of this shell (not from a $(...) subshell: only
# this shell can reap it) and sets STATUS to its exit status, or to "timeout" (and kills
# it) when it outlives the deadline.
STATUS=""
wait_exit () {
    local pid=$1 tries=$(( $2 * 10 ))
    while running "$pid" && [ "$tries" -gt 0 ]; do
        sleep 0.1
        tries=$((tries - 1))
    done
    if running "$pid"; then
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        STATUS=timeout
        return
    fi
    wait "$pid" 2>/dev/null
    STATUS=$?
}

# free_ports N: N TCP ports on 127.0.0.1 nobody listens on right now.
free_ports () {
    python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

# The private folder `kulak run` keeps the endpoints of DB's pipeline in (ask before the
# pipeline runs: `kulak status` then answers at once).
run_dir_of () {
    "$KULAK" status --db "$1" 2>/dev/null | grep -o '/tmp/kulak-[0-9]*-[0-9a-f]*' | tail -1
}

# will_serve DB: remember DB's run folder, to remove it at exit.
will_serve () {
    local dir
    dir=$(run_dir_of "$1")
    [ -n "$dir" ] && RUN_DIRS+=("$dir")
}

cleanup () {
    local pid child all=()
    for pid in "${TRACKED[@]}"; do
        all+=("$pid")
        for child in $(children_of "$pid"); do all+=("$child"); done
    done
    for pid in "${all[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for pid in "${all[@]}"; do
        local tries=30
        while running "$pid" && [ "$tries" -gt 0 ]; do
            sleep 0.1
            tries=$((tries - 1))
        done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    local dir
    for dir in "${RUN_DIRS[@]}"; do
        case "$dir" in /tmp/kulak-[0-9]*-*) rm -rf "$dir" ;; esac
    done
    [ -n "$T" ] && case "$T" in /tmp/*|"$ROOT"/tests/tmp/*) rm -rf "$T" ;; esac
}

# setup NAME: temp dir in $T, cleanup trap, and a FAIL line (exit 1) without binaries.
setup () {
    T=$(mktemp -d "/tmp/kulak-$1.XXXXXX")
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    if [ ! -x "$KULAK" ] || [ ! -x "$ROOT/bin/kulak-collect" ]; then
        fail "$1" "bin/kulak and the stage binaries are missing; run make all first"
        exit 1
    fi
    cd "$ROOT" || exit 2
}

finish () {
    [ "$FAILED" -eq 0 ]
    exit $?
}
