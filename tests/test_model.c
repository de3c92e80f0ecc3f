/*  test_model.c: the trainable sentiment model (model.h): training on tiny synthetic rows,
    predictions, explanations, and the model file (save, load, refusal of bad files). */
#include "check.h"
#include "feature_names.h"
#include "fixture.h"
#include "kulak/model.h"
#include "kulak/tagger.h"
#include "kulak/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char s_dir [] = "/tmp/kulak-model-XXXXXX";

#define ROWS 36

/* Rows where "w:good" means pos, "w:bad" neg and "w:okay" neu; "w:the" is everywhere. */
static void
synthetic_rows (kulak_train_row_t *rows)
{
    static const char *pos [] = { "bias", "w:the", "w:good", NULL };
    static const char *neg [] = { "bias", "w:the", "w:bad", NULL };
    static const char *neu [] = { "bias", "w:the", "w:okay", NULL };
    static const char *pos2 [] = { "bias", "w:good", "w:service", NULL };
    static const char *neg2 [] = { "bias", "w:bad", "w:service", NULL };
    const char *const *kinds [5] = { pos, neg, neu, pos2, neg2 };
    const kulak_label_t labels [5] = { KULAK_LABEL_POS, KULAK_LABEL_NEG, KULAK_LABEL_NEU,
                                       KULAK_LABEL_POS, KULAK_LABEL_NEG };
    memset (rows, 0, ROWS * sizeof *rows);
    for (int i = 0; i < ROWS; i++) {
        int kind = i % 5 == 4 && i % 2 ? 3 : i % 5 == 4 ? 4 : i % 3;
        features_of (&rows [i].features, kinds [kind]);
        rows [i].label = labels [kind];
        rows [i].weight = 1;
        rows [i].fold = i % 4;
    }
}

static void
train_options (kulak_train_options_t *options)
{
    /* fixed here, not the tuned defaults: the test is about behaviour, not tuning */
    kulak_train_options_default (options);
    options->epochs = 20;
    options->learning_rate = 0.2;
    options->l2 = 1e-6;
    options->min_count = 2;
    options->seed = 7;
}

static kulak_label_t
argmax (const double probs [3])
{
    kulak_label_t best = KULAK_LABEL_NEU;
    if (probs [KULAK_LABEL_POS] > probs [best])
        best = KULAK_LABEL_POS;
    if (probs [KULAK_LABEL_NEG] > probs [best])
        best = KULAK_LABEL_NEG;
    return best;
}

static kulak_label_t
predict_names (const kulak_model_t *model, const char *const *names, double probs [3])
{
    kulak_features_t f = { 0 };
    features_of (&f, names);
    kulak_model_predict (model, &f, probs);
    kulak_features_free (&f);
    return argmax (probs);
}

TEST (test_train_and_predict)
{
    kulak_train_row_t rows [ROWS];
    synthetic_rows (rows);
    kulak_train_options_t options;
    train_options (&options);
    kulak_model_t *model = kulak_model_train (rows, ROWS, -1, KULAK_LANG_EN, &options);
    CHECK (model != NULL);
    CHECK (kulak_model_lang (model) == KULAK_LANG_EN);
    CHECK (kulak_model_path (model) == NULL);
    CHECK (kulak_model_feature_count (model) == 6);      /* bias the good bad okay service */
    double probs [3];
    const char *good [] = { "bias", "w:good", NULL };
    const char *bad [] = { "bias", "w:bad", NULL };
    const char *okay [] = { "bias", "w:the", "w:okay", NULL };
    CHECK (predict_names (model, good, probs) == KULAK_LABEL_POS);
    CHECK (probs [KULAK_LABEL_POS] > 0.6);
    CHECK (fabs (probs [0] + probs [1] + probs [2] - 1) < 1e-9);
    CHECK (predict_names (model, bad, probs) == KULAK_LABEL_NEG);
    CHECK (probs [KULAK_LABEL_NEG] > 0.6);
    CHECK (predict_names (model, okay, probs) == KULAK_LABEL_NEU);
    /* a feature the model never saw changes nothing */
    const char *good_unknown [] = { "bias", "w:good", "w:zebra", NULL };
    double probs2 [3];
    predict_names (model, good, probs);
    predict_names (model, good_unknown, probs2);
    CHECK (fabs (probs [KULAK_LABEL_POS] - probs2 [KULAK_LABEL_POS]) < 1e-12);
    kulak_model_destroy (&model);
    CHECK (model == NULL);
    kulak_model_destroy (&model);
    free_rows (rows, ROWS);
}

