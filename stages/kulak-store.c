/*  kulak-store: the single SQLite writer. Pulls tagged records, upserts them by id in
    batched transactions, and only after COMMIT sends their ids (with the spool version they
    came with) back to collect, which then forgets them. A record acknowledged is therefore
    on disk. Ack message: a MessagePack array of [id, status, version]. */
#include "kulak/lexicon.h"
#include "kulak/record.h"
#include "kulak/stage.h"
#include "kulak/store.h"
#include "kulak/tagger.h"
#include "kulak/util.h"

#include <msgpack.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_MAX 512

static const kulak_option_t s_options [] = {
    { "db", "FILE", "kulak.db", "the SQLite database to write" },
    { "bind", "ENDPOINT", "ipc:///tmp/kulak/store.ipc", "where tag workers push tagged records" },
    { "acks", "ENDPOINT", "ipc:///tmp/kulak/acks.ipc", "collect's acknowledgement input" },
    { "control", "ENDPOINT", NULL, "answer STATUS / STOP requests here (REP, bound)" },
    { "lexicons", "DIR", NULL, "lexicon folder, for the theme names table" },
    { NULL, NULL, NULL, NULL }
};

static const kulak_command_t s_command = {
    "kulak-store", "The store stage: batched, idempotent writes to SQLite, then acks.",
    "[OPTION]...", s_options,
    "Usually started by `kulak run`. By hand:\n"
    "  kulak-store --db /data/kulak.db --bind tcp://*:5552 --acks tcp://collector:5553"
};

typedef struct {
    kulak_store_t *store;
    kulak_counters_t counters;
    msgpack_sbuffer acks;
    msgpack_packer packer;
    size_t ack_count;
    char **ids;                  /* acks of the batch, in the order stored */
    uint8_t *statuses;
    uint64_t *versions;          /* the spool version each record came with */
} store_stage_t;

static void
themes_table (kulak_store_t *store, const char *lexicon_dir)
{
    char *err = NULL;
    kulak_tagger_options_t options = { lexicon_dir, "none", "none", "none", "none" };
    kulak_tagger_t *tagger = kulak_tagger_new (&options, &err);
    if (tagger) {
        kulak_lang_t langs [2] = { KULAK_LANG_TR, KULAK_LANG_EN };
        for (int i = 0; i < 2 && !err; i++)
            kulak_store_put_themes (store, kulak_tagger_lexicon (tagger, langs [i]), &err);
    }
    if (err) {
        kulak_log ("theme names not recorded: %s", err);
        free (err);
    }
    kulak_tagger_destroy (&tagger);
}

/* Stores one message; adds its ack. A record SQLite refuses goes to quarantine with the
   reason, so every delivered record ends somewhere a person can see it. */
static void
store_one (store_stage_t *self, zframe_t *frame)
{
    kulak_record_t *record = NULL;
    char *err = NULL;
    self->counters.in++;
    self->counters.bytes_in += zframe_size (frame);
    if (kulak_record_decode ((const char *) zframe_data (frame), zframe_size (frame), &record,
                             &err) != 0) {
        self->counters.rejected++;
        kulak_log ("dropped a message of %zu bytes: %s", zframe_size (frame), err);
        free (err);
        return;
    }
    kulak_stored_t status;
    if (kulak_store_put (self->store, record, &status, &err) != 0) {
        kulak_log ("%s; quarantined", err);
        record->quarantine_reason = kulak_sprintf ("store: %s", err);
        free (err);
        err = NULL;
        if (kulak_store_put (self->store, record, &status, &err) != 0) {
            kulak_log ("%s", err);
            free (err);
            kulak_record_destroy (&record);
            return;                          /* no ack: collect keeps it */
        }
    }
    self->ids = kulak_realloc (self->ids, (self->ack_count + 1) * sizeof *self->ids);
    self->statuses = kulak_realloc (self->statuses, self->ack_count + 1);
    self->versions = kulak_realloc (self->versions, (self->ack_count + 1) * sizeof *self->versions);
    self->ids [self->ack_count] = kulak_strdup (record->id);
    self->statuses [self->ack_count] = (uint8_t) status;
    self->versions [self->ack_count] = record->spool_version;
    self->ack_count++;
    kulak_record_destroy (&record);
}

