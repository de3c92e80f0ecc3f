/*  tagger.c: lexicons + model + theme matching for one record (see tagger.h). */
#include "kulak/tagger.h"
#include "kulak/sentiment.h"
#include "kulak/text.h"
#include "kulak/tokens.h"
#include "kulak/util.h"
#include "bytes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct kulak_tagger_t {
    char *lexicon_dir;
    kulak_tokenizer_t *tokenizer;
    kulak_strmap_t *emoticons;
    kulak_lexicon_t *lexicon [3];      /* by kulak_lang_t; [0] unused */
    kulak_model_t *model [3];
    kulak_theme_model_t *theme_model [3];
    kulak_features_t features;
    /* Scratch reused from text to text, so tagging allocates little per text: the lexicon
       matches and the sentiment of the last text, bytes for tag_themes and for the clauses
       of a text's themes. */
    kulak_lexicon_matches_t found;
    kulak_sentiment_t sentiment;
    uint8_t *scratch;
    size_t scratch_size;
    uint8_t *clause_scratch;
    size_t clause_scratch_size;
};

static kulak_lang_t
usable_lang (kulak_lang_t lang)
{
    return lang == KULAK_LANG_TR ? KULAK_LANG_TR : KULAK_LANG_EN;
}

/* Where the model of a language is read from: the option's file, or the default
   <lexicons>/<lang>/<file> when it exists; NULL for none ("none", or no default). */
static char *
model_path (const kulak_tagger_t *self, kulak_lang_t lang, const char *option, const char *file)
{
    if (option && strcmp (option, "none") == 0)
        return NULL;
    if (option)
        return kulak_strdup (option);
    char *path = kulak_sprintf ("%s/%s/%s", self->lexicon_dir, kulak_lang_name (lang), file);
    struct stat st;
    if (stat (path, &st) != 0)
        kulak_free_str (&path);          /* none shipped: the lexicons alone */
    return path;
}

static int
wrong_lang (const char *path, kulak_lang_t is, kulak_lang_t wanted, char **err)
{
    if (is == wanted)
        return 0;
    *err = kulak_sprintf ("%s is a %s model, given for %s text", path, kulak_lang_name (is),
                          kulak_lang_name (wanted));
    return -1;
}

static int
load_models (kulak_tagger_t *self, kulak_lang_t lang, const kulak_tagger_options_t *options,
             char **err)
{
    bool tr = lang == KULAK_LANG_TR;
    char *path = model_path (self, lang, options ? (tr ? options->model_tr : options->model_en)
                                                 : NULL, "model.tsv");
    if (path) {
        self->model [lang] = kulak_model_load (path, err);
        if (!self->model [lang]
            || wrong_lang (path, kulak_model_lang (self->model [lang]), lang, err) != 0) {
            free (path);
            return -1;
        }
        free (path);
    }
    path = model_path (self, lang, options ? (tr ? options->themes_tr : options->themes_en)
                                           : NULL, "themes.tsv");
    if (path) {
        self->theme_model [lang] = kulak_theme_model_load (path, err);
        if (!self->theme_model [lang]
            || wrong_lang (path, kulak_theme_model_lang (self->theme_model [lang]), lang,
                           err) != 0) {
            free (path);
            return -1;
        }
        free (path);
    }
    return 0;
}

kulak_tagger_t *
kulak_tagger_new (const kulak_tagger_options_t *options, char **err)
{
    kulak_tagger_t *self = kulak_calloc (1, sizeof *self);
    self->lexicon_dir = options && options->lexicon_dir ? kulak_strdup (options->lexicon_dir)
                                                         : kulak_lexicon_default_dir ();
    self->tokenizer = kulak_tokenizer_new ();
    self->emoticons = kulak_strmap_new ();
    *err = NULL;
    kulak_lang_t langs [2] = { KULAK_LANG_TR, KULAK_LANG_EN };
    for (int i = 0; i < 2 && !*err; i++) {
        self->lexicon [langs [i]] = kulak_lexicon_load (self->lexicon_dir, langs [i],
                                                        self->tokenizer, self->emoticons, err);
        if (!*err)
            load_models (self, langs [i], options, err);
    }
    if (*err) {
        kulak_tagger_destroy (&self);
        return NULL;
    }
    return self;
}

void
kulak_tagger_destroy (kulak_tagger_t **self_p)
{
    kulak_tagger_t *self = *self_p;
    if (!self)
        return;
    for (int i = 0; i < 3; i++) {
        kulak_lexicon_destroy (&self->lexicon [i]);
        kulak_model_destroy (&self->model [i]);
        kulak_theme_model_destroy (&self->theme_model [i]);
    }
    kulak_tokenizer_destroy (&self->tokenizer);
    kulak_strmap_destroy (&self->emoticons);
    kulak_features_free (&self->features);
    kulak_lexicon_matches_free (&self->found);
    kulak_sentiment_free (&self->sentiment);
    free (self->scratch);
    free (self->clause_scratch);
    free (self->lexicon_dir);
    free (self);
    *self_p = NULL;
}

const kulak_lexicon_t *
kulak_tagger_lexicon (const kulak_tagger_t *self, kulak_lang_t lang)
{
    return self->lexicon [usable_lang (lang)];
}

const kulak_model_t *
kulak_tagger_model (const kulak_tagger_t *self, kulak_lang_t lang)
{
    return self->model [usable_lang (lang)];
}

