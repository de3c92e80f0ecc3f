/*  evaluate.c: labelled TSV files, metrics, cross-validation by id (variants of a text in one
    fold) and training (see evaluate.h). */
#include "kulak/evaluate.h"
#include "kulak/model.h"
#include "kulak/theme_model.h"
#include "kulak/normalize.h"
#include "kulak/text.h"
#include "kulak/util.h"
#include "charclass.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#define DEFAULT_FOLDS 5

typedef struct {
    char *id;
    int label;                   /* kulak_label_t, or -1 for unk */
    char *text;
    char *theme;                 /* category, or NULL */
    kulak_lang_t lang;           /* detected */
    char *norm_text;
    char *words;                 /* words_key of the text: what variants of it share */
    const char *fold_id;         /* the id its fold comes from: the first row of the file
                                    with the same words (not owned) */
} labelled_t;

typedef struct {
    char *path;
    labelled_t *rows;
    size_t count;
    uint64_t hash;
    bool has_theme;
    bool theme_ids;              /* its theme cells are theme ids, not categories for a map */
} labelled_file_t;

static void
labelled_free (labelled_file_t *file)
{
    for (size_t i = 0; i < file->count; i++) {
        free (file->rows [i].id);
        free (file->rows [i].text);
        free (file->rows [i].theme);
        free (file->rows [i].norm_text);
        free (file->rows [i].words);
    }
    free (file->rows);
    free (file->path);
    memset (file, 0, sizeof *file);
}

/* Whether a theme cell is theme ids ("delay,communication"), not a category ("Yavaş"). */
static bool
is_theme_ids (const char *cell)
{
    if (!cell || !*cell)
        return false;
    for (const char *p = cell; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == ','))
            return false;
    return true;
}

/* A theme cell without the spaces around its commas and at its ends ("delay, billing" is
   "delay,billing"; a category's own spaces stay: "ATM Yok"); NULL when empty. */
static char *
theme_cell (const char *cell)
{
    char *out = kulak_malloc (strlen (cell) + 1), *o = out;
    for (const char *p = cell; *p; p++) {
        if (*p == ' ') {
            const char *next = p;
            while (*next == ' ')
                next++;
            if (o == out || *next == ',' || *next == 0 || o [-1] == ',') {
                p = next - 1;
                continue;
            }
        }
        *o++ = *p;
    }
    *o = 0;
    if (!*out)
        kulak_free_str (&out);
    return out;
}

/* The words of a text, for grouping folds: its letters and digits, case-folded and without
   Turkish marks ("KARGO GELMEDI" and "kargo gelmedi" alike), nothing else. Texts that differ
   only in case, punctuation or emoji (the VADER tweets hold up to six such variants of one
   tweet) give the same key; a text with no letters or digits is its own key. */
static char *
words_key (const char *norm_text, kulak_lang_t lang)
{
    char *lowered = kulak_text_fold (norm_text, lang);
    char *folded = kulak_text_ascii_fold (lowered);
    free (lowered);
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *) folded;
    size_t out = 0;
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate (p, -1, &cp);
        if (n <= 0) {
            p++;                                /* not UTF-8 here: skip the byte */
            continue;
        }
        const char *category = utf8proc_category_string (cp);
        if (category [0] == 'L' || category [0] == 'N') {
            memmove (folded + out, p, (size_t) n);
            out += (size_t) n;
        }
        p += n;
    }
    folded [out] = 0;
    if (!out) {                                 /* an emoji alone: the text itself */
        free (folded);
        return kulak_strdup (norm_text);
    }
    return folded;
}

/* Every row's fold comes from the id of the file's first row with the same words, so that
   variants of one text are never split between training and scoring folds. */
static void
group_folds (labelled_file_t *file)
{
    kulak_strmap_t *first = kulak_strmap_new ();
    for (size_t i = 0; i < file->count; i++) {
        labelled_t *row = &file->rows [i];
        row->words = words_key (row->norm_text, row->lang);
        void **slot = kulak_strmap_get (first, row->words, strlen (row->words));
        row->fold_id = slot ? (const char *) *slot : row->id;
        if (!slot)
            kulak_strmap_put (first, row->words, strlen (row->words), row->id);
    }
    kulak_strmap_destroy (&first);
}

/* Reads a labelled TSV and normalizes every text (language detected per row). */
static int
labelled_read (const char *path, labelled_file_t *file, char **err)
{
    memset (file, 0, sizeof *file);
    size_t len;
    char *data = kulak_read_file (path, &len, err);
    if (!data)
        return -1;
    file->path = kulak_strdup (path);
    file->hash = XXH3_64bits (data, len);
    for (size_t i = 0; i < len; i++)
        if (data [i] == 0)
            data [i] = ' ';                  /* a NUL would end the text early */
    char *cursor = data;
    if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
        cursor += 3;                         /* byte order mark */
    int line_no = 0;
    size_t cap = 0;
    int rc = 0;
    while (cursor && *cursor) {
        /* line by line, blank ones counted, so errors name the right line */
        char *line = cursor;
        char *newline = strchr (cursor, '\n');
        if (newline) {
            *newline = 0;
            cursor = newline + 1;
        }
        else
            cursor = NULL;
        line_no++;
        if (kulak_str_empty (line))
            continue;
        size_t ll = strlen (line);
        if (ll && line [ll - 1] == '\r')
            line [--ll] = 0;
        char *fields [4] = { NULL };
        int n = 0;
        for (char *p = line; n < 4;) {
            fields [n++] = p;
            char *tab = strchr (p, '\t');
            if (!tab)
                break;
            *tab = 0;
            p = tab + 1;
        }
        if (line_no == 1) {
            if (n < 3 || strcmp (fields [0], "id") != 0 || strcmp (fields [1], "label") != 0
                || strcmp (fields [2], "text") != 0) {
                *err = kulak_sprintf ("%s:1: the header must be id<TAB>label<TAB>text[<TAB>theme]",
                                      path);
                rc = -1;
                break;
            }
            file->has_theme = n >= 4 && strcmp (fields [3], "theme") == 0;
            continue;
        }
        if (n < 3) {
            *err = kulak_sprintf ("%s:%d: expected id, label and text separated by TABs", path,
                                  line_no);
            rc = -1;
            break;
        }
        int label = kulak_label_parse (fields [1]);
        if (label < 0 && strcmp (fields [1], "unk") != 0) {
            *err = kulak_sprintf ("%s:%d: label '%s' is not pos, neg, neu or unk", path, line_no,
                                  fields [1]);
            rc = -1;
            break;
        }
        if (file->count == cap) {
            cap = cap ? cap * 2 : 1024;
            file->rows = kulak_realloc (file->rows, cap * sizeof *file->rows);
        }
        labelled_t *row = &file->rows [file->count++];
        memset (row, 0, sizeof *row);
        row->id = kulak_strdup (fields [0]);
        row->label = label;
        row->text = kulak_text_to_utf8 (fields [2], strlen (fields [2]), NULL);
        row->theme = n >= 4 ? theme_cell (fields [3]) : NULL;
        kulak_record_t *record = kulak_record_new ();
        record->text = kulak_strdup (row->text);
        kulak_normalize (record, KULAK_LANG_UNKNOWN);   /* no clue: the file's language, below */
        row->lang = record->lang;
        row->norm_text = record->norm_text;
        if (record->text == record->norm_text)
            record->text = NULL;         /* (one string: see record.h) */
        record->norm_text = NULL;
        kulak_record_destroy (&record);
    }
    free (data);
    if (rc != 0) {
        labelled_free (file);
        return rc;
    }
    size_t tr = 0, en = 0;
    for (size_t i = 0; i < file->count; i++) {
        tr += file->rows [i].lang == KULAK_LANG_TR;
        en += file->rows [i].lang == KULAK_LANG_EN;
    }
    for (size_t i = 0; i < file->count; i++)
        if (file->rows [i].lang == KULAK_LANG_UNKNOWN)
            file->rows [i].lang = tr >= en ? KULAK_LANG_TR : KULAK_LANG_EN;
    group_folds (file);
    size_t ids = 0, categories = 0;
    for (size_t i = 0; i < file->count; i++)
        if (file->rows [i].theme) {
            ids += is_theme_ids (file->rows [i].theme);
            categories += !is_theme_ids (file->rows [i].theme);
        }
    file->theme_ids = file->has_theme && ids > 0 && categories == 0;
    return 0;
}

