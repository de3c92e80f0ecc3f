/*  lexicon.c: loading lexicon files and matching their patterns against tokens
    (see lexicon.h and lexicons/README.md). */
#include "kulak/lexicon.h"
#include "kulak/text.h"
#include "kulak/util.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    uint32_t *items;
    size_t count;
    size_t cap;
} index_list_t;

/* The first words of all patterns in a byte trie: one walk along a token's key finds every
   pattern whose first word is that key (exact) or a prefix of it, with no hashing. */
typedef struct {
    index_list_t exact;          /* patterns whose first word ends here, exact */
    index_list_t prefix;         /* ... as a prefix */
} trie_node_t;

/* Edges of the trie in an open-addressing table keyed by (parent << 8 | byte): one integer
   probe per step, whatever the fan-out. */
typedef struct {
    uint64_t key;                /* (parent << 8 | byte) + 1; 0 marks an empty slot */
    uint32_t child;
} trie_edge_t;

struct kulak_patterns_t {
    kulak_lang_t lang;
    kulak_pattern_t *items;
    size_t count;
    size_t cap;
    trie_node_t *nodes;
    size_t node_count;
    size_t node_cap;
    trie_edge_t *edges;
    size_t edge_cap;             /* power of two */
    size_t edge_count;
    kulak_strmap_t *by_text;     /* pattern text -> index + 1, so a repeated line overrides */
};

kulak_patterns_t *
kulak_patterns_new (kulak_lang_t lang)
{
    kulak_patterns_t *self = kulak_calloc (1, sizeof *self);
    self->lang = lang;
    self->by_text = kulak_strmap_new ();
    self->node_cap = 64;
    self->nodes = kulak_calloc (self->node_cap, sizeof *self->nodes);
    self->node_count = 1;        /* the root */
    self->edge_cap = 256;
    self->edges = kulak_calloc (self->edge_cap, sizeof *self->edges);
    return self;
}


void
kulak_patterns_destroy (kulak_patterns_t **self_p)
{
    kulak_patterns_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->count; i++) {
        kulak_pattern_t *p = &self->items [i];
        for (size_t w = 0; w < p->word_count; w++)
            free (p->words [w]);
        free (p->words);
        free (p->prefix);
        free (p->text);
    }
    free (self->items);
    for (size_t i = 0; i < self->node_count; i++) {
        free (self->nodes [i].exact.items);
        free (self->nodes [i].prefix.items);
    }
    free (self->nodes);
    free (self->edges);
    kulak_strmap_destroy (&self->by_text);
    free (self);
    *self_p = NULL;
}

const kulak_pattern_t *
kulak_patterns_get (const kulak_patterns_t *self, uint32_t index)
{
    return index < self->count ? &self->items [index] : NULL;
}

size_t
kulak_patterns_count (const kulak_patterns_t *self)
{
    return self->count;
}

static void
list_add (index_list_t *list, uint32_t index)
{
    if (list->count == list->cap) {
        list->cap = list->cap ? list->cap * 2 : 2;
        list->items = kulak_realloc (list->items, list->cap * sizeof *list->items);
    }
    list->items [list->count++] = index;
}

static inline size_t
edge_slot (uint64_t key, size_t cap)
{
    return (size_t) ((key * 0x9E3779B97F4A7C15ULL) >> 20) & (cap - 1);
}

static inline uint32_t
trie_child (const kulak_patterns_t *self, uint32_t node, uint8_t byte)
{
    uint64_t key = (((uint64_t) node << 8) | byte) + 1;
    for (size_t i = edge_slot (key, self->edge_cap);; i = (i + 1) & (self->edge_cap - 1)) {
        if (self->edges [i].key == key)
            return self->edges [i].child;
        if (!self->edges [i].key)
            return 0;
    }
}

