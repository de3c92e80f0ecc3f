/*  kulak-normalize: the normalize stage. Pulls records from collect, repairs encoding,
    masks personal data, applies NFKC and identifies the language, pushes them to the tag
    workers. Stateless: run as many as you like. */
#include "kulak/normalize.h"
#include "kulak/record.h"
#include "kulak/stage.h"
#include "kulak/util.h"

static const kulak_option_t s_options [] = {
    { "connect", "ENDPOINT", "ipc:///tmp/kulak/collect.ipc", "collect's output to pull records from" },
    { "bind", "ENDPOINT", "ipc:///tmp/kulak/normalize.ipc", "where tag workers pull normalized records" },
    { "control", "ENDPOINT", NULL, "answer STATUS / STOP requests here (REP, bound)" },
    { "default-lang", "tr|en", "tr", "language for texts that give no clue (\"ok\", an emoji)" },
    { NULL, NULL, NULL, NULL }
};

static const kulak_command_t s_command = {
    "kulak-normalize", "The normalize stage: UTF-8 repair, masking, NFKC, language id.",
    "[OPTION]...", s_options,
    "Usually started by `kulak run`. By hand, e.g. on a second host:\n"
    "  kulak-normalize --connect tcp://collector:5550 --bind tcp://*:5551"
};

static void
normalize (kulak_record_t *record, void *arg)
{
    kulak_normalize (record, *(kulak_lang_t *) arg);
}

int
main (int argc, char **argv)
{
    kulak_args_t args;
    if (kulak_args_parse (&args, &s_command, argc, argv) != 0)
        return 2;
    kulak_stage_init ("kulak-normalize");
    kulak_lang_t fallback = kulak_lang_parse (kulak_args_get (&args, "default-lang"));
    if (!fallback) {
        kulak_log ("--default-lang must be tr or en");
        return 2;
    }
    char *err = NULL;
    zsock_t *in = kulak_socket (ZMQ_PULL, kulak_args_get (&args, "connect"), false, &err);
    zsock_t *out = in ? kulak_socket (ZMQ_PUSH, kulak_args_get (&args, "bind"), true, &err) : NULL;
    zsock_t *control = NULL;
    if (out && kulak_args_get (&args, "control"))
        control = kulak_socket (ZMQ_REP, kulak_args_get (&args, "control"), true, &err);
    if (!out || (kulak_args_get (&args, "control") && !control)) {
        kulak_log ("%s", err);
        return 1;
    }
    kulak_counters_t counters = { .stage = "normalize", .started = kulak_now () };
    kulak_stage_pipe (in, out, control, &counters, normalize, &fallback);
    kulak_log ("stopped: %llu records in, %llu out, %llu rejected",
               (unsigned long long) counters.in, (unsigned long long) counters.out,
               (unsigned long long) counters.rejected);
    zsock_destroy (&control);
    zsock_destroy (&out);
    zsock_destroy (&in);
    kulak_args_free (&args);
    return 0;
}
