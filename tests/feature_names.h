/*  feature_names.h: model features made from their names, as kulak_features_extract gives
    them with keep_names, for training and predicting on rows written by hand in the tests;
    and freeing such rows. */
#ifndef KULAK_TEST_FEATURE_NAMES_H
#define KULAK_TEST_FEATURE_NAMES_H

#include "kulak/model.h"
#include "kulak/util.h"

static inline void
features_of (kulak_features_t *f, const char *const *names)
{
    kulak_features_reset (f);
    f->keep_names = true;
    for (const char *const *n = names; *n; n++) {
        if (f->count == f->cap) {
            f->cap = f->cap ? f->cap * 2 : 16;
            f->items = kulak_realloc (f->items, f->cap * sizeof *f->items);
            f->names = kulak_realloc (f->names, f->cap * sizeof *f->names);
        }
        f->items [f->count].hash = kulak_feature_hash (*n);
        f->items [f->count].value = 1;
        f->items [f->count].first = f->items [f->count].last = KULAK_FEATURE_NOWHERE;
        f->names [f->count] = kulak_strdup (*n);
        f->count++;
    }
}

static inline void
free_rows (kulak_train_row_t *rows, size_t count)
{
    for (size_t i = 0; i < count; i++)
        kulak_features_free (&rows [i].features);
}

#endif