static void
edge_put (trie_edge_t *edges, size_t cap, uint64_t key, uint32_t child)
{
    size_t i = edge_slot (key, cap);
    while (edges [i].key)
        i = (i + 1) & (cap - 1);
    edges [i].key = key;
    edges [i].child = child;
}

static void
trie_add (kulak_patterns_t *self, const char *word, bool prefix, uint32_t index)
{
    uint32_t node = 0;
    for (const uint8_t *p = (const uint8_t *) word; *p; p++) {
        uint32_t child = trie_child (self, node, *p);
        if (!child) {
            if (self->node_count == self->node_cap) {
                self->node_cap *= 2;
                self->nodes = kulak_realloc (self->nodes, self->node_cap * sizeof *self->nodes);
            }
            child = (uint32_t) self->node_count++;
            memset (&self->nodes [child], 0, sizeof self->nodes [child]);
            if ((self->edge_count + 1) * 2 > self->edge_cap) {
                size_t cap = self->edge_cap * 2;
                trie_edge_t *edges = kulak_calloc (cap, sizeof *edges);
                for (size_t i = 0; i < self->edge_cap; i++)
                    if (self->edges [i].key)
                        edge_put (edges, cap, self->edges [i].key, self->edges [i].child);
                free (self->edges);
                self->edges = edges;
                self->edge_cap = cap;
            }
            edge_put (self->edges, self->edge_cap, (((uint64_t) node << 8) | *p) + 1, child);
            self->edge_count++;
        }
        node = child;
    }
    list_add (prefix ? &self->nodes [node].prefix : &self->nodes [node].exact, index);
}

/* ---- Turkish suffixes --------------------------------------------------------------- */

kulak_suffix_t
kulak_suffix_read (const char *rest)
{
    /* Remainders after a root, without Turkish marks (ı->i, ü->u, ş->s...). */
    static const char *negative_starts [] = {
        "miyor", "muyor", "madi", "medi", "maz", "mez", "mayacak", "meyecek", "mayan",
        "meyen", "mamis", "memis", "madan", "meden", "mayip", "meyip", "mazs", "mezs",
        "yamadi", "yemedi", "amadi", "emedi", "yamiyor", "yemiyor", "amiyor", "emiyor",
        "yamaz", "yemez", "amaz", "emez", "yamayacak", "yemeyecek", "amayacak", "emeyecek",
        "yamamis", "yememis", "amamis", "ememis", "yamayan", "yemeyen", "amayan", "emeyen",
        NULL
    };
    static const char *negative_whole [] = {
        "mam", "mem", "mayiz", "meyiz", "amam", "emem", "yamam", "yemem", "ma", "me",
        "mayin", "meyin", "mayiniz", "meyiniz", NULL
    };
    static const char *privative_starts [] = { "siz", "suz", NULL };
    if (!rest || !*rest)
        return KULAK_SUFFIX_NONE;
    for (const char **s = negative_whole; *s; s++)
        if (strcmp (rest, *s) == 0)
            return KULAK_SUFFIX_NEGATIVE;
    for (const char **s = negative_starts; *s; s++)
        if (strncmp (rest, *s, strlen (*s)) == 0)
            return KULAK_SUFFIX_NEGATIVE;
    for (const char **s = privative_starts; *s; s++)
        if (strncmp (rest, *s, strlen (*s)) == 0)
            return KULAK_SUFFIX_PRIVATIVE;
    return KULAK_SUFFIX_NONE;
}

/* ---- matching ---------------------------------------------------------------------- */

/* Does pattern word `word` match token t? Returns the rest of the token after the word
   (empty for an exact match), or NULL. */
static const char *
word_matches (const char *word, bool prefix, const kulak_token_t *t)
{
    const char *keys [2] = { t->key, t->key1 };
    size_t wl = strlen (word);
    for (int k = 0; k < 2; k++) {
        const char *key = keys [k];
        if (!key)
            continue;
        if (prefix ? strncmp (key, word, wl) == 0 : strcmp (key, word) == 0)
            return key + wl;
    }
    return NULL;
}

