/*  kulak: the command line. Each subcommand parses its options and calls the library:
    run (the pipeline), tag, eval, train, digest, estimate, note, status. */
#include "kulak/evaluate.h"
#include "kulak/input.h"
#include "kulak/normalize.h"
#include "kulak/note.h"
#include "kulak/report.h"
#include "kulak/runner.h"
#include "kulak/stage.h"
#include "kulak/store.h"
#include "kulak/tagger.h"
#include "kulak/util.h"

#include <errno.h>
#include <limits.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LEXICON_OPTIONS \
    { "lexicons", "DIR", NULL, "lexicon folder (default: $KULAK_LEXICONS or ../lexicons next to bin/)" }, \
    { "model-tr", "FILE|none", NULL, "Turkish sentiment model (default: LEXICONS/tr/model.tsv)" }, \
    { "model-en", "FILE|none", NULL, "English sentiment model (default: LEXICONS/en/model.tsv)" }, \
    { "themes-tr", "FILE|none", NULL, "Turkish theme model (default: LEXICONS/tr/themes.tsv)" }, \
    { "themes-en", "FILE|none", NULL, "English theme model (default: LEXICONS/en/themes.tsv)" }, \
    { "model", "FILE|none", NULL, "one sentiment model for its language, or none for the lexicons "\
                                  "alone (no theme models either)" }

static kulak_tagger_t *
tagger_from (const kulak_args_t *args, const char *program)
{
    kulak_tagger_options_t options = {
        kulak_args_get (args, "lexicons"), kulak_args_get (args, "model-tr"),
        kulak_args_get (args, "model-en"), kulak_args_get (args, "themes-tr"),
        kulak_args_get (args, "themes-en")
    };
    const char *model = kulak_args_get (args, "model");
    char *err = NULL;
    if (model && strcmp (model, "none") == 0) {
        options.model_tr = options.model_en = "none";
        /* the lexicons alone, unless a theme model is asked for by name */
        options.themes_tr = options.themes_tr ? options.themes_tr : "none";
        options.themes_en = options.themes_en ? options.themes_en : "none";
    }
    else if (model) {
        /* One model file: it says its language. */
        kulak_model_t *probe = kulak_model_load (model, &err);
        if (!probe) {
            fprintf (stderr, "%s: %s\n", program, err);
            free (err);
            return NULL;
        }
        if (kulak_model_lang (probe) == KULAK_LANG_TR)
            options.model_tr = model;
        else
            options.model_en = model;
        kulak_model_destroy (&probe);
    }
    kulak_tagger_t *tagger = kulak_tagger_new (&options, &err);
    if (!tagger) {
        fprintf (stderr, "%s: %s\n", program, err);
        free (err);
    }
    return tagger;
}

/* ---- run ------------------------------------------------------------------------------ */

static const kulak_option_t s_run_options [] = {
    { "db", "FILE", "kulak.db", "the SQLite database to fill" },
    { "workers", "N", "2", "tag worker processes" },
    { "serve", NULL, NULL, "keep running for agent notes (kulak note) and --watch" },
    { "watch", "DIR", NULL, "ingest files that appear in this folder (with --serve)" },
    { "http", "[HOST:]PORT", NULL, "with --serve: note form, digest and status for browsers "
                                   "(127.0.0.1 unless a host is given)" },
    { "map", "FIELD=COLUMN,...", NULL, "where our fields are in the inputs, e.g. text=Yorum,rating=Puan" },
    { "utc-offset", "+HH:MM", NULL, "zone of input times that name none (default UTC; +03:00: Istanbul)" },
    { "channel", "NAME", NULL, "channel of every input: review, survey, social, agent_note" },
    { "source", "NAME", NULL, "source of every input record (default: its field, else the file name)" },
    { "lang", "tr|en", NULL, "language of every input record (default: detected per record)" },
    { "default-lang", "tr|en", "tr", "language for records that give no clue (\"ok\", \"Hanoi\", an emoji)" },
    { "lexicons", "DIR", NULL, "lexicon folder for the tag workers" },
    { "model-tr", "FILE|none", NULL, "Turkish sentiment model for the tag workers" },
    { "model-en", "FILE|none", NULL, "English sentiment model for the tag workers" },
    { "themes-tr", "FILE|none", NULL, "Turkish theme model for the tag workers" },
    { "themes-en", "FILE|none", NULL, "English theme model for the tag workers" },
    { NULL, NULL, NULL, NULL }
};