void
kulak_tagger_set_model (kulak_tagger_t *self, kulak_lang_t lang, kulak_model_t *model)
{
    lang = usable_lang (lang);
    kulak_model_destroy (&self->model [lang]);
    self->model [lang] = model;
}

kulak_model_t *
kulak_tagger_swap_model (kulak_tagger_t *self, kulak_lang_t lang, kulak_model_t *model)
{
    lang = usable_lang (lang);
    kulak_model_t *previous = self->model [lang];
    self->model [lang] = model;
    return previous;
}

const kulak_theme_model_t *
kulak_tagger_theme_model (const kulak_tagger_t *self, kulak_lang_t lang)
{
    return self->theme_model [usable_lang (lang)];
}

kulak_theme_model_t *
kulak_tagger_swap_theme_model (kulak_tagger_t *self, kulak_lang_t lang,
                               kulak_theme_model_t *model)
{
    lang = usable_lang (lang);
    kulak_theme_model_t *previous = self->theme_model [lang];
    self->theme_model [lang] = model;
    return previous;
}

void
kulak_tagger_features (kulak_tagger_t *self, const char *norm_text, kulak_lang_t lang,
                       kulak_features_t *out)
{
    lang = usable_lang (lang);
    kulak_tokens_t *tokens = kulak_tokenize (self->tokenizer, norm_text, lang);
    kulak_sentiment_t sentiment;
    kulak_sentiment_score (self->lexicon [lang], tokens, &sentiment);
    kulak_features_extract (self->lexicon [lang], tokens, &sentiment, out);
    kulak_sentiment_free (&sentiment);
    kulak_tokens_destroy (&tokens);
}

/* Byte offsets of the code points of a text, so evidence spans given in code points are
   cut from its bytes. Up to the first byte that is not ASCII (in English, most often the
   end) a code point is its byte: a text of ASCII alone needs nothing more. Past it, a
   lookup walks the bytes on from where the last one stopped (a text's evidence comes
   mostly in its order; an earlier code point walks again from that first byte), eight
   bytes a step while the code point is not among them. (A table of every code point, made
   on the first span, took some ten instructions a byte, most of what a Turkish text's
   evidence cost.) */
typedef struct {
    const char *text;
    bool ready;                  /* the fields below are set (on the first span, or at
                                    once from the tokens of a text of ASCII alone) */
    uint32_t ascii;              /* bytes before the first one that is not ASCII */
    uint32_t len;                /* bytes of the text */
    /* Where the last walk stopped: at byte `at`, a code point's first byte (or len), after
       the first bytes of `walked` code points from byte ascii on. */
    uint32_t walked;
    uint32_t at;
} offsets_t;

/* byte_at past the ASCII bytes. */
static __attribute__ ((noinline)) uint32_t
byte_walked_to (offsets_t *o, uint32_t cp)
{
    const uint8_t *s = (const uint8_t *) o->text;
    size_t want = cp - o->ascii;         /* first bytes to pass from byte ascii on */
    if (want < o->walked) {
        o->walked = 0;
        o->at = o->ascii;
    }
    size_t passed = o->walked, at = o->at;
    for (; at + 8 <= o->len; at += 8) {
        uint64_t eight;
        memcpy (&eight, s + at, 8);
        /* a byte that goes on a code point is 10xxxxxx: its top bit set, the next clear;
           the multiply adds up those top bits, moved down, in the top byte */
        uint64_t goes_on = eight & ~(eight << 1) & 0x8080808080808080ULL;
        size_t firsts = 8 - (size_t) (((goes_on >> 7) * 0x0101010101010101ULL) >> 56);
        if (passed + firsts > want)
            break;
        passed += firsts;
    }
    for (; at < o->len; at++)
        if ((s [at] & 0xC0) != 0x80) {
            if (passed == want)
                break;
            passed++;
        }
    o->walked = (uint32_t) passed;
    o->at = (uint32_t) at;
    return (uint32_t) at;
}

/* The first byte of code point `cp`, or the text's length for a code point past its end. */
static inline uint32_t
byte_at (offsets_t *o, uint32_t cp)
{
    return cp <= o->ascii ? cp : byte_walked_to (o, cp);
}

/* The bytes of a span of code points: where they start in the text, in *from, and how
   many they are. (Code points past the text's end are its end, and an end before the
   start is the start.) */
static size_t
span_bytes (offsets_t *o, uint32_t start, uint32_t end, const char **from)
{
    if (!o->ready) {
        size_t len = strlen (o->text);
        o->ascii = (uint32_t) kulak_text_ascii_prefix (o->text, len);
        o->len = (uint32_t) len;
        o->walked = 0;
        o->at = o->ascii;
        o->ready = true;
    }
    uint32_t first = byte_at (o, start);
    *from = o->text + first;
    return byte_at (o, end > start ? end : start) - first;
}

/* Evidence for the tokens first..last, with the text they span. */
static void
push_evidence (kulak_evidence_t **items, size_t *count, offsets_t *offsets,
               const kulak_token_t *first, const kulak_token_t *last, float weight)
{
    const char *from;
    size_t bytes = span_bytes (offsets, first->start, last->end, &from);
    kulak_evidence_push_n (items, count, first->start, last->end, weight, from, bytes);
}

/* `size` zeroed bytes of a scratch buffer of the tagger (*buf of *cap bytes), aligned for
   any array; valid until the next call on the same buffer. */
