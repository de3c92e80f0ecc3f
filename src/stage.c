/*  stage.c: option tables, counters, control sockets and socket attachment shared by
    the stage processes and the CLI (see stage.h). */
#include "kulak/stage.h"
#include "kulak/record.h"
#include "kulak/util.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

static size_t
option_count (const kulak_command_t *command)
{
    size_t n = 0;
    while (command->options && command->options [n].name)
        n++;
    return n;
}

void
kulak_command_help (const kulak_command_t *command, FILE *out)
{
    fprintf (out, "Usage: %s %s\n%s\n", command->program, command->usage, command->summary);
    size_t n = option_count (command);
    if (n)
        fprintf (out, "\nOptions:\n");
    for (size_t i = 0; i < n; i++) {
        const kulak_option_t *o = &command->options [i];
        char left [64];
        snprintf (left, sizeof left, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf (out, "  %-24s %s", left, o->help);
        if (o->default_value)
            fprintf (out, " (default: %s)", o->default_value);
        fprintf (out, "\n");
    }
    fprintf (out, "  %-24s %s\n", "--help", "show this help and exit");
    if (command->epilog)
        fprintf (out, "\n%s\n", command->epilog);
}

int
kulak_args_parse (kulak_args_t *args, const kulak_command_t *command, int argc, char **argv)
{
    memset (args, 0, sizeof *args);
    args->command = command;
    size_t n = option_count (command);
    args->values = kulak_calloc (n + 1, sizeof *args->values);
    args->positional = kulak_calloc ((size_t) argc + 1, sizeof *args->positional);
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv [i];
        if (options_done || arg [0] != '-' || strcmp (arg, "-") == 0) {
            args->positional [args->positional_count++] = kulak_strdup (arg);
            continue;
        }
        if (strcmp (arg, "--") == 0) {
            options_done = true;
            continue;
        }
        if (strcmp (arg, "--help") == 0 || strcmp (arg, "-h") == 0) {
            kulak_command_help (command, stdout);
            exit (0);
        }
        const char *name = arg + (arg [1] == '-' ? 2 : 1);
        const char *eq = strchr (name, '=');
        size_t name_len = eq ? (size_t) (eq - name) : strlen (name);
        const kulak_option_t *found = NULL;
        size_t index = 0;
        for (size_t k = 0; k < n; k++)
            if (strlen (command->options [k].name) == name_len
                && strncmp (command->options [k].name, name, name_len) == 0) {
                found = &command->options [k];
                index = k;
            }
        /* -o is the one short option people expect for output files */
        if (!found && strcmp (arg, "-o") == 0)
            for (size_t k = 0; k < n; k++)
                if (strcmp (command->options [k].name, "output") == 0) {
                    found = &command->options [k];
                    index = k;
                }
        if (!found) {
            fprintf (stderr, "%s: unknown option %s (see %s --help)\n", command->program, arg,
                     command->program);
            return -1;
        }
        free (args->values [index]);
        if (!found->arg) {
            args->values [index] = kulak_strdup ("1");
            continue;
        }
        if (eq)
            args->values [index] = kulak_strdup (eq + 1);
        else if (i + 1 < argc)
            args->values [index] = kulak_strdup (argv [++i]);
        else {
            fprintf (stderr, "%s: option --%s needs a value (%s)\n", command->program,
                     found->name, found->arg);
            return -1;
        }
    }
    return 0;
}

void
kulak_args_free (kulak_args_t *args)
{
    size_t n = args->command ? option_count (args->command) : 0;
    for (size_t i = 0; args->values && i < n; i++)
        free (args->values [i]);
    for (int i = 0; i < args->positional_count; i++)
        free (args->positional [i]);
    free (args->values);
    free (args->positional);
    memset (args, 0, sizeof *args);
}

const char *
kulak_args_get (const kulak_args_t *args, const char *name)
{
    size_t n = option_count (args->command);
    for (size_t i = 0; i < n; i++)
        if (strcmp (args->command->options [i].name, name) == 0)
            return args->values [i] ? args->values [i] : args->command->options [i].default_value;
    return NULL;
}

bool
kulak_args_given (const kulak_args_t *args, const char *name)
{
    size_t n = option_count (args->command);
    for (size_t i = 0; i < n; i++)
        if (strcmp (args->command->options [i].name, name) == 0)
            return args->values [i] != NULL;
    return false;
}

bool
kulak_args_flag (const kulak_args_t *args, const char *name)
{
    const char *value = kulak_args_get (args, name);
    return value && strcmp (value, "0") != 0;
}

int
kulak_args_int (const kulak_args_t *args, const char *name, long low, long high, long *out)
{
    const char *value = kulak_args_get (args, name);
    if (!value)
        return -1;
    char *end;
    errno = 0;
    long v = strtol (value, &end, 10);
    if (end == value || *end || errno || v < low || v > high) {
        fprintf (stderr, "%s: --%s %s: expected a whole number from %ld to %ld\n",
                 args->command->program, name, value, low, high);
        return -1;
    }
    *out = v;
    return 0;
}