static const kulak_command_t s_run = {
    "kulak run", "Start the stages, ingest the inputs, wait until every record is stored, stop.",
    "[OPTION]... INPUT...", s_run_options,
    "Inputs are CSV, TSV or JSON Lines files of reviews, surveys, social mentions or agent\n"
    "notes. Ingesting the same input twice adds nothing: records have stable ids.\n"
    "Examples:\n"
    "  kulak run --db kulak.db examples/*.csv examples/*.jsonl\n"
    "  kulak run --map 'text=Yorum,rating=Puan' export.csv\n"
    "  kulak run --serve --watch inbox/"
};

static int
cmd_run (int argc, char **argv)
{
    kulak_args_t args;
    if (kulak_args_parse (&args, &s_run, argc, argv) != 0)
        return 2;
    long workers;
    if (kulak_args_int (&args, "workers", 1, 64, &workers) != 0)
        return 2;
    if ((kulak_args_get (&args, "http") || kulak_args_get (&args, "watch"))
        && !kulak_args_flag (&args, "serve")) {
        fprintf (stderr, "kulak run: --http and --watch need --serve\n");
        return 2;
    }
    if (args.positional_count == 0 && !kulak_args_flag (&args, "serve")) {
        fprintf (stderr, "kulak run: give input files, or --serve (see kulak run --help)\n");
        return 2;
    }
    for (int i = 0; i < args.positional_count; i++)
        if (access (args.positional [i], R_OK) != 0) {
            fprintf (stderr, "kulak run: cannot read %s: %s\n", args.positional [i],
                     strerror (errno));
            return 2;
        }
    char *map_err = NULL;
    if (kulak_input_check_map (kulak_args_get (&args, "map"), &map_err) != 0) {
        fprintf (stderr, "kulak run: %s\n", map_err);
        free (map_err);
        return 2;
    }
    int offset;
    if (kulak_args_get (&args, "utc-offset")
        && kulak_input_parse_offset (kulak_args_get (&args, "utc-offset"), &offset) != 0) {
        fprintf (stderr, "kulak run: --utc-offset must look like +03:00 or -05:00\n");
        return 2;
    }
    if (kulak_args_get (&args, "channel") && !kulak_channel_parse (kulak_args_get (&args, "channel"))) {
        fprintf (stderr, "kulak run: --channel must be review, survey, social or agent_note\n");
        return 2;
    }
    if (kulak_args_get (&args, "lang") && !kulak_lang_parse (kulak_args_get (&args, "lang"))) {
        fprintf (stderr, "kulak run: --lang must be tr or en\n");
        return 2;
    }
    if (!kulak_lang_parse (kulak_args_get (&args, "default-lang"))) {
        fprintf (stderr, "kulak run: --default-lang must be tr or en\n");
        return 2;
    }
    kulak_run_options_t options = {
        .db = kulak_args_get (&args, "db"),
        .workers = (int) workers,
        .serve = kulak_args_flag (&args, "serve"),
        .watch_dir = kulak_args_get (&args, "watch"),
        .http = kulak_args_get (&args, "http"),
        .map = kulak_args_get (&args, "map"),
        .utc_offset = kulak_args_get (&args, "utc-offset"),
        .channel = kulak_args_get (&args, "channel"),
        .source = kulak_args_get (&args, "source"),
        .lang = kulak_args_get (&args, "lang"),
        .default_lang = kulak_args_get (&args, "default-lang"),
        .lexicons = kulak_args_get (&args, "lexicons"),
        .model_tr = kulak_args_get (&args, "model-tr"),
        .model_en = kulak_args_get (&args, "model-en"),
        .themes_tr = kulak_args_get (&args, "themes-tr"),
        .themes_en = kulak_args_get (&args, "themes-en"),
        .inputs = args.positional,
        .input_count = args.positional_count,
    };
    int rc = kulak_run (&options);
    kulak_args_free (&args);
    return rc;
}

/* ---- tag ------------------------------------------------------------------------------ */

static const kulak_option_t s_tag_options [] = {
    { "lang", "tr|en", NULL, "language of every line (default: detected per line)" },
    { "default-lang", "tr|en", "tr", "language for lines that give no clue (\"ok\", an emoji)" },
    { "explain", NULL, NULL, "add the model features that decided each label" },
    LEXICON_OPTIONS,
    { NULL, NULL, NULL, NULL }
};

static const kulak_command_t s_tag = {
    "kulak tag", "Tag one text per input line: one JSON object per output line, same order.",
    "[OPTION]... < TEXTS", s_tag_options,
    "Output: {\"lang\", \"sentiment\" (-1..1), \"label\" (pos|neg|neu), \"themes\" (ids),\n"
    "\"complaint\", \"theme_evidence\", \"evidence\"}; evidence offsets count code points of\n"
    "the normalized (NFKC, masked) text.\n"
    "Example:\n"
    "  echo 'Kargo üç gündür gelmedi' | kulak tag"
};

