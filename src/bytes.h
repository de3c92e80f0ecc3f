/*  bytes.h: equality of short byte strings, for the hash-table probes of tagging (the stem
    cache, the lexicon's first words and stopwords), a short word read into one integer
    (the tokenizer's and the language detector's words), a short copy (the tokenizer's
    strings, the model's feature names), and a key compared with a few words (tagging's
    rules).

    Those compare a word of a few bytes once its hash has matched, for every word of every
    text. A loop over the bytes ended at a length that changes from word to word, so its
    exit was a branch that is hard to predict, taken once a word; here the length only
    picks one of four cases, and each case compares in two loads a side, the second one
    overlapping the first ("abcde": bytes 0-3 and 1-4). No byte outside [0, len) of either
    string is read. */
#ifndef KULAK_BYTES_H
#define KULAK_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The bits that differ between the first `width` bytes of a and b and between their last
   `width` bytes (len >= width; width, a constant once inlined, makes each copy one load). */
static inline uint64_t
kulak_bytes_ends_diff (const char *a, const char *b, size_t len, size_t width)
{
    uint64_t a1 = 0, b1 = 0, a2 = 0, b2 = 0;
    memcpy (&a1, a, width);
    memcpy (&b1, b, width);
    memcpy (&a2, a + len - width, width);
    memcpy (&b2, b + len - width, width);
    return (a1 ^ b1) | (a2 ^ b2);
}

/* The len bytes (1 to 8) of s in one integer, in memory order, the bytes past them 0: two
   loads, overlapping, and no byte outside [0, len) read. */
static inline uint64_t
kulak_bytes_load8 (const char *s, size_t len)
{
    if (len >= 4) {
        uint32_t head, tail;
        memcpy (&head, s, 4);
        memcpy (&tail, s + len - 4, 4);
        return head | (uint64_t) tail << (8 * (len - 4));
    }
    if (len >= 2) {
        uint16_t head, tail;
        memcpy (&head, s, 2);
        memcpy (&tail, s + len - 2, 2);
        return head | (uint64_t) tail << (8 * (len - 2));
    }
    return (uint8_t) s [0];
}

/* a [0, len) == b [0, len). Always inlined: left to itself the compiler called it from
   some probes, and the call cost as much as the compare. */
static inline __attribute__ ((always_inline)) bool
kulak_bytes_equal (const char *a, const char *b, size_t len)
{
    if (len >= 8) {
        uint64_t diff = 0;
        for (size_t i = 8; i + 8 < len; i += 8)         /* the middle, for a long word */
            diff |= kulak_bytes_ends_diff (a + i, b + i, 8, 8);
        return (diff | kulak_bytes_ends_diff (a, b, len, 8)) == 0;
    }
    if (len >= 4)
        return kulak_bytes_ends_diff (a, b, len, 4) == 0;
    if (len >= 2)
        return kulak_bytes_ends_diff (a, b, len, 2) == 0;
    return len == 0 || a [0] == b [0];
}

/* Copies n bytes. Most copies here are a word of under 16 bytes: two fixed-size,
   overlapping copies, which the compiler inlines, cost less than a call to memcpy (for
   feature names that was three calls per bigram, for the tokenizer's stems one per word
   whose stem is not the word). */
static inline void
kulak_bytes_copy (char *dst, const char *src, size_t n)
{
    if (n >= 8 && n <= 16) {
        memcpy (dst, src, 8);
        memcpy (dst + n - 8, src + n - 8, 8);
    }
    else if (n >= 4 && n < 8) {
        memcpy (dst, src, 4);
        memcpy (dst + n - 4, src + n - 4, 4);
    }
    else if (n >= 2 && n < 4) {
        memcpy (dst, src, 2);
        memcpy (dst + n - 2, src + n - 2, 2);
    }
    else if (n == 1)
        *dst = *src;
    else if (n)
        memcpy (dst, src, n);
}

/* strcmp (a, b) == 0, with the call only when the first bytes agree: the rules of tagging
   compare many keys with a few words each, and most keys differ at the first byte. */
static inline bool
kulak_str_same (const char *a, const char *b)
{
    return a [0] == b [0] && strcmp (a, b) == 0;
}

#endif