typedef struct {
    kulak_match_t *items;
    size_t count;
    size_t cap;
} match_list_t;

static void
try_pattern (const kulak_patterns_t *self, uint32_t index, const kulak_tokens_t *tokens,
             size_t first, const char *rest, bool dedupe, match_list_t *out)
{
    const kulak_pattern_t *p = &self->items [index];
    size_t at = first;
    for (size_t w = 1; w < p->word_count; w++) {
        const char *found = NULL;
        size_t j;
        for (j = at + 1; j < tokens->count && j <= at + 3; j++) {
            if (tokens->items [j].sentence != tokens->items [first].sentence)
                break;
            if ((found = word_matches (p->words [w], p->prefix [w], &tokens->items [j])))
                break;
        }
        if (!found)
            return;
        at = j;
        rest = found;
    }
    /* The same pattern may reach a token through key and key1: keep one. */
    for (size_t i = 0; dedupe && i < out->count; i++)
        if (out->items [i].pattern == index && out->items [i].first == first)
            return;
    if (out->count == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 16;
        out->items = kulak_realloc (out->items, out->cap * sizeof *out->items);
    }
    kulak_match_t *m = &out->items [out->count++];
    m->pattern = index;
    m->first = (uint32_t) first;
    m->last = (uint32_t) at;
    m->suffix = self->lang == KULAK_LANG_TR && p->prefix [p->word_count - 1]
              ? kulak_suffix_read (rest) : KULAK_SUFFIX_NONE;
}

static void
try_list (const kulak_patterns_t *self, const index_list_t *list, const kulak_tokens_t *tokens,
          size_t first, const char *rest, bool dedupe, match_list_t *out)
{
    for (size_t i = 0; i < list->count; i++)
        try_pattern (self, list->items [i], tokens, first, rest, dedupe, out);
}

size_t
kulak_patterns_find (const kulak_patterns_t *self, const kulak_tokens_t *tokens,
                     kulak_match_t **out)
{
    match_list_t found = { NULL, 0, 0 };
    for (size_t i = 0; i < tokens->count; i++) {
        const kulak_token_t *t = &tokens->items [i];
        const char *keys [2] = { t->key, t->key1 };
        for (int k = 0; k < 2; k++) {
            const uint8_t *key = (const uint8_t *) keys [k];
            if (!key)
                continue;
            /* Walk the trie along the key: prefix patterns on the way, exact at the end. */
            uint32_t node = 0;
            const uint8_t *p = key;
            while (*p && (node = trie_child (self, node, *p))) {
                p++;
                const trie_node_t *n = &self->nodes [node];
                if (n->prefix.count)
                    try_list (self, &n->prefix, tokens, i, (const char *) p, k == 1, &found);
                if (!*p && n->exact.count)
                    try_list (self, &n->exact, tokens, i, (const char *) p, k == 1, &found);
            }
        }
    }
    *out = found.items;
    return found.count;
}

/* qsort has no context argument; matching runs in one thread per process. */
static const kulak_patterns_t *s_sort_patterns;
static bool s_sort_per_tag;

static int
compare_for_selection (const void *a, const void *b)
{
    const kulak_match_t *x = a, *y = b;
    const kulak_pattern_t *px = &s_sort_patterns->items [x->pattern];
    const kulak_pattern_t *py = &s_sort_patterns->items [y->pattern];
    if (s_sort_per_tag && px->tag != py->tag)
        return px->tag < py->tag ? -1 : 1;
    if (px->word_count != py->word_count)
        return px->word_count > py->word_count ? -1 : 1;
    if (px->letters != py->letters)
        return px->letters > py->letters ? -1 : 1;
    uint32_t sx = x->last - x->first, sy = y->last - y->first;
    if (sx != sy)
        return sx < sy ? -1 : 1;          /* the tighter phrase first */
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    return x->pattern < y->pattern ? -1 : x->pattern > y->pattern;
}