TEST (test_min_count_and_folds)
{
    kulak_train_row_t rows [ROWS + 1];
    synthetic_rows (rows);
    /* one row with a feature seen once: dropped by min_count 2 */
    memset (&rows [ROWS], 0, sizeof rows [ROWS]);
    const char *rare [] = { "bias", "w:good", "w:once", NULL };
    features_of (&rows [ROWS].features, rare);
    rows [ROWS].label = KULAK_LABEL_POS;
    rows [ROWS].weight = 1;
    rows [ROWS].fold = 0;
    kulak_train_options_t options;
    train_options (&options);
    kulak_model_t *model = kulak_model_train (rows, ROWS + 1, -1, KULAK_LANG_EN, &options);
    CHECK (kulak_model_feature_count (model) == 6);
    kulak_model_destroy (&model);
    options.min_count = 1;
    model = kulak_model_train (rows, ROWS + 1, -1, KULAK_LANG_EN, &options);
    CHECK (kulak_model_feature_count (model) == 7);
    kulak_model_destroy (&model);
    /* skipping fold 0 leaves out the only row with w:once */
    model = kulak_model_train (rows, ROWS + 1, 0, KULAK_LANG_EN, &options);
    CHECK (kulak_model_feature_count (model) == 6);
    double probs [3];
    const char *good [] = { "bias", "w:good", NULL };
    CHECK (predict_names (model, good, probs) == KULAK_LABEL_POS);
    kulak_model_destroy (&model);
    free_rows (rows, ROWS + 1);
}

TEST (test_training_is_reproducible)
{
    kulak_train_row_t rows [ROWS];
    synthetic_rows (rows);
    kulak_train_options_t options;
    train_options (&options);
    kulak_model_t *a = kulak_model_train (rows, ROWS, -1, KULAK_LANG_TR, &options);
    kulak_model_t *b = kulak_model_train (rows, ROWS, -1, KULAK_LANG_TR, &options);
    double pa [3], pb [3];
    const char *mixed [] = { "bias", "w:good", "w:bad", "w:service", NULL };
    predict_names (a, mixed, pa);
    predict_names (b, mixed, pb);
    CHECK (pa [0] == pb [0] && pa [1] == pb [1] && pa [2] == pb [2]);
    kulak_model_destroy (&a);
    kulak_model_destroy (&b);
    free_rows (rows, ROWS);
}

TEST (test_explain_names_the_decisive_feature)
{
    kulak_train_row_t rows [ROWS];
    synthetic_rows (rows);
    kulak_train_options_t options;
    train_options (&options);
    kulak_model_t *model = kulak_model_train (rows, ROWS, -1, KULAK_LANG_EN, &options);
    kulak_features_t f = { 0 };
    const char *text [] = { "bias", "w:the", "w:bad", "w:service", NULL };
    features_of (&f, text);
    const char *names [4] = { 0 };
    float pushes [4] = { 0 };
    size_t n = kulak_model_explain (model, &f, KULAK_LABEL_NEG, names, pushes, 4);
    CHECK (n >= 1);
    if (n >= 1)
        CHECK_STR (names [0], "w:bad");
    for (size_t i = 1; i < n; i++)
        CHECK (pushes [i] <= pushes [i - 1] && pushes [i] > 0);
    /* only one slot: still the strongest */
    n = kulak_model_explain (model, &f, KULAK_LABEL_NEG, names, pushes, 1);
    CHECK (n == 1);
    CHECK_STR (names [0], "w:bad");
    /* towards pos, "bad" pushes nothing */
    n = kulak_model_explain (model, &f, KULAK_LABEL_POS, names, pushes, 4);
    for (size_t i = 0; i < n; i++)
        CHECK (strcmp (names [i], "w:bad") != 0);
    kulak_features_free (&f);
    kulak_model_destroy (&model);
    free_rows (rows, ROWS);
}

