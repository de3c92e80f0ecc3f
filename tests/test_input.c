/*  test_input.c: reading CSV and JSON Lines feedback files into records and quarantine
    entries (input.h), on the files tests/fixtures/input_*. */
#include "check.h"
#include "fixture.h"
#include "kulak/input.h"
#include "kulak/util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    kulak_record_t *items [64];
    size_t count;
    int end;                     /* what kulak_input_next returned last: 0 or -1 */
    char *err;
    char *path;
} read_t;

/* Reads a whole fixture; every record and quarantine entry in order. */
static void
read_all (const char *name, const kulak_input_options_t *options, read_t *out)
{
    memset (out, 0, sizeof *out);
    out->path = fixture (name);
    kulak_input_options_t defaults = { 0 };
    kulak_input_t *input = kulak_input_open (out->path, options ? options : &defaults, &out->err);
    if (!input) {
        out->end = -1;
        return;
    }
    kulak_record_t *record;
    int rc;
    while ((rc = kulak_input_next (input, &record, &out->err)) == 1) {
        if (out->count < 64)
            out->items [out->count++] = record;
        else
            kulak_record_destroy (&record);
    }
    out->end = rc;
    kulak_input_close (&input);
}

static void
read_free (read_t *r)
{
    for (size_t i = 0; i < r->count; i++)
        kulak_record_destroy (&r->items [i]);
    free (r->err);
    free (r->path);
}

/* Checks a quarantine entry: reason names "<path>:<line>" and holds each of `parts`. */
static void
check_quarantine (const read_t *r, size_t index, int line, const char *const *parts, int at)
{
    const kulak_record_t *q = index < r->count ? r->items [index] : NULL;
    char *where = kulak_sprintf ("%s:%d", r->path, line);
    bool ok = q && q->quarantine_reason && strncmp (q->quarantine_reason, where, strlen (where)) == 0
           && q->quarantine_reason [strlen (where)] == ':' && q->origin
           && strcmp (q->origin, where) == 0 && q->text != NULL;
    for (const char *const *p = parts; ok && *p; p++)
        ok = strstr (q->quarantine_reason, *p) != NULL;
    if (!ok) {
        if (!check_failures_in_test++)
            printf ("FAIL %s: %s:%d: item %zu: expected quarantine at %s, got %s\n", check_current,
                    __FILE__, at, index, where, q ? (q->quarantine_reason ? q->quarantine_reason
                                                       : "a record") : "nothing");
        else
            printf ("     also %s:%d: item %zu: expected quarantine at %s, got %s\n", __FILE__, at,
                    index, where, q ? (q->quarantine_reason ? q->quarantine_reason : "a record")
                                    : "nothing");
    }
    free (where);
}
#define CHECK_QUARANTINE(r, index, line, ...) do { \
    const char *check_parts [] = { __VA_ARGS__, NULL }; \
    check_quarantine (r, index, line, check_parts, __LINE__); \
} while (0)

static bool
is_record (const read_t *r, size_t index)
{
    return index < r->count && !r->items [index]->quarantine_reason;
}

/* ---- CSV ----------------------------------------------------------------------------- */

