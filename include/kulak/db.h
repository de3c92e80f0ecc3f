/*  db.h: the three SQLite calls the spool and the store both make, with errors that say
    which database (and which record) failed and why. */
#ifndef KULAK_DB_H
#define KULAK_DB_H

#include <sqlite3.h>

/* `what` names the database in messages ("spool kulak.db.spool", "kulak.db"). */
int kulak_db_exec (sqlite3 *db, const char *what, const char *sql, char **err);
int kulak_db_prepare (sqlite3 *db, const char *what, const char *sql, sqlite3_stmt **stmt,
                      char **err);
/* Steps once, then resets and clears the bindings; `record` (may be NULL) joins the
   message. Returns 0 on a row or done, -1 otherwise. */
int kulak_db_step (sqlite3 *db, const char *what, sqlite3_stmt *stmt, const char *record,
                   char **err);

#endif