static void *
scratch_zeroed (uint8_t **buf, size_t *cap, size_t size)
{
    if (*cap < size) {
        free (*buf);
        *cap = size > 4096 ? size : 4096;
        *buf = kulak_malloc (*cap);
    }
    memset (*buf, 0, size);
    return *buf;
}

/* Bytes for `count` items of `size` bytes, rounded up to keep the next array aligned. */
static size_t
aligned_bytes (size_t count, size_t size)
{
    return (count * size + 7) & ~(size_t) 7;
}

/* Each clause's sentiment, once: themes then add up the clauses their evidence is in.
   A contrast word starts a clause of its own here: in "great product but the delivery was
   late" the delivery's clause is "but the delivery was late". */
typedef struct {
    kulak_tagger_t *tagger;      /* whose clause scratch holds sum and mark */
    const kulak_tokens_t *tokens;
    const kulak_sentiment_t *sentiment;
    uint32_t stack [256];
    uint32_t *of;                /* token -> clause; NULL until a theme asks */
    double *sum;                 /* clause -> its tokens' valence */
    uint32_t *mark;              /* clause -> 1 + the theme that counted it last */
    size_t count;
} clauses_t;

static void
clauses_init (clauses_t *c)
{
    const kulak_tokens_t *tokens = c->tokens;
    const kulak_sentiment_t *sentiment = c->sentiment;
    c->of = tokens->count < 256 ? c->stack : kulak_malloc ((tokens->count + 1) * sizeof *c->of);
    c->count = 0;
    for (size_t t = 0; t < tokens->count; t++) {
        if (t > 0 && (tokens->items [t].clause != tokens->items [t - 1].clause
                      || (sentiment->contrast && sentiment->contrast [t])))
            c->count++;
        c->of [t] = (uint32_t) c->count;
    }
    c->count++;
    size_t sum_bytes = aligned_bytes (c->count + 1, sizeof *c->sum);
    uint8_t *block = scratch_zeroed (&c->tagger->clause_scratch, &c->tagger->clause_scratch_size,
                                     sum_bytes + (c->count + 1) * sizeof *c->mark);
    c->sum = (double *) block;
    c->mark = (uint32_t *) (block + sum_bytes);
    for (size_t t = 0; t < tokens->count; t++)
        c->sum [c->of [t]] += sentiment->valence [t];
}

static void
clauses_free (clauses_t *c)
{
    if (c->of && c->of != c->stack)
        free (c->of);
}

/* Adds to *sum the valence of the clauses of tokens first..last that `theme` (any number
   that tells the text's themes apart) has not counted yet. */
static void
clauses_add (clauses_t *c, uint32_t first, uint32_t last, size_t theme, double *sum)
{
    if (!c->of)
        clauses_init (c);
    for (uint32_t k = c->of [first]; k <= c->of [last] && k < c->count; k++)
        if (c->mark [k] != theme + 1) {
            c->mark [k] = (uint32_t) theme + 1;
            *sum += c->sum [k];
        }
}

/* A theme's sentiment: its clauses', or, when they carry none, the record's score and
   label (the label as given: a model's neutral text with a score of -0.14 is neutral, and
   so is its theme; a theme labelled neg makes the record a complaint). */
static void
set_theme_sentiment (kulak_theme_hit_t *hit, double clause_sum, const kulak_record_t *record)
{
    if (clause_sum != 0) {
        hit->sentiment = (float) kulak_sentiment_squash (clause_sum);
        hit->label = kulak_sentiment_label (hit->sentiment);
    }
    else {
        hit->sentiment = record->sentiment;
        hit->label = record->label;
    }
}

static void
tag_themes (kulak_tagger_t *self, const kulak_lexicon_t *lexicon, const kulak_tokens_t *tokens,
            kulak_lexicon_matches_t *found, clauses_t *clauses, kulak_record_t *record,
            offsets_t *offsets)
{
    kulak_match_t *matches = found->items + found->start [KULAK_SET_THEMES];
    size_t count = found->start [KULAK_SET_THEMES + 1] - found->start [KULAK_SET_THEMES];
    if (count == 0)
        return;
    /* The theme weights and the exclusions in one zeroed block of the tagger's scratch. */
    size_t theme_count = lexicon->theme_count;
    size_t weight_bytes = aligned_bytes (theme_count + 1, sizeof (float));
    uint8_t *block = scratch_zeroed (&self->scratch, &self->scratch_size,
                                     weight_bytes + theme_count * tokens->count + 1);
    float *weight = (float *) block;
    uint8_t *excluded = block + weight_bytes;
    /* Exclusions first: a token an exclusion matches is no evidence for that theme. */
    size_t kept = 0;
    for (size_t i = 0; i < count; i++) {
        const kulak_pattern_t *p = kulak_patterns_get (lexicon->themes, matches [i].pattern);
        if (p->exclude)
            for (uint32_t t = matches [i].first; t <= matches [i].last; t++)
                excluded [(size_t) p->tag * tokens->count + t] = 1;
        else
            matches [kept++] = matches [i];
    }
    count = 0;
    for (size_t i = 0; i < kept; i++) {
        const kulak_pattern_t *p = kulak_patterns_get (lexicon->themes, matches [i].pattern);
        bool blocked = false;
        for (uint32_t t = matches [i].first; t <= matches [i].last; t++)
            blocked = blocked || excluded [(size_t) p->tag * tokens->count + t];
        if (!blocked)
            matches [count++] = matches [i];
    }
    count = kulak_matches_select (lexicon->themes, matches, count, true);

    /* A theme's weight sums its distinct patterns: "ATM yok ... ATM yok" is one hint said
       twice, not two hints. */
    for (size_t i = 0; i < count; i++) {
        bool repeated = false;
        for (size_t k = 0; k < i && !repeated; k++)
            repeated = matches [k].pattern == matches [i].pattern;
        if (!repeated)
            weight [kulak_patterns_get (lexicon->themes, matches [i].pattern)->tag]
                += kulak_patterns_get (lexicon->themes, matches [i].pattern)->value;
    }
    for (size_t theme = 0; theme < theme_count; theme++) {
        if (weight [theme] < 0.999f)
            continue;
        kulak_theme_hit_t *hit = kulak_record_add_theme (record, lexicon->theme_info [theme].id);
        /* Sentiment of the clauses holding the evidence, each clause counted once. */
        double sum = 0;
        for (size_t i = 0; i < count; i++) {
            const kulak_pattern_t *p = kulak_patterns_get (lexicon->themes, matches [i].pattern);
            if ((size_t) p->tag != theme)
                continue;
            const kulak_token_t *first = &tokens->items [matches [i].first];
            const kulak_token_t *last = &tokens->items [matches [i].last];
            if (hit->evidence_count < KULAK_MAX_EVIDENCE)
                push_evidence (&hit->evidence, &hit->evidence_count, offsets, first, last,
                               p->value);
            clauses_add (clauses, matches [i].first, matches [i].last, theme, &sum);
        }
        set_theme_sentiment (hit, sum, record);
        if (record->theme_count >= KULAK_MAX_THEMES)
            break;
    }
}

