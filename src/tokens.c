/*  tokens.c: the tokenizer (see tokens.h). One pass over the code points of NFKC text;
    the folding, squeezing and stemming of each token happen when the token is pushed.

    Tokenizing runs for every record and every lexicon entry, so it is built for speed:
    - the strings of a token list live in one arena that goes with the list, instead of
      four or five allocations per token;
    - the most common words of all, lower-case ASCII letters and a space, are found in a
      window of bits over 64 bytes of the text (lower_window_fill), without the scanner's
      tests a byte;
    - an ASCII word (most words, in both languages) is lowered and squeezed in one pass and
      its key is its form; other words take the general path through charclass.h, which
      gives what kulak_text_fold, _squeeze and _ascii_fold give;
    - Snowball stems are remembered in a bounded cache: a stem depends only on the word and
      the language, and a few thousand words make most of any text;
    - the emoticon lookup only runs where an emoticon of the lexicon can start. */
#include "kulak/tokens.h"
#include "kulak/text.h"
#include "kulak/util.h"
#include "bytes.h"
#include "charclass.h"
#include "lanes.h"

#include <libstemmer.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

/* ---- the stem cache ------------------------------------------------------------------ */

/* Four-way sets of 64-byte slots: 65536 words in 4 MiB. Words that do not fit are not
   cached. Turkish needs the room: a few thousand reviews hold some 35,000 distinct word
   forms, and a form missing from the cache costs a Snowball call, many times a lookup.
   (In sets of two ways, the words that share a set pushed each other out: tagging
   tr_store_reviews, some 17,500 distinct words, round after round still called Snowball
   0.8 times a text, at some 6,000 instructions a call, nearly a tenth of its tagging; in
   four ways, half as often. Eight halved that again, but cost English texts more in
   their hits past the first way than it saved.)
   A slot also keeps the stem's hash, which the model's word features start from, so a word
   seen before is not hashed again; and a stem that is the word itself (most English
   words) is stored once, and on a hit it is not copied: the token's stem is its form
   (a miss still copies Snowball's result into the token's arena).
   A slot also keeps a lexicon's lookup of the word (the token's memo, see tokens.h): the
   key of a word that is not elongated follows from the word and the language alone, so a
   word seen before is not looked up in the lexicon again (some 60 instructions a word).
   Its pointers into the cache are good until a slot moves or is replaced: the list being
   made follows its words (memo_follow), and for the lists made before, s_memo_clock
   counts those moments: a list's memos are ok while the clock has not moved on since the
   list was made. (One clock for all tokenizers: a list may outlive its tokenizer, or be
   searched on another thread.) */
#define STEM_CACHE_SETS 16384
#define STEM_CACHE_WAYS 4
#define STEM_SLOT_BYTES 35

typedef struct {
    uint32_t tag;                /* hash bits of the word, never 0; 0 marks an empty slot */
    uint8_t lang;
    uint8_t word_len;
    uint8_t stem_len;
    uint8_t stem_is_word;
    uint64_t stem_hash;          /* word_hash of the stem */
    kulak_token_memo_t memo;
    uint8_t handed;              /* the tokenizer's text_serial when the memo was last
                                    handed to a token */
    char bytes [STEM_SLOT_BYTES];    /* the word, then the final stem (for Turkish without
                                        marks) unless it is the word */
} stem_slot_t;

static uint64_t s_memo_clock = 1;     /* (0 is no list's: see kulak_tokens_memo_ok) */

/* A slot moves or takes another word, or a cache goes: the memos of the lists made so far
   may belong to other words now. */
static void
memo_clock_tick (void)
{
    __atomic_add_fetch (&s_memo_clock, 1, __ATOMIC_RELAXED);
}

bool
kulak_tokens_memo_ok (const kulak_tokens_t *tokens)
{
    return tokens->memo_clock == __atomic_load_n (&s_memo_clock, __ATOMIC_RELAXED);
}

_Static_assert (sizeof (stem_slot_t) == 64, "a stem cache slot is one cache line");

struct kulak_tokenizer_t {
    struct sb_stemmer *stem_tr;
    struct sb_stemmer *stem_en;
    const kulak_strmap_t *emoticons;
    /* Where emoticons can start: per ASCII byte, bit l set when an emoticon of l bytes
       (2..12) starts with it. Rebuilt when the set changes (it only grows). */
    uint16_t emoticon_lengths [128];
    const kulak_strmap_t *emoticons_indexed;
    size_t emoticons_indexed_size;
    stem_slot_t *stem_cache;     /* allocated on first use */
    char *word;                  /* the current word's bytes */
    size_t word_cap;
    char *scratch;               /* folding space for words that are not ASCII */
    size_t scratch_cap;
    uint8_t text_serial;         /* of the text being tokenized, 1 to 255 round and round:
                                    the slots whose memos its tokens hold are marked so */
};

kulak_tokenizer_t *
kulak_tokenizer_new (void)
{
    kulak_charclass_init ();
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
    if (self->stem_cache)
        memo_clock_tick ();
    free (self->stem_cache);
    free (self->word);
    free (self->scratch);
    free (self);
    *self_p = NULL;
}

void
kulak_tokenizer_set_emoticons (kulak_tokenizer_t *self, const kulak_strmap_t *emoticons)
{
    self->emoticons = emoticons;
    self->emoticons_indexed = NULL;
}

static void
index_emoticons (kulak_tokenizer_t *self)
{
    if (self->emoticons_indexed == self->emoticons
        && self->emoticons_indexed_size == kulak_strmap_size (self->emoticons))
        return;
    memset (self->emoticon_lengths, 0, sizeof self->emoticon_lengths);
    size_t cursor = 0;
    const char *key;
    while (kulak_strmap_next (self->emoticons, &cursor, &key, NULL)) {
        size_t len = strlen (key);
        uint8_t first = (uint8_t) key [0];
        if (len >= 2 && len <= 12 && first < 0x80)
            self->emoticon_lengths [first] |= (uint16_t) (1u << len);
    }
    self->emoticons_indexed = self->emoticons;
    self->emoticons_indexed_size = kulak_strmap_size (self->emoticons);
}

/* ---- token lists and their arena ----------------------------------------------------- */

typedef struct chunk_t {
    struct chunk_t *next;
    size_t cap;
    char data [];
} chunk_t;

/* What kulak_tokenize hands out, in one allocation: the public list, room for its first
   tokens, then the first chunk of the arena of its strings. */
typedef struct {
    kulak_tokens_t tokens;       /* first, so a kulak_tokens_t * is also a tokens_block_t * */
    chunk_t *chunk;              /* newest first; the last one is first_chunk */
    chunk_t *first_chunk;        /* the chunk inside the block */
    kulak_token_t *inline_items; /* items while they fit in the block */
    size_t inline_cap;
} tokens_block_t;

/* The block of the last token list destroyed on this thread, kept for the next list:
   tagging makes and drops one per record, and the allocator is slow at blocks this size.
   A thread's spare is freed when the thread ends (the key's destructor). */
#define SPARE_MAX 65536
static __thread tokens_block_t *t_spare;
static __thread bool t_spare_keyed;     /* this thread's spare is registered with the key */
static pthread_key_t s_spare_key;
static pthread_once_t s_spare_once = PTHREAD_ONCE_INIT;

static void
free_spare (void *unused)
{
    (void) unused;
    free (t_spare);
    t_spare = NULL;
}

static void
make_spare_key (void)
{
    pthread_key_create (&s_spare_key, free_spare);
}

static size_t
block_size (size_t item_cap, size_t arena_cap)
{
    return sizeof (tokens_block_t) + item_cap * sizeof (kulak_token_t) + sizeof (chunk_t)
         + arena_cap;
}

static tokens_block_t *
tokens_block_new (size_t item_cap, size_t arena_cap)
{
    tokens_block_t *block = t_spare;
    if (block && block->inline_cap >= item_cap && block->first_chunk->cap >= arena_cap)
        t_spare = NULL;
    else {
        /* Room for a typical short text at least, so the block serves the next ones. */
        if (item_cap < 32)
            item_cap = 32;
        if (arena_cap < 2048)
            arena_cap = 2048;
        block = kulak_malloc (block_size (item_cap, arena_cap));
        block->inline_items = (kulak_token_t *) (block + 1);
        block->inline_cap = item_cap;
        block->first_chunk = (chunk_t *) ((char *) (block + 1)
                                          + item_cap * sizeof (kulak_token_t));
        block->first_chunk->cap = arena_cap;
    }
    memset (&block->tokens, 0, sizeof block->tokens);
    block->tokens.items = block->inline_items;
    block->chunk = block->first_chunk;
    block->chunk->next = NULL;
    return block;
}

void
kulak_tokens_destroy (kulak_tokens_t **tokens_p)
{
    kulak_tokens_t *tokens = *tokens_p;
    if (!tokens)
        return;
    tokens_block_t *block = (tokens_block_t *) tokens;
    for (chunk_t *chunk = block->chunk, *next; chunk != block->first_chunk; chunk = next) {
        next = chunk->next;
        free (chunk);            /* every chunk but the one inside the block */
    }
    if (tokens->items != block->inline_items)
        free (tokens->items);
    *tokens_p = NULL;
    if (block_size (block->inline_cap, block->first_chunk->cap) <= SPARE_MAX) {
        if (!t_spare_keyed) {            /* (once a thread, not two calls a text) */
            pthread_once (&s_spare_once, make_spare_key);
            pthread_setspecific (s_spare_key, &t_spare);   /* so the thread's end frees it */
            t_spare_keyed = true;
        }
        /* Keep the larger of this block and the spare. */
        if (!t_spare || block_size (t_spare->inline_cap, t_spare->first_chunk->cap)
                        < block_size (block->inline_cap, block->first_chunk->cap)) {
            tokens_block_t *old = t_spare;
            t_spare = block;
            block = old;
        }
    }
    free (block);
}

/* The hash of a word of up to 8 bytes from those bytes in one integer (kulak_bytes_load8,
   0 past the word) and its length: SplitMix64's finalizer, a bijection that moves every
   bit, over the word plus its length times an odd constant. A dozen instructions where
   XXH3, even its inline code for short inputs, took twice as many, for every word of
   every text; a word the tokenizer read in one integer already is not read again. Words
   of one length never share a hash. */
