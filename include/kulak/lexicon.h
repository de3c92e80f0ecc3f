/*  lexicon.h: the plain-text lexicons of one language (lexicons/<lang>/), loaded into
    pattern sets that match tokens. The file format and the matching rules are described
    for users in lexicons/README.md; this module is their only implementation.

    A pattern is one or more words; a word is exact or a prefix (`fatura*`). A phrase's
    words match in order with at most two other tokens between neighbours, inside one
    clause. Among overlapping matches the longest wins (more tokens, then more letters).
    For a Turkish prefix match the rest of the last token is read for negating suffixes
    (-mA-, -mAz, -mAyAcAk, -(y)AmA-) and the privative -sIz. */
#ifndef KULAK_LEXICON_H
#define KULAK_LEXICON_H

#include "kulak/record.h"
#include "kulak/strmap.h"
#include "kulak/tokens.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    KULAK_SUFFIX_NONE = 0,
    KULAK_SUFFIX_NEGATIVE,       /* beğen|medim, ulaş|amadım */
    KULAK_SUFFIX_PRIVATIVE       /* sorun|suz */
} kulak_suffix_t;

typedef struct {
    char *text;                  /* the pattern as written, for evidence and --explain */
    char **words;                /* token keys */
    uint8_t *prefix;             /* per word: 1 when it matches as a prefix */
    uint8_t word_count;
    bool adjacent;               /* written in quotes: its words next to each other, no gap */
    uint16_t letters;            /* key bytes in all words: the tie-breaker */
    float value;                 /* valence, theme weight, booster factor... */
    int tag;                     /* theme index, negator scope... */
    bool exclude;                /* theme files: `!pattern` */
    bool score;                  /* a score: "9/10" or "3 out of 10", which counts only
                                    where it stands as one (see sentiment.c) */
    uint8_t copies;              /* Turkish: copies right after it that match another
                                    form of a root, softened ("destek*" also "desteğ*") or
                                    narrowed before -yor ("bekle*" also "bekliyor*"); same
                                    text and value */
    int line;
    /* The hashes of the model's features for this entry, "L:text" and "L~:text" (negated),
       from kulak_feature_hash_entry at load (0: the name is too long to be a feature), so
       tagging neither reads the text (a cache miss of its own) nor hashes it per record. */
    uint64_t feature_hash [2];
} kulak_pattern_t;

typedef struct kulak_patterns_t kulak_patterns_t;

typedef struct {
    uint32_t pattern;            /* index into the pattern set */
    uint32_t first;              /* first and last matched token */
    uint32_t last;
    kulak_suffix_t suffix;       /* what the rest of the last token says (Turkish) */
} kulak_match_t;

/* All matches of a pattern set in the tokens, before any selection; caller frees *out. */
size_t kulak_patterns_find (const kulak_patterns_t *self, const kulak_tokens_t *tokens,
                            kulak_match_t **out);
/* Keeps the longest non-overlapping matches (per tag when per_tag), in text order.
   Returns the new count; matches is rearranged in place. */
size_t kulak_matches_select (const kulak_patterns_t *self, kulak_match_t *matches,
                             size_t count, bool per_tag);
const kulak_pattern_t *kulak_patterns_get (const kulak_patterns_t *self, uint32_t index);
size_t kulak_patterns_count (const kulak_patterns_t *self);

/* Reads the Turkish suffix after a root (already without Turkish marks). */
kulak_suffix_t kulak_suffix_read (const char *rest);

typedef struct {
    char *id;
    char *name_tr;
    char *name_en;
} kulak_theme_info_t;

typedef enum {
    KULAK_NEGATE_NEXT = 0,       /* not, never, no: flips what follows */
    KULAK_NEGATE_PREV = 1,       /* değil, yok: flips what precedes */
    KULAK_NEGATE_IRONY = 2,      /* "(!)": flips the praise that precedes, not a complaint */
    KULAK_NEGATE_UNMET = 3       /* "could have", "keşke": an expectation not met; flips the
                                    praise that follows in its clause, not a complaint */
} kulak_negator_scope_t;

/* The tag of a sentiment entry: a survey's non-answer ("no comment", "yorum yok"), a text
   made of which alone is neutral; an interjection ("brilliant", "great job"), praise that
   stands alone as a reply, and after a complaint is sarcasm. */
enum { KULAK_SENTIMENT_NON_ANSWER = 1, KULAK_SENTIMENT_INTERJECTION = 2 };

