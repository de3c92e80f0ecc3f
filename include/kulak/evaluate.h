/*  evaluate.h: `kulak eval` and `kulak train`: measuring tagging against labelled text and
    training the sentiment model from it.

    Labelled files are TSV with the header `id label text [theme]`; label is pos, neg, neu
    (or unk when the file scores themes only). Theme scoring needs a map from the file's
    categories to theme ids (TSV `category<TAB>theme[,theme]`); rows whose category the map
    does not list are not scored.

    A model is never scored on its own training rows: when the file being evaluated is one
    the model was trained on (same content hash), or --cv K is given, the model is
    re-trained K times with the file's rows split into K folds by a hash of their id, and
    each fold is scored by the model that did not see it. */
#ifndef KULAK_EVALUATE_H
#define KULAK_EVALUATE_H

#include "kulak/tagger.h"
#include "kulak/model.h"
#include "kulak/theme_model.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
    const char *theme_map;       /* TSV category -> themes, or NULL */
    int errors;                  /* list this many worst mistakes per file */
    int cv;                      /* 0: automatic (5 folds when needed); >1 force K folds */
    bool json;                   /* one JSON summary line per file instead of the report */
    FILE *predictions;           /* or NULL: every row's labels, one TSV line each (below) */
} kulak_eval_options_t;

/* The header of the predictions TSV: the file, the row's id and gold label (unk: none),
   the label and score (-1..1) the tagger gave, its themes (comma-separated), and what gave
   the label: "cv" (a model that did not see the row), "model", "lexicon", or "training"
   (the row trained the model and no re-training left it out: its label says nothing). */
#define KULAK_EVAL_PREDICTIONS_HEADER "file\tid\tgold\tpredicted\tsentiment\tthemes\tscored_by\n"

/* Evaluates each file; returns 0, or 1 when a file cannot be read. */
int kulak_eval (kulak_tagger_t *tagger, char **files, int file_count,
                const kulak_eval_options_t *options, FILE *out);

typedef struct {
    kulak_lang_t lang;           /* UNKNOWN: the language most rows are in */
    const char *output;
    int epochs;                  /* 0: default */
    double nb_scale;             /* Naive-Bayes scaling strength; 0: off */
    double prior_strength;       /* lexicon entries start from their valence; 0: off */
    double balance;              /* class-balance exponent, 0..1 (kulak_train_options_t);
                                    `kulak train` passes 1 unless told otherwise */
    uint64_t seed;               /* the shuffle's; 0: the default */
    int shuffles;                /* sentiment: runs averaged; 0: one */
    bool themes;                 /* train a theme model (theme_model.h) instead */
    const char *theme_map;       /* for themes: category -> theme ids, as `kulak eval --map` */
    double threshold;            /* for themes: 0: the default */
    double positive_weight;      /* for themes: 0: the default */
} kulak_train_cli_options_t;

/* Files may end in ":WEIGHT" ("their.tsv:0.5"): their rows count that much. */

int kulak_train_files (kulak_tagger_t *tagger, char **files, int file_count,
                       const kulak_train_cli_options_t *options);

/* A file a model names (a training file, its category map), as training named it: from
   here; else (models live in lexicons/<lang>/) from the repository the model is in; else,
   as a dataset moved to another machine, its folder and name ("tr_store_reviews/eval.tsv")
   under $KULAK_DATASETS or under shared/datasets next to the repository (README's
   ../shared/datasets), there only with the contents the model recorded: hash, the XXH3 of
   the file's bytes (0: any). NULL when none is there. */
char *kulak_model_source_file (const char *model_path, const char *path, uint64_t hash);
/* The files a model was trained on, found as kulak_model_source_file finds them, each with
   its weight ("path:0.3"), NULL-terminated, for training again like it (`kulak train
   --like`); NULL with *err when one is not here. */
char **kulak_model_like_files (const kulak_model_t *model, char **err);
char **kulak_theme_model_like_files (const kulak_theme_model_t *model, char **err);

#endif
