/*  collect.c: inputs -> spool -> PUSH, acks -> forget (see collect.h). */
#include "kulak/collect.h"
#include "kulak/spool.h"
#include "kulak/stage.h"
#include "kulak/util.h"

#include <dirent.h>
#include <msgpack.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define READ_BATCH 500
#define STUCK_ATTEMPTS 5

typedef struct {
    char *path;
    bool watched;
    int64_t size;
    int64_t mtime;
} pending_input_t;

struct kulak_collect_t {
    kulak_collect_options_t options;
    kulak_spool_t *spool;
    zsock_t *out;
    zsock_t *acks;
    zsock_t *control;
    kulak_counters_t counters;
    pending_input_t *inputs;
    size_t input_count;
    size_t input_next;
    kulak_input_t *reading;          /* the input being read */
    pending_input_t current;
    size_t current_records;
    size_t failed_inputs;
    uint64_t stored_new;
    uint64_t stored_updated;
    uint64_t quarantined;
    double last_scan;
    double last_progress;
    uint64_t last_progress_count;
    double last_resend_check;
    bool stop;
};

kulak_collect_t *
kulak_collect_new (const kulak_collect_options_t *options, char **err)
{
    kulak_collect_t *self = kulak_calloc (1, sizeof *self);
    self->options = *options;
    self->counters.stage = "collect";
    self->counters.started = kulak_now ();
    self->spool = kulak_spool_open (options->spool_path, err);
    if (self->spool && kulak_spool_reset (self->spool, err) != 0)
        kulak_spool_close (&self->spool);
    if (self->spool)
        self->out = kulak_socket (ZMQ_PUSH, options->out_endpoint, true, err);
    if (self->out) {
        zsock_set_sndhwm (self->out, (int) (options->window + 100));
        self->acks = kulak_socket (ZMQ_PULL, options->acks_endpoint, true, err);
    }
    if (self->acks && options->control_endpoint)
        self->control = kulak_socket (ZMQ_REP, options->control_endpoint, true, err);
    if (!self->acks || (options->control_endpoint && !self->control)) {
        kulak_collect_destroy (&self);
        return NULL;
    }
    return self;
}

void
kulak_collect_destroy (kulak_collect_t **self_p)
{
    kulak_collect_t *self = *self_p;
    if (!self)
        return;
    kulak_input_close (&self->reading);
    free (self->current.path);
    for (size_t i = self->input_next; i < self->input_count; i++)
        free (self->inputs [i].path);
    free (self->inputs);
    zsock_destroy (&self->control);
    zsock_destroy (&self->acks);
    zsock_destroy (&self->out);
    kulak_spool_close (&self->spool);
    free (self);
    *self_p = NULL;
}

static bool
already_queued (kulak_collect_t *self, const char *path)
{
    if (self->current.path && strcmp (self->current.path, path) == 0)
        return true;
    for (size_t i = self->input_next; i < self->input_count; i++)
        if (strcmp (self->inputs [i].path, path) == 0)
            return true;
    return false;
}

static void
queue_input (kulak_collect_t *self, const char *path, bool watched, int64_t size, int64_t mtime)
{
    self->inputs = kulak_realloc (self->inputs, (self->input_count + 1) * sizeof *self->inputs);
    pending_input_t *input = &self->inputs [self->input_count++];
    input->path = kulak_strdup (path);
    input->watched = watched;
    input->size = size;
    input->mtime = mtime;
}

void
kulak_collect_add_input (kulak_collect_t *self, const char *path)
{
    queue_input (self, path, false, 0, 0);
}

/* ---- reading inputs into the spool ---------------------------------------------------- */

static void
finish_input (kulak_collect_t *self)
{
    char *err = NULL;
    if (self->current.watched
        && kulak_spool_mark_file (self->spool, self->current.path, self->current.size,
                                  self->current.mtime, self->current_records, &err) != 0) {
        kulak_log ("%s", err);
        free (err);
    }
    kulak_input_close (&self->reading);
    kulak_free_str (&self->current.path);
}

/* Reads up to READ_BATCH records of the current input into the spool. Returns true when
   there may be more to read. */
