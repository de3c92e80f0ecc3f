/*  lexicon.c: loading lexicon files and matching their patterns against tokens
    (see lexicon.h and lexicons/README.md).

    Every record is matched against five pattern sets (sentiment, themes, negators,
    intensifiers, contrast). Each set keeps an index of its patterns' first words, rebuilt
    after every file it reads, and a loaded lexicon also keeps one index over all five
    (the merged set), so kulak_lexicon_find walks the tokens once for all of them:
    - exact first words in a hash table keyed by kulak_token_key_hash, which the tokenizer
      already computed for every token: one probe per token (the merged set's table also
      holds the stopwords, so that probe tells the model which tokens are stopwords);
    - prefix first words (`fatura*`) in a small byte trie with the children of a node side
      by side, walked along the token's key only as far as some prefix word goes; a bit set
      of the prefix words' first three bytes turns most keys away before the walk.
    Matches come out in the order the single trie of all first words gave them: per token,
    key before key1; per key, prefix patterns from the shortest prefix on, then the exact
    ones; per word, in pattern order. */
#include "kulak/lexicon.h"
#include "kulak/model.h"
#include "kulak/text.h"
#include "kulak/util.h"
#include "bytes.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A pattern word as lookups compare it. */
typedef struct {
    const char *word;
    uint32_t hash;               /* kulak_token_key_hash */
    uint32_t len;
    bool prefix;
} word_key_t;

/* A pattern in a first-word list, with what its second word needs to be found among the
   next tokens: a bit of that word's hash (exact) or of its first byte (prefix); and what
   its further words need to be found in the rest of the clause (clause_bit_*), so that
   "do not waste your money" is not tried wherever "do not" is. */
enum { SECOND_NONE = 0, SECOND_EXACT, SECOND_PREFIX };
typedef struct {
    uint32_t pattern;
    uint32_t first_word;         /* into word_keys */
    uint8_t second;
    uint8_t bit;
    uint8_t word_count;
    uint8_t last_prefix : 1;     /* the last word is a prefix: read the Turkish suffix */
    uint8_t adjacent : 1;        /* a quoted phrase: no tokens between its words */
    uint32_t later_hashes;       /* clause_bit_hash of the exact words from the third on */
    uint32_t later_bytes;        /* clause_bit_byte of the prefix words from the third on */
} list_entry_t;

static inline uint8_t
hash_bit (uint32_t hash)
{
    return (uint8_t) (hash >> 26);
}

/* The bits of a word in the masks of a clause's words: fewer than a window's (a clause has
   more words, and it is asked about a pattern's third word only). */
static inline uint32_t
clause_bit_hash (uint32_t hash)
{
    return 1u << (hash >> 27);
}

static inline uint32_t
clause_bit_byte (uint8_t byte)
{
    return 1u << (byte & 31);
}

/* A list of several patterns (many start with "not", "no", "never"; a few with most common
   words) with its phrases grouped by the bit their second word needs, so that only the
   groups the next tokens offer are tried instead of every phrase. The list's entries are
   reordered: one-word patterns first, then the groups of exact second words by bit, then
   those of prefix second words by bit. From four entries on the directory costs less than
   the walk: it was sixteen, and the walk of the shorter lists of common first words, about
   ten a text, was 4% of tagging (a few hundred directories more, some 200 KiB). */
#define DIR_MIN 4               /* lists this long get a directory */
typedef struct {
    uint32_t singles;            /* entries [0, singles) have one word */
    uint64_t exact_bits;         /* groups that are not empty */
    uint64_t prefix_bits;
    uint32_t exact_start [65];   /* group b: [exact_start [b], exact_start [b + 1]) */
    uint32_t prefix_start [65];
} list_dir_t;

/* A slot of the exact first-word table holds what a lookup needs in one cache line's half:
   the hash, the patterns, whether the word is a stopword, whether a prefix word may start
   it, and the word's first bytes (all of most words). */
#define SLOT_HEAD 11
typedef struct {
    uint32_t tag;                /* the word's hash; 0 marks an empty slot */
    uint32_t list;               /* into lists */
    uint32_t count;              /* 0: a stopword that starts no pattern */
    uint32_t entry;              /* for the rest of a word longer than SLOT_HEAD */
    uint32_t len;
    uint8_t stopword : 1;        /* (a merged set's: see merged_new) */
    uint8_t prefixed : 1;        /* trie_start gives the word a node: a key found here that
                                    is not asks nothing of the trie */
    char head [SLOT_HEAD];
} exact_slot_t;

_Static_assert (sizeof (exact_slot_t) == 32, "two exact slots per cache line");

/* A distinct exact first word and the patterns that start with it, in pattern order; or a
   stopword (of a merged set). */
typedef struct {
    const char *word;
    uint32_t len;
    uint32_t list;               /* into lists */
    uint32_t count;
    bool stopword;
} exact_entry_t;

/* A node of the prefix trie. The children of a node are consecutive nodes, by byte. */
typedef struct {
    uint32_t children;
    uint32_t list;               /* prefix patterns whose first word ends here, into lists */
    uint32_t count;
    uint16_t child_count;
    uint8_t byte;                /* the byte leading here from the parent */
} prefix_node_t;

struct kulak_patterns_t {
    kulak_lang_t lang;
    kulak_pattern_t *items;
    size_t count;
    size_t cap;
    kulak_strmap_t *by_text;     /* pattern text -> index + 1, so a repeated line overrides */
    /* The index of first words (index_build). */
    word_key_t *word_keys;       /* every word of every pattern */
    uint32_t *first_word;        /* per pattern: its first word in word_keys */
    exact_slot_t *slots;         /* NULL when no pattern starts with an exact word */
    uint32_t slot_mask;
    uint64_t *filter;            /* a bit per filter_bit of each exact first word: most
                                    tokens are turned away here, in a few KiB */
    uint32_t filter_shift;
    exact_entry_t *entries;
    size_t entry_count;
    prefix_node_t *nodes;        /* [0] is the root; NULL when no prefix first words */
    size_t node_count;
    uint32_t root [256];         /* the root's children by byte; 0: none */
    uint64_t prefix_trigrams [512];  /* a bit per trigram_bit of the first three bytes of
                                    each prefix word (of a word of two, every third byte):
                                    the walk along most keys whose first byte has a child
                                    found nothing, and those are turned away here */
    list_entry_t *lists;
    uint32_t *dir_at;            /* per list start: its directory + 1, or 0 */
    list_dir_t *dirs;
    size_t dir_count;
    /* A lexicon's merged set (merged_new): its patterns are those of the lexicon's sets,
       whose words it borrows; set_of and index_in_set say where each one comes from. */
    bool borrows_words;
    uint8_t *set_of;
    uint32_t *index_in_set;
    /* The lexicon's stopwords, which a merged set's exact first words also hold (as
       entries of no patterns when they start none), so one probe per token finds a token's
       patterns and whether it is a stopword: find_matches marks them for the model. */
    const kulak_strmap_t *stopwords;
    /* Names this index in the tokens' memos (find_matches): another on every index_build,
       so a memo of an index gone or rebuilt is never read. */
    uint32_t memo_id;
};

static uint32_t s_memo_ids;

kulak_patterns_t *
kulak_patterns_new (kulak_lang_t lang)
{
    kulak_patterns_t *self = kulak_calloc (1, sizeof *self);
    self->lang = lang;
    self->by_text = kulak_strmap_new ();
    return self;
}

static void
index_free (kulak_patterns_t *self)
{
    free (self->word_keys);
    free (self->first_word);
    free (self->slots);
    free (self->filter);
    free (self->entries);
    free (self->nodes);
    free (self->lists);
    free (self->dir_at);
    free (self->dirs);
    self->word_keys = NULL;
    self->first_word = NULL;
    self->slots = NULL;
    self->filter = NULL;
    self->entries = NULL;
    self->nodes = NULL;
    self->lists = NULL;
    self->dir_at = NULL;
    self->dirs = NULL;
    self->dir_count = 0;
    self->entry_count = self->node_count = 0;
    self->slot_mask = 0;
    memset (self->root, 0, sizeof self->root);
    memset (self->prefix_trigrams, 0, sizeof self->prefix_trigrams);
}

void
kulak_patterns_destroy (kulak_patterns_t **self_p)
{
    kulak_patterns_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->count && !self->borrows_words; i++) {
        kulak_pattern_t *p = &self->items [i];
        for (size_t w = 0; w < p->word_count; w++)
            free (p->words [w]);
        free (p->words);
        free (p->prefix);
        free (p->text);
    }
    free (self->items);
    free (self->set_of);
    free (self->index_in_set);
    index_free (self);
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

/* ---- the index ---------------------------------------------------------------------- */

/* The bit of prefix_trigrams for a key's first three bytes: the low five bits of each,
   which tell the ASCII letters apart. (Keyed by the first two bytes, the bit set let one
   English key in three through to the walk, and 98 in 100 of those walks found nothing.) */
static inline uint32_t
trigram_bit (uint8_t first, uint8_t second, uint8_t third)
{
    return (uint32_t) (first & 31) << 10 | (uint32_t) (second & 31) << 5 | (third & 31);
}

