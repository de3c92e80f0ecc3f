/*  theme_model.c: the theme model: one logistic regression per theme over a text's
    features, its training, prediction, explanation and file (see theme_model.h). */
#include "kulak/theme_model.h"
#include "kulak/strmap.h"
#include "kulak/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THEME_MODEL_MAGIC "kulak-theme-model 1"
#define EMPTY UINT32_MAX

struct kulak_theme_model_t {
    char *path;
    kulak_lang_t lang;
    kulak_theme_train_options_t options;
    char **themes;
    size_t theme_count;
    char **names;
    float *weights;              /* feature_count x theme_count */
    size_t feature_count;
    uint64_t *table_hash;        /* open addressing: hash -> feature index */
    uint32_t *table_index;       /* EMPTY: free slot */
    float threshold_score;       /* the threshold as log-odds, the scores' scale */
    float *padded;               /* the weights again, rows of `stride` (a multiple of 4) */
    size_t stride;
    size_t table_size;           /* a power of two, at least twice the features */
    uint64_t bias_hash;          /* the hash of "bias", no text's evidence */
    kulak_model_sources_t sources;
    char *map;
};

void
kulak_theme_train_options_default (kulak_theme_train_options_t *o)
{
    o->epochs = 10;
    o->learning_rate = 0.1;
    o->l2 = 1e-5;
    o->min_count = 2;
    o->positive_weight = 3;
    o->threshold = 0.5;
    o->seed = 20261122;
}

/* ---- the feature table ------------------------------------------------------------- */

static void
table_build (kulak_theme_model_t *self)
{
    free (self->table_hash);
    free (self->table_index);
    free (self->padded);
    /* Rows of whole blocks of 4 weights, zeros after the last theme: prediction adds a
       feature's row a block at a time, in a loop of fixed length the compiler turns into
       one vector instruction (a row of 18 one float at a time was most of prediction;
       blocks of 8 did 24 for 18). */
    self->stride = (self->theme_count + 3) / 4 * 4;
    double p = self->options.threshold;
    self->threshold_score = (float) log (p / (1 - p));
    self->padded = kulak_calloc (self->feature_count * self->stride + 1, sizeof (float));
    for (size_t f = 0; f < self->feature_count; f++)
        memcpy (&self->padded [f * self->stride], &self->weights [f * self->theme_count],
                self->theme_count * sizeof (float));
    self->table_size = 64;
    while (self->table_size < 4 * self->feature_count)
        self->table_size *= 2;
    self->table_hash = kulak_calloc (self->table_size, sizeof *self->table_hash);
    self->table_index = kulak_malloc (self->table_size * sizeof *self->table_index);
    memset (self->table_index, 0xff, self->table_size * sizeof *self->table_index);
    self->bias_hash = kulak_feature_hash ("bias");
    size_t mask = self->table_size - 1;
    for (size_t f = 0; f < self->feature_count; f++) {
        uint64_t hash = kulak_feature_hash (self->names [f]);
        size_t at = hash & mask;
        while (self->table_index [at] != EMPTY && self->table_hash [at] != hash)
            at = (at + 1) & mask;
        if (self->table_index [at] == EMPTY) {   /* a name twice: the first one counts */
            self->table_hash [at] = hash;
            self->table_index [at] = (uint32_t) f;
        }
    }
}

/* The feature's row of weights, or NULL when the model does not have it. */
static const float *
weights_of (const kulak_theme_model_t *self, uint64_t hash)
{
    size_t mask = self->table_size - 1;
    for (size_t at = hash & mask; self->table_index [at] != EMPTY; at = (at + 1) & mask)
        if (self->table_hash [at] == hash)
            return &self->weights [(size_t) self->table_index [at] * self->theme_count];
    return NULL;
}

/* ---- accessors ---------------------------------------------------------------------- */

kulak_lang_t
kulak_theme_model_lang (const kulak_theme_model_t *self)
{
    return self->lang;
}

const char *
kulak_theme_model_path (const kulak_theme_model_t *self)
{
    return self->path;
}

size_t
kulak_theme_model_theme_count (const kulak_theme_model_t *self)
{
    return self->theme_count;
}

