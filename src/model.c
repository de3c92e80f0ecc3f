/*  model.c: feature extraction and the logistic-regression sentiment model: training,
    prediction, explanation, and its text file (see model.h). */
#include "kulak/model.h"
#include "kulak/util.h"
#include "bytes.h"

#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#define CLASSES 3                /* indexed by kulak_label_t: neu, pos, neg */
#define MODEL_MAGIC "kulak-model 1"

/* ---- features ---------------------------------------------------------------------- */

/* Word and bigram features ("w:good", "w~:good", "b:not|good") are most of a text's
   features. Their hashes are made from the hash of each word (kulak_token_word_hash, which
   the tokenizer gives every word's stem) rather than of the assembled name, so tagging
   hashes each word once and a bigram only combines two word hashes: assembling and
   hashing every name was a sixth of tagging. kulak_feature_hash
   splits a name (the model file keeps names) to give the same hash. A bigram name splits
   at its one '|'; one whose words hold a '|' themselves (emoticons such as ":|") would not
   split back unambiguously, so it, like any other name, is hashed whole.
   The words' hashes are well mixed already: a kind's seed and a bigram's two words are
   combined by one multiply and fold (feature_mix), a few instructions where XXH3 over
   them again took four times as many, thirty times a text. The mix is a bijection, so two
   words' features of one kind never share a hash; a feature's hash is only ever made here
   and in kulak_feature_hash, when a model is loaded, never stored. */
#define SEED_WORD 0x77ULL                /* the seeds tell the kinds apart: "w", "w~", "b" */
#define SEED_WORD_NEGATED 0x777EULL
#define SEED_BIGRAM 0x62ULL
#define FEATURE_NAME_MAX 256             /* longer names are no features */

/* A multiply (odd, so a bijection) and the high half folded into the low one, which the
   tables' slots are taken from. */
static inline uint64_t
feature_mix (uint64_t x)
{
    x *= 0x9E3779B97F4A7C15ULL;
    return x ^ (x >> 32);
}

static inline uint64_t
word_feature_hash (uint64_t seed, uint64_t word_hash)
{
    return feature_mix (word_hash ^ seed);
}

static inline uint64_t
bigram_feature_hash (uint64_t first_hash, uint64_t second_hash)
{
    /* (the first word multiplied, so that "a b" is not "b a") */
    return feature_mix ((first_hash * 0xC2B2AE3D27D4EB4FULL) ^ second_hash ^ SEED_BIGRAM);
}

uint64_t
kulak_feature_hash (const char *name)
{
    size_t len = strlen (name);
    if (strncmp (name, "w:", 2) == 0)
        return word_feature_hash (SEED_WORD, kulak_token_word_hash (name + 2, len - 2));
    if (strncmp (name, "w~:", 3) == 0)
        return word_feature_hash (SEED_WORD_NEGATED, kulak_token_word_hash (name + 3, len - 3));
    const char *bar = strncmp (name, "b:", 2) == 0 ? strchr (name + 2, '|') : NULL;
    if (bar && !strchr (bar + 1, '|'))
        return bigram_feature_hash (kulak_token_word_hash (name + 2, (size_t) (bar - name - 2)),
                                    kulak_token_word_hash (bar + 1,
                                                           len - (size_t) (bar + 1 - name)));
    return XXH3_64bits (name, len);
}

uint64_t
kulak_feature_hash_entry (const char *text, bool negated)
{
    const char *kind = negated ? "L~:" : "L:";
    size_t len = strlen (kind) + strlen (text);
    if (len >= FEATURE_NAME_MAX)
        return 0;                        /* as add_feature_n leaves it out */
    char name [FEATURE_NAME_MAX];
    memcpy (name, kind, strlen (kind));
    memcpy (name + strlen (kind), text, strlen (text) + 1);
    return kulak_feature_hash (name);
}

void
kulak_features_reset (kulak_features_t *f)
{
    if (f->names)
        for (size_t i = 0; i < f->count; i++)
            free (f->names [i]);
    f->count = 0;
}

void
kulak_features_free (kulak_features_t *f)
{
    kulak_features_reset (f);
    free (f->items);
    free (f->names);
    f->items = NULL;
    f->names = NULL;
    f->cap = 0;
}

static void
grow_features (kulak_features_t *f)
{
    f->cap = f->cap ? f->cap * 2 : 64;
    f->items = kulak_realloc (f->items, f->cap * sizeof *f->items);
    if (f->keep_names)
        f->names = kulak_realloc (f->names, f->cap * sizeof *f->names);
}

/* The features of one extraction as they are gathered, in kulak_features_extract's own
   struct: once everything is inlined its fields are registers. (In the caller's struct
   they were read again for every feature, as the store of a feature's hash, a uint64_t
   as size_t is, could have changed them as far as the compiler knew.) */
typedef struct {
    kulak_feature_t *items;
    size_t count;
    char **names;                /* the caller's, when it keeps names; else NULL */
    /* an open-addressing set of the features so far, their indexes in items, UINT32_MAX
       for an empty slot, so a feature given twice is kept once */
    uint32_t *seen;
    size_t seen_mask;
    /* the table of the features' model and its mask (see features_prefetch) */
    const void *prefetch_table;
    size_t prefetch_mask;
    /* the tokens of the features being made (kulak_feature_t's first and last) */
    uint16_t first;
    uint16_t last;
} gather_t;

_Static_assert (sizeof (kulak_feature_t) == 16, "a feature is its hash, value and place");

/* The features made next come from tokens first to last: beyond what a feature can tell
   (65,534 tokens), from nowhere. */
static inline void
gather_at (gather_t *g, size_t first, size_t last)
{
    bool far = last >= KULAK_FEATURE_NOWHERE;
    g->first = far ? KULAK_FEATURE_NOWHERE : (uint16_t) first;
    g->last = far ? KULAK_FEATURE_NOWHERE : (uint16_t) last;
}

static inline void features_prefetch (const gather_t *g, uint64_t hash);
static inline void features_prefetch_from (gather_t *g, const kulak_model_t *model);

/* Inlined into every feature kind: tens of them per text. There is room: extraction made
   it for as many features as the text can give (see kulak_features_extract). Presence,
   not counts: a word said twice is not twice the evidence, so a feature already there
   (found in g->seen) is not added again; it keeps the value of larger magnitude, the first
   one on a tie, and its place. (A pass over the features at the end did the same, at
   twice the instructions.) */
static inline __attribute__ ((always_inline)) void
push_feature (gather_t *g, uint64_t hash, float value, const char *name, size_t len)
{
    features_prefetch (g, hash);
    size_t at = (size_t) hash & g->seen_mask;     /* a hash's low bits are well mixed */
    for (uint32_t k; (k = g->seen [at]) != UINT32_MAX; at = (at + 1) & g->seen_mask)
        if (g->items [k].hash == hash) {
            if (fabsf (value) > fabsf (g->items [k].value))
                g->items [k].value = value;
            return;
        }
    g->seen [at] = (uint32_t) g->count;
    g->items [g->count].hash = hash;
    g->items [g->count].value = value;
    g->items [g->count].first = g->first;
    g->items [g->count].last = g->last;
    if (__builtin_expect (g->names != NULL, 0))
        g->names [g->count] = kulak_strndup (name, len);
    g->count++;
}