static int
cmd_tag (int argc, char **argv)
{
    kulak_args_t args;
    if (kulak_args_parse (&args, &s_tag, argc, argv) != 0)
        return 2;
    kulak_lang_t forced = kulak_lang_parse (kulak_args_get (&args, "lang"));
    kulak_lang_t fallback = kulak_lang_parse (kulak_args_get (&args, "default-lang"));
    if ((kulak_args_get (&args, "lang") && !forced) || !fallback) {
        fprintf (stderr, "kulak tag: languages are tr or en\n");
        return 2;
    }
    kulak_tagger_t *tagger = tagger_from (&args, "kulak tag");
    if (!tagger)
        return 1;
    bool explain = kulak_args_flag (&args, "explain");
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline (&line, &cap, stdin)) >= 0) {
        while (len > 0 && (line [len - 1] == '\n' || line [len - 1] == '\r'))
            line [--len] = 0;
        kulak_record_t *record = kulak_record_new ();
        record->text = kulak_strndup (line, (size_t) len);
        record->lang = forced;
        kulak_normalize (record, fallback);
        kulak_tagger_tag (tagger, record);
        char *model = explain ? kulak_tagger_explain (tagger, record) : NULL;
        char *json = kulak_tagger_json (record, model);
        puts (json);
        free (json);
        free (model);
        kulak_record_destroy (&record);
    }
    free (line);
    kulak_tagger_destroy (&tagger);
    kulak_args_free (&args);
    return 0;
}

/* ---- eval and train ------------------------------------------------------------------- */

static const kulak_option_t s_eval_options [] = {
    { "map", "FILE", NULL, "category -> theme ids (TSV) to score the file's theme column" },
    { "errors", "N", "0", "list the N worst mistakes (furthest from their gold label) with "
                          "their evidence, and the N rows whose themes were most wrong" },
    { "cv", "K", "0", "folds of cross-validation; 0: 5 folds, and only when rows of the "
                      "file trained the model" },
    { "json", NULL, NULL, "one JSON line per file instead of the report" },
    { "predictions", "FILE", NULL, "write every row's gold and predicted label, score, themes "
                                   "and what scored it (TSV; -: to stdout, and the report "
                                   "to stderr)" },
    LEXICON_OPTIONS,
    { NULL, NULL, NULL, NULL }
};

static const kulak_command_t s_eval = {
    "kulak eval", "Score tagging against labelled TSV files (header: id label text [theme]).",
    "[OPTION]... FILE.tsv...", s_eval_options,
    "Prints accuracy, macro-F1, per-class precision/recall/F1 and the confusion matrix;\n"
    "theme recall and precision with --map. A model is never scored on its own training\n"
    "rows: files it was trained on are cross-validated by id. --predictions lists every\n"
    "row's label, for checking or correcting labels and re-training.\n"
    "Examples:\n"
    "  kulak eval --map theme_map.tsv --errors 10 survey.tsv\n"
    "  kulak eval --predictions rows.tsv survey.tsv"
};

/* The first of files[] that is the file at path (the same inode), or NULL. */
static const char *
same_file_as (const char *path, char **files, int count)
{
    struct stat target;
    if (stat (path, &target) != 0)
        return NULL;
    for (int i = 0; i < count; i++) {
        struct stat st;
        if (stat (files [i], &st) == 0 && st.st_dev == target.st_dev
            && st.st_ino == target.st_ino)
            return files [i];
    }
    return NULL;
}

static int
cmd_eval (int argc, char **argv)
{
    kulak_args_t args;
    if (kulak_args_parse (&args, &s_eval, argc, argv) != 0)
        return 2;
    long errors, cv;
    if (kulak_args_int (&args, "errors", 0, 100000, &errors) != 0
        || kulak_args_int (&args, "cv", 0, 50, &cv) != 0)
        return 2;
    if (cv == 1) {
        fprintf (stderr, "kulak eval: --cv needs at least 2 folds\n");
        return 2;
    }
    if (args.positional_count == 0) {
        fprintf (stderr, "kulak eval: give labelled TSV files (see kulak eval --help)\n");
        return 2;
    }
    kulak_tagger_t *tagger = tagger_from (&args, "kulak eval");
    if (!tagger)
        return 1;
    kulak_eval_options_t options = {
        .theme_map = kulak_args_get (&args, "map"), .errors = (int) errors, .cv = (int) cv,
        .json = kulak_args_flag (&args, "json")
    };
    const char *predictions = kulak_args_get (&args, "predictions");
    /* "-": the rows go to stdout, for a pipe, and the report to stderr */
    bool to_stdout = predictions && strcmp (predictions, "-") == 0;
    const char *input = predictions && !to_stdout
                      ? same_file_as (predictions, args.positional, args.positional_count)
                      : NULL;
    if (input) {
        fprintf (stderr, "kulak eval: --predictions %s is the input %s: give another file\n",
                 predictions, input);
        kulak_tagger_destroy (&tagger);
        kulak_args_free (&args);
        return 2;
    }
    if (predictions) {
        options.predictions = to_stdout ? stdout : fopen (predictions, "w");
        if (!options.predictions) {
            fprintf (stderr, "kulak eval: --predictions %s: %s\n", predictions,
                     strerror (errno));
            kulak_tagger_destroy (&tagger);
            kulak_args_free (&args);
            return 1;
        }
    }
    int rc = kulak_eval (tagger, args.positional, args.positional_count, &options,
                         to_stdout ? stderr : stdout);
    if (options.predictions) {
        /* a full disk shows at the latest when the buffer is flushed */
        errno = 0;
        bool failed = fflush (options.predictions) != 0 || ferror (options.predictions);
        int why = errno ? errno : EIO;
        if (!to_stdout && fclose (options.predictions) != 0 && !failed) {
            failed = true;
            why = errno;
        }
        if (failed) {
            fprintf (stderr, "kulak eval: --predictions %s: %s\n",
                     to_stdout ? "(stdout)" : predictions, strerror (why));
            rc = 1;
        }
    }
    kulak_tagger_destroy (&tagger);
    kulak_args_free (&args);
    return rc;
}

