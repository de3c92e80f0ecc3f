#!/usr/bin/env bash
# tests/test_durability.sh: nothing acknowledged is lost, nothing is stored twice, when
# stage processes die by kill -9.
#
# 1. The stages are started by hand (so each can be killed on its own) over ipc:// in a temp
#    dir and fed 20,000 generated JSON Lines reviews. While records flow, the store, one tag
#    worker and collect are each killed with SIGKILL once and restarted (collect with the
#    same spool and inputs). At the end every generated id is in records exactly once, with
#    its text, and the spool is empty.
# 2. An agent note `kulak note` gave a receipt for is stored after every process of a
#    `kulak run --serve` was killed with SIGKILL and the pipeline restarted.
#
# One line per check: PASS name / FAIL name: why. Exits nonzero when any check failed.
set -u
. "$(dirname "$0")/pipeline/lib.sh"
setup durability

CHECKS="python3 tests/pipeline/checks.py"
N=20000
INPUT=$T/in/reviews_load.jsonl
mkdir -p "$T/in"
$CHECKS gen-reviews "$N" "$INPUT" LOAD

# ---- 1. kill -9 of store, a tag worker and collect while 20,000 records flow ------------------

E=ipc://$T
DB=$T/k.db
SPOOL=$T/spool.db
# Each stage answers STATUS on a control socket, as an operator would run them.
start_store () {
    bin/kulak-store --db "$DB" --bind "$E/store.ipc" --acks "$E/acks.ipc" \
        --control "$E/store-control.ipc" 2>>"$T/store.err" &
    STORE=$!
    track "$STORE"
}
start_tag () {
    bin/kulak-tag --connect "$E/normalize.ipc" --store "$E/store.ipc" \
        --control "$E/tag-$1-control.ipc" 2>>"$T/tag$1.err" &
    eval "TAG$1=\$!"
    track "$!"
}
start_normalize () {
    bin/kulak-normalize --connect "$E/collect.ipc" --bind "$E/normalize.ipc" \
        --control "$E/normalize-control.ipc" 2>>"$T/normalize.err" &
    NORMALIZE=$!
    track "$NORMALIZE"
}
# A short --resend-after so what died in flight comes again within the test's patience.
start_collect () {
    bin/kulak-collect --spool "$SPOOL" --bind "$E/collect.ipc" --acks "$E/acks.ipc" \
        --control "$E/control.ipc" --resend-after 2 --progress 0 --until-drained \
        "$INPUT" 2>>"$T/collect.err" &
    COLLECT=$!
    track "$COLLECT"
}
stored () { sql "$DB" 'select count(*) from records' || echo 0; }
stored_at_least () { [ "$(stored)" -ge "$1" ] 2>/dev/null; }
# the stages this test needs alive; a death it did not cause ends the waiting early
all_running () {
    running "$STORE" && running "$TAG1" && running "$TAG2" && running "$NORMALIZE" \
        && running "$COLLECT"
}
flowing_to () { stored_at_least "$1" || ! all_running; }

start_store
start_tag 1
start_tag 2
start_normalize
start_collect

# kill9_at NAME THRESHOLD PIDVAR: once THRESHOLD records are stored, SIGKILL the stage.
KILLED_AT=""
kill9_at () {
    local name=$1 threshold=$2 pid=${!3}
    wait_until 120 flowing_to "$threshold"
    KILLED_AT=$(stored)
    if ! running "$pid"; then
        fail "kill9_${name}_mid_run" "$name had already exited before the kill; stderr: $(tail -2 "$T"/*.err | tr '\n' ' ')"
        return 1
    fi
    # (braces: the shell's own "Killed" notice goes to /dev/null too)
    { kill -KILL "$pid"; wait "$pid"; } 2>/dev/null
    if [ "$KILLED_AT" -ge "$threshold" ] && [ "$KILLED_AT" -lt "$N" ]; then
        pass "kill9_${name}_mid_run"
    else
        fail "kill9_${name}_mid_run" "$KILLED_AT of $N records were stored at the kill (wanted $threshold..$((N - 1)))"
    fi
}

