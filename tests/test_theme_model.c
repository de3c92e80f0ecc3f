/*  test_theme_model.c: the trainable theme model (theme_model.h): training on small rows,
    prediction, the model file (save, load, refusal of bad files), and the tagger adding a
    theme the lexicons missed, with its evidence. */
#include "check.h"
#include "feature_names.h"
#include "fixture.h"
#include "kulak/tagger.h"
#include "kulak/theme_model.h"
#include "kulak/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char s_dir [] = "/tmp/kulak-theme-model-XXXXXX";
static char *s_themes [] = { "waiting", "billing", "delay" };

#define ROWS 40

/* "w:queue" rows are about waiting, "w:invoice" about billing, rows with both about both,
   "w:weather" rows about nothing; "w:the" is everywhere. */
static void
synthetic_rows (kulak_train_row_t *rows)
{
    static const char *waiting [] = { "bias", "w:the", "w:queue", NULL };
    static const char *billing [] = { "bias", "w:the", "w:invoice", NULL };
    static const char *both [] = { "bias", "w:the", "w:queue", "w:invoice", NULL };
    static const char *none [] = { "bias", "w:the", "w:weather", NULL };
    const char *const *kinds [4] = { waiting, billing, both, none };
    const uint64_t bits [4] = { 1, 2, 3, 0 };
    memset (rows, 0, ROWS * sizeof *rows);
    for (int i = 0; i < ROWS; i++) {
        features_of (&rows [i].features, kinds [i % 4]);
        rows [i].themes = bits [i % 4];
        rows [i].weight = 1;
        rows [i].fold = i % 5;
    }
}

static void
predict (const kulak_theme_model_t *model, const char *const *names, float *probs)
{
    kulak_features_t f = { .keep_names = false };
    features_of (&f, names);
    kulak_theme_model_predict (model, &f, probs);
    kulak_features_free (&f);
}

TEST (test_train_and_predict)
{
    kulak_train_row_t rows [ROWS];
    synthetic_rows (rows);
    kulak_theme_train_options_t options;
    kulak_theme_train_options_default (&options);
    kulak_theme_model_t *model = kulak_theme_model_train (rows, ROWS, -1, KULAK_LANG_EN,
                                                          s_themes, 3, &options);
    CHECK (kulak_theme_model_theme_count (model) == 3);
    CHECK_STR (kulak_theme_model_theme (model, 1), "billing");
    float probs [3];
    predict (model, (const char *[]) { "bias", "w:queue", NULL }, probs);
    /* (half the "queue" rows are also billing: less sure of that one) */
    CHECK (probs [0] > 0.8f && probs [1] < probs [0] - 0.2f && probs [2] < 0.3f);
    predict (model, (const char *[]) { "bias", "w:invoice", "w:queue", NULL }, probs);
    CHECK (probs [0] > 0.5f && probs [1] > 0.5f);            /* a text can have two themes */
    predict (model, (const char *[]) { "bias", "w:weather", NULL }, probs);
    /* below the default threshold (positive rows count 3 times: not far below) */
    CHECK (probs [0] < 0.4f && probs [1] < 0.4f && probs [2] < 0.1f);
    /* evidence: the feature that pushed towards billing, not "w:the" nor the bias */
    kulak_features_t f = { .keep_names = false };
    features_of (&f, (const char *[]) { "bias", "w:the", "w:invoice", NULL });
    size_t items [2];
    float weights [2];
    size_t n = kulak_theme_model_explain (model, &f, 1, items, weights, 2);
    CHECK (n >= 1 && strcmp (f.names [items [0]], "w:invoice") == 0 && weights [0] > 0);
    kulak_features_free (&f);
    kulak_theme_model_destroy (&model);
    CHECK (model == NULL);
    free_rows (rows, ROWS);
}

TEST (test_folds_leave_rows_out)
{
    /* a fold's model never saw that fold: here fold 0 holds every "w:weather" row, so its
       model does not know the word */
    kulak_train_row_t rows [ROWS];
    synthetic_rows (rows);
    for (int i = 0; i < ROWS; i++)
        rows [i].fold = i % 4 == 3 ? 0 : 1;
    kulak_theme_train_options_t options;
    kulak_theme_train_options_default (&options);
    kulak_theme_model_t *all = kulak_theme_model_train (rows, ROWS, -1, KULAK_LANG_EN,
                                                        s_themes, 3, &options);
    kulak_theme_model_t *fold0 = kulak_theme_model_train (rows, ROWS, 0, KULAK_LANG_EN,
                                                          s_themes, 3, &options);
    CHECK (kulak_theme_model_feature_count (fold0) < kulak_theme_model_feature_count (all));
    kulak_theme_model_destroy (&all);
    kulak_theme_model_destroy (&fold0);
    free_rows (rows, ROWS);
}

