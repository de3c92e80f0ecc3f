/*  tag_throughput.c: in-process tagging speed of libkulak, the number bench/run.sh sets
    against VADER's.

    Reads the text column of a labelled TSV (header `id label text [theme]`), loads the
    tagger once, then normalizes and tags every text as `kulak tag` does (kulak_normalize,
    kulak_tagger_tag), round after round, on one thread. Loading the lexicons and reading
    the file are not counted; an untimed warm-up runs first (2,000 texts, then whole passes
    until --warm-up seconds have gone by, as bench/vader.js does). Prints one JSON line:
        {"file":..., "texts":N, "rounds":R, "seconds":S, "texts_per_second":X, ...}
    The seconds are only there to compute texts_per_second: bench/run.sh reports the ratio
    against a baseline measured in the same run, never a bare time. */
#include "kulak/normalize.h"
#include "kulak/record.h"
#include "kulak/stage.h"
#include "kulak/tagger.h"
#include "kulak/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const kulak_option_t s_options [] = {
    { "rounds", "N", "0", "tag every text N times (0: as many rounds as fill --seconds)" },
    { "seconds", "S", "3", "with --rounds 0, keep going for at least this long" },
    { "warm-up", "S", "0", "untimed warm-up: 2,000 texts, then whole passes until S seconds have gone by" },
    { "lang", "tr|en", NULL, "language of every text (default: detected per text)" },
    { "lexicons", "DIR", NULL, "lexicon folder (default: $KULAK_LEXICONS or ./lexicons)" },
    { "model-tr", "FILE|none", NULL, "Turkish sentiment model (default: LEXICONS/tr/model.tsv)" },
    { "model-en", "FILE|none", NULL, "English sentiment model (default: LEXICONS/en/model.tsv)" },
    { "themes-tr", "FILE|none", NULL, "Turkish theme model (default: LEXICONS/tr/themes.tsv)" },
    { "themes-en", "FILE|none", NULL, "English theme model (default: LEXICONS/en/themes.tsv)" },
    { NULL, NULL, NULL, NULL }
};

static const kulak_command_t s_command = {
    "tag_throughput", "Texts per second of in-process normalize + tag, on one thread.",
    "[OPTION]... FILE.tsv", s_options,
    "Example:\n"
    "  bench/out/tag_throughput --lang en ../shared/datasets/en_vader_tweets/eval.tsv"
};

typedef struct {
    char **items;
    size_t count;
    size_t bytes;
} texts_t;

