/*  tokens.h: splitting normalized text into the tokens that lexicons and the model see.

    A tokenizer owns the Snowball stemmers (Turkish and English) and knows which emoticons
    to recognise. Running it on NFKC text gives tokens with:
    - start/end: code point offsets into that text (evidence points back into it);
    - form: lower case (Turkish-aware), elongation squeezed to two letters;
    - key: what lexicons match against: for Turkish the form without Turkish marks
      (`çok` and `cok` share the key `cok`), for English the form itself;
    - key1: the key with elongation squeezed to one letter, when that differs
      (`sooo` -> key `soo`, key1 `so`); for Turkish typed as spoken, the written present
      tense (`gelmiyo` -> key1 `gelmiyor`, `ulaşamıyom` -> `ulasamiyorum`) and
      `bi` -> `bir`;
    - stem: the Snowball stem, without Turkish marks, for the trained model;
    - flags: written in capitals, elongated, and the punctuation that follows.
    English `n't` becomes its own `not` token; a Turkish apostrophe joins the word
    (`Turkcell'e` -> `turkcelle`). Masks such as [phone] become single MASK tokens; a
    tweet's `@handle` becomes no token at all.

    The strings of a token list are owned by the list (kulak_tokens_destroy frees them all)
    and must not be freed or changed one by one; form, key and stem may share one string. */
#ifndef KULAK_TOKENS_H
#define KULAK_TOKENS_H

#include "kulak/record.h"
#include "kulak/strmap.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    KULAK_TOKEN_WORD = 0,
    KULAK_TOKEN_NUMBER,
    KULAK_TOKEN_EMOJI,
    KULAK_TOKEN_EMOTICON,
    KULAK_TOKEN_MASK
} kulak_token_kind_t;

enum {
    KULAK_TOKEN_CAPS = 1 << 0,        /* written in capitals (2+ letters) */
    KULAK_TOKEN_ELONGATED = 1 << 1,   /* had a letter repeated 3+ times */
    KULAK_TOKEN_SENTENCE_END = 1 << 2, /* . ! ? … or a line break follows */
    KULAK_TOKEN_CLAUSE_END = 1 << 3,  /* , ; : ( ) or a dash follows */
    KULAK_TOKEN_EXCLAIM = 1 << 4,     /* ! follows */
    KULAK_TOKEN_QUESTION = 1 << 5,    /* ? follows */
    KULAK_TOKEN_QUOTED = 1 << 6,      /* inside a short double-quoted span ("approved") */
};

/* What a pattern set's lookup of a word's key found (lexicon.c's find_matches), kept with the
   word in the tokenizer's stem cache: a word seen before is not looked up again. Only the
   set whose memo_id is `owner` may read it; any set may overwrite it with its own. */
typedef struct {
    uint32_t owner;               /* the set's memo id; 0: nothing kept */
    uint32_t exact;               /* its exact first-word slot + 1; 0: none that starts a
                                     pattern */
    uint32_t node : 31;           /* its prefix trie node; 0: none */
    uint32_t stopword : 1;
} kulak_token_memo_t;

typedef struct {
    uint32_t start;
    uint32_t end;
    uint8_t kind;
    uint16_t flags;
    uint16_t sentence;            /* index of the sentence holding the token */
    uint16_t clause;              /* index of the clause (sentences split at , ; :) */
    uint32_t key_len;             /* strlen (key) */
    uint32_t key_hash;            /* kulak_token_key_hash of key, so the lexicons' pattern
                                     sets do not hash it again; 0: not computed */
    uint32_t stem_len;            /* strlen (stem), set with key_hash by the tokenizer */
    uint64_t stem_hash;           /* kulak_token_word_hash of stem, for words the tokenizer
                                     made */
    char *form;
    char *key;
    char *key1;                   /* NULL when equal to key (see above) */
    char *stem;
    kulak_token_memo_t *memo;     /* where a lookup of key may keep what it found (in the
                                     stem cache), while kulak_tokens_memo_ok; NULL: nowhere */
} kulak_token_t;

typedef struct {
    kulak_lang_t lang;
    kulak_token_t *items;
    size_t count;
    bool all_caps;                /* the whole text shouts: capitals carry no emphasis */
    int exclaims;                 /* '!' in the text */
    int questions;                /* '?' in the text */
    size_t bytes;                 /* strlen of the text */
    bool ascii;                   /* the text is ASCII alone: its code point offsets (start,
                                     end) are its byte offsets */
    uint64_t memo_clock;          /* kulak_tokens_memo_ok's: 0 when the memos are never ok */
} kulak_tokens_t;

typedef struct kulak_tokenizer_t kulak_tokenizer_t;

kulak_tokenizer_t *kulak_tokenizer_new (void);
void kulak_tokenizer_destroy (kulak_tokenizer_t **self_p);
/* Emoticons (":)", ":-(", "<3") to recognise; the set is borrowed, keys are the emoticons. */
void kulak_tokenizer_set_emoticons (kulak_tokenizer_t *self, const kulak_strmap_t *emoticons);

kulak_tokens_t *kulak_tokenize (kulak_tokenizer_t *self, const char *nfkc_text,
                                kulak_lang_t lang);
void kulak_tokens_destroy (kulak_tokens_t **tokens_p);
/* Whether the tokens' memos still belong to their words: until a stem cache (of any
   tokenizer) moves or drops a word, which is rare once the cache holds a text's words. */
bool kulak_tokens_memo_ok (const kulak_tokens_t *tokens);

/* The key a lexicon pattern word gets, so patterns and text compare alike. */
char *kulak_token_key (const char *word, kulak_lang_t lang);
/* The hash of a word of `len` bytes that a token's stem_hash is (and the model's word and
   bigram features start from): well mixed, made for words, not kept anywhere. */
uint64_t kulak_token_word_hash (const char *word, size_t len);
/* The hash lexicon lookups use for a key of `len` bytes; never 0. */
uint32_t kulak_token_key_hash (const char *key, size_t len);

#endif