static bool
read_some (kulak_collect_t *self)
{
    if (!self->reading) {
        if (self->input_next >= self->input_count)
            return false;
        self->current = self->inputs [self->input_next++];
        self->current_records = 0;
        char *err = NULL;
        self->reading = kulak_input_open (self->current.path, &self->options.input, &err);
        if (!self->reading) {
            kulak_log ("%s", err);
            free (err);
            self->failed_inputs++;
            kulak_free_str (&self->current.path);
            return self->input_next < self->input_count;
        }
    }
    kulak_record_t *batch [READ_BATCH];
    size_t count = 0;
    int rc = 1;
    char *err = NULL;
    while (count < READ_BATCH && (rc = kulak_input_next (self->reading, &batch [count], &err)) == 1) {
        if (batch [count]->quarantine_reason)
            kulak_log ("%s", batch [count]->quarantine_reason);
        self->counters.bytes_in += batch [count]->text ? strlen (batch [count]->text) : 0;
        count++;
    }
    if (count && kulak_spool_add (self->spool, batch, count, &err) != 0) {
        /* The spool is the promise; without it nothing may be sent. Stop reading this
           input and say so: the user re-runs once the disk is fixed. */
        kulak_log ("%s: %s; stopped reading %s", self->current.path, err, self->current.path);
        kulak_free_str (&err);
        rc = -1;
    }
    else {
        self->counters.in += count;
        self->current_records += count;
    }
    for (size_t i = 0; i < count; i++)
        kulak_record_destroy (&batch [i]);
    if (rc == -1) {
        if (err)
            kulak_log ("%s", err);
        free (err);
        self->failed_inputs++;
        kulak_input_close (&self->reading);
        kulak_free_str (&self->current.path);
        return true;
    }
    if (rc == 0)
        finish_input (self);
    return true;
}

/* ---- sending and acknowledgements ------------------------------------------------------ */

static int
send_one (const char *id, const void *payload, size_t len, int attempts, void *arg)
{
    (void) id;
    kulak_collect_t *self = arg;
    if (zmq_send (zsock_resolve (self->out), payload, len, ZMQ_DONTWAIT) < 0)
        return -1;                       /* nobody is taking more right now */
    self->counters.out++;
    self->counters.bytes_out += len;
    if (attempts > 0)
        self->counters.retried++;
    return 0;
}

static void
send_some (kulak_collect_t *self, double now)
{
    char *err = NULL;
    /* Re-send what waited too long for its ack first, whatever the window: records lost
       downstream (a stage killed, a full disk) still count as in flight, and a window full
       of them would otherwise block the run for good. */
    if (now - self->last_resend_check > self->options.resend_after / 4) {
        self->last_resend_check = now;
        if (kulak_spool_resend (self->spool, self->options.window, self->options.resend_after,
                                send_one, self, &err) < 0) {
            kulak_log ("%s", err);
            kulak_free_str (&err);
        }
    }
    size_t in_flight = kulak_spool_in_flight (self->spool);
    if (in_flight >= self->options.window)
        return;
    if (kulak_spool_send (self->spool, self->options.window - in_flight, 1e12, send_one, self,
                          &err) < 0) {
        kulak_log ("%s", err);
        free (err);
    }
}