/* ---- themes the theme model adds ------------------------------------------------------ */

#define MODEL_THEMES_MAX 2       /* a text gets at most this many themes from the model */
#define MODEL_EVIDENCE_MAX 3     /* places in the text shown as a model theme's evidence */
#define MODEL_CANDIDATES 8       /* its strongest features, of which those said somewhere */
#define MODEL_EXTRA_PROBABILITY 0.8f  /* for a theme beside those the lexicons found */

/* Adds the themes the theme model gives its threshold, the likeliest first, up to
   MODEL_THEMES_MAX when the lexicons found none; where they found some, one more theme at
   most, and only at MODEL_EXTRA_PROBABILITY or above. Each comes with the words behind the
   features that pushed hardest towards it (distinct places in the text, up to
   MODEL_EVIDENCE_MAX). A theme none of whose features can be shown in the text (the
   model's bias alone, a number) is not added: a theme without evidence is no theme here.
   (Added to the lexicons' themes at the model's own threshold, the model cost
   tr_bank_survey_dev's precision 2-8 points for 1-5 of recall; in their place, where the
   lexicons found none, 4 points of recall for none. Beside them at 0.8: recall up 1-2.5
   points on every theme dev set, precision down 0.5 at most; README, sixth session.) */
static void
tag_model_themes (const kulak_theme_model_t *model, const kulak_lexicon_t *lexicon,
                  const kulak_tokens_t *tokens, const kulak_features_t *features,
                  kulak_record_t *record, offsets_t *offsets, clauses_t *clauses)
{
    size_t count = kulak_theme_model_theme_count (model);
    float probs [KULAK_THEME_MODEL_MAX];       /* as log-odds: compared, never printed */
    if (!kulak_theme_model_scores (model, features, probs))
        return;                          /* (no theme reaches the threshold) */
    float threshold = kulak_theme_model_threshold_score (model);
    int most = MODEL_THEMES_MAX;
    if (record->theme_count > 0) {
        /* the lexicons' evidence is the better kind: beside it, one theme the model is
           sure of */
        float sure = logf (MODEL_EXTRA_PROBABILITY / (1 - MODEL_EXTRA_PROBABILITY));
        threshold = threshold > sure ? threshold : sure;
        most = 1;
    }
    int added = 0;
    while (added < most && record->theme_count < KULAK_MAX_THEMES) {
        size_t best = count;
        for (size_t t = 0; t < count; t++)
            if (probs [t] >= threshold && (best == count || probs [t] > probs [best]))
                best = t;
        if (best == count)
            return;
        probs [best] = -INFINITY;
        const char *id = kulak_theme_model_theme (model, best);
        bool known = false;
        for (size_t i = 0; i < record->theme_count && !known; i++)
            known = strcmp (record->themes [i].theme, id) == 0;
        if (known)
            continue;
        size_t items [MODEL_CANDIDATES];
        float weights [MODEL_CANDIDATES];
        size_t n = kulak_theme_model_explain (model, features, best, items, weights,
                                              MODEL_CANDIDATES);
        kulak_evidence_t *evidence = NULL;
        size_t evidence_count = 0;
        double sum = 0;
        for (size_t i = 0; i < n && evidence_count < MODEL_EVIDENCE_MAX; i++) {
            /* the tokens extraction made the feature from: none for the whole text's */
            const kulak_feature_t *feature = &features->items [items [i]];
            if (feature->first == KULAK_FEATURE_NOWHERE || feature->last >= tokens->count)
                continue;
            uint32_t first = feature->first, last = feature->last;
            bool shown = false;          /* a word's "w:", "p:" and bigrams are one place */
            for (size_t e = 0; e < evidence_count && !shown; e++)
                shown = evidence [e].start < tokens->items [last].end
                        && tokens->items [first].start < evidence [e].end;
            if (shown)
                continue;
            push_evidence (&evidence, &evidence_count, offsets, &tokens->items [first],
                           &tokens->items [last], weights [i]);
            clauses_add (clauses, first, last, lexicon->theme_count + best, &sum);
        }
        if (evidence_count == 0) {
            free (evidence);             /* (its words are in its block: see record.h) */
            continue;
        }
        kulak_theme_hit_t *hit = kulak_record_add_theme (record, id);
        hit->evidence = evidence;
        hit->evidence_count = evidence_count;
        set_theme_sentiment (hit, sum, record);
        added++;
    }
}