static const kulak_option_t s_train_options [] = {
    { "output", "MODEL", NULL, "where to write the model (required; -o works too)" },
    { "like", "MODEL", NULL, "train as MODEL was trained: its files at their weights, then "
                             "the files given, and its options (language, epochs, nb-scale, "
                             "prior, balance, seed, shuffles; with --themes MODEL is a theme "
                             "model: threshold, positive-weight, map) unless given here; "
                             "datasets it names that moved are looked for under "
                             "$KULAK_DATASETS" },
    { "lang", "tr|en", NULL, "language of the model (default: that of most rows)" },
    { "epochs", "N", NULL, "training passes (default 5; with --themes 10)" },
    { "nb-scale", "B", "0", "Naive-Bayes scaling of word features (0: off; 0.5 for Turkish "
                            "product reviews)" },
    { "prior", "K", "0", "start every lexicon entry at K x its valence, so idioms the rows "
                         "never show still count (0: off)" },
    { "balance", "E", "1", "class weights: 1 makes each file's pos, neg and neu count evenly, "
                           "0 counts rows as they come, between leans that way" },
    { "seed", "N", "20261122", "the training shuffle's seed: retrain with a few to see how "
                               "much scores move by chance" },
    { "shuffles", "N", NULL, "sentiment: train N times over shuffles from seeds derived from "
                             "--seed, and keep the mean weights (1: one run; default 5)" },
    { "lexicons", "DIR", NULL, "lexicon folder whose entries become model features" },
    { "themes", NULL, NULL, "train a theme model: rows name their themes in a 4th column "
                            "(theme ids, comma-separated) or, with --map, by category" },
    { "map", "FILE", NULL, "with --themes: TSV category<TAB>theme ids, as kulak eval --map; "
                           "rows of other categories are left out" },
    { "threshold", "P", "0.5", "with --themes: tagging adds a theme from this probability" },
    { "positive-weight", "W", "3", "with --themes: a theme's own rows count this much" },
    { NULL, NULL, NULL, NULL }
};

static const kulak_command_t s_train = {
    "kulak train", "Train a sentiment model, or with --themes a theme model, from labelled TSV "
                   "files (header: id label text [theme]).",
    "[OPTION]... -o MODEL FILE.tsv...", s_train_options,
    "The feedback loop: correct labels on your own data, train, evaluate, use it:\n"
    "  kulak train --like lexicons/tr/model.tsv -o ours.model our-labels.tsv:3\n"
    "  kulak eval --model ours.model --cv 5 our-labels.tsv\n"
    "  kulak run --model-tr ours.model ...\n"
    "(--like: the shipped model's own training files and options, and yours; or name\n"
    "every file: kulak train --lang tr --nb-scale 0.5 -o ours.model their.tsv ours.tsv)\n"
    "A file name may end in :WEIGHT to count its rows more or less than the others'\n"
    "(our-labels.tsv:3, other-domain.tsv:0.3); the model file records the weights.\n"
    "Themes the lexicons miss, learnt from texts labelled with theme ids:\n"
    "  kulak train --themes --lang tr -o ours.themes our-themes.tsv\n"
    "  kulak eval --themes-tr ours.themes our-themes.tsv      (cross-validated)"
};

/* --like MODEL: MODEL's training files (at their weights) before the ones given, and its
   options where the command line gives none; with --themes MODEL is a theme model, and its
   category map comes too. The lists are the caller's to free: *like_files (each string,
   and it) and *files; *map, when set, too. */