const char *
kulak_theme_model_theme (const kulak_theme_model_t *self, size_t index)
{
    return index < self->theme_count ? self->themes [index] : NULL;
}

size_t
kulak_theme_model_feature_count (const kulak_theme_model_t *self)
{
    return self->feature_count;
}

const kulak_theme_train_options_t *
kulak_theme_model_options (const kulak_theme_model_t *self)
{
    return &self->options;
}

float
kulak_theme_model_threshold_score (const kulak_theme_model_t *self)
{
    return self->threshold_score;
}

void
kulak_theme_model_add_source (kulak_theme_model_t *self, const char *path, size_t rows,
                              uint64_t hash, double weight)
{
    kulak_model_sources_add (&self->sources, path, rows, hash, weight);
}

const char *
kulak_theme_model_map (const kulak_theme_model_t *self)
{
    return self->map;
}

void
kulak_theme_model_set_map (kulak_theme_model_t *self, const char *path)
{
    free (self->map);
    self->map = path ? kulak_strdup (path) : NULL;
}

size_t
kulak_theme_model_source_count (const kulak_theme_model_t *self)
{
    return self->sources.count;
}

const kulak_model_source_t *
kulak_theme_model_source (const kulak_theme_model_t *self, size_t index)
{
    return index < self->sources.count ? &self->sources.items [index] : NULL;
}

void
kulak_theme_model_destroy (kulak_theme_model_t **self_p)
{
    kulak_theme_model_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->theme_count; i++)
        free (self->themes [i]);
    for (size_t i = 0; i < self->feature_count; i++)
        free (self->names [i]);
    free (self->themes);
    free (self->names);
    free (self->weights);
    free (self->table_hash);
    free (self->table_index);
    free (self->padded);
    kulak_model_sources_free (&self->sources);
    free (self->path);
    free (self->map);
    free (self);
    *self_p = NULL;
}

/* ---- prediction --------------------------------------------------------------------- */

static float
sigmoid (double x)
{
    return (float) (1 / (1 + exp (-x)));
}

/* Four weights of a row, as one GCC generic vector: plain C that builds to SSE on x86-64
   and to NEON on aarch64. */
typedef float block_t __attribute__ ((vector_size (16)));

/* The feature rows of the model found among the features, added up in `blocks` vectors of
   4. Inlined with a constant `blocks` (see kulak_theme_model_scores), the sums stay in
   registers: added in memory, a row of 20 took two loads and a store more per block. Each
   lane adds the same products in the same order as a loop over the floats would, so the
   sums are the same to the bit. Returns whether a theme's sum is at or above the threshold,
   asked of the vectors (a loop over the scores, in the tagger, took some 120 instructions
   a text, nearly always to find none). */
static inline __attribute__ ((always_inline)) bool
add_rows (const kulak_theme_model_t *self, const kulak_features_t *features, size_t blocks,
          float *scores)
{
    block_t sums [16];
#pragma GCC unroll 16
    for (size_t b = 0; b < blocks; b++)
        sums [b] = (block_t) { 0, 0, 0, 0 };
    size_t mask = self->table_size - 1;
    for (size_t i = 0; i < features->count; i++) {
        uint64_t hash = features->items [i].hash;
        size_t at = hash & mask;
        while (self->table_index [at] != EMPTY && self->table_hash [at] != hash)
            at = (at + 1) & mask;
        if (self->table_index [at] == EMPTY)
            continue;                    /* most of a text's features: not in the model */
        const float *w = &self->padded [(size_t) self->table_index [at] * blocks * 4];
        float value = features->items [i].value;
        block_t v = { value, value, value, value };
#pragma GCC unroll 16
        for (size_t b = 0; b < blocks; b++) {
            block_t row;
            memcpy (&row, w + 4 * b, sizeof row);   /* (calloc promises no 16-byte alignment) */
            sums [b] += row * v;
        }
    }
    memcpy (scores, sums, self->theme_count * sizeof *scores);     /* (at most 4 x blocks) */
    typedef int32_t lanes_t __attribute__ ((vector_size (16)));
    const lanes_t lane = { 0, 1, 2, 3 };
    lanes_t above = { 0, 0, 0, 0 };
    block_t threshold = { self->threshold_score, self->threshold_score, self->threshold_score,
                          self->threshold_score };
    int theme_count = (int) self->theme_count;
#pragma GCC unroll 16
    for (size_t b = 0; b < blocks; b++)     /* (the lanes past the last theme are none) */
        above |= (sums [b] >= threshold) & (lane + (int) (4 * b) < theme_count);
    uint64_t half [2];
    memcpy (half, &above, 16);
    return (half [0] | half [1]) != 0;
}