static int
compare_by_position (const void *a, const void *b)
{
    const kulak_match_t *x = a, *y = b;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    return x->pattern < y->pattern ? -1 : x->pattern > y->pattern;
}

size_t
kulak_matches_select (const kulak_patterns_t *self, kulak_match_t *matches, size_t count,
                      bool per_tag)
{
    if (count == 0)
        return 0;
    s_sort_patterns = self;
    s_sort_per_tag = per_tag;
    qsort (matches, count, sizeof *matches, compare_for_selection);

    uint32_t max_token = 0;
    for (size_t i = 0; i < count; i++)
        if (matches [i].last > max_token)
            max_token = matches [i].last;
    uint8_t *claimed = kulak_calloc (max_token + 1, 1);
    size_t kept = 0;
    int group = per_tag ? self->items [matches [0].pattern].tag : 0;
    for (size_t i = 0; i < count; i++) {
        int tag = self->items [matches [i].pattern].tag;
        if (per_tag && tag != group) {
            memset (claimed, 0, max_token + 1);
            group = tag;
        }
        bool free_span = true;
        for (uint32_t t = matches [i].first; t <= matches [i].last; t++)
            if (claimed [t])
                free_span = false;
        if (!free_span)
            continue;
        for (uint32_t t = matches [i].first; t <= matches [i].last; t++)
            claimed [t] = 1;
        matches [kept++] = matches [i];
    }
    free (claimed);
    qsort (matches, kept, sizeof *matches, compare_by_position);
    return kept;
}

/* ---- parsing ------------------------------------------------------------------------ */

static bool
has_word_char (const char *s)
{
    for (const unsigned char *p = (const unsigned char *) s; *p; p++)
        if (*p >= 0x80 || (*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))
            return true;
    return false;
}

static bool
parse_number (const char *s, float low, float high, float *out)
{
    char *end;
    errno = 0;
    double v = strtod (s, &end);
    while (*end == ' ')
        end++;
    if (errno || end == s || *end || !isfinite (v) || v < low || v > high)
        return false;
    *out = (float) v;
    return true;
}

/* Splits a pattern into token keys; returns false when a word holds nothing to match. */
static bool
pattern_words (kulak_patterns_t *self, const char *pattern, kulak_tokenizer_t *tokenizer,
               kulak_pattern_t *p)
{
    char *copy = kulak_strdup (pattern);
    char *save = NULL;
    size_t cap = 0;
    bool ok = true;
    for (char *word = strtok_r (copy, " \t", &save); word && ok;
         word = strtok_r (NULL, " \t", &save)) {
        size_t wl = strlen (word);
        bool prefix = wl > 1 && word [wl - 1] == '*' && has_word_char (word);
        if (prefix)
            word [--wl] = 0;
        kulak_tokens_t *tokens = kulak_tokenize (tokenizer, word, self->lang);
        if (tokens->count == 0)
            ok = false;
        for (size_t i = 0; i < tokens->count && ok; i++) {
            if (p->word_count == 255) {
                ok = false;
                break;
            }
            if (p->word_count == cap) {
                cap = cap ? cap * 2 : 4;
                p->words = kulak_realloc (p->words, cap * sizeof *p->words);
                p->prefix = kulak_realloc (p->prefix, cap);
            }
            const kulak_token_t *t = &tokens->items [i];
            /* Patterns are written correctly: use the key squeezed as little as possible. */
            p->words [p->word_count] = kulak_strdup (t->key);
            p->prefix [p->word_count] = prefix && i == tokens->count - 1;
            p->letters = (uint16_t) (p->letters + strlen (t->key));
            p->word_count++;
        }
        kulak_tokens_destroy (&tokens);
    }
    free (copy);
    return ok && p->word_count > 0;
}

