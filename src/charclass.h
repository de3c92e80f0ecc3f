/*  charclass.h (private to src/): code point classes and string transforms for the hot loops
    of text.c and tokens.c, without a library call per character.

    The tables are filled once from utf8proc itself (kulak_charclass_init), so every answer is
    utf8proc's: the fast paths here change how fast text is read, never what is read. ASCII
    is decided inline; other code points below U+0800 come from the tables; the rest still
    go to utf8proc. The *_into functions are the bodies of kulak_text_fold, _squeeze and
    _ascii_fold, writing into a buffer the caller sized, so the tokenizer can put a token's
    strings in one arena instead of allocating each. */
#ifndef KULAK_CHARCLASS_H
#define KULAK_CHARCLASS_H

#include "kulak/record.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <utf8proc.h>

#define KULAK_CC_TABLE 0x800            /* code points whose category and lower case are cached */

extern uint8_t kulak_cc_category_table [KULAK_CC_TABLE];
extern int32_t kulak_cc_lower_table [KULAK_CC_TABLE];

/* Fills the tables; idempotent and thread-safe (pthread_once). Every function below that
   reads a table expects it to have been called. */
void kulak_charclass_init (void);

static inline int
kulak_cc_category (int32_t cp)
{
    return (uint32_t) cp < KULAK_CC_TABLE ? kulak_cc_category_table [cp]
                                          : (int) utf8proc_category (cp);
}

static inline int32_t
kulak_cc_lower (int32_t cp)
{
    return (uint32_t) cp < KULAK_CC_TABLE ? kulak_cc_lower_table [cp] : utf8proc_tolower (cp);
}

/* Letters: Lu Ll Lt Lm Lo. */
static inline bool
kulak_cc_is_letter (int32_t cp)
{
    int c = kulak_cc_category (cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

/* Letters, marks and decimal digits: what a word is made of. */
static inline bool
kulak_cc_is_word (int32_t cp)
{
    int c = kulak_cc_category (cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ND;
}

/* utf8proc_iterate with ASCII and two-byte sequences (Latin, Turkish) decoded inline: the
   same results and the same validity rules (a lead byte C2..DF and a continuation byte).
   len < 0: s is NUL-terminated. */
static inline utf8proc_ssize_t
kulak_cc_next (const uint8_t *s, utf8proc_ssize_t len, int32_t *cp)
{
    if (len != 0 && s [0] < 0x80) {
        *cp = s [0];
        return 1;
    }
    if ((len < 0 || len >= 2) && (uint8_t) (s [0] - 0xC2) <= 0xDF - 0xC2
        && (s [1] & 0xC0) == 0x80) {
        *cp = ((s [0] & 0x1F) << 6) | (s [1] & 0x3F);
        return 2;
    }
    return utf8proc_iterate (s, len, cp);
}

/* utf8proc_encode_char with one- and two-byte code points written inline. */
static inline utf8proc_ssize_t
kulak_cc_put (int32_t cp, uint8_t *out)
{
    if ((uint32_t) cp < 0x80) {
        out [0] = (uint8_t) cp;
        return 1;
    }
    if ((uint32_t) cp < 0x800) {
        out [0] = (uint8_t) (0xC0 | (cp >> 6));
        out [1] = (uint8_t) (0x80 | (cp & 0x3F));
        return 2;
    }
    return utf8proc_encode_char (cp, out);
}

/* ASCII classes as the C locale has them (isalpha, isdigit, isupper, isalnum). */
static inline bool kulak_cc_ascii_alpha (uint8_t c) { return (uint8_t) ((c | 0x20) - 'a') < 26; }
static inline bool kulak_cc_ascii_digit (uint8_t c) { return (uint8_t) (c - '0') < 10; }
static inline bool kulak_cc_ascii_upper (uint8_t c) { return (uint8_t) (c - 'A') < 26; }
static inline bool
kulak_cc_ascii_alnum (uint8_t c)
{
    return kulak_cc_ascii_alpha (c) || kulak_cc_ascii_digit (c);
}

/* Turkish letter without its mark (ç->c ... also â î û and the capitals); others unchanged. */
static inline int32_t
kulak_cc_ascii_of_turkish (int32_t cp)
{
    switch (cp) {
        case 0x00E7: case 0x00C7: return 'c';   /* ç Ç */
        case 0x011F: case 0x011E: return 'g';   /* ğ Ğ */
        case 0x0131: case 0x0130: return 'i';   /* ı İ */
        case 0x00F6: case 0x00D6: return 'o';   /* ö Ö */
        case 0x015F: case 0x015E: return 's';   /* ş Ş */
        case 0x00FC: case 0x00DC: return 'u';   /* ü Ü */
        case 0x00E2: return 'a';                 /* â */
        case 0x00EE: return 'i';                 /* î */
        case 0x00FB: return 'u';                 /* û */
        default: return cp;
    }
}

/* The bodies of kulak_text_fold, kulak_text_squeeze and kulak_text_ascii_fold over s[0..len)
   (no NUL inside). `out` needs 2 * len + 1 bytes for fold, len + 1 for the others; the result
   is NUL-terminated and its length returned. */
size_t kulak_fold_into (const char *s, size_t len, kulak_lang_t lang, char *out);
size_t kulak_squeeze_into (const char *s, size_t len, int keep, char *out, bool *changed);
size_t kulak_ascii_fold_into (const char *s, size_t len, char *out);

/* kulak_text_mask_pii without a copy when nothing is masked: NULL then. `len`: strlen of
   utf8, which the caller knows (as for kulak_detect_lang_len: one pass less a text). */
char *kulak_mask_pii_or_null (const char *utf8, size_t len, int *masked_count);
/* kulak_text_detect_lang of a text of `len` bytes (its strlen). */
kulak_lang_t kulak_detect_lang_len (const char *utf8, size_t len, double *confidence);
/* The same of a text the caller knows is not ASCII alone (it holds a byte >= 0x80): the
   pass for ASCII texts, which would stop at that byte, is skipped. */
kulak_lang_t kulak_detect_lang_wide (const char *utf8, double *confidence);
/* True when kulak_text_nfkc would return the text unchanged (valid UTF-8 of code points
   NFKC leaves alone); false says nothing. */
bool kulak_text_is_own_nfkc (const char *utf8);

#endif