bool
kulak_theme_model_scores (const kulak_theme_model_t *self, const kulak_features_t *features,
                          float *scores)
{
    /* (a case per row length the shipped models have, 18 themes in 5 blocks, and a few
       around it; any other length up to KULAK_THEME_MODEL_MAX takes the general one) */
    switch (self->stride / 4) {
        case 1: return add_rows (self, features, 1, scores);
        case 2: return add_rows (self, features, 2, scores);
        case 3: return add_rows (self, features, 3, scores);
        case 4: return add_rows (self, features, 4, scores);
        case 5: return add_rows (self, features, 5, scores);
        case 6: return add_rows (self, features, 6, scores);
        case 7: return add_rows (self, features, 7, scores);
        case 8: return add_rows (self, features, 8, scores);
        default: return add_rows (self, features, self->stride / 4, scores);
    }
}

void
kulak_theme_model_predict (const kulak_theme_model_t *self, const kulak_features_t *features,
                           float *probs)
{
    kulak_theme_model_scores (self, features, probs);
    for (size_t t = 0; t < self->theme_count; t++)
        probs [t] = sigmoid (probs [t]);
}

size_t
kulak_theme_model_explain (const kulak_theme_model_t *self, const kulak_features_t *features,
                           size_t theme, size_t *items, float *weights, size_t count)
{
    size_t found = 0;
    for (size_t i = 0; i < features->count && theme < self->theme_count; i++) {
        uint64_t hash = features->items [i].hash;
        const float *w = hash == self->bias_hash ? NULL : weights_of (self, hash);
        if (!w)
            continue;
        float push = w [theme] * features->items [i].value;
        if (push <= 0)
            continue;
        size_t at = found < count ? found : count;   /* insertion into the top `count` */
        while (at > 0 && weights [at - 1] < push) {
            if (at < count) {
                weights [at] = weights [at - 1];
                items [at] = items [at - 1];
            }
            at--;
        }
        if (at < count) {
            weights [at] = push;
            items [at] = i;
            found += found < count;
        }
    }
    return found;
}

/* ---- training ----------------------------------------------------------------------- */

/* Whether a feature speaks of a text's subject: its words, word beginnings, bigrams and
   lexicon entries; not numbers ("w:#", "b:#|days"), nor the whole text's sentiment
   ("lexbin:-3", "punct:!"). With all features the English model added a theme to 460 of
   en_vader_amazon's 3,708 sentences ("staff_attitude" for "11.", "billing" for "for the 4
   main contenders"), with these 270, at the same cross-validated recall on en_cs and en_th. */
static bool
is_subject_feature (const char *name)
{
    size_t len = strlen (name);
    bool number = strcmp (name, "w:#") == 0 || strcmp (name, "w~:#") == 0
                  || (strncmp (name, "b:", 2) == 0
                      && (strncmp (name, "b:#|", 4) == 0 || (len > 2 && strcmp (name + len - 2, "|#") == 0)));
    return !number && (strncmp (name, "w:", 2) == 0 || strncmp (name, "w~:", 3) == 0
                       || strncmp (name, "p:", 2) == 0 || strncmp (name, "b:", 2) == 0
                       || strncmp (name, "L:", 2) == 0 || strncmp (name, "L~:", 3) == 0);
}

static bool
in_training (const kulak_train_row_t *row, int skip_fold)
{
    return skip_fold < 0 || row->fold != skip_fold;
}