static inline uint64_t
short_word_hash (uint64_t word, size_t len)
{
    uint64_t h = word + len * 0x9E3779B97F4A7C15ULL;
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
    return h ^ (h >> 31);
}

/* kulak_token_word_hash, inline: short_word_hash for up to 8 bytes (most words), XXH3
   for longer ones. */
static inline __attribute__ ((always_inline)) uint64_t
word_hash (const char *word, size_t len)
{
    if (len - 1 < 8)
        return short_word_hash (kulak_bytes_load8 (word, len), len);
    return XXH3_64bits (word, len);
}

uint64_t
kulak_token_word_hash (const char *word, size_t len)
{
    return word_hash (word, len);
}

/* The key hash from a key's word hash, which the stem cache uses too. */
static inline uint32_t
key_hash_of (uint64_t h)
{
    return (uint32_t) (h ^ (h >> 32)) | 1;
}

uint32_t
kulak_token_key_hash (const char *key, size_t len)
{
    return key_hash_of (word_hash (key, len));
}

typedef struct {
    kulak_tokenizer_t *tokenizer;
    tokens_block_t *block;
    kulak_tokens_t *tokens;
    size_t cap;
    /* The free room of the arena's newest chunk: what arena_reserve reads for every
       string, two loads where the chunk's own fields, through the block, took four. */
    char *arena_at;
    char *arena_end;
    /* The sentence and clause of the next token. Before the first token, the breaks before
       it, each counted (kulak_tokenize sets the first token's own to 0 at the end, and
       the others keep counting from there, as they always have); after, the last token's
       own, plus one where its marks end a sentence (or a clause) there, as mark_previous
       sets them: so new_token, once a token, reads them and nothing else. */
    uint16_t sentence;
    uint16_t clause;
    size_t caps_letters;          /* for all_caps: upper-case letters in the text */
    size_t letters;
    size_t quote_open;            /* tokens before an open double quote, + 1; 0: none open */
} builder_t;

/* A double quote opens or closes a quotation: “ and « open, ” and » close, a straight "
   closes an open one and opens one only at the start of a word (not the inch mark of
   27"). A sentence end closes none: it drops the open quotation (mark_previous). The words
   of a short quotation (at most three) are marked quoted: scare quotes ("quiet room",
   "approved") or a label someone else wrote, not the writer's own praise. A text quoted as
   a whole is the writer's own (survey exports quote answers): kulak_tokenize unmarks it. */
static void
mark_quote (builder_t *b, int32_t cp, bool word_start)
{
    size_t count = b->tokens->count;
    bool opening = cp == 0x201C || cp == 0xAB;
    bool closing = cp == 0x201D || cp == 0xBB;
    if (!b->quote_open || opening) {
        if (!closing && (opening || word_start))
            b->quote_open = count + 1;
        return;
    }
    size_t first = b->quote_open - 1;
    b->quote_open = 0;
    if (count > first && count - first <= 3)
        for (size_t t = first; t < count; t++)
            b->tokens->items [t].flags |= KULAK_TOKEN_QUOTED;
}

/* A new chunk for the arena, of `size` bytes at least. */
static chunk_t *
arena_grow (builder_t *b, size_t size)
{
    chunk_t *chunk = b->block->chunk;
    size_t cap = chunk->cap * 2 > size ? chunk->cap * 2 : size;
    if (cap < 1024)
        cap = 1024;
    chunk_t *fresh = kulak_malloc (sizeof *fresh + cap);
    fresh->next = chunk;
    fresh->cap = cap;
    b->block->chunk = fresh;
    b->arena_at = fresh->data;
    b->arena_end = fresh->data + cap;
    return fresh;
}

/* Room for `size` bytes in the arena; arena_commit then says how many were used. Inline,
   growing out of line: two or three calls per token, and the chunk nearly always has room. */
static inline char *
arena_reserve (builder_t *b, size_t size)
{
    if (__builtin_expect ((size_t) (b->arena_end - b->arena_at) < size, 0))
        arena_grow (b, size);
    return b->arena_at;
}

static void
arena_commit (builder_t *b, size_t size)
{
    b->arena_at += size;
}

/* (inline, and the copy inline: a stem cache hit whose stem is not the word copies it,
   a call to memcpy for a few bytes) */
static inline char *
arena_copy (builder_t *b, const char *s, size_t len)
{
    char *copy = arena_reserve (b, len + 1);
    kulak_bytes_copy (copy, s, len);
    copy [len] = 0;
    arena_commit (b, len + 1);
    return copy;
}

/* Scratch space of the tokenizer, at least `size` bytes. */
static char *
scratch (kulak_tokenizer_t *self, size_t size)
{
    if (self->scratch_cap < size) {
        self->scratch_cap = size > 256 ? size : 256;
        free (self->scratch);
        self->scratch = kulak_malloc (self->scratch_cap);
    }
    return self->scratch;
}

/* The cache is read at random, a few times per word: on huge pages (see
   kulak_calloc_huge) its lookups cost no TLB misses. */
static void
stem_cache_new (kulak_tokenizer_t *self)
{
    self->stem_cache = kulak_calloc_huge (STEM_CACHE_SETS * STEM_CACHE_WAYS
                                          * sizeof (stem_slot_t));
}

static inline stem_slot_t *
stem_set (stem_slot_t *cache, uint64_t h)
{
    return &cache [(h & (STEM_CACHE_SETS - 1)) * STEM_CACHE_WAYS];
}

/* Asks for the stem of a form in the arena once the text is read, so the stem cache's lines
   for all its words are fetched from memory together rather than one by one: until then
   the word's stem fields hold the form, its length and its word_hash (kulak_tokenize then
   looks up every word's). Inline, as new_token: both run for every word, and the calls
   cost more than their work. */
static inline void
defer_stem (builder_t *b, kulak_token_t *token, const char *form, size_t len, uint64_t h)
{
    kulak_tokenizer_t *self = b->tokenizer;
    token->stem = (char *) form;
    token->stem_len = (uint32_t) len;
    token->stem_hash = h;
    /* Only the first way: a word seen before is nearly always there (a hit moves to the
       front), and fetching the second way too (of two, then), most often an empty slot,
       cost a line of cache and a fill buffer per word for nothing (tagging 1-4% slower, as
       measured on a noisy 2-core VM). */
    __builtin_prefetch (stem_set (self->stem_cache, h));
}

/* Whether a slot holds the stem of a form of `len` bytes (at most STEM_SLOT_BYTES) in
   `lang` whose word_hash is `h`. Inline: the loop that stems a text's words asks it for
   every word. */
static inline __attribute__ ((always_inline)) bool
slot_holds (const stem_slot_t *slot, kulak_lang_t lang, uint64_t h, const char *form,
            size_t len)
{
    return slot->tag == ((uint32_t) (h >> 32) | 1) && slot->lang == lang
        && slot->word_len == len && kulak_bytes_equal (slot->bytes, form, len);
}

/* The token's stem from a slot that holds it (slot_holds): a stem that is the word is
   the form in the arena. */
static inline __attribute__ ((always_inline)) void
stem_from_slot (builder_t *b, kulak_token_t *token, const stem_slot_t *slot, const char *form,
                size_t len)
{
    token->stem = slot->stem_is_word ? (char *) form
                                     : arena_copy (b, slot->bytes + len, slot->stem_len);
    token->stem_len = slot->stem_len;
    token->stem_hash = slot->stem_hash;
}

/* Where the token's lookups may keep what they found: with its word in the cache, unless
   the key comes from more than the word (an elongated word's stem is asked of its form
   squeezed to one letter, its key is squeezed to two). */
static inline kulak_token_memo_t *
memo_of (kulak_tokenizer_t *self, const kulak_token_t *token, stem_slot_t *slot)
{
    slot->handed = self->text_serial;
    return token->flags & KULAK_TOKEN_ELONGATED ? NULL : &slot->memo;
}

/* The slots of a set are about to move: the one at `way` to the front, those before it
   one on; or with `dropped`, the one at `way` (the last) leaves the cache for a new word.
   The memos of the list being made follow their words, and those of the lists made before
   are no longer ok. (The slots mostly hold no memo of the list being made: the word moved
   for was most often read in some earlier text. The slots say so, and its tokens are not
   looked at.) */
static void
memo_follow (builder_t *b, const kulak_token_t *token, stem_slot_t *set, int way, bool dropped)
{
    memo_clock_tick ();
    uint8_t serial = b->tokenizer->text_serial;
    bool handed = false;
    for (int w = 0; w <= way; w++)
        handed |= set [w].handed == serial;
    if (!handed)
        return;
    /* (only the tokens before `token` have memos yet; NULL is far from any set) */
    for (kulak_token_t *t = b->tokens->items; t < token; t++) {
        uintptr_t offset = (uintptr_t) t->memo - (uintptr_t) set;
        if (offset >= STEM_CACHE_WAYS * sizeof *set)
            continue;
        size_t at = offset / sizeof *set;
        if (at == (size_t) way)
            t->memo = dropped ? NULL : &set [0].memo;
        else if (at < (size_t) way)
            t->memo = &set [at + 1].memo;
    }
}

/* The stem of a form of `len` bytes whose word_hash is `h` for the token: Snowball's, for
   Turkish without Turkish marks; with its length and hash. The form is in the arena, so
   a stem that is the form can be the form. (kulak_tokenize takes the hits in a set's first
   way itself: here come the others and the misses, out of line.) */