/* Writes `text` to a file in the temp folder; returns its path. */
static char *
write_temp (const char *name, const char *text)
{
    char *path = kulak_sprintf ("%s/%s", s_dir, name);
    FILE *file = fopen (path, "w");
    fputs (text, file);
    fclose (file);
    return path;
}

/* With shuffles N the model is the mean of N runs from seeds a golden-ratio step apart: its
   log-odds are the mean of theirs (the model is linear in its weights), Naive-Bayes scaling
   and all. */
TEST (test_shuffles_average_runs)
{
    kulak_train_row_t rows [ROWS];
    synthetic_rows (rows);
    kulak_train_options_t options;
    train_options (&options);
    options.epochs = 2;                  /* far from converged: the runs differ */
    options.nb_scale = 0.5;
    kulak_model_t *a = kulak_model_train (rows, ROWS, -1, KULAK_LANG_EN, &options);
    options.seed += 0x9E3779B97F4A7C15ULL;
    kulak_model_t *b = kulak_model_train (rows, ROWS, -1, KULAK_LANG_EN, &options);
    options.seed -= 0x9E3779B97F4A7C15ULL;
    options.shuffles = 2;
    kulak_model_t *mean = kulak_model_train (rows, ROWS, -1, KULAK_LANG_EN, &options);
    const char *texts [][5] = {
        { "bias", "w:good", "w:bad", "w:service", NULL }, { "bias", "w:the", "w:okay", NULL },
    };
    bool runs_differ = false;
    for (size_t i = 0; i < 2; i++) {
        double pa [3], pb [3], pm [3];
        predict_names (a, texts [i], pa);
        predict_names (b, texts [i], pb);
        predict_names (mean, texts [i], pm);
        for (int c = 0; c < 3; c++) {
            double la = log (pa [c] / pa [KULAK_LABEL_NEU]), lb = log (pb [c] / pb [KULAK_LABEL_NEU]);
            CHECK (fabs (log (pm [c] / pm [KULAK_LABEL_NEU]) - (la + lb) / 2) < 1e-4);
            runs_differ = runs_differ || fabs (la - lb) > 1e-3;
        }
    }
    CHECK (runs_differ);
    kulak_model_destroy (&a);
    kulak_model_destroy (&b);
    kulak_model_destroy (&mean);
    free_rows (rows, ROWS);
}

TEST (test_save_and_load)
{
    kulak_train_row_t rows [ROWS];
    synthetic_rows (rows);
    kulak_train_options_t options;
    train_options (&options);
    options.balance = 0.75;              /* recorded in the file, as the weights are */
    options.seed = 18446744073709551557ULL;     /* a seed a double would round */
    options.shuffles = 3;
    kulak_model_t *model = kulak_model_train (rows, ROWS, -1, KULAK_LANG_TR, &options);
    kulak_model_add_source (model, "datasets/tr_store_reviews/eval.tsv", ROWS,
                            0x0123456789abcdefULL, 0.3);
    char *path = kulak_sprintf ("%s/model.tsv", s_dir);
    char *err = NULL;
    CHECK (kulak_model_save (model, path, &err) == 0);
    kulak_model_t *loaded = kulak_model_load (path, &err);
    CHECK (loaded != NULL);
    if (loaded) {
        CHECK (kulak_model_lang (loaded) == KULAK_LANG_TR);
        CHECK_STR (kulak_model_path (loaded), path);
        CHECK (kulak_model_feature_count (loaded) == kulak_model_feature_count (model));
        CHECK (kulak_model_source_count (loaded) == 1);
        const kulak_model_source_t *source = kulak_model_source (loaded, 0);
        CHECK (source && strcmp (source->path, "datasets/tr_store_reviews/eval.tsv") == 0
               && source->rows == ROWS && source->hash == 0x0123456789abcdefULL
               && fabs (source->weight - 0.3) < 1e-9);
        CHECK (kulak_model_train_options (loaded)->balance == options.balance);
        CHECK (kulak_model_train_options (loaded)->seed == options.seed);
        CHECK (kulak_model_train_options (loaded)->shuffles == 3);
        CHECK (kulak_model_source (loaded, 1) == NULL);
        const char *cases [][5] = {
            { "bias", "w:good", NULL }, { "bias", "w:bad", "w:service", NULL },
            { "bias", "w:okay", "w:the", NULL }, { "bias", "w:good", "w:bad", NULL },
        };
        for (size_t i = 0; i < 4; i++) {
            double a [3], b [3];
            kulak_label_t la = predict_names (model, cases [i], a);
            kulak_label_t lb = predict_names (loaded, cases [i], b);
            CHECK (la == lb);
            for (int c = 0; c < 3; c++)
                CHECK (fabs (a [c] - b [c]) < 1e-3);
        }
        /* saved again, the file is the same byte for byte */
        char *again = kulak_sprintf ("%s/model2.tsv", s_dir);
        CHECK (kulak_model_save (loaded, again, &err) == 0);
        size_t la = 0, lb = 0;
        char *first = kulak_read_file (path, &la, &err);
        char *second = kulak_read_file (again, &lb, &err);
        CHECK (first && second && la == lb && memcmp (first, second, la) == 0);
        CHECK (first && strncmp (first, "kulak-model 1\n", 14) == 0);
        CHECK (first && strstr (first, "\nlang tr\n") != NULL);
        CHECK (first && strstr (first, "\nbias\t") != NULL);
        free (first);
        free (second);
        free (again);
    }
    /* saving where it cannot write fails with a reason and leaves no file */
    CHECK (kulak_model_save (model, "/nonexistent/dir/model.tsv", &err) == -1);
    CHECK (err && strstr (err, "/nonexistent/dir/model.tsv") != NULL);
    free (err);
    kulak_model_destroy (&loaded);
    kulak_model_destroy (&model);
    free (path);
    free_rows (rows, ROWS);
}

