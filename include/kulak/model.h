/*  model.h: the trainable sentiment model on top of the lexicons.

    A multinomial logistic regression (classes neg, neu, pos) over features of a text:
    Snowball stems (marked when inside a negation scope), Turkish word beginnings (which
    survive suffixes and missing Turkish letters), stem bigrams, the lexicon entries that
    matched (with their negation), the lexicon's compound score and its positive and
    negative sums, punctuation and emoji. Features are hashed for speed (XXH3; word and
    bigram features from their words' hashes, see model.c); the model file keeps their
    names, hashed as it is loaded, so every weight can be read and every decision explained.

    Model file (text, one feature per line):
        kulak-model 1
        lang tr
        source <path> <rows> <xxh64 of the file> [<weight>]   one per training file
        option <name> <value>                          training settings, for re-training
        <feature>\t<w_neg>\t<w_neu>\t<w_pos>             "bias" first

    Training is AdaGrad over shuffled rows with L2, class weights that balance each file's
    labels (to the power `balance`), and a weight per file; evaluation of a model on its own training files re-trains it per fold
    (see eval.h). */
#ifndef KULAK_MODEL_H
#define KULAK_MODEL_H

#include "kulak/lexicon.h"
#include "kulak/sentiment.h"
#include "kulak/tokens.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* A feature's first and last token: where in the text it was said (a word, a bigram, a
   lexicon entry's phrase), for its evidence; KULAK_FEATURE_NOWHERE for the whole text's
   features ("bias", "lexbin:2") and those made by hand. */
#define KULAK_FEATURE_NOWHERE UINT16_MAX

typedef struct {
    uint64_t hash;
    float value;
    uint16_t first;              /* (in what was padding: the feature stays 16 bytes) */
    uint16_t last;
} kulak_feature_t;

typedef struct {
    kulak_feature_t *items;
    size_t count;
    size_t cap;
    char **names;                /* only when keep_names: the readable name of each item */
    bool keep_names;
    /* Optional: the model the features are for. Extraction then asks for each feature's
       place in its table as the feature is made, so the table's cache misses are under way
       while the rest of the text's features are worked out, not all waited for in
       kulak_model_predict. Any model, or none, gives the same features. */
    const struct kulak_model_t *model;
    /* Optional: which tokens are stopwords, per token 1 or 0, as kulak_lexicon_find gave
       them (kulak_lexicon_matches_t) for these tokens and this lexicon; else extraction
       asks the lexicon. Used by one extraction, which sets it back to NULL. */
    const uint8_t *stopword;
} kulak_features_t;

void kulak_features_extract (const kulak_lexicon_t *lexicon, const kulak_tokens_t *tokens,
                             const kulak_sentiment_t *sentiment, kulak_features_t *out);
void kulak_features_reset (kulak_features_t *features);
void kulak_features_free (kulak_features_t *features);
/* The hash of a feature name, as extraction gives it (word and bigram names are hashed from
   their words' hashes: see model.c). */
uint64_t kulak_feature_hash (const char *name);
/* The hash of a lexicon entry's feature, "L:text" or, negated, "L~:text"; 0 when the name
   is too long to be a feature (extraction leaves it out). */
uint64_t kulak_feature_hash_entry (const char *text, bool negated);

typedef struct kulak_model_t kulak_model_t;

typedef struct {
    char *path;
    size_t rows;
    uint64_t hash;
    double weight;               /* its rows counted this much in training; default 1 */
} kulak_model_source_t;

/* A model file's training files, kept by both kinds of model (theme_model.h too). */
typedef struct {
    kulak_model_source_t *items;
    size_t count;
} kulak_model_sources_t;

void kulak_model_sources_add (kulak_model_sources_t *sources, const char *path, size_t rows,
                              uint64_t hash, double weight);
void kulak_model_sources_free (kulak_model_sources_t *sources);
/* Writes them as "source <path> <rows> <hash> <weight>" lines. */
void kulak_model_sources_write (const kulak_model_sources_t *sources, FILE *file);
/* Reads a line of a model file that may be a source line: 1 when it was one (added), 0 when
   it is another line, -1 with *err (file:line: why) when it starts "source " but is not one,
   or its weight is out of range. A weight left out (older files) is 1. */
int kulak_model_sources_read (kulak_model_sources_t *sources, const char *line,
                              const char *path, int line_no, char **err);
/* The same shuffle of order [0, count) for the same *state (splitmix64): training is
   reproducible. */
void kulak_model_shuffle (size_t *order, size_t count, uint64_t *state);

/* Reads the `count` TAB-separated finite weights that end a model file's line (after its
   feature's TAB); false when there are more, fewer, or one is not a finite number. */
bool kulak_model_parse_weights (const char *text, float *weights, size_t count);
kulak_model_t *kulak_model_load (const char *path, char **err);
int kulak_model_save (const kulak_model_t *self, const char *path, char **err);
void kulak_model_destroy (kulak_model_t **self_p);
kulak_lang_t kulak_model_lang (const kulak_model_t *self);
const char *kulak_model_path (const kulak_model_t *self);   /* NULL when trained here */
size_t kulak_model_source_count (const kulak_model_t *self);
const kulak_model_source_t *kulak_model_source (const kulak_model_t *self, size_t index);
size_t kulak_model_feature_count (const kulak_model_t *self);

/* probs[label] for KULAK_LABEL_NEU, _POS, _NEG. */
void kulak_model_predict (const kulak_model_t *self, const kulak_features_t *features,
                          double probs [3]);
/* The `count` features that pushed hardest towards `label`: names and contributions. */
size_t kulak_model_explain (const kulak_model_t *self, const kulak_features_t *features,
                            kulak_label_t label, const char **names, float *contributions,
                            size_t count);

/* Training data: one row per labelled text, features already extracted (with names). The
   theme model (theme_model.h) trains on the same rows, with `themes` for `label`. */
typedef struct {
    kulak_features_t features;
    kulak_label_t label;
    uint64_t themes;             /* theme model: bit t, the row is about the model's theme t */
    float weight;                /* class balance within the row's file (themes: the file's weight) */
    int fold;                    /* cross-validation fold by id, or -1 */
} kulak_train_row_t;

typedef struct {
    int epochs;                  /* default 5 */
    double learning_rate;        /* default 0.02 */
    double l2;                   /* default 1e-6 per update */
    int min_count;               /* features seen fewer times are dropped; default 2 */
    double nb_scale;             /* Naive-Bayes feature scaling strength; default 0 (off) */
    double prior_strength;       /* lexicon entries start at valence x this; default 0 (off) */
    double balance;              /* class weights: (even share / class share) ^ balance, so 1
                                    makes each file's classes count evenly, 0 counts rows as
                                    they come; default 1 */
    const kulak_patterns_t *prior;   /* the sentiment lexicon giving the starting weights */
    uint64_t seed;               /* of the training shuffle; default 20261122 */
    int shuffles;                /* runs from seed and seeds a golden-ratio step on; the
                                    model is their mean weights; default 1 (kulak train: 5) */
} kulak_train_options_t;

void kulak_train_options_default (kulak_train_options_t *options);
/* The settings a model was trained with (from its file: `option` lines). */
const kulak_train_options_t *kulak_model_train_options (const kulak_model_t *self);
/* Trains on rows whose fold != skip_fold (skip_fold -1: all rows). */
kulak_model_t *kulak_model_train (kulak_train_row_t *rows, size_t count, int skip_fold,
                                  kulak_lang_t lang, const kulak_train_options_t *options);
void kulak_model_add_source (kulak_model_t *self, const char *path, size_t rows,
                             uint64_t hash, double weight);

#endif