kulak_theme_model_t *
kulak_theme_model_train (const kulak_train_row_t *rows, size_t count, int skip_fold,
                         kulak_lang_t lang, char *const *themes, size_t theme_count,
                         const kulak_theme_train_options_t *options)
{
    kulak_theme_model_t *self = kulak_calloc (1, sizeof *self);
    self->lang = lang;
    self->options = *options;
    self->theme_count = theme_count < KULAK_THEME_MODEL_MAX ? theme_count : KULAK_THEME_MODEL_MAX;
    self->themes = kulak_calloc (self->theme_count + 1, sizeof *self->themes);
    for (size_t t = 0; t < self->theme_count; t++)
        self->themes [t] = kulak_strdup (themes [t]);

    /* 1. the dictionary: features seen in at least min_count training rows, in the order
       first seen (so a model file reads the same for the same rows) */
    kulak_strmap_t *counts = kulak_strmap_new ();
    size_t cap = 1024;
    self->names = kulak_calloc (cap, sizeof *self->names);
    char **seen = kulak_calloc (cap, sizeof *seen);
    size_t seen_count = 0;
    for (size_t r = 0; r < count; r++) {
        if (!in_training (&rows [r], skip_fold))
            continue;
        for (size_t i = 0; i < rows [r].features.count; i++) {
            const char *name = rows [r].features.names [i];
            void **slot = kulak_strmap_get (counts, name, strlen (name));
            if (slot) {
                *slot = (void *) ((uintptr_t) *slot + 1);
                continue;
            }
            kulak_strmap_put (counts, name, strlen (name), (void *) (uintptr_t) 1);
            if (seen_count == cap) {
                cap *= 2;
                seen = kulak_realloc (seen, cap * sizeof *seen);
            }
            seen [seen_count++] = (char *) name;
        }
    }
    self->names = kulak_realloc (self->names, (seen_count + 1) * sizeof *self->names);
    self->names [self->feature_count++] = kulak_strdup ("bias");
    for (size_t i = 0; i < seen_count; i++) {
        void **slot = kulak_strmap_get (counts, seen [i], strlen (seen [i]));
        if (strcmp (seen [i], "bias") != 0 && (uintptr_t) *slot >= (uintptr_t) options->min_count
            && is_subject_feature (seen [i]))
            self->names [self->feature_count++] = kulak_strdup (seen [i]);
    }
    free (seen);
    kulak_strmap_destroy (&counts);
    size_t width = self->theme_count;
    self->weights = kulak_calloc (self->feature_count * width + 1, sizeof (float));
    table_build (self);

    /* 2. rows as indexes into the weights */
    uint32_t **index = kulak_calloc (count + 1, sizeof *index);
    float **values = kulak_calloc (count + 1, sizeof *values);
    size_t *lengths = kulak_calloc (count + 1, sizeof *lengths);
    size_t *order = kulak_calloc (count + 1, sizeof *order);
    size_t used = 0;
    for (size_t r = 0; r < count; r++) {
        if (!in_training (&rows [r], skip_fold))
            continue;
        index [r] = kulak_calloc (rows [r].features.count + 1, sizeof **index);
        values [r] = kulak_calloc (rows [r].features.count + 1, sizeof **values);
        for (size_t i = 0; i < rows [r].features.count; i++) {
            const float *w = weights_of (self, rows [r].features.items [i].hash);
            if (!w)
                continue;
            index [r] [lengths [r]] = (uint32_t) ((size_t) (w - self->weights) / width);
            values [r] [lengths [r]++] = rows [r].features.items [i].value;
        }
        order [used++] = r;
    }

    /* 2b. Each theme's bias starts at the log-odds of its (weighted) share of the rows:
       the words then learn how a text differs from the usual, and a theme few rows have
       does not start at even odds (AdaGrad moves a weight every row touches slowly) */
    for (size_t t = 0; t < width; t++) {
        double positive = 0.5, negative = 0.5;
        for (size_t k = 0; k < used; k++) {
            const kulak_train_row_t *row = &rows [order [k]];
            if ((row->themes >> t) & 1)
                positive += row->weight * options->positive_weight;
            else
                negative += row->weight;
        }
        self->weights [t] = (float) log (positive / negative);    /* "bias" is feature 0 */
    }
    /* 3. AdaGrad epochs over shuffled rows, every theme's regression at once */
    float *gradsq = kulak_malloc ((self->feature_count * width + 1) * sizeof (float));
    for (size_t i = 0; i < self->feature_count * width; i++)
        gradsq [i] = 1e-6f;
    uint64_t random = options->seed;
    for (int epoch = 0; epoch < options->epochs; epoch++) {
        kulak_model_shuffle (order, used, &random);
        for (size_t k = 0; k < used; k++) {
            size_t r = order [k];
            double sums [KULAK_THEME_MODEL_MAX] = { 0 };
            for (size_t i = 0; i < lengths [r]; i++)
                for (size_t t = 0; t < width; t++)
                    sums [t] += self->weights [index [r] [i] * width + t] * values [r] [i];
            for (size_t t = 0; t < width; t++) {
                bool positive = (rows [r].themes >> t) & 1;
                double g = (sigmoid (sums [t]) - positive) * rows [r].weight
                         * (positive ? options->positive_weight : 1);
                for (size_t i = 0; i < lengths [r]; i++) {
                    size_t w = index [r] [i] * width + t;
                    double grad = g * values [r] [i] + options->l2 * self->weights [w];
                    gradsq [w] += (float) (grad * grad);
                    self->weights [w] -= (float) (options->learning_rate * grad / sqrt (gradsq [w]));
                }
            }
        }
    }
    free (gradsq);
    table_build (self);                  /* the padded rows get the trained weights */
    for (size_t r = 0; r < count; r++) {
        free (index [r]);
        free (values [r]);
    }
    free (index);
    free (values);
    free (lengths);
    free (order);
    return self;
}