static void
flush_batch (store_stage_t *self, zsock_t *acks)
{
    char *err = NULL;
    if (kulak_store_commit (self->store, &err) != 0) {
        /* Nothing acknowledged: collect re-sends the batch after its timeout. */
        kulak_log ("commit failed, will be re-sent: %s", err);
        free (err);
        kulak_store_rollback (self->store);
        zclock_sleep (1000);
    }
    else if (self->ack_count) {
        msgpack_sbuffer_clear (&self->acks);
        msgpack_pack_array (&self->packer, self->ack_count);
        for (size_t i = 0; i < self->ack_count; i++) {
            size_t len = strlen (self->ids [i]);
            msgpack_pack_array (&self->packer, 3);
            msgpack_pack_str (&self->packer, len);
            msgpack_pack_str_body (&self->packer, self->ids [i], len);
            msgpack_pack_uint8 (&self->packer, self->statuses [i]);
            msgpack_pack_uint64 (&self->packer, self->versions [i]);
        }
        zframe_t *frame = zframe_new (self->acks.data, self->acks.size);
        if (zframe_send (&frame, acks, 0) != 0)
            zframe_destroy (&frame);     /* collect re-sends; the upsert absorbs it */
        self->counters.out += self->ack_count;
        self->counters.bytes_out += self->acks.size;
    }
    for (size_t i = 0; i < self->ack_count; i++)
        free (self->ids [i]);
    self->ack_count = 0;
}

int
main (int argc, char **argv)
{
    kulak_args_t args;
    if (kulak_args_parse (&args, &s_command, argc, argv) != 0)
        return 2;
    kulak_stage_init ("kulak-store");
    store_stage_t self = { .counters = { .stage = "store", .started = kulak_now () } };
    char *err = NULL;
    self.store = kulak_store_open (kulak_args_get (&args, "db"), false, &err);
    if (!self.store) {
        kulak_log ("%s", err);
        return 1;
    }
    themes_table (self.store, kulak_args_get (&args, "lexicons"));
    zsock_t *in = kulak_socket (ZMQ_PULL, kulak_args_get (&args, "bind"), true, &err);
    zsock_t *acks = in ? kulak_socket (ZMQ_PUSH, kulak_args_get (&args, "acks"), false, &err) : NULL;
    zsock_t *control = NULL;
    if (acks && kulak_args_get (&args, "control"))
        control = kulak_socket (ZMQ_REP, kulak_args_get (&args, "control"), true, &err);
    if (!acks || (kulak_args_get (&args, "control") && !control)) {
        kulak_log ("%s", err);
        return 1;
    }
    msgpack_sbuffer_init (&self.acks);
    msgpack_packer_init (&self.packer, &self.acks, msgpack_sbuffer_write);
    zpoller_t *poller = zpoller_new (in, control, NULL);
    bool stop = false;
    while (!stop && !zsys_interrupted) {
        void *which = zpoller_wait (poller, 1000);
        if (!which) {
            if (zpoller_terminated (poller))
                break;
            continue;                    /* idle: a NULL is a timeout, not the control socket */
        }
        if (which == control) {
            char *unknown = kulak_control_handle (control, &self.counters, &stop);
            if (unknown) {
                zstr_send (control, "{\"ok\":false,\"error\":\"unknown command\"}");
                zstr_free (&unknown);
            }
            continue;
        }
        if (which != in)
            continue;
        if (kulak_store_begin (self.store, &err) != 0) {
            kulak_log ("%s", err);
            kulak_free_str (&err);
            zclock_sleep (1000);
            continue;
        }
        /* One transaction for whatever has arrived, up to BATCH_MAX records. */
        size_t taken = 0;
        do {
            zframe_t *frame = zframe_recv (in);
            if (!frame)
                break;
            store_one (&self, frame);
            zframe_destroy (&frame);
            taken++;
        } while (taken < BATCH_MAX && (zsock_events (in) & ZMQ_POLLIN));
        flush_batch (&self, acks);
    }
    kulak_log ("stopped: %llu records stored, %llu rejected",
               (unsigned long long) self.counters.out, (unsigned long long) self.counters.rejected);
    msgpack_sbuffer_destroy (&self.acks);
    free (self.ids);
    free (self.statuses);
    free (self.versions);
    zpoller_destroy (&poller);
    zsock_destroy (&control);
    zsock_destroy (&acks);
    zsock_destroy (&in);
    kulak_store_close (&self.store);
    kulak_args_free (&args);
    return 0;
}