static __attribute__ ((noinline)) void
stem_token (builder_t *b, kulak_token_t *token, const char *form, size_t len, uint64_t h)
{
    kulak_tokenizer_t *self = b->tokenizer;
    kulak_lang_t lang = b->tokens->lang;
    bool turkish = lang == KULAK_LANG_TR;
    struct sb_stemmer *stemmer = turkish ? self->stem_tr : self->stem_en;
    stem_slot_t *set = NULL;
    uint32_t tag = 0;
    if (stemmer && len <= STEM_SLOT_BYTES) {
        tag = (uint32_t) (h >> 32) | 1;
        set = stem_set (self->stem_cache, h);
        for (int way = 0; way < STEM_CACHE_WAYS; way++) {
            if (slot_holds (&set [way], lang, h, form, len)) {
                stem_from_slot (b, token, &set [way], form, len);
                if (way > 0) {           /* most recently used first, the others after */
                    memo_follow (b, token, set, way, false);
                    stem_slot_t hit = set [way];
                    memmove (&set [1], &set [0], (size_t) way * sizeof *set);
                    set [0] = hit;
                }
                token->memo = memo_of (self, token, &set [0]);
                return;
            }
        }
    }
    const char *stem = form;
    size_t stem_len = len;
    if (stemmer) {
        const sb_symbol *out = sb_stemmer_stem (stemmer, (const sb_symbol *) form, (int) len);
        if (out) {
            stem = (const char *) out;
            stem_len = (size_t) sb_stemmer_length (stemmer);
        }
    }
    char *result = arena_reserve (b, stem_len + 1);
    size_t result_len = stem_len;
    if (turkish)
        result_len = kulak_ascii_fold_into (stem, stem_len, result);
    else {
        memcpy (result, stem, stem_len);
        result [stem_len] = 0;
    }
    arena_commit (b, result_len + 1);
    token->stem = result;
    token->stem_len = (uint32_t) result_len;
    token->stem_hash = word_hash (result, result_len);
    bool stem_is_word = result_len == len && memcmp (result, form, len) == 0;
    if (set && (stem_is_word || len + result_len <= STEM_SLOT_BYTES)) {
        /* (the least recently used one out) */
        memo_follow (b, token, set, STEM_CACHE_WAYS - 1, true);
        memmove (&set [1], &set [0], (STEM_CACHE_WAYS - 1) * sizeof *set);
        stem_slot_t *slot = &set [0];
        slot->tag = tag;
        slot->lang = (uint8_t) lang;
        slot->word_len = (uint8_t) len;
        slot->stem_len = (uint8_t) result_len;
        slot->stem_is_word = stem_is_word;
        slot->stem_hash = token->stem_hash;
        slot->memo = (kulak_token_memo_t) { 0 };
        memcpy (slot->bytes, form, len);
        if (!stem_is_word)
            memcpy (slot->bytes + len, result, result_len);
        token->memo = memo_of (self, token, slot);
    }
}

static inline kulak_token_t *
new_token (builder_t *b, kulak_token_kind_t kind, uint32_t start, uint32_t end)
{
    kulak_tokens_t *tokens = b->tokens;
    if (tokens->count == b->cap) {
        b->cap *= 2;
        if (tokens->items == b->block->inline_items) {
            tokens->items = kulak_malloc (b->cap * sizeof *tokens->items);
            memcpy (tokens->items, b->block->inline_items, tokens->count * sizeof *tokens->items);
        }
        else
            tokens->items = kulak_realloc (tokens->items, b->cap * sizeof *tokens->items);
    }
    kulak_token_t *token = &tokens->items [tokens->count++];
    memset (token, 0, sizeof *token);
    token->kind = (uint8_t) kind;
    token->start = start;
    token->end = end;
    /* The token before is done: mark_previous has carried its sentence and clause end
       marks into b->sentence and b->clause (see builder_t). */
    token->sentence = b->sentence;
    token->clause = b->clause;
    return token;
}

static void
set_key (kulak_token_t *token, char *key, size_t len)
{
    token->key = key;
    token->key_len = (uint32_t) len;
    token->key_hash = kulak_token_key_hash (key, len);
}

/* key1: the word squeezed to one letter (form1), without Turkish marks for Turkish; kept
   only when it differs from the key. */
static void
set_key1 (builder_t *b, kulak_token_t *token, const char *form1, size_t form1_len, bool turkish)
{
    char *key1 = arena_reserve (b, form1_len + 1);
    size_t key1_len = turkish ? kulak_ascii_fold_into (form1, form1_len, key1)
                              : (memcpy (key1, form1, form1_len), key1 [form1_len] = 0, form1_len);
    if (key1_len != token->key_len || memcmp (key1, token->key, key1_len) != 0) {
        arena_commit (b, key1_len + 1);
        token->key1 = key1;
    }
}

/* Typed laughter has no fixed spelling: "hahahaha", "ahahah", "hehe", "jajaja", "lolol".
   Its lexicon key is one of the spellings the lexicons hold: two syllables "haha", three
   or more "hahaha", "lol" for lol-lol. NULL for any other word (`form`: lowered, squeezed
   to two, so "haaahaaa" comes as "haahaa"; at least 4 bytes, its first letter one of
   LAUGHTER_FIRST_LETTERS). */
#define LAUGHTER_FIRST_LETTERS \
    (1u << ('a' - 'a') | 1u << ('h' - 'a') | 1u << ('j' - 'a') | 1u << ('l' - 'a'))

static const char *
laughter_key (const char *form, size_t len)
{
    if (form [0] == 'l') {
        /* lol, then "ol" or "l" repeated: lolol, lololol, loll */
        if (form [1] != 'o' || form [2] != 'l')
            return NULL;
        for (size_t i = 3; i < len; i++)
            if (form [i] != 'l' && !(form [i] == 'o' && i + 1 < len && form [i + 1] == 'l'))
                return NULL;
        return "lol";
    }
    /* syllables of h (or j) and one or two of a, e, i; an "a" before, an "h" after */
    size_t i = form [0] == 'a' && (form [1] == 'h' || form [1] == 'j'), syllables = 0;
    char h = form [i];
    if (h != 'h' && h != 'j')
        return NULL;
    while (i < len && form [i] == h) {
        size_t vowels = 0;
        while (i + 1 + vowels < len && vowels < 2 && (form [i + 1 + vowels] == 'a'
                                                      || form [i + 1 + vowels] == 'e'
                                                      || form [i + 1 + vowels] == 'i'))
            vowels++;
        if (!vowels)
            break;
        i += 1 + vowels;
        syllables++;
    }
    if (i + 1 == len && form [i] == h)
        i++;
    if (i != len || syllables < 2)
        return NULL;
    return syllables == 2 ? "haha" : "hahaha";
}

/* An English word typed without its final g ("lovin", "talkin", "freakin"): the spelling
   with it, as key1, in `out` (len + 2 bytes); false for other words. Words ending in -ain,
   -ein and -oin are rarely such (again, certain, protein), nor are the words and names
   below, whose spelling with a g is a lexicon entry ("Robin" would be "robing" -1.5). */
static bool
g_dropped_key (const char *form, size_t len, char *out)
{
    static const char *not_dropped [] = { "robin", "gratin", "carin", "darin", NULL };
    if (len < 5 || form [len - 2] != 'i' || form [len - 1] != 'n'
        || strchr ("aeo", form [len - 3]))
        return false;
    for (const char **w = not_dropped; *w; w++)
        if (strlen (*w) == len && memcmp (*w, form, len) == 0)
            return false;
    memcpy (out, form, len);
    out [len] = 'g';
    out [len + 1] = 0;
    return true;
}

/* Any other word: fold (Turkish-aware), squeeze to two, drop Turkish marks for the key;
   what kulak_text_fold, _squeeze and _ascii_fold do, without their allocations. */
static void
push_other_word (builder_t *b, kulak_token_t *token, const char *raw, size_t raw_len)
{
    bool turkish = b->tokens->lang == KULAK_LANG_TR;
    char *folded = scratch (b->tokenizer, 4 * raw_len + 4);
    size_t folded_len = kulak_fold_into (raw, raw_len, b->tokens->lang, folded);
    char *form1 = folded + folded_len + 1;      /* room for a squeezed copy of the form */
    bool elongated = false;
    char *form = arena_reserve (b, folded_len + 1);
    size_t form_len = kulak_squeeze_into (folded, folded_len, 2, form, &elongated);
    arena_commit (b, form_len + 1);
    if (elongated)
        token->flags |= KULAK_TOKEN_ELONGATED;
    token->form = form;
    if (turkish) {
        char *key = arena_reserve (b, form_len + 1);
        size_t key_len = kulak_ascii_fold_into (form, form_len, key);
        arena_commit (b, key_len + 1);
        set_key (token, key, key_len);
    }
    else
        set_key (token, form, form_len);
    if (!elongated) {
        defer_stem (b, token, form, form_len, word_hash (form, form_len));
        return;
    }
    /* key1 and the stem come from the folded word squeezed to one letter: squeezing the
       two-letter form again would change nothing ("sooo" -> "soo" -> "soo"). */
    size_t form1_len = kulak_squeeze_into (folded, folded_len, 1, form1, NULL);
    form1 = arena_copy (b, form1, form1_len);
    set_key1 (b, token, form1, form1_len, turkish);
    defer_stem (b, token, form1, form1_len, word_hash (form1, form1_len));
}

/* A word of one- and two-byte code points (Turkish and other Latin letters) that is not
   elongated: counted, folded and squeezed in one pass, the general path's results without
   its passes. Returns false, with nothing kept, for any other word. A Turkish word's key
   (the form without Turkish marks) is written in the same pass, after the room the form
   may take (that room's unused bytes are left unused). */