TEST (test_csv_header_aliases_and_times)
{
    read_t r;
    read_all ("input_reviews_aliases.csv", NULL, &r);
    CHECK (r.end == 0);
    CHECK (r.count == 3);
    if (r.count == 3) {
        kulak_record_t *a = r.items [0], *b = r.items [1], *c = r.items [2];
        CHECK (is_record (&r, 0) && is_record (&r, 1) && is_record (&r, 2));
        CHECK_STR (a->external_id, "R-1");
        CHECK (a->rating == 5);
        CHECK_STR (a->text, "Harika ürün");
        CHECK_STR (a->time, "2026-03-14T07:22:00Z");            /* +03:00 to UTC */
        CHECK_STR (a->source, "google");
        CHECK_STR (a->customer, "C-1");
        CHECK (a->lang == KULAK_LANG_TR);
        CHECK (a->channel == KULAK_CHANNEL_REVIEW);             /* from the file name */
        CHECK (a->id [0] != 0);
        char *origin = kulak_sprintf ("%s:2", r.path);
        CHECK_STR (a->origin, origin);
        free (origin);
        CHECK_STR (b->text, "Terrible, never again");
        CHECK_STR (b->time, "2026-03-15T01:30:00Z");            /* -02:00 crosses midnight */
        CHECK (b->lang == KULAK_LANG_EN);
        CHECK (c->rating == 4);                                  /* "4.0" from a spreadsheet */
        CHECK_STR (c->time, "2026-03-14T10:22:00Z");            /* Unix seconds */
        CHECK_STR (c->source, "input_reviews_aliases");         /* empty: the file name */
        CHECK (c->lang == KULAK_LANG_UNKNOWN);
        CHECK (c->nps == -1 && c->csat == -1 && c->ces == -1);
    }
    read_free (&r);
}

TEST (test_map_wins_over_aliases)
{
    kulak_input_options_t options = { .map = "source=Language , text = Comment" };
    read_t r;
    read_all ("input_reviews_aliases.csv", &options, &r);
    CHECK (r.count == 3);
    if (r.count == 3) {
        CHECK_STR (r.items [0]->source, "tr");
        CHECK_STR (r.items [0]->text, "Harika ürün");
    }
    read_free (&r);
}

TEST (test_options_override_the_file)
{
    kulak_input_options_t options = { .channel = KULAK_CHANNEL_SOCIAL, .source = "manual",
                                      .lang = KULAK_LANG_EN };
    read_t r;
    read_all ("input_reviews_aliases.csv", &options, &r);
    CHECK (r.count == 3);
    for (size_t i = 0; i < r.count; i++) {
        CHECK (r.items [i]->channel == KULAK_CHANNEL_SOCIAL);
        CHECK_STR (r.items [i]->source, "manual");
        CHECK (r.items [i]->lang == KULAK_LANG_EN);
    }
    read_free (&r);
}

TEST (test_turkish_semicolon_export_with_bom_and_map)
{
    kulak_input_options_t options = { .map = "text=Görüşünüz,customer=Müşteri No" };
    read_t r;
    read_all ("input_export_tr.csv", &options, &r);
    CHECK (r.end == 0);
    CHECK (r.count == 4);
    if (r.count == 4) {
        for (size_t i = 0; i < 4; i++) {
            CHECK (is_record (&r, i));
            CHECK (r.items [i]->channel == KULAK_CHANNEL_SURVEY);   /* from the scores */
        }
        kulak_record_t *a = r.items [0];
        CHECK_STR (a->external_id, "48102");                     /* "Yanıt No" after the BOM */
        CHECK_STR (a->customer, "C-10087");
        CHECK_STR (a->time, "2026-03-14T10:22:00Z");
        CHECK (a->nps == 9);
        CHECK_STR (a->text, "Hızlı iade için teşekkürler.");
        /* a quoted field with the delimiter, doubled quotes and a line break */
        CHECK_STR (r.items [1]->text, "Kargo \"hızlı\" dediler;\nama 5 gün sürdü");
        CHECK (r.items [1]->nps == 3);
        char *origin = kulak_sprintf ("%s:3", r.path);
        CHECK_STR (r.items [1]->origin, origin);
        free (origin);
        /* a survey answer with scores and no comment is a record */
        CHECK (r.items [2]->nps == 7);
        CHECK (r.items [2]->text != NULL && r.items [2]->text [0] == 0);
        /* the row after the multi-line one knows its physical line */
        origin = kulak_sprintf ("%s:6", r.path);
        CHECK_STR (r.items [3]->origin, origin);
        free (origin);
        CHECK_STR (r.items [3]->time, "2026-03-17T12:30:00Z");
    }
    read_free (&r);
}

