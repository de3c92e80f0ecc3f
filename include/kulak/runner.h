/*  runner.h: `kulak run`: starts the stage processes on one machine, feeds the inputs,
    waits until every record is stored, and stops the stages in order.

    Stages talk over ipc:// endpoints in a private folder derived from the database path
    (/tmp/kulak-<uid>-<hash>/), so two databases can run side by side and `kulak note` /
    `kulak status` find the running pipeline from --db alone. Stages run in their own
    process group: Ctrl-C reaches `kulak run`, which then stops collect first (so nothing
    new enters), then the others, leaving any unacknowledged record in the spool. */
#ifndef KULAK_RUNNER_H
#define KULAK_RUNNER_H

#include <stdbool.h>

typedef struct {
    const char *db;
    int workers;                 /* tag workers */
    bool serve;                  /* keep running for agent notes and the watched folder */
    const char *watch_dir;
    const char *http;            /* with serve: the note form and digest at this address */
    const char *map;
    const char *utc_offset;
    const char *channel;
    const char *source;
    const char *lang;
    const char *default_lang;    /* for records that give no clue; NULL: the stage's (tr) */
    const char *lexicons;
    const char *model_tr;
    const char *model_en;
    const char *themes_tr;
    const char *themes_en;
    char **inputs;
    int input_count;
} kulak_run_options_t;

int kulak_run (const kulak_run_options_t *options);

/* The private folder of the pipeline serving `db`, and its endpoints. */
char *kulak_run_dir (const char *db);
char *kulak_run_endpoint (const char *db, const char *name);   /* "ipc://DIR/NAME.ipc" */
char *kulak_spool_path_for (const char *db);                   /* "<db>.spool" */

#endif