/* Turkish question particles, as written or typed without Turkish letters: mı, mi, mu,
   mü and their person forms (mısın, misiniz, muyum, midir ...). Keys have no Turkish
   marks (ı is i, ü is u), and vowel harmony only swaps i and u here: compare with i. */
static bool
is_question_particle (const char *key)
{
    static const char *const forms [] = {
        "mi", "misin", "misiniz", "miyim", "miyiz", "midir", NULL,
    };
    if (key [0] != 'm')                  /* most words: called for every word of a text */
        return false;
    for (const char *const *f = forms; *f; f++) {
        size_t i = 0;
        while ((*f) [i] && ((*f) [i] == key [i] || ((*f) [i] == 'i' && key [i] == 'u')))
            i++;
        if (!(*f) [i] && !key [i])
            return true;
    }
    return false;
}

/* Whether a token is a Turkish question particle ("mi", "miii" drawn out). */
static bool
is_particle_token (const kulak_token_t *t)
{
    return t->kind == KULAK_TOKEN_WORD && is_question_particle (t->key1 ? t->key1 : t->key);
}

/* A question mark, or a Turkish question particle. */
static bool
is_question (const kulak_tokens_t *tokens)
{
    if (tokens->questions > 0)
        return true;
    if (tokens->lang != KULAK_LANG_TR)
        return false;
    for (size_t i = 0; i < tokens->count; i++)
        if (is_particle_token (&tokens->items [i]))
            return true;
    return false;
}

/* Whether words first..last hold a word of a rhetorical question: "Do you even care?", "Do
   you ever answer the phone?", "seriously, where is my refund?", "why ..."; Turkish "cidden",
   "neden", "niye", "niçin". Such a question complains as often as it asks. */
static bool
is_rhetorical (const kulak_tokens_t *tokens, size_t first, size_t last)
{
    static const char *const rhetorical [] = {
        "even", "ever", "seriously", "why", "cidden", "neden", "niye", "nicin", NULL,
    };
    for (size_t i = first; i <= last && i < tokens->count; i++)
        for (const char *const *r = rhetorical; *r; r++)
            if (tokens->items [i].kind == KULAK_TOKEN_WORD
                && kulak_str_same (tokens->items [i].key, *r))
                return true;
    return false;
}

/* Whether the words of a question sentence from `first` ask for something: English "can I
   ...", "could we ...", "is there ...", "is it possible ...", "how do I ...", "do you ...",
   "does ...", "what ...", "where ...", "which ..." (not "when will", "how long": those
   complain as often); Turkish a verb in the abilitative -(y)Abil- ("değiştirebilir miyim",
   "nasıl alabilirim") or "mümkün mü"; never a rhetorical question (`is_rhetorical`). */
static bool
asks (const kulak_tokens_t *tokens, size_t first, size_t last)
{
    static const char *const greetings [] = {
        "hi", "hello", "hey", "hiya", "morning", "pls", "please", "quick", "question", "also",
        "ok", "okay", "so", "merhaba", "selam", "slm", "iyi", "gunler", "aksamlar", NULL,
    };
    while (first <= last && tokens->items [first].kind == KULAK_TOKEN_WORD) {
        bool greeting = false;
        for (const char *const *g = greetings; *g && !greeting; g++)
            greeting = kulak_str_same (tokens->items [first].key, *g);
        if (!greeting)
            break;
        first++;
    }
    if (first > last)
        return false;
    if (is_rhetorical (tokens, first, last))
        return false;
    if (tokens->lang == KULAK_LANG_TR) {
        for (size_t i = first; i <= last; i++) {
            const char *key = tokens->items [i].key;
            if (tokens->items [i].kind != KULAK_TOKEN_WORD)
                continue;
            bool particle_next = i < last && is_particle_token (&tokens->items [i + 1]);
            /* "değiştirebilir miyim", "nasıl alabilirim", "alabilir miyiz" */
            bool can = kulak_str_ends_with (key, "abilir") || kulak_str_ends_with (key, "ebilir");
            bool can_we = kulak_str_ends_with (key, "abilirim")
                          || kulak_str_ends_with (key, "ebilirim")
                          || kulak_str_ends_with (key, "abiliriz")
                          || kulak_str_ends_with (key, "ebiliriz");
            if (((can || strcmp (key, "mumkun") == 0) && particle_next) || can_we)
                return true;
        }
        return false;
    }
    const char *w0 = tokens->items [first].key;
    const char *w1 = first < last ? tokens->items [first + 1].key : "";
    const char *w2 = first + 1 < last ? tokens->items [first + 2].key : "";
    bool we = strcmp (w1, "i") == 0 || strcmp (w1, "we") == 0;
    if (strcmp (w0, "can") == 0 || strcmp (w0, "could") == 0 || strcmp (w0, "may") == 0)
        return we;
    if (strcmp (w0, "is") == 0)
        return strcmp (w1, "there") == 0
               || (strcmp (w1, "it") == 0 && strcmp (w2, "possible") == 0);
    if (strcmp (w0, "how") == 0)
        return (strcmp (w1, "do") == 0 || strcmp (w1, "can") == 0 || strcmp (w1, "should") == 0)
               && (strcmp (w2, "i") == 0 || strcmp (w2, "we") == 0);
    static const char *const openers [] = { "do", "does", "what", "where", "which", NULL };
    for (const char *const *o = openers; *o; o++)
        if (strcmp (w0, *o) == 0)
            return true;
    return false;
}