TEST (test_bad_rows_are_quarantined_and_reading_goes_on)
{
    read_t r;
    read_all ("input_reviews_bad.csv", NULL, &r);
    CHECK (r.end == 0);
    CHECK (r.count == 6);                          /* nothing is lost */
    if (r.count == 6) {
        CHECK (is_record (&r, 0));
        CHECK_STR (r.items [0]->time, "2026-03-01T00:00:00Z");
        CHECK_QUARANTINE (&r, 1, 3, "field rating", "'9'", "1-5");
        CHECK_QUARANTINE (&r, 2, 4, "5 fields", "4");
        CHECK_QUARANTINE (&r, 3, 5, "field text");
        CHECK_QUARANTINE (&r, 4, 6, "field time", "31.02.2026");
        CHECK (is_record (&r, 5));
        CHECK_STR (r.items [5]->text, "son satır da okunur");
        /* the raw row is kept for inspection */
        CHECK (r.items [1]->text && strstr (r.items [1]->text, "puan dokuz olamaz") != NULL);
        /* quarantine entries have ids too, distinct per row */
        CHECK (r.items [1]->id [0] && strcmp (r.items [1]->id, r.items [2]->id) != 0);
    }
    read_free (&r);
}

TEST (test_empty_text_reason_says_empty)
{
    /* The text column exists and this row's cell is empty: the reason should say so, not ask
       to name the column with --map. */
    read_t r;
    read_all ("input_reviews_bad.csv", NULL, &r);
    if (r.count == 6)
        CHECK_QUARANTINE (&r, 3, 5, "field text", "empty");
    else
        CHECK (r.count == 6);
    read_free (&r);
}

TEST (test_unterminated_quote_at_eof)
{
    read_t r;
    read_all ("input_reviews_open_quote.csv", NULL, &r);
    CHECK (r.end == 0);
    CHECK (r.count == 3);
    if (r.count == 3) {
        CHECK (is_record (&r, 0) && is_record (&r, 1));
        CHECK_STR (r.items [1]->text, "ikinci de iyi");
        CHECK_QUARANTINE (&r, 2, 4, "quote");
        /* what the quote swallowed is kept */
        CHECK (r.items [2]->text && strstr (r.items [2]->text, "bu satır da yutuldu") != NULL);
    }
    read_free (&r);
}

/* A stray quote in the middle of a row (libcsv would start a quoted field there and swallow
   the rows after it): that row alone goes to quarantine, as read, and the next rows come. */
TEST (test_stray_quote_quarantines_only_its_row)
{
    read_t r;
    read_all ("input_reviews_stray_quote.csv", NULL, &r);
    CHECK (r.end == 0);
    CHECK (r.count == 5);
    if (r.count == 5) {
        CHECK (is_record (&r, 0) && is_record (&r, 2) && is_record (&r, 4));
        CHECK_QUARANTINE (&r, 1, 3, "quote");
        CHECK_QUARANTINE (&r, 3, 5, "quote");
        CHECK_STR (r.items [1]->text, "r2,4,\"Harika\" dedim ama gelmedi");
        CHECK_STR (r.items [2]->text, "üçüncü satır");
        CHECK_STR (r.items [4]->text, "son satır");
    }
    read_free (&r);
}

TEST (test_windows_1254_csv)
{
    read_t r;
    read_all ("input_reviews_legacy.csv", NULL, &r);
    CHECK (r.count == 2);
    if (r.count == 2) {
        CHECK (is_record (&r, 0) && is_record (&r, 1));
        CHECK_STR (r.items [0]->text, "Ürün çok güzel, ışık ayarı mükemmel");
        CHECK_STR (r.items [1]->text, "İade süreci çok yavaş");
        CHECK_STR (r.items [0]->external_id, "L-1");               /* CRLF line ends */
    }
    read_free (&r);
}

