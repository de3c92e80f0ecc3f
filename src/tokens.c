/*  tokens.c: the tokenizer (see tokens.h). One pass over the code points of NFKC text;
    the folding, squeezing and stemming of each token happen when the token is pushed. */
#include "kulak/tokens.h"
#include "kulak/text.h"
#include "kulak/util.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

struct kulak_tokenizer_t {
    struct sb_stemmer *stem_tr;
    struct sb_stemmer *stem_en;
    const kulak_strmap_t *emoticons;
};

kulak_tokenizer_t *
kulak_tokenizer_new (void)
{
    kulak_tokenizer_t *self = kulak_calloc (1, sizeof *self);
    self->stem_tr = sb_stemmer_new ("turkish", NULL);
    self->stem_en = sb_stemmer_new ("english", NULL);
    return self;
}

void
kulak_tokenizer_destroy (kulak_tokenizer_t **self_p)
{
    kulak_tokenizer_t *self = *self_p;
    if (!self)
        return;
    if (self->stem_tr)
        sb_stemmer_delete (self->stem_tr);
    if (self->stem_en)
        sb_stemmer_delete (self->stem_en);
    free (self);
    *self_p = NULL;
}

void
kulak_tokenizer_set_emoticons (kulak_tokenizer_t *self, const kulak_strmap_t *emoticons)
{
    self->emoticons = emoticons;
}

void
kulak_tokens_destroy (kulak_tokens_t **tokens_p)
{
    kulak_tokens_t *tokens = *tokens_p;
    if (!tokens)
        return;
    for (size_t i = 0; i < tokens->count; i++) {
        free (tokens->items [i].form);
        free (tokens->items [i].key);
        free (tokens->items [i].key1);
        free (tokens->items [i].stem);
    }
    free (tokens->items);
    free (tokens);
    *tokens_p = NULL;
}

