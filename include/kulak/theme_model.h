/*  theme_model.h: the trainable theme model beside the theme lexicons.

    The theme lexicons name a theme when its phrases are in a text; they miss the many other
    ways a customer names the same subject ("40 dakikadır aynı müziği dinliyorum" is waiting).
    The theme model learns those from texts labelled with theme ids: one logistic regression
    per theme (a text can have several) over the features the sentiment model sees (stems,
    Turkish word beginnings, bigrams, lexicon entries; see model.h). The tagger adds a theme
    the model gives at least the model's threshold, and the lexicons did not find, with the
    words whose features pushed hardest towards it as evidence.

    Model file (text):
        kulak-theme-model 1
        lang tr
        themes <id> <id> ...                                the columns, in order
        source <path> <rows> <xxh64 of the file> <weight>   one per training file
        map <path>                                          categories -> theme ids, if used
        option <name> <value>                               training settings, threshold
        <feature>\t<weight for the first theme>\t...        "bias" first

    Training is AdaGrad over shuffled rows with L2; a theme's positive rows count
    `positive_weight` times (each theme is on few rows). */
#ifndef KULAK_THEME_MODEL_H
#define KULAK_THEME_MODEL_H

#include "kulak/model.h"

#include <stdbool.h>
#include <stdint.h>

#define KULAK_THEME_MODEL_MAX 64     /* themes a model can have: one bit each in a row */

typedef struct kulak_theme_model_t kulak_theme_model_t;

typedef struct {
    int epochs;                  /* default 10 */
    double learning_rate;        /* default 0.1 */
    double l2;                   /* default 1e-5 per update */
    int min_count;               /* features seen in fewer rows are dropped; default 2 */
    double positive_weight;      /* a theme's positive rows count this much; default 3 */
    double threshold;            /* tagging adds a theme from this probability; default 0.5 */
    uint64_t seed;               /* of the training shuffle */
} kulak_theme_train_options_t;

void kulak_theme_train_options_default (kulak_theme_train_options_t *options);

/* Trains on rows (model.h; their `themes` bits, weight and fold) whose fold != skip_fold
   (-1: all); `themes` are the ids of the columns. */
kulak_theme_model_t *kulak_theme_model_train (const kulak_train_row_t *rows, size_t count,
                                              int skip_fold, kulak_lang_t lang,
                                              char *const *themes, size_t theme_count,
                                              const kulak_theme_train_options_t *options);
kulak_theme_model_t *kulak_theme_model_load (const char *path, char **err);
int kulak_theme_model_save (const kulak_theme_model_t *self, const char *path, char **err);
void kulak_theme_model_destroy (kulak_theme_model_t **self_p);

kulak_lang_t kulak_theme_model_lang (const kulak_theme_model_t *self);
const char *kulak_theme_model_path (const kulak_theme_model_t *self);   /* NULL: trained here */
size_t kulak_theme_model_theme_count (const kulak_theme_model_t *self);
const char *kulak_theme_model_theme (const kulak_theme_model_t *self, size_t index);
size_t kulak_theme_model_feature_count (const kulak_theme_model_t *self);
const kulak_theme_train_options_t *kulak_theme_model_options (const kulak_theme_model_t *self);
/* The threshold as log-odds, to compare kulak_theme_model_scores with. */
float kulak_theme_model_threshold_score (const kulak_theme_model_t *self);
void kulak_theme_model_add_source (kulak_theme_model_t *self, const char *path, size_t rows,
                                   uint64_t hash, double weight);
/* The theme map training read the files' categories through (NULL: theme columns). */
const char *kulak_theme_model_map (const kulak_theme_model_t *self);
void kulak_theme_model_set_map (kulak_theme_model_t *self, const char *path);
size_t kulak_theme_model_source_count (const kulak_theme_model_t *self);
const kulak_model_source_t *kulak_theme_model_source (const kulak_theme_model_t *self,
                                                      size_t index);

/* scores [theme] for each of the model's themes: log-odds, before the sigmoid (the tagger
   compares them with the threshold's log-odds, without an exp per theme). Returns whether
   any of them is at or above the threshold (kulak_theme_model_threshold_score): most texts
   have none, and the caller need not look. */
bool kulak_theme_model_scores (const kulak_theme_model_t *self, const kulak_features_t *features,
                               float *scores);
/* probs [theme] for each of the model's themes. */
void kulak_theme_model_predict (const kulak_theme_model_t *self, const kulak_features_t *features,
                                float *probs);
/* The `count` features that pushed hardest towards `theme` (by weight, strongest first),
   "bias" left out: their places in features->items and their weights. */
size_t kulak_theme_model_explain (const kulak_theme_model_t *self,
                                  const kulak_features_t *features, size_t theme,
                                  size_t *items, float *weights, size_t count);

#endif
