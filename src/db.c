/*  db.c: SQLite helpers shared by the spool and the store (see db.h). */
#include "kulak/db.h"
#include "kulak/util.h"

int
kulak_db_exec (sqlite3 *db, const char *what, const char *sql, char **err)
{
    char *message = NULL;
    if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK) {
        *err = kulak_sprintf ("%s: %s", what, message ? message : sqlite3_errmsg (db));
        sqlite3_free (message);
        return -1;
    }
    return 0;
}

int
kulak_db_prepare (sqlite3 *db, const char *what, const char *sql, sqlite3_stmt **stmt,
                  char **err)
{
    if (sqlite3_prepare_v2 (db, sql, -1, stmt, NULL) != SQLITE_OK) {
        *err = kulak_sprintf ("%s: %s", what, sqlite3_errmsg (db));
        return -1;
    }
    return 0;
}

int
kulak_db_step (sqlite3 *db, const char *what, sqlite3_stmt *stmt, const char *record,
               char **err)
{
    int rc = sqlite3_step (stmt);
    bool ok = rc == SQLITE_DONE || rc == SQLITE_ROW;
    if (!ok)         /* the message before reset, which may replace it */
        *err = kulak_sprintf ("%s: %s%s%s%s", what, record ? "record " : "", record ? record : "",
                              record ? ": " : "", sqlite3_errmsg (db));
    sqlite3_reset (stmt);
    sqlite3_clear_bindings (stmt);
    return ok ? 0 : -1;
}