static kulak_lang_t
majority_lang (const labelled_file_t *file)
{
    size_t tr = 0;
    for (size_t i = 0; i < file->count; i++)
        tr += file->rows [i].lang == KULAK_LANG_TR;
    return tr * 2 >= file->count ? KULAK_LANG_TR : KULAK_LANG_EN;
}

/* The file's rows whose words (words_key) `words` does not hold, sharing their strings with
   it (free only the rows array of what comes back): no variant of a scored text trains the
   models that score it. */
static labelled_file_t
rows_not_in (const labelled_file_t *file, const kulak_strmap_t *words)
{
    labelled_file_t kept = *file;
    kept.rows = kulak_calloc (file->count + 1, sizeof *kept.rows);
    kept.count = 0;
    for (size_t r = 0; r < file->count; r++)
        if (!kulak_strmap_get (words, file->rows [r].words, strlen (file->rows [r].words)))
            kept.rows [kept.count++] = file->rows [r];
    return kept;
}

/* The words keys of a file's rows, as a set for rows_not_in. */
static kulak_strmap_t *
words_of (const labelled_file_t *file)
{
    kulak_strmap_t *words = kulak_strmap_new ();
    for (size_t i = 0; i < file->count; i++)
        kulak_strmap_put (words, file->rows [i].words, strlen (file->rows [i].words), NULL);
    return words;
}

static int
fold_of (const labelled_t *row, int folds)
{
    return (int) (XXH3_64bits (row->fold_id, strlen (row->fold_id)) % (uint64_t) folds);
}

/* ---- training rows ------------------------------------------------------------------- */

typedef struct {
    kulak_train_row_t *rows;
    size_t count;
    size_t cap;
} row_set_t;

/* A new row at the end of the set, zeroed, its features' names kept. */
static kulak_train_row_t *
row_set_push (row_set_t *set)
{
    if (set->count == set->cap) {
        set->cap = set->cap ? set->cap * 2 : 4096;
        set->rows = kulak_realloc (set->rows, set->cap * sizeof *set->rows);
    }
    kulak_train_row_t *row = &set->rows [set->count++];
    memset (row, 0, sizeof *row);
    row->features.keep_names = true;
    return row;
}

static void
row_set_free (row_set_t *set)
{
    for (size_t i = 0; i < set->count; i++)
        kulak_features_free (&set->rows [i].features);
    free (set->rows);
    memset (set, 0, sizeof *set);
}

/* Adds a file's labelled rows with features in `lang`, weighting classes so each file's
   labels count evenly (the neutral class is rare in most sets) to the power `balance`,
   and the whole file by `file_weight`. */
static void
add_training_rows (kulak_tagger_t *tagger, const labelled_file_t *file, kulak_lang_t lang,
                   int folds, double balance, double file_weight, row_set_t *set)
{
    size_t per_class [3] = { 0 }, labelled = 0;
    for (size_t i = 0; i < file->count; i++)
        if (file->rows [i].label >= 0) {
            per_class [file->rows [i].label]++;
            labelled++;
        }
    int classes = 0;
    for (int c = 0; c < 3; c++)
        classes += per_class [c] > 0;
    for (size_t i = 0; i < file->count; i++) {
        const labelled_t *row = &file->rows [i];
        if (row->label < 0)
            continue;
        kulak_train_row_t *out = row_set_push (set);
        kulak_tagger_features (tagger, row->norm_text, lang, &out->features);
        out->label = (kulak_label_t) row->label;
        double weight = pow ((double) labelled / ((double) classes * (double) per_class [row->label]),
                             balance);
        out->weight = (float) (fmin (4.0, fmax (0.25, weight)) * file_weight);
        out->fold = folds > 1 ? fold_of (row, folds) : -1;
    }
}

/* What to do when a model's file is not found (see kulak_model_source_file). */
#define DATASETS_HINT " (a dataset elsewhere on this machine? set KULAK_DATASETS to the " \
                      "folder holding its folder)"

/* Whether the file at path is there, and (hash not 0) holds what the model's source line
   recorded: the XXH3 of its bytes, as labelled_read computes it. */
static bool
file_matches (const char *path, uint64_t hash)
{
    if (!hash) {
        FILE *probe = fopen (path, "r");
        if (probe)
            fclose (probe);
        return probe != NULL;
    }
    size_t len;
    char *err = NULL;
    char *data = kulak_read_file (path, &len, &err);
    free (err);
    bool same = data && XXH3_64bits (data, len) == hash;
    free (data);
    return same;
}

/* The folder of the model's repository (models live in lexicons/<lang>/); NULL when the
   model has no path. */
static char *
model_repository (const char *model_path)
{
    if (!model_path)
        return NULL;
    char *copy = kulak_strdup (model_path);
    char *slash = strrchr (copy, '/');
    if (slash)
        *slash = 0;
    char *repo = kulak_sprintf ("%s/../..", slash ? copy : ".");
    free (copy);
    return repo;
}

char *
kulak_model_source_file (const char *model_path, const char *path, uint64_t hash)
{
    if (file_matches (path, 0))
        return kulak_strdup (path);
    char *repo = model_repository (model_path);
    char *candidate = repo ? kulak_sprintf ("%s/%s", repo, path) : NULL;
    if (candidate && file_matches (candidate, 0)) {
        free (repo);
        return candidate;
    }
    free (candidate);
    /* A dataset named where it was on the machine that trained the model: its folder and
       name ("tr_store_reviews/eval.tsv") under the datasets folder of this one. */
    const char *name = strrchr (path, '/');
    while (name && name > path && name [-1] != '/')
        name--;                          /* back to the start of the folder's name */
    const char *folders [2] = { getenv ("KULAK_DATASETS"), NULL };
    char *shared = repo ? kulak_sprintf ("%s/../shared/datasets", repo) : NULL;
    folders [1] = shared;
    char *found = NULL;
    for (int i = 0; i < 2 && name && !found; i++) {
        if (!folders [i] || !*folders [i])
            continue;
        candidate = kulak_sprintf ("%s/%s", folders [i], name);
        if (file_matches (candidate, hash))
            found = candidate;
        else
            free (candidate);
    }
    free (shared);
    free (repo);
    return found;
}

/* ---- metrics ----------------------------------------------------------------------- */

typedef struct {
    size_t confusion [3][3];     /* [gold][predicted] */
    size_t binary_correct;
    size_t binary_total;
} sentiment_metrics_t;

static double
safe_div (double a, double b)
{
    return b > 0 ? a / b : 0;
}

static void
class_scores (const sentiment_metrics_t *m, int c, double *p, double *r, double *f, size_t *support)
{
    size_t tp = m->confusion [c][c], predicted = 0, gold = 0;
    for (int k = 0; k < 3; k++) {
        predicted += m->confusion [k][c];
        gold += m->confusion [c][k];
    }
    *p = safe_div ((double) tp, (double) predicted);
    *r = safe_div ((double) tp, (double) gold);
    *f = safe_div (2 * *p * *r, *p + *r);
    *support = gold;
}