typedef enum {
    KULAK_CONTRAST_LATER = 0,    /* but, ama: the clause after the word weighs more */
    KULAK_CONTRAST_CONCESSIVE = 1 /* although, despite: the clause the word opens weighs
                                    less, the one after it more */
} kulak_contrast_kind_t;

/* The pattern sets of a lexicon, as kulak_lexicon_find gives their matches. */
typedef enum {
    KULAK_SET_SENTIMENT = 0,
    KULAK_SET_THEMES,
    KULAK_SET_NEGATORS,
    KULAK_SET_INTENSIFIERS,
    KULAK_SET_CONTRAST,
    KULAK_SET_COUNT
} kulak_set_t;

typedef struct {
    kulak_lang_t lang;
    kulak_patterns_t *sentiment;     /* value = valence -4..+4 */
    kulak_patterns_t *themes;        /* tag = theme index, value = weight */
    kulak_patterns_t *negators;      /* tag = kulak_negator_scope_t */
    kulak_patterns_t *intensifiers;  /* value = factor */
    kulak_patterns_t *contrast;
    kulak_strmap_t *stopwords;
    kulak_theme_info_t *theme_info;
    size_t theme_count;
    kulak_patterns_t *merged;        /* all the sets above in one index (NULL: none) */
    struct stopword_slot_t *stopword_slots;  /* the stopwords by token key hash (NULL: none) */
    uint32_t stopword_mask;
} kulak_lexicon_t;

/* Is the token's key one of the lexicon's stopwords? (Uses the tokenizer's key hash.) */
bool kulak_lexicon_is_stopword (const kulak_lexicon_t *self, const kulak_token_t *token);
/* The same for every token at once: stop [i] is 1 for a stopword, else 0. */
void kulak_lexicon_mark_stopwords (const kulak_lexicon_t *self, const kulak_tokens_t *tokens,
                                   uint8_t *stop);

/* The matches of every set of a lexicon, found in one pass over the tokens: those of set s
   (patterns indexed in that set, as kulak_patterns_find gives them) are
   items [start [s], start [s + 1]). */
typedef struct {
    kulak_match_t *items;
    size_t start [KULAK_SET_COUNT + 1];
    size_t cap;                  /* room in items, for kulak_lexicon_find_again */
    uint8_t *stopword;           /* per token: 1 for a stopword, else 0, found with the
                                    matches (NULL for a lexicon put together by hand) */
    size_t stopword_cap;
} kulak_lexicon_matches_t;

void kulak_lexicon_find (const kulak_lexicon_t *self, const kulak_tokens_t *tokens,
                         kulak_lexicon_matches_t *out);
/* The same into the items of an earlier find (or of a zeroed *out), grown when they are too
   few: a caller that finds text after text allocates nothing per text. Free them with
   kulak_lexicon_matches_free when done. */
void kulak_lexicon_find_again (const kulak_lexicon_t *self, const kulak_tokens_t *tokens,
                               kulak_lexicon_matches_t *out);
void kulak_lexicon_matches_free (kulak_lexicon_matches_t *matches);

/* Loads <dir>/<lang>/ (and the shared <dir>/emoji.txt). The emoticon set is filled with
   the lexicon's emoticons and must outlive the tokenizer that uses it. On a bad line,
   returns NULL with "file:line: why" in *err. */
kulak_lexicon_t *kulak_lexicon_load (const char *dir, kulak_lang_t lang,
                                     kulak_tokenizer_t *tokenizer,
                                     kulak_strmap_t *emoticons, char **err);
void kulak_lexicon_destroy (kulak_lexicon_t **self_p);

/* Parses one pattern file held in memory (used by the loader and the fuzz harness).
   kind: 's' sentiment, 't' theme (tag = theme_index), 'n' negators, 'i' intensifiers,
   'c' contrast. Appends to `into`; theme header lines fill *info when given. */
int kulak_patterns_parse (kulak_patterns_t *into, const char *text, const char *file_name,
                          char kind, int theme_index, kulak_tokenizer_t *tokenizer,
                          kulak_strmap_t *emoticons, kulak_theme_info_t *info, char **err);
kulak_patterns_t *kulak_patterns_new (kulak_lang_t lang);
void kulak_patterns_destroy (kulak_patterns_t **self_p);

/* Default lexicon directory: $KULAK_LEXICONS, else <exe dir>/../lexicons. */
char *kulak_lexicon_default_dir (void);

#endif
