/*  spool.c: collect's durable queue of unacknowledged records (see spool.h). */
#include "kulak/spool.h"
#include "kulak/db.h"
#include "kulak/util.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

struct kulak_spool_t {
    sqlite3 *db;
    char *path;
    char *what;                  /* "spool PATH", for messages */
    sqlite3_stmt *insert;
    sqlite3_stmt *unsent;
    sqlite3_stmt *expired;
    sqlite3_stmt *mark_sent;
    sqlite3_stmt *ack;
    sqlite3_stmt *count;
    sqlite3_stmt *count_sent;
    sqlite3_stmt *count_stuck;
    sqlite3_stmt *file_done;
    sqlite3_stmt *mark_file;
};

static int
spool_exec (kulak_spool_t *self, const char *sql, char **err)
{
    return kulak_db_exec (self->db, self->what, sql, err);
}

static int
spool_prepare (kulak_spool_t *self, const char *sql, sqlite3_stmt **stmt, char **err)
{
    return kulak_db_prepare (self->db, self->what, sql, stmt, err);
}

static bool
has_version_column (kulak_spool_t *self)
{
    sqlite3_stmt *stmt;
    bool found = false;
    if (sqlite3_prepare_v2 (self->db, "PRAGMA table_info (spool)", -1, &stmt, NULL) == SQLITE_OK) {
        while (sqlite3_step (stmt) == SQLITE_ROW)
            found = found || strcmp ((const char *) sqlite3_column_text (stmt, 1), "version") == 0;
        sqlite3_finalize (stmt);
    }
    return found;
}

/* Versions only grow: microseconds since the epoch, one more when two come that fast. */
static uint64_t
next_version (void)
{
    static uint64_t last;
    uint64_t now = (uint64_t) (kulak_now () * 1e6);
    last = now > last ? now : last + 1;
    return last;
}