TEST (test_no_channel_anywhere)
{
    read_t r;
    read_all ("input_unknown.csv", NULL, &r);
    CHECK (r.count == 2);
    CHECK_QUARANTINE (&r, 0, 2, "field channel", "--channel");
    CHECK_QUARANTINE (&r, 1, 3, "field channel");
    read_free (&r);
    kulak_input_options_t options = { .channel = KULAK_CHANNEL_AGENT_NOTE };
    read_all ("input_unknown.csv", &options, &r);
    CHECK (r.count == 2 && is_record (&r, 0) && r.items [0]->channel == KULAK_CHANNEL_AGENT_NOTE);
    read_free (&r);
}

TEST (test_pii_is_masked_on_input)
{
    /* personal data never reaches the spool */
    char path [] = "/tmp/kulak-input-XXXXXX.csv";
    int fd = mkstemps (path, 4);
    CHECK (fd >= 0);
    FILE *file = fdopen (fd, "w");
    fputs ("channel,text\nreview,beni 0532 123 45 67 numarasından arayın ali@example.com\n", file);
    fclose (file);
    kulak_input_options_t options = { 0 };
    char *err = NULL;
    kulak_input_t *input = kulak_input_open (path, &options, &err);
    CHECK (input != NULL);
    kulak_record_t *record = NULL;
    if (input) {
        CHECK (kulak_input_next (input, &record, &err) == 1);
        CHECK (record && record->channel == KULAK_CHANNEL_REVIEW);
        CHECK (record && strcmp (record->text, "beni [phone] numarasından arayın [email]") == 0);
        kulak_record_destroy (&record);
        CHECK (kulak_input_next (input, &record, &err) == 0);
    }
    kulak_record_destroy (&record);
    kulak_input_close (&input);
    CHECK (input == NULL);
    remove (path);
    free (err);
}

TEST (test_open_errors)
{
    kulak_input_options_t options = { 0 };
    char *err = NULL;
    kulak_input_t *input = kulak_input_open ("/nonexistent/reviews.csv", &options, &err);
    CHECK (input == NULL);
    CHECK (err && strstr (err, "/nonexistent/reviews.csv") != NULL);
    free (err);
    err = NULL;
    options.map = "text";
    char *path = fixture ("input_reviews_aliases.csv");
    input = kulak_input_open (path, &options, &err);
    CHECK (input == NULL);
    CHECK (err && strstr (err, "text") != NULL);
    free (err);
    free (path);

    err = NULL;
    CHECK (kulak_input_check_map ("text=Yorum,customer=Müşteri No", &err) == 0);
    CHECK (kulak_input_check_map ("", &err) == 0);
    CHECK (kulak_input_check_map ("txet=Yorum", &err) == -1);
    CHECK (err && strstr (err, "txet") != NULL);
    free (err);
    err = NULL;
    CHECK (kulak_input_check_map ("text=", &err) == -1);
    free (err);
    err = NULL;

    /* a CSV without a text or score column cannot be read at all */
    char tmp [] = "/tmp/kulak-input-XXXXXX.csv";
    int fd = mkstemps (tmp, 4);
    FILE *file = fdopen (fd, "w");
    fputs ("a,b\n1,2\n", file);
    fclose (file);
    options.map = NULL;
    input = kulak_input_open (tmp, &options, &err);
    CHECK (input != NULL);
    if (input) {
        kulak_record_t *record = NULL;
        CHECK (kulak_input_next (input, &record, &err) == -1);
        CHECK (err && strstr (err, "text") != NULL && strstr (err, tmp) != NULL);
        kulak_input_close (&input);
    }
    remove (tmp);
    free (err);
}

/* ---- JSON Lines ---------------------------------------------------------------------- */

