/*  stage.h: what every stage process and CLI command shares: a descriptor of its options
    (help text and validation come from the same table), the counters operators expect
    (records in, out, retried, rejected, bytes, queue depth), a control socket that
    answers STATUS and STOP, and sockets attached from the command line.

    Endpoints are ZeroMQ addresses: ipc://PATH or tcp://HOST:PORT. Each socket option has
    a natural direction (collect binds its output, normalize connects to it...); prefix an
    endpoint with '@' to bind or '>' to connect instead. */
#ifndef KULAK_STAGE_H
#define KULAK_STAGE_H

#include "kulak/record.h"

#include <czmq.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
    const char *name;            /* long option without the dashes */
    const char *arg;             /* placeholder for its value, NULL for a flag */
    const char *default_value;
    const char *help;
} kulak_option_t;

typedef struct {
    const char *program;         /* "kulak-collect", "kulak run" */
    const char *summary;         /* one line: what it does */
    const char *usage;           /* after the program name: "[OPTION]... INPUT..." */
    const kulak_option_t *options;  /* ends with { NULL } */
    const char *epilog;          /* examples and notes, or NULL */
} kulak_command_t;

typedef struct {
    const kulak_command_t *command;
    char **values;               /* per option: its value ("1" for a given flag) or NULL */
    char **positional;
    int positional_count;
} kulak_args_t;

/* Parses argv (argv[0] is the program). Prints help and exits 0 on --help; prints the
   problem and a hint and returns -1 on a bad option. */
int kulak_args_parse (kulak_args_t *args, const kulak_command_t *command, int argc, char **argv);
void kulak_args_free (kulak_args_t *args);
const char *kulak_args_get (const kulak_args_t *args, const char *name);  /* value or default */
bool kulak_args_flag (const kulak_args_t *args, const char *name);
/* Whether the option was given on the command line (not just its default). */
bool kulak_args_given (const kulak_args_t *args, const char *name);
/* An integer option within [low, high]; on a bad value prints why and returns -1. */
int kulak_args_int (const kulak_args_t *args, const char *name, long low, long high, long *out);
void kulak_command_help (const kulak_command_t *command, FILE *out);

typedef struct {
    const char *stage;
    uint64_t in;
    uint64_t out;
    uint64_t retried;
    uint64_t rejected;
    uint64_t bytes_in;
    uint64_t bytes_out;
    uint64_t queue;              /* what waits inside the stage (collect: unacknowledged) */
    double started;
} kulak_counters_t;

char *kulak_counters_json (const kulak_counters_t *counters);

/* A socket of type `type` (ZMQ_PUSH...) attached to endpoint; bind when `bind_default`
   unless the endpoint says otherwise. NULL with a reason when it cannot. */
zsock_t *kulak_socket (int type, const char *endpoint, bool bind_default, char **err);

/* Handles one request on a control socket: STATUS -> counters as JSON, STOP -> *stop.
   Returns the request text for commands it does not know (caller replies and frees),
   else NULL. */
char *kulak_control_handle (zsock_t *control, const kulak_counters_t *counters, bool *stop);

/* The loop of a middle stage: records from `in` go through transform() to `out` until
   SIGINT/SIGTERM or STOP on the control socket (which may be NULL). A message that is not
   a record is counted as rejected and logged; it is never passed on. */
typedef void (*kulak_transform_fn) (kulak_record_t *record, void *arg);
int kulak_stage_pipe (zsock_t *in, zsock_t *out, zsock_t *control, kulak_counters_t *counters,
                      kulak_transform_fn transform, void *arg);

/* Installs SIGINT/SIGTERM handling (zsys_interrupted) and quiet czmq logging. */
void kulak_stage_init (const char *name);

#endif