/* A feature's name: kind, a, and "|" b when b is given, into name [FEATURE_NAME_MAX];
   its length, or 0 when it does not fit. */
static inline size_t
feature_name (char *name, const char *kind, size_t lk, const char *a, size_t la, const char *b,
              size_t lb)
{
    /* Built by hand: snprintf here was a tenth of tagging time. */
    size_t len = lk + la + (b ? 1 + lb : 0);
    if (len >= FEATURE_NAME_MAX)
        return 0;                        /* absurdly long tokens carry no signal */
    kulak_bytes_copy (name, kind, lk);
    kulak_bytes_copy (name + lk, a, la);
    if (b) {
        name [lk + la] = '|';
        kulak_bytes_copy (name + lk + la + 1, b, lb);
    }
    name [len] = 0;
    return len;
}

static inline __attribute__ ((always_inline)) void
add_feature_n (gather_t *g, const char *kind, size_t lk, const char *a, size_t la,
               const char *b, size_t lb, float value)
{
    char name [FEATURE_NAME_MAX];
    size_t len = feature_name (name, kind, lk, a, la, b, lb);
    if (len)
        push_feature (g, XXH3_64bits (name, len), value, name, len);
}

static inline __attribute__ ((always_inline)) void
add_feature (gather_t *g, const char *kind, const char *a, const char *b, float value)
{
    add_feature_n (g, kind, strlen (kind), a, strlen (a), b, b ? strlen (b) : 0, value);
}

/* The features every text has, whatever its words ("bias", "lexbin:-3", "lexlabel:neg"...):
   their hashes are computed once, not once per text. */
enum {
    FIXED_BIAS, FIXED_LEXBIN,                        /* 21 bins: -10 .. 10 */
    FIXED_LEX = FIXED_LEXBIN + 21, FIXED_LEX_POS, FIXED_LEX_NEG,
    FIXED_LEXLABEL,                                  /* by kulak_label_t: neu, pos, neg */
    FIXED_LEXNONE = FIXED_LEXLABEL + CLASSES, FIXED_EXCLAIM, FIXED_QUESTION, FIXED_CAPS,
    FIXED_QUOTE, FIXED_COUNT
};
static const char *s_fixed_names [FIXED_COUNT] = {
    "bias", "lexbin:-10", "lexbin:-9", "lexbin:-8", "lexbin:-7", "lexbin:-6", "lexbin:-5",
    "lexbin:-4", "lexbin:-3", "lexbin:-2", "lexbin:-1", "lexbin:0", "lexbin:1", "lexbin:2",
    "lexbin:3", "lexbin:4", "lexbin:5", "lexbin:6", "lexbin:7", "lexbin:8", "lexbin:9",
    "lexbin:10", "lex", "lex+", "lex-", "lexlabel:neu", "lexlabel:pos", "lexlabel:neg",
    "lexnone", "punct:!", "punct:?", "caps", "quote"
};
static uint64_t s_fixed_hashes [FIXED_COUNT];
static size_t s_fixed_lengths [FIXED_COUNT];
static pthread_once_t s_fixed_once = PTHREAD_ONCE_INIT;

static void
hash_fixed (void)
{
    for (int i = 0; i < FIXED_COUNT; i++) {
        s_fixed_hashes [i] = kulak_feature_hash (s_fixed_names [i]);
        s_fixed_lengths [i] = strlen (s_fixed_names [i]);
        for (int k = 0; k < i; k++)
            assert (s_fixed_hashes [k] != s_fixed_hashes [i]);     /* (see add_fixed) */
    }
}

/* Inline: ten calls a text, each little more than a store. A fixed feature is given once
   a text at most, and no other feature shares its hash (64 bits, as the model's table
   takes a feature's hash for its name; hash_fixed checks the fixed ones against each
   other), so it is not looked for among the features so far (push_feature's g->seen),
   nor entered there. */
static inline __attribute__ ((always_inline)) void
add_fixed (gather_t *g, int which, float value)
{
    features_prefetch (g, s_fixed_hashes [which]);
    g->items [g->count].hash = s_fixed_hashes [which];
    g->items [g->count].value = value;
    g->items [g->count].first = g->items [g->count].last = KULAK_FEATURE_NOWHERE;
    if (__builtin_expect (g->names != NULL, 0))
        g->names [g->count] = kulak_strndup (s_fixed_names [which], s_fixed_lengths [which]);
    g->count++;
}

/* What a token contributes to word and bigram features: its word, and that word's hash
   (see kulak_feature_hash). Inline: called for every token, it returned its struct through
   memory. */
typedef struct {
    const char *text;
    size_t len;
    uint64_t hash;               /* kulak_token_word_hash of text */
    bool has_bar;                /* text holds a '|': bigrams with it are hashed whole */
} feature_word_t;

static inline feature_word_t
token_word (const kulak_token_t *t)
{
    feature_word_t w;
    switch (t->kind) {
        case KULAK_TOKEN_NUMBER:
            w.text = "#";
            w.len = 1;
            break;
        case KULAK_TOKEN_MASK:
            w.text = t->form;
            w.len = strlen (t->form);
            break;
        default:                 /* the tokenizer's length, or one made by hand */
            w.text = t->stem;
            w.len = t->key_hash ? t->stem_len : strlen (t->stem);
            break;
    }
    /* a word the tokenizer made has its stem's hash; others are hashed here */
    w.hash = t->kind == KULAK_TOKEN_WORD && t->key_hash ? t->stem_hash
                                                        : kulak_token_word_hash (w.text, w.len);
    /* The tokenizer's words are letters, marks and digits: only other tokens (emoticons)
       and tokens made by hand can hold a '|'. */
    w.has_bar = (t->kind != KULAK_TOKEN_WORD || !t->key_hash) && memchr (w.text, '|', w.len);
    return w;
}

/* A word or bigram feature from its words' hashes; its name is only assembled for
   training (keep_names). Names too long for add_feature_n are left out alike. */
static inline __attribute__ ((always_inline)) void
add_hashed (gather_t *g, uint64_t hash, const char *kind, size_t lk,
            const feature_word_t *a, const feature_word_t *b)
{
    size_t len = lk + a->len + (b ? 1 + b->len : 0);
    if (len >= FEATURE_NAME_MAX)
        return;
    char name [FEATURE_NAME_MAX];
    if (__builtin_expect (g->names != NULL, 0))
        feature_name (name, kind, lk, a->text, a->len, b ? b->text : NULL, b ? b->len : 0);
    push_feature (g, hash, 1, name, len);
}