static int
like_model (const kulak_args_t *args, kulak_train_cli_options_t *options, char ***like_files,
            char ***files, int *file_count, char **map)
{
    const char *path = kulak_args_get (args, "like");
    char *err = NULL;
    kulak_model_t *model = NULL;
    kulak_theme_model_t *themes = NULL;
    if (options->themes && (themes = kulak_theme_model_load (path, &err)))
        *like_files = kulak_theme_model_like_files (themes, &err);
    else if (!options->themes && (model = kulak_model_load (path, &err)))
        *like_files = kulak_model_like_files (model, &err);
    if (!*like_files) {
        bool loaded = model || themes;       /* else: no model of the kind asked for */
        fprintf (stderr, "kulak train: --like: %s%s\n", err,
                 loaded ? "" : options->themes ? " (with --themes, --like names a theme model)"
                                               : " (a theme model? train like it with --themes)");
        free (err);
        kulak_model_destroy (&model);
        kulak_theme_model_destroy (&themes);
        return -1;
    }
    if (!kulak_args_given (args, "lang"))
        options->lang = model ? kulak_model_lang (model) : kulak_theme_model_lang (themes);
    if (model) {
        const kulak_train_options_t *trained = kulak_model_train_options (model);
        if (!kulak_args_given (args, "epochs"))
            options->epochs = trained->epochs;
        if (!kulak_args_given (args, "nb-scale"))
            options->nb_scale = trained->nb_scale;
        if (!kulak_args_given (args, "prior"))
            options->prior_strength = trained->prior_strength;
        if (!kulak_args_given (args, "balance"))
            options->balance = trained->balance;
        if (!kulak_args_given (args, "seed"))
            options->seed = trained->seed;
        if (!kulak_args_given (args, "shuffles"))
            options->shuffles = trained->shuffles;
    }
    else {
        const kulak_theme_train_options_t *trained = kulak_theme_model_options (themes);
        if (!kulak_args_given (args, "epochs"))
            options->epochs = trained->epochs;
        if (!kulak_args_given (args, "seed"))
            options->seed = trained->seed;
        if (!kulak_args_given (args, "threshold"))
            options->threshold = trained->threshold;
        if (!kulak_args_given (args, "positive-weight"))
            options->positive_weight = trained->positive_weight;
        const char *trained_map = kulak_theme_model_map (themes);
        if (!kulak_args_given (args, "map") && trained_map) {
            *map = kulak_model_source_file (path, trained_map, 0);
            if (!*map) {
                fprintf (stderr, "kulak train: --like: %s was trained with the map %s, which is "
                         "not here: give --map\n", path, trained_map);
                kulak_theme_model_destroy (&themes);
                return -1;
            }
            options->theme_map = *map;
        }
    }
    int count = 0;
    while ((*like_files) [count])
        count++;
    char **all = kulak_calloc ((size_t) (count + *file_count) + 1, sizeof *all);
    memcpy (all, *like_files, (size_t) count * sizeof *all);
    memcpy (all + count, *files, (size_t) *file_count * sizeof *all);
    *files = all;
    *file_count += count;
    fprintf (stderr, "kulak train: like %s: %d of its files, then %d of yours\n", path, count,
             *file_count - count);
    kulak_model_destroy (&model);
    kulak_theme_model_destroy (&themes);
    return 0;
}