/* The filter bit of a word hash: other bits than the slot's. */
static inline uint32_t
filter_bit (uint32_t hash, uint32_t shift)
{
    return (hash * 0x9E3779B1u) >> shift;
}

typedef struct {
    const char *word;
    size_t len;
    uint32_t index;
} prefix_word_t;

static int
compare_prefix_words (const void *a, const void *b)
{
    const prefix_word_t *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp (x->word, y->word, n);
    if (c)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static list_entry_t
list_entry (const kulak_patterns_t *self, uint32_t index)
{
    const kulak_pattern_t *p = &self->items [index];
    list_entry_t entry = { index, self->first_word [index], SECOND_NONE, 0, p->word_count,
                           p->prefix [p->word_count - 1], p->adjacent, 0, 0 };
    if (self->items [index].word_count > 1) {
        const word_key_t *second = &self->word_keys [self->first_word [index] + 1];
        entry.second = second->prefix ? SECOND_PREFIX : SECOND_EXACT;
        entry.bit = second->prefix ? (uint8_t) (second->word [0] & 63) : hash_bit (second->hash);
    }
    for (size_t w = 2; w < p->word_count; w++) {
        const word_key_t *key = &self->word_keys [self->first_word [index] + w];
        if (!key->prefix)
            entry.later_hashes |= clause_bit_hash (key->hash);
        else if (key->len)               /* (an empty prefix would match any token) */
            entry.later_bytes |= clause_bit_byte ((uint8_t) key->word [0]);
    }
    return entry;
}

/* Builds the trie from the prefix words, sorted, breadth first: a node's children are
   allocated side by side when the node is filled, and filled in their turn. A node stands
   for words [lo, hi), which share their first `depth` bytes: those that end there (in
   pattern order) go to its list, the longer ones to a child per next byte. */
typedef struct {
    uint32_t node;
    uint32_t lo;
    uint32_t hi;
    uint32_t depth;
} trie_work_t;

static void
trie_build (kulak_patterns_t *self, const prefix_word_t *words, size_t count,
            size_t list_count, size_t max_nodes)
{
    trie_work_t *queue = kulak_malloc (max_nodes * sizeof *queue);
    size_t head = 0, tail = 0;
    self->node_count = 1;
    queue [tail++] = (trie_work_t) { 0, 0, (uint32_t) count, 0 };
    while (head < tail) {
        trie_work_t w = queue [head++];
        prefix_node_t *node = &self->nodes [w.node];
        size_t i = w.lo;
        node->list = (uint32_t) list_count;
        for (; i < w.hi && words [i].len == w.depth; i++)
            self->lists [list_count++] = list_entry (self, words [i].index);
        node->count = (uint32_t) (list_count - node->list);
        node->children = (uint32_t) self->node_count;
        for (size_t k = i; k < w.hi;) {
            uint8_t byte = (uint8_t) words [k].word [w.depth];
            size_t end = k;
            while (end < w.hi && (uint8_t) words [end].word [w.depth] == byte)
                end++;
            uint32_t child = (uint32_t) self->node_count++;
            self->nodes [child].byte = byte;
            node->child_count++;
            queue [tail++] = (trie_work_t) { child, (uint32_t) k, (uint32_t) end, w.depth + 1 };
            k = end;
        }
    }
    free (queue);
}

/* The group of an entry in a directory's order: one-word patterns, exact second words by
   bit, prefix second words by bit. */
static unsigned
dir_group (const list_entry_t *e)
{
    return e->second == SECOND_NONE ? 0 : e->second == SECOND_EXACT ? 1 + e->bit : 65 + e->bit;
}

/* Gives the list [list, list + count) a directory when it is long (see list_dir_t). */
static void
dir_build (kulak_patterns_t *self, uint32_t list, uint32_t count)
{
    if (count < DIR_MIN)
        return;
    uint32_t size [129] = { 0 };
    for (uint32_t i = 0; i < count; i++)
        size [dir_group (&self->lists [list + i])]++;
    uint32_t start [130];
    start [0] = 0;
    for (unsigned g = 0; g < 129; g++)
        start [g + 1] = start [g] + size [g];
    list_entry_t *sorted = kulak_malloc (count * sizeof *sorted);
    uint32_t fill [129];
    memcpy (fill, start, sizeof fill);
    for (uint32_t i = 0; i < count; i++)     /* stable: pattern order within a group */
        sorted [fill [dir_group (&self->lists [list + i])]++] = self->lists [list + i];
    memcpy (&self->lists [list], sorted, count * sizeof *sorted);
    free (sorted);

    self->dirs = kulak_realloc (self->dirs, (self->dir_count + 1) * sizeof *self->dirs);
    list_dir_t *dir = &self->dirs [self->dir_count++];
    memset (dir, 0, sizeof *dir);
    dir->singles = start [1];
    for (unsigned b = 0; b <= 64; b++) {
        dir->exact_start [b] = start [1 + b];
        dir->prefix_start [b] = start [65 + b];
    }
    for (unsigned b = 0; b < 64; b++) {
        dir->exact_bits |= (uint64_t) (size [1 + b] > 0) << b;
        dir->prefix_bits |= (uint64_t) (size [65 + b] > 0) << b;
    }
    self->dir_at [list] = (uint32_t) self->dir_count;
}

/* Rebuilds the index over all patterns (after every file: a set is read, then matched). */
static inline uint32_t trie_start (const kulak_patterns_t *self, const char *key, uint32_t len);

static void
index_build (kulak_patterns_t *self)
{
    index_free (self);
    self->memo_id = __atomic_add_fetch (&s_memo_ids, 1, __ATOMIC_RELAXED);
    size_t word_total = 0;
    for (size_t i = 0; i < self->count; i++)
        word_total += self->items [i].word_count;
    self->word_keys = kulak_malloc ((word_total + 1) * sizeof *self->word_keys);
    self->first_word = kulak_malloc ((self->count + 1) * sizeof *self->first_word);
    self->lists = kulak_malloc ((self->count + 1) * sizeof *self->lists);
    size_t w = 0, prefix_count = 0;
    for (size_t i = 0; i < self->count; i++) {
        const kulak_pattern_t *p = &self->items [i];
        self->first_word [i] = (uint32_t) w;
        for (size_t k = 0; k < p->word_count; k++, w++) {
            size_t len = strlen (p->words [k]);
            self->word_keys [w].word = p->words [k];
            self->word_keys [w].len = (uint32_t) len;
            self->word_keys [w].hash = kulak_token_key_hash (p->words [k], len);
            self->word_keys [w].prefix = p->prefix [k];
        }
        prefix_count += p->prefix [0];
    }

    /* Exact first words: entries in order of first appearance, lists in pattern order. */
    kulak_strmap_t *entry_of = kulak_strmap_new ();
    uint32_t *entry_by_pattern = kulak_malloc ((self->count + 1) * sizeof *entry_by_pattern);
    size_t stopword_count = self->stopwords ? kulak_strmap_size (self->stopwords) : 0;
    self->entries = kulak_malloc ((self->count + stopword_count + 1) * sizeof *self->entries);
    for (size_t i = 0; i < self->count; i++) {
        const kulak_pattern_t *p = &self->items [i];
        if (p->prefix [0])
            continue;
        const word_key_t *key = &self->word_keys [self->first_word [i]];
        void **slot = kulak_strmap_get (entry_of, p->words [0], key->len);
        if (!slot) {
            exact_entry_t *e = &self->entries [self->entry_count];
            e->word = p->words [0];
            e->len = key->len;
            e->count = 0;
            e->stopword = false;
            slot = kulak_strmap_put (entry_of, p->words [0], key->len,
                                     (void *) (uintptr_t) self->entry_count++);
        }
        entry_by_pattern [i] = (uint32_t) (uintptr_t) *slot;
        self->entries [entry_by_pattern [i]].count++;
    }
    /* Stopwords after the patterns' words: flagged where they are one, else entries of
       their own, which start no pattern (their lists are empty). */
    size_t cursor = 0;
    const char *stopword;
    while (self->stopwords && kulak_strmap_next (self->stopwords, &cursor, &stopword, NULL)) {
        size_t len = strlen (stopword);
        void **slot = kulak_strmap_get (entry_of, stopword, len);
        if (slot) {
            self->entries [(uintptr_t) *slot].stopword = true;
            continue;
        }
        exact_entry_t *e = &self->entries [self->entry_count];
        e->word = stopword;
        e->len = (uint32_t) len;
        e->count = 0;
        e->stopword = true;
        kulak_strmap_put (entry_of, stopword, len, (void *) (uintptr_t) self->entry_count++);
    }
    size_t list_count = 0;
    for (size_t e = 0; e < self->entry_count; e++) {
        self->entries [e].list = (uint32_t) list_count;
        list_count += self->entries [e].count;
        self->entries [e].count = 0;
    }
    for (size_t i = 0; i < self->count; i++) {
        if (self->items [i].prefix [0])
            continue;
        exact_entry_t *e = &self->entries [entry_by_pattern [i]];
        self->lists [e->list + e->count++] = list_entry (self, (uint32_t) i);
    }
    free (entry_by_pattern);
    kulak_strmap_destroy (&entry_of);
    if (self->entry_count) {
        size_t cap = 8;
        while (cap < self->entry_count * 2)
            cap *= 2;
        self->slots = kulak_calloc (cap, sizeof *self->slots);
        self->slot_mask = (uint32_t) (cap - 1);
        /* Eight filter bits per word (at least 64): about one in eight others passes. */
        size_t bits = 64;
        uint32_t shift = 26;
        while (bits < self->entry_count * 8 && shift > 1) {
            bits *= 2;
            shift--;
        }
        self->filter = kulak_calloc (bits / 64, sizeof *self->filter);
        self->filter_shift = shift;
        for (size_t e = 0; e < self->entry_count; e++) {
            const exact_entry_t *entry = &self->entries [e];
            uint32_t hash = kulak_token_key_hash (entry->word, entry->len);
            uint32_t s = (hash >> 1) & self->slot_mask;
            while (self->slots [s].tag)
                s = (s + 1) & self->slot_mask;
            exact_slot_t *slot = &self->slots [s];
            slot->tag = hash;
            slot->list = entry->list;
            slot->count = entry->count;
            slot->entry = (uint32_t) e;
            slot->len = entry->len;
            slot->stopword = entry->stopword;
            memcpy (slot->head, entry->word, entry->len < SLOT_HEAD ? entry->len : SLOT_HEAD);
            uint32_t bit = filter_bit (hash, shift);
            self->filter [bit / 64] |= 1ULL << (bit % 64);
        }
    }

    /* Prefix first words: the trie, built from the words sorted. */
    if (prefix_count) {
        prefix_word_t *words = kulak_malloc (prefix_count * sizeof *words);
        size_t n = 0, bytes = 0;
        for (size_t i = 0; i < self->count; i++)
            if (self->items [i].prefix [0]) {
                words [n].word = self->items [i].words [0];
                words [n].len = self->word_keys [self->first_word [i]].len;
                words [n].index = (uint32_t) i;
                bytes += words [n].len;
                n++;
            }
        qsort (words, n, sizeof *words, compare_prefix_words);
        /* a node per byte at most */
        self->nodes = kulak_calloc (bytes + 1, sizeof *self->nodes);
        trie_build (self, words, n, list_count, bytes + 1);
        for (uint32_t c = 0; c < self->nodes [0].child_count; c++) {
            uint32_t child = self->nodes [0].children + c;
            self->root [self->nodes [child].byte] = child;
        }
        /* (a word of one byte is its node's count, which trie_start asks first) */
        for (size_t k = 0; k < n; k++) {
            const uint8_t *w = (const uint8_t *) words [k].word;
            uint32_t thirds = words [k].len >= 3 ? 1 : words [k].len == 2 ? 32 : 0;
            for (uint32_t third = 0; third < thirds; third++) {
                uint32_t bit = trigram_bit (w [0], w [1], thirds == 1 ? w [2] : (uint8_t) third);
                self->prefix_trigrams [bit / 64] |= 1ULL << (bit % 64);
            }
        }
        free (words);
    }

    for (size_t s = 0; self->slots && s <= self->slot_mask; s++)
        if (self->slots [s].tag) {
            const exact_entry_t *entry = &self->entries [self->slots [s].entry];
            self->slots [s].prefixed = entry->len && trie_start (self, entry->word, entry->len);
        }

    self->dir_at = kulak_calloc (self->count + 1, sizeof *self->dir_at);
    for (size_t e = 0; e < self->entry_count; e++)
        dir_build (self, self->entries [e].list, self->entries [e].count);
    for (size_t n = 0; n < self->node_count; n++)
        dir_build (self, self->nodes [n].list, self->nodes [n].count);
}

/* ---- Turkish suffixes --------------------------------------------------------------- */

/* The remainders after a root that kulak_suffix_read knows, without Turkish marks (ı->i,
   ü->u, ş->s...); the present tense also as spoken, without its r ("beğenmiyom",
   "ulaşamıyodum"). Grouped by their first letter, each group ends with a NULL text: a
   remainder is looked for in its letter's group alone (it is read for most matches of a
   Turkish prefix pattern, and a walk over every form was a fiftieth of tagging). */
typedef struct {
    const char *text;
    uint8_t len;
    bool whole;                  /* the whole remainder; else the start of it */
} suffix_form_t;

#define SUFFIX_START(text) { text, sizeof text - 1, false }
#define SUFFIX_WHOLE(text) { text, sizeof text - 1, true }
#define SUFFIX_END { NULL, 0, false }

static const suffix_form_t s_negative_m [] = {
    SUFFIX_WHOLE ("mam"), SUFFIX_WHOLE ("mem"), SUFFIX_WHOLE ("mayiz"), SUFFIX_WHOLE ("meyiz"),
    SUFFIX_WHOLE ("ma"), SUFFIX_WHOLE ("me"), SUFFIX_WHOLE ("mayin"), SUFFIX_WHOLE ("meyin"),
    SUFFIX_WHOLE ("mayiniz"), SUFFIX_WHOLE ("meyiniz"),
    SUFFIX_START ("miyo"), SUFFIX_START ("muyo"), SUFFIX_START ("madi"), SUFFIX_START ("medi"),
    SUFFIX_START ("maz"), SUFFIX_START ("mez"), SUFFIX_START ("mayacak"),
    SUFFIX_START ("meyecek"), SUFFIX_START ("mayan"), SUFFIX_START ("meyen"),
    SUFFIX_START ("mamis"), SUFFIX_START ("memis"), SUFFIX_START ("madan"),
    SUFFIX_START ("meden"), SUFFIX_START ("mayip"), SUFFIX_START ("meyip"),
    SUFFIX_START ("mazs"), SUFFIX_START ("mezs"), SUFFIX_END
};
static const suffix_form_t s_negative_y [] = {
    SUFFIX_WHOLE ("yamam"), SUFFIX_WHOLE ("yemem"),
    SUFFIX_START ("yamadi"), SUFFIX_START ("yemedi"), SUFFIX_START ("yamiyo"),
    SUFFIX_START ("yemiyo"), SUFFIX_START ("yamaz"), SUFFIX_START ("yemez"),
    SUFFIX_START ("yamayacak"), SUFFIX_START ("yemeyecek"), SUFFIX_START ("yamamis"),
    SUFFIX_START ("yememis"), SUFFIX_START ("yamayan"), SUFFIX_START ("yemeyen"), SUFFIX_END
};
static const suffix_form_t s_negative_a [] = {
    SUFFIX_WHOLE ("amam"),
    SUFFIX_START ("amadi"), SUFFIX_START ("amiyo"), SUFFIX_START ("amaz"),
    SUFFIX_START ("amayacak"), SUFFIX_START ("amamis"), SUFFIX_START ("amayan"), SUFFIX_END
};
static const suffix_form_t s_negative_e [] = {
    SUFFIX_WHOLE ("emem"),
    SUFFIX_START ("emedi"), SUFFIX_START ("emiyo"), SUFFIX_START ("emez"),
    SUFFIX_START ("emeyecek"), SUFFIX_START ("ememis"), SUFFIX_START ("emeyen"), SUFFIX_END
};
static const suffix_form_t s_privative [] = {
    SUFFIX_START ("siz"), SUFFIX_START ("suz"), SUFFIX_END
};

/* Whether a remainder of `len` bytes is one of the forms of a group. */
static bool
suffix_in (const char *rest, size_t len, const suffix_form_t *forms)
{
    for (; forms->text; forms++)
        if ((forms->whole ? len == forms->len : len >= forms->len)
            && rest [1] == forms->text [1] && kulak_bytes_equal (rest, forms->text, forms->len))
            return true;
    return false;
}

kulak_suffix_t
kulak_suffix_read (const char *rest)
{
    if (!rest)
        return KULAK_SUFFIX_NONE;
    const suffix_form_t *negative;
    switch (rest [0]) {
        case 'm': negative = s_negative_m; break;
        case 'y': negative = s_negative_y; break;
        case 'a': negative = s_negative_a; break;
        case 'e': negative = s_negative_e; break;
        case 's':
            return suffix_in (rest, strlen (rest), s_privative) ? KULAK_SUFFIX_PRIVATIVE
                                                               : KULAK_SUFFIX_NONE;
        default: return KULAK_SUFFIX_NONE;   /* most remainders, the empty one too */
    }
    return suffix_in (rest, strlen (rest), negative) ? KULAK_SUFFIX_NEGATIVE : KULAK_SUFFIX_NONE;
}

/* ---- matching ---------------------------------------------------------------------- */

/* Bytes and hash of a token's key: the tokenizer's, or computed for a hand-made token. */
static inline uint32_t
key_len_of (const kulak_token_t *t)
{
    return t->key_hash ? t->key_len : (uint32_t) strlen (t->key);
}

/* Does pattern word `wk` match token t? Returns the rest of the token after the word
   (empty for an exact match), or NULL. */
static inline const char *
word_matches (const word_key_t *wk, const kulak_token_t *t)
{
    uint32_t len = key_len_of (t);
    if (wk->prefix) {
        if (len >= wk->len && kulak_bytes_equal (t->key, wk->word, wk->len))
            return t->key + wk->len;
    }
    else if (len == wk->len && (!t->key_hash || t->key_hash == wk->hash)
             && kulak_bytes_equal (t->key, wk->word, len))
        return t->key + len;
    if (t->key1) {
        size_t len1 = strlen (t->key1);
        if (wk->prefix ? len1 >= wk->len && kulak_bytes_equal (t->key1, wk->word, wk->len)
                       : len1 == wk->len && kulak_bytes_equal (t->key1, wk->word, len1))
            return t->key1 + wk->len;
    }
    return NULL;
}

typedef struct {
    kulak_match_t *items;
    size_t count;
    size_t cap;
    kulak_match_t *stack;        /* the caller's first items, not to be freed; or NULL */
} match_list_t;

/* What the (up to three) tokens after a first word offer a phrase's second word, as bits:
   a phrase whose second word's bit is missing cannot match there. And what the rest of
   the clause offers its further words, asked for only by a phrase of three words or more
   whose second word is offered. */
typedef struct {
    bool ready;
    bool clause_ready;
    uint64_t hashes;             /* hash_bit of each key (and key1) */
    uint64_t bytes;              /* first byte of each, & 63 */
    uint32_t clause_hashes;      /* clause_bit_hash of each key (and key1) to the clause's end */
    uint32_t clause_bytes;       /* clause_bit_byte of the first byte of each */
} window_t;

/* window_fill and clause_fill for any tokens: one made by hand may lack key_hash, and
   key1 is rare. Out of line, so that the common case calls nothing. */
static __attribute__ ((noinline)) void
window_fill_any (window_t *window, const kulak_tokens_t *tokens, size_t first)
{
    uint64_t hashes = 0, bytes = 0;
    uint16_t clause = tokens->items [first].clause;
    size_t end = first + 4 < tokens->count ? first + 4 : tokens->count;
    for (size_t j = first + 1; j < end; j++) {
        const kulak_token_t *t = &tokens->items [j];
        if (t->clause != clause)
            break;
        if (t->key) {
            uint32_t hash = t->key_hash ? t->key_hash
                                        : kulak_token_key_hash (t->key, strlen (t->key));
            hashes |= 1ULL << hash_bit (hash);
            bytes |= 1ULL << ((uint8_t) t->key [0] & 63);
        }
        if (t->key1) {
            hashes |= 1ULL << hash_bit (kulak_token_key_hash (t->key1, strlen (t->key1)));
            bytes |= 1ULL << ((uint8_t) t->key1 [0] & 63);
        }
    }
    window->hashes = hashes;
    window->bytes = bytes;
}

static __attribute__ ((noinline)) void
clause_fill_any (window_t *window, const kulak_tokens_t *tokens, size_t first)
{
    uint32_t hashes = 0, bytes = 0;
    uint16_t clause = tokens->items [first].clause;
    for (size_t j = first + 1; j < tokens->count && tokens->items [j].clause == clause; j++) {
        const kulak_token_t *t = &tokens->items [j];
        if (t->key) {
            uint32_t hash = t->key_hash ? t->key_hash
                                        : kulak_token_key_hash (t->key, strlen (t->key));
            hashes |= clause_bit_hash (hash);
            bytes |= clause_bit_byte ((uint8_t) t->key [0]);
        }
        if (t->key1) {
            hashes |= clause_bit_hash (kulak_token_key_hash (t->key1, strlen (t->key1)));
            bytes |= clause_bit_byte ((uint8_t) t->key1 [0]);
        }
    }
    window->clause_hashes = hashes;
    window->clause_bytes = bytes;
}

/* The window of the (up to three) tokens after `first`, in its clause. Tokens the
   tokenizer hashed, without a key1, take the short loop; any other hands the window to
   window_fill_any. (A token the tokenizer hashed has a key.) */
static inline __attribute__ ((always_inline)) void
window_fill (window_t *window, const kulak_tokens_t *tokens, size_t first)
{
    window->ready = true;
    uint64_t hashes = 0, bytes = 0;
    /* A phrase stays inside one clause: "good at size, value" is not "good value". */
    const kulak_token_t *t = &tokens->items [first];
    const kulak_token_t *end = first + 4 < tokens->count ? t + 4 : tokens->items + tokens->count;
    uint16_t clause = t->clause;
    for (t++; t < end && t->clause == clause; t++) {
        if (__builtin_expect (!t->key_hash || t->key1, 0)) {
            window_fill_any (window, tokens, first);
            return;
        }
        hashes |= 1ULL << hash_bit (t->key_hash);
        bytes |= 1ULL << ((uint8_t) t->key [0] & 63);
    }
    window->hashes = hashes;
    window->bytes = bytes;
}

/* What the rest of the clause after `first` offers; the short loop as in window_fill. */
static void
clause_fill (window_t *window, const kulak_tokens_t *tokens, size_t first)
{
    window->clause_ready = true;
    uint32_t hashes = 0, bytes = 0;
    const kulak_token_t *t = &tokens->items [first], *end = tokens->items + tokens->count;
    uint16_t clause = t->clause;
    for (t++; t < end && t->clause == clause; t++) {
        if (__builtin_expect (!t->key_hash || t->key1, 0)) {
            clause_fill_any (window, tokens, first);
            return;
        }
        hashes |= clause_bit_hash (t->key_hash);
        bytes |= clause_bit_byte ((uint8_t) t->key [0]);
    }
    window->clause_hashes = hashes;
    window->clause_bytes = bytes;
}

/* Whether the words of a pattern after its second may be in the rest of the clause. */
static inline bool
later_offered (const list_entry_t *e, window_t *window, const kulak_tokens_t *tokens,
               size_t first)
{
    if (!(e->later_hashes | e->later_bytes))
        return true;                     /* two words, or no further word with a bit */
    if (!window->clause_ready)
        clause_fill (window, tokens, first);
    return !((e->later_hashes & ~window->clause_hashes)
             | (e->later_bytes & ~window->clause_bytes));
}

/* What the rest of a token after a prefix word says, Turkish converb -mAdAn included.
   -mAdAn is "without ...", a negation, also after an entry that is a verbal noun in -mA
   ("oyalama*", "kasma*": stalling, lagging): "oyalamadan" is "without stalling", the
   negated root, not "from stalling". Followed by "önce" it is "before ...", and the thing
   did happen: in "bozulmadan önce", "çökmeden önce" it broke, it crashed. (Turkish keys are
   written without marks: "önce" is "once".) */
static kulak_suffix_t
converb_suffix (const word_key_t *key, const char *rest, const kulak_token_t *next)
{
    bool noun_dan = key->len >= 4 && key->word [key->len - 2] == 'm'
                    && (key->word [key->len - 1] == 'a' || key->word [key->len - 1] == 'e')
                    && (strncmp (rest, "dan", 3) == 0 || strncmp (rest, "den", 3) == 0);
    bool madan = noun_dan || strncmp (rest, "madan", 5) == 0 || strncmp (rest, "meden", 5) == 0;
    if (madan && next && next->key && strcmp (next->key, "once") == 0)
        return KULAK_SUFFIX_NONE;
    return noun_dan ? KULAK_SUFFIX_NEGATIVE : kulak_suffix_read (rest);
}

static void
try_pattern (const kulak_patterns_t *self, const list_entry_t *e, const kulak_tokens_t *tokens,
             size_t first, const char *rest, bool dedupe, match_list_t *out)
{
    uint32_t index = e->pattern;
    size_t at = first;
    if (e->word_count > 1) {
        const word_key_t *keys = &self->word_keys [e->first_word];
        uint16_t clause = tokens->items [first].clause;
        size_t reach = e->adjacent ? 1 : 3;     /* a quoted phrase allows no gap */
        for (size_t w = 1; w < e->word_count; w++) {
            const char *found = NULL;
            size_t j;
            for (j = at + 1; j < tokens->count && j <= at + reach; j++) {
                if (tokens->items [j].clause != clause)
                    break;
                if ((found = word_matches (&keys [w], &tokens->items [j])))
                    break;
            }
            if (!found)
                return;
            at = j;
            rest = found;
        }
    }
    /* The same pattern may reach a token through key and key1: keep one. */
    /* (matches come in token order: only the latest ones can start at this token) */
    for (size_t i = out->count; dedupe && i-- > 0 && out->items [i].first == first;)
        if (out->items [i].pattern == index)
            return;
    if (out->count == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 16;
        if (out->items && out->items == out->stack) {
            out->items = kulak_malloc (out->cap * sizeof *out->items);
            memcpy (out->items, out->stack, out->count * sizeof *out->items);
        }
        else
            out->items = kulak_realloc (out->items, out->cap * sizeof *out->items);
    }
    kulak_match_t *m = &out->items [out->count++];
    m->pattern = index;
    m->first = (uint32_t) first;
    m->last = (uint32_t) at;
    m->suffix = KULAK_SUFFIX_NONE;
    if (self->lang == KULAK_LANG_TR && e->last_prefix) {
        const kulak_token_t *next = at + 1 < tokens->count
                                    && tokens->items [at + 1].clause == tokens->items [at].clause
                                  ? &tokens->items [at + 1] : NULL;
        m->suffix = converb_suffix (&self->word_keys [e->first_word + e->word_count - 1], rest,
                                    next);
    }
}

/* Tries the entries [from, to) of a list whose second words are all offered (or that have
   none, nor further words), whose further words are. Inline: the loop of try_dir. */
static inline void
try_group (const kulak_patterns_t *self, const list_entry_t *from, const list_entry_t *to,
           const kulak_tokens_t *tokens, size_t first, const char *rest, bool dedupe,
           window_t *window, match_list_t *out)
{
    for (const list_entry_t *e = from; e < to; e++)
        if (later_offered (e, window, tokens, first))
            try_pattern (self, e, tokens, first, rest, dedupe, out);
}

/* A long list through its directory: the one-word patterns, then the groups whose bit the
   next tokens offer. Tries the same patterns as the plain walk of try_list. Inlined, in
   the walk along the trie and for the exact word: called some five times a text, its
   calls (nine arguments, six registers saved) cost 3% of the lexicon search. */
static inline __attribute__ ((always_inline)) void
try_dir (const kulak_patterns_t *self, const list_dir_t *dir, const list_entry_t *list,
         const kulak_tokens_t *tokens, size_t first, const char *rest, bool dedupe,
         window_t *window, match_list_t *out)
{
    try_group (self, list, list + dir->singles, tokens, first, rest, dedupe, window, out);
    if (!window->ready)
        window_fill (window, tokens, first);
    for (uint64_t bits = window->hashes & dir->exact_bits; bits; bits &= bits - 1) {
        unsigned b = (unsigned) __builtin_ctzll (bits);
        try_group (self, list + dir->exact_start [b], list + dir->exact_start [b + 1], tokens,
                   first, rest, dedupe, window, out);
    }
    for (uint64_t bits = window->bytes & dir->prefix_bits; bits; bits &= bits - 1) {
        unsigned b = (unsigned) __builtin_ctzll (bits);
        try_group (self, list + dir->prefix_start [b], list + dir->prefix_start [b + 1], tokens,
                   first, rest, dedupe, window, out);
    }
}

/* The patterns of a first word's list. (Inline: asked for by find_at, once for the exact
   word, once per prefix along the key.) */
static inline __attribute__ ((always_inline)) void
try_list (const kulak_patterns_t *self, uint32_t list, uint32_t count,
          const kulak_tokens_t *tokens, size_t first, const char *rest, bool dedupe,
          window_t *window, match_list_t *out)
{
    if (count >= DIR_MIN) {
        try_dir (self, &self->dirs [self->dir_at [list] - 1], &self->lists [list], tokens, first,
                 rest, dedupe, window, out);
        return;
    }
    for (const list_entry_t *e = &self->lists [list], *end = e + count; e < end; e++) {
        if (e->second != SECOND_NONE) {
            if (!window->ready)
                window_fill (window, tokens, first);
            uint64_t offered = e->second == SECOND_EXACT ? window->hashes : window->bytes;
            if (!((offered >> e->bit) & 1) || !later_offered (e, window, tokens, first))
                continue;
        }
        try_pattern (self, e, tokens, first, rest, dedupe, out);
    }
}

/* The child of `node` by `byte`, or 0. */
static inline uint32_t
trie_child (const kulak_patterns_t *self, const prefix_node_t *node, uint8_t byte)
{
    uint32_t lo = node->children, hi = lo + node->child_count;
    while (hi - lo > 8) {            /* halve a wide fan-out, then scan */
        uint32_t mid = lo + (hi - lo) / 2;
        if (self->nodes [mid].byte < byte)
            lo = mid + 1;
        else
            hi = mid + 1;
    }
    for (; lo < hi; lo++) {
        if (self->nodes [lo].byte == byte)
            return lo;
        if (self->nodes [lo].byte > byte)
            break;
    }
    return 0;
}

/* The prefix patterns along `key` from trie node `node` (reached by its first byte),
   shortest prefix first. */
static void
find_prefixes (const kulak_patterns_t *self, const kulak_tokens_t *tokens, size_t i,
               const char *key, uint32_t len, uint32_t node, bool dedupe, window_t *window,
               match_list_t *found)
{
    for (uint32_t depth = 1; node; depth++) {
        const prefix_node_t *n = &self->nodes [node];
        if (n->count)
            try_list (self, n->list, n->count, tokens, i, key + depth, dedupe, window, found);
        if (depth == len)
            break;
        node = trie_child (self, n, (uint8_t) key [depth]);
    }
}

/* The slot of exact first word `key`, probing from slot s (which is not empty), or NULL.
   (Inline: find_matches asks for every token that passes the filter.) */
static inline __attribute__ ((always_inline)) const exact_slot_t *
exact_slot (const kulak_patterns_t *self, const char *key, uint32_t len, uint32_t hash,
            uint32_t s)
{
    for (; self->slots [s].tag; s = (s + 1) & self->slot_mask) {
        const exact_slot_t *slot = &self->slots [s];
        if (slot->tag != hash || slot->len != len)
            continue;
        if (len <= SLOT_HEAD ? kulak_bytes_equal (slot->head, key, len)
                             : kulak_bytes_equal (slot->head, key, SLOT_HEAD)
                               && kulak_bytes_equal (self->entries [slot->entry].word
                                                     + SLOT_HEAD, key + SLOT_HEAD,
                                                     len - SLOT_HEAD))
            return slot;
    }
    return NULL;
}

/* Every pattern whose first word matches `key` at token i: the prefix patterns along the
   key from trie node `node` (0: none), then the exact ones of `slot` (NULL: none).
   (Inline in find_matches: most words of a text start some pattern.) */
static inline __attribute__ ((always_inline)) void
find_at (const kulak_patterns_t *self, const kulak_tokens_t *tokens, size_t i,
         const char *key, uint32_t len, uint32_t node, const exact_slot_t *slot, bool dedupe,
         match_list_t *found)
{
    window_t window;
    window.ready = window.clause_ready = false;
    if (node)
        find_prefixes (self, tokens, i, key, len, node, dedupe, &window, found);
    if (slot && slot->count)
        try_list (self, slot->list, slot->count, tokens, i, key + len, dedupe, &window, found);
}

/* The trie node of the key's first byte (of `len`, at least one, and a NUL after them),
   or 0 when no prefix word can match the key: none starts with its first byte, or none is
   that byte alone, none is its first two bytes and none starts with its first three (a
   key of two bytes: its NUL, which the bits of a word of two bytes hold as any third). */
static inline uint32_t
trie_start (const kulak_patterns_t *self, const char *key, uint32_t len)
{
    uint32_t node = self->nodes ? self->root [(uint8_t) key [0]] : 0;
    if (!node || self->nodes [node].count)
        return node;
    if (len < 2)
        return 0;
    uint32_t bit = trigram_bit ((uint8_t) key [0], (uint8_t) key [1], (uint8_t) key [2]);
    return (self->prefix_trigrams [bit / 64] >> (bit % 64)) & 1 ? node : 0;
}

/* A key without the tokenizer's hash (key1, or a token made by hand); whether it is one
   of a merged set's stopwords. */
static bool
find_other_key (const kulak_patterns_t *self, const kulak_tokens_t *tokens, size_t i,
                const char *key, bool dedupe, match_list_t *found)
{
    uint32_t len = (uint32_t) strlen (key);
    if (!len)
        return false;
    uint32_t hash = kulak_token_key_hash (key, len);
    const exact_slot_t *slot = NULL;
    if (self->slots) {
        uint32_t bit = filter_bit (hash, self->filter_shift);
        uint32_t s = (hash >> 1) & self->slot_mask;
        if (((self->filter [bit / 64] >> (bit % 64)) & 1) && self->slots [s].tag)
            slot = exact_slot (self, key, len, hash, s);
    }
    uint32_t node = trie_start (self, key, len);
    if ((slot && slot->count) || node)
        find_at (self, tokens, i, key, len, node, slot, dedupe, found);
    return slot && slot->stopword;
}

/* Appends every match of the set in the tokens to `found`; and when `stop` is given (for
   a merged set, whose exact table holds the stopwords), sets stop [i] to 1 when token i's
   key is a stopword, else to 0. */
static void
find_matches (const kulak_patterns_t *self, const kulak_tokens_t *tokens, match_list_t *found,
              uint8_t *stop)
{
    /* Most keys start no pattern: the exact words' filter and the prefix trie's root turn
       them away, with what they need held in locals. */
    const exact_slot_t *slots = self->slots;
    const uint64_t *filter = self->filter;
    uint32_t slot_mask = self->slot_mask, filter_shift = self->filter_shift;
    const kulak_token_t *items = tokens->items;
    size_t count = slots || self->nodes ? tokens->count : 0;
    if (stop && count < tokens->count)
        memset (stop, 0, tokens->count);         /* (no words, so no stopwords either) */
    /* A word looked up before in this set has what it found in its memo (tokens.h); a
       word that has a memo but not this set's keeps this set's lookup there. */
    bool memo_ok = kulak_tokens_memo_ok (tokens);
    uint32_t memo_id = self->memo_id;
    for (size_t i = 0; i < count; i++) {
        const kulak_token_t *t = &items [i];
        if (!memo_ok && slots && i + 2 < count)
            /* the slot two tokens on, so its cache line is on its way */
            __builtin_prefetch (&slots [(items [i + 2].key_hash >> 1) & slot_mask]);
        uint32_t hash = t->key_hash;
        bool is_stop = false;
        kulak_token_memo_t *memo = memo_ok ? t->memo : NULL;
        if (__builtin_expect (memo && memo->owner == memo_id, 1)) {   /* (most words) */
            is_stop = memo->stopword;
            if (memo->exact || memo->node)
                find_at (self, tokens, i, t->key, t->key_len, memo->node,
                         memo->exact ? &slots [memo->exact - 1] : NULL, false, found);
        }
        else if (hash) {
            const exact_slot_t *slot = NULL;
            if (slots) {
                uint32_t bit = filter_bit (hash, filter_shift);
                uint32_t s = (hash >> 1) & slot_mask;
                if (((filter [bit / 64] >> (bit % 64)) & 1) && slots [s].tag && t->key_len)
                    slot = exact_slot (self, t->key, t->key_len, hash, s);
            }
            is_stop = slot && slot->stopword;
            uint32_t node = t->key_len && (!slot || slot->prefixed)
                          ? trie_start (self, t->key, t->key_len) : 0;
            if (slot && !slot->count)
                slot = NULL;                     /* (a stopword that starts nothing) */
            if (slot || node)
                find_at (self, tokens, i, t->key, t->key_len, node, slot, false, found);
            if (memo && node < 1u << 31)
                *memo = (kulak_token_memo_t) {
                    .owner = memo_id, .exact = slot ? (uint32_t) (slot - slots) + 1 : 0,
                    .node = node, .stopword = is_stop,
                };
        }
        else if (t->key)                         /* (a token made by hand) */
            is_stop = find_other_key (self, tokens, i, t->key, false, found);
        if (t->key1)
            find_other_key (self, tokens, i, t->key1, true, found);
        if (stop)
            stop [i] = is_stop;
    }
}

size_t
kulak_patterns_find (const kulak_patterns_t *self, const kulak_tokens_t *tokens,
                     kulak_match_t **out)
{
    match_list_t found = { NULL, 0, 0, NULL };
    find_matches (self, tokens, &found, NULL);
    *out = found.items;
    return found.count;
}

/* ---- one pass for all the sets of a lexicon ---------------------------------------- */

/* The sets of a lexicon by kulak_set_t. */
static void
lexicon_sets (const kulak_lexicon_t *lexicon, const kulak_patterns_t *sets [KULAK_SET_COUNT])
{
    sets [KULAK_SET_SENTIMENT] = lexicon->sentiment;
    sets [KULAK_SET_THEMES] = lexicon->themes;
    sets [KULAK_SET_NEGATORS] = lexicon->negators;
    sets [KULAK_SET_INTENSIFIERS] = lexicon->intensifiers;
    sets [KULAK_SET_CONTRAST] = lexicon->contrast;
}

/* One set holding the patterns of all the lexicon's sets, so a single walk over the tokens
   (one filter test, one probe, one trie walk per key) finds the matches of every set; its
   exact first words also hold the stopwords, so the same probe tells those apart. */
static kulak_patterns_t *
merged_new (const kulak_lexicon_t *lexicon)
{
    const kulak_patterns_t *sets [KULAK_SET_COUNT];
    lexicon_sets (lexicon, sets);
    kulak_patterns_t *self = kulak_patterns_new (lexicon->lang);
    self->borrows_words = true;
    self->stopwords = lexicon->stopwords;
    for (int s = 0; s < KULAK_SET_COUNT; s++)
        self->count += sets [s] ? sets [s]->count : 0;
    self->cap = self->count;
    self->items = kulak_malloc ((self->count + 1) * sizeof *self->items);
    self->set_of = kulak_malloc (self->count + 1);
    self->index_in_set = kulak_malloc ((self->count + 1) * sizeof *self->index_in_set);
    size_t at = 0;
    for (int s = 0; s < KULAK_SET_COUNT; s++)
        for (size_t i = 0; sets [s] && i < sets [s]->count; i++, at++) {
            self->items [at] = sets [s]->items [i];
            self->set_of [at] = (uint8_t) s;
            self->index_in_set [at] = (uint32_t) i;
        }
    index_build (self);
    return self;
}

/* kulak_lexicon_find, into out's items when `reuse` and they are enough. */
static void
lexicon_find (const kulak_lexicon_t *self, const kulak_tokens_t *tokens,
              kulak_lexicon_matches_t *out, bool reuse)
{
    if (!reuse) {
        out->items = NULL, out->cap = 0;
        out->stopword = NULL, out->stopword_cap = 0;
    }
    match_list_t found = { NULL, 0, 0, NULL };
    size_t count [KULAK_SET_COUNT] = { 0 };
    /* Most texts match a few dozen patterns at most: those are gathered on the stack. */
    kulak_match_t first_found [64];
    if (self->merged) {
        found = (match_list_t) { first_found, 0, sizeof first_found / sizeof *first_found,
                                 first_found };
        /* (and which tokens are stopwords, for the model: see kulak_lexicon_matches_t) */
        if (out->stopword_cap < tokens->count + 1) {
            free (out->stopword);
            out->stopword_cap = reuse && tokens->count + 1 < 256 ? 256 : tokens->count + 1;
            out->stopword = kulak_malloc (out->stopword_cap);
        }
        find_matches (self->merged, tokens, &found, out->stopword);
        for (size_t i = 0; i < found.count; i++)
            count [self->merged->set_of [found.items [i].pattern]]++;
    }
    else {                           /* a lexicon put together by hand: set by set */
        const kulak_patterns_t *sets [KULAK_SET_COUNT];
        lexicon_sets (self, sets);
        for (int s = 0; s < KULAK_SET_COUNT; s++) {
            size_t before = found.count;
            if (sets [s])
                find_matches (sets [s], tokens, &found, NULL);
            count [s] = found.count - before;
        }
    }
    out->start [0] = 0;
    for (int s = 0; s < KULAK_SET_COUNT; s++)
        out->start [s + 1] = out->start [s] + count [s];
    if (!self->merged) {            /* (never NULL, so a set's matches are items + start) */
        free (out->stopword);
        out->stopword = NULL;
        out->stopword_cap = 0;
        free (out->items);
        out->items = found.items ? found.items : kulak_malloc (sizeof *out->items);
        out->cap = found.items ? found.cap : 1;
        return;
    }
    /* By set, each in the order found; pattern indexes into their own set. */
    if (out->cap < found.count + 1) {
        free (out->items);
        out->cap = reuse && found.count + 1 < 64 ? 64 : found.count + 1;
        out->items = kulak_malloc (out->cap * sizeof *out->items);
    }
    size_t fill [KULAK_SET_COUNT];
    memcpy (fill, out->start, sizeof fill);
    for (size_t i = 0; i < found.count; i++) {
        kulak_match_t m = found.items [i];
        uint8_t set = self->merged->set_of [m.pattern];
        m.pattern = self->merged->index_in_set [m.pattern];
        out->items [fill [set]++] = m;
    }
    if (found.items != first_found)
        free (found.items);
}

void
kulak_lexicon_find (const kulak_lexicon_t *self, const kulak_tokens_t *tokens,
                    kulak_lexicon_matches_t *out)
{
    lexicon_find (self, tokens, out, false);
}

void
kulak_lexicon_find_again (const kulak_lexicon_t *self, const kulak_tokens_t *tokens,
                          kulak_lexicon_matches_t *out)
{
    lexicon_find (self, tokens, out, true);
}

void
kulak_lexicon_matches_free (kulak_lexicon_matches_t *matches)
{
    free (matches->items);
    free (matches->stopword);
    memset (matches, 0, sizeof *matches);
}

/* The order in which matches claim tokens: per tag when asked, then more words, more
   letters, the tighter span, the earlier start, the earlier pattern. */
static int
compare_for_selection (const kulak_patterns_t *self, bool per_tag, const kulak_match_t *x,
                       const kulak_match_t *y)
{
    const kulak_pattern_t *px = &self->items [x->pattern];
    const kulak_pattern_t *py = &self->items [y->pattern];
    if (per_tag && px->tag != py->tag)
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
compare_by_position (const kulak_match_t *x, const kulak_match_t *y)
{
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    return x->pattern < y->pattern ? -1 : x->pattern > y->pattern;
}

typedef struct {
    const kulak_patterns_t *self;
    bool per_tag;
} sort_context_t;

static int
compare_for_selection_r (const void *a, const void *b, void *context)
{
    const sort_context_t *c = context;
    return compare_for_selection (c->self, c->per_tag, a, b);
}

static int
compare_by_position_r (const void *a, const void *b, void *context)
{
    (void) context;
    return compare_by_position (a, b);
}

/* Sorts by `compare`; both orders are total, so any sort gives the same result. The few
   matches of a text are sorted by insertion, more by qsort_r. Inlined, so that the
   insertion's compare, called a dozen times a text, is inlined too. */
static inline __attribute__ ((always_inline)) void
sort_matches (kulak_match_t *matches, size_t count,
              int (*compare) (const void *, const void *, void *), void *context)
{
    if (count > 24) {
        qsort_r (matches, count, sizeof *matches, compare, context);
        return;
    }
    for (size_t i = 1; i < count; i++) {
        kulak_match_t m = matches [i];
        size_t j = i;
        for (; j > 0 && compare (&matches [j - 1], &m, context) > 0; j--)
            matches [j] = matches [j - 1];
        matches [j] = m;
    }
}

size_t
kulak_matches_select (const kulak_patterns_t *self, kulak_match_t *matches, size_t count,
                      bool per_tag)
{
    if (count <= 1)
        return count;                    /* (one match claims its tokens: nothing to do) */
    sort_context_t context = { self, per_tag };
    sort_matches (matches, count, compare_for_selection_r, &context);

    /* A match is kept when no kept one (of its tag, per_tag) claims a token of its span. A
       few (most texts') are compared with the kept ones; more mark their tokens in an
       array, which took a call to memset a text, and loops over it, for two or three. */
    if (count <= 8) {
        size_t kept = 0, group_start = 0;
        int group = per_tag ? self->items [matches [0].pattern].tag : 0;
        for (size_t i = 0; i < count; i++) {
            int tag = self->items [matches [i].pattern].tag;
            if (per_tag && tag != group) {
                group_start = kept;
                group = tag;
            }
            bool free_span = true;
            for (size_t k = group_start; k < kept && free_span; k++)
                free_span = matches [k].last < matches [i].first
                            || matches [i].last < matches [k].first;
            if (free_span)
                matches [kept++] = matches [i];
        }
        sort_matches (matches, kept, compare_by_position_r, NULL);
        return kept;
    }
    uint32_t max_token = 0;
    for (size_t i = 0; i < count; i++)
        if (matches [i].last > max_token)
            max_token = matches [i].last;
    uint8_t claimed_here [256];
    uint8_t *claimed = max_token < sizeof claimed_here ? claimed_here
                                                       : kulak_malloc (max_token + 1);
    memset (claimed, 0, max_token + 1);
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
    if (claimed != claimed_here)
        free (claimed);
    sort_matches (matches, kept, compare_by_position_r, NULL);
    return kept;
}

/* ---- parsing ------------------------------------------------------------------------ */

/* An emoticon entry: visible ASCII, no space, and at least one sign that words do not
   contain (":)", ":D", "<3", "8-)"; not "self-esteem" or "don't"). Nor a number whose
   digits the tokenizer joins across . , / - ("9/10", "1.5"): that is one number token. */
static bool
is_emoticon (const char *s)
{
    bool sign = false, number = true;
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *) s; *p; p++, n++) {
        if (*p <= ' ' || *p >= 0x7f)
            return false;
        bool digit = *p >= '0' && *p <= '9';
        bool alnum = digit || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z');
        bool joins = *p == '/' || *p == '-' || *p == '.' || *p == ',';
        number = number && (digit || (joins && p > (const unsigned char *) s && p [-1] >= '0'
                                      && p [-1] <= '9' && p [1] >= '0' && p [1] <= '9'));
        sign = sign || (!alnum && *p != '-' && *p != '\'' && *p != '*');
    }
    return n >= 2 && sign && !number;
}

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