TEST (test_only_features_of_the_subject)
{
    /* numbers and the whole text's sentiment say nothing of its subject: a model trained
       where they come with every waiting row has no weight for them */
    static const char *waiting [] = { "bias", "w:queue", "w:#", "b:#|minutes", "lexbin:-3",
                                      "punct:!", NULL };
    static const char *none [] = { "bias", "w:weather", NULL };
    kulak_train_row_t rows [20];
    memset (rows, 0, sizeof rows);
    for (int i = 0; i < 20; i++) {
        features_of (&rows [i].features, i % 2 ? waiting : none);
        rows [i].themes = i % 2;
        rows [i].weight = 1;
        rows [i].fold = -1;
    }
    kulak_theme_train_options_t options;
    kulak_theme_train_options_default (&options);
    kulak_theme_model_t *model = kulak_theme_model_train (rows, 20, -1, KULAK_LANG_EN,
                                                          s_themes, 3, &options);
    float bias_only [3], with_others [3], with_word [3];
    predict (model, (const char *[]) { "bias", NULL }, bias_only);
    predict (model, (const char *[]) { "bias", "w:#", "b:#|minutes", "lexbin:-3", "punct:!",
                                       NULL }, with_others);
    predict (model, (const char *[]) { "bias", "w:queue", NULL }, with_word);
    CHECK (with_others [0] == bias_only [0]);
    CHECK (with_word [0] > bias_only [0] + 0.2f);
    kulak_theme_model_destroy (&model);
    free_rows (rows, 20);
}

TEST (test_save_and_load)
{
    kulak_train_row_t rows [ROWS];
    synthetic_rows (rows);
    kulak_theme_train_options_t options;
    kulak_theme_train_options_default (&options);
    options.threshold = 0.65;
    kulak_theme_model_t *model = kulak_theme_model_train (rows, ROWS, -1, KULAK_LANG_TR,
                                                          s_themes, 3, &options);
    kulak_theme_model_add_source (model, "ours.tsv", 40, 0x1234abcdULL, 2);
    kulak_theme_model_set_map (model, "map.tsv");
    char *path = kulak_sprintf ("%s/themes.tsv", s_dir);
    char *err = NULL;
    CHECK (kulak_theme_model_save (model, path, &err) == 0);
    kulak_theme_model_t *loaded = kulak_theme_model_load (path, &err);
    CHECK (loaded != NULL);
    if (loaded) {
        CHECK (kulak_theme_model_lang (loaded) == KULAK_LANG_TR);
        CHECK_STR (kulak_theme_model_theme (loaded, 2), "delay");
        CHECK_STR (kulak_theme_model_map (loaded), "map.tsv");
        CHECK_STR (kulak_theme_model_path (loaded), path);
        CHECK (fabs (kulak_theme_model_options (loaded)->threshold - 0.65) < 1e-9);
        CHECK (kulak_theme_model_source_count (loaded) == 1);
        const kulak_model_source_t *source = kulak_theme_model_source (loaded, 0);
        CHECK (source && source->rows == 40 && source->hash == 0x1234abcdULL
               && source->weight == 2);
        float a [3], b [3];
        const char *names [] = { "bias", "w:queue", "w:the", NULL };
        predict (model, names, a);
        predict (loaded, names, b);
        for (int t = 0; t < 3; t++)
            CHECK (fabsf (a [t] - b [t]) < 0.01f);     /* weights kept to 3 decimals */
    }
    kulak_theme_model_destroy (&loaded);
    kulak_theme_model_destroy (&model);
    free (path);
    free (err);
    free_rows (rows, ROWS);
}

/* Writes `content` to a file in the temp dir and loads it as a theme model. */
static kulak_theme_model_t *
load_text (const char *content, char **err)
{
    char *path = kulak_sprintf ("%s/bad.tsv", s_dir);
    FILE *f = fopen (path, "w");
    fputs (content, f);
    fclose (f);
    kulak_theme_model_t *model = kulak_theme_model_load (path, err);
    free (path);
    return model;
}