static inline __attribute__ ((always_inline)) void
add_word (gather_t *g, const feature_word_t *w, bool negated)
{
    if (negated)
        add_hashed (g, word_feature_hash (SEED_WORD_NEGATED, w->hash), "w~:", 3, w, NULL);
    else
        add_hashed (g, word_feature_hash (SEED_WORD, w->hash), "w:", 2, w, NULL);
}

static inline __attribute__ ((always_inline)) void
add_bigram (gather_t *g, const feature_word_t *a, const feature_word_t *b)
{
    if (a->has_bar || b->has_bar)
        add_feature_n (g, "b:", 2, a->text, a->len, b->text, b->len, 1);
    else
        add_hashed (g, bigram_feature_hash (a->hash, b->hash), "b:", 2, a, b);
}

/* kulak_features_extract, in two copies: with keep_names false, a constant, every feature
   is made without a word about names. */
static inline __attribute__ ((always_inline)) void
extract (const kulak_lexicon_t *lexicon, const kulak_tokens_t *tokens,
         const kulak_sentiment_t *sentiment, kulak_features_t *out, bool keep_names)
{
    pthread_once (&s_fixed_once, hash_fixed);
    kulak_features_reset (out);
    /* Room for the most features a text can give, made once: push_feature does not ask.
       The fixed ones, up to three per token (word, Turkish root, bigram), one a match. */
    size_t most = FIXED_COUNT + 3 * tokens->count + sentiment->match_count;
    while (out->cap < most)
        grow_features (out);
    /* The set of features so far (see push_feature), at most half full: the fixed ones
       are not entered (see add_fixed). */
    size_t slots = 64;
    while (slots < 2 * (most - FIXED_COUNT))
        slots *= 2;
    uint32_t seen_stack [256];
    gather_t gathered = {
        out->items, 0, keep_names ? out->names : NULL,
        slots <= 256 ? seen_stack : kulak_malloc (slots * sizeof *gathered.seen), slots - 1,
        NULL, 0, KULAK_FEATURE_NOWHERE, KULAK_FEATURE_NOWHERE
    };
    gather_t *g = &gathered;
    memset (g->seen, 0xff, slots * sizeof *g->seen);               /* UINT32_MAX: empty */
    features_prefetch_from (g, out->model);
    add_fixed (g, FIXED_BIAS, 1);
    bool turkish = tokens->lang == KULAK_LANG_TR;
    uint16_t flags = 0;                  /* of the tokens outside phrases: capitals, quotes */
    /* Words inside a lexicon phrase ("not bad at all", "fena değil") speak through the
       phrase's feature only: their own words would pull the other way. */
    /* (and which tokens are stopwords: as the lexicon's search found them, else asked for
       all at once, one call, not one a token) */
    uint8_t flags_stack [512];
    size_t flags_size = 2 * (tokens->count + 1);
    uint8_t *in_phrase = flags_size <= sizeof flags_stack ? flags_stack
                                                          : kulak_malloc (flags_size);
    const uint8_t *stopword = out->stopword;
    if (!stopword) {
        uint8_t *marks = in_phrase + tokens->count + 1;
        kulak_lexicon_mark_stopwords (lexicon, tokens, marks);
        stopword = marks;
    }
    out->stopword = NULL;
    memset (in_phrase, 0, tokens->count + 1);
    for (size_t i = 0; i < sentiment->match_count; i++)
        if (sentiment->matches [i].last > sentiment->matches [i].first)
            for (uint32_t t = sentiment->matches [i].first; t <= sentiment->matches [i].last; t++)
                in_phrase [t] = 1;
    /* (the tokens and the negation flags through locals: a feature's store could change
       them as far as the compiler knows, and it read them again per token) */
    const kulak_token_t *items = tokens->items;
    const uint8_t *negated = sentiment->negated;
    size_t count = tokens->count;
    feature_word_t next = { 0 };
    if (count)
        next = token_word (&items [0]);
    for (size_t i = 0; i < count; i++) {
        const kulak_token_t *t = &items [i];
        feature_word_t word = next;
        if (i + 1 < count)
            next = token_word (&items [i + 1]);
        if (in_phrase [i])
            continue;
        gather_at (g, i, i);
        if (!stopword [i])
            add_word (g, &word, negated [i]);
        if (turkish && t->kind == KULAK_TOKEN_WORD) {
            /* The first five letters of a Turkish word: a root that survives its suffixes
               and its missing Turkish marks, which Snowball's Turkish stemmer does not. */
            const char *key = t->key1 ? t->key1 : t->key;
            /* (past five bytes: key1 is rare, and the tokenizer gave key's length) */
            size_t len = t->key1 || !t->key_hash ? strlen (key) : t->key_len;
            if (len > 5) {
                /* "p:" and the five bytes: add_feature_n's name, of a length known here */
                char name [8];
                memcpy (name, "p:", 2);
                memcpy (name + 2, key, 5);
                name [7] = 0;
                push_feature (g, XXH3_64bits (name, 7), 1, name, 7);
            }
        }
        if (i + 1 < count && items [i + 1].sentence == t->sentence && !in_phrase [i + 1]) {
            gather_at (g, i, i + 1);
            add_bigram (g, &word, &next);
        }
        flags |= t->flags;
    }
    for (size_t i = 0; i < sentiment->match_count; i++) {
        const kulak_pattern_t *p = kulak_patterns_get (lexicon->sentiment,
                                                       sentiment->matches [i].pattern);
        float v = sentiment->match_valence [i];
        bool negated = v * p->value < 0;
        gather_at (g, sentiment->matches [i].first, sentiment->matches [i].last);
        if (__builtin_expect (g->names != NULL, 0))
            add_feature (g, negated ? "L~:" : "L:", p->text, NULL, 1);
        else if (p->feature_hash [negated])   /* the same hash, made at load */
            push_feature (g, p->feature_hash [negated], 1, NULL, 0);
    }
    /* The compound score in tenths: lets the model set its own thresholds, e.g. for neu. */
    int bin = (int) floor (sentiment->compound * 10);
    add_fixed (g, FIXED_LEXBIN + (bin < -10 ? 0 : bin > 10 ? 20 : bin + 10), 1);
    add_fixed (g, FIXED_LEX, (float) sentiment->compound);
    add_fixed (g, FIXED_LEX_POS, (float) fmin (sentiment->positive, 8.0) / 4.0f);
    add_fixed (g, FIXED_LEX_NEG, (float) fmin (sentiment->negative, 8.0) / 4.0f);
    add_fixed (g, FIXED_LEXLABEL + (int) kulak_sentiment_label (sentiment->compound), 1);
    if (sentiment->match_count == 0)
        add_fixed (g, FIXED_LEXNONE, 1);
    if (tokens->exclaims)
        add_fixed (g, FIXED_EXCLAIM, 1);
    if (tokens->questions)
        add_fixed (g, FIXED_QUESTION, 1);
    if ((flags & KULAK_TOKEN_CAPS) && !tokens->all_caps)
        add_fixed (g, FIXED_CAPS, 1);
    if (flags & KULAK_TOKEN_QUOTED)      /* scare quotes: "in stock", "gigabit" */
        add_fixed (g, FIXED_QUOTE, 1);
    if (in_phrase != flags_stack)
        free (in_phrase);
    if (g->seen != seen_stack)
        free (g->seen);
    out->count = g->count;
}