kill9_at store 2000 STORE && start_store
kill9_at tag_worker 7000 TAG1 && start_tag 1
kill9_at collect 12000 COLLECT && start_collect

wait_exit "$COLLECT" 150
expect_eq collect_drains_after_restarts "$STATUS" 0 "$(tail -2 "$T/collect.err" | tr '\n' ' ')"

expect_eq every_record_stored_once \
    "$(sql "$DB" "select count(*), count(distinct external_id) from records where external_id like 'LOAD-%'")" \
    "$N|$N" "records, distinct ids"
expect_eq no_duplicate_ids \
    "$(sql "$DB" "select count(*) from (select external_id from records group by 1 having count(*) > 1)")" 0
expect_eq nothing_else_stored \
    "$(sql "$DB" "select (select count(*) from records), (select count(*) from quarantine)")" "$N|0"
check_cmd stored_texts_match_input $CHECKS compare-input "$DB" "$INPUT"
expect_eq spool_empty_at_end "$(sql "$SPOOL" 'select count(*) from spool')" 0

kill -TERM "$STORE" "$TAG1" "$TAG2" "$NORMALIZE" 2>/dev/null
for pid in "$STORE" "$TAG1" "$TAG2" "$NORMALIZE"; do wait_exit "$pid" 15; done

# ---- 2. a note with a receipt survives kill -9 of every process ------------------------------

NDB=$T/notes.db
will_serve "$NDB"
serving () { [ "$("$KULAK" status --db "$NDB" 2>/dev/null | grep -c '"stage":')" -ge 5 ]; }

"$KULAK" run --serve --db "$NDB" >"$T/serve1.out" 2>"$T/serve1.err" &
RUN=$!
track "$RUN"
if wait_until 30 serving; then pass note_pipeline_starts
else fail note_pipeline_starts "$(tail -3 "$T/serve1.err" | tr '\n' ' ')"; fi
STAGES=$(children_of "$RUN")
# Hold normalize still so the note cannot reach the database before the kill.
STOPPED=$(ps -o pid=,args= --ppid "$RUN" | awk '$2 ~ /kulak-normalize$/ { print $1 }')
[ -n "$STOPPED" ] && kill -STOP "$STOPPED"
"$KULAK" note --db "$NDB" --author "Mehmet Kaya" --customer C-77777 \
    "Müşteri kargonun iki haftadır gelmediğini söyledi, iade istiyor" >"$T/note.out" 2>"$T/note.err"
rc=$?
NOTE_ID=$(grep -oE '\b[0-9a-f]{16,64}\b' "$T/note.out" | head -1)
if [ "$rc" -eq 0 ] && [ -n "$NOTE_ID" ]; then pass note_receipt_before_crash
else fail note_receipt_before_crash "exit $rc, said: $(cat "$T/note.out" "$T/note.err")"; fi
expect_eq note_not_yet_stored_at_crash \
    "$(sql "$NDB" "select count(*) from records where id = '$NOTE_ID'")" 0 \
    "normalize was stopped: the note should still be only in the spool"

# kill -9 everything: kulak run and each of its stages
# shellcheck disable=SC2086
{ kill -KILL "$RUN" $STAGES; wait "$RUN"; } 2>/dev/null
left=""
for pid in $STAGES; do
    tries=50
    while running "$pid" && [ "$tries" -gt 0 ]; do sleep 0.1; tries=$((tries - 1)); done
    running "$pid" && left="$left $pid"
done
expect_eq every_process_killed "${left:-none}" none

"$KULAK" run --serve --db "$NDB" >"$T/serve2.out" 2>"$T/serve2.err" &
RUN=$!
track "$RUN"
note_stored () { [ "$(sql "$NDB" "select count(*) from records where id = '$NOTE_ID'")" = 1 ]; }
wait_until 60 note_stored
expect_eq acknowledged_note_survives_kill9 \
    "$(sql "$NDB" "select channel || '|' || author || '|' || customer from records where id = '$NOTE_ID'")" \
    "agent_note|Mehmet Kaya|C-77777" "$(tail -2 "$T/serve2.err" | tr '\n' ' ')"
kill -INT "$RUN"
wait_exit "$RUN" 60

finish
