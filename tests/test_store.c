/*  test_store.c: the SQLite store (store.h): schema on open, idempotent upserts, quarantine
    counting, read-only opens and schema versions, on a temporary database. */
#include "check.h"
#include "kulak/store.h"
#include "kulak/util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char s_dir [] = "/tmp/kulak-store-XXXXXX";

static char *
temp_db (const char *name)
{
    char *path = kulak_sprintf ("%s/%s", s_dir, name);
    unlink (path);
    return path;
}

/* The first column of the first row of `sql`, as text (caller frees), NULL when no row. */
static char *
query_text (sqlite3 *db, const char *sql)
{
    sqlite3_stmt *stmt = NULL;
    char *out = NULL;
    if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK
        && sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0))
        out = kulak_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
    return out;
}

static long long
query_int (sqlite3 *db, const char *sql)
{
    char *text = query_text (db, sql);
    long long n = text ? atoll (text) : -1;
    free (text);
    return n;
}

static kulak_record_t *
review (const char *xid, const char *text)
{
    kulak_record_t *r = kulak_record_new ();
    r->channel = KULAK_CHANNEL_REVIEW;
    r->source = kulak_strdup ("google");
    r->external_id = kulak_strdup (xid);
    r->customer = kulak_strdup ("C-1");
    r->time = kulak_strdup ("2026-03-14T10:22:00Z");
    r->lang = KULAK_LANG_TR;
    r->rating = 1;
    r->text = kulak_strdup (text);
    r->norm_text = kulak_strdup (text);
    r->tagged = true;
    r->sentiment = -0.8f;
    r->label = KULAK_LABEL_NEG;
    r->complaint = true;
    kulak_record_make_id (r);
    return r;
}

TEST (test_open_creates_schema)
{
    char *path = temp_db ("schema.db");
    char *err = NULL;
    kulak_store_t *store = kulak_store_open (path, false, &err);
    CHECK (store != NULL);
    CHECK (err == NULL);
    if (store) {
        sqlite3 *db = kulak_store_db (store);
        CHECK (query_int (db, "PRAGMA user_version") == KULAK_SCHEMA_VERSION);
        char *mode = query_text (db, "PRAGMA journal_mode");
        CHECK_STR (mode, "wal");
        free (mode);
        CHECK (query_int (db, "SELECT count (*) FROM sqlite_master WHERE name IN ('records',"
                              " 'record_themes', 'themes', 'quarantine')") == 4);
        CHECK (query_int (db, "SELECT count (*) FROM records") == 0);
    }
    kulak_store_close (&store);
    CHECK (store == NULL);
    kulak_store_close (&store);

    /* opening again keeps the data and the version (no migration runs twice) */
    store = kulak_store_open (path, false, &err);
    CHECK (store != NULL);
    if (store)
        CHECK (query_int (kulak_store_db (store), "PRAGMA user_version") == KULAK_SCHEMA_VERSION);
    kulak_store_close (&store);
    free (err);
    free (path);
}

