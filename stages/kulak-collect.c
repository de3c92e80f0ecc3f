/*  kulak-collect: the collect stage. Reads inputs into its durable spool and sends them
    down the chain; forgets a record only when the store acknowledges it. */
#include "kulak/collect.h"
#include "kulak/stage.h"
#include "kulak/util.h"

#include <stdlib.h>

static const kulak_option_t s_options [] = {
    { "spool", "FILE", "kulak.spool.db", "the durable spool (SQLite)" },
    { "bind", "ENDPOINT", "ipc:///tmp/kulak/collect.ipc", "where normalize pulls records from" },
    { "acks", "ENDPOINT", "ipc:///tmp/kulak/acks.ipc", "where the store sends acknowledgements" },
    { "control", "ENDPOINT", NULL, "agent notes, STATUS, INGEST, STOP requests (REP, bound)" },
    { "watch", "DIR", NULL, "ingest files that appear in this folder" },
    { "channel", "NAME", NULL, "channel of every input record: review, survey, social, agent_note" },
    { "source", "NAME", NULL, "source of every input record (default: its field, else the file name)" },
    { "lang", "tr|en", NULL, "language of every input record (default: its field, else detected)" },
    { "map", "FIELD=COLUMN,...", NULL, "where our fields are in the input, e.g. text=Yorum,rating=Puan" },
    { "utc-offset", "+HH:MM", "+00:00", "zone of input times that name none (+03:00: Istanbul)" },
    { "until-drained", NULL, NULL, "exit once every input is read and every record stored" },
    { "window", "N", "5000", "records sent but not yet acknowledged, at most" },
    { "resend-after", "SECONDS", "30", "re-send a record not acknowledged for this long" },
    { "progress", "SECONDS", "5", "seconds between progress lines (0: none)" },
    { NULL, NULL, NULL, NULL }
};

static const kulak_command_t s_command = {
    "kulak-collect", "The collect stage: inputs -> durable spool -> the chain; acks -> forget.",
    "[OPTION]... [INPUT]...", s_options,
    "Inputs are CSV, TSV or JSON Lines files. Usually started by `kulak run`. By hand:\n"
    "  kulak-collect --bind tcp://*:5550 --acks tcp://*:5553 --watch /srv/feedback/inbox"
};

int
main (int argc, char **argv)
{
    kulak_args_t args;
    if (kulak_args_parse (&args, &s_command, argc, argv) != 0)
        return 2;
    kulak_stage_init ("kulak-collect");
    long window, resend, progress;
    if (kulak_args_int (&args, "window", 1, 1000000, &window) != 0
        || kulak_args_int (&args, "resend-after", 1, 86400, &resend) != 0
        || kulak_args_int (&args, "progress", 0, 86400, &progress) != 0)
        return 2;
    kulak_collect_options_t options = {
        .spool_path = kulak_args_get (&args, "spool"),
        .out_endpoint = kulak_args_get (&args, "bind"),
        .acks_endpoint = kulak_args_get (&args, "acks"),
        .control_endpoint = kulak_args_get (&args, "control"),
        .watch_dir = kulak_args_get (&args, "watch"),
        .until_drained = kulak_args_flag (&args, "until-drained"),
        .window = (size_t) window,
        .resend_after = (double) resend,
        .progress_every = (double) progress,
    };
    options.input.source = kulak_args_get (&args, "source");
    options.input.map = kulak_args_get (&args, "map");
    if (kulak_args_get (&args, "channel")) {
        options.input.channel = kulak_channel_parse (kulak_args_get (&args, "channel"));
        if (!options.input.channel) {
            kulak_log ("--channel must be review, survey, social or agent_note");
            return 2;
        }
    }
    if (kulak_args_get (&args, "lang")) {
        options.input.lang = kulak_lang_parse (kulak_args_get (&args, "lang"));
        if (!options.input.lang) {
            kulak_log ("--lang must be tr or en");
            return 2;
        }
    }
    if (kulak_input_parse_offset (kulak_args_get (&args, "utc-offset"), &options.input.utc_offset) != 0) {
        kulak_log ("--utc-offset must look like +03:00 or -05:00");
        return 2;
    }
    char *err = NULL;
    if (kulak_input_check_map (options.input.map, &err) != 0) {
        kulak_log ("%s", err);
        return 2;
    }
    kulak_collect_t *collect = kulak_collect_new (&options, &err);
    if (!collect) {
        kulak_log ("%s", err);
        return 1;
    }
    for (int i = 0; i < args.positional_count; i++)
        kulak_collect_add_input (collect, args.positional [i]);
    int rc = kulak_collect_run (collect);
    kulak_collect_destroy (&collect);
    kulak_args_free (&args);
    return rc;
}