/* ---- file --------------------------------------------------------------------------- */

int
kulak_theme_model_save (const kulak_theme_model_t *self, const char *path, char **err)
{
    char *tmp;
    FILE *file = kulak_replace_open (path, &tmp, err);
    if (!file)
        return -1;
    fprintf (file, "%s\n# kulak theme model: a logistic regression per theme; see "
                   "include/kulak/theme_model.h\nlang %s\nthemes", THEME_MODEL_MAGIC,
             kulak_lang_name (self->lang));
    for (size_t t = 0; t < self->theme_count; t++)
        fprintf (file, " %s", self->themes [t]);
    fputc ('\n', file);
    kulak_model_sources_write (&self->sources, file);
    if (self->map)
        fprintf (file, "map %s\n", self->map);
    const kulak_theme_train_options_t *o = &self->options;
    fprintf (file, "option epochs %d\noption learning_rate %g\noption l2 %g\noption min_count %d\n"
             "option positive_weight %g\noption threshold %g\noption seed %llu\n", o->epochs,
             o->learning_rate, o->l2, o->min_count, o->positive_weight, o->threshold,
             (unsigned long long) o->seed);
    /* features whose every weight rounds to 0 say nothing: left out */
    for (size_t f = 0; f < self->feature_count; f++) {
        const float *w = &self->weights [f * self->theme_count];
        bool any = f == 0;
        for (size_t t = 0; t < self->theme_count && !any; t++)
            any = fabsf (w [t]) >= 0.0005f;
        if (!any)
            continue;
        fputs (self->names [f], file);
        for (size_t t = 0; t < self->theme_count; t++)
            fprintf (file, "\t%.3f", w [t]);
        fputc ('\n', file);
    }
    return kulak_replace_close (file, tmp, path, "theme model", err);
}

/* The "themes" line's ids into self->themes; false when there are none or too many. */
static bool
read_themes (kulak_theme_model_t *self, char *list)
{
    char *save = NULL;
    for (char *id = strtok_r (list, " ", &save); id; id = strtok_r (NULL, " ", &save)) {
        if (self->theme_count == KULAK_THEME_MODEL_MAX)
            return false;
        self->themes = kulak_realloc (self->themes, (self->theme_count + 1) * sizeof *self->themes);
        self->themes [self->theme_count++] = kulak_strdup (id);
    }
    return self->theme_count > 0;
}