static int
add_pattern (kulak_patterns_t *self, const char *pattern, float value, int tag, bool exclude,
             int line, kulak_tokenizer_t *tokenizer)
{
    kulak_pattern_t p = { 0 };
    if (!pattern_words (self, pattern, tokenizer, &p)) {
        for (size_t w = 0; w < p.word_count; w++)
            free (p.words [w]);
        free (p.words);
        free (p.prefix);
        return -1;
    }
    p.text = kulak_strdup (pattern);
    p.value = value;
    p.tag = tag;
    p.exclude = exclude;
    p.line = line;

    /* The same pattern again (same tag) overrides the earlier line. */
    char *text_key = kulak_sprintf ("%d\x1f%d\x1f%s", tag, exclude, pattern);
    void **seen = kulak_strmap_get (self->by_text, text_key, strlen (text_key));
    if (seen) {
        kulak_pattern_t *old = &self->items [(uintptr_t) *seen - 1];
        old->value = value;
        old->line = line;
        for (size_t w = 0; w < p.word_count; w++)
            free (p.words [w]);
        free (p.words);
        free (p.prefix);
        free (p.text);
        free (text_key);
        return 0;
    }
    if (self->count == self->cap) {
        self->cap = self->cap ? self->cap * 2 : 256;
        self->items = kulak_realloc (self->items, self->cap * sizeof *self->items);
    }
    uint32_t index = (uint32_t) self->count;
    self->items [self->count++] = p;
    kulak_strmap_put (self->by_text, text_key, strlen (text_key), (void *) (uintptr_t) (index + 1));
    free (text_key);
    trie_add (self, p.words [0], p.prefix [0], index);
    return 0;
}

int
kulak_patterns_parse (kulak_patterns_t *into, const char *text, const char *file_name,
                      char kind, int theme_index, kulak_tokenizer_t *tokenizer,
                      kulak_strmap_t *emoticons, kulak_theme_info_t *info, char **err)
{
    char *copy = kulak_strdup (text);
    char *save = NULL;
    int line_no = 0;
    int rc = 0;
    char *cursor = copy;
    while (cursor && rc == 0) {
        char *line = cursor;
        char *newline = strchr (cursor, '\n');
        if (newline) {
            *newline = 0;
            cursor = newline + 1;
        }
        else
            cursor = NULL;
        line_no++;
        size_t ll = strlen (line);
        if (ll && line [ll - 1] == '\r')
            line [--ll] = 0;
        if (line_no == 1 && strncmp (line, "\xEF\xBB\xBF", 3) == 0)
            line += 3;                       /* byte order mark */
        char *tab = strchr (line, '\t');
        bool looks_like_entry = tab && kind == 's';
        if (kulak_str_empty (line) || (line [0] == '#' && !looks_like_entry))
            continue;
        if (!kulak_text_is_utf8 (line, strlen (line))) {
            *err = kulak_sprintf ("%s:%d: not valid UTF-8; save the file as UTF-8", file_name,
                                  line_no);
            rc = -1;
            break;
        }
        if (line [0] == '@' && kind == 't') {
            char *value = line + strcspn (line, " \t");
            if (*value)
                *value++ = 0;
            kulak_str_trim (value);
            if (info && strcmp (line, "@name_tr") == 0) {
                free (info->name_tr);
                info->name_tr = kulak_strdup (value);
            }
            else if (info && strcmp (line, "@name_en") == 0) {
                free (info->name_en);
                info->name_en = kulak_strdup (value);
            }
            else {
                *err = kulak_sprintf ("%s:%d: unknown header %s (expected @name_tr or @name_en)",
                                      file_name, line_no, line);
                rc = -1;
            }
            continue;
        }
        char *field = tab ? tab + 1 : NULL;
        if (tab)
            *tab = 0;
        char *pattern = kulak_str_trim (line);
        if (field)
            kulak_str_trim (field);
        bool exclude = false;
        if (kind == 't' && pattern [0] == '!') {
            exclude = true;
            pattern = kulak_str_trim (pattern + 1);
        }
        float value = 1.0f;
        int tag = 0;
        const char *problem = NULL;
        switch (kind) {
            case 's':
                if (!field || !parse_number (field, -4, 4, &value))
                    problem = "needs a TAB and a valence between -4 and 4";
                break;
            case 'i':
                if (!field || !parse_number (field, -2, 2, &value))
                    problem = "needs a TAB and a factor between -2 and 2";
                break;
            case 't':
                tag = theme_index;
                if (field && *field && !parse_number (field, 0, 10, &value))
                    problem = "weight must be a number between 0 and 10";
                break;
            case 'n':
                if (field && strcmp (field, "prev") == 0)
                    tag = KULAK_NEGATE_PREV;
                else if (!field || !*field || strcmp (field, "next") == 0)
                    tag = KULAK_NEGATE_NEXT;
                else
                    problem = "scope must be next or prev";
                break;
            default:
                break;
        }
        if (!problem && !*pattern)
            problem = "has no pattern";
        if (!problem && kind == 's' && !has_word_char (pattern) && !strchr (pattern, ' ')
            && emoticons)
            kulak_strmap_put (emoticons, pattern, strlen (pattern), NULL);
        if (!problem && add_pattern (into, pattern, value, tag, exclude, line_no, tokenizer) != 0)
            problem = "has a word with nothing to match (no letters, digits or known emoticon)";
        if (problem) {
            *err = kulak_sprintf ("%s:%d: '%s' %s", file_name, line_no, pattern, problem);
            rc = -1;
        }
    }
    (void) save;
    free (copy);
    return rc;
}