static void
receive_acks (kulak_collect_t *self)
{
    zframe_t *frame = zframe_recv (self->acks);
    if (!frame)
        return;
    msgpack_unpacked result;
    msgpack_unpacked_init (&result);
    size_t offset = 0;
    char **owned = NULL;
    uint64_t *versions = NULL;
    size_t count = 0;
    if (kulak_msgpack_plausible (zframe_data (frame), zframe_size (frame))
        && msgpack_unpack_next (&result, (const char *) zframe_data (frame), zframe_size (frame),
                                &offset) == MSGPACK_UNPACK_SUCCESS
        && result.data.type == MSGPACK_OBJECT_ARRAY) {
        msgpack_object_array *array = &result.data.via.array;
        owned = kulak_calloc (array->size + 1, sizeof *owned);
        versions = kulak_calloc (array->size + 1, sizeof *versions);
        for (uint32_t i = 0; i < array->size; i++) {
            msgpack_object *item = &array->ptr [i];
            if (item->type != MSGPACK_OBJECT_ARRAY || item->via.array.size < 2
                || item->via.array.ptr [0].type != MSGPACK_OBJECT_STR
                || item->via.array.ptr [1].type != MSGPACK_OBJECT_POSITIVE_INTEGER)
                continue;
            owned [count] = kulak_strndup (item->via.array.ptr [0].via.str.ptr,
                                           item->via.array.ptr [0].via.str.size);
            if (item->via.array.size >= 3
                && item->via.array.ptr [2].type == MSGPACK_OBJECT_POSITIVE_INTEGER)
                versions [count] = item->via.array.ptr [2].via.u64;
            switch (item->via.array.ptr [1].via.u64) {
                case 1: self->stored_new++; break;
                case 2: self->stored_updated++; break;
                case 3: self->quarantined++; break;
                default: break;
            }
            count++;
        }
    }
    else {
        self->counters.rejected++;
        kulak_log ("ignored a malformed acknowledgement of %zu bytes", zframe_size (frame));
    }
    char *err = NULL;
    if (count && kulak_spool_ack (self->spool, (const char *const *) owned, versions, count,
                                  &err) != 0) {
        kulak_log ("%s", err);
        free (err);
    }
    for (size_t i = 0; i < count; i++)
        free (owned [i]);
    free (owned);
    free (versions);
    msgpack_unpacked_destroy (&result);
    zframe_destroy (&frame);
}

/* ---- control: agent notes and requests ------------------------------------------------- */

static char *
take_note (kulak_collect_t *self, const char *body)
{
    json_error_t error;
    json_t *object = json_loads (body, 0, &error);
    if (!object || !json_is_object (object)) {
        json_decref (object);
        return kulak_sprintf ("{\"ok\":false,\"error\":\"a note must be a JSON object: %s\"}",
                              object ? "got another value" : error.text);
    }
    kulak_input_options_t options = self->options.input;
    options.channel = KULAK_CHANNEL_AGENT_NOTE;
    options.map = NULL;
    kulak_record_t *record = kulak_input_from_json (object, &options, KULAK_CHANNEL_AGENT_NOTE,
                                                    "agent_note", "note");
    json_decref (object);
    kulak_buf_t reply;
    kulak_buf_init (&reply);
    if (record->quarantine_reason) {
        kulak_buf_puts (&reply, "{\"ok\":false,\"error\":");
        kulak_buf_json_string (&reply, record->quarantine_reason + strlen ("note: "));
        kulak_buf_putc (&reply, '}');
        kulak_record_destroy (&record);
        return kulak_buf_take (&reply);
    }
    if (!record->time) {
        char now [21];
        kulak_now_iso (now);
        record->time = kulak_strdup (now);
        kulak_record_make_id (record);
    }
    char *err = NULL;
    if (kulak_spool_add (self->spool, &record, 1, &err) != 0) {
        kulak_buf_puts (&reply, "{\"ok\":false,\"error\":");
        kulak_buf_json_string (&reply, err);
        kulak_buf_putc (&reply, '}');
        free (err);
    }
    else {
        /* Only now, with the note durable in the spool, does the agent get a receipt. */
        self->counters.in++;
        char now [21];
        kulak_now_iso (now);
        kulak_buf_printf (&reply, "{\"ok\":true,\"id\":\"%s\",\"spooled_at\":\"%s\"}",
                          record->id, now);
    }
    kulak_record_destroy (&record);
    return kulak_buf_take (&reply);
}

static void
handle_control (kulak_collect_t *self)
{
    self->counters.queue = kulak_spool_pending (self->spool);
    char *request = kulak_control_handle (self->control, &self->counters, &self->stop);
    if (!request)
        return;
    char *reply;
    if (strncmp (request, "NOTE ", 5) == 0)
        reply = take_note (self, request + 5);
    else if (strncmp (request, "INGEST ", 7) == 0) {
        kulak_collect_add_input (self, request + 7);
        reply = kulak_strdup ("{\"ok\":true}");
    }
    else if (strcmp (request, "SPOOL") == 0)
        reply = kulak_sprintf ("{\"pending\":%zu,\"in_flight\":%zu,\"stuck\":%zu,"
                               "\"stored_new\":%llu,\"stored_updated\":%llu,\"quarantined\":%llu}",
                               kulak_spool_pending (self->spool),
                               kulak_spool_in_flight (self->spool),
                               kulak_spool_stuck (self->spool, STUCK_ATTEMPTS),
                               (unsigned long long) self->stored_new,
                               (unsigned long long) self->stored_updated,
                               (unsigned long long) self->quarantined);
    else
        reply = kulak_strdup ("{\"ok\":false,\"error\":\"unknown command; try STATUS, SPOOL, "
                              "NOTE {json}, INGEST PATH, STOP\"}");
    zstr_send (self->control, reply);
    free (reply);
    zstr_free (&request);
}

