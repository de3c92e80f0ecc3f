/*  store.c: schema, migrations and upserts of the kulak database (see store.h). */
#include "kulak/store.h"
#include "kulak/db.h"
#include "kulak/util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Migration N takes a database from user_version N-1 to N. Append, never edit. */
static const char *s_migrations [] = {
    /* 1: the first schema */
    "CREATE TABLE records ("
    "  id TEXT PRIMARY KEY,"
    "  channel TEXT NOT NULL CHECK (channel IN ('review','survey','social','agent_note')),"
    "  source TEXT,"
    "  external_id TEXT,"
    "  customer TEXT,"
    "  author TEXT,"
    "  time TEXT,"
    "  lang TEXT NOT NULL,"
    "  rating INTEGER CHECK (rating BETWEEN 1 AND 5),"
    "  nps INTEGER CHECK (nps BETWEEN 0 AND 10),"
    "  csat INTEGER CHECK (csat BETWEEN 1 AND 5),"
    "  ces INTEGER CHECK (ces BETWEEN 1 AND 7),"
    "  text TEXT NOT NULL,"
    "  norm_text TEXT NOT NULL,"
    "  sentiment REAL NOT NULL,"
    "  label TEXT NOT NULL CHECK (label IN ('pos','neg','neu')),"
    "  complaint INTEGER NOT NULL,"
    "  sentiment_evidence TEXT NOT NULL,"
    "  origin TEXT,"
    "  first_stored TEXT NOT NULL,"
    "  last_stored TEXT NOT NULL"
    ");"
    "CREATE INDEX records_time ON records (time);"
    "CREATE INDEX records_customer ON records (customer);"
    "CREATE TABLE record_themes ("
    "  record_id TEXT NOT NULL REFERENCES records (id) ON DELETE CASCADE,"
    "  theme TEXT NOT NULL,"
    "  sentiment REAL NOT NULL,"
    "  label TEXT NOT NULL,"
    "  evidence TEXT NOT NULL,"
    "  PRIMARY KEY (record_id, theme)"
    ");"
    "CREATE INDEX record_themes_theme ON record_themes (theme);"
    "CREATE TABLE themes ("
    "  id TEXT PRIMARY KEY,"
    "  name_tr TEXT NOT NULL,"
    "  name_en TEXT NOT NULL"
    ");"
    "CREATE TABLE quarantine ("
    "  id TEXT PRIMARY KEY,"
    "  origin TEXT,"
    "  reason TEXT NOT NULL,"
    "  raw BLOB,"
    "  first_seen TEXT NOT NULL,"
    "  last_seen TEXT NOT NULL,"
    "  times_seen INTEGER NOT NULL DEFAULT 1"
    ");"
    "CREATE VIEW record_time AS"
    "  SELECT id, COALESCE (time, first_stored) AS at FROM records;",
};

struct kulak_store_t {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *exists;
    sqlite3_stmt *upsert;
    sqlite3_stmt *delete_themes;
    sqlite3_stmt *insert_theme;
    sqlite3_stmt *quarantine;
};

sqlite3 *
kulak_store_db (kulak_store_t *self)
{
    return self->db;
}

static int
exec (kulak_store_t *self, const char *sql, char **err)
{
    return kulak_db_exec (self->db, self->path, sql, err);
}

static int
migrate (kulak_store_t *self, char **err)
{
    sqlite3_stmt *stmt;
    int version = 0;
    if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK
        && sqlite3_step (stmt) == SQLITE_ROW)
        version = sqlite3_column_int (stmt, 0);
    sqlite3_finalize (stmt);
    int latest = (int) (sizeof s_migrations / sizeof s_migrations [0]);
    if (version > latest) {
        *err = kulak_sprintf ("%s has schema version %d; this kulak knows up to %d: upgrade kulak",
                              self->path, version, latest);
        return -1;
    }
    if (version == latest)
        return 0;
    if (exec (self, "BEGIN IMMEDIATE", err) != 0)
        return -1;
    for (int v = version; v < latest; v++) {
        if (exec (self, s_migrations [v], err) != 0) {
            exec (self, "ROLLBACK", err);
            return -1;
        }
    }
    char *set = kulak_sprintf ("PRAGMA user_version = %d", latest);
    int rc = exec (self, set, err);
    free (set);
    if (rc == 0)
        rc = exec (self, "COMMIT", err);
    else
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static int
prepare (kulak_store_t *self, const char *sql, sqlite3_stmt **stmt, char **err)
{
    return kulak_db_prepare (self->db, self->path, sql, stmt, err);
}