static bool
push_latin_word (builder_t *b, kulak_token_t *token, const char *raw, size_t raw_len)
{
    bool turkish = b->tokens->lang == KULAK_LANG_TR;
    uint8_t *form = (uint8_t *) arena_reserve (b, (turkish ? 4 : 2) * raw_len + 2);
    uint8_t *o = form;
    uint8_t *key = form + 2 * raw_len + 1, *k = key;
    const uint8_t *p = (const uint8_t *) raw, *end = p + raw_len;
    size_t letters = 0, upper = 0;
    int32_t last = -1, before_last = -1;    /* the last two folded code points */
    while (p < end) {
        int32_t cp = p [0];
        if ((uint8_t) (cp - 'a') < 26) {
            /* Most bytes of such words: a lower-case ASCII letter is its own folding and
               key byte, with none of the tests below but elongation's (the loop took some
               thirty instructions a byte, a tenth of tagging a Turkish text). */
            if (cp == last && cp == before_last)
                return false;                /* elongated */
            p++;
            letters++;
            *o++ = (uint8_t) cp;
            if (turkish)
                *k++ = (uint8_t) cp;
            before_last = last;
            last = cp;
            continue;
        }
        if (p [0] < 0x80)
            cp = *p++;
        else if ((uint8_t) (p [0] - 0xC2) <= 0xDF - 0xC2 && p + 1 < end
                 && (p [1] & 0xC0) == 0x80) {
            cp = ((p [0] & 0x1F) << 6) | (p [1] & 0x3F);
            p += 2;
        }
        else
            return false;
        int category = kulak_cc_category_table [cp];
        if (category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_LO) {
            letters++;
            upper += category == UTF8PROC_CATEGORY_LU;
        }
        if (cp == 0x0307 && last == 'i')
            continue;                        /* dotted capital I decomposed elsewhere */
        int32_t folded = turkish && cp == 'I' ? 0x0131
                       : cp == 0x0130 ? 'i' : kulak_cc_lower_table [cp];
        if (folded >= 0x800)
            return false;
        if (folded == last && folded == before_last && kulak_cc_is_letter (folded))
            return false;                    /* elongated */
        utf8proc_ssize_t n = kulak_cc_put (folded, o);
        if (turkish) {                       /* what kulak_ascii_fold_into makes of it */
            int32_t ascii = folded < 0x80 ? folded : kulak_cc_ascii_of_turkish (folded);
            if (ascii < 0x80)
                *k++ = (uint8_t) ascii;
            else {                           /* (two bytes, as folded < 0x800) */
                k [0] = o [0];
                k [1] = o [1];
                k += 2;
            }
        }
        o += n;
        before_last = last;
        last = folded;
    }
    size_t len = (size_t) (o - form);
    *o = 0;
    if (turkish) {
        *k = 0;
        arena_commit (b, (size_t) (k + 1 - form));
    }
    else
        arena_commit (b, len + 1);
    b->letters += letters;
    b->caps_letters += upper;
    if (letters >= 2 && upper == letters)
        token->flags |= KULAK_TOKEN_CAPS;
    token->form = (char *) form;
    uint64_t h = word_hash ((const char *) form, len);
    if (turkish)
        set_key (token, (char *) key, (size_t) (k - key));
    else {
        token->key = (char *) form;
        token->key_len = (uint32_t) len;
        token->key_hash = key_hash_of (h);
    }
    defer_stem (b, token, (const char *) form, len, h);
    return true;
}

/* Whether a letter follows two copies of itself in the eight bytes of `word` (letters in
   memory order, none 0), `past` set in the bytes that are no part of the word: a byte of
   `same` is 0 where a byte equals the next two. (The two bytes after the last are 0 in
   `word` or shifted in as 0, and a letter is not: only triples inside count.) */
static inline bool
has_triple (uint64_t word, uint64_t past)
{
    uint64_t same = (word ^ (word >> 8)) | (word ^ (word >> 16)) | past;
    return ((same - 0x0101010101010101ULL) & ~same & 0x8080808080808080ULL) != 0;
}

/* A word of raw_len bytes; `lower_ascii` when the scanner saw only lower-case ASCII
   letters in it. */
static void
push_word (builder_t *b, const char *raw, size_t raw_len, uint32_t start, uint32_t end,
           bool lower_ascii)
{
    kulak_token_t *token = new_token (b, KULAK_TOKEN_WORD, start, end);
    bool turkish = b->tokens->lang == KULAK_LANG_TR;
    /* Most words are ASCII (for Turkish: without a capital I, which folds to ı). They are
       counted, lowered and squeezed in one pass; their key is their form (ASCII has no
       Turkish marks, and a squeezed form has no run of three letters left for key1). */
    /* (8 bytes more: the shortest way below stores a word of up to 8 in one) */
    char *form = arena_reserve (b, raw_len + 9);
    size_t len = 0, letters = 0, upper = 0, i = 0;
    bool elongated = false;
    if (lower_ascii && raw_len <= 8) {
        /* Most words of all: the pass below would copy them as they are, unless a letter
           follows two copies of itself. Here without a branch a byte: the word in one
           integer (two overlapping loads), a zero byte of `same` where a byte equals the
           next two, and one store. (The pass, a dozen instructions a byte and a loop that
           ended at each word's length, was a twentieth of tagging's instructions.) */
        uint64_t word = kulak_bytes_load8 (raw, raw_len);
        if (!has_triple (word, ~0ULL << (8 * raw_len - 1) << 1)) {
            memcpy (form, &word, 8);         /* (with its NUL when under 8 bytes) */
            len = letters = i = raw_len;
        }
    }
    else if (lower_ascii) {
        /* (a longer one: the same, eight bytes at a time, six apart, so that any three in
           a row are whole in one of them; the last eight end with the word) */
        bool triple = false;
        uint64_t eight;
        for (size_t at = 0; at + 8 < raw_len; at += 6) {
            memcpy (&eight, raw + at, 8);
            triple |= has_triple (eight, 0);
        }
        memcpy (&eight, raw + raw_len - 8, 8);
        triple |= has_triple (eight, 0);
        if (!triple) {
            kulak_bytes_copy (form, raw, raw_len);     /* (inline up to 16 bytes) */
            len = letters = i = raw_len;
        }
    }
    for (; i < raw_len; i++) {
        uint8_t c = (uint8_t) raw [i];
        if (c >= 0x80 || (turkish && c == 'I'))
            break;
        if ((uint8_t) (c - 'A') < 26) {
            upper++;
            c += 'a' - 'A';
        }
        bool letter = (uint8_t) (c - 'a') < 26;
        letters += letter;
        /* A letter after two copies of itself is elongation: runs of 3+ keep two. */
        if (letter && len >= 2 && form [len - 1] == (char) c && form [len - 2] == (char) c) {
            elongated = true;
            continue;
        }
        form [len++] = (char) c;
    }
    if (i == raw_len) {
        form [len] = 0;
        arena_commit (b, len + 1);
        b->letters += letters;
        b->caps_letters += upper;
        if (letters >= 2 && upper == letters)
            token->flags |= KULAK_TOKEN_CAPS;
        if (elongated)
            token->flags |= KULAK_TOKEN_ELONGATED;
        uint64_t h = word_hash (form, len);
        token->form = form;
        token->key = form;
        token->key_len = (uint32_t) len;
        token->key_hash = key_hash_of (h);
        /* (laughter is rare: length and first letter turn most words away) */
        uint32_t first = (uint8_t) form [0] - 'a';
        const char *laugh = len >= 4 && first < 26 && ((LAUGHTER_FIRST_LETTERS >> first) & 1)
                          ? laughter_key (form, len) : NULL;
        if (!elongated) {
            if (laugh)
                set_key1 (b, token, laugh, strlen (laugh), false);
            else if (form [len - 1] == 'n' && len >= 5 && form [len - 2] == 'i'
                     && b->tokens->lang == KULAK_LANG_EN) {
                char *with_g = scratch (b->tokenizer, len + 2);
                if (g_dropped_key (form, len, with_g))
                    set_key1 (b, token, with_g, len + 1, false);
            }
            defer_stem (b, token, form, len, h);
            return;
        }
        /* Elongated: the one-letter squeeze of the lowered word gives key1 and the stem. */
        char *lowered = scratch (b->tokenizer, 2 * raw_len + 2);
        for (size_t k = 0; k < raw_len; k++)
            lowered [k] = (char) ((uint8_t) (raw [k] - 'A') < 26 ? raw [k] + 'a' - 'A' : raw [k]);
        char *form1 = lowered + raw_len + 1;
        size_t form1_len = kulak_squeeze_into (lowered, raw_len, 1, form1, NULL);
        form1 = arena_copy (b, form1, form1_len);
        if (laugh)
            set_key1 (b, token, laugh, strlen (laugh), false);
        else
            set_key1 (b, token, form1, form1_len, false);
        defer_stem (b, token, form1, form1_len, word_hash (form1, form1_len));
        return;
    }
    if (push_latin_word (b, token, raw, raw_len))
        return;
    /* Other words: letters counted by code point, then the general path. */
    upper = letters = 0;
    const uint8_t *p = (const uint8_t *) raw, *stop = p + raw_len;
    while (p < stop) {
        if (*p < 0x80) {
            letters += kulak_cc_ascii_alpha (*p);
            upper += kulak_cc_ascii_upper (*p);
            p++;
            continue;
        }
        int32_t cp;
        utf8proc_ssize_t n = kulak_cc_next (p, stop - p, &cp);
        if (n <= 0)
            break;
        int category = kulak_cc_category (cp);
        if (category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_LO) {
            letters++;
            upper += category == UTF8PROC_CATEGORY_LU;
        }
        p += n;
    }
    b->letters += letters;
    b->caps_letters += upper;
    if (letters >= 2 && upper == letters)
        token->flags |= KULAK_TOKEN_CAPS;
    push_other_word (b, token, raw, raw_len);
}

/* Whether laughter_key could find laughter in a word of 4 bytes or more (lowered, in one
   integer): it starts with "lol", with h or j and then a, e or i, or with "ah" or "aj".
   Most words with laughter's first letters do not ("have", "love", "about", "just"), and
   they were a word a text that took push_word's longer way. */
static inline bool
may_be_laughter (uint64_t word)
{
    uint8_t first = (uint8_t) word, second = (uint8_t) (word >> 8);
    if (first == 'l')
        return second == 'o' && (uint8_t) (word >> 16) == 'l';
    if (first == 'a')
        return second == 'h' || second == 'j';
    return (first == 'h' || first == 'j') && (second == 'a' || second == 'e' || second == 'i');
}

/* push_word's shortest ways again, for the words that take them and need nothing else:
   of ASCII letters alone, 8 at most (`lower`: of lower-case ones; else, in English only,
   as Turkish folds I to ı), no letter after two copies of itself, no laughter nor English
   g-dropping to look at (push_word's own tests, made before any of its work here).
   Inlined into kulak_tokenize: most words of all are such, and the call, its saves and
   restores cost more than the rest of the work. Returns false, having done nothing, for
   any other word. */