TEST (test_put_new_then_update)
{
    char *path = temp_db ("upsert.db");
    char *err = NULL;
    kulak_store_t *store = kulak_store_open (path, false, &err);
    CHECK (store != NULL);
    if (!store) {
        free (err);
        free (path);
        return;
    }
    sqlite3 *db = kulak_store_db (store);
    kulak_record_t *r = review ("R-1", "Faturam yanlış ve kimse aramadı");
    kulak_theme_hit_t *hit = kulak_record_add_theme (r, "billing");
    hit->label = KULAK_LABEL_NEG;
    hit->sentiment = -0.6f;
    kulak_evidence_push (&hit->evidence, &hit->evidence_count, 0, 7, 1.0f, "Faturam");
    hit = kulak_record_add_theme (r, "waiting");
    hit->label = KULAK_LABEL_NEG;
    kulak_evidence_push (&r->sentiment_evidence, &r->sentiment_evidence_count, 8, 14, -2.5f,
                         "yanlış");
    kulak_stored_t status = 0;
    CHECK (kulak_store_begin (store, &err) == 0);
    CHECK (kulak_store_put (store, r, &status, &err) == 0);
    CHECK (kulak_store_commit (store, &err) == 0);
    CHECK (status == KULAK_STORED_NEW);
    CHECK (query_int (db, "SELECT count (*) FROM records") == 1);
    CHECK (query_int (db, "SELECT count (*) FROM record_themes") == 2);
    char *value = query_text (db, "SELECT channel || '|' || lang || '|' || rating || '|' ||"
                                  " label || '|' || complaint || '|' || customer FROM records");
    CHECK_STR (value, "review|tr|1|neg|1|C-1");
    free (value);
    CHECK (query_int (db, "SELECT nps IS NULL AND csat IS NULL AND ces IS NULL FROM records") == 1);
    value = query_text (db, "SELECT evidence FROM record_themes WHERE theme = 'billing'");
    CHECK (value && strstr (value, "\"Faturam\"") && strstr (value, "\"start\":0"));
    free (value);
    value = query_text (db, "SELECT sentiment_evidence FROM records");
    CHECK (value && strstr (value, "yanlış") != NULL);
    free (value);

    /* the same review edited and re-tagged: same id, one row, themes replaced */
    kulak_record_t *again = review ("R-1", "Faturam düzeldi, teşekkürler");
    again->label = KULAK_LABEL_POS;
    again->complaint = false;
    kulak_record_add_theme (again, "billing")->label = KULAK_LABEL_POS;
    CHECK_STR (again->id, r->id);
    CHECK (kulak_store_put (store, again, &status, &err) == 0);
    CHECK (status == KULAK_STORED_UPDATED);
    CHECK (query_int (db, "SELECT count (*) FROM records") == 1);
    CHECK (query_int (db, "SELECT count (*) FROM record_themes") == 1);
    value = query_text (db, "SELECT label || '|' || complaint || '|' || text FROM records");
    CHECK_STR (value, "pos|0|Faturam düzeldi, teşekkürler");
    free (value);
    value = query_text (db, "SELECT theme || '|' || label FROM record_themes");
    CHECK_STR (value, "billing|pos");
    free (value);
    CHECK (query_int (db, "SELECT first_stored <= last_stored FROM records") == 1);

    /* a second delivery of the same record adds nothing */
    CHECK (kulak_store_put (store, again, &status, &err) == 0);
    CHECK (status == KULAK_STORED_UPDATED);
    CHECK (query_int (db, "SELECT count (*) FROM records") == 1);
    CHECK (query_int (db, "SELECT count (*) FROM record_themes") == 1);

    /* a different record is new */
    kulak_record_t *other = review ("R-2", "Berbat");
    CHECK (kulak_store_put (store, other, &status, &err) == 0);
    CHECK (status == KULAK_STORED_NEW);
    CHECK (query_int (db, "SELECT count (*) FROM records") == 2);

    kulak_record_destroy (&r);
    kulak_record_destroy (&again);
    kulak_record_destroy (&other);
    kulak_store_close (&store);
    free (err);
    free (path);
}

TEST (test_rollback_discards_batch)
{
    char *path = temp_db ("rollback.db");
    char *err = NULL;
    kulak_store_t *store = kulak_store_open (path, false, &err);
    CHECK (store != NULL);
    if (store) {
        kulak_record_t *r = review ("R-9", "geç geldi");
        kulak_stored_t status;
        CHECK (kulak_store_begin (store, &err) == 0);
        CHECK (kulak_store_put (store, r, &status, &err) == 0);
        kulak_store_rollback (store);
        CHECK (query_int (kulak_store_db (store), "SELECT count (*) FROM records") == 0);
        kulak_record_destroy (&r);
    }
    kulak_store_close (&store);
    free (err);
    free (path);
}

TEST (test_quarantine_counted_not_duplicated)
{
    char *path = temp_db ("quarantine.db");
    char *err = NULL;
    kulak_store_t *store = kulak_store_open (path, false, &err);
    CHECK (store != NULL);
    if (store) {
        sqlite3 *db = kulak_store_db (store);
        kulak_record_t *q = kulak_record_new ();
        q->origin = kulak_strdup ("reviews.csv:12");
        q->text = kulak_strdup ("\"B-2\",\"9\",\"puan dokuz\"");
        q->quarantine_reason = kulak_strdup ("reviews.csv:12: field rating: '9' is outside 1-5");
        kulak_record_make_id (q);
        kulak_stored_t status = 0;
        CHECK (kulak_store_put (store, q, &status, &err) == 0);
        CHECK (status == KULAK_STORED_QUARANTINED);
        CHECK (kulak_store_put (store, q, &status, &err) == 0);
        CHECK (status == KULAK_STORED_QUARANTINED);
        CHECK (query_int (db, "SELECT count (*) FROM quarantine") == 1);
        CHECK (query_int (db, "SELECT times_seen FROM quarantine") == 2);
        CHECK (query_int (db, "SELECT count (*) FROM records") == 0);
        char *value = query_text (db, "SELECT origin || ' ' || reason FROM quarantine");
        CHECK_STR (value, "reviews.csv:12 reviews.csv:12: field rating: '9' is outside 1-5");
        free (value);
        value = query_text (db, "SELECT CAST (raw AS TEXT) FROM quarantine");
        CHECK_STR (value, q->text);
        free (value);
        kulak_record_destroy (&q);
    }
    kulak_store_close (&store);
    free (err);
    free (path);
}

