/*  text.c: encoding repair, NFKC, Turkish-aware folding, language id and personal-data
    masking (see text.h). */
#include "kulak/text.h"
#include "kulak/strmap.h"
#include "kulak/util.h"

#include <pthread.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---- encoding ---------------------------------------------------------------------- */

/* Windows-1254 0x80..0xFF to Unicode; 0xFFFD where the code page has a hole. */
static const uint16_t s_cp1254 [128] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0xFFFD, 0xFFFD,
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0xFFFD, 0x0178,
    0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
    0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
    0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
    0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
    0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
    0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x00CE, 0x00CF,
    0x011E, 0x00D1, 0x00D2, 0x00D3, 0x00D4, 0x00D5, 0x00D6, 0x00D7,
    0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x0130, 0x015E, 0x00DF,
    0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x00E4, 0x00E5, 0x00E6, 0x00E7,
    0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x00EC, 0x00ED, 0x00EE, 0x00EF,
    0x011F, 0x00F1, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x00F6, 0x00F7,
    0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x0131, 0x015F, 0x00FF,
};

static void
put_codepoint (kulak_buf_t *buf, int32_t cp)
{
    uint8_t bytes [4];
    utf8proc_ssize_t n = utf8proc_encode_char (cp, bytes);
    kulak_buf_append (buf, bytes, (size_t) n);
}

/* Control characters other than tab and newline become spaces: they break terminals,
   CSV exports and JSON consumers, and carry no meaning in feedback text. */
static int32_t
clean_codepoint (int32_t cp)
{
    if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7F)
        return ' ';
    return cp;
}

char *
kulak_text_to_utf8 (const char *bytes, size_t len, bool *repaired)
{
    kulak_buf_t buf;
    kulak_buf_init (&buf);
    kulak_buf_reserve (&buf, len);
    bool fixed = false;
    size_t i = 0;
    const uint8_t *p = (const uint8_t *) bytes;
    while (i < len) {
        int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate (p + i, (utf8proc_ssize_t) (len - i), &cp);
        if (n > 0) {
            put_codepoint (&buf, clean_codepoint (cp));
            i += (size_t) n;
        }
        else {
            put_codepoint (&buf, p [i] >= 0x80 ? s_cp1254 [p [i] - 0x80] : ' ');
            fixed = true;
            i++;
        }
    }
    if (repaired)
        *repaired = fixed;
    return kulak_buf_take (&buf);
}

bool
kulak_text_is_utf8 (const char *bytes, size_t len)
{
    size_t i = 0;
    while (i < len) {
        int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate ((const uint8_t *) bytes + i,
                                               (utf8proc_ssize_t) (len - i), &cp);
        if (n <= 0)
            return false;
        i += (size_t) n;
    }
    return true;
}

uint32_t
kulak_utf8_count (const char *utf8, size_t bytes)
{
    uint32_t count = 0;
    for (size_t i = 0; i < bytes && utf8 [i]; i++)
        count += ((uint8_t) utf8 [i] & 0xC0) != 0x80;
    return count;
}

static bool
is_ascii (const char *s)
{
    for (; *s; s++)
        if ((uint8_t) *s >= 0x80)
            return false;
    return true;
}