void
kulak_features_extract (const kulak_lexicon_t *lexicon, const kulak_tokens_t *tokens,
                        const kulak_sentiment_t *sentiment, kulak_features_t *out)
{
    if (out->keep_names)
        extract (lexicon, tokens, sentiment, out, true);
    else
        extract (lexicon, tokens, sentiment, out, false);
}

/* ---- the model --------------------------------------------------------------------- */

/* The feature table: buckets of one cache line, each holding up to three features' full
   hashes and a copy of their weights, so prediction reads one line per feature and the
   table of an English model (56k features) fits in 2 MiB, in L2, where slots of 32 bytes
   took 4. A feature lives in its home bucket (hash & bucket mask) or, when that one is
   full, in the next bucket with room; nothing is ever removed, so a lookup stops at the
   first bucket that no feature like it went past: each bucket keeps a bit of the top four
   bits of the hash of every feature that found it full and went on (pass_bit). (It
   stopped at the first one that was not full, but a quarter of the buckets are full, and
   most of them were passed by nothing: a feature not in the model that landed there read
   the next line too, a miss of its own. With one flag for all that went past, such a
   feature that landed on a passed bucket still walked on; the bit of its own hash turns
   most of those away.)
   The weights array stays the master copy (training writes it); table_build copies it
   into the buckets. */
#define BUCKET_SLOTS 3

typedef struct {
    uint64_t hash [BUCKET_SLOTS];
    float w [BUCKET_SLOTS] [CLASSES];
    uint16_t used;               /* slots filled, from the first */
    uint16_t passed;             /* pass_bit of each feature that found it full, went on */
} __attribute__ ((aligned (64))) bucket_t;

/* The bit of a feature's hash in the passed set of the buckets it goes past: its top four
   bits, which its home bucket (its low bits) does not tell. */
static inline uint16_t
pass_bit (uint64_t hash)
{
    return (uint16_t) (1u << (hash >> 60));
}

struct kulak_model_t {
    char *path;                  /* where it was loaded from, or NULL */
    kulak_train_options_t options;   /* how it was trained, for re-training in eval */
    kulak_lang_t lang;
    size_t feature_count;
    char **names;
    float *weights;              /* feature_count x CLASSES */
    bucket_t *table;
    uint32_t *table_index;       /* bucket x BUCKET_SLOTS + slot -> index into weights */
    size_t table_size;           /* buckets, a power of two */
    kulak_model_sources_t sources;
};

/* The bucket that holds `hash`, with its place in the bucket in *j, or NULL. Inlined:
   prediction asks for every feature of every text. */
static inline __attribute__ ((always_inline)) const bucket_t *
bucket_of (const kulak_model_t *self, uint64_t hash, uint32_t *j)
{
    size_t mask = self->table_size - 1;
    for (size_t b = hash & mask;; b = (b + 1) & mask) {
        const bucket_t *bucket = &self->table [b];
        for (*j = 0; *j < bucket->used; (*j)++)
            if (bucket->hash [*j] == hash)
                return bucket;
        if (!(bucket->passed & pass_bit (hash)))
            return NULL;
    }
}

/* The slot (bucket x BUCKET_SLOTS + slot) that holds `hash`, or SIZE_MAX. */
static inline size_t
slot_of (const kulak_model_t *self, uint64_t hash)
{
    uint32_t j;
    const bucket_t *bucket = bucket_of (self, hash, &j);
    return bucket ? (size_t) (bucket - self->table) * BUCKET_SLOTS + j : SIZE_MAX;
}

static void
table_build (kulak_model_t *self)
{
    /* at most three quarters full: few buckets overflow into the next */
    self->table_size = 16;
    while (self->table_size * BUCKET_SLOTS * 3 < self->feature_count * 4)
        self->table_size *= 2;
    free (self->table);
    free (self->table_index);
    self->table = kulak_calloc_huge (self->table_size * sizeof *self->table);
    self->table_index = kulak_calloc (self->table_size * BUCKET_SLOTS, sizeof *self->table_index);
    size_t mask = self->table_size - 1;
    for (size_t i = 0; i < self->feature_count; i++) {
        uint64_t h = kulak_feature_hash (self->names [i]);
        size_t s = slot_of (self, h);        /* a name hashed twice: the later one wins */
        if (s == SIZE_MAX) {
            size_t b = h & mask;
            while (self->table [b].used == BUCKET_SLOTS) {
                self->table [b].passed |= pass_bit (h);
                b = (b + 1) & mask;
            }
            s = b * BUCKET_SLOTS + self->table [b].used++;
            self->table [b].hash [s % BUCKET_SLOTS] = h;
        }
        self->table_index [s] = (uint32_t) i;
        if (self->weights)
            memcpy (self->table [s / BUCKET_SLOTS].w [s % BUCKET_SLOTS],
                    &self->weights [i * CLASSES], CLASSES * sizeof (float));
    }
    /* An empty slot holds a hash whose home is another bucket: prediction, which looks in
       a feature's home bucket, then compares all three slots without asking which are
       filled (b ^ 1 is never b, and its home, (b ^ 1) & mask, is b ^ 1: 16 buckets or
       more). Everything else reads only the first `used` slots. */
    for (size_t b = 0; b < self->table_size; b++)
        for (size_t j = self->table [b].used; j < BUCKET_SLOTS; j++)
            self->table [b].hash [j] = b ^ 1;
}

/* Asks for the home bucket of `hash` (see kulak_features_t's model): the English table,
   2 MiB, does not fit in L2 next to the stem cache, and a third of a text's lookups miss
   it. Asked for here, as each feature is made, the lines come in while extraction goes
   on; asked for in kulak_model_predict, right before the lookups, most of the wait was
   still there, as several misses queue for the L1's few fill buffers. */
static inline void
model_prefetch (const kulak_model_t *self, uint64_t hash)
{
    __builtin_prefetch (&self->table [hash & (self->table_size - 1)]);
}

/* model_prefetch for the features' model, through the table and mask it was given by
   features_prefetch_from: one bucket of nothing when there is no model. */
static inline void
features_prefetch (const gather_t *g, uint64_t hash)
{
    __builtin_prefetch ((const bucket_t *) g->prefetch_table + (hash & g->prefetch_mask));
}

/* Its table and the table's mask, or a table of one bucket when there is no model, so
   each feature's prefetch takes neither a branch nor a load through the model. */
static inline void
features_prefetch_from (gather_t *g, const kulak_model_t *model)
{
    static const bucket_t s_no_table [1];
    g->prefetch_table = model ? (const void *) model->table : s_no_table;
    g->prefetch_mask = model ? model->table_size - 1 : 0;
}