/* A request, not a complaint: a text whose question sentences all ask for something
   (`asks`), with no '!'; the lexicon entries in those questions sum to more than
   -REQUEST_LIMIT (praise words there ask, they do not praise: "is there a free energy
   audit?", "can I please ...") and those in its other sentences to less than REQUEST_LIMIT
   either way. So "can I change my seat online?", "online check-in'den sonra koltuk
   değiştirebilir miyim?"; not "can I get a refund for this disgusting meal?", "Why is my
   order late?", "Would love to meet up. What time you thinking?". */
#define REQUEST_LIMIT 1.0
/* The lexicon sum at or below which a question the model calls neutral complains: one
   clearly negative entry ("hala gelmedi" -2.2, "bir kere olsun" -1.5), not a mild one. */
#define QUESTION_COMPLAINT 1.5
static bool
is_request (const kulak_tokens_t *tokens, const kulak_sentiment_t *sentiment)
{
    if (tokens->exclaims > 0 || tokens->questions > 1 || !is_question (tokens))
        return false;
    bool any = false;
    size_t first = 0;
    /* the token ranges of the question sentences: few, so a short list */
    size_t spans [8][2], span_count = 0;
    for (size_t i = 0; i < tokens->count; i++) {
        const kulak_token_t *t = &tokens->items [i];
        bool end = (t->flags & KULAK_TOKEN_SENTENCE_END) || i + 1 == tokens->count;
        if (!end)
            continue;
        bool question = (t->flags & KULAK_TOKEN_QUESTION) != 0;
        for (size_t k = first; k <= i && !question && tokens->lang == KULAK_LANG_TR; k++)
            question = is_particle_token (&tokens->items [k]);
        if (question) {
            if (!asks (tokens, first, i) || span_count == 8)
                return false;
            spans [span_count][0] = first;
            spans [span_count++][1] = i;
            any = true;
        }
        first = i + 1;
    }
    double asked = 0, rest = 0;
    for (size_t m = 0; m < sentiment->match_count; m++) {
        size_t at = sentiment->matches [m].first;
        bool inside = false;
        for (size_t k = 0; k < span_count && !inside; k++)
            inside = spans [k][0] <= at && at <= spans [k][1];
        float v = sentiment->match_valence [m];
        if (!inside)
            rest += v;
        else if (v < 0)
            asked += v;
    }
    return any && asked > -REQUEST_LIMIT && fabs (rest) < REQUEST_LIMIT;
}

/* A text's tokens in one language and the lexicon entries found in them. */
typedef struct {
    kulak_tokens_t *tokens;
    kulak_lexicon_matches_t found;
} reading_t;

static void
read_text (kulak_tagger_t *self, const char *text, kulak_lang_t lang, reading_t *out)
{
    out->tokens = kulak_tokenize (self->tokenizer, text, lang);
    kulak_lexicon_find (self->lexicon [lang], out->tokens, &out->found);
}

static void
reading_free (reading_t *reading)
{
    kulak_lexicon_matches_free (&reading->found);
    kulak_tokens_destroy (&reading->tokens);
}

/* Lexicon entries (sentiment words and theme phrases) of a reading. */
static size_t
lexicon_hits (const reading_t *reading)
{
    const kulak_lexicon_matches_t *found = &reading->found;
    return found->start [KULAK_SET_THEMES + 1] - found->start [KULAK_SET_SENTIMENT];
}

/* What the spelling of a text's words says (kulak_text_spelling_lang): its words alone, not
   masks, web addresses or emoticons ("[phone]" has a "ph"), nor words in capitals, which
   are names and acronyms ("THY", "HGS", "SMS"), nor drawn-out ones ("yooo", "ayyy"). */
static kulak_lang_t
spelling_lang (const kulak_tokens_t *tokens)
{
    kulak_buf_t words;
    kulak_buf_init (&words);
    for (size_t i = 0; i < tokens->count; i++) {
        const kulak_token_t *t = &tokens->items [i];
        if (t->kind == KULAK_TOKEN_WORD && !(t->flags & (KULAK_TOKEN_CAPS | KULAK_TOKEN_ELONGATED))) {
            kulak_buf_puts (&words, t->form);
            kulak_buf_putc (&words, ' ');
        }
    }
    char *text = kulak_buf_take (&words);
    kulak_lang_t lang = kulak_text_spelling_lang (text);
    free (text);
    return lang;
}

/* A text that gave the language detector no clue ("absolute shambles", "vasat")
   is in the language whose lexicons know more of it; on a tie, in the one its spelling
   points to ("quirky?", "Stormy weather"), else in the default. The reading in that
   language is kept in *kept for tagging: read again, it would be the same. */