/* True for a phrase written in double quotes, "no wait": its words must be next to each
   other. */
static bool
is_quoted (const char *pattern)
{
    size_t len = strlen (pattern);
    return len > 2 && pattern [0] == '"' && pattern [len - 1] == '"';
}

/* Splits a pattern into token keys; returns false when a word holds nothing to match. */
static bool
pattern_words (kulak_patterns_t *self, const char *pattern, kulak_tokenizer_t *tokenizer,
               kulak_pattern_t *p)
{
    p->adjacent = is_quoted (pattern);
    char *copy = p->adjacent ? kulak_strndup (pattern + 1, strlen (pattern) - 2)
                             : kulak_strdup (pattern);
    char *save = NULL;
    size_t cap = 0;
    bool ok = true;
    for (char *word = strtok_r (copy, " \t", &save); word && ok;
         word = strtok_r (NULL, " \t", &save)) {
        size_t wl = strlen (word);
        bool prefix = wl > 1 && word [wl - 1] == '*' && has_word_char (word) && !is_emoticon (word);
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

/* Turkish softens the last k or p of a root of two syllables or more before a vowel
   (destek -> desteği, hesap -> hesabı), and nk to ng in any root (renk -> rengi). Returns
   the softened form of a prefix word's key (Turkish keys are written without their marks:
   "desteg"), or NULL when it does not end so. Left out: t -> d (umut -> umudu), since verbs
   keep their t ("bekletti") and "beklet*" softened would catch "bekledim"; and ç -> c, which
   the keys already are. */
static char *
softened_key (const char *key)
{
    size_t len = strlen (key);
    if (len < 3 || (key [len - 1] != 'k' && key [len - 1] != 'p'))
        return NULL;
    int vowels = 0;
    for (const char *c = key; *c; c++)
        vowels += strchr ("aeiou", *c) != NULL;
    bool nk = key [len - 1] == 'k' && key [len - 2] == 'n';
    if (vowels < 2 && !nk)
        return NULL;
    return kulak_sprintf ("%.*s%c", (int) (len - 1), key, key [len - 1] == 'k' ? 'g' : 'b');
}

static void
push_pattern (kulak_patterns_t *self, const kulak_pattern_t *p)
{
    if (self->count == self->cap) {
        self->cap = self->cap ? self->cap * 2 : 256;
        self->items = kulak_realloc (self->items, self->cap * sizeof *self->items);
    }
    self->items [self->count++] = *p;
}

/* A Turkish root ending in a or e loses that vowel before the present tense's -(I)yor,
   whose vowel follows the root's vowel before it (bekle- gives "bekliyor", ara- "arıyor",
   söyle- "söylüyor", topla- "topluyor"). Returns the key of that form as a prefix word
   ("bekliyor"), or NULL when the key does not end so or has no vowel before its last. A
   noun ending so gets a copy that is no word ("kalitiyor") or, rarely, another word's
   (tane- gives "tanıyor", to know): exclude that one in its list ("!tanıyor*"). */
static char *
narrowed_key (const char *key)
{
    size_t len = strlen (key);
    if (len < 3 || (key [len - 1] != 'a' && key [len - 1] != 'e'))
        return NULL;
    char before = 0;
    for (size_t i = 0; i + 1 < len; i++)
        if (strchr ("aeiou", key [i]))
            before = key [i];
    /* a verbal noun or a negation in -mA ("oyalama*") is no root: "oyalamıyor" is the
       opposite of stalling */
    if (!before || strchr ("aeiou", key [len - 2]) || key [len - 2] == 'm')
        return NULL;
    return kulak_sprintf ("%.*s%cyor", (int) (len - 1), key, before == 'o' || before == 'u'
                                                              ? 'u' : 'i');
}

/* The copies of a Turkish pattern that match its roots' other forms (softened, narrowed
   before -yor), one per such word and form. */
static void
add_root_copies (kulak_patterns_t *self, uint32_t index)
{
    char *(*const forms []) (const char *) = { softened_key, narrowed_key };
    for (uint8_t w = 0; w < self->items [index].word_count; w++)
        for (size_t f = 0; f < sizeof forms / sizeof forms [0]; f++) {
            const kulak_pattern_t *p = &self->items [index];
            char *other = p->prefix [w] ? forms [f] (p->words [w]) : NULL;
            if (!other || p->copies == UINT8_MAX) {
                free (other);
                continue;
            }
            kulak_pattern_t copy = *p;
            copy.copies = 0;
            copy.text = kulak_strdup (p->text);
            copy.words = kulak_malloc (p->word_count * sizeof *copy.words);
            copy.prefix = kulak_malloc (p->word_count);
            memcpy (copy.prefix, p->prefix, p->word_count);
            for (uint8_t k = 0; k < p->word_count; k++)
                copy.words [k] = k == w ? other : kulak_strdup (p->words [k]);
            copy.letters = (uint16_t) (p->letters - strlen (p->words [w]) + strlen (other));
            self->items [index].copies++;
            push_pattern (self, &copy);
        }
}

/* Whether a key is a number of digits with . , between them, then / and digits: "9/10",
   "4.5/5"; or, with slash false, digits alone. */
static bool
is_score_number (const char *key, bool slash)
{
    const char *p = key;
    if (!(*p >= '0' && *p <= '9'))
        return false;
    while ((*p >= '0' && *p <= '9') || ((*p == '.' || *p == ',') && p [1] >= '0' && p [1] <= '9'))
        p++;
    if (!slash)
        return *p == 0;
    if (*p++ != '/' || !(*p >= '0' && *p <= '9'))
        return false;
    while (*p >= '0' && *p <= '9')
        p++;
    return *p == 0;
}

/* Whether a pattern's words are a score: "9/10", or "3 out of 10". */
static bool
is_score_pattern (const kulak_pattern_t *p)
{
    if (p->word_count == 1)
        return !p->prefix [0] && is_score_number (p->words [0], true);
    return p->word_count == 4 && is_score_number (p->words [0], false)
        && strcmp (p->words [1], "out") == 0 && strcmp (p->words [2], "of") == 0
        && is_score_number (p->words [3], false);
}

static int
add_pattern (kulak_patterns_t *self, const char *pattern, float value, int tag, bool tag_apart,
             bool exclude, int line, kulak_tokenizer_t *tokenizer)
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
    p.feature_hash [0] = kulak_feature_hash_entry (pattern, false);
    p.feature_hash [1] = kulak_feature_hash_entry (pattern, true);
    p.value = value;
    p.tag = tag;
    p.exclude = exclude;
    p.score = is_score_pattern (&p);
    p.line = line;

    /* The same pattern again overrides the earlier line: with the same tag where tags keep
       patterns apart (a theme's, a negator's scope), whatever its tag otherwise (a
       sentiment entry marked non-answer or interjection). */
    char *text_key = kulak_sprintf ("%d\x1f%d\x1f%s", tag_apart ? tag : 0, exclude, pattern);
    void **seen = kulak_strmap_get (self->by_text, text_key, strlen (text_key));
    if (seen) {
        kulak_pattern_t *old = &self->items [(uintptr_t) *seen - 1];
        for (uint8_t c = 0; c <= old->copies; c++) {
            old [c].value = value;
            old [c].tag = tag;
            old [c].line = line;
        }
        for (size_t w = 0; w < p.word_count; w++)
            free (p.words [w]);
        free (p.words);
        free (p.prefix);
        free (p.text);
        free (text_key);
        return 0;
    }
    uint32_t index = (uint32_t) self->count;
    push_pattern (self, &p);
    kulak_strmap_put (self->by_text, text_key, strlen (text_key), (void *) (uintptr_t) (index + 1));
    free (text_key);
    if (self->lang == KULAK_LANG_TR)
        add_root_copies (self, index);
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
        /* '#' starts a comment, except an emoticon entry such as "#-)<TAB>-1.2": no letter
           or digit before the TAB. "#berbat<TAB>-3" is a commented-out entry. */
        bool looks_like_entry = false;
        if (tab && kind == 's' && line [0] == '#') {
            *tab = 0;
            looks_like_entry = !has_word_char (line);
            *tab = '\t';
        }
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
            case 's': {
                /* an optional third column: `non-answer` ("yorum yok<TAB>0<TAB>non-answer"),
                   `interjection` ("brilliant<TAB>2.8<TAB>interjection") */
                char *kind_field = field ? strchr (field, '\t') : NULL;
                if (kind_field) {
                    *kind_field++ = 0;
                    kulak_str_trim (field);
                    kind_field = kulak_str_trim (kind_field);
                    if (strcmp (kind_field, "non-answer") == 0)
                        tag = KULAK_SENTIMENT_NON_ANSWER;
                    else if (strcmp (kind_field, "interjection") == 0)
                        tag = KULAK_SENTIMENT_INTERJECTION;
                    else
                        problem = "third column must be non-answer, interjection or nothing";
                }
                if (!problem && (!field || !parse_number (field, -4, 4, &value)))
                    problem = "needs a TAB and a valence between -4 and 4";
                else if (tag == KULAK_SENTIMENT_NON_ANSWER && value != 0)
                    problem = "a non-answer has valence 0";
                else if (tag == KULAK_SENTIMENT_INTERJECTION && !(value > 0))
                    problem = "an interjection is praise: valence above 0";
                break;
            }
            case 'i':
                if (!field || !parse_number (field, -2, 2, &value))
                    problem = "needs a TAB and a factor between -2 and 2";
                break;
            case 't':
                tag = theme_index;
                if (field && *field && !parse_number (field, 0, 10, &value))
                    problem = "weight must be a number between 0 and 10";
                break;
            case 'c':
                if (field && strcmp (field, "concessive") == 0)
                    tag = KULAK_CONTRAST_CONCESSIVE;
                else if (field && *field)
                    problem = "kind must be empty or concessive";
                break;
            case 'n':
                if (field && strcmp (field, "prev") == 0)
                    tag = KULAK_NEGATE_PREV;
                else if (field && strcmp (field, "irony") == 0)
                    tag = KULAK_NEGATE_IRONY;
                else if (field && strcmp (field, "unmet") == 0)
                    tag = KULAK_NEGATE_UNMET;
                else if (!field || !*field || strcmp (field, "next") == 0)
                    tag = KULAK_NEGATE_NEXT;
                else
                    problem = "scope must be next, prev, irony or unmet";
                break;
            default:
                break;
        }
        if (!problem && !*pattern)
            problem = "has no pattern";
        else if (!problem && (pattern [0] == '"') != (pattern [strlen (pattern) - 1] == '"'))
            problem = "needs a quote at both ends to be a phrase without gaps (\"no wait\")";
        if (!problem && kind == 's' && is_emoticon (pattern) && emoticons)
            kulak_strmap_put (emoticons, pattern, strlen (pattern), NULL);
        if (!problem && add_pattern (into, pattern, value, tag, kind != 's', exclude, line_no,
                                     tokenizer) != 0)
            problem = "has a word with nothing to match (no letters, digits or known emoticon)";
        if (problem) {
            *err = kulak_sprintf ("%s:%d: '%s' %s", file_name, line_no, pattern, problem);
            rc = -1;
        }
    }
    (void) save;
    free (copy);
    index_build (into);          /* also after an error: the lines read so far are in */
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