static const float *
weights_of (const kulak_model_t *self, uint64_t hash)
{
    size_t s = slot_of (self, hash);
    return s == SIZE_MAX ? NULL : &self->weights [self->table_index [s] * CLASSES];
}

void
kulak_model_destroy (kulak_model_t **self_p)
{
    kulak_model_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->feature_count; i++)
        free (self->names [i]);
    kulak_model_sources_free (&self->sources);
    free (self->path);
    free (self->names);
    free (self->weights);
    free (self->table);
    free (self->table_index);
    free (self);
    *self_p = NULL;
}

kulak_lang_t
kulak_model_lang (const kulak_model_t *self)
{
    return self->lang;
}

size_t
kulak_model_source_count (const kulak_model_t *self)
{
    return self->sources.count;
}

const kulak_model_source_t *
kulak_model_source (const kulak_model_t *self, size_t index)
{
    return index < self->sources.count ? &self->sources.items [index] : NULL;
}

size_t
kulak_model_feature_count (const kulak_model_t *self)
{
    return self->feature_count;
}

void
kulak_model_add_source (kulak_model_t *self, const char *path, size_t rows, uint64_t hash,
                        double weight)
{
    kulak_model_sources_add (&self->sources, path, rows, hash, weight);
}

void
kulak_model_sources_add (kulak_model_sources_t *sources, const char *path, size_t rows,
                         uint64_t hash, double weight)
{
    sources->items = kulak_realloc (sources->items, (sources->count + 1) * sizeof *sources->items);
    sources->items [sources->count++] = (kulak_model_source_t) {
        kulak_strdup (path), rows, hash, weight
    };
}

void
kulak_model_sources_free (kulak_model_sources_t *sources)
{
    for (size_t i = 0; i < sources->count; i++)
        free (sources->items [i].path);
    free (sources->items);
    sources->items = NULL;
    sources->count = 0;
}

void
kulak_model_sources_write (const kulak_model_sources_t *sources, FILE *file)
{
    for (size_t i = 0; i < sources->count; i++)
        fprintf (file, "source %s %zu %016llx %g\n", sources->items [i].path,
                 sources->items [i].rows, (unsigned long long) sources->items [i].hash,
                 sources->items [i].weight);
}

/* Whether bytes p..p+len are a source line's hash: 16 hex digits, as the writer prints it. */
static bool
is_source_hash (const char *p, size_t len)
{
    if (len != 16)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!isxdigit ((unsigned char) p [i]))
            return false;
    return true;
}

/* Whether bytes p..p+len are all decimal digits (a row count). */
static bool
is_source_count (const char *p, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!isdigit ((unsigned char) p [i]))
            return false;
    return true;
}

int
kulak_model_sources_read (kulak_model_sources_t *sources, const char *line, const char *path,
                          int line_no, char **err)
{
    if (strncmp (line, "source ", 7) != 0)
        return 0;
    /* "source PATH ROWS HASH [WEIGHT]", read from the end: the path may hold spaces. */
    const char *rest = line + 7, *end = line + strlen (line);
    const char *token [3];
    size_t len [3];
    int n = 0;
    for (const char *p = end; n < 3;) {
        while (p > rest && p [-1] == ' ')
            p--;
        const char *token_end = p;
        while (p > rest && p [-1] != ' ')
            p--;
        if (p == token_end)
            break;
        token [n] = p;                   /* token [0] is the last one */
        len [n] = (size_t) (token_end - p);
        n++;
    }
    double weight = 1;                   /* older files: every file counted once */
    const char *rows_at, *hash_at;
    if (n == 3 && is_source_hash (token [1], len [1]) && is_source_count (token [2], len [2])) {
        char *weight_end;
        weight = strtod (token [0], &weight_end);
        if (weight_end != token [0] + len [0] || !(weight > 0 && weight <= 100)) {
            *err = kulak_sprintf ("%s:%d: a source's weight must be above 0, at most 100", path,
                                  line_no);
            return -1;
        }
        rows_at = token [2];
        hash_at = token [1];
    }
    else if (n >= 2 && is_source_hash (token [0], len [0]) && is_source_count (token [1], len [1])) {
        rows_at = token [1];
        hash_at = token [0];
    }
    else {
        *err = kulak_sprintf ("%s:%d: a source line is 'source PATH ROWS HASH [WEIGHT]', HASH "
                              "16 hex digits", path, line_no);
        return -1;
    }
    const char *name_end = rows_at;
    while (name_end > rest && name_end [-1] == ' ')
        name_end--;
    if (name_end == rest) {
        *err = kulak_sprintf ("%s:%d: a source line names no path", path, line_no);
        return -1;
    }
    char *name = kulak_strndup (rest, (size_t) (name_end - rest));
    kulak_model_sources_add (sources, name, (size_t) strtoull (rows_at, NULL, 10),
                             strtoull (hash_at, NULL, 16), weight);
    free (name);
    return 1;
}

static void
softmax (double scores [CLASSES], double probs [CLASSES])
{
    double top = scores [0];
    for (int c = 1; c < CLASSES; c++)
        if (scores [c] > top)
            top = scores [c];
    double total = 0;
    for (int c = 0; c < CLASSES; c++) {
        probs [c] = exp (scores [c] - top);
        total += probs [c];
    }
    for (int c = 0; c < CLASSES; c++)
        probs [c] /= total;
}