char *
kulak_text_nfkc (const char *utf8)
{
    if (is_ascii (utf8))
        return kulak_strdup (utf8);      /* ASCII is its own NFKC */
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map ((const utf8proc_uint8_t *) utf8, 0, &out,
                                       UTF8PROC_NULLTERM | UTF8PROC_STABLE
                                       | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
    if (n < 0) {
        /* Only invalid UTF-8 makes utf8proc fail; callers repair first, but never lose
           the text if one did not. */
        free (out);
        return kulak_text_to_utf8 (utf8, strlen (utf8), NULL);
    }
    return (char *) out;
}

/* ---- folding ----------------------------------------------------------------------- */

char *
kulak_text_fold (const char *utf8, kulak_lang_t lang)
{
    if (is_ascii (utf8) && (lang != KULAK_LANG_TR || !strchr (utf8, 'I'))) {
        char *out = kulak_strdup (utf8);
        for (char *p = out; *p; p++)
            *p = (char) tolower ((unsigned char) *p);
        return out;
    }
    kulak_buf_t buf;
    kulak_buf_init (&buf);
    const uint8_t *p = (const uint8_t *) utf8;
    int32_t previous = 0;
    while (*p) {
        int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate (p, -1, &cp);
        if (n <= 0) {
            p++;
            continue;
        }
        p += n;
        if (cp == 0x0307 && previous == 'i')
            continue;                   /* dotted capital I decomposed elsewhere */
        if (lang == KULAK_LANG_TR && cp == 'I')
            cp = 0x0131;                /* I -> ı */
        else if (cp == 0x0130)
            cp = 'i';                   /* İ -> i */
        else
            cp = utf8proc_tolower (cp);
        put_codepoint (&buf, cp);
        previous = cp;
    }
    return kulak_buf_take (&buf);
}

static int32_t
ascii_of_turkish (int32_t cp)
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

char *
kulak_text_ascii_fold (const char *folded)
{
    if (is_ascii (folded))
        return kulak_strdup (folded);
    kulak_buf_t buf;
    kulak_buf_init (&buf);
    const uint8_t *p = (const uint8_t *) folded;
    while (*p) {
        int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate (p, -1, &cp);
        if (n <= 0) {
            p++;
            continue;
        }
        p += n;
        put_codepoint (&buf, ascii_of_turkish (cp));
    }
    return kulak_buf_take (&buf);
}

char *
kulak_text_squeeze (const char *folded, int keep, bool *changed)
{
    kulak_buf_t buf;
    kulak_buf_init (&buf);
    const uint8_t *p = (const uint8_t *) folded;
    bool squeezed = false;
    while (*p) {
        int32_t cp, next;
        utf8proc_ssize_t n = utf8proc_iterate (p, -1, &cp);
        if (n <= 0) {
            p++;
            continue;
        }
        /* Count the run of this code point; only 3+ in a row is elongation. */
        int run = 1;
        const uint8_t *q = p + n;
        while (*q && utf8proc_iterate (q, -1, &next) == n && next == cp) {
            run++;
            q += n;
        }
        bool letter = utf8proc_category (cp) >= UTF8PROC_CATEGORY_LU
                   && utf8proc_category (cp) <= UTF8PROC_CATEGORY_LO;
        int copies = run >= 3 && letter ? keep : run;
        if (copies != run)
            squeezed = true;
        for (int i = 0; i < copies; i++)
            kulak_buf_append (&buf, p, (size_t) n);
        p = q;
    }
    if (changed)
        *changed = squeezed;
    return kulak_buf_take (&buf);
}

/* ---- language identification ----------------------------------------------------- */

static const char *s_tr_words [] = {
    "ve", "bir", "bu", "cok", "icin", "ile", "ama", "degil", "yok", "var", "daha", "gibi",
    "ne", "mi", "mu", "ben", "sen", "biz", "siz", "da", "de", "ki", "en", "kadar", "sonra",
    "hic", "her", "olarak", "oldu", "olan", "simdi", "hala", "artik", "neden", "nasil",
    "tesekkur", "tesekkurler", "lutfen", "urun", "musteri", "hizmet", "sikayet", "gun",
    "iyi", "kotu", "guzel", "hemen", "bile", "diye", "gore", "cunku", "fakat", "ancak",
    "veya", "hep", "tum", "baska", "seyi", "sey", "biraz", "tam", "hem", "ya", "su", "o",
    "beni", "bana", "bize", "size", "onu", "film", "filmi", "kargo", "siparis", "para",
    "tavsiye", "ederim", "etmem", "oldukca", "gercekten", "guzeldi", "harika", "berbat",
    "rezalet", "super", "abi", "yani", "mi", "misiniz", "midir", "icinde", "uzerinden",
    NULL
};
static const char *s_en_words [] = {
    "the", "and", "to", "is", "a", "of", "it", "i", "you", "for", "that", "was", "not", "my",
    "this", "with", "on", "but", "have", "are", "be", "they", "at", "so", "me", "no", "can",
    "just", "your", "an", "in", "has", "had", "were", "been", "will", "would", "very",
    "what", "there", "their", "from", "we", "our", "all", "get", "got", "if", "or", "about",
    "out", "up", "do", "did", "does", "when", "service", "customer", "really", "good",
    "great", "bad", "thanks", "please", "its", "it's", "i'm", "don't", "didn't", "im",
    "dont", "than", "which", "who", "how", "why", "one", "time", "again", "still", "after",
    "love", "hate", "app", "order", "never", "by", "too", "much", "more", "movie", "film's",
    NULL
};
static const char *s_tr_suffixes [] = {
    "lar", "ler", "lari", "leri", "iyor", "iyorum", "uyor", "miyor", "muyor", "dim", "dum",
    "tim", "tum", "dik", "duk", "mak", "mek", "dan", "den", "tan", "ten", "nda", "nde",
    "nin", "nun", "sini", "sunu", "misiniz", "acak", "ecek", "abilir", "ebilir", "imiz",
    "umuz", "sin", "siniz", "yor", "lik", "luk", "siz", "suz", "li", "lu", "dir", "dur",
    NULL
};
static const char *s_en_suffixes [] = {
    "ing", "tion", "ly", "ed", "ness", "ment", "able", "ful", "less", "ous", "ive", "th",
    NULL
};

static kulak_strmap_t *s_tr_set, *s_en_set;
static pthread_once_t s_sets_once = PTHREAD_ONCE_INIT;

static void
build_sets (void)
{
    s_tr_set = kulak_strmap_new ();
    s_en_set = kulak_strmap_new ();
    for (const char **w = s_tr_words; *w; w++)
        kulak_strmap_put (s_tr_set, *w, strlen (*w), NULL);
    for (const char **w = s_en_words; *w; w++)
        kulak_strmap_put (s_en_set, *w, strlen (*w), NULL);
}

static bool
in_set (const char *word, size_t len, kulak_strmap_t *set)
{
    return kulak_strmap_get (set, word, len) != NULL;
}

static bool
ends_with_any (const char *word, const char **list)
{
    size_t len = strlen (word);
    for (const char **s = list; *s; s++) {
        size_t sl = strlen (*s);
        if (len > sl + 1 && strcmp (word + len - sl, *s) == 0)
            return true;
    }
    return false;
}

kulak_lang_t
kulak_text_detect_lang (const char *utf8, double *confidence)
{
    pthread_once (&s_sets_once, build_sets);
    double tr = 0, en = 0;
    char word [64];
    size_t wlen = 0;
    const uint8_t *p = (const uint8_t *) utf8;
    for (;;) {
        int32_t cp = 0;
        utf8proc_ssize_t n = *p ? utf8proc_iterate (p, -1, &cp) : 0;
        if (n < 0) {
            p++;
            continue;
        }
        int32_t ascii = ascii_of_turkish (cp);
        if (ascii != cp && cp != 0x00E2 && cp != 0x00EE && cp != 0x00FB)
            tr += 1.0;
        bool letter = n > 0 && ((utf8proc_category (cp) >= UTF8PROC_CATEGORY_LU
                                 && utf8proc_category (cp) <= UTF8PROC_CATEGORY_LO)
                                || cp == '\'');
        if (letter) {
            if (ascii < 0x80 && wlen < sizeof word - 1)
                word [wlen++] = (char) tolower (ascii);
        }
        else if (wlen) {
            word [wlen] = 0;
            if (in_set (word, wlen, s_tr_set))
                tr += 2;
            else if (in_set (word, wlen, s_en_set))
                en += 2;
            else if (ends_with_any (word, s_tr_suffixes))
                tr += 0.5;
            else if (ends_with_any (word, s_en_suffixes))
                en += 0.5;
            wlen = 0;
        }
        if (n == 0)
            break;
        p += n;
    }
    if (confidence)
        *confidence = tr + en > 0 ? (tr > en ? tr : en) / (tr + en) : 0;
    if (tr == 0 && en == 0)
        return KULAK_LANG_UNKNOWN;
    return tr > en ? KULAK_LANG_TR : KULAK_LANG_EN;
}

/* ---- personal data ----------------------------------------------------------------- */

static bool
is_email_local (uint8_t c)
{
    return isalnum (c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static bool
is_domain_char (uint8_t c)
{
    return isalnum (c) || c == '.' || c == '-';
}

/* Length of an e-mail address whose '@' is at `at`, with its start in *start_p; 0 if the
   text around the '@' is not an address. */
static size_t
email_at (const uint8_t *s, size_t at, size_t len, size_t *start_p)
{
    size_t start = at;
    while (start > 0 && is_email_local (s [start - 1]))
        start--;
    if (start == at)
        return 0;
    size_t end = at + 1, last_dot = 0;
    while (end < len && is_domain_char (s [end]))
        end++;
    while (end > at + 1 && (s [end - 1] == '.' || s [end - 1] == '-'))
        end--;                           /* a sentence's full stop is not the domain */
    for (size_t i = at + 1; i < end; i++)
        if (s [i] == '.')
            last_dot = i;
    if (!last_dot || last_dot >= end - 2 || last_dot == at + 1)
        return 0;
    for (size_t i = last_dot + 1; i < end; i++)
        if (!isalpha (s [i]))
            return 0;
    *start_p = start;
    return end - start;
}

static bool
luhn_ok (const char *digits, size_t count)
{
    int sum = 0;
    for (size_t i = 0; i < count; i++) {
        int d = digits [count - 1 - i] - '0';
        if (i % 2 == 1) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    return sum % 10 == 0;
}

/* A run of digit groups with single separators: phone numbers, card numbers, IBANs.
   Returns the replacement tag or NULL, and the span's end in *end_p. */
static const char *
number_at (const uint8_t *s, size_t start, size_t len, size_t *end_p)
{
    size_t i = start;
    bool plus = false, iban = false;
    char digits [40];
    size_t ndigits = 0, nalnum = 0;
    if (s [i] == '+') {
        plus = true;
        i++;
    }
    else if (i + 3 < len && isupper (s [i]) && isupper (s [i + 1])
             && isdigit (s [i + 2]) && isdigit (s [i + 3])) {
        iban = true;                     /* country code + check digits */
        i += 2;
        nalnum = 2;
    }
    else if (s [i] == '(')
        i++;
    size_t end = i;
    while (i < len) {
        uint8_t c = s [i];
        if (isdigit (c) || (iban && isupper (c))) {
            if (isdigit (c) && ndigits < sizeof digits)
                digits [ndigits++] = (char) c;
            nalnum++;
            i++;
            end = i;
        }
        else if ((c == ' ' || c == '-' || c == '.' || c == ')' || c == '(' || c == '/')
                 && i + 1 < len && (isdigit (s [i + 1]) || (iban && isupper (s [i + 1]))
                                    || (c == ')' && s [i + 1] == ' ' && i + 2 < len
                                        && isdigit (s [i + 2]))))
            i += (c == ')' && s [i + 1] == ' ') ? 2 : 1;
        else
            break;
    }
    if (end < len && isalnum (s [end]))
        return NULL;
    *end_p = end;
    if (iban)
        return nalnum >= 15 && nalnum <= 34 && ndigits >= 10 ? "[iban]" : NULL;
    if (ndigits >= 13 && ndigits <= 19 && !plus && luhn_ok (digits, ndigits))
        return "[card]";
    if ((ndigits >= 10 && ndigits <= 13) || (plus && ndigits >= 8 && ndigits <= 15))
        return "[phone]";
    return NULL;
}

char *
kulak_text_mask_pii (const char *utf8, int *masked_count)
{
    const uint8_t *s = (const uint8_t *) utf8;
    size_t len = strlen (utf8);
    kulak_buf_t buf;
    kulak_buf_init (&buf);
    int count = 0;
    size_t copied = 0;   /* bytes of s already in buf */
    for (size_t i = 0; i < len; i++) {
        if (s [i] == '@') {
            size_t start, span = email_at (s, i, len, &start);
            if (span && start >= copied) {
                kulak_buf_append (&buf, s + copied, start - copied);
                kulak_buf_puts (&buf, "[email]");
                copied = start + span;
                i = copied - 1;
                count++;
            }
            continue;
        }
        bool boundary = i == 0 || !isalnum (s [i - 1]);
        if (!boundary || i < copied)
            continue;
        if (isdigit (s [i]) || (s [i] == '+' && i + 1 < len && isdigit (s [i + 1]))
            || (s [i] == '(' && i + 1 < len && isdigit (s [i + 1])) || isupper (s [i])) {
            size_t end;
            const char *tag = number_at (s, i, len, &end);
            if (tag) {
                kulak_buf_append (&buf, s + copied, i - copied);
                kulak_buf_puts (&buf, tag);
                copied = end;
                i = end - 1;
                count++;
            }
        }
    }
    kulak_buf_append (&buf, s + copied, len - copied);
    if (masked_count)
        *masked_count = count;
    return kulak_buf_take (&buf);
}