/* ---- loading a language ------------------------------------------------------------ */

static int
load_file (kulak_patterns_t *into, const char *path, char kind, int theme_index,
           kulak_tokenizer_t *tokenizer, kulak_strmap_t *emoticons, kulak_theme_info_t *info,
           bool required, char **err)
{
    char *read_err = NULL;
    char *text = kulak_read_file (path, NULL, &read_err);
    if (!text) {
        if (!required) {
            free (read_err);
            return 0;
        }
        *err = read_err;
        return -1;
    }
    int rc = kulak_patterns_parse (into, text, path, kind, theme_index, tokenizer, emoticons,
                                   info, err);
    free (text);
    return rc;
}

static int
compare_strings (const void *a, const void *b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

void
kulak_lexicon_destroy (kulak_lexicon_t **self_p)
{
    kulak_lexicon_t *self = *self_p;
    if (!self)
        return;
    kulak_patterns_destroy (&self->sentiment);
    kulak_patterns_destroy (&self->themes);
    kulak_patterns_destroy (&self->negators);
    kulak_patterns_destroy (&self->intensifiers);
    kulak_patterns_destroy (&self->contrast);
    kulak_strmap_destroy (&self->stopwords);
    for (size_t i = 0; i < self->theme_count; i++) {
        free (self->theme_info [i].id);
        free (self->theme_info [i].name_tr);
        free (self->theme_info [i].name_en);
    }
    free (self->theme_info);
    free (self);
    *self_p = NULL;
}

kulak_lexicon_t *
kulak_lexicon_load (const char *dir, kulak_lang_t lang, kulak_tokenizer_t *tokenizer,
                    kulak_strmap_t *emoticons, char **err)
{
    kulak_lexicon_t *self = kulak_calloc (1, sizeof *self);
    self->lang = lang;
    self->sentiment = kulak_patterns_new (lang);
    self->themes = kulak_patterns_new (lang);
    self->negators = kulak_patterns_new (lang);
    self->intensifiers = kulak_patterns_new (lang);
    self->contrast = kulak_patterns_new (lang);
    self->stopwords = kulak_strmap_new ();
    const char *code = kulak_lang_name (lang);
    char *path = NULL;
    int rc = 0;
    *err = NULL;

    kulak_tokenizer_set_emoticons (tokenizer, emoticons);
    struct { const char *name; char kind; kulak_patterns_t *into; bool required; } files [] = {
        { "sentiment.txt", 's', self->sentiment, true },
        { "negators.txt", 'n', self->negators, true },
        { "intensifiers.txt", 'i', self->intensifiers, true },
        { "contrast.txt", 'c', self->contrast, false },
    };
    /* Emoji valences are shared by every language. */
    path = kulak_sprintf ("%s/emoji.txt", dir);
    rc = load_file (self->sentiment, path, 's', 0, tokenizer, emoticons, NULL, false, err);
    free (path);
    for (size_t i = 0; rc == 0 && i < sizeof files / sizeof files [0]; i++) {
        path = kulak_sprintf ("%s/%s/%s", dir, code, files [i].name);
        rc = load_file (files [i].into, path, files [i].kind, 0, tokenizer, emoticons, NULL,
                        files [i].required, err);
        free (path);
    }
    if (rc == 0) {
        path = kulak_sprintf ("%s/%s/stopwords.txt", dir, code);
        char *text = kulak_read_file (path, NULL, NULL);
        for (char *save = NULL, *word = text ? strtok_r (text, "\r\n", &save) : NULL; word;
             word = strtok_r (NULL, "\r\n", &save)) {
            kulak_str_trim (word);
            if (*word && *word != '#') {
                char *key = kulak_token_key (word, lang);
                kulak_strmap_put (self->stopwords, key, strlen (key), NULL);
                free (key);
            }
        }
        free (text);
        free (path);
    }
    /* Themes: every <id>.txt in <dir>/<lang>/themes, in name order so indexes are stable. */
    char *theme_dir = kulak_sprintf ("%s/%s/themes", dir, code);
    DIR *d = rc == 0 ? opendir (theme_dir) : NULL;
    if (rc == 0 && !d) {
        *err = kulak_sprintf ("%s: %s (is --lexicons pointing at kulak's lexicons folder?)",
                              theme_dir, strerror (errno));
        rc = -1;
    }
    char **names = NULL;
    size_t name_count = 0;
    for (struct dirent *entry; d && (entry = readdir (d));) {
        if (entry->d_name [0] == '.' || !kulak_str_ends_with (entry->d_name, ".txt"))
            continue;
        names = kulak_realloc (names, (name_count + 1) * sizeof *names);
        names [name_count++] = kulak_strdup (entry->d_name);
    }
    if (d)
        closedir (d);
    if (name_count)
        qsort (names, name_count, sizeof *names, compare_strings);
    self->theme_info = kulak_calloc (name_count, sizeof *self->theme_info);
    for (size_t i = 0; i < name_count; i++) {
        if (rc == 0) {
            kulak_theme_info_t *info = &self->theme_info [self->theme_count++];
            info->id = kulak_strndup (names [i], strlen (names [i]) - 4);
            path = kulak_sprintf ("%s/%s", theme_dir, names [i]);
            rc = load_file (self->themes, path, 't', (int) i, tokenizer, emoticons, info, true,
                            err);
            free (path);
            if (!info->name_tr)
                info->name_tr = kulak_strdup (info->id);
            if (!info->name_en)
                info->name_en = kulak_strdup (info->id);
        }
        free (names [i]);
    }
    free (names);
    free (theme_dir);
    if (rc != 0) {
        kulak_lexicon_destroy (&self);
        return NULL;
    }
    return self;
}

char *
kulak_lexicon_default_dir (void)
{
    const char *env = getenv ("KULAK_LEXICONS");
    if (env && *env)
        return kulak_strdup (env);
    char *exe = kulak_exe_dir ();
    char *dir = kulak_sprintf ("%s/../lexicons", exe);
    free (exe);
    struct stat st;
    if (stat (dir, &st) != 0) {
        free (dir);
        dir = kulak_strdup ("lexicons");
    }
    return dir;
}