TEST (test_jsonl)
{
    read_t r;
    read_all ("input_social.jsonl", NULL, &r);
    CHECK (r.end == 0);
    CHECK (r.count == 9);                          /* the blank line is no row */
    if (r.count == 9) {
        kulak_record_t *a = r.items [0];
        CHECK (is_record (&r, 0));                               /* after a BOM */
        CHECK_STR (a->external_id, "S-1");
        CHECK (a->channel == KULAK_CHANNEL_SOCIAL);              /* from the file name */
        CHECK_STR (a->author, "@deniz");
        CHECK_STR (a->time, "2026-03-03T05:12:00Z");
        CHECK_STR (a->text, "kargom 3 gündür şubede 😒");
        CHECK_QUARANTINE (&r, 1, 2, "column", "invalid JSON");
        CHECK_STR (r.items [1]->text, "{\"id\": \"S-2\", \"source\": \"twitter\", \"text\": \"bozuk satır\"");
        CHECK_QUARANTINE (&r, 2, 3, "array");
        CHECK_QUARANTINE (&r, 3, 4, "JSON");                    /* a bare string */
        CHECK_QUARANTINE (&r, 4, 6, "field text");
        kulak_record_t *e = r.items [5];
        CHECK (is_record (&r, 5));
        CHECK_STR (e->time, "2026-03-14T10:22:00Z");            /* a JSON number of seconds */
        CHECK (e->rating == 5);                                  /* "5" as a string */
        CHECK_STR (e->customer, "12345");                        /* a number as a key */
        CHECK_QUARANTINE (&r, 6, 8, "field text", "array");
        CHECK (is_record (&r, 7));
        CHECK (r.items [7]->channel == KULAK_CHANNEL_AGENT_NOTE); /* the field beats the name */
        CHECK_QUARANTINE (&r, 8, 10, "field channel", "fax");
    }
    read_free (&r);
}

TEST (test_from_json_object)
{
    json_error_t error;
    json_t *object = json_loads ("{\"Yorum\": \"Temsilci çok kabaydı\", \"Müşteri No\": \"C-5\","
                                 " \"tarih\": \"14.03.2026 10:22\"}", 0, &error);
    kulak_input_options_t options = { .map = "text=Yorum" };
    kulak_record_t *record = kulak_input_from_json (object, &options, KULAK_CHANNEL_AGENT_NOTE,
                                                    "note", "note");
    CHECK (record && !record->quarantine_reason);
    if (record) {
        CHECK_STR (record->text, "Temsilci çok kabaydı");
        CHECK_STR (record->customer, "C-5");
        CHECK_STR (record->time, "2026-03-14T10:22:00Z");
        CHECK (record->channel == KULAK_CHANNEL_AGENT_NOTE);
        CHECK_STR (record->source, "note");
        CHECK_STR (record->origin, "note");
    }
    kulak_record_destroy (&record);
    json_decref (object);

    object = json_loads ("{\"text\": \"iyi\", \"rating\": 0}", 0, &error);
    record = kulak_input_from_json (object, &options, KULAK_CHANNEL_REVIEW, "api", "note");
    CHECK (record && record->quarantine_reason
           && strstr (record->quarantine_reason, "field rating") != NULL);
    kulak_record_destroy (&record);
    json_decref (object);
}

TEST (test_json_empty_values_are_absent)
{
    /* As in CSV, where an empty cell is an absent value: a survey tool's JSON export writes
       "" for a question the customer skipped. */
    json_error_t error;
    json_t *object = json_loads ("{\"text\": \"güzel\", \"nps\": 8, \"csat\": \"\", "
                                 "\"time\": \"\", \"customer\": \"\"}", 0, &error);
    kulak_input_options_t options = { 0 };
    kulak_record_t *record = kulak_input_from_json (object, &options, KULAK_CHANNEL_SURVEY,
                                                    "api", "note");
    CHECK (record && !record->quarantine_reason);
    if (record && record->quarantine_reason)
        printf ("     (quarantined: %s)\n", record->quarantine_reason);
    if (record && !record->quarantine_reason) {
        CHECK (record->nps == 8 && record->csat == -1);
        CHECK (record->time == NULL);
    }
    kulak_record_destroy (&record);
    json_decref (object);
}

/* ---- time ---------------------------------------------------------------------------- */

