/*  store.h: the SQLite database CX managers query: schema, migrations and the idempotent
    upsert the store stage runs in batches.

    The schema lives only in src/store.c (and is documented in the README). Its version is
    SQLite's user_version; opening a database applies every missing migration in one
    transaction. The database runs in WAL mode with synchronous=FULL: a batch the store has
    committed (and acknowledged) survives a crash of any process or of the machine. */
#ifndef KULAK_STORE_H
#define KULAK_STORE_H

#include "kulak/lexicon.h"
#include "kulak/record.h"

#include <sqlite3.h>

#define KULAK_SCHEMA_VERSION 1

typedef enum {
    KULAK_STORED_NEW = 1,        /* a record the database did not have */
    KULAK_STORED_UPDATED = 2,    /* same id again: replaced (duplicates add nothing) */
    KULAK_STORED_QUARANTINED = 3 /* went to the quarantine table */
} kulak_stored_t;

typedef struct kulak_store_t kulak_store_t;

/* read_only: for reports; a missing file is then an error that says to run kulak first. */
kulak_store_t *kulak_store_open (const char *path, bool read_only, char **err);
void kulak_store_close (kulak_store_t **self_p);
sqlite3 *kulak_store_db (kulak_store_t *self);

int kulak_store_begin (kulak_store_t *self, char **err);
int kulak_store_commit (kulak_store_t *self, char **err);
void kulak_store_rollback (kulak_store_t *self);
int kulak_store_put (kulak_store_t *self, const kulak_record_t *record, kulak_stored_t *status,
                     char **err);
/* Records the display names of the themes a lexicon knows. */
int kulak_store_put_themes (kulak_store_t *self, const kulak_lexicon_t *lexicon, char **err);

#endif