static int
cmd_train (int argc, char **argv)
{
    kulak_args_t args;
    if (kulak_args_parse (&args, &s_train, argc, argv) != 0)
        return 2;
    long epochs = 0, seed, shuffles = 5;     /* 0: the default of the kind of model */
    if ((kulak_args_get (&args, "epochs") && kulak_args_int (&args, "epochs", 1, 1000, &epochs) != 0)
        || kulak_args_int (&args, "seed", 1, LONG_MAX, &seed) != 0
        || (kulak_args_get (&args, "shuffles")
            && kulak_args_int (&args, "shuffles", 1, 100, &shuffles) != 0))
        return 2;
    if (kulak_args_get (&args, "shuffles") && kulak_args_flag (&args, "themes")) {
        fprintf (stderr, "kulak train: --shuffles is for sentiment models; a theme model "
                 "trains once\n");
        return 2;
    }
    kulak_train_cli_options_t options = {
        .lang = kulak_lang_parse (kulak_args_get (&args, "lang")),
        .output = kulak_args_get (&args, "output"), .epochs = (int) epochs,
        .nb_scale = atof (kulak_args_get (&args, "nb-scale")),
        .prior_strength = atof (kulak_args_get (&args, "prior")),
        .balance = atof (kulak_args_get (&args, "balance")),
        .seed = (uint64_t) seed,
        .shuffles = (int) shuffles,
        .themes = kulak_args_flag (&args, "themes"),
        .theme_map = kulak_args_get (&args, "map"),
        .threshold = atof (kulak_args_get (&args, "threshold")),
        .positive_weight = atof (kulak_args_get (&args, "positive-weight")),
    };
    if (!(options.threshold > 0 && options.threshold < 1)
        || !(options.positive_weight > 0 && options.positive_weight <= 100)) {
        fprintf (stderr, "kulak train: --threshold must be between 0 and 1, --positive-weight "
                 "above 0 and at most 100\n");
        return 2;
    }
    if (options.theme_map && !options.themes) {
        fprintf (stderr, "kulak train: --map is for --themes\n");
        return 2;
    }
    if (!(options.nb_scale >= 0 && options.nb_scale <= 10)
        || !(options.prior_strength >= 0 && options.prior_strength <= 10)) {
        fprintf (stderr, "kulak train: --nb-scale and --prior must be numbers from 0 to 10\n");
        return 2;
    }
    if (!(options.balance >= 0 && options.balance <= 1)) {
        fprintf (stderr, "kulak train: --balance must be a number from 0 to 1\n");
        return 2;
    }
    if (!options.output || (args.positional_count == 0 && !kulak_args_get (&args, "like"))) {
        fprintf (stderr, "kulak train: give -o MODEL and labelled TSV files (or --like MODEL)\n");
        return 2;
    }
    char **files = args.positional;
    int file_count = args.positional_count;
    char **like_files = NULL;
    char *like_map = NULL;
    if (kulak_args_get (&args, "like")
        && like_model (&args, &options, &like_files, &files, &file_count, &like_map) != 0) {
        for (char **f = like_files; f && *f; f++)
            free (*f);
        free (like_files);
        free (like_map);
        kulak_args_free (&args);
        return 2;
    }
    kulak_tagger_options_t tagger_options = { kulak_args_get (&args, "lexicons"), "none", "none",
                                              "none", "none" };
    char *err = NULL;
    kulak_tagger_t *tagger = kulak_tagger_new (&tagger_options, &err);
    if (!tagger) {
        fprintf (stderr, "kulak train: %s\n", err);
        return 1;
    }
    int rc = kulak_train_files (tagger, files, file_count, &options);
    kulak_tagger_destroy (&tagger);
    if (like_files) {
        for (char **f = like_files; *f; f++)
            free (*f);
        free (like_files);
        free (files);
    }
    free (like_map);
    kulak_args_free (&args);
    return rc;
}

/* ---- reports ------------------------------------------------------------------------- */

static const kulak_option_t s_report_options [] = {
    { "db", "FILE", "kulak.db", "the database to read" },
    { "output", "FILE", NULL, "write here instead of standard output (-o works too)" },
    { "since", "DATE", NULL, "first day of the period (YYYY-MM-DD)" },
    { "until", "DATE", NULL, "last day of the period (YYYY-MM-DD)" },
    { "ratio", "R", "26", "fixed ratio of unhappy customers per complainer" },
    { "ratio-range", "LOW,HIGH", "4,26", "interval of the fixed ratio" },
    { "lang", "tr|en", "en", "language of theme names in the digest" },
    { NULL, NULL, NULL, NULL }
};

static const kulak_command_t s_digest = {
    "kulak digest", "Markdown digest: volume, complaint themes, NPS/CSAT/CES, silent unhappy "
    "customers, quotes.", "[OPTION]...", s_report_options, NULL
};

static const kulak_command_t s_estimate = {
    "kulak estimate", "How many unhappy customers stay silent, overall and per theme (JSON).",
    "[OPTION]...", s_report_options,
    "Two methods, each with its source and an interval: a fixed ratio (default 26, a rule\n"
    "of thumb), and a complaint rate calibrated from your surveys (Jeffreys Beta posterior)."
};