static void
check_time (const char *text, const char *expected, int line)
{
    char out [21] = "";
    int rc = kulak_input_parse_time (text, out);
    bool ok = expected ? rc == 0 && strcmp (out, expected) == 0 : rc == -1;
    if (!ok) {
        if (!check_failures_in_test++)
            printf ("FAIL %s: %s:%d: time \"%s\" gave %d \"%s\", expected %s\n", check_current,
                    __FILE__, line, text, rc, out, expected ? expected : "-1");
        else
            printf ("     also %s:%d: time \"%s\" gave %d \"%s\", expected %s\n", __FILE__, line,
                    text, rc, out, expected ? expected : "-1");
    }
}
#define CHECK_TIME(text, expected) check_time (text, expected, __LINE__)

TEST (test_parse_time)
{
    CHECK_TIME ("14.03.2026 10:22", "2026-03-14T10:22:00Z");
    CHECK_TIME ("14.03.2026", "2026-03-14T00:00:00Z");
    CHECK_TIME ("4.3.2026 09:05:07", "2026-03-04T09:05:07Z");
    CHECK_TIME ("14/03/2026", "2026-03-14T00:00:00Z");
    CHECK_TIME ("03/14/2026", "2026-03-14T00:00:00Z");             /* American order */
    CHECK_TIME ("2026-03-14", "2026-03-14T00:00:00Z");
    CHECK_TIME ("2026-03-14T10:22:00Z", "2026-03-14T10:22:00Z");
    CHECK_TIME ("2026-03-14 10:22:00.123+03:00", "2026-03-14T07:22:00Z");
    CHECK_TIME ("2026-03-14T10:22:00+0530", "2026-03-14T04:52:00Z");
    CHECK_TIME ("2026-03-14T01:00:00+03:00", "2026-03-13T22:00:00Z"); /* day before in UTC */
    CHECK_TIME ("2026-03-14 10:22 UTC", "2026-03-14T10:22:00Z");
    CHECK_TIME ("  2026-03-14T10:22:00Z  ", "2026-03-14T10:22:00Z");
    CHECK_TIME ("1773483720", "2026-03-14T10:22:00Z");               /* Unix seconds */
    CHECK_TIME ("1773483720000", "2026-03-14T10:22:00Z");            /* milliseconds */
    CHECK_TIME ("Sat Mar 14 10:22:00 +0000 2026", "2026-03-14T10:22:00Z");
    CHECK_TIME ("29.02.2024", "2024-02-29T00:00:00Z");
    CHECK_TIME ("31.02.2026", NULL);
    CHECK_TIME ("29.02.2026", NULL);
    CHECK_TIME ("2026-13-01", NULL);
    CHECK_TIME ("2026-04-31", NULL);
    CHECK_TIME ("14.03.26", NULL);
    CHECK_TIME ("2026-03-14T25:00:00Z", NULL);
    CHECK_TIME ("2026-03-14T10:61", NULL);
    CHECK_TIME ("yesterday", NULL);
    CHECK_TIME ("", NULL);
    CHECK_TIME ("2026-03-14 garbage", NULL);
    CHECK_TIME ("12345", NULL);
}

int
main (void)
{
    RUN (test_csv_header_aliases_and_times);
    RUN (test_map_wins_over_aliases);
    RUN (test_options_override_the_file);
    RUN (test_turkish_semicolon_export_with_bom_and_map);
    RUN (test_bad_rows_are_quarantined_and_reading_goes_on);
    RUN (test_empty_text_reason_says_empty);
    RUN (test_unterminated_quote_at_eof);
    RUN (test_stray_quote_quarantines_only_its_row);
    RUN (test_windows_1254_csv);
    RUN (test_no_channel_anywhere);
    RUN (test_pii_is_masked_on_input);
    RUN (test_open_errors);
    RUN (test_jsonl);
    RUN (test_from_json_object);
    RUN (test_json_empty_values_are_absent);
    RUN (test_parse_time);
    return CHECK_RESULT ();
}