/* ---- stopwords ---------------------------------------------------------------------- */

/* The stopword set again, keyed by kulak_token_key_hash: the tokenizer has hashed every
   token's key already, so a lookup costs one probe and no hashing. */
typedef struct stopword_slot_t {
    uint32_t hash;               /* 0: empty */
    uint32_t len;
    const char *word;            /* the key in the stopwords map */
} stopword_slot_t;

static void
stopwords_index (kulak_lexicon_t *self)
{
    size_t cap = 16;
    while (cap < kulak_strmap_size (self->stopwords) * 2)
        cap *= 2;
    self->stopword_slots = kulak_calloc (cap, sizeof *self->stopword_slots);
    self->stopword_mask = (uint32_t) (cap - 1);
    size_t cursor = 0;
    const char *word;
    while (kulak_strmap_next (self->stopwords, &cursor, &word, NULL)) {
        uint32_t len = (uint32_t) strlen (word);
        uint32_t hash = kulak_token_key_hash (word, len);
        uint32_t s = hash & self->stopword_mask;
        while (self->stopword_slots [s].hash)
            s = (s + 1) & self->stopword_mask;
        self->stopword_slots [s] = (stopword_slot_t) { hash, len, word };
    }
}

/* Whether the tokenizer's token (key_hash set) is in the stopword table. */
static inline bool
in_stopword_slots (const stopword_slot_t *slots, uint32_t mask, const kulak_token_t *token)
{
    for (uint32_t s = token->key_hash & mask; slots [s].hash; s = (s + 1) & mask) {
        const stopword_slot_t *slot = &slots [s];
        if (slot->hash == token->key_hash && slot->len == token->key_len
            && kulak_bytes_equal (slot->word, token->key, token->key_len))
            return true;
    }
    return false;
}