static void
summary_scores (const sentiment_metrics_t *m, double *accuracy, double *macro_f1, size_t *total)
{
    size_t correct = 0, all = 0;
    double f_sum = 0;
    int classes = 0;
    for (int c = 0; c < 3; c++) {
        double p, r, f;
        size_t support;
        class_scores (m, c, &p, &r, &f, &support);
        if (support) {
            f_sum += f;
            classes++;
        }
        correct += m->confusion [c][c];
        for (int k = 0; k < 3; k++)
            all += m->confusion [c][k];
    }
    *accuracy = safe_div ((double) correct, (double) all);
    *macro_f1 = classes ? f_sum / classes : 0;
    *total = all;
}

typedef struct {
    size_t row;
    double distance;             /* how far the score is from the gold label's */
    int predicted;
} mistake_t;

static int
compare_mistakes (const void *a, const void *b)
{
    const mistake_t *x = a, *y = b;
    return x->distance < y->distance ? 1 : x->distance > y->distance ? -1 : 0;
}

/* How wrong a score (-1 .. 1: p(pos) - p(neg) with a model) is for a gold label: its
   distance from that label's own score, pos 1, neu 0, neg -1. A confident flip ("said pos"
   at 0.9 for a neg row: 1.9) ranks before a missed verdict ("said neu" at 0.05 for a pos
   row: 0.95), and a neutral row called strongly pos or neg still ranks high. */
static double
distance_from_gold (int gold, double score)
{
    double target = gold == KULAK_LABEL_POS ? 1 : gold == KULAK_LABEL_NEG ? -1 : 0;
    return fabs (target - score);
}

/* A row whose themes were not its gold ones (for --errors): how many were wrong, missed
   and given that are not gold, and what was found, with its evidence. */
typedef struct {
    size_t row;
    size_t wrong;
    bool any_of;                 /* its gold ids are a category's: it wanted one of them */
    char *found;                 /* "delay (late, hours); billing (charged)", or "none" */
} theme_mistake_t;