TEST (test_load_bad_line_reports_file_and_line)
{
    char *path = write_temp ("bad.tsv", "kulak-model 1\n# comment\nlang en\nbias\t0.1\t0.2\t0.3\n"
                                        "w:good\t-1\tzero\t1\n");
    char *err = NULL;
    kulak_model_t *model = kulak_model_load (path, &err);
    CHECK (model == NULL);
    char *where = kulak_sprintf ("%s:5:", path);
    CHECK (err && strncmp (err, where, strlen (where)) == 0);
    free (where);
    free (err);
    free (path);

    /* non-finite weights are bad lines too */
    path = write_temp ("nan.tsv", "kulak-model 1\nlang en\nbias\t0\t0\t0\nw:x\tnan\t0\t0\n");
    err = NULL;
    model = kulak_model_load (path, &err);
    CHECK (model == NULL);
    where = kulak_sprintf ("%s:4:", path);
    CHECK (err && strncmp (err, where, strlen (where)) == 0);
    free (where);
    free (err);
    free (path);
}

TEST (test_load_line_numbers_count_blank_lines)
{
    /* a hand-edited model with a blank line: the error must point at the physical line */
    char *path = write_temp ("blank.tsv", "kulak-model 1\nlang en\n\nbias\t0\t0\t0\n\n"
                                          "w:good\t1\t2\n");
    char *err = NULL;
    kulak_model_t *model = kulak_model_load (path, &err);
    CHECK (model == NULL);
    char *where = kulak_sprintf ("%s:6:", path);
    CHECK (err && strncmp (err, where, strlen (where)) == 0);
    if (err && strncmp (err, where, strlen (where)) != 0)
        printf ("     (error was: %s)\n", err);
    free (where);
    free (err);
    free (path);
}

TEST (test_load_refuses_other_files)
{
    char *path = write_temp ("nomagic.tsv", "lang en\nbias\t0\t0\t0\n");
    char *err = NULL;
    kulak_model_t *model = kulak_model_load (path, &err);
    CHECK (model == NULL);
    CHECK (err && strstr (err, path) && strstr (err, "kulak-model 1"));
    free (err);
    free (path);

    path = write_temp ("v2.tsv", "kulak-model 2\nlang en\nbias\t0\t0\t0\n");
    err = NULL;
    model = kulak_model_load (path, &err);
    CHECK (model == NULL);
    free (err);
    free (path);

    path = write_temp ("nolang.tsv", "kulak-model 1\nbias\t0\t0\t0\n");
    err = NULL;
    model = kulak_model_load (path, &err);
    CHECK (model == NULL);
    CHECK (err && strstr (err, "lang") != NULL);
    free (err);
    free (path);

    err = NULL;
    model = kulak_model_load ("/nonexistent/model.tsv", &err);
    CHECK (model == NULL);
    CHECK (err && strstr (err, "/nonexistent/model.tsv") != NULL);
    free (err);
}