static double
monotonic_seconds (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static double
cpu_seconds (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* The third tab-separated column of every line after the header. */
static int
read_texts (const char *path, texts_t *texts)
{
    FILE *file = fopen (path, "r");
    if (!file) {
        perror (path);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    size_t cap_items = 0;
    bool header = true;
    while ((len = getline (&line, &cap, file)) >= 0) {
        while (len > 0 && (line [len - 1] == '\n' || line [len - 1] == '\r'))
            line [--len] = 0;
        if (header) {
            header = false;
            continue;
        }
        char *text = strchr (line, '\t');
        text = text ? strchr (text + 1, '\t') : NULL;
        if (!text)
            continue;
        text++;
        char *end = strchr (text, '\t');
        size_t text_len = end ? (size_t) (end - text) : strlen (text);
        if (texts->count == cap_items) {
            cap_items = cap_items ? cap_items * 2 : 1024;
            texts->items = realloc (texts->items, cap_items * sizeof *texts->items);
            if (!texts->items) {
                fprintf (stderr, "tag_throughput: out of memory\n");
                exit (1);
            }
        }
        texts->items [texts->count++] = kulak_strndup (text, text_len);
        texts->bytes += text_len;
    }
    free (line);
    fclose (file);
    return 0;
}

static void
tag_all (kulak_tagger_t *tagger, const texts_t *texts, size_t limit, kulak_lang_t lang,
         size_t *themes, size_t *negative)
{
    for (size_t i = 0; i < texts->count && i < limit; i++) {
        kulak_record_t *record = kulak_record_new ();
        record->text = kulak_strdup (texts->items [i]);
        record->lang = lang;
        kulak_normalize (record, KULAK_LANG_TR);
        kulak_tagger_tag (tagger, record);
        *themes += record->theme_count;
        *negative += record->label == KULAK_LABEL_NEG;
        kulak_record_destroy (&record);
    }
}

int
main (int argc, char **argv)
{
    kulak_args_t args;
    if (kulak_args_parse (&args, &s_command, argc, argv) != 0)
        return 2;
    long rounds, min_seconds;
    if (kulak_args_int (&args, "rounds", 0, 1000000, &rounds) != 0
        || kulak_args_int (&args, "seconds", 1, 3600, &min_seconds) != 0)
        return 2;
    char *end;
    double warm_seconds = strtod (kulak_args_get (&args, "warm-up"), &end);
    if (*end || !(warm_seconds >= 0 && warm_seconds <= 3600)) {
        fprintf (stderr, "tag_throughput: --warm-up takes seconds from 0 to 3600 (e.g. 1 or 0.5)\n");
        return 2;
    }
    if (args.positional_count != 1) {
        fprintf (stderr, "tag_throughput: give one TSV file (see --help)\n");
        return 2;
    }
    kulak_lang_t lang = KULAK_LANG_UNKNOWN;
    if (kulak_args_get (&args, "lang") && !(lang = kulak_lang_parse (kulak_args_get (&args, "lang")))) {
        fprintf (stderr, "tag_throughput: --lang is tr or en\n");
        return 2;
    }
    const char *path = args.positional [0];
    texts_t texts = { NULL, 0, 0 };
    if (read_texts (path, &texts) != 0)
        return 1;
    if (texts.count == 0) {
        fprintf (stderr, "tag_throughput: %s has no rows with a text column\n", path);
        return 1;
    }
    kulak_tagger_options_t options = {
        kulak_args_get (&args, "lexicons"), kulak_args_get (&args, "model-tr"),
        kulak_args_get (&args, "model-en"), kulak_args_get (&args, "themes-tr"),
        kulak_args_get (&args, "themes-en")
    };
    char *err = NULL;
    kulak_tagger_t *tagger = kulak_tagger_new (&options, &err);
    if (!tagger) {
        fprintf (stderr, "tag_throughput: %s\n", err);
        free (err);
        return 1;
    }
    size_t themes = 0, negative = 0;
    double warm_start = monotonic_seconds ();                        /* warm-up, not counted */
    tag_all (tagger, &texts, 2000, lang, &themes, &negative);
    while (monotonic_seconds () - warm_start < warm_seconds)
        tag_all (tagger, &texts, texts.count, lang, &themes, &negative);
    themes = negative = 0;

    double wall_start = monotonic_seconds ();
    double cpu_start = cpu_seconds ();
    long done = 0;
    while (rounds ? done < rounds : (done == 0 || monotonic_seconds () - wall_start < min_seconds)) {
        tag_all (tagger, &texts, texts.count, lang, &themes, &negative);
        done++;
    }
    double wall = monotonic_seconds () - wall_start;
    double cpu = cpu_seconds () - cpu_start;
    double tagged = (double) texts.count * (double) done;
    printf ("{\"file\":\"%s\",\"texts\":%zu,\"rounds\":%ld,\"seconds\":%.4f,"
            "\"cpu_seconds\":%.4f,\"texts_per_second\":%.1f,\"texts_per_cpu_second\":%.1f,"
            "\"mb_per_second\":%.3f,\"themes_per_text\":%.3f,\"negative_share\":%.3f}\n",
            path, texts.count, done, wall, cpu, tagged / wall, tagged / cpu,
            (double) texts.bytes * (double) done / wall / 1e6, (double) themes / tagged,
            (double) negative / tagged);
    for (size_t i = 0; i < texts.count; i++)
        free (texts.items [i]);
    free (texts.items);
    kulak_tagger_destroy (&tagger);
    kulak_args_free (&args);
    return 0;
}