static inline __attribute__ ((always_inline)) bool
push_short_word (builder_t *b, const char *raw, size_t raw_len, uint32_t start, uint32_t end,
                 bool lower)
{
    uint64_t word = kulak_bytes_load8 (raw, raw_len);
    size_t upper = 0;
    if (!lower) {
        /* Lowered in one integer: a letter's bit 5 is clear in capitals alone. Capitals
           counted by a multiply that adds their bits up in the top byte (a popcount is a
           library call on x86-64 without -mpopcnt). (Apart from the lower-case words, most
           words by far, which would pay for all this for nothing.) */
        if (b->tokens->lang == KULAK_LANG_TR)
            return false;
        uint64_t case_bits = 0x2020202020202020ULL >> (64 - 8 * raw_len);
        upper = (size_t) ((((~word & case_bits) >> 5) * 0x0101010101010101ULL) >> 56);
        word |= case_bits;
    }
    if (has_triple (word, ~0ULL << (8 * raw_len - 1) << 1))
        return false;                    /* elongated */
    if ((raw_len >= 4 && may_be_laughter (word))
        || (raw_len >= 5 && (uint16_t) (word >> (8 * raw_len - 16)) == ('i' | 'n' << 8)))
        return false;
    kulak_token_t *token = new_token (b, KULAK_TOKEN_WORD, start, end);
    b->letters += raw_len;
    if (!lower) {
        b->caps_letters += upper;
        if (raw_len >= 2 && upper == raw_len)
            token->flags |= KULAK_TOKEN_CAPS;
    }
    char *form = arena_reserve (b, 9);
    memcpy (form, &word, 8);             /* (with its NUL when under 8 bytes) */
    form [raw_len] = 0;
    arena_commit (b, raw_len + 1);
    uint64_t h = short_word_hash (word, raw_len);
    token->form = form;
    token->key = form;
    token->key_len = (uint32_t) raw_len;
    token->key_hash = key_hash_of (h);
    defer_stem (b, token, form, raw_len, h);
    return true;
}

/* Numbers, emoji, emoticons and masks keep their text as form, key and stem. */
static void
push_verbatim (builder_t *b, kulak_token_kind_t kind, const char *raw, size_t raw_len,
               uint32_t start, uint32_t end)
{
    kulak_token_t *token = new_token (b, kind, start, end);
    char *copy = arena_copy (b, raw, raw_len);
    token->form = copy;
    token->stem = copy;
    token->stem_len = (uint32_t) raw_len;
    set_key (token, copy, raw_len);
}

/* (inline: called at most punctuation, and the call cost as much as its work) */
static inline void
mark_previous (builder_t *b, uint16_t flags)
{
    if (b->tokens->count) {
        /* Several sentence ends in a row ("!!!", "...") mark the token once, and count as
           one break: the next token's numbers follow from this one's final marks. */
        kulak_token_t *last = &b->tokens->items [b->tokens->count - 1];
        last->flags |= flags;
        b->sentence = (uint16_t) (last->sentence
                                  + ((last->flags & KULAK_TOKEN_SENTENCE_END) != 0));
        b->clause = (uint16_t) (last->clause
                                + ((last->flags & (KULAK_TOKEN_SENTENCE_END
                                                   | KULAK_TOKEN_CLAUSE_END)) != 0));
    }
    else if (flags & KULAK_TOKEN_SENTENCE_END) {
        b->sentence++;
        b->clause++;
    }
    else if (flags & KULAK_TOKEN_CLAUSE_END)
        b->clause++;
    if (flags & KULAK_TOKEN_SENTENCE_END)
        b->quote_open = 0;                /* a quotation ends with its sentence */
}

/* Mask placeholders written by kulak_text_mask_pii. */
static size_t
mask_at (const char *s)
{
    static const struct { const char *text; size_t len; } masks [] = {
        { "[email]", 7 }, { "[phone]", 7 }, { "[iban]", 6 }, { "[card]", 6 },
    };
    for (size_t i = 0; i < sizeof masks / sizeof masks [0]; i++)
        if (strncmp (s, masks [i].text, masks [i].len) == 0)
            return masks [i].len;
    return 0;
}

/* ASCII bytes that may start a mask ("[email]"), a web address or a handle. */
static const uint8_t s_starts_special [128] = {
    ['['] = 1, ['h'] = 1, ['H'] = 1, ['w'] = 1, ['W'] = 1, ['@'] = 1,
};

/* ASCII letters and digits, for the runs that make most words. */
enum {
    ASCII_LOWER = 1, ASCII_DIGIT = 2, ASCII_UPPER = 4, ASCII_LETTER = ASCII_LOWER | ASCII_UPPER
};
static const uint8_t s_ascii_alnum [256] = {
    ['0'] = ASCII_DIGIT, ['1'] = ASCII_DIGIT, ['2'] = ASCII_DIGIT, ['3'] = ASCII_DIGIT,
    ['4'] = ASCII_DIGIT, ['5'] = ASCII_DIGIT, ['6'] = ASCII_DIGIT, ['7'] = ASCII_DIGIT,
    ['8'] = ASCII_DIGIT, ['9'] = ASCII_DIGIT,
    ['A' ... 'Z'] = ASCII_UPPER, ['a' ... 'z'] = ASCII_LOWER,
};

/* Whether an ASCII mark between two digits joins them into one number: "1.250,00", and
   a score, date or range ("9/10", "1/10/2024", "5-10"), so that a score is one token
   ("9/10") that neither a range ("1-10") nor a date with its year can be taken for. */
static inline bool
joins_digits (uint8_t c)
{
    return c == '.' || c == ',' || c == '/' || c == '-';
}

/* The end of the run of ASCII letters and digits from pos, and in *kinds the kinds of byte
   in it. (The text's NUL, of kind 0, ends a run at the end.) Two bytes a step, the second
   read only once the first is a letter or digit, so not the NUL: a byte a step took half
   as many instructions again. */
static inline __attribute__ ((always_inline)) size_t
ascii_run (const uint8_t *s, size_t pos, uint8_t *kinds)
{
    uint8_t seen = 0;
    for (;;) {
        uint8_t first = s_ascii_alnum [s [pos]];
        if (!first)
            break;
        uint8_t second = s_ascii_alnum [s [pos + 1]];
        if (!second) {
            seen |= first;
            pos++;
            break;
        }
        seen |= first | second;
        pos += 2;
    }
    *kinds = seen;
    return pos;
}

/* A fraction written with a space beside its slash, "9 / 10", "2 /5": the number of up to
   three digits that ends at `pos` (the word so far, *wlen bytes from `begin`, or in `word`
   when *copied) takes the slash and the number after it, as "9/10" is one token (see
   joins_digits), so that such a score counts as one. Not in a run of three numbers, the
   third after them or before them ("1 / 10 / 2024", "2024 / 1 / 5": dates). Returns where
   the word now ends, `pos` when nothing was joined. (Out of line: numbers are rare, and
   this is rarer.) */
static __attribute__ ((noinline)) size_t
join_spaced_fraction (const uint8_t *s, size_t pos, char *word, size_t *wlen, bool *copied,
                      const uint8_t *begin, uint32_t *cpi)
{
    size_t from = (size_t) (begin - s);  /* where the first number starts */
    size_t before = from - (from > 0 && s [from - 1] == ' ');
    if (before > 0 && s [before - 1] < 0x80 && joins_digits (s [before - 1])
        && ((before > 1 && s_ascii_alnum [s [before - 2]] == ASCII_DIGIT)
            || (before > 2 && s [before - 2] == ' '
                && s_ascii_alnum [s [before - 3]] == ASCII_DIGIT)))
        return pos;                      /* a number before it: no fraction */
    size_t at = pos;
    at += s [at] == ' ';
    if (s [at] != '/')
        return pos;
    at++;
    at += s [at] == ' ';
    if (at - pos < 2)                    /* ("9/10" the word took already) */
        return pos;
    uint8_t kinds;
    size_t end = ascii_run (s, at, &kinds);
    if (end == at || kinds != ASCII_DIGIT || end - at > 3)
        return pos;
    size_t after = end + (s [end] == ' ');
    if (s [after] < 0x80 && joins_digits (s [after])
        && (s_ascii_alnum [s [after + 1]] == ASCII_DIGIT
            || (s [after + 1] == ' ' && s_ascii_alnum [s [after + 2]] == ASCII_DIGIT)))
        return pos;                      /* a third number: no fraction */
    if (!*copied) {
        memcpy (word, begin, *wlen);
        *copied = true;
    }
    word [(*wlen)++] = '/';
    memcpy (word + *wlen, s + at, end - at);
    *wlen += end - at;
    *cpi += (uint32_t) (end - pos);      /* (ASCII: a byte a code point) */
    return end;
}

/* Which of the 64 bytes of a text from `base` on are lower-case ASCII letters: bit i for
   byte base + i, none past the text. kulak_tokenize takes most words of all from them, and
   asks for the next window at `refill`, nine bytes before this one's end, so that most
   words and the byte after them fit in it (never, once it reaches the text's end). */
typedef struct {
    size_t base;
    size_t refill;
    uint64_t lower;
} lower_window_t;

/* The window of the 64 bytes from pos, sixteen at a time; no byte past the text is read:
   near its end, the text's last 64 bytes are read, and the bits of those before pos shifted
   out (a text under 64 bytes is read from a copy padded with NULs). (Out of line: a text
   takes one to three.) */