static kulak_lang_t
guess_lang (kulak_tagger_t *self, const char *text, kulak_lang_t fallback, reading_t *kept)
{
    kulak_lang_t other = fallback == KULAK_LANG_TR ? KULAK_LANG_EN : KULAK_LANG_TR;
    reading_t in_other;
    read_text (self, text, other, &in_other);
    read_text (self, text, fallback, kept);
    size_t hits_other = lexicon_hits (&in_other), hits = lexicon_hits (kept);
    if (hits_other > hits || (hits_other == hits && spelling_lang (kept->tokens) == other)) {
        reading_free (kept);
        *kept = in_other;
        return other;
    }
    reading_free (&in_other);
    return fallback;
}

/* Whether the text is only a non-answer of a survey ("no comment", "nothing to add",
   "yorum yok", "bilmiyorum"): every word inside a sentiment entry marked non-answer. (Not
   any entry of valence 0: those guard words from shorter roots, "lütfen iyileştirin".) */
static bool
is_non_answer (const kulak_lexicon_t *lexicon, const kulak_tokens_t *tokens,
               const kulak_sentiment_t *sentiment)
{
    if (sentiment->match_count == 0)
        return false;
    size_t covered = 0, words = 0;
    for (size_t i = 0; i < sentiment->match_count; i++) {
        const kulak_match_t *m = &sentiment->matches [i];
        if (kulak_patterns_get (lexicon->sentiment, m->pattern)->tag != KULAK_SENTIMENT_NON_ANSWER)
            return false;
        for (uint32_t t = m->first; t <= m->last; t++)
            covered += tokens->items [t].kind == KULAK_TOKEN_WORD;
    }
    for (size_t t = 0; t < tokens->count; t++)
        words += tokens->items [t].kind == KULAK_TOKEN_WORD;
    return covered == words;
}

void
kulak_tagger_tag (kulak_tagger_t *self, kulak_record_t *record)
{
    kulak_record_clear_tags (record);
    const char *text = record->norm_text ? record->norm_text : record->text ? record->text : "";
    reading_t reading;
    bool guessed = record->lang_guessed;
    if (guessed)
        record->lang = guess_lang (self, text, usable_lang (record->lang), &reading);
    else {                               /* into the scratch matches of the last text */
        kulak_lang_t lang = usable_lang (record->lang);
        reading.tokens = kulak_tokenize (self->tokenizer, text, lang);
        reading.found = self->found;
        kulak_lexicon_find_again (self->lexicon [lang], reading.tokens, &reading.found);
    }
    kulak_lang_t lang = usable_lang (record->lang);
    const kulak_lexicon_t *lexicon = self->lexicon [lang];
    kulak_tokens_t *tokens = reading.tokens;
    kulak_lexicon_matches_t *found = &reading.found;
    kulak_sentiment_t sentiment = self->sentiment;
    kulak_sentiment_score_found_again (lexicon, tokens, found, &sentiment);

    double score = sentiment.compound;
    kulak_label_t label = kulak_sentiment_label (score);
    if (self->model [lang] && tokens->count > 0) {
        double probs [3];
        self->features.model = self->model [lang];
        self->features.stopword = found->stopword;
        kulak_features_extract (lexicon, tokens, &sentiment, &self->features);
        kulak_model_predict (self->model [lang], &self->features, probs);
        score = probs [KULAK_LABEL_POS] - probs [KULAK_LABEL_NEG];
        label = KULAK_LABEL_NEU;
        if (probs [KULAK_LABEL_POS] > probs [label])
            label = KULAK_LABEL_POS;
        if (probs [KULAK_LABEL_NEG] > probs [label])
            label = KULAK_LABEL_NEG;
    }
    record->sentiment = (float) fmax (-1.0, fmin (1.0, score));
    record->label = label;
    offsets_t offsets;
    offsets.text = text;
    offsets.ready = false;
    if (tokens->ascii) {                 /* (the tokenizer read the text: no need again) */
        offsets.ready = true;
        offsets.ascii = offsets.len = offsets.at = (uint32_t) tokens->bytes;
        offsets.walked = 0;
    }
    for (size_t i = 0; i < sentiment.match_count
                       && record->sentiment_evidence_count < KULAK_MAX_EVIDENCE; i++) {
        const kulak_match_t *m = &sentiment.matches [i];
        const kulak_token_t *first = &tokens->items [m->first];
        const kulak_token_t *last = &tokens->items [m->last];
        push_evidence (&record->sentiment_evidence, &record->sentiment_evidence_count,
                       &offsets, first, last, sentiment.match_valence [i]);
    }
    clauses_t clauses;                   /* (not zeroed whole: its stack is 1 KiB) */
    clauses.tagger = self;
    clauses.tokens = tokens;
    clauses.sentiment = &sentiment;
    clauses.of = NULL;
    clauses.sum = NULL;
    clauses.mark = NULL;
    if (tokens->count > 0)
        tag_themes (self, lexicon, tokens, found, &clauses, record, &offsets);
    /* A question with no sentiment word and no theme asks, it does not complain ("Mağaza
       açık mı?", "Is the store open on Sunday?"); the model alone would lean on the review
       sets, where a question is most often a complaint. Not a rhetorical one ("Kartımı
       reddettiniz, neden?", "How did it ever get made?"): the model decides that. */
    /* So is a survey's non-answer, which the review sets hardly hold. */
    /* And a request ("can I change my seat online?") asks, with a theme or without. */
    if ((record->theme_count == 0
         && ((sentiment.match_count == 0 && is_question (tokens)
              && !(tokens->count > 0 && is_rhetorical (tokens, 0, tokens->count - 1)))
             || is_non_answer (lexicon, tokens, &sentiment)))
        || is_request (tokens, &sentiment)) {
        record->label = KULAK_LABEL_NEU;
        record->sentiment *= 0.25f;
    }
    /* A question with a complaint in it is a complaint ("Siparişim neden hâlâ gelmedi?",
       "Telefonu bir kere olsun açabilir misiniz?"), however many questions the model learnt
       to call neutral from sets whose writers labelled most questions so. */
    else if (record->label == KULAK_LABEL_NEU && sentiment.sum <= -QUESTION_COMPLAINT
             && is_question (tokens)) {
        record->label = KULAK_LABEL_NEG;
        record->sentiment = fminf (record->sentiment, -0.05f);   /* its score says so too */
    }
    /* (after the rules above, which read "no theme" as the lexicons' verdict) */
    const kulak_theme_model_t *theme_model = self->theme_model [lang];
    if (theme_model && tokens->count > 0) {
        if (!self->model [lang]) {       /* else extraction above made the features */
            self->features.model = NULL;
            self->features.stopword = found->stopword;
            kulak_features_extract (lexicon, tokens, &sentiment, &self->features);
        }
        tag_model_themes (theme_model, lexicon, tokens, &self->features, record, &offsets,
                          &clauses);
    }
    clauses_free (&clauses);

    bool negative_theme = false;
    for (size_t i = 0; i < record->theme_count; i++)
        negative_theme = negative_theme || record->themes [i].label == KULAK_LABEL_NEG;
    record->complaint = record->label == KULAK_LABEL_NEG || negative_theme
                     || (record->rating >= 1 && record->rating <= 2);
    record->tagged = true;
    self->sentiment = sentiment;         /* kept for the next text */
    if (guessed)
        reading_free (&reading);
    else {
        self->found = reading.found;
        kulak_tokens_destroy (&reading.tokens);
    }
}