kulak_store_t *
kulak_store_open (const char *path, bool read_only, char **err)
{
    struct stat st;
    if (read_only && stat (path, &st) != 0) {
        *err = kulak_sprintf ("%s does not exist yet: run `kulak run --db %s INPUT...` first",
                              path, path);
        return NULL;
    }
    kulak_store_t *self = kulak_calloc (1, sizeof *self);
    self->path = kulak_strdup (path);
    int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2 (path, &self->db, flags, NULL) != SQLITE_OK) {
        *err = kulak_sprintf ("%s: %s", path, self->db ? sqlite3_errmsg (self->db)
                                                       : "cannot open");
        kulak_store_close (&self);
        return NULL;
    }
    sqlite3_busy_timeout (self->db, 10000);
    int rc = 0;
    if (!read_only) {
        rc = exec (self, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                         "PRAGMA foreign_keys = ON;", err);
        if (rc == 0)
            rc = migrate (self, err);
        if (rc == 0)
            rc = prepare (self, "SELECT 1 FROM records WHERE id = ?", &self->exists, err);
        if (rc == 0)
            rc = prepare (self,
                "INSERT INTO records (id, channel, source, external_id, customer, author, time,"
                " lang, rating, nps, csat, ces, text, norm_text, sentiment, label, complaint,"
                " sentiment_evidence, origin, first_stored, last_stored)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
                " ?17, ?18, ?19, ?20, ?20)"
                " ON CONFLICT (id) DO UPDATE SET channel = excluded.channel,"
                " source = excluded.source, external_id = excluded.external_id,"
                " customer = excluded.customer, author = excluded.author, time = excluded.time,"
                " lang = excluded.lang, rating = excluded.rating, nps = excluded.nps,"
                " csat = excluded.csat, ces = excluded.ces, text = excluded.text,"
                " norm_text = excluded.norm_text, sentiment = excluded.sentiment,"
                " label = excluded.label, complaint = excluded.complaint,"
                " sentiment_evidence = excluded.sentiment_evidence, origin = excluded.origin,"
                " last_stored = excluded.last_stored", &self->upsert, err);
        if (rc == 0)
            rc = prepare (self, "DELETE FROM record_themes WHERE record_id = ?",
                          &self->delete_themes, err);
        if (rc == 0)
            rc = prepare (self, "INSERT INTO record_themes (record_id, theme, sentiment, label,"
                                " evidence) VALUES (?, ?, ?, ?, ?)", &self->insert_theme, err);
        if (rc == 0)
            rc = prepare (self, "INSERT INTO quarantine (id, origin, reason, raw, first_seen,"
                                " last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?5)"
                                " ON CONFLICT (id) DO UPDATE SET reason = excluded.reason,"
                                " last_seen = excluded.last_seen, times_seen = times_seen + 1",
                          &self->quarantine, err);
    }
    else {
        sqlite3_stmt *stmt;
        int version = -1;
        if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK
            && sqlite3_step (stmt) == SQLITE_ROW)
            version = sqlite3_column_int (stmt, 0);
        sqlite3_finalize (stmt);
        if (version != KULAK_SCHEMA_VERSION) {
            *err = kulak_sprintf ("%s is not a kulak database of schema version %d (found %d)",
                                  path, KULAK_SCHEMA_VERSION, version);
            rc = -1;
        }
    }
    if (rc != 0) {
        kulak_store_close (&self);
        return NULL;
    }
    return self;
}

void
kulak_store_close (kulak_store_t **self_p)
{
    kulak_store_t *self = *self_p;
    if (!self)
        return;
    sqlite3_finalize (self->exists);
    sqlite3_finalize (self->upsert);
    sqlite3_finalize (self->delete_themes);
    sqlite3_finalize (self->insert_theme);
    sqlite3_finalize (self->quarantine);
    if (self->db)
        sqlite3_close (self->db);
    free (self->path);
    free (self);
    *self_p = NULL;
}

int
kulak_store_begin (kulak_store_t *self, char **err)
{
    return exec (self, "BEGIN IMMEDIATE", err);
}

int
kulak_store_commit (kulak_store_t *self, char **err)
{
    return exec (self, "COMMIT", err);
}