static __attribute__ ((noinline)) void
lower_window_fill (lower_window_t *window, const uint8_t *s, size_t pos, size_t len)
{
    uint8_t copy [64];
    const uint8_t *from = s + pos;
    unsigned before = 0;                 /* bytes read before pos */
    if (len - pos < sizeof copy) {
        if (len >= sizeof copy) {
            from = s + len - sizeof copy;
            before = (unsigned) (pos - (len - sizeof copy));
        }
        else {
            memset (copy, 0, sizeof copy);
            memcpy (copy, from, len - pos);
            from = copy;
        }
    }
    uint64_t lower = 0;
#pragma GCC unroll 4    /* (GCC kept the loop: counting it cost a fifth of the fill) */
    for (int k = 0; k < 4; k++) {
        bytes16_t v = load16 (from + 16 * k);
        lower |= (uint64_t) lane_bits ((lanes16_t) ((bytes16_t) (v - 'a') < 26)) << (16 * k);
    }
    window->base = pos;
    window->refill = pos + sizeof copy < len ? pos + sizeof copy - 9 : SIZE_MAX;
    window->lower = lower >> before;
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

/* English "n't": "didn" -> "did", with a few irregular ones. `word` holds `len` bytes and
   room for a NUL. */
static void
push_english_negation (builder_t *b, char *word, size_t len, uint32_t start, uint32_t end,
                       uint32_t not_start)
{
    static const struct { const char *from, *to; } irregular [] = {
        { "ca", "can" }, { "wo", "will" }, { "ai", "is" }, { "sha", "shall" },
        { "Ca", "Can" }, { "Wo", "Will" }, { "Ai", "Is" }, { "CA", "CAN" }, { "WO", "WILL" },
    };
    word [--len] = 0;            /* drop the trailing n */
    const char *base = word;
    for (size_t i = 0; i < sizeof irregular / sizeof irregular [0]; i++)
        if (kulak_str_same (base, irregular [i].from))
            base = irregular [i].to;
    if (*base)
        push_word (b, base, strlen (base), start, not_start, false);
    push_word (b, "not", 3, not_start, end, false);
}

static inline uint8_t
ascii_lower (uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t) (c + 32) : c;
}

/* English "n't" typed without its apostrophe ("dont", "doesnt", "cant"), common in
   reviews and tweets; the word before the t ends in n, as push_english_negation wants. */
static inline bool
is_bare_contraction (const char *word, size_t len)
{
    static const char *const forms [] = {
        "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "werent", "wont", "cant",
        "couldnt", "wouldnt", "shouldnt", "havent", "hasnt", "hadnt", "aint", "mustnt",
        "neednt", NULL,
    };
    if (len < 4 || len > 8 || ascii_lower ((uint8_t) word [len - 1]) != 't'
        || ascii_lower ((uint8_t) word [len - 2]) != 'n')
        return false;
    char lower [9];
    for (size_t i = 0; i < len; i++)
        lower [i] = (char) ascii_lower ((uint8_t) word [i]);
    lower [len] = 0;
    for (const char *const *f = forms; *f; f++)
        if (kulak_str_same (lower, *f))
            return true;
    return false;
}

/* English clitics dropped after an apostrophe ('s 'll 're 've 'd 'm): joined they make
   other words ("he'll" -> "hell", "we'll" -> "well"). */
static bool
is_clitic (const char *clitic)
{
    return strcmp (clitic, "s") == 0 || strcmp (clitic, "ll") == 0
        || strcmp (clitic, "re") == 0 || strcmp (clitic, "ve") == 0
        || strcmp (clitic, "d") == 0 || strcmp (clitic, "m") == 0;
}

/* emoticon_at past its first test: an emoticon of the set starts with the byte at pos. */
static size_t
emoticon_from (kulak_tokenizer_t *self, const uint8_t *s, size_t pos, size_t len, bool *lowered)
{
    uint8_t c = s [pos];
    if (!self->emoticons)
        return 0;
    uint8_t lower_c = ascii_lower (c);
    size_t visible = 1;
    while (visible < 12 && pos + visible < len && s [pos + visible] < 0x80
           && s [pos + visible] > ' ')
        visible++;
    /* lengths an emoticon starting with this byte has, that fit in the run: most often
       none (a full stop or a comma before a space) */
    uint32_t fits = (2u << visible) - 1;
    uint32_t exact = self->emoticon_lengths [c] & fits;
    uint32_t folded = self->emoticon_lengths [lower_c] & fits;
    if (!(exact | folded))
        return 0;
    char lower [12];
    for (size_t i = 0; i < visible; i++)
        lower [i] = (char) ascii_lower (s [pos + i]);
    for (size_t l = visible; l >= 2; l--) {
        if (!((exact | folded) & (1u << l)))
            continue;
        int32_t after = 0;
        if (pos + l < len)
            kulak_cc_next (s + pos + l, (utf8proc_ssize_t) (len - pos - l), &after);
        if (pos + l < len && kulak_cc_is_word (after))
            continue;
        if ((exact & (1u << l)) && kulak_strmap_get (self->emoticons, (const char *) s + pos, l))
            return l;
        if ((folded & (1u << l)) && memcmp (lower, s + pos, l) != 0
            && kulak_strmap_get (self->emoticons, lower, l)) {
            *lowered = true;
            return l;
        }
    }
    return 0;
}

/* The longest emoticon of the set that starts at pos, is all visible ASCII and is not
   followed by a word character; 0 when none does. As VADER does, an emoticon matches
   in any case (":-P" is ":-p", "O_O" is "o_o"); *lowered is set when only its
   lower-case spelling is in the set. Inline, the tests of the first two bytes: asked at
   every punctuation mark, most often one that a space or the end follows (an emoticon
   has two visible bytes at least) or that starts none, the call cost more than the
   answer. */
static inline size_t
emoticon_at (kulak_tokenizer_t *self, const uint8_t *s, size_t pos, size_t len, bool *lowered)
{
    uint8_t c = s [pos];
    *lowered = false;
    if (c >= 0x80 || c <= ' ' || pos + 1 >= len || s [pos + 1] >= 0x80 || s [pos + 1] <= ' '
        || !(self->emoticon_lengths [c] | self->emoticon_lengths [ascii_lower (c)]))
        return 0;
    return emoticon_from (self, s, pos, len, lowered);
}

/* An emoticon token; its key is the lexicon's spelling when that is the lower case. */
static void
push_emoticon (builder_t *b, const char *raw, size_t raw_len, bool lowered, uint32_t start)
{
    push_verbatim (b, KULAK_TOKEN_EMOTICON, raw, raw_len, start, start + (uint32_t) raw_len);
    if (lowered) {
        kulak_token_t *token = &b->tokens->items [b->tokens->count - 1];
        char *key = arena_copy (b, raw, raw_len);
        for (size_t i = 0; i < raw_len; i++)
            key [i] = (char) ascii_lower ((uint8_t) key [i]);
        token->stem = key;
        set_key (token, key, raw_len);
    }
}

/* Length of a web address at pos (http://, https://, www.), up to the next space. */
static size_t
url_at (const uint8_t *s, size_t pos, size_t len)
{
    if (pos > 0 && s [pos - 1] > ' ' && s [pos - 1] != '(' && s [pos - 1] != '"'
        && s [pos - 1] != '<')
        return 0;
    /* Called at every word that starts with h or w: most ("have", "was") go at their
       second letter. */
    uint8_t second = pos + 1 < len ? (uint8_t) (s [pos + 1] | 0x20) : 0;
    if (second != 't' && second != 'w')
        return 0;
    static const struct { const char *text; size_t len; } starts [] = {
        { "http://", 7 }, { "https://", 8 }, { "www.", 4 }, { NULL, 0 },
    };
    for (size_t k = 0; starts [k].text; k++) {
        const char *p = starts [k].text;
        size_t n = starts [k].len;
        if (pos + n < len && strncasecmp ((const char *) s + pos, p, n) == 0
            && s [pos + n] > ' ') {
            size_t end = pos + n;
            while (end < len && s [end] > ' ')
                end++;
            /* a sentence's full stop or a closing bracket is not the address */
            while (end > pos + n && strchr (".,;:!?)]\"'>", s [end - 1]))
                end--;
            return end - pos;
        }
    }
    return 0;
}

/* Turkish typed as spoken drops the r of the present tense: "gelmiyo" (gelmiyor),
   "ulaşamıyom" (ulaşamıyorum), "donuyo", "bekliyoz", "çalışmıyolar". Writes the written
   form of such a key (without Turkish marks) to `out` (len + 4 bytes) and returns its
   length, or 0 when the key does not end so: -iyo or -uyo (ı, ü fold to i, u), then
   nothing or a person, past or hearsay ending. */
static size_t
spoken_present_key (const char *key, size_t len, char *out)
{
    static const struct { const char *spoken, *written; } endings [] = {
        { "", "" }, { "m", "um" }, { "z", "uz" }, { "sun", "sun" }, { "sunuz", "sunuz" },
        { "lar", "lar" }, { "du", "du" }, { "dum", "dum" }, { "duk", "duk" },
        { "mus", "mus" }, { NULL, NULL },
    };
    for (size_t e = 0; endings [e].spoken; e++) {
        size_t n = strlen (endings [e].spoken);
        if (len < n + 5 || memcmp (key + len - n, endings [e].spoken, n) != 0)
            continue;
        size_t yo = len - n - 3;                   /* where "iyo" or "uyo" starts */
        if ((key [yo] != 'i' && key [yo] != 'u') || key [yo + 1] != 'y' || key [yo + 2] != 'o')
            continue;
        memcpy (out, key, yo + 3);
        out [yo + 3] = 'r';
        strcpy (out + yo + 4, endings [e].written);
        return yo + 4 + strlen (endings [e].written);
    }
    return 0;
}

/* Length of a social-media handle at pos: "@" and the ASCII letters, digits and underscores
   of a Twitter name (a dot ends it: "@JetBlue.Great flight" keeps its "Great"); 0 when the
   '@' follows a letter, digit, mark or '_' (an e-mail address: "ali@united.com",
   "ömer@x.com") or no name follows it ("@ 5pm"). Other signs before it change nothing: a
   quoted retweet's curly quote ("“@united: ...") or an emoji. A retweet's "RT" glued to
   it ("RT@united") is no e-mail either. */
