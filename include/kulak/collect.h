/*  collect.h: the collect stage as a library object, so tests and `kulak-collect` run the
    same code.

    Collect reads its inputs (files given at start, files appearing in a watched folder,
    agent notes arriving on the control socket), writes every record to its spool before
    sending it, sends at most `window` unacknowledged records at a time, forgets records
    when the store acknowledges them, and re-sends what stays unacknowledged longer than
    `resend_after` seconds. With until_drained it exits once every input is read and every
    record acknowledged: that is how `kulak run` knows everything is in the database. */
#ifndef KULAK_COLLECT_H
#define KULAK_COLLECT_H

#include "kulak/input.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *spool_path;
    const char *out_endpoint;        /* PUSH, bound by default */
    const char *acks_endpoint;       /* PULL, bound by default */
    const char *control_endpoint;    /* REP for NOTE / INGEST / STATUS / STOP; may be NULL */
    const char *watch_dir;           /* may be NULL */
    kulak_input_options_t input;
    bool until_drained;
    size_t window;                   /* unacknowledged records allowed in flight */
    double resend_after;             /* seconds */
    double progress_every;           /* seconds between progress lines; 0: none */
} kulak_collect_options_t;

typedef struct kulak_collect_t kulak_collect_t;

kulak_collect_t *kulak_collect_new (const kulak_collect_options_t *options, char **err);
void kulak_collect_add_input (kulak_collect_t *self, const char *path);
/* Runs until drained (with until_drained), STOP, or SIGINT/SIGTERM. Returns 0, or 1 when
   an input could not be read (the others are still ingested). */
int kulak_collect_run (kulak_collect_t *self);
void kulak_collect_destroy (kulak_collect_t **self_p);

#endif
