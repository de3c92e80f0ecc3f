/*  kulak-tag: a tag worker. Pulls normalized records, finds themes, sentiment and the
    complaint flag with the lexicons and models, pushes them to the store. Stateless and
    CPU-bound: start one per core (`kulak run --workers N`). */
#include "kulak/record.h"
#include "kulak/stage.h"
#include "kulak/tagger.h"
#include "kulak/util.h"

#include <stdlib.h>

static const kulak_option_t s_options [] = {
    { "connect", "ENDPOINT", "ipc:///tmp/kulak/normalize.ipc", "normalize's output to pull records from" },
    { "store", "ENDPOINT", "ipc:///tmp/kulak/store.ipc", "the store's input to push tagged records to" },
    { "control", "ENDPOINT", NULL, "answer STATUS / STOP requests here (REP, bound)" },
    { "lexicons", "DIR", NULL, "lexicon folder (default: $KULAK_LEXICONS or ../lexicons next to bin/)" },
    { "model-tr", "FILE|none", NULL, "Turkish sentiment model (default: LEXICONS/tr/model.tsv)" },
    { "model-en", "FILE|none", NULL, "English sentiment model (default: LEXICONS/en/model.tsv)" },
    { "themes-tr", "FILE|none", NULL, "Turkish theme model (default: LEXICONS/tr/themes.tsv)" },
    { "themes-en", "FILE|none", NULL, "English theme model (default: LEXICONS/en/themes.tsv)" },
    { NULL, NULL, NULL, NULL }
};

static const kulak_command_t s_command = {
    "kulak-tag", "A tag worker: themes, sentiment and complaints with their evidence.",
    "[OPTION]...", s_options,
    "Usually started by `kulak run --workers N`. By hand, e.g. more workers on another host:\n"
    "  kulak-tag --connect tcp://normalizer:5551 --store tcp://storehost:5552"
};

static void
tag (kulak_record_t *record, void *arg)
{
    if (!record->quarantine_reason)
        kulak_tagger_tag (arg, record);
}

int
main (int argc, char **argv)
{
    kulak_args_t args;
    if (kulak_args_parse (&args, &s_command, argc, argv) != 0)
        return 2;
    kulak_stage_init ("kulak-tag");
    char *err = NULL;
    kulak_tagger_options_t options = {
        kulak_args_get (&args, "lexicons"), kulak_args_get (&args, "model-tr"),
        kulak_args_get (&args, "model-en"), kulak_args_get (&args, "themes-tr"),
        kulak_args_get (&args, "themes-en")
    };
    kulak_tagger_t *tagger = kulak_tagger_new (&options, &err);
    if (!tagger) {
        kulak_log ("%s", err);
        return 1;
    }
    zsock_t *in = kulak_socket (ZMQ_PULL, kulak_args_get (&args, "connect"), false, &err);
    zsock_t *out = in ? kulak_socket (ZMQ_PUSH, kulak_args_get (&args, "store"), false, &err) : NULL;
    zsock_t *control = NULL;
    if (out && kulak_args_get (&args, "control"))
        control = kulak_socket (ZMQ_REP, kulak_args_get (&args, "control"), true, &err);
    if (!out || (kulak_args_get (&args, "control") && !control)) {
        kulak_log ("%s", err);
        return 1;
    }
    kulak_counters_t counters = { .stage = "tag", .started = kulak_now () };
    kulak_stage_pipe (in, out, control, &counters, tag, tagger);
    kulak_log ("stopped: %llu records in, %llu out, %llu rejected",
               (unsigned long long) counters.in, (unsigned long long) counters.out,
               (unsigned long long) counters.rejected);
    zsock_destroy (&control);
    zsock_destroy (&out);
    zsock_destroy (&in);
    kulak_tagger_destroy (&tagger);
    kulak_args_free (&args);
    return 0;
}