void
kulak_model_predict (const kulak_model_t *self, const kulak_features_t *features,
                     double probs [3])
{
    /* Ask for every feature's bucket first, unless extraction did: the misses then overlap
       instead of queueing. */
    size_t ahead = features->model == self ? 0 : features->count < 256 ? features->count : 256;
    for (size_t i = 0; i < ahead; i++)
        model_prefetch (self, features->items [i].hash);
    /* One sum per class in a register (the class loop kept them in memory, each addition
       waiting for the last one's store); the same products, added in the same order. */
    _Static_assert (CLASSES == 3, "one sum per class below");
    double neu = 0, pos = 0, neg = 0;
    /* Without a branch on what the bucket holds: a branch on loaded data (which slot, found
       or not) mispredicted on a fifth of the lookups, and a mispredicted branch waits for
       its load, so the misses of later features did not overlap with it. A feature not in
       the table adds -0 times its value, -0 or +0, which leaves any sum as it was
       (x + -0 == x, -0 and 0 alike; x + +0 == x unless x is -0, and a sum that starts at
       +0 never is), so the sums stay those of skipping it. Only a home bucket without the
       feature that others went past takes the loop of bucket_of, through the next
       buckets. */
    static const float s_nothing [CLASSES] = { -0.0f, -0.0f, -0.0f };
    size_t mask = self->table_size - 1;
    for (size_t i = 0; i < features->count; i++) {
        uint64_t hash = features->items [i].hash;
        const bucket_t *bucket = &self->table [hash & mask];
        _Static_assert (BUCKET_SLOTS == 3, "one test per slot below");
        /* (a hash is in one slot at most: table_build looks before it adds; and an empty
           slot holds a hash of another home, which no hash looked up here equals) */
        uint32_t in0 = bucket->hash [0] == hash;
        uint32_t in1 = bucket->hash [1] == hash;
        uint32_t in2 = bucket->hash [2] == hash;
        uint32_t found = in0 | in1 | in2, j = in1 + 2 * in2;
        uint32_t look_further = (found ^ 1) & (bucket->passed != 0);   /* (bucket_of asks
                                                                       for its pass_bit) */
        /* empty asms: the compiler must not turn the selects below back into branches */
        __asm__ ("" : "+r" (found), "+r" (look_further));
        if (__builtin_expect (look_further, 0)) {
            const bucket_t *other = bucket_of (self, hash, &j);
            found = other != NULL;
            bucket = other ? other : bucket;
        }
        /* the bucket's copy of the weights, not the slot number: that took a division */
        uintptr_t keep = -(uintptr_t) found;
        const float *w = (const float *) (((uintptr_t) bucket->w [j] & keep)
                                          | ((uintptr_t) s_nothing & ~keep));
        float value = features->items [i].value;     /* (finite, every feature's) */
        neu += w [KULAK_LABEL_NEU] * value;
        pos += w [KULAK_LABEL_POS] * value;
        neg += w [KULAK_LABEL_NEG] * value;
    }
    double scores [CLASSES];
    scores [KULAK_LABEL_NEU] = neu;
    scores [KULAK_LABEL_POS] = pos;
    scores [KULAK_LABEL_NEG] = neg;
    softmax (scores, probs);
}

size_t
kulak_model_explain (const kulak_model_t *self, const kulak_features_t *features,
                     kulak_label_t label, const char **names, float *contributions,
                     size_t count)
{
    size_t found = 0;
    for (size_t i = 0; i < features->count; i++) {
        size_t s = slot_of (self, features->items [i].hash);
        if (s == SIZE_MAX)
            continue;
        const float *w = &self->weights [self->table_index [s] * CLASSES];
        /* How much this feature favours `label` over the other two, on average. */
        float push = 0;
        for (int c = 0; c < CLASSES; c++)
            if (c != (int) label)
                push += (w [label] - w [c]) / 2;
        push *= features->items [i].value;
        if (push <= 0.05f)
            continue;
        const char *name = self->names [self->table_index [s]];
        /* insertion into the top `count` */
        size_t at = found < count ? found : count;
        while (at > 0 && contributions [at - 1] < push) {
            if (at < count) {
                contributions [at] = contributions [at - 1];
                names [at] = names [at - 1];
            }
            at--;
        }
        if (at < count) {
            contributions [at] = push;
            names [at] = name;
            if (found < count)
                found++;
        }
    }
    return found;
}

/* ---- file ------------------------------------------------------------------------- */

int
kulak_model_save (const kulak_model_t *self, const char *path, char **err)
{
    char *tmp;
    FILE *file = kulak_replace_open (path, &tmp, err);
    if (!file)
        return -1;
    fprintf (file, "%s\n", MODEL_MAGIC);
    fprintf (file, "# kulak sentiment model: multinomial logistic regression; see "
                   "include/kulak/model.h\n");
    fprintf (file, "# columns: feature, weight for neg, neu, pos\n");
    fprintf (file, "lang %s\n", kulak_lang_name (self->lang));
    kulak_model_sources_write (&self->sources, file);
    fprintf (file, "option epochs %d\noption learning_rate %g\noption l2 %g\noption min_count %d\n"
             "option nb_scale %g\noption prior_strength %g\noption balance %g\noption seed %llu\n",
             self->options.epochs, self->options.learning_rate, self->options.l2,
             self->options.min_count, self->options.nb_scale, self->options.prior_strength,
             self->options.balance, (unsigned long long) self->options.seed);
    if (self->options.shuffles > 1)      /* (absent: one, as in files made before) */
        fprintf (file, "option shuffles %d\n", self->options.shuffles);
    for (size_t i = 0; i < self->feature_count; i++) {
        const float *w = &self->weights [i * CLASSES];
        fprintf (file, "%s\t%.4f\t%.4f\t%.4f\n", self->names [i], w [KULAK_LABEL_NEG],
                 w [KULAK_LABEL_NEU], w [KULAK_LABEL_POS]);
    }
    return kulak_replace_close (file, tmp, path, "model", err);
}

bool
kulak_model_parse_weights (const char *text, float *weights, size_t count)
{
    /* Not sscanf, nor plain strtof: a model has tens of thousands of lines to read at start,
       and kulak_strtof reads its plain decimals several times faster. */
    const char *p = text;
    for (size_t i = 0; i < count; i++) {
        char *end;
        weights [i] = kulak_strtof (p, &end);
        if (end == p || !isfinite (weights [i]) || *end != (i + 1 < count ? '\t' : 0))
            return false;
        p = end + 1;
    }
    return true;
}