static int
cmd_report (int argc, char **argv, bool digest)
{
    kulak_args_t args;
    if (kulak_args_parse (&args, digest ? &s_digest : &s_estimate, argc, argv) != 0)
        return 2;
    kulak_report_options_t options;
    kulak_report_options_default (&options);
    options.since = kulak_args_get (&args, "since");
    options.until = kulak_args_get (&args, "until");
    options.lang = kulak_args_get (&args, "lang");
    char *end;
    options.ratio = strtod (kulak_args_get (&args, "ratio"), &end);
    if (*end || !(options.ratio >= 1 && options.ratio <= 1000)) {
        fprintf (stderr, "%s: --ratio must be a number from 1 to 1000\n", args.command->program);
        return 2;
    }
    if (sscanf (kulak_args_get (&args, "ratio-range"), "%lf,%lf", &options.ratio_low,
                &options.ratio_high) != 2 || !(options.ratio_low >= 1)
        || !(options.ratio_high >= options.ratio_low)) {
        fprintf (stderr, "%s: --ratio-range must be LOW,HIGH with 1 <= LOW <= HIGH\n",
                 args.command->program);
        return 2;
    }
    const char *db = kulak_args_get (&args, "db");
    char *err = NULL;
    kulak_store_t *store = kulak_store_open (db, true, &err);
    if (!store) {
        fprintf (stderr, "%s: %s\n", args.command->program, err);
        free (err);
        return 1;
    }
    const char *output = kulak_args_get (&args, "output");
    FILE *out = output ? fopen (output, "w") : stdout;
    if (!out) {
        fprintf (stderr, "%s: cannot write %s\n", args.command->program, output);
        return 1;
    }
    int rc = digest ? kulak_digest (store, db, &options, out, &err)
                    : kulak_estimate (store, &options, out, &err);
    if (rc != 0) {
        fprintf (stderr, "%s: %s\n", args.command->program, err);
        free (err);
    }
    if (output && fclose (out) != 0) {
        fprintf (stderr, "%s: could not write %s\n", args.command->program, output);
        rc = -1;
    }
    kulak_store_close (&store);
    kulak_args_free (&args);
    return rc == 0 ? 0 : 1;
}

/* ---- note and status --------------------------------------------------------------------- */

static const kulak_option_t s_note_options [] = {
    { "db", "FILE", "kulak.db", "the database whose running pipeline takes the note" },
    { "endpoint", "ENDPOINT", NULL, "collect's control endpoint (default: from --db)" },
    { "author", "NAME", NULL, "who writes the note (default: $USER)" },
    { "customer", "KEY", NULL, "the customer the note is about" },
    { "lang", "tr|en", NULL, "language of the note (default: detected)" },
    { "timeout", "SECONDS", "10", "how long to wait for the receipt" },
    { NULL, NULL, NULL, NULL }
};

static const kulak_command_t s_note = {
    "kulak note", "Send an agent's note to a running `kulak run --serve`; prints a receipt once "
    "the note is safely in the spool.", "[OPTION]... TEXT...", s_note_options,
    "Example:\n"
    "  kulak note --customer C-10234 'Müşteri 3. kez aradı, iade süreci 14 gün sürüyor'"
};

static int
cmd_note (int argc, char **argv)
{
    kulak_args_t args;
    if (kulak_args_parse (&args, &s_note, argc, argv) != 0)
        return 2;
    long timeout;
    if (kulak_args_int (&args, "timeout", 1, 3600, &timeout) != 0)
        return 2;
    kulak_buf_t text;
    kulak_buf_init (&text);
    for (int i = 0; i < args.positional_count; i++)
        kulak_buf_printf (&text, "%s%s", i ? " " : "", args.positional [i]);
    if (kulak_str_empty (text.data)) {
        fprintf (stderr, "kulak note: write the note as the argument: kulak note 'text'\n");
        return 2;
    }
    const char *db = kulak_args_get (&args, "db");
    char *endpoint = kulak_args_get (&args, "endpoint") ? kulak_strdup (kulak_args_get (&args, "endpoint"))
                                                        : kulak_run_endpoint (db, "control");
    if (!kulak_endpoint_alive (endpoint)) {
        fprintf (stderr, "kulak note: no `kulak run --serve --db %s` is running (nothing at %s); "
                 "start one first\n", db, endpoint);
        free (endpoint);
        return 1;
    }
    kulak_note_t note = {
        .text = text.data,
        .author = kulak_args_get (&args, "author") ? kulak_args_get (&args, "author")
                : getenv ("USER") ? getenv ("USER") : "agent",
        .customer = kulak_args_get (&args, "customer"),
        .lang = kulak_args_get (&args, "lang"),
        .source = "kulak note",
    };
    char *id = NULL, *spooled_at = NULL, *err = NULL;
    int rc = 0;
    if (kulak_note_send (endpoint, &note, (int) timeout * 1000, &id, &spooled_at, &err) == 0)
        printf ("note received: id %s, in the spool since %s\n", id, spooled_at);
    else {
        fprintf (stderr, "kulak note: %s; the note was NOT taken\n", err);
        rc = 1;
    }
    free (id);
    free (spooled_at);
    free (err);
    free (endpoint);
    kulak_buf_free (&text);
    kulak_args_free (&args);
    return rc;
}

static const kulak_option_t s_status_options [] = {
    { "db", "FILE", "kulak.db", "the database (and its running pipeline, if any)" },
    { NULL, NULL, NULL, NULL }
};

static const kulak_command_t s_status = {
    "kulak status", "What the database holds and, when a pipeline runs, each stage's counters.",
    "[OPTION]...", s_status_options, NULL
};