TEST (test_train_on_tagger_features)
{
    /* End to end with the fixture lexicons: features from text, a model, its predictions. */
    char *lexicons = fixture ("lexicons");
    kulak_tagger_options_t topt = { .lexicon_dir = lexicons, .model_tr = "none",
                                    .model_en = "none" };
    char *err = NULL;
    kulak_tagger_t *tagger = kulak_tagger_new (&topt, &err);
    CHECK (tagger != NULL);
    if (!tagger) {
        printf ("     (%s)\n", err ? err : "?");
        free (err);
        free (lexicons);
        return;
    }
    static const char *texts [] = {
        "kargo çabuk geldi", "kargo geç geldi kutu yırtık", "paket çabuk ulaştı",
        "paket yırtık ve eksik", "ürün çabuk elime ulaştı", "ürün yırtık çıktı",
    };
    static const kulak_label_t labels [] = {
        KULAK_LABEL_POS, KULAK_LABEL_NEG, KULAK_LABEL_POS, KULAK_LABEL_NEG, KULAK_LABEL_POS,
        KULAK_LABEL_NEG,
    };
    kulak_train_row_t rows [24];
    memset (rows, 0, sizeof rows);
    for (size_t i = 0; i < 24; i++) {
        rows [i].features.keep_names = true;
        kulak_tagger_features (tagger, texts [i % 6], KULAK_LANG_TR, &rows [i].features);
        rows [i].label = labels [i % 6];
        rows [i].weight = 1;
        rows [i].fold = -1;
    }
    /* the features have names and "bias" */
    bool bias = false;
    for (size_t i = 0; i < rows [0].features.count; i++)
        bias = bias || strcmp (rows [0].features.names [i], "bias") == 0;
    CHECK (bias);
    kulak_train_options_t options;
    train_options (&options);
    kulak_model_t *model = kulak_model_train (rows, 24, -1, KULAK_LANG_TR, &options);
    kulak_features_t f = { .keep_names = false };
    double probs [3];
    kulak_tagger_features (tagger, "sipariş çabuk geldi", KULAK_LANG_TR, &f);
    kulak_model_predict (model, &f, probs);
    CHECK (argmax (probs) == KULAK_LABEL_POS);
    kulak_tagger_features (tagger, "kutu yırtık", KULAK_LANG_TR, &f);
    kulak_model_predict (model, &f, probs);
    CHECK (argmax (probs) == KULAK_LABEL_NEG);
    /* the tagger uses the model once given one */
    kulak_tagger_set_model (tagger, KULAK_LANG_TR, model);
    CHECK (kulak_tagger_model (tagger, KULAK_LANG_TR) == model);
    kulak_record_t *record = kulak_record_new ();
    record->norm_text = kulak_strdup ("paket yırtık geldi");
    record->lang = KULAK_LANG_TR;
    kulak_tagger_tag (tagger, record);
    CHECK (record->label == KULAK_LABEL_NEG);
    char *explain = kulak_tagger_explain (tagger, record);
    CHECK (explain && explain [0] == '[' && strstr (explain, "yirt") != NULL);
    free (explain);
    kulak_record_destroy (&record);
    kulak_features_free (&f);
    free_rows (rows, 24);
    kulak_tagger_destroy (&tagger);
    free (lexicons);
    free (err);
}

int
main (void)
{
    if (!mkdtemp (s_dir)) {
        printf ("FAIL setup: cannot create a temporary folder\n");
        return 1;
    }
    RUN (test_train_and_predict);
    RUN (test_min_count_and_folds);
    RUN (test_training_is_reproducible);
    RUN (test_explain_names_the_decisive_feature);
    RUN (test_shuffles_average_runs);
    RUN (test_save_and_load);
    RUN (test_load_bad_line_reports_file_and_line);
    RUN (test_load_line_numbers_count_blank_lines);
    RUN (test_load_refuses_other_files);
    RUN (test_train_on_tagger_features);
    char *cmd = kulak_sprintf ("rm -rf '%s'", s_dir);
    if (system (cmd) != 0)
        printf ("(could not remove %s)\n", s_dir);
    free (cmd);
    return CHECK_RESULT ();
}