kulak_model_t *
kulak_model_load (const char *path, char **err)
{
    char *text = kulak_read_file (path, NULL, err);
    if (!text)
        return NULL;
    kulak_model_t *self = kulak_calloc (1, sizeof *self);
    kulak_train_options_default (&self->options);   /* what older files did not say */
    self->options.prior_strength = 0;
    size_t cap = 0;
    int line_no = 0;
    bool ok = true;
    char *cursor = text, *line;
    /* line by line, counting blank ones too, so errors name the right line */
    while (ok && (line = kulak_next_line (&cursor))) {
        line_no++;
        if (line_no == 1) {
            if (strcmp (line, MODEL_MAGIC) != 0) {
                *err = kulak_sprintf ("%s: not a kulak model (first line should be '%s')",
                                      path, MODEL_MAGIC);
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
            if (strncmp (line, "lang ", 5) == 0)
                self->lang = kulak_lang_parse (line + 5);
            else if (sscanf (line, "option epochs %lf", &number) == 1)
                self->options.epochs = number >= 0 && number <= 1e6 ? (int) number : -1;
            else if (sscanf (line, "option learning_rate %lf", &number) == 1)
                self->options.learning_rate = number;
            else if (sscanf (line, "option l2 %lf", &number) == 1)
                self->options.l2 = number;
            else if (sscanf (line, "option min_count %lf", &number) == 1)
                self->options.min_count = number >= 0 && number <= 1e6 ? (int) number : -1;
            else if (sscanf (line, "option nb_scale %lf", &number) == 1)
                self->options.nb_scale = number;
            else if (sscanf (line, "option prior_strength %lf", &number) == 1)
                self->options.prior_strength = number;
            else if (sscanf (line, "option balance %lf", &number) == 1)
                self->options.balance = number;
            else if (sscanf (line, "option seed %llu", &seed) == 1)
                self->options.seed = seed;
            else if (sscanf (line, "option shuffles %lf", &number) == 1)
                self->options.shuffles = number >= 0 && number <= 1e6 ? (int) number : -1;
            else if (kulak_model_sources_read (&self->sources, line, path, line_no, err) < 0) {
                ok = false;
                break;
            }
            continue;
        }
        float w [3];
        *tab = 0;
        if (!kulak_model_parse_weights (tab + 1, w, 3)) {
            *err = kulak_sprintf ("%s:%d: expected a feature and three weights", path, line_no);
            ok = false;
            break;
        }
        if (self->feature_count == cap) {
            cap = cap ? cap * 2 : 1024;
            self->names = kulak_realloc (self->names, cap * sizeof *self->names);
            self->weights = kulak_realloc (self->weights, cap * CLASSES * sizeof (float));
        }
        float *dst = &self->weights [self->feature_count * CLASSES];
        dst [KULAK_LABEL_NEG] = w [0];
        dst [KULAK_LABEL_NEU] = w [1];
        dst [KULAK_LABEL_POS] = w [2];
        self->names [self->feature_count++] = kulak_strdup (line);
    }
    free (text);
    if (ok && self->lang == KULAK_LANG_UNKNOWN) {
        *err = kulak_sprintf ("%s: the model does not say its language (line 'lang tr|en')", path);
        ok = false;
    }
    /* settings from the file drive re-training in eval: keep them sane */
    kulak_train_options_t *o = &self->options;
    if (ok && (o->epochs < 1 || o->epochs > 1000 || o->min_count < 1 || o->min_count > 1000
               || !(o->learning_rate > 0 && o->learning_rate <= 10) || !(o->l2 >= 0 && o->l2 <= 1)
               || !(o->nb_scale >= 0 && o->nb_scale <= 10)
               || !(o->prior_strength >= 0 && o->prior_strength <= 10)
               || !(o->balance >= 0 && o->balance <= 1) || o->shuffles < 1 || o->shuffles > 100)) {
        *err = kulak_sprintf ("%s: an option line is out of range (epochs 1-1000, min_count "
                              "1-1000, learning_rate 0-10, l2 0-1, nb_scale 0-10, "
                              "prior_strength 0-10, balance 0-1, shuffles 1-100)", path);
        ok = false;
    }
    if (!ok) {
        kulak_model_destroy (&self);
        return NULL;
    }
    table_build (self);
    self->path = kulak_strdup (path);
    return self;
}

const char *
kulak_model_path (const kulak_model_t *self)
{
    return self->path;
}

/* ---- training ---------------------------------------------------------------------- */

void
kulak_train_options_default (kulak_train_options_t *o)
{
    o->epochs = 5;
    o->learning_rate = 0.02;
    o->l2 = 1e-6;
    o->min_count = 2;
    o->seed = 20261122;
    o->shuffles = 1;
    o->nb_scale = 0;
    o->prior_strength = 0;
    o->balance = 1;
    o->prior = NULL;
}

const kulak_train_options_t *
kulak_model_train_options (const kulak_model_t *self)
{
    return &self->options;
}

static uint64_t
next_random (uint64_t *state)
{
    /* splitmix64: deterministic shuffles, so training is reproducible */
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void
kulak_model_shuffle (size_t *order, size_t count, uint64_t *state)
{
    for (size_t i = count; i > 1; i--) {       /* Fisher-Yates */
        size_t j = next_random (state) % i;
        size_t tmp = order [i - 1];
        order [i - 1] = order [j];
        order [j] = tmp;
    }
}

/* AdaGrad epochs over the rows in `order` (shuffled anew each epoch from *random), from the
   weights as they are. */
static void
train_epochs (kulak_model_t *self, const kulak_train_row_t *rows, uint32_t *const *index,
              float *const *values, const size_t *lengths, size_t *order, size_t used,
              const float *prior, float *gradsq, const kulak_train_options_t *options,
              uint64_t *random)
{
    for (int epoch = 0; epoch < options->epochs; epoch++) {
        kulak_model_shuffle (order, used, random);
        for (size_t k = 0; k < used; k++) {
            size_t r = order [k];
            double scores [CLASSES] = { 0 }, probs [CLASSES];
            for (size_t i = 0; i < lengths [r]; i++)
                for (int c = 0; c < CLASSES; c++)
                    scores [c] += self->weights [index [r] [i] * CLASSES + c] * values [r] [i];
            softmax (scores, probs);
            for (int c = 0; c < CLASSES; c++) {
                double g = (probs [c] - (c == (int) rows [r].label)) * rows [r].weight;
                for (size_t i = 0; i < lengths [r]; i++) {
                    size_t w = index [r] [i] * CLASSES + (size_t) c;
                    double grad = g * values [r] [i] + options->l2 * (self->weights [w] - prior [w]);
                    gradsq [w] += (float) (grad * grad);
                    self->weights [w] -= (float) (options->learning_rate * grad / sqrt (gradsq [w]));
                }
            }
        }
    }
}

kulak_model_t *
kulak_model_train (kulak_train_row_t *rows, size_t count, int skip_fold, kulak_lang_t lang,
                   const kulak_train_options_t *options)
{
    /* 1. the dictionary: features seen in at least min_count training rows */
    kulak_model_t *self = kulak_calloc (1, sizeof *self);
    self->lang = lang;
    self->options = *options;
    self->options.prior = NULL;          /* not the caller's lexicon beyond this call */
    kulak_strmap_t *counts = kulak_strmap_new ();
    for (size_t r = 0; r < count; r++) {
        if (rows [r].fold == skip_fold && skip_fold >= 0)
            continue;
        for (size_t i = 0; i < rows [r].features.count; i++) {
            const char *name = rows [r].features.names [i];
            void **slot = kulak_strmap_get (counts, name, strlen (name));
            if (slot)
                *slot = (void *) ((uintptr_t) *slot + 1);
            else
                kulak_strmap_put (counts, name, strlen (name), (void *) (uintptr_t) 1);
        }
    }
    size_t cap = kulak_strmap_size (counts) + 1;
    self->names = kulak_calloc (cap, sizeof *self->names);
    self->names [self->feature_count++] = kulak_strdup ("bias");
    size_t cursor = 0;
    const char *name;
    void *value;
    while (kulak_strmap_next (counts, &cursor, &name, &value)) {
        bool dense = strcmp (name, "bias") != 0 && strncmp (name, "lex", 3) == 0;
        if (strcmp (name, "bias") == 0)
            continue;
        if ((uintptr_t) value >= (uintptr_t) options->min_count || dense)
            self->names [self->feature_count++] = kulak_strdup (name);
    }
    /* Every lexicon entry is a feature, seen in training or not, starting from what its
       valence says: the model then knows the idioms its training rows never used ("not bad
       at all"), and training only moves the ones the rows speak about. */
    if (options->prior && options->prior_strength > 0) {
        size_t n = kulak_patterns_count (options->prior);
        self->names = kulak_realloc (self->names, (self->feature_count + 2 * n + 1)
                                                  * sizeof *self->names);
        for (size_t i = 0; i < n; i++) {
            const kulak_pattern_t *p = kulak_patterns_get (options->prior, (uint32_t) i);
            for (int negated = 0; negated < 2; negated++) {
                char *feature = kulak_sprintf ("%s%s", negated ? "L~:" : "L:", p->text);
                void **slot = kulak_strmap_get (counts, feature, strlen (feature));
                if (slot && (uintptr_t) *slot >= (uintptr_t) options->min_count)
                    free (feature);          /* already kept */
                else {
                    kulak_strmap_put (counts, feature, strlen (feature),
                                      (void *) (uintptr_t) options->min_count);
                    self->names [self->feature_count++] = feature;
                }
            }
        }
    }
    kulak_strmap_destroy (&counts);
    self->weights = kulak_calloc (self->feature_count * CLASSES, sizeof (float));
    table_build (self);
    float *prior = kulak_calloc (self->feature_count * CLASSES, sizeof (float));
    if (options->prior && options->prior_strength > 0) {
        size_t n = kulak_patterns_count (options->prior);
        for (size_t i = 0; i < n; i++) {
            const kulak_pattern_t *p = kulak_patterns_get (options->prior, (uint32_t) i);
            for (int negated = 0; negated < 2; negated++) {
                char *feature = kulak_sprintf ("%s%s", negated ? "L~:" : "L:", p->text);
                const float *w = weights_of (self, kulak_feature_hash (feature));
                free (feature);
                if (!w)
                    continue;
                size_t at = (size_t) (w - self->weights);
                /* a negated entry counts as VADER negates: -0.74 of its valence */
                float v = (float) options->prior_strength * p->value / 4.0f
                        * (negated ? -0.74f : 1.0f);
                prior [at + KULAK_LABEL_POS] = v / 2;
                prior [at + KULAK_LABEL_NEG] = -v / 2;
                prior [at + KULAK_LABEL_NEU] = -fabsf (v) / 2;
            }
        }
        memcpy (self->weights, prior, self->feature_count * CLASSES * sizeof (float));
    }

    /* 2. rows as indexes into the weights */
    uint32_t **index = kulak_calloc (count, sizeof *index);
    float **values = kulak_calloc (count, sizeof *values);
    size_t *lengths = kulak_calloc (count, sizeof *lengths);
    size_t *order = kulak_calloc (count, sizeof *order);
    size_t used = 0;
    for (size_t r = 0; r < count; r++) {
        if (rows [r].fold == skip_fold && skip_fold >= 0)
            continue;
        index [r] = kulak_calloc (rows [r].features.count + 1, sizeof **index);
        values [r] = kulak_calloc (rows [r].features.count + 1, sizeof **values);
        for (size_t i = 0; i < rows [r].features.count; i++) {
            const float *w = weights_of (self, rows [r].features.items [i].hash);
            if (!w)
                continue;
            index [r] [lengths [r]] = (uint32_t) ((w - self->weights) / CLASSES);
            values [r] [lengths [r]++] = rows [r].features.items [i].value;
        }
        order [used++] = r;
    }

    /* 2b. Naive-Bayes scaling (as in NBSVM, Wang & Manning 2012): a word counts more the
       more unevenly it falls on positive and negative rows. The scale is folded into the
       weights afterwards, so the model file and prediction do not change. */
    float *scale = NULL;
    if (options->nb_scale > 0) {
        double beta = options->nb_scale;
        double *npos = kulak_calloc (self->feature_count, sizeof (double));
        double *nneg = kulak_calloc (self->feature_count, sizeof (double));
        double tpos = 0, tneg = 0;
        for (size_t k = 0; k < used; k++) {
            size_t r = order [k];
            for (size_t i = 0; i < lengths [r]; i++) {
                if (rows [r].label == KULAK_LABEL_POS) { npos [index [r] [i]] += 1; tpos += 1; }
                if (rows [r].label == KULAK_LABEL_NEG) { nneg [index [r] [i]] += 1; tneg += 1; }
            }
        }
        scale = kulak_calloc (self->feature_count, sizeof (float));
        double v = (double) self->feature_count;
        for (size_t f = 0; f < self->feature_count; f++) {
            bool dense = strncmp (self->names [f], "lex", 3) == 0 || strcmp (self->names [f], "bias") == 0;
            double ratio = log ((npos [f] + 1) / (tpos + v)) - log ((nneg [f] + 1) / (tneg + v));
            scale [f] = dense ? 1.0f : (float) (1 + beta * fabs (ratio));
        }
        for (size_t k = 0; k < used; k++) {
            size_t r = order [k];
            for (size_t i = 0; i < lengths [r]; i++)
                values [r] [i] *= scale [index [r] [i]];
        }
        free (npos);
        free (nneg);
    }
    /* 3. AdaGrad epochs over shuffled rows */
    size_t n_weights = self->feature_count * CLASSES;
    float *gradsq = kulak_calloc (n_weights, sizeof (float));
    /* 3b. With shuffles > 1, the epochs run again from the starting weights with other
       seeds, and the model is the mean of the runs' weights: a little less of one
       shuffle's luck is left in it. */
    int shuffles = options->shuffles > 1 ? options->shuffles : 1;
    double *sum = shuffles > 1 ? kulak_calloc (n_weights, sizeof (double)) : NULL;
    /* (each run starts from the rows' own order, so run k is the one --shuffles 1 makes
       from its seed) */
    size_t *first_order = shuffles > 1 ? kulak_malloc (used * sizeof *first_order + 1) : NULL;
    if (first_order)
        memcpy (first_order, order, used * sizeof *order);
    for (int shuffle = 0; shuffle < shuffles; shuffle++) {
        if (shuffle > 0) {
            memcpy (self->weights, prior, n_weights * sizeof (float));
            memcpy (order, first_order, used * sizeof *order);
        }
        for (size_t i = 0; i < n_weights; i++)
            gradsq [i] = 1e-6f;
        /* (runs a golden-ratio step apart: --seed 1 and --seed 2 share no run) */
        uint64_t random = options->seed + (uint64_t) shuffle * 0x9E3779B97F4A7C15ULL;
        train_epochs (self, rows, index, values, lengths, order, used, prior, gradsq,
                      options, &random);
        if (sum)
            for (size_t i = 0; i < n_weights; i++)
                sum [i] += self->weights [i];
    }
    if (sum) {
        for (size_t i = 0; i < n_weights; i++)
            self->weights [i] = (float) (sum [i] / shuffles);
        free (sum);
    }
    free (first_order);
    free (gradsq);
    free (prior);
    if (scale) {
        for (size_t f = 0; f < self->feature_count; f++)
            for (int c = 0; c < CLASSES; c++)
                self->weights [f * CLASSES + c] *= scale [f];
        free (scale);
    }
    table_build (self);                  /* the slots get the trained weights */
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