char *
kulak_tagger_explain (kulak_tagger_t *self, const kulak_record_t *record)
{
    kulak_lang_t lang = usable_lang (record->lang);
    kulak_buf_t buf;
    kulak_buf_init (&buf);
    kulak_buf_putc (&buf, '[');
    if (self->model [lang] && record->norm_text) {
        kulak_features_t features = { .keep_names = false };
        kulak_tagger_features (self, record->norm_text, lang, &features);
        const char *names [8];
        float pushes [8];
        size_t n = kulak_model_explain (self->model [lang], &features, record->label, names,
                                        pushes, 8);
        for (size_t i = 0; i < n; i++) {
            if (i)
                kulak_buf_putc (&buf, ',');
            kulak_buf_puts (&buf, "{\"feature\":");
            kulak_buf_json_string (&buf, names [i]);
            kulak_buf_printf (&buf, ",\"weight\":%.3f}", pushes [i]);
        }
        kulak_features_free (&features);
    }
    kulak_buf_putc (&buf, ']');
    return kulak_buf_take (&buf);
}

char *
kulak_tagger_json (const kulak_record_t *record, const char *model_evidence)
{
    kulak_buf_t buf;
    kulak_buf_init (&buf);
    kulak_buf_puts (&buf, "{\"lang\":\"");
    kulak_buf_puts (&buf, kulak_lang_name (record->lang));
    kulak_buf_puts (&buf, "\",\"sentiment\":");
    kulak_buf_put_fixed3 (&buf, record->sentiment);
    kulak_buf_puts (&buf, ",\"label\":\"");
    kulak_buf_puts (&buf, kulak_label_name (record->label));
    kulak_buf_puts (&buf, "\",\"themes\":[");
    /* (the normalized text follows the contract's fields: evidence offsets point into it) */
    for (size_t i = 0; i < record->theme_count; i++) {
        if (i)
            kulak_buf_putc (&buf, ',');
        kulak_buf_json_string (&buf, record->themes [i].theme);
    }
    kulak_buf_puts (&buf, record->complaint ? "],\"complaint\":true,\"theme_evidence\":["
                                            : "],\"complaint\":false,\"theme_evidence\":[");
    for (size_t i = 0; i < record->theme_count; i++) {
        const kulak_theme_hit_t *hit = &record->themes [i];
        kulak_buf_puts (&buf, i ? ",{\"theme\":" : "{\"theme\":");
        kulak_buf_json_string (&buf, hit->theme);
        kulak_buf_puts (&buf, ",\"sentiment\":");
        kulak_buf_put_fixed3 (&buf, hit->sentiment);
        kulak_buf_puts (&buf, ",\"label\":\"");
        kulak_buf_puts (&buf, kulak_label_name (hit->label));
        kulak_buf_puts (&buf, "\",\"evidence\":");
        kulak_evidence_json (&buf, hit->evidence, hit->evidence_count, false);
        kulak_buf_putc (&buf, '}');
    }
    kulak_buf_puts (&buf, "],\"evidence\":");
    kulak_evidence_json (&buf, record->sentiment_evidence, record->sentiment_evidence_count, true);
    kulak_buf_puts (&buf, ",\"text\":");
    kulak_buf_json_string (&buf, record->norm_text ? record->norm_text : "");
    if (model_evidence)
        kulak_buf_printf (&buf, ",\"model\":%s", model_evidence);
    kulak_buf_putc (&buf, '}');
    return kulak_buf_take (&buf);
}