kulak_theme_model_t *
kulak_theme_model_load (const char *path, char **err)
{
    char *text = kulak_read_file (path, NULL, err);
    if (!text)
        return NULL;
    kulak_theme_model_t *self = kulak_calloc (1, sizeof *self);
    kulak_theme_train_options_default (&self->options);
    kulak_theme_train_options_t *o = &self->options;
    size_t cap = 0;
    int line_no = 0;
    bool ok = true;
    char *cursor = text, *line;
    while (ok && (line = kulak_next_line (&cursor))) {    /* blank lines counted for errors */
        line_no++;
        if (line_no == 1) {
            if (strcmp (line, THEME_MODEL_MAGIC) != 0) {
                *err = kulak_sprintf ("%s: not a kulak theme model (first line should be '%s')",
                                      path, THEME_MODEL_MAGIC);
                ok = false;
            }
            continue;
        }
        if (line [0] == '#' || line [0] == 0)
            continue;
        char *tab = strchr (line, '\t');
        if (!tab) {
            unsigned long long seed;
            double number;
            int source = kulak_model_sources_read (&self->sources, line, path, line_no, err);
            if (source != 0)
                ok = source > 0;
            else if (strncmp (line, "lang ", 5) == 0)
                self->lang = kulak_lang_parse (line + 5);
            else if (strncmp (line, "themes ", 7) == 0) {
                if (self->theme_count || !read_themes (self, line + 7)) {
                    *err = kulak_sprintf ("%s:%d: one 'themes' line of 1 to %d theme ids",
                                          path, line_no, KULAK_THEME_MODEL_MAX);
                    ok = false;
                }
            }
            else if (strncmp (line, "map ", 4) == 0)
                kulak_theme_model_set_map (self, line + 4);
            else if (sscanf (line, "option epochs %lf", &number) == 1)
                o->epochs = number >= 1 && number <= 1000 ? (int) number : -1;
            else if (sscanf (line, "option learning_rate %lf", &number) == 1)
                o->learning_rate = number;
            else if (sscanf (line, "option l2 %lf", &number) == 1)
                o->l2 = number;
            else if (sscanf (line, "option min_count %lf", &number) == 1)
                o->min_count = number >= 1 && number <= 1000 ? (int) number : -1;
            else if (sscanf (line, "option positive_weight %lf", &number) == 1)
                o->positive_weight = number;
            else if (sscanf (line, "option threshold %lf", &number) == 1)
                o->threshold = number;
            else if (sscanf (line, "option seed %llu", &seed) == 1)
                o->seed = seed;
            else {
                *err = kulak_sprintf ("%s:%d: not a line of a theme model", path, line_no);
                ok = false;
            }
            continue;
        }
        if (!self->theme_count) {
            *err = kulak_sprintf ("%s:%d: weights before the 'themes' line", path, line_no);
            ok = false;
            break;
        }
        if (self->feature_count == cap) {
            cap = cap ? cap * 2 : 1024;
            self->names = kulak_realloc (self->names, cap * sizeof *self->names);
            self->weights = kulak_realloc (self->weights, cap * self->theme_count * sizeof (float));
        }
        float *w = &self->weights [self->feature_count * self->theme_count];
        *tab = 0;
        ok = kulak_model_parse_weights (tab + 1, w, self->theme_count);
        if (!ok) {
            *err = kulak_sprintf ("%s:%d: expected a feature and %zu weights", path, line_no,
                                  self->theme_count);
            break;
        }
        self->names [self->feature_count++] = kulak_strdup (line);
    }
    free (text);
    if (ok && (self->lang == KULAK_LANG_UNKNOWN || !self->theme_count)) {
        *err = kulak_sprintf ("%s: the theme model does not say its language and themes "
                              "(lines 'lang tr|en' and 'themes ...')", path);
        ok = false;
    }
    if (ok && (o->epochs < 1 || o->min_count < 1 || !(o->learning_rate > 0 && o->learning_rate <= 10)
               || !(o->l2 >= 0 && o->l2 <= 1) || !(o->positive_weight > 0 && o->positive_weight <= 100)
               || !(o->threshold > 0 && o->threshold < 1))) {
        *err = kulak_sprintf ("%s: an option line is out of range (epochs 1-1000, min_count "
                              "1-1000, learning_rate 0-10, l2 0-1, positive_weight 0-100, "
                              "threshold between 0 and 1)", path);
        ok = false;
    }
    if (!ok) {
        kulak_theme_model_destroy (&self);
        return NULL;
    }
    table_build (self);
    self->path = kulak_strdup (path);
    return self;
}
