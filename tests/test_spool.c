/*  test_spool.c: collect's durable hand-off (spool.h): add, send in order, ack, reset after a
    restart, resend of records nobody acknowledged, back-pressure, durability across close and
    reopen, and the record of ingested files. */
#include "check.h"
#include "kulak/spool.h"
#include "kulak/util.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char s_dir [] = "/tmp/kulak-spool-XXXXXX";

static char *
temp_spool (const char *name)
{
    char *path = kulak_sprintf ("%s/%s", s_dir, name);
    unlink (path);
    return path;
}

static kulak_record_t *
note (int n)
{
    kulak_record_t *r = kulak_record_new ();
    r->channel = KULAK_CHANNEL_AGENT_NOTE;
    r->source = kulak_strdup ("call_center");
    r->external_id = kulak_sprintf ("N-%d", n);
    r->text = kulak_sprintf ("not %d", n);
    kulak_record_make_id (r);
    return r;
}

/* A fresh spool in a temporary folder; NULL (a failed check) when it cannot be opened. */
static kulak_spool_t *
open_spool (const char *name, char **path)
{
    char *err = NULL;
    *path = temp_spool (name);
    kulak_spool_t *spool = kulak_spool_open (*path, &err);
    CHECK (spool != NULL);
    if (!spool) {
        printf ("     (%s)\n", err ? err : "?");
        kulak_free_str (path);
    }
    free (err);
    return spool;
}

/* What the send callback saw. */
typedef struct {
    char ids [16][KULAK_ID_LEN + 1];
    int attempts [16];
    char *texts [16];
    size_t count;
    size_t refuse_after;         /* return -1 once this many went out */
} sent_t;

static int
on_send (const char *id, const void *payload, size_t len, int attempts, void *arg)
{
    sent_t *sent = arg;
    if (sent->count >= sent->refuse_after || sent->count >= 16)
        return -1;
    snprintf (sent->ids [sent->count], KULAK_ID_LEN + 1, "%s", id);
    sent->attempts [sent->count] = attempts;
    /* the payload is the record's wire form */
    kulak_record_t *record = NULL;
    char *err = NULL;
    if (kulak_record_decode (payload, len, &record, &err) == 0)
        sent->texts [sent->count] = kulak_strdup (record->text);
    kulak_record_destroy (&record);
    free (err);
    sent->count++;
    return 0;
}

static void
sent_reset (sent_t *sent)
{
    for (size_t i = 0; i < sent->count; i++)
        free (sent->texts [i]);
    memset (sent, 0, sizeof *sent);
    sent->refuse_after = 1000;
}