kulak_spool_t *
kulak_spool_open (const char *path, char **err)
{
    kulak_spool_t *self = kulak_calloc (1, sizeof *self);
    self->path = kulak_strdup (path);
    self->what = kulak_sprintf ("spool %s", path);
    if (sqlite3_open (path, &self->db) != SQLITE_OK) {
        *err = kulak_sprintf ("spool %s: %s", path, sqlite3_errmsg (self->db));
        kulak_spool_close (&self);
        return NULL;
    }
    sqlite3_busy_timeout (self->db, 10000);
    int rc = spool_exec (self,
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
        "CREATE TABLE IF NOT EXISTS spool ("
        "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
        "  id TEXT NOT NULL UNIQUE,"
        "  payload BLOB NOT NULL,"
        "  enqueued_at REAL NOT NULL,"
        "  sent_at REAL,"
        "  attempts INTEGER NOT NULL DEFAULT 0,"
        "  version INTEGER NOT NULL DEFAULT 0);"
        "CREATE INDEX IF NOT EXISTS spool_sent ON spool (sent_at);"
        "CREATE TABLE IF NOT EXISTS ingested_files ("
        "  path TEXT NOT NULL, size INTEGER NOT NULL, mtime INTEGER NOT NULL,"
        "  records INTEGER NOT NULL, done_at TEXT NOT NULL,"
        "  PRIMARY KEY (path, size, mtime));", err);
    if (rc == 0 && !has_version_column (self))      /* a spool from before versions */
        rc = spool_exec (self, "ALTER TABLE spool ADD COLUMN version INTEGER NOT NULL DEFAULT 0",
                         err);
    if (rc == 0)
        rc = spool_prepare (self,
            "INSERT INTO spool (id, payload, enqueued_at, version) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET payload = excluded.payload,"
            " version = excluded.version, sent_at = NULL", &self->insert, err);
    if (rc == 0)
        rc = spool_prepare (self,
            "SELECT id, payload, attempts FROM spool WHERE sent_at IS NULL OR sent_at < ?"
            " ORDER BY seq LIMIT ?", &self->unsent, err);
    if (rc == 0)
        rc = spool_prepare (self,
            "SELECT id, payload, attempts FROM spool WHERE sent_at IS NOT NULL AND sent_at < ?"
            " ORDER BY seq LIMIT ?", &self->expired, err);
    if (rc == 0)
        rc = spool_prepare (self, "UPDATE spool SET sent_at = ?, attempts = attempts + 1"
                                  " WHERE id = ?", &self->mark_sent, err);
    if (rc == 0)
        /* only the version the store stored: a newer one waiting behind it stays */
        rc = spool_prepare (self, "DELETE FROM spool WHERE id = ?1 AND (?2 = 0 OR version = ?2)",
                            &self->ack, err);
    if (rc == 0)
        rc = spool_prepare (self, "SELECT count(*) FROM spool", &self->count, err);
    if (rc == 0)
        rc = spool_prepare (self, "SELECT count(*) FROM spool WHERE sent_at IS NOT NULL",
                            &self->count_sent, err);
    if (rc == 0)
        rc = spool_prepare (self, "SELECT count(*) FROM spool WHERE attempts >= ?",
                            &self->count_stuck, err);
    if (rc == 0)
        rc = spool_prepare (self, "SELECT 1 FROM ingested_files WHERE path = ? AND size = ?"
                                  " AND mtime = ?", &self->file_done, err);
    if (rc == 0)
        rc = spool_prepare (self, "INSERT OR REPLACE INTO ingested_files (path, size, mtime,"
                                  " records, done_at) VALUES (?, ?, ?, ?,"
                                  " strftime ('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                            &self->mark_file, err);
    if (rc != 0) {
        kulak_spool_close (&self);
        return NULL;
    }
    return self;
}

void
kulak_spool_close (kulak_spool_t **self_p)
{
    kulak_spool_t *self = *self_p;
    if (!self)
        return;
    sqlite3_stmt *stmts [] = { self->insert, self->unsent, self->expired, self->mark_sent, self->ack,
                               self->count, self->count_sent, self->count_stuck,
                               self->file_done, self->mark_file };
    for (size_t i = 0; i < sizeof stmts / sizeof stmts [0]; i++)
        sqlite3_finalize (stmts [i]);
    if (self->db)
        sqlite3_close (self->db);
    free (self->path);
    free (self->what);
    free (self);
    *self_p = NULL;
}

static int
run_step (kulak_spool_t *self, sqlite3_stmt *stmt, char **err)
{
    return kulak_db_step (self->db, self->what, stmt, NULL, err);
}

int
kulak_spool_add (kulak_spool_t *self, kulak_record_t *const *records, size_t count, char **err)
{
    if (count == 0)
        return 0;
    if (spool_exec (self, "BEGIN IMMEDIATE", err) != 0)
        return -1;
    double now = kulak_now ();
    for (size_t i = 0; i < count; i++) {
        size_t len;
        records [i]->spool_version = next_version ();
        char *payload = kulak_record_encode (records [i], &len);
        sqlite3_bind_text (self->insert, 1, records [i]->id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_blob (self->insert, 2, payload, (int) len, SQLITE_TRANSIENT);
        sqlite3_bind_double (self->insert, 3, now);
        sqlite3_bind_int64 (self->insert, 4, (sqlite3_int64) records [i]->spool_version);
        free (payload);
        if (run_step (self, self->insert, err) != 0) {
            sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    }
    return spool_exec (self, "COMMIT", err);
}

static int
send_from (kulak_spool_t *self, sqlite3_stmt *select, size_t limit, double resend_after,
           kulak_spool_send_fn send, void *arg, char **err)
{
    double now = kulak_now ();
    sqlite3_bind_double (select, 1, now - resend_after);
    sqlite3_bind_int64 (select, 2, (sqlite3_int64) limit);
    /* Collect ids first: updating rows while a SELECT walks them is asking for trouble. */
    char **ids = NULL;
    size_t count = 0, sent = 0;
    int rc;
    while ((rc = sqlite3_step (select)) == SQLITE_ROW) {
        const char *id = (const char *) sqlite3_column_text (select, 0);
        const void *payload = sqlite3_column_blob (select, 1);
        int len = sqlite3_column_bytes (select, 1);
        int attempts = sqlite3_column_int (select, 2);
        if (send (id, payload, (size_t) len, attempts, arg) != 0)
            break;
        ids = kulak_realloc (ids, (count + 1) * sizeof *ids);
        ids [count++] = kulak_strdup (id);
    }
    sqlite3_reset (select);
    sqlite3_clear_bindings (select);
    int result = 0;
    if (count && spool_exec (self, "BEGIN IMMEDIATE", err) == 0) {
        for (size_t i = 0; i < count && result == 0; i++) {
            sqlite3_bind_double (self->mark_sent, 1, now);
            sqlite3_bind_text (self->mark_sent, 2, ids [i], -1, SQLITE_TRANSIENT);
            result = run_step (self, self->mark_sent, err);
        }
        if (result == 0)
            result = spool_exec (self, "COMMIT", err);
        else
            sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
        sent = count;
    }
    else if (count)
        result = -1;
    for (size_t i = 0; i < count; i++)
        free (ids [i]);
    free (ids);
    return result == 0 ? (int) sent : -1;
}

int
kulak_spool_send (kulak_spool_t *self, size_t limit, double resend_after,
                  kulak_spool_send_fn send, void *arg, char **err)
{
    return send_from (self, self->unsent, limit, resend_after, send, arg, err);
}

int
kulak_spool_resend (kulak_spool_t *self, size_t limit, double resend_after,
                    kulak_spool_send_fn send, void *arg, char **err)
{
    return send_from (self, self->expired, limit, resend_after, send, arg, err);
}

int
kulak_spool_ack (kulak_spool_t *self, const char *const *ids, const uint64_t *versions,
                 size_t count, char **err)
{
    if (count == 0)
        return 0;
    if (spool_exec (self, "BEGIN IMMEDIATE", err) != 0)
        return -1;
    for (size_t i = 0; i < count; i++) {
        sqlite3_bind_text (self->ack, 1, ids [i], -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64 (self->ack, 2, versions ? (sqlite3_int64) versions [i] : 0);
        if (run_step (self, self->ack, err) != 0) {
            sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    }
    return spool_exec (self, "COMMIT", err);
}

int
kulak_spool_reset (kulak_spool_t *self, char **err)
{
    return spool_exec (self, "UPDATE spool SET sent_at = NULL WHERE sent_at IS NOT NULL", err);
}

static size_t
count_of (sqlite3_stmt *stmt)
{
    size_t n = 0;
    if (sqlite3_step (stmt) == SQLITE_ROW)
        n = (size_t) sqlite3_column_int64 (stmt, 0);
    sqlite3_reset (stmt);
    return n;
}

size_t
kulak_spool_pending (kulak_spool_t *self)
{
    return count_of (self->count);
}

size_t
kulak_spool_in_flight (kulak_spool_t *self)
{
    return count_of (self->count_sent);
}

size_t
kulak_spool_stuck (kulak_spool_t *self, int attempts)
{
    sqlite3_bind_int (self->count_stuck, 1, attempts);
    size_t n = count_of (self->count_stuck);
    sqlite3_clear_bindings (self->count_stuck);
    return n;
}

bool
kulak_spool_file_done (kulak_spool_t *self, const char *path, int64_t size, int64_t mtime)
{
    sqlite3_bind_text (self->file_done, 1, path, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (self->file_done, 2, size);
    sqlite3_bind_int64 (self->file_done, 3, mtime);
    bool done = sqlite3_step (self->file_done) == SQLITE_ROW;
    sqlite3_reset (self->file_done);
    sqlite3_clear_bindings (self->file_done);
    return done;
}

int
kulak_spool_mark_file (kulak_spool_t *self, const char *path, int64_t size, int64_t mtime,
                       size_t records, char **err)
{
    sqlite3_bind_text (self->mark_file, 1, path, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (self->mark_file, 2, size);
    sqlite3_bind_int64 (self->mark_file, 3, mtime);
    sqlite3_bind_int64 (self->mark_file, 4, (sqlite3_int64) records);
    return run_step (self, self->mark_file, err);
}