TEST (test_load_refuses_bad_files)
{
    static const struct { const char *content, *says; } cases [] = {
        { "kulak-model 1\nlang tr\n", "not a kulak theme model" },
        { "kulak-theme-model 1\nlang tr\nthemes waiting billing\nbias\t0.1\n", "bad.tsv:4" },
        { "kulak-theme-model 1\nlang tr\nbias\t0.1\n", "before the 'themes' line" },
        { "kulak-theme-model 1\nthemes waiting\nbias\t0.1\n", "lang" },
        { "kulak-theme-model 1\nlang en\nthemes waiting\noption threshold 1.5\nbias\t0\n",
          "out of range" },
        { "kulak-theme-model 1\nlang en\nthemes waiting\n\nwhat is this\n", "bad.tsv:5" },
        { "kulak-theme-model 1\nlang en\nthemes waiting\nw:x\tnan\n", "bad.tsv:4" },
        { "kulak-theme-model 1\nlang en\nthemes waiting\nsource a.tsv 3 0000000000000abc 500\n",
          "bad.tsv:4: a source's weight must be above 0" },
        { "kulak-theme-model 1\nlang en\nthemes waiting\nsource a.tsv 3 abc 1\n",
          "bad.tsv:4: a source line is 'source PATH ROWS HASH [WEIGHT]'" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases [0]; i++) {
        char *err = NULL;
        kulak_theme_model_t *model = load_text (cases [i].content, &err);
        CHECK (model == NULL);
        CHECK (err && strstr (err, cases [i].says) != NULL);
        if (!err || !strstr (err, cases [i].says))
            printf ("     case %zu said: %s\n", i, err ? err : "(nothing)");
        kulak_theme_model_destroy (&model);
        free (err);
    }
}

/* The tagger with the fixture lexicons (themes waiting, billing, delay; "bekle*" is
   waiting) and no sentiment model. */
static kulak_tagger_t *
fixture_tagger (void)
{
    char *lexicons = fixture ("lexicons");
    kulak_tagger_options_t options = { .lexicon_dir = lexicons, .model_tr = "none",
                                       .model_en = "none", .themes_tr = "none",
                                       .themes_en = "none" };
    char *err = NULL;
    kulak_tagger_t *tagger = kulak_tagger_new (&options, &err);
    if (!tagger)
        printf ("     (%s)\n", err ? err : "?");
    free (err);
    free (lexicons);
    return tagger;
}

static kulak_record_t *
tag (kulak_tagger_t *tagger, const char *text)
{
    kulak_record_t *record = kulak_record_new ();
    record->norm_text = kulak_strdup (text);
    record->lang = KULAK_LANG_TR;
    kulak_tagger_tag (tagger, record);
    return record;
}

static const kulak_theme_hit_t *
theme_of (const kulak_record_t *record, const char *id)
{
    for (size_t i = 0; i < record->theme_count; i++)
        if (strcmp (record->themes [i].theme, id) == 0)
            return &record->themes [i];
    return NULL;
}

TEST (test_tagger_adds_a_theme_the_lexicons_miss)
{
    kulak_tagger_t *tagger = fixture_tagger ();
    CHECK (tagger != NULL);
    if (!tagger)
        return;
    /* "müzik" (hold music) is waiting, a word the fixture's theme lexicons do not have */
    static const char *texts [] = {
        "yarım saattir aynı müziği dinliyorum", "telefonda müzik dinlemekten bıktım",
        "hatta müzik çalıyor kimse açmıyor", "müzik bitmiyor, kimse açmıyor",
        "bugün hava çok güzel", "hava yağmurlu",
    };
    static const uint64_t bits [] = { 1, 1, 1, 1, 0, 0 };
    kulak_train_row_t rows [36];
    memset (rows, 0, sizeof rows);
    for (size_t i = 0; i < 36; i++) {
        rows [i].features.keep_names = true;
        kulak_tagger_features (tagger, texts [i % 6], KULAK_LANG_TR, &rows [i].features);
        rows [i].themes = bits [i % 6];
        rows [i].weight = 1;
        rows [i].fold = -1;
    }
    kulak_theme_train_options_t options;
    kulak_theme_train_options_default (&options);
    kulak_theme_model_t *model = kulak_theme_model_train (rows, 36, -1, KULAK_LANG_TR,
                                                          s_themes, 3, &options);
    free_rows (rows, 36);

    /* without the model: no theme */
    kulak_record_t *record = tag (tagger, "kırk dakikadır müzik dinletiyorsunuz");
    CHECK (record->theme_count == 0);
    kulak_record_destroy (&record);

    kulak_tagger_swap_theme_model (tagger, KULAK_LANG_TR, model);
    CHECK (kulak_tagger_theme_model (tagger, KULAK_LANG_TR) == model);
    record = tag (tagger, "kırk dakikadır müzik dinletiyorsunuz");
    const kulak_theme_hit_t *hit = theme_of (record, "waiting");
    CHECK (hit != NULL);
    if (hit) {
        /* evidence: the word behind the feature, at its code point offsets */
        CHECK (hit->evidence_count >= 1);
        bool music = false;
        for (size_t i = 0; i < hit->evidence_count; i++)
            music = music || (strcmp (hit->evidence [i].word, "müzik") == 0
                              && hit->evidence [i].start == 15 && hit->evidence [i].end == 20);
        CHECK (music);
    }
    /* each place in the text is shown once: "müzik" gives "w:" and "p:" features */
    for (size_t i = 0; hit && i < hit->evidence_count; i++)
        for (size_t k = i + 1; k < hit->evidence_count; k++)
            CHECK (hit->evidence [k].start >= hit->evidence [i].end
                   || hit->evidence [i].start >= hit->evidence [k].end);
    char *json = kulak_tagger_json (record, NULL);
    CHECK (json && strstr (json, "\"theme\":\"waiting\"") && strstr (json, "\"text\":\"müzik\""));
    free (json);
    kulak_record_destroy (&record);

    /* the weather is no theme */
    record = tag (tagger, "hava bugün çok güzel");
    CHECK (record->theme_count == 0);
    kulak_record_destroy (&record);

    /* a word the model never saw: its themes have no evidence, so none is added, though a
       model trained mostly on waiting rows gives waiting even odds from its bias alone */
    record = tag (tagger, "xyzzy");
    CHECK (record->theme_count == 0);
    kulak_record_destroy (&record);

    /* where the lexicons name a theme ("gecikti" is delay), the model adds one beside it
       only when sure of it (0.8): "müzik dinliyorum" is, with "müzik" as its evidence ... */
    record = tag (tagger, "kargo gecikti, müzik dinliyorum");
    CHECK (theme_of (record, "delay") != NULL);
    hit = theme_of (record, "waiting");
    CHECK (hit != NULL && hit->evidence_count >= 1
           && strcmp (hit->evidence [0].word, "müzik") == 0);
    kulak_record_destroy (&record);
    /* ... "hava müzik" gives waiting more than the model's threshold but less than 0.8:
       alone it would be a theme, beside delay it is not */
    kulak_features_t features;
    memset (&features, 0, sizeof features);
    kulak_tagger_features (tagger, "kargo gecikti, hava müzik", KULAK_LANG_TR, &features);
    float probs [KULAK_THEME_MODEL_MAX];
    kulak_theme_model_predict (model, &features, probs);
    kulak_features_free (&features);
    CHECK (probs [0] >= options.threshold && probs [0] < 0.8f);
    record = tag (tagger, "kargo gecikti, hava müzik");
    CHECK (theme_of (record, "delay") != NULL);
    CHECK (theme_of (record, "waiting") == NULL);
    kulak_record_destroy (&record);
    kulak_tagger_destroy (&tagger);
}

int
main (void)
{
    if (!mkdtemp (s_dir)) {
        printf ("FAIL setup: cannot create a temporary folder\n");
        return 1;
    }
    RUN (test_train_and_predict);
    RUN (test_folds_leave_rows_out);
    RUN (test_only_features_of_the_subject);
    RUN (test_save_and_load);
    RUN (test_load_refuses_bad_files);
    RUN (test_tagger_adds_a_theme_the_lexicons_miss);
    char *cmd = kulak_sprintf ("rm -rf '%s'", s_dir);
    if (system (cmd) != 0)
        printf ("(could not remove %s)\n", s_dir);
    free (cmd);
    return CHECK_RESULT ();
}