/* Opens the spool file from outside, as a second process would, and runs `sql`. */
static void
poke (const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    CHECK (sqlite3_open (path, &db) == SQLITE_OK);
    CHECK (sqlite3_exec (db, sql, NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close (db);
}

/* One test's spool holding `count` notes numbered from `first`, what was sent, and what
   to clean up. */
typedef struct {
    char *path;
    char *err;
    kulak_spool_t *spool;
    kulak_record_t *records [5];
    int count;
    sent_t sent;
} fixture_t;

static bool
fixture_open (fixture_t *f, const char *name, int first, int count)
{
    memset (f, 0, sizeof *f);
    sent_reset (&f->sent);
    f->spool = open_spool (name, &f->path);
    if (!f->spool)
        return false;
    for (int i = 0; i < count; i++)
        f->records [i] = note (first + i);
    f->count = count;
    if (count)
        CHECK (kulak_spool_add (f->spool, f->records, (size_t) count, &f->err) == 0);
    return true;
}

static void
fixture_close (fixture_t *f)
{
    sent_reset (&f->sent);
    for (int i = 0; i < f->count; i++)
        kulak_record_destroy (&f->records [i]);
    kulak_spool_close (&f->spool);
    free (f->err);
    free (f->path);
}

TEST (test_add_send_ack)
{
    fixture_t f;
    if (!fixture_open (&f, "basic.db", 1, 3))
        return;
    CHECK (kulak_spool_pending (f.spool) == 3);
    CHECK (kulak_spool_in_flight (f.spool) == 0);

    sent_reset (&f.sent);
    CHECK (kulak_spool_send (f.spool, 10, 60, on_send, &f.sent, &f.err) == 3);
    CHECK (f.sent.count == 3);
    for (size_t i = 0; i < 3 && i < f.sent.count; i++) {
        CHECK_STR (f.sent.ids [i], f.records [i]->id);              /* oldest first */
        CHECK (f.sent.attempts [i] == 0);
        CHECK_STR (f.sent.texts [i], f.records [i]->text);
    }
    CHECK (kulak_spool_in_flight (f.spool) == 3);
    CHECK (kulak_spool_pending (f.spool) == 3);                  /* not acknowledged yet */

    /* nothing new to send, and nothing old enough to resend */
    sent_reset (&f.sent);
    CHECK (kulak_spool_send (f.spool, 10, 60, on_send, &f.sent, &f.err) == 0);
    CHECK (f.sent.count == 0);

    const char *acked [2] = { f.records [0]->id, f.records [2]->id };
    CHECK (kulak_spool_ack (f.spool, acked, NULL, 2, &f.err) == 0);
    CHECK (kulak_spool_pending (f.spool) == 1);
    CHECK (kulak_spool_in_flight (f.spool) == 1);
    /* an ack for an unknown or already acked id is harmless */
    CHECK (kulak_spool_ack (f.spool, acked, NULL, 2, &f.err) == 0);
    CHECK (kulak_spool_pending (f.spool) == 1);
    const char *last [1] = { f.records [1]->id };
    CHECK (kulak_spool_ack (f.spool, last, NULL, 1, &f.err) == 0);
    CHECK (kulak_spool_pending (f.spool) == 0);

    kulak_spool_close (&f.spool);
    CHECK (f.spool == NULL);
    fixture_close (&f);
}

TEST (test_limit_and_back_pressure)
{
    fixture_t f;
    if (!fixture_open (&f, "limit.db", 10, 5))
        return;
    CHECK (kulak_spool_send (f.spool, 2, 60, on_send, &f.sent, &f.err) == 2);
    CHECK (f.sent.count == 2);
    CHECK (kulak_spool_in_flight (f.spool) == 2);

    /* the peer takes one more and then refuses: the rest stays unsent */
    sent_reset (&f.sent);
    f.sent.refuse_after = 1;
    CHECK (kulak_spool_send (f.spool, 10, 60, on_send, &f.sent, &f.err) == 1);
    CHECK (f.sent.count == 1);
    if (f.sent.count == 1)
        CHECK_STR (f.sent.ids [0], f.records [2]->id);
    CHECK (kulak_spool_in_flight (f.spool) == 3);

    /* the peer is back: the two that were refused go out, in order */
    sent_reset (&f.sent);
    CHECK (kulak_spool_send (f.spool, 10, 60, on_send, &f.sent, &f.err) == 2);
    CHECK (f.sent.count == 2);
    if (f.sent.count == 2) {
        CHECK_STR (f.sent.ids [0], f.records [3]->id);
        CHECK_STR (f.sent.ids [1], f.records [4]->id);
    }
    CHECK (kulak_spool_in_flight (f.spool) == 5);
    fixture_close (&f);
}

TEST (test_reset_after_restart)
{
    fixture_t f;
    if (!fixture_open (&f, "restart.db", 20, 2))
        return;
    CHECK (kulak_spool_send (f.spool, 10, 3600, on_send, &f.sent, &f.err) == 2);
    kulak_spool_close (&f.spool);                       /* the process dies with both in flight */

    f.spool = kulak_spool_open (f.path, &f.err);
    CHECK (f.spool != NULL);
    if (f.spool) {
        CHECK (kulak_spool_pending (f.spool) == 2);              /* durable */
        CHECK (kulak_spool_in_flight (f.spool) == 2);
        CHECK (kulak_spool_reset (f.spool, &f.err) == 0);
        CHECK (kulak_spool_in_flight (f.spool) == 0);
        sent_reset (&f.sent);
        CHECK (kulak_spool_send (f.spool, 10, 3600, on_send, &f.sent, &f.err) == 2);
        CHECK (f.sent.count == 2);
        if (f.sent.count == 2) {
            CHECK_STR (f.sent.ids [0], f.records [0]->id);
            CHECK (f.sent.attempts [0] == 1);                    /* the second attempt */
        }
        CHECK (kulak_spool_stuck (f.spool, 2) == 2);
        CHECK (kulak_spool_stuck (f.spool, 3) == 0);
    }
    fixture_close (&f);
}

TEST (test_resend_after)
{
    fixture_t f;
    if (!fixture_open (&f, "resend.db", 30, 2))
        return;
    CHECK (kulak_spool_send (f.spool, 10, 60, on_send, &f.sent, &f.err) == 2);
    /* the first was sent ten minutes ago and never acknowledged; the second just now */
    char *sql = kulak_sprintf ("UPDATE spool SET sent_at = sent_at - 600 WHERE id = '%s'",
                               f.records [0]->id);
    poke (f.path, sql);
    free (sql);
    sent_reset (&f.sent);
    CHECK (kulak_spool_send (f.spool, 10, 60, on_send, &f.sent, &f.err) == 1);
    CHECK (f.sent.count == 1);
    if (f.sent.count == 1) {
        CHECK_STR (f.sent.ids [0], f.records [0]->id);
        CHECK (f.sent.attempts [0] == 1);
    }
    sent_reset (&f.sent);
    CHECK (kulak_spool_send (f.spool, 10, 60, on_send, &f.sent, &f.err) == 0);   /* just resent */
    fixture_close (&f);
}

TEST (test_add_again_replaces_and_unsends)
{
    fixture_t f;
    if (!fixture_open (&f, "again.db", 40, 1))
        return;
    CHECK (kulak_spool_send (f.spool, 10, 3600, on_send, &f.sent, &f.err) == 1);
    /* the same record (same id) read again with new text: one entry, sent again */
    free (f.records [0]->text);
    f.records [0]->text = kulak_strdup ("düzeltilmiş not");
    CHECK (kulak_spool_add (f.spool, f.records, 1, &f.err) == 0);
    CHECK (kulak_spool_pending (f.spool) == 1);
    sent_reset (&f.sent);
    CHECK (kulak_spool_send (f.spool, 10, 3600, on_send, &f.sent, &f.err) == 1);
    if (f.sent.count == 1)
        CHECK_STR (f.sent.texts [0], "düzeltilmiş not");
    CHECK (kulak_spool_add (f.spool, NULL, 0, &f.err) == 0);
    fixture_close (&f);
}

/* An ack of an older version must not forget the newer version waiting behind it: the
   store stored the first text, the corrected one is still to be sent. */
TEST (test_ack_of_an_older_version_keeps_the_newer)
{
    fixture_t f;
    if (!fixture_open (&f, "versions.db", 50, 1))
        return;
    uint64_t first = f.records [0]->spool_version;
    CHECK (first != 0);
    sent_reset (&f.sent);
    CHECK (kulak_spool_send (f.spool, 10, 3600, on_send, &f.sent, &f.err) == 1);
    free (f.records [0]->text);
    f.records [0]->text = kulak_strdup ("corrected note");
    CHECK (kulak_spool_add (f.spool, f.records, 1, &f.err) == 0);
    uint64_t second = f.records [0]->spool_version;
    CHECK (second > first);
    const char *ids [1] = { f.records [0]->id };
    CHECK (kulak_spool_ack (f.spool, ids, &first, 1, &f.err) == 0);       /* the old one stored */
    CHECK (kulak_spool_pending (f.spool) == 1);
    sent_reset (&f.sent);
    CHECK (kulak_spool_send (f.spool, 10, 3600, on_send, &f.sent, &f.err) == 1);
    if (f.sent.count == 1)
        CHECK_STR (f.sent.texts [0], "corrected note");
    CHECK (kulak_spool_ack (f.spool, ids, &second, 1, &f.err) == 0);
    CHECK (kulak_spool_pending (f.spool) == 0);
    fixture_close (&f);
}

/* Records lost downstream fill the window; kulak_spool_resend still gives them back. */
TEST (test_resend_when_the_window_is_full)
{
    fixture_t f;
    if (!fixture_open (&f, "window.db", 60, 3))
        return;
    CHECK (kulak_spool_send (f.spool, 2, 3600, on_send, &f.sent, &f.err) == 2);   /* window of 2 */
    poke (f.path, "UPDATE spool SET sent_at = sent_at - 600 WHERE sent_at IS NOT NULL");
    sent_reset (&f.sent);
    CHECK (kulak_spool_resend (f.spool, 10, 60, on_send, &f.sent, &f.err) == 2);
    CHECK (f.sent.count == 2);          /* only the two lost ones, not the third, unsent one */
    fixture_close (&f);
}

TEST (test_ingested_files)
{
    fixture_t f;
    if (!fixture_open (&f, "files.db", 0, 0))
        return;
    CHECK (!kulak_spool_file_done (f.spool, "/in/reviews.csv", 1200, 1773483720));
    CHECK (kulak_spool_mark_file (f.spool, "/in/reviews.csv", 1200, 1773483720, 14, &f.err) == 0);
    CHECK (kulak_spool_file_done (f.spool, "/in/reviews.csv", 1200, 1773483720));
    /* the same path grown or touched is a new file to read */
    CHECK (!kulak_spool_file_done (f.spool, "/in/reviews.csv", 1300, 1773483720));
    CHECK (!kulak_spool_file_done (f.spool, "/in/reviews.csv", 1200, 1773483721));
    CHECK (!kulak_spool_file_done (f.spool, "/in/other.csv", 1200, 1773483720));
    /* marking twice is fine */
    CHECK (kulak_spool_mark_file (f.spool, "/in/reviews.csv", 1200, 1773483720, 14, &f.err) == 0);
    kulak_spool_close (&f.spool);
    f.spool = kulak_spool_open (f.path, &f.err);                     /* survives a restart */
    CHECK (f.spool && kulak_spool_file_done (f.spool, "/in/reviews.csv", 1200, 1773483720));
    fixture_close (&f);
}

TEST (test_open_failure)
{
    char *err = NULL;
    kulak_spool_t *spool = kulak_spool_open ("/nonexistent/dir/spool.db", &err);
    CHECK (spool == NULL);
    CHECK (err && strstr (err, "/nonexistent/dir/spool.db") != NULL);
    free (err);
}

int
main (void)
{
    if (!mkdtemp (s_dir)) {
        printf ("FAIL setup: cannot create a temporary folder\n");
        return 1;
    }
    RUN (test_add_send_ack);
    RUN (test_limit_and_back_pressure);
    RUN (test_reset_after_restart);
    RUN (test_resend_after);
    RUN (test_add_again_replaces_and_unsends);
    RUN (test_ack_of_an_older_version_keeps_the_newer);
    RUN (test_resend_when_the_window_is_full);
    RUN (test_ingested_files);
    RUN (test_open_failure);
    char *cmd = kulak_sprintf ("rm -rf '%s'", s_dir);
    if (system (cmd) != 0)
        printf ("(could not remove %s)\n", s_dir);
    free (cmd);
    return CHECK_RESULT ();
}
