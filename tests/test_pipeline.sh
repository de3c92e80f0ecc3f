#!/usr/bin/env bash
# tests/test_pipeline.sh: the real stage processes, end to end, the way users and operators
# drive them: `kulak run` over the bundled examples, the stages started by hand over ipc://
# and tcp://, `kulak run --serve` with agent notes and a watched folder, the reports
# (digest, estimate), `kulak tag`, and the CLI's error messages.
#
# One line per check: PASS name / FAIL name: why. Exits nonzero when any check failed.
# Everything happens in a temp dir; every process started here is stopped at exit.
# Run: bash tests/test_pipeline.sh (after make all), or through tests/run.sh.
set -u
. "$(dirname "$0")/pipeline/lib.sh"
setup pipeline

CHECKS="python3 tests/pipeline/checks.py"
# The Turkish survey export names its columns in Turkish (same map as the Makefile's run).
SURVEY_MAP='id=Yanıt No,customer=Müşteri No,time=Tarih,nps=Tavsiye Puanı,csat=Memnuniyet,ces=Efor,text=Yorum'
INPUTS=(examples/*.csv examples/*.jsonl)
EXPECTED=$($CHECKS expected-counts examples)
EXPECTED_TOTAL=$(echo "$EXPECTED" | awk -F'|' '{ n += $2 } END { print n }')

# ---- kulak run over the examples ------------------------------------------------------------

DB=$T/k.db
will_serve "$DB"
timeout 120 "$KULAK" run --db "$DB" --map "$SURVEY_MAP" "${INPUTS[@]}" >"$T/run1.out" 2>"$T/run1.err"
rc=$?
expect_eq run_examples_exits_0 "$rc" 0 "$(tail -3 "$T/run1.err" | tr '\n' ' ')"

counts=$(sql "$DB" 'select channel, count(*) from records group by 1 order by 1')
expect_eq run_examples_all_channels "$(echo "$counts" | cut -d'|' -f1 | tr '\n' ' ')" \
    "agent_note review social survey "
expect_eq run_examples_counts_per_channel "$(echo "$counts" | tr '\n' ' ')" \
    "$(echo "$EXPECTED" | tr '\n' ' ')"

# social_messy.jsonl: lines 2 4 6 8 10 12 are broken on purpose (examples/social_messy.README)
quarantine=$(sql "$DB" "select origin from quarantine order by cast(substr(origin, instr(origin, ':') + 1) as integer)")
expect_eq quarantine_holds_the_broken_lines "$(echo "$quarantine" | tr '\n' ' ')" \
    "examples/social_messy.jsonl:2 examples/social_messy.jsonl:4 examples/social_messy.jsonl:6 examples/social_messy.jsonl:8 examples/social_messy.jsonl:10 examples/social_messy.jsonl:12 "
reasons_ok=1
why=""
for spec in "2:JSON" "4:object" "6:text" "8:rating" "10:nps" "12:text"; do
    line=${spec%%:*}
    word=${spec#*:}
    reason=$(sql "$DB" "select reason from quarantine where origin = 'examples/social_messy.jsonl:$line'")
    if ! echo "$reason" | grep -q "social_messy.jsonl:$line\b" || ! echo "$reason" | grep -qi "$word"; then
        reasons_ok=0
        why="$why line $line: '$reason' should name social_messy.jsonl:$line and '$word';"
    fi
done
if [ "$reasons_ok" = 1 ]; then pass quarantine_reasons_name_file_line_field
else fail quarantine_reasons_name_file_line_field "$why"; fi

snapshot () {
    sql "$DB" "select channel, count(*) from records group by 1;
               select 'themes', count(*) from record_themes;
               select 'quarantine', count(*) from quarantine;
               select 'ids', count(*), sum(length(id)), max(id), min(id) from records;"
    sql "$DB" 'select id from records order by id' | sha1sum
}
before=$(snapshot)
timeout 120 "$KULAK" run --db "$DB" --map "$SURVEY_MAP" "${INPUTS[@]}" >"$T/run2.out" 2>"$T/run2.err"
rc=$?
expect_eq second_run_exits_0 "$rc" 0
after=$(snapshot)
if [ "$before" = "$after" ] && [ -n "$before" ]; then pass second_run_changes_no_count
else fail second_run_changes_no_count "before: $(echo "$before" | tr '\n' ' ') after: $(echo "$after" | tr '\n' ' ')"; fi

check_cmd no_email_or_phone_survives $CHECKS pii "$DB" examples
expect_eq no_example_email_in_text \
    "$(sql "$DB" "select count(*) from records where text like '%@example.%' or norm_text like '%@example.%'")" 0
expect_eq no_example_phone_in_text \
    "$(sql "$DB" "select count(*) from records where text like '%0532%' or norm_text like '%0532%' or text like '%0533 712%' or text like '%7700 900%' or text like '%535 640%'")" 0

expect_eq time_is_iso_utc \
    "$(sql "$DB" "select count(*) from records where time is null or time not glob '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'")" 0 \
    "records whose time is not YYYY-MM-DDTHH:MM:SSZ"
# survey_tr.csv writes 05.01.2026 09:57: day first, 5 January
expect_eq time_day_month_order "$(sql "$DB" "select substr(time, 1, 10) from records where external_id = '48102'")" \
    "2026-01-05"

check_cmd windows_1254_file_has_turkish_letters $CHECKS legacy "$DB" examples/reviews_legacy.csv
expect_eq windows_1254_sample_text \
    "$(sql "$DB" "select count(*) from records where external_id = 'RTL-0001' and text like '%ışık ayarı%'")" 1

# ---- the stages started by hand, over ipc:// and over tcp:// ---------------------------------

# hand_chain NAME COLLECT ACKS NORMALIZE STORE: store, two tag workers, normalize and collect
# with explicit endpoints; collect ingests the examples and exits once all is stored.
hand_chain () {
    local name=$1 collect_ep=$2 acks_ep=$3 normalize_ep=$4 store_ep=$5
    local d=$T/$name
    mkdir -p "$d"
    bin/kulak-store --db "$d/k.db" --bind "$store_ep" --acks "$acks_ep" 2>"$d/store.err" &
    local store=$!
    bin/kulak-tag --connect "$normalize_ep" --store "$store_ep" 2>"$d/tag1.err" &
    local tag1=$!
    bin/kulak-tag --connect "$normalize_ep" --store "$store_ep" 2>"$d/tag2.err" &
    local tag2=$!
    bin/kulak-normalize --connect "$collect_ep" --bind "$normalize_ep" 2>"$d/normalize.err" &
    local normalize=$!
    bin/kulak-collect --spool "$d/spool.db" --bind "$collect_ep" --acks "$acks_ep" \
        --map "$SURVEY_MAP" --until-drained --progress 0 "${INPUTS[@]}" 2>"$d/collect.err" &
    local collect=$!
    track "$store" "$tag1" "$tag2" "$normalize" "$collect"

    # wait for collect to drain; stop waiting early when another stage died
    local tries=600 died=""
    while running "$collect" && [ "$tries" -gt 0 ]; do
        for pid in "$store" "$tag1" "$tag2" "$normalize"; do
            running "$pid" || died="$died $pid"
        done
        [ -n "$died" ] && break
        sleep 0.1
        tries=$((tries - 1))
    done
    local collect_rc
    if [ -n "$died" ]; then
        collect_rc="not drained: a stage died ($(cat "$d"/*.err | grep -v ' stopped: ' | tail -2 | tr '\n' ' '))"
    else
        wait_exit "$collect" 1
        collect_rc=$STATUS
    fi
    expect_eq "${name}_collect_drains_and_exits_0" "$collect_rc" 0
    expect_eq "${name}_all_records_stored" \
        "$(sql "$d/k.db" 'select count(*) from records') $(sql "$d/k.db" 'select count(*) from quarantine')" \
        "$EXPECTED_TOTAL 6" "records, quarantined"

    kill -TERM "$store" "$tag1" "$tag2" "$normalize" "$collect" 2>/dev/null
    local statuses="" stage
    for stage in "store:$store" "tag:$tag1" "tag:$tag2" "normalize:$normalize"; do
        wait_exit "${stage#*:}" 15
        statuses="$statuses${statuses:+ }${stage%%:*}=$STATUS"
    done
    expect_eq "${name}_stages_exit_0_on_sigterm" "$statuses" "store=0 tag=0 tag=0 normalize=0" \
        "$(grep -h -i 'assert\|abort' "$d"/*.err | head -1)"
}

I=ipc://$T
hand_chain hand_ipc "$I/collect.ipc" "$I/acks.ipc" "$I/normalize.ipc" "$I/store.ipc"
read -r p1 p2 p3 p4 <<<"$(free_ports 4)"
hand_chain hand_tcp "tcp://127.0.0.1:$p1" "tcp://127.0.0.1:$p2" "tcp://127.0.0.1:$p3" \
    "tcp://127.0.0.1:$p4"

# ---- kulak run --serve: agent notes, status, a watched folder, a clean stop ------------------

SDB=$T/serve.db
will_serve "$SDB"
"$KULAK" note --db "$SDB" "Müşteri aradı" >"$T/note0.out" 2>"$T/note0.err"
rc=$?
if [ "$rc" -ne 0 ] && grep -qi 'running\|start' "$T/note0.err" && ! grep -q 'note received' "$T/note0.out"; then
    pass note_without_server_fails_clearly
else
    fail note_without_server_fails_clearly "exit $rc, said: $(cat "$T/note0.out" "$T/note0.err")"
fi

mkdir -p "$T/inbox"
HTTP_PORT=$(free_ports 1)
"$KULAK" run --serve --db "$SDB" --watch "$T/inbox" --http "$HTTP_PORT" >"$T/serve.out" 2>"$T/serve.err" &
RUN=$!
track "$RUN"
# serving: all five stages answer STATUS (tag workers and the store load lexicons first)
serving () { [ "$("$KULAK" status --db "$SDB" 2>/dev/null | grep -c '"stage":')" -ge 5 ]; }
if wait_until 30 serving; then pass serve_starts; else fail serve_starts "$(tail -3 "$T/serve.err" | tr '\n' ' ')"; fi
STAGES=$(children_of "$RUN")

status=$("$KULAK" status --db "$SDB" 2>&1)
stages_seen=$(echo "$status" | grep -o '"stage":"[a-z]*"' | sort | uniq -c | awk '{ print $2 "x" $1 }' | tr '\n' ' ')
expect_eq status_shows_running_stages "$stages_seen" \
    '"stage":"collect"x1 "stage":"normalize"x1 "stage":"store"x1 "stage":"tag"x2 '

# Hold normalize still: the note can then only be in the spool when the receipt comes.
NORMALIZE=$(ps -o pid=,args= --ppid "$RUN" | awk '$2 ~ /kulak-normalize$/ { print $1 }')
[ -n "$NORMALIZE" ] && kill -STOP "$NORMALIZE"
"$KULAK" note --db "$SDB" --author "Ayşe Yılmaz" --customer C-55555 \
    "Müşteri kısmi iade yapamadığı için üçüncü kez aradı" >"$T/note1.out" 2>"$T/note1.err"
rc=$?
NOTE_ID=$(grep -oE '\b[0-9a-f]{16,64}\b' "$T/note1.out" | head -1)
if [ "$rc" -eq 0 ] && [ -n "$NOTE_ID" ]; then pass note_prints_receipt_with_id
else fail note_prints_receipt_with_id "exit $rc, said: $(cat "$T/note1.out" "$T/note1.err")"; fi
expect_eq note_is_spooled_at_receipt \
    "$(sql "$SDB.spool" "select count(*) from spool where id = '$NOTE_ID'")" 1 \
    "the receipt came while normalize was stopped: the note must be in $SDB.spool"
[ -n "$NORMALIZE" ] && kill -CONT "$NORMALIZE"
note_stored () { [ "$(sql "$SDB" "select count(*) from records where id = '$NOTE_ID'")" = 1 ]; }
wait_until 20 note_stored
expect_eq note_stored_as_agent_note_with_author \
    "$(sql "$SDB" "select channel || '|' || author || '|' || customer from records where id = '$NOTE_ID'")" \
    "agent_note|Ayşe Yılmaz|C-55555"

# The browser form: a note POSTed by an agent gets a receipt and is stored with its author;
# the digest page escapes what customers wrote.
python3 - "$HTTP_PORT" >"$T/web.out" 2>&1 <<'EOF'
import re, sys, urllib.error, urllib.parse, urllib.request
base = "http://127.0.0.1:%s" % sys.argv [1]
form = urllib.request.urlopen (base + "/").read ().decode ()
print ("form", "<form" in form and 'name="text"' in form)
data = urllib.parse.urlencode ({"text": "Kampanya kuralı müşteriye anlatılamıyor <b>kalın</b>",
                                "author": "Web Ajanı", "customer": "C-77777"}).encode ()
page = urllib.request.urlopen (base + "/note", data).read ().decode ()
ids = re.findall (r'id="receipt">([0-9a-f]{32})<', page)
print ("receipt", ids [0] if ids else "none")
try:
    urllib.request.urlopen (base + "/note", urllib.parse.urlencode ({"text": "  "}).encode ())
    print ("empty", "accepted")
except urllib.error.HTTPError as e:
    print ("empty", e.code)
forged = urllib.request.Request (base + "/note", urllib.parse.urlencode ({"text": "forged"}).encode (),
                                 headers = {"Origin": "http://evil.example"})
try:
    urllib.request.urlopen (forged)
    print ("foreign", "accepted")
except urllib.error.HTTPError as e:
    print ("foreign", e.code)
EOF
WEB_ID=$(awk '$1 == "receipt" { print $2 }' "$T/web.out")
if grep -q '^form True' "$T/web.out" && [ -n "$WEB_ID" ] && [ "$WEB_ID" != none ]; then
    pass web_form_note_gets_receipt
else
    fail web_form_note_gets_receipt "$(tr '\n' ' ' <"$T/web.out")"
fi
expect_eq web_form_empty_note_refused "$(awk '$1 == "empty" { print $2 }' "$T/web.out")" 400
expect_eq web_form_refuses_other_sites_pages "$(awk '$1 == "foreign" { print $2 }' "$T/web.out")" 403
web_note_stored () { [ "$(sql "$SDB" "select count(*) from records where id = '$WEB_ID'")" = 1 ]; }
wait_until 20 web_note_stored
expect_eq web_form_note_stored_with_author \
    "$(sql "$SDB" "select channel || '|' || author || '|' || customer from records where id = '$WEB_ID'")" \
    "agent_note|Web Ajanı|C-77777"
digest_html=$(python3 -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:$HTTP_PORT/digest').read().decode())" 2>&1)
if echo "$digest_html" | grep -q '# kulak digest' && ! echo "$digest_html" | grep -q '<b>kalın'; then
    pass web_digest_page_escapes_text
else
    fail web_digest_page_escapes_text "$(echo "$digest_html" | head -c 300)"
fi

cat >"$T/watched.jsonl.part" <<'EOF'
{"id": "WATCH-1", "channel": "review", "source": "inbox", "time": "2026-05-01T10:00:00Z", "rating": 1, "text": "Kargo bir haftadır gelmedi, kimse bilgi vermiyor."}
{"id": "WATCH-2", "channel": "review", "source": "inbox", "time": "2026-05-01T11:00:00Z", "rating": 5, "text": "Fast delivery, friendly courier."}
EOF
cp "$T/watched.jsonl.part" "$T/inbox/reviews_watched.jsonl"
watched_stored () { [ "$(sql "$SDB" "select count(*) from records where external_id like 'WATCH-%'")" = 2 ]; }
if wait_until 30 watched_stored; then pass watch_dir_file_ingested
else fail watch_dir_file_ingested "$(sql "$SDB" "select count(*) from records where external_id like 'WATCH-%'") of 2 records of a file copied into --watch DIR stored after 30 s"; fi

kill -INT "$RUN"
wait_exit "$RUN" 60
expect_eq serve_sigint_exits_0 "$STATUS" 0 "$(tail -2 "$T/serve.err" | tr '\n' ' ')"
left=""
for pid in $STAGES; do
    running "$pid" && left="$left $(ps -o pid=,args= -p "$pid")"
done
expect_eq serve_stop_leaves_no_stage "${left:-none}" none

"$KULAK" note --db "$SDB" --timeout 3 "Müşteri aradı" >"$T/note2.out" 2>"$T/note2.err"
rc=$?
if [ "$rc" -ne 0 ] && [ -s "$T/note2.err" ] && ! grep -q 'note received' "$T/note2.out" \
        && grep -qi 'running\|not taken\|start' "$T/note2.err"; then
    pass note_after_server_stopped_fails_clearly
else
    fail note_after_server_stopped_fails_clearly "exit $rc, said: $(cat "$T/note2.out" "$T/note2.err")"
fi

# ---- reports: digest and estimate ------------------------------------------------------------

"$KULAK" digest --db "$DB" -o "$T/d.md" >"$T/digest.out" 2>"$T/digest.err"
rc=$?
expect_eq digest_exits_0 "$rc" 0 "$(cat "$T/digest.err")"
missing=""
for section in "Volume" "Complaint themes" "Survey scores" "Silent unhappy customers" "What customers say"; do
    grep -q "^#\+ *$section" "$T/d.md" 2>/dev/null || missing="$missing '$section'"
done
expect_eq digest_has_sections "${missing:-none}" none "missing Markdown headings"
expect_eq digest_no_raw_script "$(grep -ci '<script' "$T/d.md")" 0

# A database whose only complaints carry <script>: the digest must quote them, escaped.
mkdir -p "$T/xss"
cat >"$T/xss/reviews_xss.jsonl" <<'EOF'
{"id": "XSS-1", "source": "app_store", "customer": "C-90001", "time": "2026-04-02T10:00:00Z", "rating": 1, "text": "<script>alert(1)</script> Kargom 10 gündür gelmedi, paketim kayboldu, berbat bir hizmet, rezalet!"}
{"id": "XSS-2", "source": "app_store", "customer": "C-90002", "time": "2026-04-03T10:00:00Z", "rating": 1, "text": "<script>alert(2)</script> My parcel never arrived and they charged me twice. Terrible, the worst service ever."}
EOF
will_serve "$T/xss.db"
timeout 60 "$KULAK" run --db "$T/xss.db" "$T/xss/reviews_xss.jsonl" >/dev/null 2>"$T/xss.err"
"$KULAK" digest --db "$T/xss.db" -o "$T/xss.md" 2>>"$T/xss.err"
if [ "$(grep -ci '<script' "$T/xss.md")" = 0 ] && grep -qi '&lt;script\|\\<script' "$T/xss.md"; then
    pass digest_escapes_script_in_quotes
else
    fail digest_escapes_script_in_quotes "expected the quotes to show &lt;script&gt; and no raw <script>: $(grep -i 'script' "$T/xss.md" | head -2 | tr '\n' ' ')"
fi

"$KULAK" estimate --db "$DB" >"$T/est.json" 2>"$T/est.err"
rc=$?
if [ "$rc" -eq 0 ] && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/est.json" 2>/dev/null; then
    pass estimate_prints_json
else
    fail estimate_prints_json "exit $rc: $(head -c 200 "$T/est.json") $(cat "$T/est.err")"
fi
check_cmd estimate_fixed_ratio_26 $CHECKS estimate-ratio 26 <"$T/est.json"
"$KULAK" estimate --db "$DB" --ratio 10 >"$T/est10.json" 2>&1
check_cmd estimate_ratio_10 $CHECKS estimate-ratio 10 <"$T/est10.json"

all=$($CHECKS json-field complainers <"$T/est.json")
"$KULAK" estimate --db "$DB" --since 2026-06-01 --until 2026-06-30 >"$T/est-june.json" 2>&1
june=$($CHECKS json-field complainers <"$T/est-june.json")
june_records=$(sql "$DB" "select count(*) from records join record_time using (id) where complaint and at >= '2026-06-01' and at < '2026-07-01'")
if [ -n "$june" ] && [ -n "$all" ] && [ "$june" -gt 0 ] && [ "$june" -lt "$all" ] \
        && [ "$june" -le "$june_records" ]; then
    pass estimate_since_until_narrows
else
    fail estimate_since_until_narrows "complainers: all ${all:-?}, June ${june:-?} (June holds $june_records complaint records)"
fi
"$KULAK" digest --db "$DB" --since 2026-06-01 --until 2026-06-30 -o "$T/d-june.md" 2>/dev/null
n_all=$(grep -o '[0-9]\+ records' "$T/d.md" | head -1 | cut -d' ' -f1)
n_june=$(grep -o '[0-9]\+ records' "$T/d-june.md" | head -1 | cut -d' ' -f1)
june_all=$(sql "$DB" "select count(*) from record_time where at >= '2026-06-01' and at < '2026-07-01'")
expect_eq digest_since_until_narrows "${n_all:-?} ${n_june:-?}" "$EXPECTED_TOTAL $june_all" \
    "records in the period line: all, June"

# ---- kulak tag (acceptance criteria of the default lexicons) ----------------------------------

echo 'Kargo üç gündür gelmedi, müşteri hizmetlerine de ulaşamıyorum' | "$KULAK" tag >"$T/tag1.out" 2>&1
check_cmd tag_tr_late_delivery_unreachable \
    $CHECKS tag-json lang=tr label=neg theme=delay theme=waiting <"$T/tag1.out"
echo 'The app is not bad at all, support answered in minutes' | "$KULAK" tag >"$T/tag2.out" 2>&1
check_cmd tag_en_not_bad_is_positive $CHECKS tag-json lang=en label=pos <"$T/tag2.out"

# ---- kulak run --default-lang ----------------------------------------------------------------

# A text with no clue to its language ("Hanoi.") goes to --default-lang; one the Turkish
# lexicons know ("vasat") stays Turkish whatever the default.
printf 'id,text\nd1,Hanoi.\nd2,vasat\n' >"$T/short.csv"
for lang in en tr; do
    DBL=$T/default-$lang.db
    will_serve "$DBL"
    timeout 120 "$KULAK" run --channel survey --default-lang "$lang" --db "$DBL" "$T/short.csv" \
        >/dev/null 2>"$T/default-$lang.err"
    expect_eq "run_default_lang_$lang" \
        "$(sql "$DBL" 'select text, lang from records order by text' | tr '\n' ' ')" \
        "Hanoi.|$lang vasat|tr " "$(tail -2 "$T/default-$lang.err" | tr '\n' ' ')"
done
"$KULAK" run --default-lang fr --db "$T/fr.db" "$T/short.csv" >/dev/null 2>"$T/fr.err"
rc=$?
expect_eq run_default_lang_fr_is_refused "$rc:$(grep -c 'default-lang must be tr or en' "$T/fr.err")" "2:1"

# ---- kulak train --themes: the theme model, trained, cross-validated, used -------------------

# "trombone" (hold music) is waiting, a word no theme lexicon has; the weather is no theme
printf 'id\tlabel\ttext\ttheme\n' >"$T/themes.tsv"
for i in $(seq 1 20); do
    printf 'w%s\tneg\tthat trombone tune again, minute %s\twaiting\n' "$i" "$i"
    printf 'n%s\tneu\tthe weather is mild today, day %s\t\n' "$i" "$i"
done >>"$T/themes.tsv"
"$KULAK" train --themes --lang en -o "$T/ours.themes" "$T/themes.tsv" >/dev/null 2>"$T/train-themes.err"
rc=$?
expect_eq train_themes_writes_a_theme_model "$rc:$(head -1 "$T/ours.themes" 2>/dev/null)" \
    "0:kulak-theme-model 1"
echo "the trombone tune has been playing for an hour" \
    | "$KULAK" tag --themes-en "$T/ours.themes" >"$T/tag-themes.json" 2>&1
evidence=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["themes"], [e["text"] for t in r["theme_evidence"] for e in t["evidence"]])' "$T/tag-themes.json" 2>&1)
case "$evidence" in
    "['waiting'] "*trombone*) pass tag_adds_the_theme_model_theme_with_its_words ;;
    *) fail tag_adds_the_theme_model_theme_with_its_words "$evidence" ;;
esac
"$KULAK" eval --themes-en "$T/ours.themes" "$T/themes.tsv" >"$T/eval-themes.out" 2>&1
expect_eq eval_cross_validates_the_theme_model_on_its_own_rows \
    "$(grep -c 'theme model, cross-validated: this file trained it' "$T/eval-themes.out")" 1
# a few of the model's training rows among others: left out of the theme scores, said so
{ head -3 "$T/themes.tsv"
  for i in $(seq 1 8); do printf 'o%s\tneu\tnothing to report on day %s\t\n' "$i" "$i"; done
} >"$T/mixed-themes.tsv"
"$KULAK" eval --themes-en "$T/ours.themes" "$T/mixed-themes.tsv" >"$T/eval-mixed.out" 2>&1
expect_eq eval_leaves_the_theme_models_training_rows_out \
    "$(grep -c '2 rows left out of the theme scores: the theme model was trained on the same texts' "$T/eval-mixed.out")" 1
# "delay, billing": the spaces after commas are no part of the ids
printf 'id\tlabel\ttext\ttheme\ns1\tneg\tthe parcel is late and I was charged twice\tdelay, billing\n' >"$T/spaced.tsv"
"$KULAK" eval --themes-en none "$T/spaced.tsv" >"$T/eval-spaced.out" 2>&1
expect_eq eval_reads_theme_ids_with_spaces "$(grep -cE '^  (delay|billing) +1\.000 +1\.000' "$T/eval-spaced.out")" 2
# a training file's path with spaces is named in the model and read back: eval finds that
# the file trained the model and cross-validates (both kinds of model)
mkdir -p "$T/with space" && cp "$T/themes.tsv" "$T/with space/"
"$KULAK" train --themes --lang en -o "$T/sp.themes" "$T/with space/themes.tsv" >/dev/null 2>"$T/sp.err"
rc=$?
"$KULAK" eval --themes-en "$T/sp.themes" "$T/with space/themes.tsv" >"$T/sp-eval.out" 2>&1
expect_eq train_themes_reads_back_a_path_with_spaces \
    "$rc:$(grep -c 'theme model, cross-validated: this file trained it' "$T/sp-eval.out")" "0:1" \
    "$(cat "$T/sp.err") $(head -3 "$T/sp-eval.out")"
"$KULAK" train --lang en -o "$T/sp.model" "$T/with space/themes.tsv" >/dev/null 2>>"$T/sp.err"
rc=$?
"$KULAK" eval --model-en "$T/sp.model" "$T/with space/themes.tsv" >"$T/sp-eval2.out" 2>&1
expect_eq train_reads_back_a_path_with_spaces \
    "$rc:$(grep -c 'cross-validated (5 folds' "$T/sp-eval2.out")" "0:1" \
    "$(tail -2 "$T/sp.err") $(head -3 "$T/sp-eval2.out")"
# ---- kulak train --like: a model trained again as another was, with more rows --------------

# a model of the fixture at its own options; --like it, with nothing more, gives the same
# model byte for byte; with a file more, that file is named after the model's own, with its
# weight, and the options are the model's unless given
FIX=$ROOT/tests/fixtures/tagging_en.tsv
"$KULAK" train --lang en --balance 0.5 --nb-scale 0.3 --shuffles 2 --seed 7 -o "$T/base.model" \
    "$FIX:2" >/dev/null 2>"$T/like.err"
"$KULAK" train --like "$T/base.model" -o "$T/again.model" >/dev/null 2>>"$T/like.err"
rc=$?
expect_eq train_like_a_model_gives_it_again "$rc:$(cmp -s "$T/base.model" "$T/again.model" && echo same)" \
    "0:same" "$(tail -3 "$T/like.err")"
printf 'id\tlabel\ttext\nz1\tneg\tthe trombone tune again\nz2\tpos\tlovely trombone solo\n' >"$T/ours.tsv"
"$KULAK" train --like "$T/base.model" --seed 9 -o "$T/more.model" "$T/ours.tsv:3" >/dev/null 2>>"$T/like.err"
rc=$?
expect_eq train_like_adds_the_files_given \
    "$rc:$(grep -E '^(source|option (nb_scale|balance|seed|shuffles)) ' "$T/more.model" | cut -d' ' -f1,2,5 | tr '\n' ' ')" \
    "0:source $FIX 2 source $T/ours.tsv 3 option nb_scale option balance option seed option shuffles " \
    "$(tail -3 "$T/like.err")"
expect_eq train_like_keeps_the_options_not_given \
    "$(grep -E '^option (nb_scale|balance|seed|shuffles) ' "$T/more.model" | tr '\n' ' ')" \
    "option nb_scale 0.3 option balance 0.5 option seed 9 option shuffles 2 "
# a model whose files are not here: said which, nothing written
sed "s#^source $FIX #source $T/gone.tsv #" "$T/base.model" >"$T/moved.model"
"$KULAK" train --like "$T/moved.model" -o "$T/none.model" >/dev/null 2>"$T/like-gone.err"
rc=$?
expect_eq train_like_names_a_missing_file \
    "$rc:$(grep -c "was trained on $T/gone.tsv, which is not here" "$T/like-gone.err"):$(test -e "$T/none.model" && echo written)" \
    "2:1:" "$(cat "$T/like-gone.err")"
# a dataset the model names where it was on the machine that trained it ("/nowhere/set/...")
# is found as set/eval.tsv under $KULAK_DATASETS, only with the contents the model recorded;
# kulak eval finds it alike, to cross-validate the model on its own training file
mkdir -p "$T/datasets/fixset" "$T/other/fixset"
cp "$FIX" "$T/datasets/fixset/eval.tsv"
"$KULAK" train --lang en --balance 0.5 --shuffles 2 --seed 7 -o "$T/set.model" \
    "$T/datasets/fixset/eval.tsv" >/dev/null 2>"$T/like-set.err"
sed "s#^source $T/datasets/fixset/eval.tsv #source /nowhere/fixset/eval.tsv #" "$T/set.model" >"$T/set-moved.model"
KULAK_DATASETS="$T/datasets" "$KULAK" train --like "$T/set-moved.model" -o "$T/set-again.model" >/dev/null 2>>"$T/like-set.err"
rc=$?
expect_eq train_like_finds_a_moved_dataset_under_KULAK_DATASETS \
    "$rc:$(cmp -s <(grep -v '^source ' "$T/set.model") <(grep -v '^source ' "$T/set-again.model") && echo same)" \
    "0:same" "$(tail -3 "$T/like-set.err")"
{ cat "$FIX"; printf 'x9\tpos\tan edited copy\n'; } >"$T/other/fixset/eval.tsv"
KULAK_DATASETS="$T/other" "$KULAK" train --like "$T/set-moved.model" -o "$T/set-other.model" >/dev/null 2>"$T/like-other.err"
rc=$?
expect_eq train_like_takes_no_other_file_of_the_same_name \
    "$rc:$(grep -c 'set KULAK_DATASETS to the folder that holds it' "$T/like-other.err"):$(test -e "$T/set-other.model" && echo written)" \
    "2:1:" "$(cat "$T/like-other.err")"
"$KULAK" eval --model-en "$T/set-moved.model" "$T/datasets/fixset/eval.tsv" >"$T/set-eval.out" 2>&1
rc_without=$?
KULAK_DATASETS="$T/datasets" "$KULAK" eval --model-en "$T/set-moved.model" "$T/datasets/fixset/eval.tsv" \
    >"$T/set-eval2.out" 2>&1
rc=$?
expect_eq eval_finds_a_moved_training_file_under_KULAK_DATASETS \
    "$rc_without:$(grep -c 'set KULAK_DATASETS' "$T/set-eval.out"):$rc:$(grep -c 'cross-validated (5 folds' "$T/set-eval2.out")" \
    "1:1:0:1" "$(head -3 "$T/set-eval.out") / $(head -3 "$T/set-eval2.out")"
# a theme model, likewise (with --themes), and a model of the other kind is named as such
"$KULAK" train --themes --like "$T/ours.themes" -o "$T/ours-again.themes" >/dev/null 2>"$T/like-themes.err"
rc=$?
expect_eq train_like_a_theme_model_gives_it_again \
    "$rc:$(cmp -s "$T/ours.themes" "$T/ours-again.themes" && echo same)" "0:same" "$(cat "$T/like-themes.err")"
"$KULAK" train --like "$T/ours.themes" -o "$T/none.model" >/dev/null 2>"$T/like-kind.err"
expect_eq train_like_names_the_other_kind_of_model \
    "$?:$(grep -c 'a theme model? train like it with --themes' "$T/like-kind.err")" "2:1"

printf 'id\tlabel\ttext\ttheme\nx1\tneg\tslow app\tslowness\n' >"$T/bad-theme.tsv"
"$KULAK" train --themes --lang en -o "$T/bad.themes" "$T/bad-theme.tsv" >/dev/null 2>"$T/bad-theme.err"
rc=$?
# a theme model trains once: --shuffles with --themes is refused, not ignored
"$KULAK" train --themes --shuffles 3 --lang en -o "$T/bad.themes" "$T/bad-theme.tsv" >/dev/null 2>"$T/shuffles.err"
rc_shuffles=$?
expect_eq train_themes_refuses_shuffles \
    "$rc_shuffles:$(grep -c -- '--shuffles is for sentiment models' "$T/shuffles.err")" "2:1"
expect_eq train_themes_names_an_unknown_theme_with_its_row \
    "$rc:$(grep -c "bad-theme.tsv: row x1: theme 'slowness' is not one of the lexicons' themes" "$T/bad-theme.err")" "1:1"

# model_theme_evidence NAME ROW TAGGED WORD [NEUTRAL]: trains a theme model on 20 made-up
# "waiting" rows, each "ROW, day N", and 20 neutral ones (NEUTRAL, default "the weather is
# mild today"), tags TAGGED with it and prints the start offsets of the theme evidence whose
# text holds WORD
model_theme_evidence () {
    local name=$1 row=$2 tagged=$3 word=$4 neutral=${5:-the weather is mild today}
    printf 'id\tlabel\ttext\ttheme\n' >"$T/$name.tsv"
    for i in $(seq 1 20); do
        printf 'w%s\tneg\t%s, day %s\twaiting\n' "$i" "$row" "$i"
        printf 'n%s\tneu\t%s, day %s\t\n' "$i" "$neutral" "$i"
    done >>"$T/$name.tsv"
    "$KULAK" train --themes --lang en -o "$T/$name.themes" "$T/$name.tsv" >/dev/null 2>&1
    echo "$tagged" | "$KULAK" tag --themes-en "$T/$name.themes" >"$T/$name.json" 2>&1
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(sorted(e["start"] for t in r["theme_evidence"] for e in t["evidence"] if sys.argv[2] in e["text"].lower()))' \
        "$T/$name.json" "$word" 2>&1
}

# a negated word's evidence is where it is negated: "glorping" (made up) only counts for the
# theme after "not", so the evidence is the second "glorping", not the first
expect_eq tag_evidence_of_a_negated_word_is_the_negated_one \
    "$(model_theme_evidence negated "the zibble is not glorping" \
        "glorping all morning, and now the zibble is not glorping" glorping)" "[48]"

# a word's evidence is never inside a lexicon phrase, whose words speak through the phrase's
# feature only: "fed" of "fed up" did not give the model's "fed", the second "fed" did
expect_eq tag_evidence_of_a_word_is_outside_lexicon_phrases \
    "$(model_theme_evidence phrase "the zibble fed the glorp" \
        "I am fed up, the zibble fed the glorp" fed)" "[24]"

# nor is a word's evidence a stopword, which gives no word feature: "w:in" came from "ins"
expect_eq tag_evidence_of_a_word_is_no_stopword \
    "$(model_theme_evidence stopword "the zibble ins" "in time the zibble ins" in)" "[19]"

# a bigram's evidence is two words of one sentence, as the feature is: not "zibble. Glorp"
expect_eq tag_evidence_of_a_bigram_stays_in_its_sentence \
    "$(model_theme_evidence bigram "zibble glorp" "my zibble. Glorp came, then zibble glorp" \
        "zibble glorp" "the zibble and the glorp sleep")" "[28]"

# ---- kulak eval --map: a map with or without its header, and a broken line named ------------

printf 'id\tlabel\ttext\ttheme\n' >"$T/categories.tsv"
for i in $(seq 1 5); do
    printf 'h%s\tneg\tthat trombone tune again, minute %s\tHold Music\n' "$i" "$i"
done >>"$T/categories.tsv"
printf 'Hold Music\twaiting\n' >"$T/map-no-header.tsv"
"$KULAK" eval --map "$T/map-no-header.tsv" "$T/categories.tsv" >"$T/map-no-header.out" 2>&1
expect_eq eval_map_without_header_keeps_its_first_line \
    "$(grep -c '^themes (5 rows with an expected theme' "$T/map-no-header.out")" 1
# a byte order mark and a space after the category, as spreadsheets save them
printf '\357\273\277Hold Music \twaiting\n' >"$T/map-bom.tsv"
"$KULAK" eval --map "$T/map-bom.tsv" "$T/categories.tsv" >"$T/map-bom.out" 2>&1
expect_eq eval_map_with_bom_and_spaces_reads_its_categories \
    "$(grep -c '^themes (5 rows with an expected theme' "$T/map-bom.out")" 1
printf 'category\tthemes\nHold Music waiting\n' >"$T/map-broken.tsv"
"$KULAK" eval --map "$T/map-broken.tsv" "$T/categories.tsv" >"$T/map-broken.out" 2>&1
rc=$?
expect_eq eval_map_names_a_line_without_tab \
    "$rc:$(grep -c 'map-broken.tsv:2: expected a category, a TAB and its theme ids' "$T/map-broken.out")" \
    "1:1"

# ---- kulak eval --errors: rows whose themes were wrong, most wrong first, with evidence -------

# lexicons alone (--model none), so what is found is the lexicons' and never moves
printf 'id\tlabel\ttext\ttheme\n' >"$T/theme-errors.tsv"
printf 't1\tneg\tthe parcel arrived three weeks late\tdelay\n' >>"$T/theme-errors.tsv"
printf 't2\tneu\tthe sky was blue over the harbour\twaiting\n' >>"$T/theme-errors.tsv"
printf 't3\tneg\tthe parcel arrived three weeks late, again\tbilling\n' >>"$T/theme-errors.tsv"
"$KULAK" eval --model none --errors 5 "$T/theme-errors.tsv" >"$T/theme-errors.out" 2>&1
# t3 (billing missed, delay given: two wrong) before t2 (waiting missed); t1 is right
expect_eq eval_errors_lists_theme_mistakes_most_wrong_first \
    "$(sed -n '/^theme mistakes/,$p' "$T/theme-errors.out" | sed -n '1p;2s/:.*//p;3s/:.*//p')" \
    "theme mistakes (2 rows; most wrong themes first: expected, then found with its evidence)
  t3 expected billing, found delay (\"arrived three weeks late\")
  t2 expected waiting, found none"
# a category mapped to two ids wants one of them
printf 'id\tlabel\ttext\ttheme\nc1\tneg\tthe parcel arrived three weeks late\tParcels\n' \
    >"$T/theme-errors-map.tsv"
printf 'Parcels\tbilling,waiting\n' >"$T/theme-errors-map.map"
"$KULAK" eval --model none --errors 5 --map "$T/theme-errors-map.map" "$T/theme-errors-map.tsv" \
    >"$T/theme-errors-map.out" 2>&1
expect_eq eval_errors_says_a_categorys_ids_are_alternatives \
    "$(grep -c '^  c1 expected one of billing,waiting, found delay' "$T/theme-errors-map.out")" 1

# ---- kulak eval: cross-validation folds keep a text's variants together ----------------------

# Six variants of one made-up sentence ("zorblax" is in no lexicon), differing only in case and
# punctuation, as the VADER tweets hold them. Split between folds, each would be scored by a
# model that learnt the word from its siblings; kept in one fold, none can be.
printf 'id\tlabel\ttext\n' >"$T/variants.tsv"
for i in $(seq 1 30); do
    printf 'p%s\tpos\tthe staff were lovely and kind, visit %s\n' "$i" "$i"
    printf 'n%s\tneu\tthe shop opens at nine on day %s\n' "$i" "$i"
done >>"$T/variants.tsv"
i=0
for v in "the zorblax came" "The zorblax came!" "THE ZORBLAX CAME" "the zorblax came..." \
         "The Zorblax came!!" "the zorblax, came"; do
    i=$((i + 1))
    printf 'z%s\tneg\t%s\n' "$i" "$v"
done >>"$T/variants.tsv"
"$KULAK" train --lang en -o "$T/variants.model" "$T/variants.tsv" >/dev/null 2>"$T/variants.err"
# FILE.tsv: how many z rows eval cross-validated, and how many of them the model called neg
z_rows_cv_and_neg () {
    "$KULAK" eval --model-en "$T/variants.model" --predictions - "$1" 2>>"$T/variants.err" \
        | awk -F'\t' '$2 ~ /^z/ && $7 == "cv" { n++; if ($4 == "neg") leaked++ }
                      END { print n + 0, leaked + 0 }'
}
expect_eq eval_keeps_variants_of_a_text_in_one_fold \
    "$(z_rows_cv_and_neg "$T/variants.tsv")" "6 0" "$(tail -2 "$T/variants.err")"
# an edited copy of the training file (other punctuation on the variants): the training
# file's variants of a scored row do not train the models that score it either
{ grep -v '^z' "$T/variants.tsv"; printf 'z1\tneg\tthe zorblax came.\nz2\tneg\tThe Zorblax Came\n'; } \
    >"$T/variants-edited.tsv"
expect_eq eval_keeps_a_training_files_variants_out_of_an_edited_copys_folds \
    "$(z_rows_cv_and_neg "$T/variants-edited.tsv")" "2 0" "$(tail -2 "$T/variants.err")"

# ---- kulak eval --predictions ----------------------------------------------------------------

# on stdout (-) the rows stay a clean TSV for a pipe: the report goes to stderr
"$KULAK" eval --predictions - tests/fixtures/tagging_tr.tsv >"$T/pred.tsv" 2>"$T/pred.err"
rc=$?
ragged=$(awk -F'\t' 'NF != 7' "$T/pred.tsv" | head -2 | tr '\n' ' ')
if [ "$rc" -eq 0 ] && [ -z "$ragged" ] && grep -q 'macro-F1' "$T/pred.err"; then
    pass eval_predictions_on_stdout_are_only_rows
else
    fail eval_predictions_on_stdout_are_only_rows "exit $rc; lines without 7 fields: $ragged"
fi
# a write error is an error, also on stdout
"$KULAK" eval --predictions - tests/fixtures/tagging_tr.tsv >/dev/full 2>"$T/pred-full.err"
rc=$?
if [ "$rc" -ne 0 ] && grep -qi 'space' "$T/pred-full.err"; then
    pass eval_predictions_write_error_fails
else
    fail eval_predictions_write_error_fails "exit $rc, said: $(head -2 "$T/pred-full.err" | tr '\n' ' ')"
fi
# --predictions naming one of the input files would truncate it before it is read
cp tests/fixtures/tagging_tr.tsv "$T/labelled.tsv"
"$KULAK" eval --predictions "$T/labelled.tsv" "$T/labelled.tsv" >/dev/null 2>"$T/pred-same.err"
rc=$?
if [ "$rc" -ne 0 ] && cmp -s tests/fixtures/tagging_tr.tsv "$T/labelled.tsv" \
        && grep -q 'labelled.tsv' "$T/pred-same.err"; then
    pass eval_predictions_never_overwrite_an_input
else
    fail eval_predictions_never_overwrite_an_input "exit $rc, said: $(head -2 "$T/pred-same.err" | tr '\n' ' ')"
fi

# bench/neutral_ceiling.awk leaves out what the report leaves out: rows that trained the
# model, rows without a gold label, and the header of each file
printf '%s\t%s\t%s\t%s\t0\t\t%s\n' file id gold predicted scored_by \
    f a pos pos cv  f b neg neg cv  f c neu neu cv  f d neu pos training  f e unk pos cv \
    >"$T/rows.tsv"
ceiling=$(awk -f bench/neutral_ceiling.awk "$T/rows.tsv" "$T/rows.tsv" | grep -o '[0-9.]*$')
expect_eq neutral_ceiling_skips_training_rows "$ceiling" 1.000 "macro-F1 of a set all right"

# ---- CLI errors say what to do ----------------------------------------------------------------

will_serve "$T/err1.db"
"$KULAK" run --db "$T/err1.db" examples/no_such_file.csv >"$T/err1.out" 2>&1
rc=$?
# the message names the file and why it cannot be read (so the user knows to fix the path)
if [ "$rc" -ne 0 ] && grep -q 'no_such_file.csv' "$T/err1.out" \
        && grep -qi 'no such file\|does not exist\|not found\|missing' "$T/err1.out"; then
    pass run_missing_file_fails_clearly
else
    fail run_missing_file_fails_clearly "exit $rc, said: $(head -3 "$T/err1.out" | tr '\n' ' ') (expected the file and the reason, e.g. 'No such file or directory')"
fi

will_serve "$T/err2.db"
timeout 60 "$KULAK" run --db "$T/err2.db" --map bogus examples/social.jsonl >"$T/err2.out" 2>&1
rc=$?
if [ "$rc" -ne 0 ] && grep -q -- '--map' "$T/err2.out" && grep -qi 'field=\|text=' "$T/err2.out"; then
    pass run_bad_map_fails_clearly
else
    fail run_bad_map_fails_clearly "exit $rc, said: $(head -3 "$T/err2.out" | tr '\n' ' ')"
fi

"$KULAK" digest --db /nonexistent >"$T/err3.out" 2>&1
rc=$?
if [ "$rc" -ne 0 ] && grep -q '/nonexistent' "$T/err3.out" && grep -q 'kulak run' "$T/err3.out"; then
    pass digest_missing_db_fails_clearly
else
    fail digest_missing_db_fails_clearly "exit $rc, said: $(head -3 "$T/err3.out" | tr '\n' ' ')"
fi

finish