static bool
is_letter (int32_t cp)
{
    utf8proc_category_t c = utf8proc_category (cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

static bool
is_word_char (int32_t cp)
{
    utf8proc_category_t c = utf8proc_category (cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ND);   /* letters, marks, digits */
}

static bool
is_emoji (int32_t cp)
{
    return (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF)
        || (cp >= 0x2B00 && cp <= 0x2BFF) || cp == 0x2122 || cp == 0x203C || cp == 0x2049;
}

static bool
is_emoji_modifier (int32_t cp)
{
    return cp == 0xFE0F || cp == 0xFE0E || cp == 0x200D || (cp >= 0x1F3FB && cp <= 0x1F3FF);
}

static bool
is_apostrophe (int32_t cp)
{
    return cp == '\'' || cp == 0x2019 || cp == 0x02BC;
}

typedef struct {
    kulak_tokenizer_t *tokenizer;
    kulak_tokens_t *tokens;
    size_t cap;
    uint16_t sentence;
    uint16_t clause;
    size_t caps_letters;          /* for all_caps: upper-case letters in the text */
    size_t letters;
} builder_t;

static char *
stem_of (builder_t *b, const char *form)
{
    struct sb_stemmer *stemmer = b->tokens->lang == KULAK_LANG_TR ? b->tokenizer->stem_tr
                                                                   : b->tokenizer->stem_en;
    char *stem;
    if (stemmer) {
        const sb_symbol *out = sb_stemmer_stem (stemmer, (const sb_symbol *) form,
                                                (int) strlen (form));
        stem = out ? kulak_strndup ((const char *) out, (size_t) sb_stemmer_length (stemmer))
                   : kulak_strdup (form);
    }
    else
        stem = kulak_strdup (form);
    if (b->tokens->lang == KULAK_LANG_TR) {
        char *ascii = kulak_text_ascii_fold (stem);
        free (stem);
        stem = ascii;
    }
    return stem;
}

/* Pushes a token whose raw text is `raw` (not yet folded). */
static kulak_token_t *
push_token (builder_t *b, kulak_token_kind_t kind, const char *raw, size_t raw_len,
            uint32_t start, uint32_t end)
{
    kulak_tokens_t *tokens = b->tokens;
    if (tokens->count == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 32;
        tokens->items = kulak_realloc (tokens->items, b->cap * sizeof *tokens->items);
    }
    kulak_token_t *token = &tokens->items [tokens->count++];
    memset (token, 0, sizeof *token);
    token->kind = (uint8_t) kind;
    token->start = start;
    token->end = end;
    token->sentence = b->sentence;
    token->clause = b->clause;

    char *copy = kulak_strndup (raw, raw_len);
    if (kind == KULAK_TOKEN_WORD) {
        size_t upper = 0, letters = 0;
        const uint8_t *p = (const uint8_t *) copy;
        int32_t cp;
        utf8proc_ssize_t n;
        while (*p) {
            if (*p < 0x80) {             /* most letters are ASCII: skip utf8proc */
                letters += (*p | 0x20) >= 'a' && (*p | 0x20) <= 'z';
                upper += *p >= 'A' && *p <= 'Z';
                p++;
                continue;
            }
            if ((n = utf8proc_iterate (p, -1, &cp)) <= 0)
                break;
            if (is_letter (cp)) {
                letters++;
                upper += utf8proc_category (cp) == UTF8PROC_CATEGORY_LU;
            }
            p += n;
        }
        b->letters += letters;
        b->caps_letters += upper;
        if (letters >= 2 && upper == letters)
            token->flags |= KULAK_TOKEN_CAPS;
        char *folded = kulak_text_fold (copy, tokens->lang);
        bool elongated = false;
        token->form = kulak_text_squeeze (folded, 2, &elongated);
        free (folded);
        if (elongated)
            token->flags |= KULAK_TOKEN_ELONGATED;
        token->key = tokens->lang == KULAK_LANG_TR ? kulak_text_ascii_fold (token->form)
                                                   : kulak_strdup (token->form);
        if (elongated) {
            char *one = kulak_text_squeeze (token->key, 1, NULL);
            if (strcmp (one, token->key) != 0)
                token->key1 = one;
            else
                free (one);
            char *form1 = kulak_text_squeeze (token->form, 1, NULL);
            token->stem = stem_of (b, form1);
            free (form1);
        }
        else
            token->stem = stem_of (b, token->form);
        free (copy);
    }
    else {
        token->form = copy;
        token->key = kulak_strdup (copy);
        token->stem = kulak_strdup (copy);
    }
    return token;
}

static void
mark_previous (builder_t *b, uint16_t flags)
{
    if (b->tokens->count)
        b->tokens->items [b->tokens->count - 1].flags |= flags;
    if (flags & KULAK_TOKEN_SENTENCE_END) {
        b->sentence++;
        b->clause++;
    }
    else if (flags & KULAK_TOKEN_CLAUSE_END)
        b->clause++;
}

/* Mask placeholders written by kulak_text_mask_pii. */
static size_t
mask_at (const char *s)
{
    static const char *masks [] = { "[email]", "[phone]", "[iban]", "[card]", NULL };
    for (const char **m = masks; *m; m++)
        if (strncmp (s, *m, strlen (*m)) == 0)
            return strlen (*m);
    return 0;
}

/* English "n't": "didn" -> "did", with a few irregular ones. */
static void
push_english_negation (builder_t *b, kulak_buf_t *word, uint32_t start, uint32_t end,
                       uint32_t not_start)
{
    static const struct { const char *from, *to; } irregular [] = {
        { "ca", "can" }, { "wo", "will" }, { "ai", "is" }, { "sha", "shall" },
        { "Ca", "Can" }, { "Wo", "Will" }, { "Ai", "Is" }, { "CA", "CAN" }, { "WO", "WILL" },
    };
    word->data [--word->len] = 0;   /* drop the trailing n */
    const char *base = word->data;
    for (size_t i = 0; i < sizeof irregular / sizeof irregular [0]; i++)
        if (strcmp (base, irregular [i].from) == 0)
            base = irregular [i].to;
    if (*base)
        push_token (b, KULAK_TOKEN_WORD, base, strlen (base), start, not_start);
    push_token (b, KULAK_TOKEN_WORD, "not", 3, not_start, end);
}

kulak_tokens_t *
kulak_tokenize (kulak_tokenizer_t *self, const char *text, kulak_lang_t lang)
{
    builder_t b = { .tokenizer = self };
    b.tokens = kulak_calloc (1, sizeof *b.tokens);
    b.tokens->lang = lang == KULAK_LANG_UNKNOWN ? KULAK_LANG_EN : lang;
    const uint8_t *s = (const uint8_t *) text;
    size_t len = strlen (text);
    size_t pos = 0;
    uint32_t cpi = 0;               /* code point index of pos */
    kulak_buf_t word;
    kulak_buf_init (&word);

    while (pos < len) {
        int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate (s + pos, (utf8proc_ssize_t) (len - pos), &cp);
        if (n <= 0) {               /* callers pass valid UTF-8; skip a bad byte anyway */
            pos++;
            cpi++;
            continue;
        }
        size_t mask_len = cp == '[' ? mask_at (text + pos) : 0;
        if (mask_len) {
            push_token (&b, KULAK_TOKEN_MASK, text + pos + 1, mask_len - 2, cpi,
                        cpi + (uint32_t) mask_len);
            pos += mask_len;
            cpi += (uint32_t) mask_len;
            continue;
        }
        if (is_word_char (cp)) {
            /* A word: letters, marks and digits, joined across apostrophes between
               letters and across . , between digits (1.250,00). */
            kulak_buf_reset (&word);
            uint32_t start = cpi, not_start = 0;
            bool digits_only = true, english_not = false;
            int32_t previous = 0;
            while (pos < len) {
                n = utf8proc_iterate (s + pos, (utf8proc_ssize_t) (len - pos), &cp);
                if (n <= 0)
                    break;
                int32_t next = 0;
                if (pos + (size_t) n < len)
                    utf8proc_iterate (s + pos + n, (utf8proc_ssize_t) (len - pos - (size_t) n),
                                      &next);
                if (is_word_char (cp)) {
                    if (utf8proc_category (cp) != UTF8PROC_CATEGORY_ND)
                        digits_only = false;
                    kulak_buf_append (&word, s + pos, (size_t) n);
                }
                else if (is_apostrophe (cp) && is_letter (previous) && is_letter (next)) {
                    if (b.tokens->lang == KULAK_LANG_EN && (next == 't' || next == 'T')
                        && (previous == 'n' || previous == 'N') && word.len > 1) {
                        english_not = true;
                        not_start = cpi - 1;
                    }
                    else if (b.tokens->lang == KULAK_LANG_EN) {
                        /* English clitics ('s 'll 're 've 'd 'm) are dropped: joined they
                           make other words ("he'll" -> "hell", "we'll" -> "well"). */
                        size_t ahead = pos + (size_t) n, letters = 0;
                        char clitic [4] = { 0 };
                        while (ahead < len && letters < 3 && ((s [ahead] | 0x20) >= 'a'
                                                              && (s [ahead] | 0x20) <= 'z'))
                            clitic [letters++] = (char) (s [ahead++] | 0x20);
                        bool at_end = ahead >= len || !is_word_char (s [ahead]);
                        if (at_end && (strcmp (clitic, "s") == 0 || strcmp (clitic, "ll") == 0
                                       || strcmp (clitic, "re") == 0 || strcmp (clitic, "ve") == 0
                                       || strcmp (clitic, "d") == 0 || strcmp (clitic, "m") == 0)) {
                            pos = ahead;
                            cpi += (uint32_t) (1 + letters);
                            break;
                        }
                    }
                    /* Turkish: the apostrophe only separates a name from its suffix: join */
                }
                else if ((cp == '.' || cp == ',') && digits_only
                         && utf8proc_category (previous) == UTF8PROC_CATEGORY_ND
                         && utf8proc_category (next) == UTF8PROC_CATEGORY_ND)
                    kulak_buf_append (&word, s + pos, (size_t) n);
                else
                    break;
                previous = cp;
                pos += (size_t) n;
                cpi++;
            }
            if (english_not && word.len >= 2
                && (word.data [word.len - 1] == 't' || word.data [word.len - 1] == 'T')) {
                word.data [--word.len] = 0;   /* drop the t of n't */
                push_english_negation (&b, &word, start, cpi, not_start);
            }
            else
                push_token (&b, digits_only ? KULAK_TOKEN_NUMBER : KULAK_TOKEN_WORD,
                            word.data, word.len, start, cpi);
            continue;
        }
        if (is_emoji (cp)) {
            size_t start_pos = pos;
            uint32_t start = cpi;
            pos += (size_t) n;
            cpi++;
            size_t emoji_end = pos;
            /* Modifiers and ZWJ sequences belong to the first emoji. */
            while (pos < len) {
                int32_t next;
                utf8proc_ssize_t m = utf8proc_iterate (s + pos, (utf8proc_ssize_t) (len - pos),
                                                       &next);
                if (m <= 0 || !(is_emoji_modifier (next) || (is_emoji (next) && cp == 0x200D)))
                    break;
                cp = next;
                pos += (size_t) m;
                cpi++;
            }
            push_token (&b, KULAK_TOKEN_EMOJI, text + start_pos, emoji_end - start_pos,
                        start, cpi);
            continue;
        }
        if (self->emoticons && cp < 0x80 && cp > ' ') {
            size_t found = 0;
            for (size_t l = 12; l >= 2 && !found; l--) {
                if (pos + l > len)
                    continue;
                bool ascii = true;
                for (size_t k = 0; k < l; k++)
                    ascii = ascii && s [pos + k] < 0x80 && s [pos + k] > ' ';
                bool bounded = pos + l == len || !is_word_char (s [pos + l]);
                if (ascii && bounded && kulak_strmap_get (self->emoticons, text + pos, l))
                    found = l;
            }
            if (found) {
                push_token (&b, KULAK_TOKEN_EMOTICON, text + pos, found, cpi,
                            cpi + (uint32_t) found);
                pos += found;
                cpi += (uint32_t) found;
                continue;
            }
        }
        /* Punctuation and space: mark the token before it. */
        switch (cp) {
            case '.': case 0x2026: case 0x3002:
                mark_previous (&b, KULAK_TOKEN_SENTENCE_END);
                break;
            case '\n':
                mark_previous (&b, KULAK_TOKEN_SENTENCE_END);
                break;
            case '!': case 0xA1:
                b.tokens->exclaims++;
                mark_previous (&b, KULAK_TOKEN_SENTENCE_END | KULAK_TOKEN_EXCLAIM);
                break;
            case '?': case 0xBF:
                b.tokens->questions++;
                mark_previous (&b, KULAK_TOKEN_SENTENCE_END | KULAK_TOKEN_QUESTION);
                break;
            case ',': case ';': case ':': case '(': case ')': case 0x2013: case 0x2014:
                mark_previous (&b, KULAK_TOKEN_CLAUSE_END);
                break;
            case '-':
                if (pos > 0 && s [pos - 1] == ' ')
                    mark_previous (&b, KULAK_TOKEN_CLAUSE_END);
                break;
            default:
                break;
        }
        pos += (size_t) n;
        cpi++;
    }
    /* Several sentence ends in a row ("!!!", "...") must count as one sentence break. */
    for (size_t i = 1; i < b.tokens->count; i++) {
        kulak_token_t *t = &b.tokens->items [i];
        kulak_token_t *prev = &b.tokens->items [i - 1];
        t->sentence = (uint16_t) (prev->sentence + ((prev->flags & KULAK_TOKEN_SENTENCE_END) != 0));
        t->clause = (uint16_t) (prev->clause + ((prev->flags & (KULAK_TOKEN_SENTENCE_END
                                                               | KULAK_TOKEN_CLAUSE_END)) != 0));
    }
    if (b.tokens->count)
        b.tokens->items [0].sentence = b.tokens->items [0].clause = 0;
    b.tokens->all_caps = b.letters >= 4 && b.caps_letters * 10 >= b.letters * 8;
    kulak_buf_free (&word);
    return b.tokens;
}

char *
kulak_token_key (const char *word, kulak_lang_t lang)
{
    char *folded = kulak_text_fold (word, lang);
    if (lang != KULAK_LANG_TR)
        return folded;
    char *key = kulak_text_ascii_fold (folded);
    free (folded);
    return key;
}