void
kulak_store_rollback (kulak_store_t *self)
{
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static void
bind_text (sqlite3_stmt *stmt, int index, const char *value)
{
    if (value)
        sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null (stmt, index);
}

static void
bind_score (sqlite3_stmt *stmt, int index, int value)
{
    if (value >= 0)
        sqlite3_bind_int (stmt, index, value);
    else
        sqlite3_bind_null (stmt, index);
}

static char *
evidence_json (const kulak_evidence_t *items, size_t count)
{
    kulak_buf_t buf;
    kulak_buf_init (&buf);
    kulak_evidence_json (&buf, items, count, true);
    return kulak_buf_take (&buf);
}

static int
step (kulak_store_t *self, sqlite3_stmt *stmt, const char *id, char **err)
{
    return kulak_db_step (self->db, self->path, stmt, id, err);
}

int
kulak_store_put (kulak_store_t *self, const kulak_record_t *record, kulak_stored_t *status,
                 char **err)
{
    char now [21];
    kulak_now_iso (now);
    if (record->quarantine_reason) {
        sqlite3_bind_text (self->quarantine, 1, record->id, -1, SQLITE_TRANSIENT);
        bind_text (self->quarantine, 2, record->origin);
        bind_text (self->quarantine, 3, record->quarantine_reason);
        if (record->text)
            sqlite3_bind_blob (self->quarantine, 4, record->text, (int) strlen (record->text),
                               SQLITE_TRANSIENT);
        sqlite3_bind_text (self->quarantine, 5, now, -1, SQLITE_TRANSIENT);
        *status = KULAK_STORED_QUARANTINED;
        return step (self, self->quarantine, record->id, err);
    }
    sqlite3_bind_text (self->exists, 1, record->id, -1, SQLITE_TRANSIENT);
    bool existed = sqlite3_step (self->exists) == SQLITE_ROW;
    sqlite3_reset (self->exists);
    *status = existed ? KULAK_STORED_UPDATED : KULAK_STORED_NEW;

    sqlite3_stmt *s = self->upsert;
    char *evidence = evidence_json (record->sentiment_evidence, record->sentiment_evidence_count);
    sqlite3_bind_text (s, 1, record->id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (s, 2, kulak_channel_name (record->channel), -1, SQLITE_STATIC);
    bind_text (s, 3, record->source);
    bind_text (s, 4, record->external_id);
    bind_text (s, 5, record->customer);
    bind_text (s, 6, record->author);
    bind_text (s, 7, record->time);
    sqlite3_bind_text (s, 8, kulak_lang_name (record->lang), -1, SQLITE_STATIC);
    bind_score (s, 9, record->rating);
    bind_score (s, 10, record->nps);
    bind_score (s, 11, record->csat);
    bind_score (s, 12, record->ces);
    bind_text (s, 13, record->text ? record->text : "");
    bind_text (s, 14, record->norm_text ? record->norm_text : record->text ? record->text : "");
    sqlite3_bind_double (s, 15, record->sentiment);
    sqlite3_bind_text (s, 16, kulak_label_name (record->label), -1, SQLITE_STATIC);
    sqlite3_bind_int (s, 17, record->complaint);
    sqlite3_bind_text (s, 18, evidence, -1, SQLITE_TRANSIENT);
    bind_text (s, 19, record->origin);
    sqlite3_bind_text (s, 20, now, -1, SQLITE_TRANSIENT);
    free (evidence);
    if (step (self, s, record->id, err) != 0)
        return -1;
    sqlite3_bind_text (self->delete_themes, 1, record->id, -1, SQLITE_TRANSIENT);
    if (step (self, self->delete_themes, record->id, err) != 0)
        return -1;
    for (size_t i = 0; i < record->theme_count; i++) {
        const kulak_theme_hit_t *hit = &record->themes [i];
        char *theme_evidence = evidence_json (hit->evidence, hit->evidence_count);
        sqlite3_bind_text (self->insert_theme, 1, record->id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text (self->insert_theme, 2, hit->theme, -1, SQLITE_TRANSIENT);
        sqlite3_bind_double (self->insert_theme, 3, hit->sentiment);
        sqlite3_bind_text (self->insert_theme, 4, kulak_label_name (hit->label), -1, SQLITE_STATIC);
        sqlite3_bind_text (self->insert_theme, 5, theme_evidence, -1, SQLITE_TRANSIENT);
        free (theme_evidence);
        if (step (self, self->insert_theme, record->id, err) != 0)
            return -1;
    }
    return 0;
}

int
kulak_store_put_themes (kulak_store_t *self, const kulak_lexicon_t *lexicon, char **err)
{
    sqlite3_stmt *stmt;
    if (prepare (self, "INSERT INTO themes (id, name_tr, name_en) VALUES (?, ?, ?)"
                       " ON CONFLICT (id) DO UPDATE SET name_tr = excluded.name_tr,"
                       " name_en = excluded.name_en", &stmt, err) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < lexicon->theme_count && rc == 0; i++) {
        sqlite3_bind_text (stmt, 1, lexicon->theme_info [i].id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text (stmt, 2, lexicon->theme_info [i].name_tr, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text (stmt, 3, lexicon->theme_info [i].name_en, -1, SQLITE_TRANSIENT);
        rc = step (self, stmt, lexicon->theme_info [i].id, err);
    }
    sqlite3_finalize (stmt);
    return rc;
}