TEST (test_read_only_open_of_missing_file)
{
    char *path = temp_db ("missing.db");
    char *err = NULL;
    kulak_store_t *store = kulak_store_open (path, true, &err);
    CHECK (store == NULL);
    CHECK (err && strstr (err, path) != NULL);
    CHECK (err && strstr (err, "run") != NULL && strstr (err, "kulak") != NULL);
    CHECK (access (path, F_OK) != 0);              /* and it did not create one */
    free (err);
    free (path);
}

TEST (test_read_only_open_of_a_store)
{
    char *path = temp_db ("readonly.db");
    char *err = NULL;
    kulak_store_t *store = kulak_store_open (path, false, &err);
    kulak_record_t *r = review ("R-1", "kargo gecikti");
    kulak_stored_t status;
    CHECK (store && kulak_store_put (store, r, &status, &err) == 0);
    kulak_store_close (&store);
    store = kulak_store_open (path, true, &err);
    CHECK (store != NULL);
    if (store)
        CHECK (query_int (kulak_store_db (store), "SELECT count (*) FROM records") == 1);
    kulak_store_close (&store);
    kulak_record_destroy (&r);
    free (err);
    free (path);
}

TEST (test_newer_schema_is_refused)
{
    char *path = temp_db ("newer.db");
    sqlite3 *db = NULL;
    CHECK (sqlite3_open (path, &db) == SQLITE_OK);
    CHECK (sqlite3_exec (db, "CREATE TABLE records (id TEXT); PRAGMA user_version = 99;", NULL,
                         NULL, NULL) == SQLITE_OK);
    sqlite3_close (db);
    char *err = NULL;
    kulak_store_t *store = kulak_store_open (path, false, &err);
    CHECK (store == NULL);
    CHECK (err && strstr (err, "99") != NULL && strstr (err, "upgrade") != NULL);
    free (err);
    err = NULL;
    store = kulak_store_open (path, true, &err);
    CHECK (store == NULL);
    CHECK (err != NULL);
    free (err);
    /* the refused database is left as it was */
    CHECK (sqlite3_open (path, &db) == SQLITE_OK);
    CHECK (query_int (db, "PRAGMA user_version") == 99);
    sqlite3_close (db);
    free (path);
}

TEST (test_read_only_refuses_a_foreign_database)
{
    char *path = temp_db ("foreign.db");
    sqlite3 *db = NULL;
    CHECK (sqlite3_open (path, &db) == SQLITE_OK);
    CHECK (sqlite3_exec (db, "CREATE TABLE t (x);", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close (db);
    char *err = NULL;
    kulak_store_t *store = kulak_store_open (path, true, &err);
    CHECK (store == NULL);
    CHECK (err && strstr (err, "not a kulak database") != NULL);
    free (err);
    free (path);
}

TEST (test_put_themes)
{
    char *path = temp_db ("themes.db");
    char *err = NULL;
    kulak_store_t *store = kulak_store_open (path, false, &err);
    CHECK (store != NULL);
    if (store) {
        kulak_theme_info_t info [2] = {
            { "billing", "Fatura", "Billing" }, { "waiting", "Bekleme", "Waiting" }
        };
        kulak_lexicon_t lexicon = { .theme_info = info, .theme_count = 2 };
        CHECK (kulak_store_put_themes (store, &lexicon, &err) == 0);
        info [0].name_en = "Billing and charges";
        CHECK (kulak_store_put_themes (store, &lexicon, &err) == 0);      /* renamed */
        sqlite3 *db = kulak_store_db (store);
        CHECK (query_int (db, "SELECT count (*) FROM themes") == 2);
        char *name = query_text (db, "SELECT name_en FROM themes WHERE id = 'billing'");
        CHECK_STR (name, "Billing and charges");
        free (name);
    }
    kulak_store_close (&store);
    free (err);
    free (path);
}

int
main (void)
{
    if (!mkdtemp (s_dir)) {
        printf ("FAIL setup: cannot create a temporary folder\n");
        return 1;
    }
    RUN (test_open_creates_schema);
    RUN (test_put_new_then_update);
    RUN (test_rollback_discards_batch);
    RUN (test_quarantine_counted_not_duplicated);
    RUN (test_read_only_open_of_missing_file);
    RUN (test_read_only_open_of_a_store);
    RUN (test_newer_schema_is_refused);
    RUN (test_read_only_refuses_a_foreign_database);
    RUN (test_put_themes);
    char *cmd = kulak_sprintf ("rm -rf '%s'", s_dir);
    if (system (cmd) != 0)
        printf ("(could not remove %s)\n", s_dir);
    free (cmd);
    return CHECK_RESULT ();
}