static size_t
handle_at (const uint8_t *s, size_t pos, size_t len)
{
    if (pos > 0 && (s_ascii_alnum [s [pos - 1]] || s [pos - 1] == '_')
        && !(pos >= 2 && s [pos - 2] == 'R' && s [pos - 1] == 'T'
             && (pos == 2 || s [pos - 3] == ' ' || s [pos - 3] == '\n' || s [pos - 3] == '\t')))
        return 0;
    if (pos > 0 && s [pos - 1] >= 0x80) {
        size_t start = pos - 1;            /* the code point before the '@' */
        while (start > 0 && (s [start] & 0xC0) == 0x80 && pos - start < 4)
            start--;
        int32_t cp;
        utf8proc_ssize_t before = (utf8proc_ssize_t) (pos - start);
        if (kulak_cc_next (s + start, before, &cp) == before && kulak_cc_is_word (cp))
            return 0;
    }
    size_t end = pos + 1;
    while (end < len && (s_ascii_alnum [s [end]] || s [end] == '_'))
        end++;
    return end > pos + 1 ? end - pos : 0;
}

kulak_tokens_t *
kulak_tokenize (kulak_tokenizer_t *self, const char *text, kulak_lang_t lang)
{
    const uint8_t *s = (const uint8_t *) text;
    size_t len = strlen (text);
    /* A token per five bytes and strings of three times the text's bytes are rarely
       exceeded; the items and the arena grow when they are. */
    builder_t b = { .tokenizer = self, .cap = len / 5 + 4 };
    b.block = tokens_block_new (b.cap, 3 * len + 64);
    b.arena_at = b.block->chunk->data;
    b.arena_end = b.arena_at + b.block->chunk->cap;
    b.tokens = &b.block->tokens;
    b.tokens->lang = lang == KULAK_LANG_UNKNOWN ? KULAK_LANG_EN : lang;
    bool english = b.tokens->lang == KULAK_LANG_EN;
    if (self->emoticons)
        index_emoticons (self);
    if (self->word_cap < len + 1) {
        free (self->word);
        self->word_cap = len + 1 > 256 ? len + 1 : 256;
        self->word = kulak_malloc (self->word_cap);
    }
    if (!self->stem_cache)
        stem_cache_new (self);
    if (++self->text_serial == 0)
        self->text_serial = 1;
    lower_window_t window;
    lower_window_fill (&window, s, 0, len);
    char *word = self->word;
    size_t pos = 0;
    uint32_t cpi = 0;               /* code point index of pos */
    bool bad_bytes = false;         /* a byte that is no UTF-8, counted as a code point */

    while (pos < len) {
        int32_t cp;
        utf8proc_ssize_t n;
        if (s [pos] == ' ') {       /* nothing to do, and the most common byte */
            pos++;
            cpi++;
            continue;
        }
        /* Most words of all: lower-case letters, then a space or a mark that joins nothing
           (not an apostrophe; nor, after one letter, a visible one, which may end an
           emoticon: "x)"), found in the window's bits; none of a web address's "ht" or
           "ww", nor an English "dont". The word below would take push_short_word's way (or
           push_word's, past 8 letters), after tests that cost more than the word; and a
           space after it is passed here. */
        if (pos >= window.refill)
            lower_window_fill (&window, s, pos, len);
        /* (a run that the window's end cuts off is followed by a letter, which the tests of
           the byte after turn away) */
        size_t run = (size_t) __builtin_ctzll (~(window.lower >> (pos - window.base))
                                               | 1ULL << 63);
        uint8_t after = s [pos + run];
        if (run
            && (after == ' ' || (after < 0x80 && !s_ascii_alnum [after] && after != '\''
                                 && (run > 1 || after < ' ')))
            && !(s_starts_special [s [pos]] && (s [pos + 1] == 't' || s [pos + 1] == 'w'))
            && !(english && s [pos + run - 1] == 't'
                 && is_bare_contraction ((const char *) s + pos, run))) {
            uint32_t start = cpi;
            cpi += (uint32_t) run;
            if (run > 8 || !push_short_word (&b, (const char *) s + pos, run, start, cpi, true))
                push_word (&b, (const char *) s + pos, run, start, cpi, true);
            pos += run + (after == ' ');
            cpi += after == ' ';
            continue;
        }
        /* Most words start with two ASCII letters or digits: no emoticon nor anything below
           but the word starts so, unless with the "ht" or "ww" of a web address (url_at
           asks no more of a second letter). Straight to the word, where the tests below
           took some twenty instructions a word. (The byte after is the text's NUL at its
           end.) */
        uint8_t second = s [pos + 1] | 0x20;
        /* (what those two bytes are: the word's first run is read on from the third) */
        size_t run_from;
        uint8_t run_kinds = s_ascii_alnum [s [pos]] | s_ascii_alnum [s [pos + 1]];
        if (s_ascii_alnum [s [pos]] && s_ascii_alnum [s [pos + 1]]
            && (!s_starts_special [s [pos]] || (second != 't' && second != 'w'))) {
            cp = s [pos];
            n = 1;
            run_from = pos + 2;
            goto word;
        }
        n = kulak_cc_next (s + pos, (utf8proc_ssize_t) (len - pos), &cp);
        if (n <= 0) {               /* callers pass valid UTF-8; skip a bad byte anyway */
            pos++;
            cpi++;
            bad_bytes = true;
            continue;
        }
        /* (one test for the bytes that start none of these, nearly all: '[' of a mask,
           h and w of a web address, '@' of a handle) */
        if (cp < 0x80 && s_starts_special [cp]) {
            size_t mask_len = cp == '[' ? mask_at (text + pos) : 0;
            if (mask_len) {
                push_verbatim (&b, KULAK_TOKEN_MASK, text + pos + 1, mask_len - 2, cpi,
                               cpi + (uint32_t) mask_len);
                pos += mask_len;
                cpi += (uint32_t) mask_len;
                continue;
            }
            size_t url = (cp | 0x20) == 'h' || (cp | 0x20) == 'w' ? url_at (s, pos, len) : 0;
            if (url) {
                /* A web address is one token, "url": its letters are no words ("http" is not
                   sentiment) and its ":/" no emoticon. */
                uint32_t start = cpi;
                for (size_t k = 0; k < url; k++)
                    cpi += (s [pos + k] & 0xC0) != 0x80;
                push_verbatim (&b, KULAK_TOKEN_MASK, "url", 3, start, cpi);
                pos += url;
                continue;
            }
            size_t handle = cp == '@' ? handle_at (s, pos, len) : 0;
            if (handle) {
                /* "@united", "@comcastcares", "@AmazonHelp": the account a tweet is addressed
                   to is no token at all. Its letters are no words (united, cares and help would
                   read as praise in every complaint to those accounts), and a token of its own
                   would be a model feature learned from the dev tweets, where mentions are of
                   friends and mostly happy: it pulled customer-service tweets towards pos. */
                pos += handle;
                cpi += (uint32_t) handle;
                continue;
            }
        }
        /* (the byte after first: at most word starts it is a letter, and that ends the
           test) */
        if (pos + 1 < len && !s_ascii_alnum [s [pos + 1]] && s [pos + 1] > ' '
            && s [pos + 1] < 0x80 && cp < 0x80 && kulak_cc_is_word (cp)
            && (pos == 0 || s [pos - 1] == ' ' || s [pos - 1] == '\n' || s [pos - 1] == '\t')) {
            /* "8)", "D:", "<3"-like emoticons that start with a letter or digit */
            bool lowered;
            size_t found = emoticon_at (self, s, pos, len, &lowered);
            if (found) {
                push_emoticon (&b, text + pos, found, lowered, cpi);
                pos += found;
                cpi += (uint32_t) found;
                continue;
            }
        }
        run_from = pos;
        run_kinds = 0;
        if (kulak_cc_is_word (cp)) {
        word:;                      /* (the label of a word that starts plainly, above) */
            /* A word: letters, marks and digits, joined across apostrophes between
               letters and across . , / - between digits (1.250,00, 9/10: see joins_digits). */
            /* The word's bytes are read in place, s [begin, begin + wlen), until a joining
               apostrophe is left out: from then on they are copied into `word`. */
            const uint8_t *begin = s + pos;
            bool copied = false;
            size_t wlen = 0;
            uint32_t start = cpi, not_start = 0;
            bool digits_only = true, english_not = false;
            int32_t previous = 0;
            /* The kinds of byte in a first run that starts the word, and its length: a
               word that is that run alone, of lower-case letters, takes push_word's
               shortest way. */
            uint8_t first_kinds = 0;
            size_t first_run = 0;
            /* Most words are one such run, that an ASCII byte which joins nothing (a space,
               most punctuation, the text's NUL) ends: taken here, without the loop. */
            size_t first_end = ascii_run (s, run_from, &first_kinds);
            first_kinds |= run_kinds;
            uint8_t after = s [first_end];
            bool one_run = first_end > pos && after < 0x80 && !joins_digits (after)
                           && after != '\'';
            if (one_run) {
                wlen = first_run = first_end - pos;
                digits_only = !(first_kinds & ASCII_LETTER);
                cpi += (uint32_t) wlen;
                pos = first_end;
            }
            while (!one_run && pos < len) {
                /* Any other word, run by run: a run of ASCII letters and digits, then what
                   ends it or joins on. */
                uint8_t kinds;
                size_t run = ascii_run (s, pos, &kinds);
                if (run > pos) {
                    if (s + pos == begin) {
                        first_kinds = kinds;
                        first_run = run - pos;
                    }
                    if (copied)
                        memcpy (word + wlen, s + pos, run - pos);
                    wlen += run - pos;
                    if (kinds & ASCII_LETTER)
                        digits_only = false;
                    cpi += (uint32_t) (run - pos);
                    previous = s [run - 1];
                    pos = run;
                    if (pos == len)
                        break;
                    /* Most words end at a space or a punctuation mark: an ASCII byte that
                       is no letter or digit (the run took those) and can join nothing but
                       an apostrophe, or . , / - between digits. It ends the word here, without
                       decoding it and the code point after it for the tests below. */
                    uint8_t c = s [pos];
                    if (c < 0x80 && c != '\'' && !joins_digits (c))
                        break;
                }
                n = kulak_cc_next (s + pos, (utf8proc_ssize_t) (len - pos), &cp);
                if (n <= 0)
                    break;
                int category = kulak_cc_category (cp);
                if (category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_ND) {
                    if (category != UTF8PROC_CATEGORY_ND)
                        digits_only = false;
                    if (copied)
                        memcpy (word + wlen, s + pos, (size_t) n);
                    wlen += (size_t) n;
                    previous = cp;
                    pos += (size_t) n;
                    cpi++;
                    continue;
                }
                int32_t next = 0;
                if (pos + (size_t) n < len)
                    kulak_cc_next (s + pos + n, (utf8proc_ssize_t) (len - pos - (size_t) n),
                                   &next);
                if (is_apostrophe (cp) && kulak_cc_is_letter (previous)
                    && kulak_cc_is_letter (next)) {
                    if (english && (next == 't' || next == 'T')
                        && (previous == 'n' || previous == 'N') && wlen > 1) {
                        english_not = true;
                        not_start = cpi - 1;
                    }
                    else if (english) {
                        size_t ahead = pos + (size_t) n, letters = 0;
                        char clitic [4] = { 0 };
                        while (ahead < len && letters < 3 && kulak_cc_ascii_alpha (s [ahead]))
                            clitic [letters++] = (char) (s [ahead++] | 0x20);
                        int32_t after = 0;
                        if (ahead < len)
                            kulak_cc_next (s + ahead, (utf8proc_ssize_t) (len - ahead), &after);
                        bool at_end = ahead >= len || !kulak_cc_is_word (after);
                        if (at_end && is_clitic (clitic)) {
                            pos = ahead;
                            cpi += (uint32_t) (1 + letters);
                            break;
                        }
                    }
                    /* Turkish: the apostrophe only separates a name from its suffix: join.
                       The apostrophe is left out of the word. */
                    if (!copied) {
                        memcpy (word, begin, wlen);
                        copied = true;
                    }
                }
                else if (cp < 0x80 && joins_digits ((uint8_t) cp) && digits_only
                         && kulak_cc_category (previous) == UTF8PROC_CATEGORY_ND
                         && kulak_cc_category (next) == UTF8PROC_CATEGORY_ND) {
                    if (copied)
                        memcpy (word + wlen, s + pos, (size_t) n);
                    wlen += (size_t) n;
                }
                else
                    break;
                previous = cp;
                pos += (size_t) n;
                cpi++;
            }
            if (digits_only && wlen <= 3 && (s [pos] == ' ' || s [pos] == '/'))
                pos = join_spaced_fraction (s, pos, word, &wlen, &copied, begin, &cpi);
            const char *raw = copied ? word : (const char *) begin;
            /* Most words of all: one run of lower-case letters, 8 at most, read in place
               (so no n't, no number, no capitals), asked first; a "dont" goes on to the
               tests below. */
            bool short_lower = !copied && wlen == first_run && first_kinds == ASCII_LOWER
                               && wlen <= 8;
            if (short_lower && !(english && raw [wlen - 1] == 't'      /* (most words not) */
                                 && is_bare_contraction (raw, wlen))) {
                if (!push_short_word (&b, raw, wlen, start, cpi, true))
                    push_word (&b, raw, wlen, start, cpi, true);
            }
            else if (english_not && wlen >= 2
                     && (raw [wlen - 1] == 't' || raw [wlen - 1] == 'T')) {
                if (!copied)
                    memcpy (word, begin, wlen);
                word [--wlen] = 0;   /* drop the t of n't */
                push_english_negation (&b, word, wlen, start, cpi, not_start);
            }
            else if (english && is_bare_contraction (raw, wlen)) {
                if (!copied)
                    memcpy (word, begin, wlen);
                word [--wlen] = 0;   /* "dont" -> "do" + "not", as "don't" */
                push_english_negation (&b, word, wlen, start, cpi, cpi - 2);
            }
            else if (digits_only)
                push_verbatim (&b, KULAK_TOKEN_NUMBER, raw, wlen, start, cpi);
            else {
                bool ascii_letters = !copied && wlen == first_run
                                     && !(first_kinds & ~ASCII_LETTER);
                bool lower_ascii = ascii_letters && first_kinds == ASCII_LOWER;
                /* (a short one of lower-case letters was asked above: here the other
                   copy, with capitals) */
                if (!(ascii_letters && !lower_ascii && wlen <= 8
                      && push_short_word (&b, raw, wlen, start, cpi, false)))
                    push_word (&b, raw, wlen, start, cpi, lower_ascii);
            }
            continue;
        }
        if (cp >= 0x203C && is_emoji (cp)) {
            size_t start_pos = pos;
            uint32_t start = cpi;
            pos += (size_t) n;
            cpi++;
            size_t emoji_end = pos;
            /* Modifiers and ZWJ sequences belong to the first emoji. */
            while (pos < len) {
                int32_t next;
                utf8proc_ssize_t m = kulak_cc_next (s + pos, (utf8proc_ssize_t) (len - pos),
                                                    &next);
                if (m <= 0 || !(is_emoji_modifier (next) || (is_emoji (next) && cp == 0x200D)))
                    break;
                cp = next;
                pos += (size_t) m;
                cpi++;
            }
            push_verbatim (&b, KULAK_TOKEN_EMOJI, text + start_pos, emoji_end - start_pos,
                           start, cpi);
            continue;
        }
        bool lowered;
        size_t emoticon = emoticon_at (self, s, pos, len, &lowered);
        if (emoticon) {
            push_emoticon (&b, text + pos, emoticon, lowered, cpi);
            pos += emoticon;
            cpi += (uint32_t) emoticon;
            continue;
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
            case '"': case 0x201C: case 0x201D: case 0xAB: case 0xBB:
                mark_quote (&b, cp, pos == 0 || s [pos - 1] == ' ' || s [pos - 1] == '('
                                    || s [pos - 1] == '\n' || s [pos - 1] == '\t');
                break;
            default:
                break;
        }
        pos += (size_t) n;
        cpi++;
    }
    /* Every word asked (defer_stem). A hit in its set's first way, most words, is taken
       here, with what all words share (the language, whether it has a stemmer) read once:
       through stem_token it cost twice the instructions. So is one in the second way, which
       stays there: two words read in turn (a common one and one that shares its set)
       moved to the front in turn, a slot copy and the memos followed for each, about once
       a text. */
    kulak_lang_t stem_lang = b.tokens->lang;
    bool stemmer = (stem_lang == KULAK_LANG_TR ? self->stem_tr : self->stem_en) != NULL;
    kulak_token_t *items = b.tokens->items;
    /* (the cache through a local: the stores of a stem's bytes could change
       self->stem_cache as far as the compiler knows, and it read it again per word) */
    stem_slot_t *cache = self->stem_cache;
    for (size_t i = 0, count = b.tokens->count; i < count; i++) {
        kulak_token_t *t = &items [i];
        if (t->kind != KULAK_TOKEN_WORD)
            continue;
        const char *form = t->stem;
        size_t len = t->stem_len;
        uint64_t h = t->stem_hash;
        stem_slot_t *slot = stem_set (cache, h);
        bool cached = stemmer && len <= STEM_SLOT_BYTES;
        if (cached && (slot_holds (slot, stem_lang, h, form, len)
                       || slot_holds (++slot, stem_lang, h, form, len))) {
            stem_from_slot (&b, t, slot, form, len);
            t->memo = memo_of (self, t, slot);
        }
        else
            stem_token (&b, t, form, len, h);
    }
    b.tokens->memo_clock = __atomic_load_n (&s_memo_clock, __ATOMIC_RELAXED);
    if (!english)
        for (size_t i = 0; i < b.tokens->count; i++) {
            kulak_token_t *t = &b.tokens->items [i];
            if (t->kind != KULAK_TOKEN_WORD)
                continue;
            const char *key = t->key1 ? t->key1 : t->key;
            size_t key_len = t->key1 ? strlen (t->key1) : t->key_len;
            /* "bi" is "bir" as spoken and typed: "bi daha almam", "bi türlü gelmedi" */
            if (key_len == 2 && key [0] == 'b' && key [1] == 'i') {
                t->key1 = arena_reserve (&b, 4);
                memcpy (t->key1, "bir", 4);
                arena_commit (&b, 4);
                continue;
            }
            /* most words have no "yo" where an ending would leave it (before 0, 1, 2, 3 or
               5 letters): turned away here */
            if (key_len < 5)
                continue;
            const char *end = key + key_len;
            bool yo = (end [-2] == 'y' && end [-1] == 'o') || (end [-3] == 'y' && end [-2] == 'o')
                   || (end [-4] == 'y' && end [-3] == 'o') || (end [-5] == 'y' && end [-4] == 'o')
                   || (key_len >= 7 && end [-7] == 'y' && end [-6] == 'o');
            if (!yo)
                continue;
            char *written = arena_reserve (&b, key_len + 4);
            size_t written_len = spoken_present_key (key, key_len, written);
            if (written_len) {
                arena_commit (&b, written_len + 1);
                t->key1 = written;
            }
        }
    /* A text quoted as a whole ("\"Great service\"") is the writer's own. */
    bool all_quoted = b.tokens->count > 0;
    for (size_t i = 0; i < b.tokens->count && all_quoted; i++)
        all_quoted = b.tokens->items [i].flags & KULAK_TOKEN_QUOTED;
    for (size_t i = 0; all_quoted && i < b.tokens->count; i++)
        b.tokens->items [i].flags &= (uint16_t) ~KULAK_TOKEN_QUOTED;
    if (b.tokens->count)
        b.tokens->items [0].sentence = b.tokens->items [0].clause = 0;
    b.tokens->all_caps = b.letters >= 4 && b.caps_letters * 10 >= b.letters * 8;
    /* (every other byte was read as part of a code point: as many as bytes, all ASCII) */
    b.tokens->bytes = len;
    b.tokens->ascii = !bad_bytes && cpi == len;
    if (self->word_cap > 65536) {    /* a huge text: do not keep its buffers */
        free (self->word);
        self->word = NULL;
        self->word_cap = 0;
    }
    if (self->scratch_cap > 65536) {
        free (self->scratch);
        self->scratch = NULL;
        self->scratch_cap = 0;
    }
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