/* Most wrong themes first, then in the file's order. */
static int
compare_theme_mistakes (const void *a, const void *b)
{
    const theme_mistake_t *x = a, *y = b;
    if (x->wrong != y->wrong)
        return x->wrong < y->wrong ? 1 : -1;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* The record's themes with the words of their evidence. */
static char *
describe_themes (const kulak_record_t *record)
{
    if (record->theme_count == 0)
        return kulak_strdup ("none");
    kulak_buf_t buf;
    kulak_buf_init (&buf);
    for (size_t t = 0; t < record->theme_count; t++) {
        const kulak_theme_hit_t *hit = &record->themes [t];
        kulak_buf_printf (&buf, "%s%s", t ? "; " : "", hit->theme);
        for (size_t e = 0; e < hit->evidence_count; e++)
            kulak_buf_printf (&buf, "%s\"%s\"", e ? ", " : " (", hit->evidence [e].word);
        if (hit->evidence_count)
            kulak_buf_putc (&buf, ')');
    }
    char *text = kulak_strdup (buf.data);
    kulak_buf_free (&buf);
    return text;
}

/* Theme map: category -> comma-separated theme ids. */
typedef struct {
    char **category;
    char **themes;
    size_t count;
} theme_map_t;

static void theme_map_free (theme_map_t *map);

static int
theme_map_read (const char *path, theme_map_t *map, char **err)
{
    memset (map, 0, sizeof *map);
    char *data = kulak_read_file (path, NULL, err);
    if (!data)
        return -1;
    char *cursor = data;
    if (strncmp (cursor, "\xEF\xBB\xBF", 3) == 0)
        cursor += 3;                     /* byte order mark */
    int line_no = 0;
    for (char *line; (line = kulak_next_line (&cursor));) {
        line_no++;
        if (kulak_str_empty (line))
            continue;
        char *tab = strchr (line, '\t');
        if (!tab) {
            *err = kulak_sprintf ("%s:%d: expected a category, a TAB and its theme ids", path,
                                  line_no);
            theme_map_free (map);
            free (data);
            return -1;
        }
        *tab = 0;
        if (line_no == 1 && strcmp (kulak_str_trim (line), "category") == 0)
            continue;                    /* the optional header "category<TAB>themes" */
        map->category = kulak_realloc (map->category, (map->count + 1) * sizeof (char *));
        map->themes = kulak_realloc (map->themes, (map->count + 1) * sizeof (char *));
        map->category [map->count] = kulak_str_trim (kulak_strdup (line));   /* as theme_cell */
        map->themes [map->count] = kulak_str_trim (kulak_strdup (tab + 1));
        map->count++;
    }
    free (data);
    return 0;
}

static void
theme_map_free (theme_map_t *map)
{
    for (size_t i = 0; i < map->count; i++) {
        free (map->category [i]);
        free (map->themes [i]);
    }
    free (map->category);
    free (map->themes);
}

static const char *
theme_map_get (const theme_map_t *map, const char *category)
{
    for (size_t i = 0; category && i < map->count; i++)
        if (strcmp (map->category [i], category) == 0)
            return map->themes [i];
    return NULL;
}

static bool
in_list (const char *list, const char *theme)
{
    size_t len = strlen (theme);
    for (const char *p = list; p && *p;) {
        const char *comma = strchr (p, ',');
        size_t item = comma ? (size_t) (comma - p) : strlen (p);
        if (item == len && strncmp (p, theme, len) == 0)
            return true;
        p = comma ? comma + 1 : NULL;
    }
    return false;
}

/* The themes a row is labelled with: the map's for its category; else, in a file of theme
   ids, its cell (empty: none), so files of both kinds mix. NULL when the row says nothing
   about themes (a category the map does not list, or no theme column). */
static const char *
row_themes (const labelled_file_t *file, const labelled_t *row, const theme_map_t *map)
{
    const char *mapped = map ? theme_map_get (map, row->theme) : NULL;
    if (mapped || (map && !file->theme_ids))
        return mapped;
    return file->has_theme ? (row->theme ? row->theme : "") : NULL;
}

/* ---- theme model: training rows and cross-validation ---------------------------------- */

/* A comma-separated list of theme ids as bits over `themes`; -1 with *err naming the first
   id that is not among them. */
static int
theme_bits (const char *list, char *const *themes, size_t theme_count, uint64_t *bits,
            char **err)
{
    *bits = 0;
    char *copy = kulak_strdup (list), *save = NULL;
    int rc = 0;
    for (char *id = strtok_r (copy, ",", &save); id && rc == 0; id = strtok_r (NULL, ",", &save)) {
        size_t t = 0;
        while (t < theme_count && strcmp (themes [t], id) != 0)
            t++;
        if (t == theme_count) {
            *err = kulak_sprintf ("theme '%s' is not one of the lexicons' themes (%s, %s, ... "
                                  "lexicons/<lang>/themes/)", id, themes [0],
                                  theme_count > 1 ? themes [1] : themes [0]);
            rc = -1;
        }
        else
            *bits |= 1ULL << t;
    }
    free (copy);
    return rc;
}

/* Adds a file's rows that say their themes (row_themes), with features in `lang`. */
static int
add_theme_rows (kulak_tagger_t *tagger, const labelled_file_t *file, kulak_lang_t lang,
                const theme_map_t *map, char *const *themes, size_t theme_count, int folds,
                double weight, row_set_t *set, char **err)
{
    for (size_t i = 0; i < file->count; i++) {
        const labelled_t *row = &file->rows [i];
        const char *list = row_themes (file, row, map);
        uint64_t bits;
        if (!list)
            continue;
        if (theme_bits (list, themes, theme_count, &bits, err) != 0) {
            char *why = *err;
            *err = kulak_sprintf ("%s: row %s: %s", file->path, row->id, why);
            free (why);
            return -1;
        }
        kulak_train_row_t *out = row_set_push (set);
        kulak_tagger_features (tagger, row->norm_text, lang, &out->features);
        out->themes = bits;
        out->weight = (float) weight;
        out->fold = folds > 1 ? fold_of (row, folds) : -1;
    }
    return 0;
}

/* The lexicons' theme ids of a language, the columns of a theme model trained here. */
static char **
lexicon_themes (const kulak_tagger_t *tagger, kulak_lang_t lang, size_t *count)
{
    const kulak_lexicon_t *lexicon = kulak_tagger_lexicon (tagger, lang);
    *count = lexicon->theme_count < KULAK_THEME_MODEL_MAX ? lexicon->theme_count
                                                          : KULAK_THEME_MODEL_MAX;
    char **themes = kulak_calloc (*count + 1, sizeof *themes);
    for (size_t t = 0; t < *count; t++)
        themes [t] = lexicon->theme_info [t].id;
    return themes;
}

/* When `file` trained the tagger's theme model (its hash among the model's sources, or
   most of its texts in them), the models that score each fold: trained as the model was,
   on its other files plus the file's other folds. NULL when the file did not train it;
   *failed when it did but the training files or the map cannot be read. */
static kulak_theme_model_t **
theme_fold_models (kulak_tagger_t *tagger, const labelled_file_t *file, kulak_lang_t lang,
                   int folds, uint8_t *seen, bool *failed)
{
    *failed = false;
    const kulak_theme_model_t *model = kulak_tagger_theme_model (tagger, lang);
    size_t source_count = model ? kulak_theme_model_source_count (model) : 0;
    if (!source_count)
        return NULL;
    const char *path = kulak_theme_model_path (model);
    char *err = NULL;
    theme_map_t map;
    bool have_map = false;
    labelled_file_t *sources = kulak_calloc (source_count, sizeof *sources);
    kulak_strmap_t *train_texts = kulak_strmap_new ();
    bool trained_it = false, missing = false;
    for (size_t s = 0; s < source_count; s++) {
        const kulak_model_source_t *source = kulak_theme_model_source (model, s);
        trained_it = trained_it || source->hash == file->hash;
        char *resolved = kulak_model_source_file (path, source->path, source->hash);
        if (!resolved || labelled_read (resolved, &sources [s], &err) != 0) {
            fprintf (stderr, "kulak eval: note: the theme model's training file %s is not "
                     "readable here%s%s%s\n", source->path, err ? ": " : "", err ? err : "",
                     err ? "" : DATASETS_HINT);
            kulak_free_str (&err);
            missing = true;
        }
        else
            for (size_t r = 0; r < sources [s].count; r++)
                kulak_strmap_put (train_texts, sources [s].rows [r].norm_text,
                                  strlen (sources [s].rows [r].norm_text), NULL);
        free (resolved);
    }
    size_t overlap = 0;
    for (size_t i = 0; i < file->count; i++) {
        seen [i] = kulak_strmap_get (train_texts, file->rows [i].norm_text,
                                     strlen (file->rows [i].norm_text)) != NULL;
        overlap += seen [i];
    }
    trained_it = trained_it || overlap * 2 > file->count;
    if (trained_it) {
        memset (seen, 0, file->count);   /* cross-validated: no row is left out */
        if (missing) {
            fprintf (stderr, "kulak eval: cross-validating themes needs all of the theme "
                     "model's training files\n");
            *failed = true;
        }
    }
    if (trained_it && !*failed && kulak_theme_model_map (model)) {
        char *resolved = kulak_model_source_file (path, kulak_theme_model_map (model), 0);
        have_map = resolved && theme_map_read (resolved, &map, &err) == 0;
        free (resolved);
        if (!have_map) {
            fprintf (stderr, "kulak eval: cross-validating themes needs the theme model's map "
                     "%s, not readable here%s%s\n", kulak_theme_model_map (model),
                     err ? ": " : "", err ? err : "");
            kulak_free_str (&err);
            *failed = true;
        }
    }
    kulak_theme_model_t **fold_models = NULL;
    if (trained_it && !*failed) {
        kulak_strmap_t *eval_words = words_of (file);
        size_t theme_count = kulak_theme_model_theme_count (model);
        char **themes = kulak_calloc (theme_count + 1, sizeof *themes);
        for (size_t t = 0; t < theme_count; t++)
            themes [t] = (char *) kulak_theme_model_theme (model, t);
        row_set_t set = { NULL, 0, 0 };
        double file_weight = 1;
        for (size_t s = 0; s < source_count && !*failed; s++) {
            const kulak_model_source_t *source = kulak_theme_model_source (model, s);
            if (source->hash == file->hash)
                file_weight = source->weight;
            /* rows this file also holds come in only through its own folds */
            labelled_file_t kept = rows_not_in (&sources [s], eval_words);
            *failed = add_theme_rows (tagger, &kept, lang, have_map ? &map : NULL, themes,
                                      theme_count, 0, source->weight, &set, &err) != 0;
            free (kept.rows);
        }
        if (!*failed)
            *failed = add_theme_rows (tagger, file, lang, have_map ? &map : NULL, themes,
                                      theme_count, folds, file_weight, &set, &err) != 0;
        if (*failed) {
            fprintf (stderr, "kulak eval: %s\n", err);
            free (err);
        }
        else {
            fold_models = kulak_calloc ((size_t) folds, sizeof *fold_models);
            for (int f = 0; f < folds; f++)
                fold_models [f] = kulak_theme_model_train (set.rows, set.count, f, lang, themes,
                                                           theme_count,
                                                           kulak_theme_model_options (model));
        }
        row_set_free (&set);
        free (themes);
        kulak_strmap_destroy (&eval_words);
    }
    for (size_t s = 0; s < source_count; s++)
        labelled_free (&sources [s]);
    free (sources);
    kulak_strmap_destroy (&train_texts);
    if (have_map)
        theme_map_free (&map);
    return fold_models;
}

/* ---- eval ---------------------------------------------------------------------------- */

static void
print_text (FILE *out, const char *text, size_t limit)
{
    size_t len = strlen (text);
    if (len <= limit) {
        fputs (text, out);
        return;
    }
    while (limit > 0 && ((uint8_t) text [limit] & 0xC0) == 0x80)
        limit--;
    fwrite (text, 1, limit, out);
    fputs ("…", out);
}

/* A TSV field: a TAB, CR or LF in it (a path may hold them) becomes a space, so every
   line keeps its seven fields. */
static void
write_tsv_field (FILE *out, const char *text)
{
    for (size_t span; *text; text += span) {
        span = strcspn (text, "\t\r\n");
        fwrite (text, 1, span, out);
        if (text [span]) {
            fputc (' ', out);
            span++;
        }
    }
}

/* One row of --predictions (KULAK_EVAL_PREDICTIONS_HEADER). */
static void
write_prediction (FILE *out, const char *path, const labelled_t *row,
                  const kulak_record_t *record, const char *scored_by)
{
    write_tsv_field (out, path);
    fputc ('\t', out);
    write_tsv_field (out, row->id);
    fprintf (out, "\t%s\t%s\t%.3f\t",
             row->label < 0 ? "unk" : kulak_label_name ((kulak_label_t) row->label),
             kulak_label_name (record->label), record->sentiment);
    for (size_t t = 0; t < record->theme_count; t++)
        fprintf (out, "%s%s", t ? "," : "", record->themes [t].theme);
    fprintf (out, "\t%s\n", scored_by);
}

/* Cross-validation tags a row through the tagger's own path, with the model of the row's
   fold in place of the full one; *full gets the one to put back. False when the row is not
   cross-validated (no folds, or another language than the file's). */
static bool
enter_fold (kulak_tagger_t *tagger, kulak_lang_t lang, kulak_model_t **fold_models, int folds,
            const labelled_t *row, kulak_model_t **full)
{
    if (!folds || row->lang != lang)
        return false;
    *full = kulak_tagger_swap_model (tagger, lang, fold_models [fold_of (row, folds)]);
    return true;
}

static int
eval_file (kulak_tagger_t *tagger, const char *path, const kulak_eval_options_t *options,
           const theme_map_t *map, FILE *out)
{
    char *err = NULL;
    labelled_file_t file;
    double started = (double) clock () / CLOCKS_PER_SEC;
    if (labelled_read (path, &file, &err) != 0) {
        fprintf (stderr, "kulak eval: %s\n", err);
        free (err);
        return 1;
    }
    kulak_lang_t lang = majority_lang (&file);
    const kulak_model_t *model = kulak_tagger_model (tagger, lang);
    int folds = 0;
    const char *why_cv = NULL;
    /* Is any row of this file among the model's training rows? Whole-file hashes catch an
       identical copy; the texts catch a part, an edited copy, other line ends. */
    labelled_file_t *sources = NULL;
    size_t source_count = model ? kulak_model_source_count (model) : 0, overlap = 0;
    kulak_strmap_t *eval_words = words_of (&file);
    if (source_count)
        sources = kulak_calloc (source_count, sizeof *sources);
    bool sources_read = true;
    kulak_strmap_t *train_texts = kulak_strmap_new ();
    for (size_t s = 0; s < source_count; s++) {
        const kulak_model_source_t *source = kulak_model_source (model, s);
        char *resolved = kulak_model_source_file (kulak_model_path (model), source->path, source->hash);
        if (!resolved || labelled_read (resolved, &sources [s], &err) != 0) {
            fprintf (stderr, "kulak eval: note: the model's training file %s is not readable "
                     "here%s%s%s; rows of it in %s would go unnoticed\n", source->path,
                     err ? ": " : "", err ? err : "", err ? "" : DATASETS_HINT, path);
            kulak_free_str (&err);
            sources_read = false;
            if (source->hash == file.hash)
                overlap = file.count;        /* it is this very file */
        }
        else
            for (size_t r = 0; r < sources [s].count; r++)
                kulak_strmap_put (train_texts, sources [s].rows [r].norm_text,
                                  strlen (sources [s].rows [r].norm_text), NULL);
        free (resolved);
    }
    /* Rows the model was trained on are never scored by it: a file that is (mostly) the
       model's training data is cross-validated; a few shared rows are left out instead. */
    uint8_t *seen_in_training = kulak_calloc (file.count + 1, 1);
    for (size_t i = 0; i < file.count && kulak_strmap_size (train_texts); i++)
        if (kulak_strmap_get (train_texts, file.rows [i].norm_text, strlen (file.rows [i].norm_text))) {
            seen_in_training [i] = 1;
            overlap += overlap < file.count;
        }
    bool whole_file = false;
    for (size_t s = 0; s < source_count; s++)
        whole_file = whole_file || kulak_model_source (model, s)->hash == file.hash;
    if (whole_file || overlap * 2 > file.count)
        why_cv = "this file trained the model";
    size_t left_out = why_cv || options->cv > 1 ? 0 : overlap;
    if (model && options->cv > 1)
        why_cv = why_cv ? why_cv : "asked with --cv";
    if (model && why_cv)
        folds = options->cv > 1 ? options->cv : DEFAULT_FOLDS;
    if (folds && !sources_read) {
        fprintf (stderr, "kulak eval: cross-validation needs all of the model's training files\n");
        for (size_t s = 0; s < source_count; s++)
            labelled_free (&sources [s]);
        free (sources);
        free (seen_in_training);
        kulak_strmap_destroy (&eval_words);
        kulak_strmap_destroy (&train_texts);
        labelled_free (&file);
        return 1;
    }
    /* Cross-validation: the model's training rows that are not in this file, plus this
       file's other folds, train the model that scores each fold. */
    kulak_model_t **fold_models = NULL;
    if (folds) {
        /* the recipe of the model being evaluated: its own training settings and weights */
        kulak_train_options_t train_options = *kulak_model_train_options (model);
        train_options.prior = kulak_tagger_lexicon (tagger, lang)->sentiment;
        double file_weight = 1;
        for (size_t s = 0; s < source_count; s++)
            if (kulak_model_source (model, s)->hash == file.hash)
                file_weight = kulak_model_source (model, s)->weight;
        row_set_t set = { NULL, 0, 0 };
        for (size_t s = 0; s < source_count; s++) {
            /* rows this file also holds come in only through its own folds */
            labelled_file_t kept = rows_not_in (&sources [s], eval_words);
            add_training_rows (tagger, &kept, lang, 0, train_options.balance,
                               kulak_model_source (model, s)->weight, &set);
            free (kept.rows);
        }
        add_training_rows (tagger, &file, lang, folds, train_options.balance, file_weight, &set);
        fold_models = kulak_calloc ((size_t) folds, sizeof *fold_models);
        for (int f = 0; f < folds; f++)
            fold_models [f] = kulak_model_train (set.rows, set.count, f, lang, &train_options);
        row_set_free (&set);
    }
    for (size_t s = 0; s < source_count; s++)
        labelled_free (&sources [s]);
    free (sources);
    kulak_strmap_destroy (&eval_words);
    kulak_strmap_destroy (&train_texts);
    /* The theme model likewise, when this file trained it and its themes are scored; a few
       rows it was trained on (not the file) are left out of the theme scores instead. */
    kulak_theme_model_t **theme_folds = NULL;
    int theme_fold_count = options->cv > 1 ? options->cv : DEFAULT_FOLDS;
    uint8_t *theme_seen = kulak_calloc (file.count + 1, 1);
    size_t theme_left_out = 0;
    if (map || file.has_theme) {
        bool failed;
        theme_folds = theme_fold_models (tagger, &file, lang, theme_fold_count, theme_seen,
                                         &failed);
        if (failed) {
            for (int f = 0; f < folds; f++)
                kulak_model_destroy (&fold_models [f]);
            free (fold_models);
            free (theme_seen);
            free (seen_in_training);
            labelled_free (&file);
            return 1;
        }
    }

    sentiment_metrics_t metrics;
    memset (&metrics, 0, sizeof metrics);
    mistake_t *mistakes = kulak_calloc (file.count + 1, sizeof *mistakes);
    size_t mistake_count = 0, lang_count [3] = { 0 };
    bool list_theme_mistakes = options->errors > 0 && !options->json;
    theme_mistake_t *theme_mistakes = list_theme_mistakes
                                      ? kulak_calloc (file.count + 1, sizeof *theme_mistakes)
                                      : NULL;
    size_t theme_mistake_count = 0;
    size_t theme_rows = 0, theme_hits = 0, predicted_themes = 0, correct_themes = 0;
    /* per theme: [0] predicted on scored rows, [1] of those correct, [2] gold rows, [3] found */
    kulak_strmap_t *per_theme = kulak_strmap_new ();
    double tag_seconds = 0;
    for (size_t i = 0; i < file.count; i++) {
        labelled_t *row = &file.rows [i];
        lang_count [row->lang]++;
        /* the model saw this row: its sentiment says nothing (themes: see theme_seen) */
        bool sentiment_scored = !(left_out && seen_in_training [i]);
        kulak_record_t *record = kulak_record_new ();
        record->text = kulak_strdup (row->text);
        record->norm_text = kulak_strdup (row->norm_text);
        record->lang = row->lang;
        kulak_model_t *full = NULL;
        bool use_fold = enter_fold (tagger, lang, fold_models, folds, row, &full);
        kulak_theme_model_t *full_themes = NULL;
        bool theme_fold = theme_folds && row->lang == lang;
        if (theme_fold)
            full_themes = kulak_tagger_swap_theme_model (
                tagger, lang, theme_folds [fold_of (row, theme_fold_count)]);
        double t0 = (double) clock () / CLOCKS_PER_SEC;
        kulak_tagger_tag (tagger, record);
        tag_seconds += (double) clock () / CLOCKS_PER_SEC - t0;
        if (use_fold)
            kulak_tagger_swap_model (tagger, lang, full);
        if (theme_fold)
            kulak_tagger_swap_theme_model (tagger, lang, full_themes);
        int predicted = record->label;
        if (options->predictions)
            write_prediction (options->predictions, path, row, record,
                              !sentiment_scored ? "training" : use_fold ? "cv"
                              : kulak_tagger_model (tagger, record->lang) ? "model"
                              : "lexicon");
        if (row->label >= 0 && sentiment_scored) {
            metrics.confusion [row->label][predicted]++;
            if (row->label != KULAK_LABEL_NEU) {
                /* Binary decision for sets without a neutral class: pos vs neg only. */
                bool says_pos = record->sentiment >= 0;
                metrics.binary_correct += says_pos == (row->label == KULAK_LABEL_POS);
                metrics.binary_total++;
            }
            if (predicted != row->label) {
                mistakes [mistake_count].row = i;
                mistakes [mistake_count].distance = distance_from_gold (row->label,
                                                                         record->sentiment);
                mistakes [mistake_count].predicted = predicted;
                mistake_count++;
            }
        }
        /* With --map, rows whose category the map lists are scored; without it a theme
           column of theme ids scores every row (an empty cell: no theme expected). */
        const char *gold_themes = row_themes (&file, row, map);
        if (gold_themes && theme_seen [i]) {
            theme_left_out++;
            gold_themes = NULL;
        }
        if (gold_themes) {
            theme_rows += *gold_themes != 0;
            bool hit = false;
            for (size_t t = 0; t < record->theme_count; t++) {
                const char *theme = record->themes [t].theme;
                bool correct = in_list (gold_themes, theme);
                hit = hit || correct;
                predicted_themes++;
                correct_themes += correct;
                void **slot = kulak_strmap_get (per_theme, theme, strlen (theme));
                size_t *counts = slot ? *slot : NULL;
                if (!counts) {
                    counts = kulak_calloc (4, sizeof *counts);
                    kulak_strmap_put (per_theme, theme, strlen (theme), counts);
                }
                counts [0]++;
                counts [1] += correct;
            }
            theme_hits += hit && *gold_themes;
            /* a category's mapped ids are alternatives: the row wants one of them */
            bool any_of = map && row->theme && theme_map_get (map, row->theme) == gold_themes;
            size_t wrong = 0;            /* gold themes missed, then themes not gold */
            for (size_t t = 0; t < record->theme_count; t++)
                wrong += !in_list (gold_themes, record->themes [t].theme);
            /* gold side per theme */
            char *copy = kulak_strdup (gold_themes), *save = NULL;
            for (char *theme = strtok_r (copy, ",", &save); theme; theme = strtok_r (NULL, ",", &save)) {
                void **slot = kulak_strmap_get (per_theme, theme, strlen (theme));
                size_t *counts = slot ? *slot : NULL;
                if (!counts) {
                    counts = kulak_calloc (4, sizeof *counts);
                    kulak_strmap_put (per_theme, theme, strlen (theme), counts);
                }
                counts [2]++;
                size_t found = 0;
                for (size_t t = 0; t < record->theme_count; t++)
                    found += strcmp (record->themes [t].theme, theme) == 0;
                counts [3] += found;
                wrong += found == 0 && !any_of;
            }
            free (copy);
            wrong += any_of && !hit;
            if (list_theme_mistakes && wrong) {
                theme_mistakes [theme_mistake_count].row = i;
                theme_mistakes [theme_mistake_count].wrong = wrong;
                theme_mistakes [theme_mistake_count].any_of = any_of;
                theme_mistakes [theme_mistake_count].found = describe_themes (record);
                theme_mistake_count++;
            }
        }
        kulak_record_destroy (&record);
    }

    double accuracy, macro_f1;
    size_t scored;
    summary_scores (&metrics, &accuracy, &macro_f1, &scored);
    bool binary = scored && metrics.confusion [KULAK_LABEL_NEU][0] + metrics.confusion [KULAK_LABEL_NEU][1]
                            + metrics.confusion [KULAK_LABEL_NEU][2] == 0;
    double binary_accuracy = safe_div ((double) metrics.binary_correct, (double) metrics.binary_total);
    double theme_recall = safe_div ((double) theme_hits, (double) theme_rows);
    double theme_precision = safe_div ((double) correct_themes, (double) predicted_themes);
    double seconds = (double) clock () / CLOCKS_PER_SEC - started;
    const char *method = !model ? "lexicon" : folds ? "model, cross-validated" : "model";

    if (options->json) {
        fprintf (out, "{\"file\":");
        kulak_buf_t buf;
        kulak_buf_init (&buf);
        kulak_buf_json_string (&buf, path);
        fprintf (out, "%s,\"rows\":%zu,\"lang\":\"%s\",\"method\":\"%s\",\"folds\":%d,"
                 "\"scored\":%zu,\"accuracy\":%.4f,\"macro_f1\":%.4f,\"binary\":%s,"
                 "\"binary_accuracy\":%.4f,\"theme_rows\":%zu,\"theme_recall\":%.4f,"
                 "\"theme_precision\":%.4f,\"themes_by\":\"%s\",\"theme_left_out\":%zu,"
                 "\"left_out\":%zu,\"tag_seconds\":%.4f}\n",
                 buf.data, file.count, kulak_lang_name (lang), method, folds, scored, accuracy,
                 macro_f1, binary ? "true" : "false", binary_accuracy, theme_rows, theme_recall,
                 theme_precision, theme_folds ? "lexicons + theme model, cross-validated"
                 : kulak_tagger_theme_model (tagger, lang) ? "lexicons + theme model" : "lexicons",
                 theme_left_out, left_out, tag_seconds);
        kulak_buf_free (&buf);
    }
    else {
        fprintf (out, "== %s: %zu rows (language: tr %zu, en %zu)\n", path, file.count,
                 lang_count [KULAK_LANG_TR], lang_count [KULAK_LANG_EN]);
        if (left_out)
            fprintf (out, "  %zu rows left out: the model was trained on the same texts\n",
                     left_out);
        if (theme_left_out)
            fprintf (out, "  %zu rows left out of the theme scores: the theme model was trained "
                     "on the same texts\n", theme_left_out);
        if (scored) {
            fprintf (out, "sentiment by %s", method);
            if (folds)
                fprintf (out, " (%d folds by id, variants of a text together: %s)", folds, why_cv);
            fprintf (out, "\n  accuracy %.3f   macro-F1 %.3f", accuracy, macro_f1);
            if (binary)
                fprintf (out, "   binary accuracy (pos vs neg) %.3f", binary_accuracy);
            fprintf (out, "\n  %-6s %9s %7s %6s %8s\n", "class", "precision", "recall", "F1",
                     "support");
            const int order [3] = { KULAK_LABEL_POS, KULAK_LABEL_NEG, KULAK_LABEL_NEU };
            for (int k = 0; k < 3; k++) {
                double p, r, f;
                size_t support;
                class_scores (&metrics, order [k], &p, &r, &f, &support);
                fprintf (out, "  %-6s %9.3f %7.3f %6.3f %8zu\n",
                         kulak_label_name ((kulak_label_t) order [k]), p, r, f, support);
            }
            fprintf (out, "  confusion (rows: gold, columns: predicted)\n  %-6s %6s %6s %6s\n",
                     "", "pos", "neg", "neu");
            for (int g = 0; g < 3; g++)
                fprintf (out, "  %-6s %6zu %6zu %6zu\n",
                         kulak_label_name ((kulak_label_t) order [g]),
                         metrics.confusion [order [g]][KULAK_LABEL_POS],
                         metrics.confusion [order [g]][KULAK_LABEL_NEG],
                         metrics.confusion [order [g]][KULAK_LABEL_NEU]);
        }
        if (theme_rows) {
            const kulak_theme_model_t *theme_model = kulak_tagger_theme_model (tagger, lang);
            fprintf (out, "themes (%zu rows with an expected theme; %s)\n  recall %.3f   "
                     "precision %.3f\n  %-18s %9s %7s %8s\n", theme_rows,
                     theme_folds ? "lexicons + theme model, cross-validated: this file trained it"
                     : theme_model ? "lexicons + theme model" : "lexicons",
                     theme_recall, theme_precision, "theme", "precision", "recall", "support");
            size_t cursor = 0;
            const char *theme;
            void *value;
            while (kulak_strmap_next (per_theme, &cursor, &theme, &value)) {
                size_t *c = value;
                fprintf (out, "  %-18s %9.3f %7.3f %8zu\n", theme,
                         safe_div ((double) c [1], (double) c [0]),
                         safe_div ((double) c [3], (double) c [2]), c [2]);
            }
        }
        if (options->errors > 0 && mistake_count) {
            qsort (mistakes, mistake_count, sizeof *mistakes, compare_mistakes);
            fprintf (out, "worst mistakes (furthest from the gold label first: the number is "
                          "|gold - score|, gold pos 1, neu 0, neg -1)\n");
            for (size_t k = 0; k < mistake_count && k < (size_t) options->errors; k++) {
                const labelled_t *row = &file.rows [mistakes [k].row];
                fprintf (out, "  %s gold %s, said %s (%.2f): ", row->id,
                         kulak_label_name ((kulak_label_t) row->label),
                         kulak_label_name ((kulak_label_t) mistakes [k].predicted),
                         mistakes [k].distance);
                print_text (out, row->norm_text, 160);
                kulak_record_t *record = kulak_record_new ();
                record->norm_text = kulak_strdup (row->norm_text);
                record->lang = row->lang;
                /* explained by the model that made the mistake: the row's fold model */
                kulak_model_t *full = NULL;
                bool use_fold = enter_fold (tagger, lang, fold_models, folds, row, &full);
                kulak_tagger_tag (tagger, record);
                fprintf (out, "\n      evidence:");
                for (size_t e = 0; e < record->sentiment_evidence_count; e++)
                    fprintf (out, " %s(%+.1f)", record->sentiment_evidence [e].word,
                             record->sentiment_evidence [e].weight);
                char *explain = kulak_tagger_explain (tagger, record);
                if (use_fold)
                    kulak_tagger_swap_model (tagger, lang, full);
                fprintf (out, "\n      model: %s\n", explain);
                free (explain);
                kulak_record_destroy (&record);
            }
        }
        if (theme_mistake_count) {
            qsort (theme_mistakes, theme_mistake_count, sizeof *theme_mistakes,
                   compare_theme_mistakes);
            fprintf (out, "theme mistakes (%zu rows; most wrong themes first: expected, then "
                          "found with its evidence)\n", theme_mistake_count);
            for (size_t k = 0; k < theme_mistake_count && k < (size_t) options->errors; k++) {
                const labelled_t *row = &file.rows [theme_mistakes [k].row];
                const char *gold = row_themes (&file, row, map);
                fprintf (out, "  %s expected %s%s, found %s: ", row->id,
                         theme_mistakes [k].any_of && strchr (gold, ',') ? "one of " : "",
                         *gold ? gold : "none",
                         theme_mistakes [k].found);
                print_text (out, row->norm_text, 160);
                fputc ('\n', out);
            }
        }
        fprintf (out, "  (%.1f s, of which tagging %.2f s = %.0f texts/s)\n", seconds, tag_seconds,
                 safe_div ((double) file.count, tag_seconds));
    }
    size_t cursor = 0;
    const char *key;
    void *value;
    while (kulak_strmap_next (per_theme, &cursor, &key, &value))
        free (value);
    kulak_strmap_destroy (&per_theme);
    for (int f = 0; f < folds; f++)
        kulak_model_destroy (&fold_models [f]);
    free (fold_models);
    for (int f = 0; theme_folds && f < theme_fold_count; f++)
        kulak_theme_model_destroy (&theme_folds [f]);
    free (theme_folds);
    free (theme_seen);
    free (mistakes);
    for (size_t k = 0; k < theme_mistake_count; k++)
        free (theme_mistakes [k].found);
    free (theme_mistakes);
    free (seen_in_training);
    labelled_free (&file);
    return 0;
}

int
kulak_eval (kulak_tagger_t *tagger, char **files, int file_count,
            const kulak_eval_options_t *options, FILE *out)
{
    theme_map_t map;
    bool have_map = false;
    char *err = NULL;
    if (options->theme_map) {
        if (theme_map_read (options->theme_map, &map, &err) != 0) {
            fprintf (stderr, "kulak eval: --map: %s\n", err);
            free (err);
            return 1;
        }
        have_map = true;
    }
    int rc = 0;
    if (options->predictions)
        fputs (KULAK_EVAL_PREDICTIONS_HEADER, options->predictions);
    for (int i = 0; i < file_count; i++)
        rc |= eval_file (tagger, files [i], options, have_map ? &map : NULL, out);
    if (have_map)
        theme_map_free (&map);
    return rc;
}

/* ---- train --------------------------------------------------------------------------- */

/* "their.tsv:0.5": the path and the weight its rows get (1 without a suffix; -1 when the
   suffix is not a number above 0 and at most 100). A path whose own name has a colon
   works when the part after the last colon is not a number. */
static char *
split_file_weight (const char *arg, double *weight)
{
    *weight = 1;
    const char *colon = strrchr (arg, ':');
    if (!colon || colon == arg || !colon [1] || strchr (colon, '/'))
        return kulak_strdup (arg);
    char *end;
    double w = strtod (colon + 1, &end);
    bool numeric = *end == 0 && (kulak_cc_ascii_digit ((uint8_t) colon [1])
                                 || strchr ("+-.", colon [1]));
    if (!numeric)
        return kulak_strdup (arg);
    *weight = w > 0 && w <= 100 ? w : -1;
    return kulak_strndup (arg, (size_t) (colon - arg));
}

static void
free_paths (char **paths, double *weights, int count)
{
    for (int i = 0; i < count; i++)
        free (paths [i]);
    free (paths);
    free (weights);
}

/* `kulak train --themes`: a theme model over the lexicons' themes from files with a theme
   column, or categories and a map. */
static int
train_themes (kulak_tagger_t *tagger, const labelled_file_t *files, char **paths,
              const double *weights, int file_count, kulak_lang_t lang,
              const kulak_train_cli_options_t *options)
{
    char *err = NULL;
    theme_map_t map;
    if (options->theme_map && theme_map_read (options->theme_map, &map, &err) != 0) {
        fprintf (stderr, "kulak train: --map: %s\n", err);
        free (err);
        return 1;
    }
    const theme_map_t *use_map = options->theme_map ? &map : NULL;
    kulak_theme_train_options_t train_options;
    kulak_theme_train_options_default (&train_options);
    if (options->epochs > 0)
        train_options.epochs = options->epochs;
    if (options->seed)
        train_options.seed = options->seed;
    if (options->threshold > 0)
        train_options.threshold = options->threshold;
    if (options->positive_weight > 0)
        train_options.positive_weight = options->positive_weight;
    const kulak_lexicon_t *lexicon = kulak_tagger_lexicon (tagger, lang);
    if (lexicon->theme_count == 0 || lexicon->theme_count > KULAK_THEME_MODEL_MAX) {
        fprintf (stderr, "kulak train: a theme model holds 1 to %d themes; the %s lexicons have "
                 "%zu (lexicons/%s/themes/)\n", KULAK_THEME_MODEL_MAX, kulak_lang_name (lang),
                 lexicon->theme_count, kulak_lang_name (lang));
        if (use_map)
            theme_map_free (&map);
        return 1;
    }
    size_t theme_count;
    char **themes = lexicon_themes (tagger, lang, &theme_count);
    row_set_t set = { NULL, 0, 0 };
    size_t *rows = kulak_calloc ((size_t) file_count + 1, sizeof *rows);
    int rc = 0;
    for (int i = 0; i < file_count && rc == 0; i++) {
        size_t before = set.count;
        if (!use_map && !files [i].has_theme) {
            fprintf (stderr, "kulak train: %s has no theme column (header id<TAB>label<TAB>text"
                     "<TAB>theme) and no --map was given\n", paths [i]);
            rc = 1;
        }
        else if (add_theme_rows (tagger, &files [i], lang, use_map, themes, theme_count, 0,
                                 weights [i], &set, &err) != 0) {
            fprintf (stderr, "kulak train: %s\n", err);
            kulak_free_str (&err);
            rc = 1;
        }
        rows [i] = set.count - before;
    }
    if (rc == 0 && set.count == 0) {
        fprintf (stderr, "kulak train: no row names its themes (with --map: no category the "
                 "map lists)\n");
        rc = 1;
    }
    if (rc == 0) {
        fprintf (stderr, "kulak train: %zu rows with themes from %d files, language %s, %zu "
                 "themes\n", set.count, file_count, kulak_lang_name (lang), theme_count);
        kulak_theme_model_t *model = kulak_theme_model_train (set.rows, set.count, -1, lang,
                                                              themes, theme_count,
                                                              &train_options);
        for (int i = 0; i < file_count; i++)
            kulak_theme_model_add_source (model, paths [i], rows [i], files [i].hash, weights [i]);
        kulak_theme_model_set_map (model, options->theme_map);
        if (kulak_theme_model_save (model, options->output, &err) != 0) {
            fprintf (stderr, "kulak train: %s\n", err);
            free (err);
            rc = 1;
        }
        else
            fprintf (stderr, "kulak train: wrote %s (%zu features)\n", options->output,
                     kulak_theme_model_feature_count (model));
        kulak_theme_model_destroy (&model);
    }
    row_set_free (&set);
    free (rows);
    free (themes);
    if (use_map)
        theme_map_free (&map);
    return rc;
}

/* kulak_model_like_files for a model of either kind: its path and its `count` sources. */
static char **
like_files (const char *model_path, const kulak_model_source_t *(*source_of) (const void *,
                                                                            size_t),
            const void *model, size_t count, char **err)
{
    char **files = kulak_calloc (count + 1, sizeof *files);
    for (size_t s = 0; s < count; s++) {
        const kulak_model_source_t *source = source_of (model, s);
        char *found = kulak_model_source_file (model_path, source->path, source->hash);
        if (!found) {
            *err = kulak_sprintf ("%s was trained on %s, which is not here (from this folder, "
                                  "the model's repository, or as its folder and name under "
                                  "$KULAK_DATASETS or ../shared/datasets next to the "
                                  "repository, with the same contents): set KULAK_DATASETS "
                                  "to the folder that holds it, or train from the files you "
                                  "have, with the options `kulak train --help` lists",
                                  model_path, source->path);
            for (size_t k = 0; k < s; k++)
                free (files [k]);
            free (files);
            return NULL;
        }
        files [s] = kulak_sprintf ("%s:%g", found, source->weight);
        free (found);
    }
    return files;
}

static const kulak_model_source_t *
sentiment_source (const void *model, size_t index)
{
    return kulak_model_source (model, index);
}

static const kulak_model_source_t *
theme_source (const void *model, size_t index)
{
    return kulak_theme_model_source (model, index);
}

char **
kulak_model_like_files (const kulak_model_t *model, char **err)
{
    return like_files (kulak_model_path (model), sentiment_source, model,
                       kulak_model_source_count (model), err);
}

char **
kulak_theme_model_like_files (const kulak_theme_model_t *model, char **err)
{
    return like_files (kulak_theme_model_path (model), theme_source, model,
                       kulak_theme_model_source_count (model), err);
}

int
kulak_train_files (kulak_tagger_t *tagger, char **files, int file_count,
                   const kulak_train_cli_options_t *options)
{
    double *weights = kulak_calloc ((size_t) file_count, sizeof *weights);
    char **paths = kulak_calloc ((size_t) file_count, sizeof *paths);
    for (int i = 0; i < file_count; i++)
        paths [i] = split_file_weight (files [i], &weights [i]);
    for (int i = 0; i < file_count; i++)
        if (strpbrk (paths [i], "\t\n\r") || paths [i][0] == ' '
            || kulak_str_ends_with (paths [i], " ")) {
            fprintf (stderr, "kulak train: %s: a training file's path must hold no TAB or line "
                     "break and neither start nor end with a space (the model names it on a "
                     "line of its own); copy or link it to a path without\n", paths [i]);
            free_paths (paths, weights, file_count);
            return 1;
        }
    for (int i = 0; i < file_count; i++)
        if (weights [i] < 0) {
            fprintf (stderr, "kulak train: %s: the weight after ':' must be a number above 0, "
                     "at most 100 (e.g. their.tsv:0.5 counts its rows half)\n", files [i]);
            free_paths (paths, weights, file_count);
            return 1;
        }
    labelled_file_t *loaded = kulak_calloc ((size_t) file_count, sizeof *loaded);
    char *err = NULL;
    size_t tr = 0, all = 0;
    for (int i = 0; i < file_count; i++) {
        if (labelled_read (paths [i], &loaded [i], &err) != 0) {
            fprintf (stderr, "kulak train: %s\n", err);
            free (err);
            for (int k = 0; k < i; k++)
                labelled_free (&loaded [k]);
            free (loaded);
            free_paths (paths, weights, file_count);
            return 1;
        }
        for (size_t r = 0; r < loaded [i].count; r++)
            tr += loaded [i].rows [r].lang == KULAK_LANG_TR;
        all += loaded [i].count;
    }
    kulak_lang_t lang = options->lang ? options->lang
                      : tr * 2 >= all ? KULAK_LANG_TR : KULAK_LANG_EN;
    if (options->themes) {
        int rc = train_themes (tagger, loaded, paths, weights, file_count, lang, options);
        for (int i = 0; i < file_count; i++)
            labelled_free (&loaded [i]);
        free (loaded);
        free_paths (paths, weights, file_count);
        return rc;
    }
    kulak_train_options_t train_options;
    kulak_train_options_default (&train_options);
    if (options->epochs > 0)
        train_options.epochs = options->epochs;
    train_options.nb_scale = options->nb_scale;
    train_options.prior_strength = options->prior_strength;
    train_options.balance = options->balance;
    if (options->seed)
        train_options.seed = options->seed;
    if (options->shuffles > 0)
        train_options.shuffles = options->shuffles;
    row_set_t set = { NULL, 0, 0 };
    for (int i = 0; i < file_count; i++)
        add_training_rows (tagger, &loaded [i], lang, 0, train_options.balance, weights [i], &set);
    train_options.prior = kulak_tagger_lexicon (tagger, lang)->sentiment;
    fprintf (stderr, "kulak train: %zu labelled rows from %d files, language %s\n", set.count,
             file_count, kulak_lang_name (lang));
    kulak_model_t *model = kulak_model_train (set.rows, set.count, -1, lang, &train_options);
    for (int i = 0; i < file_count; i++) {
        size_t labelled = 0;
        for (size_t r = 0; r < loaded [i].count; r++)
            labelled += loaded [i].rows [r].label >= 0;
        kulak_model_add_source (model, paths [i], labelled, loaded [i].hash, weights [i]);
    }
    int rc = kulak_model_save (model, options->output, &err);
    if (rc != 0) {
        fprintf (stderr, "kulak train: %s\n", err);
        free (err);
    }
    else
        fprintf (stderr, "kulak train: wrote %s (%zu features)\n", options->output,
                 kulak_model_feature_count (model));
    kulak_model_destroy (&model);
    row_set_free (&set);
    for (int i = 0; i < file_count; i++)
        labelled_free (&loaded [i]);
    free (loaded);
    free_paths (paths, weights, file_count);
    return rc == 0 ? 0 : 1;
}