char *
kulak_counters_json (const kulak_counters_t *c)
{
    return kulak_sprintf ("{\"stage\":\"%s\",\"pid\":%d,\"uptime\":%.1f,\"in\":%llu,\"out\":%llu,"
                          "\"retried\":%llu,\"rejected\":%llu,\"bytes_in\":%llu,"
                          "\"bytes_out\":%llu,\"queue\":%llu}",
                          c->stage, (int) getpid (), kulak_now () - c->started,
                          (unsigned long long) c->in, (unsigned long long) c->out,
                          (unsigned long long) c->retried, (unsigned long long) c->rejected,
                          (unsigned long long) c->bytes_in, (unsigned long long) c->bytes_out,
                          (unsigned long long) c->queue);
}

zsock_t *
kulak_socket (int type, const char *endpoint, bool bind_default, char **err)
{
    zsock_t *sock = zsock_new (type);
    if (!sock) {
        *err = kulak_strdup ("cannot create a ZeroMQ socket");
        return NULL;
    }
    zsock_set_linger (sock, 1000);
    bool bind = endpoint [0] == '@' || (bind_default && endpoint [0] != '>');
    const char *address = endpoint + (endpoint [0] == '@' || endpoint [0] == '>');
    if (bind && strncmp (address, "ipc://", 6) == 0) {
        /* ipc endpoints are files: make their folder so a first run just works */
        char *dir = kulak_strdup (address + 6);
        char *slash = strrchr (dir, '/');
        if (slash && slash != dir) {
            *slash = 0;
            zsys_dir_create ("%s", dir);
        }
        free (dir);
    }
    int rc;
    if (endpoint [0] == '@')
        rc = zsock_bind (sock, "%s", endpoint + 1) >= 0 ? 0 : -1;
    else if (endpoint [0] == '>')
        rc = zsock_connect (sock, "%s", endpoint + 1);
    else if (bind_default)
        rc = zsock_bind (sock, "%s", endpoint) >= 0 ? 0 : -1;
    else
        rc = zsock_connect (sock, "%s", endpoint);
    if (rc != 0) {
        *err = kulak_sprintf ("cannot %s %s: %s", (endpoint [0] == '@' || (bind_default
                              && endpoint [0] != '>')) ? "bind" : "connect", endpoint,
                              zmq_strerror (zmq_errno ()));
        zsock_destroy (&sock);
        return NULL;
    }
    return sock;
}

char *
kulak_control_handle (zsock_t *control, const kulak_counters_t *counters, bool *stop)
{
    char *request = zstr_recv (control);
    if (!request)
        return NULL;
    if (strcmp (request, "STATUS") == 0) {
        char *json = kulak_counters_json (counters);
        zstr_send (control, json);
        free (json);
    }
    else if (strcmp (request, "STOP") == 0) {
        *stop = true;
        zstr_send (control, "{\"ok\":true}");
    }
    else
        return request;
    zstr_free (&request);
    return NULL;
}

void
kulak_stage_init (const char *name)
{
    kulak_log_set_name (name);
    zsys_init ();
    zsys_catch_interrupts ();      /* SIGINT and SIGTERM set zsys_interrupted */
    /* Started by `kulak run`: end with it, even when it is killed, rather than serve on
       unsupervised (a later run would find its sockets taken). */
    if (getenv ("KULAK_SUPERVISED")) {
        prctl (PR_SET_PDEATHSIG, SIGTERM);
        if (getppid () == 1)
            kill (getpid (), SIGTERM);       /* the parent died before the line above */
    }
}

int
kulak_stage_pipe (zsock_t *in, zsock_t *out, zsock_t *control, kulak_counters_t *counters,
                  kulak_transform_fn transform, void *arg)
{
    zpoller_t *poller = zpoller_new (in, control, NULL);
    bool stop = false;
    while (!stop && !zsys_interrupted) {
        void *which = zpoller_wait (poller, 1000);
        if (!which) {
            if (zpoller_terminated (poller))
                break;
            continue;
        }
        if (which == control) {
            char *unknown = kulak_control_handle (control, counters, &stop);
            if (unknown) {
                zstr_send (control, "{\"ok\":false,\"error\":\"unknown command\"}");
                zstr_free (&unknown);
            }
            continue;
        }
        zframe_t *frame = zframe_recv (in);
        if (!frame)
            continue;
        counters->in++;
        counters->bytes_in += zframe_size (frame);
        kulak_record_t *record = NULL;
        char *why = NULL;
        if (kulak_record_decode ((const char *) zframe_data (frame), zframe_size (frame), &record,
                                 &why) != 0) {
            /* Nobody can acknowledge what nobody can read; collect re-sends it and
               `kulak status` shows it as stuck. */
            counters->rejected++;
            kulak_log ("dropped a message of %zu bytes: %s", zframe_size (frame), why);
            free (why);
            zframe_destroy (&frame);
            continue;
        }
        zframe_destroy (&frame);
        transform (record, arg);
        size_t len;
        char *payload = kulak_record_encode (record, &len);
        kulak_record_destroy (&record);
        zframe_t *reply = zframe_new (payload, len);
        free (payload);
        if (zframe_send (&reply, out, 0) != 0) {
            zframe_destroy (&reply);
            if (zsys_interrupted)
                break;
            counters->retried++;     /* lost here; collect re-sends after its timeout */
            continue;
        }
        counters->out++;
        counters->bytes_out += len;
    }
    zpoller_destroy (&poller);
    return 0;
}