/* ---- the watched folder ------------------------------------------------------------------ */

static bool
is_input_file (const char *name)
{
    const char *extensions [] = { ".csv", ".tsv", ".jsonl", ".ndjson", ".json", NULL };
    for (const char **e = extensions; *e; e++)
        if (kulak_str_ends_with (name, *e))
            return true;
    return false;
}

static void
scan_watch_dir (kulak_collect_t *self, double now)
{
    DIR *dir = opendir (self->options.watch_dir);
    if (!dir) {
        kulak_log ("cannot watch %s: it is not a readable folder", self->options.watch_dir);
        return;
    }
    for (struct dirent *entry; (entry = readdir (dir));) {
        if (entry->d_name [0] == '.' || !is_input_file (entry->d_name))
            continue;
        char *path = kulak_sprintf ("%s/%s", self->options.watch_dir, entry->d_name);
        struct stat st;
        /* A file still being written changes size; wait until it has rested 2 s. */
        if (stat (path, &st) == 0 && S_ISREG (st.st_mode) && now - (double) st.st_mtime >= 2
            && !already_queued (self, path)
            && !kulak_spool_file_done (self->spool, path, st.st_size, st.st_mtime)) {
            kulak_log ("new file in %s: %s", self->options.watch_dir, entry->d_name);
            queue_input (self, path, true, st.st_size, st.st_mtime);
        }
        free (path);
    }
    closedir (dir);
}

/* ---- the loop ------------------------------------------------------------------------------ */

int
kulak_collect_run (kulak_collect_t *self)
{
    zpoller_t *poller = zpoller_new (self->acks, self->control, NULL);
    double started = kulak_now ();
    self->last_progress = started;
    while (!self->stop && !zsys_interrupted) {
        double now = kulak_now ();
        if (self->options.watch_dir && now - self->last_scan >= 1.0) {
            scan_watch_dir (self, now);
            self->last_scan = now;
        }
        bool more_input = read_some (self);
        send_some (self, now);
        /* Counting the spool costs a scan: only when it can end the run. */
        size_t pending = more_input ? 1 : kulak_spool_pending (self->spool);
        if (self->options.until_drained && !more_input && pending == 0)
            break;
        /* Wait for acks and requests; don't wait while there is input to read. */
        void *which = zpoller_wait (poller, more_input ? 0 : 200);
        while (which) {
            if (which == self->acks)
                receive_acks (self);
            else if (which == self->control)
                handle_control (self);
            which = zpoller_wait (poller, 0);
        }
        if (zpoller_terminated (poller))
            break;
        uint64_t progress = self->counters.in + self->stored_new + self->stored_updated
                          + self->quarantined;
        if (self->options.progress_every > 0 && now - self->last_progress >= self->options.progress_every
            && progress != self->last_progress_count) {   /* nothing new: say nothing */
            self->last_progress_count = progress;
            pending = kulak_spool_pending (self->spool);
            kulak_log ("%llu records read, %llu stored, %zu waiting for the store%s%s",
                       (unsigned long long) self->counters.in,
                       (unsigned long long) (self->stored_new + self->stored_updated
                                             + self->quarantined),
                       pending, self->current.path ? "; reading " : "",
                       self->current.path ? self->current.path : "");
            self->last_progress = now;
        }
    }
    zpoller_destroy (&poller);
    size_t pending = kulak_spool_pending (self->spool);
    kulak_log ("%llu records read: %llu new, %llu already stored, %llu quarantined%s",
               (unsigned long long) self->counters.in, (unsigned long long) self->stored_new,
               (unsigned long long) self->stored_updated, (unsigned long long) self->quarantined,
               pending ? "" : "; spool empty");
    if (pending)
        kulak_log ("%zu records wait in the spool; they are sent again on the next start",
                   pending);
    return self->failed_inputs ? 1 : 0;
}