static int
cmd_status (int argc, char **argv)
{
    kulak_args_t args;
    if (kulak_args_parse (&args, &s_status, argc, argv) != 0)
        return 2;
    const char *db = kulak_args_get (&args, "db");
    char *err = NULL;
    kulak_store_t *store = kulak_store_open (db, true, &err);
    if (store) {
        sqlite3_stmt *stmt;
        printf ("database %s (schema %d)\n", db, KULAK_SCHEMA_VERSION);
        if (sqlite3_prepare_v2 (kulak_store_db (store),
                "SELECT 'records', count (*) FROM records UNION ALL "
                "SELECT 'complaints', count (*) FROM records WHERE complaint UNION ALL "
                "SELECT 'quarantined', count (*) FROM quarantine UNION ALL "
                "SELECT 'last stored', max (last_stored) FROM records", -1, &stmt, NULL) == SQLITE_OK) {
            while (sqlite3_step (stmt) == SQLITE_ROW)
                printf ("  %-12s %s\n", sqlite3_column_text (stmt, 0),
                        sqlite3_column_text (stmt, 1) ? (const char *) sqlite3_column_text (stmt, 1)
                                                      : "-");
            sqlite3_finalize (stmt);
        }
        kulak_store_close (&store);
    }
    else {
        printf ("%s\n", err);
        kulak_free_str (&err);
    }
    /* Ask every stage of the pipeline serving this database: collect (with its spool),
       normalize, store, then tag workers 1, 2, ... until one does not answer. */
    char *dir = kulak_run_dir (db);
    bool any = false;
    for (int stage = 0;; stage++) {
        static const char *fixed [] = { "control", "normalize-control", "store-control" };
        char *name = stage < 3 ? kulak_strdup (fixed [stage])
                               : kulak_sprintf ("tag-%d-control", stage - 2);
        char *endpoint = kulak_run_endpoint (db, name);
        free (name);
        bool alive = kulak_endpoint_alive (endpoint);
        char *reply = alive ? kulak_control_request (endpoint, "STATUS", 2000, &err) : NULL;
        if (reply) {
            printf ("%s  %s\n", any ? "" : "running pipeline:\n", reply);
            any = true;
            free (reply);
            if (stage == 0 && (reply = kulak_control_request (endpoint, "SPOOL", 2000, &err))) {
                printf ("  spool %s\n", reply);
                free (reply);
            }
        }
        kulak_free_str (&err);
        free (endpoint);
        if (stage >= 3 && !alive)
            break;
    }
    if (!any)
        printf ("no pipeline is running for %s (%s)\n", db, dir);
    free (dir);
    kulak_args_free (&args);
    return 0;
}

/* ---- dispatch ---------------------------------------------------------------------------- */

static void
usage (FILE *out)
{
    fprintf (out,
        "kulak: listens to customers in Turkish and English.\n\n"
        "Usage: kulak COMMAND [OPTION]...\n\n"
        "Commands:\n"
        "  run       start the pipeline, ingest inputs, wait until all is stored\n"
        "  tag       tag texts from standard input, a line each (JSON lines out)\n"
        "  eval      score tagging against labelled TSV files\n"
        "  train     train a sentiment or theme model from labelled TSV files\n"
        "  digest    Markdown digest of a period\n"
        "  estimate  silent unhappy customers, with sources and intervals (JSON)\n"
        "  note      send an agent's note to a running pipeline\n"
        "  status    what the database holds and what the stages are doing\n\n"
        "`kulak COMMAND --help` explains each command.\n");
}

int
main (int argc, char **argv)
{
    kulak_log_set_name ("kulak");
    if (argc < 2 || strcmp (argv [1], "--help") == 0 || strcmp (argv [1], "-h") == 0
        || strcmp (argv [1], "help") == 0) {
        usage (stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *command = argv [1];
    argc--;
    argv++;
    if (strcmp (command, "run") == 0)
        return cmd_run (argc, argv);
    if (strcmp (command, "tag") == 0)
        return cmd_tag (argc, argv);
    if (strcmp (command, "eval") == 0)
        return cmd_eval (argc, argv);
    if (strcmp (command, "train") == 0)
        return cmd_train (argc, argv);
    if (strcmp (command, "digest") == 0)
        return cmd_report (argc, argv, true);
    if (strcmp (command, "estimate") == 0)
        return cmd_report (argc, argv, false);
    if (strcmp (command, "note") == 0)
        return cmd_note (argc, argv);
    if (strcmp (command, "status") == 0)
        return cmd_status (argc, argv);
    fprintf (stderr, "kulak: unknown command '%s'\n\n", command);
    usage (stderr);
    return 2;
}