/* Inline in both callers below: the model asks about every token of every text. */
static inline bool
is_stopword (const kulak_lexicon_t *self, const kulak_token_t *token)
{
    if (!self->stopword_slots || !token->key_hash)  /* by hand, or a token made by hand */
        return kulak_strmap_get (self->stopwords, token->key, strlen (token->key)) != NULL;
    return in_stopword_slots (self->stopword_slots, self->stopword_mask, token);
}

bool
kulak_lexicon_is_stopword (const kulak_lexicon_t *self, const kulak_token_t *token)
{
    return is_stopword (self, token);
}

void
kulak_lexicon_mark_stopwords (const kulak_lexicon_t *self, const kulak_tokens_t *tokens,
                              uint8_t *stop)
{
    /* (through locals: a store to `stop`, bytes, could change anything as far as the
       compiler knows, and it read the tokens and the table's fields again per token) */
    const kulak_token_t *items = tokens->items;
    size_t count = tokens->count;
    const stopword_slot_t *slots = self->stopword_slots;
    uint32_t mask = self->stopword_mask;
    if (!slots) {                        /* by hand */
        for (size_t i = 0; i < count; i++)
            stop [i] = is_stopword (self, &items [i]);
        return;
    }
    for (size_t i = 0; i < count; i++)   /* (key_hash 0: a token made by hand) */
        stop [i] = items [i].key_hash ? in_stopword_slots (slots, mask, &items [i])
                                      : is_stopword (self, &items [i]);
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
    kulak_patterns_destroy (&self->merged);
    free (self->stopword_slots);
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
    /* Emoji and emoticon valences are shared by every language. */
    const char *shared [] = { "emoji.txt", "emoticons.txt" };
    for (size_t i = 0; rc == 0 && i < sizeof shared / sizeof shared [0]; i++) {
        path = kulak_sprintf ("%s/%s", dir, shared [i]);
        rc = load_file (self->sentiment, path, 's', 0, tokenizer, emoticons, NULL, false, err);
        free (path);
    }
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
    self->merged = merged_new (self);
    stopwords_index (self);
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
