/*  text.c: encoding repair, NFKC, Turkish-aware folding, language id and personal-data
    masking (see text.h), and the code point tables of charclass.h.

    Everything here runs on every record, so the loops read ASCII inline and ask utf8proc
    only about other code points, most of them through tables filled from utf8proc once.
    The results are the same as calling utf8proc for every character. */
#include "kulak/text.h"
#include "kulak/util.h"
#include "bytes.h"
#include "charclass.h"
#include "lanes.h"

#include <pthread.h>
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

/* ---- code point tables (charclass.h) ---------------------------------------------- */

uint8_t kulak_cc_category_table [KULAK_CC_TABLE];
int32_t kulak_cc_lower_table [KULAK_CC_TABLE];
static pthread_once_t s_tables_once = PTHREAD_ONCE_INIT;

static void
build_tables (void)
{
    for (int32_t cp = 0; cp < KULAK_CC_TABLE; cp++) {
        kulak_cc_category_table [cp] = (uint8_t) utf8proc_category (cp);
        kulak_cc_lower_table [cp] = utf8proc_tolower (cp);
    }
}

void
kulak_charclass_init (void)
{
    pthread_once (&s_tables_once, build_tables);
}

/* ---- encoding ---------------------------------------------------------------------- */

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

/* ---- scans of every byte ------------------------------------------------------------ */

/* A test of sixteen bytes at once (lanes.h), as first_byte_where takes it. */
typedef lanes16_t (*lanes16_fn) (bytes16_t bytes);

/* Whether any lane of `lanes` holds. */
static inline bool
any_lane (lanes16_t lanes)
{
    uint64_t half [2];
    memcpy (half, &lanes, 16);
    return (half [0] | half [1]) != 0;
}

/* The first lane of `lanes` that holds, from lane `skip` on; 16 when none does. */
static inline size_t
first_lane (lanes16_t lanes, size_t skip)
{
    uint64_t half [2];
    memcpy (half, &lanes, 16);
    if (skip >= 8) {
        half [0] = 0;
        half [1] &= ~0ULL << (8 * (skip - 8));
    }
    else
        half [0] &= ~0ULL << (8 * skip);
    if (half [0])
        return (size_t) __builtin_ctzll (half [0]) / 8;
    return half [1] ? 8 + (size_t) __builtin_ctzll (half [1]) / 8 : 16;
}

/* The first byte at or after i that `lanes` holds for (as `byte`, for one byte), or len:
   sixteen at a time, the last sixteen of the text read once more for what is left (lanes
   before i not asked); a text under sixteen bytes a byte at a time. Always inlined, so
   the two tests are inlined into it. */
static inline __attribute__ ((always_inline)) size_t
first_byte_where (const uint8_t *s, size_t i, size_t len, lanes16_fn lanes,
                  bool (*byte) (uint8_t c))
{
    for (; i + 16 <= len; i += 16) {
        lanes16_t found = lanes (load16 (s + i));
        if (any_lane (found))
            return i + first_lane (found, 0);
    }
    if (i < len && len >= 16) {
        size_t lane = first_lane (lanes (load16 (s + len - 16)), i - (len - 16));
        return len - 16 + lane;          /* (len when none: lane 16) */
    }
    while (i < len && !byte (s [i]))
        i++;
    return i;
}

static inline lanes16_t
high_lanes (bytes16_t bytes)
{
    return (lanes16_t) bytes < (lanes16_t) { 0 };
}

static inline bool
high_byte (uint8_t c)
{
    return c >= 0x80;
}

/* Bytes up to the first one >= 0x80. */
static size_t
ascii_prefix (const uint8_t *p, size_t len)
{
    return first_byte_where (p, 0, len, high_lanes, high_byte);
}

size_t
kulak_text_ascii_prefix (const char *text, size_t len)
{
    return ascii_prefix ((const uint8_t *) text, len);
}

static inline lanes16_t
high_or_ampersand_lanes (bytes16_t bytes)
{
    return high_lanes (bytes) | (lanes16_t) (bytes == '&');
}

static inline bool
high_or_ampersand_byte (uint8_t c)
{
    return c >= 0x80 || c == '&';
}

size_t
kulak_text_plain_prefix (const char *text, size_t len)
{
    return first_byte_where ((const uint8_t *) text, 0, len, high_or_ampersand_lanes,
                             high_or_ampersand_byte);
}

bool
kulak_text_is_utf8 (const char *bytes, size_t len)
{
    const uint8_t *p = (const uint8_t *) bytes;
    size_t i = 0;
    while (i < len) {
        i += ascii_prefix (p + i, len - i);
        if (i == len)
            break;
        int32_t cp;
        utf8proc_ssize_t n = kulak_cc_next (p + i, (utf8proc_ssize_t) (len - i), &cp);
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

/* ---- NFKC -------------------------------------------------------------------------- */

/* Code points NFKC leaves alone in any company: assigned, not a mark, combining class 0,
   and NFKC of the code point alone is itself. A text of such code points (and ASCII) is
   its own NFKC, so utf8proc_map can be skipped. The windows hold the letters, punctuation
   and emoji of Turkish and English feedback; the property was checked for every pair of
   these code points against utf8proc_map. */
static const struct {
    int32_t first;
    int32_t end;
} s_stable_windows [] = { { 0x80, 0x800 }, { 0x2000, 0x2800 }, { 0x1F000, 0x1FB00 } };
#define STABLE_BITS (0x780 + 0x800 + 0xB00)
static uint8_t s_stable [STABLE_BITS / 8];
static pthread_once_t s_stable_once = PTHREAD_ONCE_INIT;

static bool
nfkc_keeps (int32_t cp)
{
    const utf8proc_property_t *p = utf8proc_get_property (cp);
    if (p->category == UTF8PROC_CATEGORY_CN || p->category == UTF8PROC_CATEGORY_MN
        || p->category == UTF8PROC_CATEGORY_MC || p->category == UTF8PROC_CATEGORY_ME
        || p->combining_class != 0)
        return false;
    if (p->decomp_seqindex == UINT16_MAX)
        return true;                     /* no decomposition: NFKC has nothing to do */
    uint8_t bytes [5];
    utf8proc_ssize_t n = utf8proc_encode_char (cp, bytes);
    bytes [n] = 0;
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t m = utf8proc_map (bytes, 0, &out, UTF8PROC_NULLTERM | UTF8PROC_STABLE
                                                       | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
    bool same = m == n && memcmp (out, bytes, (size_t) n) == 0;
    free (out);
    return same;
}

static void
build_stable (void)
{
    size_t bit = 0;
    for (size_t w = 0; w < sizeof s_stable_windows / sizeof s_stable_windows [0]; w++)
        for (int32_t cp = s_stable_windows [w].first; cp < s_stable_windows [w].end; cp++, bit++)
            if (nfkc_keeps (cp))
                s_stable [bit / 8] |= (uint8_t) (1u << (bit % 8));
}

static bool
is_stable (int32_t cp)
{
    size_t base = 0;
    for (size_t w = 0; w < sizeof s_stable_windows / sizeof s_stable_windows [0]; w++) {
        if (cp >= s_stable_windows [w].first && cp < s_stable_windows [w].end) {
            size_t bit = base + (size_t) (cp - s_stable_windows [w].first);
            return (s_stable [bit / 8] >> (bit % 8)) & 1;
        }
        base += (size_t) (s_stable_windows [w].end - s_stable_windows [w].first);
    }
    return false;
}

/* True when the text (of `len` bytes) is valid UTF-8 made only of ASCII and stable code
   points. Its ASCII runs are passed over sixteen bytes at a time (a byte at a time, they
   were a fiftieth of tagging a Turkish text). */
static bool
is_own_nfkc (const uint8_t *p, size_t len)
{
    pthread_once (&s_stable_once, build_stable);
    for (size_t i = 0; (i += ascii_prefix (p + i, len - i)) < len;) {
        int32_t cp;
        utf8proc_ssize_t n = kulak_cc_next (p + i, -1, &cp);
        if (n <= 0 || !is_stable (cp))
            return false;
        i += (size_t) n;
    }
    return true;
}

bool
kulak_text_is_own_nfkc (const char *utf8)
{
    size_t len = strlen (utf8);
    size_t ascii = ascii_prefix ((const uint8_t *) utf8, len);
    return ascii == len || is_own_nfkc ((const uint8_t *) utf8 + ascii, len - ascii);
}

char *
kulak_text_nfkc (const char *utf8)
{
    if (kulak_text_is_own_nfkc (utf8))
        return kulak_strdup (utf8);      /* already NFKC */
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

size_t
kulak_fold_into (const char *s, size_t len, kulak_lang_t lang, char *out)
{
    const uint8_t *p = (const uint8_t *) s, *end = p + len;
    uint8_t *o = (uint8_t *) out;
    bool turkish = lang == KULAK_LANG_TR;
    int32_t previous = 0;
    while (p < end) {
        int32_t cp = *p;
        if (cp < 0x80) {
            p++;
            if (turkish && cp == 'I') {
                *o++ = 0xC4;             /* I -> ı */
                *o++ = 0xB1;
                previous = 0x0131;
                continue;
            }
            if (cp >= 'A' && cp <= 'Z')
                cp += 'a' - 'A';
            *o++ = (uint8_t) cp;
            previous = cp;
            continue;
        }
        utf8proc_ssize_t n = kulak_cc_next (p, end - p, &cp);
        if (n <= 0) {
            p++;
            continue;
        }
        p += n;
        if (cp == 0x0307 && previous == 'i')
            continue;                   /* dotted capital I decomposed elsewhere */
        if (cp == 0x0130)
            cp = 'i';                   /* İ -> i */
        else
            cp = kulak_cc_lower (cp);
        o += kulak_cc_put (cp, o);
        previous = cp;
    }
    *o = 0;
    return (size_t) (o - (uint8_t *) out);
}

char *
kulak_text_fold (const char *utf8, kulak_lang_t lang)
{
    kulak_charclass_init ();
    size_t len = strlen (utf8);
    /* Lower case makes a code point a byte longer at most. */
    char *out = kulak_malloc (2 * len + 1);
    kulak_fold_into (utf8, len, lang, out);
    return out;
}

size_t
kulak_ascii_fold_into (const char *s, size_t len, char *out)
{
    const uint8_t *p = (const uint8_t *) s, *end = p + len;
    uint8_t *o = (uint8_t *) out;
    while (p < end) {
        if (*p < 0x80) {
            *o++ = *p++;
            continue;
        }
        int32_t cp;
        utf8proc_ssize_t n = kulak_cc_next (p, end - p, &cp);
        if (n <= 0) {
            p++;
            continue;
        }
        int32_t ascii = kulak_cc_ascii_of_turkish (cp);
        if (ascii != cp)
            *o++ = (uint8_t) ascii;
        else {
            memcpy (o, p, (size_t) n);  /* valid UTF-8: its bytes are its encoding */
            o += n;
        }
        p += n;
    }
    *o = 0;
    return (size_t) (o - (uint8_t *) out);
}

char *
kulak_text_ascii_fold (const char *folded)
{
    size_t len = strlen (folded);
    char *out = kulak_malloc (len + 1);
    kulak_ascii_fold_into (folded, len, out);
    return out;
}

size_t
kulak_squeeze_into (const char *s, size_t len, int keep, char *out, bool *changed)
{
    const uint8_t *p = (const uint8_t *) s, *end = p + len;
    char *o = out;
    bool squeezed = false;
    while (p < end) {
        int32_t cp, next;
        utf8proc_ssize_t n = kulak_cc_next (p, end - p, &cp);
        if (n <= 0) {
            p++;
            continue;
        }
        /* Count the run of this code point; only 3+ in a row is elongation. */
        int run = 1;
        const uint8_t *q = p + n;
        if (n == 1)
            for (; q < end && *q == *p; q++)
                run++;
        else
            for (; q < end && kulak_cc_next (q, end - q, &next) == n && next == cp; q += n)
                run++;
        int copies = run >= 3 && kulak_cc_is_letter (cp) ? keep : run;
        if (copies != run)
            squeezed = true;
        for (int i = 0; i < copies; i++) {
            memcpy (o, p, (size_t) n);
            o += n;
        }
        p = q;
    }
    *o = 0;
    if (changed)
        *changed = squeezed;
    return (size_t) (o - out);
}

char *
kulak_text_squeeze (const char *folded, int keep, bool *changed)
{
    kulak_charclass_init ();
    size_t len = strlen (folded);
    char *out = kulak_malloc (len + 1);
    kulak_squeeze_into (folded, len, keep, out, changed);
    return out;
}

/* ---- language identification ----------------------------------------------------- */

static const char *s_tr_words [] = {
    "ve", "bir", "bu", "cok", "icin", "ile", "ama", "degil", "yok", "var", "daha", "gibi",
    "ne", "mi", "mu", "ben", "sen", "biz", "siz", "da", "de", "ki", "en", "kadar", "sonra",
    "hic", "her", "olarak", "oldu", "olan", "simdi", "hala", "artik", "neden", "nasil",
    "tesekkur", "tesekkurler", "lutfen", "urun", "musteri", "hizmet", "sikayet", "gun",
    "iyi", "kotu", "guzel", "hemen", "bile", "diye", "gore", "cunku", "fakat", "ancak",
    "veya", "hep", "tum", "baska", "seyi", "sey", "biraz", "tam", "hem", "ya", "su", "o",
    "beni", "bana", "bize", "size", "onu", "filmi", "kargo", "siparis", "para",
    "tavsiye", "ederim", "etmem", "oldukca", "gercekten", "guzeldi", "harika", "berbat",
    "rezalet", "abi", "yani", "mi", "misiniz", "midir", "icinde", "uzerinden",
    /* what one- and two-word survey answers and complaints use */
    "kargom", "siparisim", "gelmedi", "iade", "ucret", "fatura", "sube", "hizmetleri",
    "bekliyorum", "cevap", "yanit", "hizli", "yavas", "pahali", "ucuz", "memnun", "memnunum",
    "kaba", "ilgisiz", "sorun", "hata", "uygulama", "sifre", "kart", "kartim", "hesabim",
    "magaza", "personel", "kurye", "teslimat", "iptal", "idare", "eder", "fena", "mukemmel",
    "begendim", "begenmedim", "sagol", "saol", "maalesef", "malesef", "asla", "berbatti",
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
    /* what one- and two-word survey answers and complaints use */
    "terrible", "awful", "horrible", "rubbish", "useless", "broken", "fine", "refund", "late",
    "slow", "fast", "quick", "helpful", "unhelpful", "rude", "staff", "waiting", "waited",
    "hours", "minutes", "days", "worst", "best", "excellent", "amazing", "perfect", "poor",
    "nice", "happy", "unhappy", "disappointed", "disappointing", "recommend", "always",
    "support", "sent", "received", "item", "product", "package", "parcel", "charged",
    "money", "price", "expensive", "cheap", "account", "works", "working", "cannot",
    "issue", "problem", "thank", "thx", "pls", "plz", "sorry", "where", "lol", "wtf", "meh",
    /* what short English texts (a tweet, a one-line review) are made of, none of them a
       Turkish word */
    "now", "new", "here", "some", "any", "them", "she", "him", "these", "those", "also",
    "even", "ever", "into", "then", "only", "over", "back", "first", "last", "other",
    "same", "every", "way", "want", "need", "could", "should", "might", "must", "go",
    "going", "see", "know", "think", "like", "make", "made", "let", "buy", "bought", "ones",
    "home", "today", "tonight", "tomorrow", "night", "day", "week", "weeks", "yes", "yeah",
    "hello", "hi", "bye", "well", "because", "since", "until", "yesterday",
    /* negations typed without their apostrophe, as "dont" and "im" above: "cant login" */
    "cant", "wont", "didnt", "doesnt", "isnt", "wasnt", "arent", "werent", "havent", "hasnt",
    "couldnt", "wouldnt", "shouldnt", "ive", "youre", "thats",
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

/* Both word lists in one table: a word counts for Turkish when it is in the Turkish list,
   else for English when it is in the English one. Over five times the words (362): most words
   of a text are in neither list, and a miss probes until an empty slot, 1.6 slots at a
   third full, fewer than 1.2 at a sixth. A word is looked up by its word_key: a word of
   eight bytes or fewer (most) is its own key, compared whole in one go. */
#define LANG_WORD_BITS 11
#define LANG_WORD_SLOTS (1 << LANG_WORD_BITS)
enum { IN_TR = 1, IN_EN = 2 };
typedef struct {
    const char *word;
    uint64_t key;                /* word_key (word) */
    uint8_t len;
    uint8_t langs;
} lang_word_t;
static lang_word_t s_lang_words [LANG_WORD_SLOTS];

/* Suffixes of both languages grouped by their last two letters (words hold only a-z and
   '), the Turkish ones of a group first: the first suffix a word ends with says which
   language scores it, as "Turkish if any, else English" would. */
#define SUFFIX_BUCKETS (27 * 27)
typedef struct {
    const char *text;
    uint8_t len;
    uint8_t lang;                /* IN_TR or IN_EN */
} suffix_t;
typedef struct {
    uint16_t start [SUFFIX_BUCKETS + 1];
    suffix_t items [sizeof s_tr_suffixes / sizeof *s_tr_suffixes
                    + sizeof s_en_suffixes / sizeof *s_en_suffixes];
} suffix_index_t;
static suffix_index_t s_suffixes;
static pthread_once_t s_sets_once = PTHREAD_ONCE_INIT;

/* Words are compared as they stand in the text, in any case: the lists are lower case,
   and byte | 0x20 is the lower case of an ASCII letter and leaves the apostrophe be. */
static inline bool
same_bytes_lowered (const char *text, const char *lower, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((text [i] | 0x20) != lower [i])
            return false;
    return true;
}

/* The key of a word (1 byte or more, letters and apostrophes in any case) for the table:
   up to eight bytes, the bytes lowered in one integer (kulak_bytes_load8), the bytes past
   the word 0x20, which no word byte is; a longer word, its first and its last eight bytes
   lowered, mixed (its length tells it from a short one, and lang_word_langs compares its
   bytes: a key two long words share costs a compare, no more). Two loads, where a hash
   over every byte took a loop. */
static inline __attribute__ ((always_inline)) uint64_t
word_key (const char *word, size_t len)
{
    const uint64_t lower = 0x2020202020202020ULL;
    if (len > 8) {
        uint64_t head, tail;
        memcpy (&head, word, 8);
        memcpy (&tail, word + len - 8, 8);
        return ((head | lower) * 0x9E3779B97F4A7C15ULL) ^ (tail | lower);
    }
    return kulak_bytes_load8 (word, len) | lower;
}

/* The first slot of a key: the top bits of a multiplicative hash, which all its bits move. */
static inline uint32_t
word_slot (uint64_t key)
{
    return (uint32_t) ((key * 0x9E3779B97F4A7C15ULL) >> (64 - LANG_WORD_BITS));
}

static void
add_lang_word (const char *word, uint8_t lang)
{
    size_t len = strlen (word);
    uint64_t key = word_key (word, len);
    for (uint32_t i = word_slot (key);; i++) {
        lang_word_t *slot = &s_lang_words [i & (LANG_WORD_SLOTS - 1)];
        if (!slot->word) {
            slot->word = word;
            slot->key = key;
            slot->len = (uint8_t) len;
            slot->langs = lang;
            return;
        }
        if (slot->len == len && memcmp (slot->word, word, len) == 0) {
            slot->langs |= lang;
            return;
        }
    }
}

static unsigned
letter_index (char c)
{
    c |= 0x20;
    return c == '\'' ? 26 : (unsigned) (c - 'a');
}

/* letter_index of every byte, looked up: two per word the detector scores. (Words hold
   only letters and the apostrophe; other bytes, which letter_index has no place for, get
   0.) Filled by build_sets. */
static uint8_t s_letter_index [256];

static unsigned
suffix_bucket (const char *end)
{
    return s_letter_index [(uint8_t) end [-2]] * 27u + s_letter_index [(uint8_t) end [-1]];
}

static void
index_suffixes (suffix_index_t *index, const char **lists [2])
{
    size_t count [SUFFIX_BUCKETS] = { 0 };
    for (int l = 0; l < 2; l++)
        for (const char **s = lists [l]; *s; s++)
            count [suffix_bucket (*s + strlen (*s))]++;
    size_t at = 0;
    for (size_t b = 0; b < SUFFIX_BUCKETS; b++) {
        index->start [b] = (uint16_t) at;
        at += count [b];
    }
    index->start [SUFFIX_BUCKETS] = (uint16_t) at;
    size_t fill [SUFFIX_BUCKETS] = { 0 };
    for (int l = 0; l < 2; l++)          /* Turkish first */
        for (const char **s = lists [l]; *s; s++) {
            size_t len = strlen (*s);
            unsigned b = suffix_bucket (*s + len);
            index->items [index->start [b] + fill [b]++] =
                (suffix_t) { *s, (uint8_t) len, l == 0 ? IN_TR : IN_EN };
        }
}

static void
build_sets (void)
{
    for (int c = 0; c < 256; c++) {
        unsigned index = letter_index ((char) c);
        s_letter_index [c] = (uint8_t) (index < 27 ? index : 0);
    }
    for (const char **w = s_tr_words; *w; w++)
        add_lang_word (*w, IN_TR);
    for (const char **w = s_en_words; *w; w++)
        add_lang_word (*w, IN_EN);
    const char **suffixes [2] = { s_tr_suffixes, s_en_suffixes };
    index_suffixes (&s_suffixes, suffixes);
    kulak_charclass_init ();
}

static inline __attribute__ ((always_inline)) uint8_t
lang_word_langs (const char *word, size_t len)
{
    uint64_t key = word_key (word, len);
    for (uint32_t i = word_slot (key);; i++) {
        const lang_word_t *slot = &s_lang_words [i & (LANG_WORD_SLOTS - 1)];
        if (!slot->word)
            return 0;
        if (slot->key == key && slot->len == len
            && (len <= 8 || same_bytes_lowered (word, slot->word, len)))
            return slot->langs;
    }
}

/* The language of the first suffix the word (of three bytes or more) ends with, with at
   least two letters before it; 0 when none. */
static inline __attribute__ ((always_inline)) uint8_t
suffix_lang (const char *word, size_t len)
{
    unsigned b = suffix_bucket (word + len);
    for (size_t i = s_suffixes.start [b]; i < s_suffixes.start [b + 1]; i++) {
        const suffix_t *suffix = &s_suffixes.items [i];
        if (len > suffix->len + 1u
            && same_bytes_lowered (word + len - suffix->len, suffix->text, suffix->len))
            return suffix->lang;
    }
    return 0;
}

/* An English clitic ends the word: n't, 's, 'm, 'd, 've, 'll, 're ("couldn't", "i've",
   "y'all" not). After an apostrophe Turkish writes case endings ("Turkcell'e", "iPhone'u",
   "Ankara'dan"), never these. */
static bool
has_english_clitic (const char *word, size_t len)
{
    /* (the apostrophe is the second or third byte from the end in each) */
    if (len >= 4 && memcmp (word + len - 3, "n't", 3) == 0)
        return true;
    if (len >= 3 && word [len - 2] == '\''
        && (word [len - 1] == 's' || word [len - 1] == 'm' || word [len - 1] == 'd'))
        return true;
    return len >= 4 && word [len - 3] == '\''
        && (memcmp (word + len - 2, "ve", 2) == 0 || memcmp (word + len - 2, "ll", 2) == 0
            || memcmp (word + len - 2, "re", 2) == 0);
}

/* Scores of a finished word in half points: Turkish or English function word, or an
   English clitic, 2 points; Turkish or English suffix half a point. The word is lower
   case, or ASCII in any case. Words both languages write
   ("super", "film") are in neither list. Inlined, with the lookups it makes, into the
   detector's loop: calling it, once a word, was a seventh of the detector. */
static inline __attribute__ ((always_inline)) void
score_word (const char *word, size_t len, int *tr_halves, int *en_halves)
{
    uint8_t langs = lang_word_langs (word, len);
    if (langs & IN_TR)
        *tr_halves += 4;
    else if (langs & IN_EN)
        *en_halves += 4;
    else if (len >= 3 && (word [len - 2] == '\'' || word [len - 3] == '\'')
             && has_english_clitic (word, len))
        *en_halves += 4;
    else if (len >= 3) {
        uint8_t lang = suffix_lang (word, len);
        *tr_halves += lang == IN_TR;
        *en_halves += lang == IN_EN;
    }
}

/* What a byte is for language identification. */
enum { LANG_OTHER = 0, LANG_WORD, LANG_END, LANG_WIDE };
/* (a letter and the apostrophe alike: byte | 0x20 is the letter in lower case, or '\'') */
static const uint8_t s_lang_byte [256] = {
    [0] = LANG_END, ['A' ... 'Z'] = LANG_WORD, ['a' ... 'z'] = LANG_WORD,
    ['\''] = LANG_WORD, [0x80 ... 0xFF] = LANG_WIDE,
};

/* score_word for a run of `len` letters and apostrophes of ASCII text, as the detector's
   byte loop scores it: where it stands, or lowered and cut to 63 letters when longer. */
static inline __attribute__ ((always_inline)) void
score_ascii_run (const uint8_t *run, size_t len, int *tr_halves, int *en_halves)
{
    char word [64];
    if (len < sizeof word) {
        score_word ((const char *) run, len, tr_halves, en_halves);
        return;
    }
    for (size_t i = 0; i < sizeof word - 1; i++)
        word [i] = (char) (run [i] | 0x20);
    score_word (word, sizeof word - 1, tr_halves, en_halves);
}

/* Bit i set where byte i of the 64 at s is a letter or an apostrophe, a byte of a word
   for the detector; *wide gets the bits of the bytes >= 0x80. */
static inline uint64_t
lang_word_bits (const uint8_t *s, uint64_t *wide)
{
    uint64_t bits = 0, high = 0;
#pragma GCC unroll 4    /* (GCC kept the loop: counting it cost a fifth of this) */
    for (int k = 0; k < 4; k++) {
        bytes16_t v = load16 (s + 16 * k);
        lanes16_t letter = (lanes16_t) ((bytes16_t) ((v | 0x20) - 'a') < 26);
        lanes16_t apostrophe = (lanes16_t) (v == '\'');
        bits |= (uint64_t) lane_bits (letter | apostrophe) << (16 * k);
        high |= lane_bits (high_lanes (v));
    }
    *wide = high;
    return bits;
}

/* The detector's scores of a text of ASCII alone (most English ones): its words are the
   runs of letters and apostrophes, found 64 bytes at a time as runs of bits, where the
   byte loop below took a dozen instructions a byte. False, having scored nothing, when a
   byte is not ASCII. */
static bool
score_ascii_text (const uint8_t *s, size_t len, int *tr_halves, int *en_halves)
{
    int tr = 0, en = 0;
    size_t open = SIZE_MAX;              /* where a word that reached a block's end began */
    for (size_t at = 0; at < len; at += 64) {
        uint64_t wide, bits;
        if (at + 64 <= len)
            bits = lang_word_bits (s + at, &wide);
        else {                           /* the last bytes, padded with NULs (no word) */
            uint8_t tail [64] = { 0 };
            memcpy (tail, s + at, len - at);
            bits = lang_word_bits (tail, &wide);
        }
        if (wide)
            return false;
        if (open != SIZE_MAX) {
            if (bits == ~0ULL)
                continue;                /* the word goes on through this block */
            size_t n = (size_t) __builtin_ctzll (~bits);
            score_ascii_run (s + open, at + n - open, &tr, &en);
            bits &= bits + 1;            /* (its bits, the lowest run, cleared) */
            open = SIZE_MAX;
        }
        while (bits) {
            /* The lowest run's lowest bit added carries through the run: the sum has the
               bit after it (0 when the run reaches the block's end), the run cleared. */
            unsigned first = (unsigned) __builtin_ctzll (bits);
            uint64_t after = bits + (bits & -bits);
            if (!after) {
                open = at + first;       /* to the block's end, and maybe on */
                break;
            }
            unsigned end = (unsigned) __builtin_ctzll (after);
            score_ascii_run (s + at + first, end - first, &tr, &en);
            bits &= after;
        }
    }
    if (open != SIZE_MAX)
        score_ascii_run (s + open, len - open, &tr, &en);
    *tr_halves = tr;
    *en_halves = en;
    return true;
}

/* The detector's scores of any text, byte by byte, code point by code point where not
   ASCII. */
static void
score_text (const uint8_t *p, int *tr_out, int *en_out)
{
    int tr_halves = 0, en_halves = 0;
    char word [64];                      /* a word that is not one ASCII run, lowered */
    size_t wlen = 0;
    for (;;) {
        /* A run of ASCII letters and apostrophes. */
        const uint8_t *run = p;
        uint8_t kind;
        /* Two bytes a step, the second read only once the first is a letter (so not the
           text's NUL): a byte a step took twice the instructions, and this loop reads
           most bytes of a text. */
        for (;;) {
            if ((kind = s_lang_byte [p [0]]) != LANG_WORD)
                break;
            if ((kind = s_lang_byte [p [1]]) != LANG_WORD) {
                p += 1;
                break;
            }
            p += 2;
        }
        size_t run_len = (size_t) (p - run);
        if (!wlen && kind != LANG_WIDE && run_len && run_len < sizeof word) {
            /* A whole word of ASCII, most words: scored where it stands, not copied. */
            score_word ((const char *) run, run_len, &tr_halves, &en_halves);
            if (kind == LANG_END)
                break;
            p++;
            continue;
        }
        /* Any other word is built in `word`, lowered, its letters beyond 63 left out. */
        for (const uint8_t *q = run; q < p && wlen < sizeof word - 1; q++)
            word [wlen++] = (char) (*q | 0x20);
        if (kind != LANG_WIDE) {
            /* Anything else ASCII ends the word; NUL ends the text. */
            if (wlen) {
                score_word (word, wlen, &tr_halves, &en_halves);
                wlen = 0;
            }
            if (kind == LANG_END)
                break;
            p++;
            continue;
        }
        int32_t cp;
        utf8proc_ssize_t n = kulak_cc_next (p, -1, &cp);
        if (n < 0) {
            p++;
            continue;
        }
        if (cp == 0x2019 && wlen && wlen < sizeof word - 1) {
            /* a typographic apostrophe inside a word is the ASCII one: "i’ve" */
            word [wlen++] = '\'';
            p += n;
            continue;
        }
        int32_t ascii = kulak_cc_ascii_of_turkish (cp);
        if (ascii != cp && cp != 0x00E2 && cp != 0x00EE && cp != 0x00FB)
            tr_halves += 2;             /* a letter only Turkish uses */
        if (kulak_cc_is_letter (cp)) {
            if (ascii < 0x80 && wlen < sizeof word - 1)
                word [wlen++] = (char) (ascii | 0x20);
        }
        else if (wlen) {
            score_word (word, wlen, &tr_halves, &en_halves);
            wlen = 0;
        }
        p += n;
    }
    *tr_out = tr_halves;
    *en_out = en_halves;
}

/* The language the detector's scores point to, and how clearly. Scores are sums of halves:
   counted as integers they are exactly the doubles. */
static inline kulak_lang_t
lang_of_scores (int tr_halves, int en_halves, double *confidence)
{
    double tr = tr_halves / 2.0, en = en_halves / 2.0;
    if (confidence)
        *confidence = tr + en > 0 ? (tr > en ? tr : en) / (tr + en) : 0;
    if (tr == en)                        /* no clue, or as many for each: unclear */
        return KULAK_LANG_UNKNOWN;
    return tr > en ? KULAK_LANG_TR : KULAK_LANG_EN;
}

kulak_lang_t
kulak_detect_lang_len (const char *utf8, size_t len, double *confidence)
{
    pthread_once (&s_sets_once, build_sets);
    int tr_halves, en_halves;
    const uint8_t *p = (const uint8_t *) utf8;
    if (!score_ascii_text (p, len, &tr_halves, &en_halves))
        score_text (p, &tr_halves, &en_halves);
    return lang_of_scores (tr_halves, en_halves, confidence);
}

kulak_lang_t
kulak_detect_lang_wide (const char *utf8, double *confidence)
{
    pthread_once (&s_sets_once, build_sets);
    int tr_halves, en_halves;
    score_text ((const uint8_t *) utf8, &tr_halves, &en_halves);
    return lang_of_scores (tr_halves, en_halves, confidence);
}

kulak_lang_t
kulak_text_detect_lang (const char *utf8, double *confidence)
{
    return kulak_detect_lang_len (utf8, strlen (utf8), confidence);
}

static bool
is_ascii_consonant (uint8_t c)
{
    c |= 0x20;
    return c >= 'a' && c <= 'z' && !strchr ("aeiou", c);
}

kulak_lang_t
kulak_text_spelling_lang (const char *utf8)
{
    static const char digraphs [][3] = { "th", "sh", "ck", "ph" };
    const uint8_t *s = (const uint8_t *) utf8;
    int en = 0, tr = 0;
    for (size_t i = 0; s [i]; i++) {
        uint8_t c = s [i] | 0x20, next = s [i + 1] | 0x20;
        if (s [i] >= 0x80) {
            int32_t cp;
            utf8proc_ssize_t n = kulak_cc_next (s + i, -1, &cp);
            if (n <= 0)
                continue;
            /* ç Ç ğ Ğ ı İ ö Ö ş Ş ü Ü */
            tr += cp == 0xE7 || cp == 0xC7 || cp == 0x11F || cp == 0x11E || cp == 0x131
                  || cp == 0x130 || cp == 0xF6 || cp == 0xD6 || cp == 0x15F || cp == 0x15E
                  || cp == 0xFC || cp == 0xDC;
            i += (size_t) n - 1;
            continue;
        }
        if (c == 'q' || c == 'w' || c == 'x')
            en++;
        for (size_t d = 0; d < sizeof digraphs / sizeof digraphs [0]; d++)
            en += c == (uint8_t) digraphs [d][0] && next == (uint8_t) digraphs [d][1];
        /* a word's last two letters, after one at least: a consonant, then s or y (s [i + 2]
           read only once s [i + 1] is a letter, so not the NUL); not l n r k p before s,
           which Turkish writes too ("seans", "kurs", "vals", "cips", "boks"), nor a doubled
           letter ("ayy", "sss") */
        en += (next == 'y' || (next == 's' && !strchr ("lnrkps", c))) && c != next
              && kulak_cc_ascii_alpha (s [i + 1])
              && !kulak_cc_ascii_alpha (s [i + 2]) && s [i + 2] < 0x80
              && is_ascii_consonant (s [i]) && i > 0
              && (s [i - 1] >= 0x80 || kulak_cc_ascii_alpha (s [i - 1]));
    }
    /* Two English clues at least: one alone is as often a name or a typo in Turkish
       ("matrix", "quentin", "werdim", "Ethem") as an English word ("whoa"). */
    return en >= tr + 2 ? KULAK_LANG_EN : tr > en ? KULAK_LANG_TR : KULAK_LANG_UNKNOWN;
}

/* ---- personal data ----------------------------------------------------------------- */

static bool
is_email_local (uint8_t c)
{
    /* bytes >= 0x80: letters such as ş in "ayşe@...", which mail providers now allow */
    return kulak_cc_ascii_alnum (c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
        || c >= 0x80;
}

static bool
is_domain_char (uint8_t c)
{
    return kulak_cc_ascii_alnum (c) || c == '.' || c == '-' || c >= 0x80;   /* şirket.com.tr */
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
        if (!kulak_cc_ascii_alpha (s [i]))
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
    /* Where each group of digits ends and how many digits precede that end: a phone number
       may only end at a group boundary. */
    size_t group_end [32], group_digits [32];
    int groups = 0;
    uint8_t style = 0;                   /* the first separator other than ( ) */
    if (s [i] == '+') {
        plus = true;
        i++;
    }
    else if (i + 3 < len && kulak_cc_ascii_upper (s [i]) && kulak_cc_ascii_upper (s [i + 1])
             && ((kulak_cc_ascii_digit (s [i + 2]) && kulak_cc_ascii_digit (s [i + 3]))
                 || (s [i + 2] == ' ' && i + 4 < len && kulak_cc_ascii_digit (s [i + 3])
                     && kulak_cc_ascii_digit (s [i + 4])))) {
        iban = true;                     /* country code + check digits ("TR 33 0006 ...") */
        i += s [i + 2] == ' ' ? 3 : 2;
        nalnum = 2;
    }
    else if (s [i] == '(')
        i++;
    size_t end = i;
    while (i < len && nalnum < 64) {     /* no number kulak masks is longer: stay linear */
        uint8_t c = s [i];
        if (kulak_cc_ascii_digit (c) || (iban && kulak_cc_ascii_upper (c))) {
            if (kulak_cc_ascii_digit (c) && ndigits < sizeof digits)
                digits [ndigits++] = (char) c;
            nalnum++;
            i++;
            end = i;
            if ((i >= len || !kulak_cc_ascii_digit (s [i])) && groups < 32) {
                group_end [groups] = end;
                group_digits [groups++] = ndigits;
            }
        }
        else if ((c == ' ' || c == '-' || c == '.' || c == ')' || c == '(' || c == '/')
                 && i + 1 < len
                 && (kulak_cc_ascii_digit (s [i + 1])
                     || (iban && kulak_cc_ascii_upper (s [i + 1]))
                     || (c == ')' && s [i + 1] == ' ' && i + 2 < len
                         && kulak_cc_ascii_digit (s [i + 2])))) {
            /* One number keeps one kind of separator: "2026-03-14 0532 ..." is a date and
               then a phone number, not one long number. */
            if (c != '(' && c != ')') {
                if (!style)
                    style = c;
                else if (c != style)
                    break;
            }
            i += (c == ')' && s [i + 1] == ' ') ? 2 : 1;
        }
        else
            break;
    }
    *end_p = end;                        /* also when it is no mask: the caller skips it */
    if (end < len && kulak_cc_ascii_alnum (s [end]))
        return NULL;
    if (iban)
        return nalnum >= 15 && nalnum <= 34 && ndigits >= 10 ? "[iban]" : NULL;
    if (ndigits >= 13 && ndigits <= 19 && !plus && luhn_ok (digits, ndigits))
        return "[card]";
    size_t low = plus ? 8 : 10, high = plus ? 15 : 13;
    if (ndigits >= low && ndigits <= high) {
        /* A short group after a whole number is not part of it: "05321234567 3 kez". */
        if (groups >= 2 && group_digits [groups - 1] - group_digits [groups - 2] == 1
            && group_digits [groups - 2] >= low && style == ' ')
            *end_p = group_end [groups - 2];
        return "[phone]";
    }
    if (ndigits > high) {
        /* Numbers written one after another: the longest phone-sized start is one number,
           the rest is scanned again. */
        for (int g = groups - 1; g >= 0; g--)
            if (group_digits [g] >= low && group_digits [g] <= high) {
                *end_p = group_end [g];
                return "[phone]";
            }
        if (groups > 1)
            *end_p = group_end [0];      /* "1234567 05321234567": look again after 1234567 */
    }
    return NULL;
}

/* Where a mask can begin: an '@' or a digit; a '+' or '(' before a digit; a capital before
   another (an IBAN's country code). The loop of kulak_mask_pii_or_null finds nothing at a
   '+', '(' or capital without them, and is not stopped there: in tweets, capitals stopped
   it five times a text, twice as often as the bytes that can begin a mask. `s` is the byte
   and the one after it (the text's NUL after its last byte). */
static inline bool
may_start_mask (const uint8_t *s)
{
    uint8_t c = s [0], next = s [1];
    return kulak_cc_ascii_digit (c) || c == '@'
        || ((c == '+' || c == '(') && kulak_cc_ascii_digit (next))
        || (kulak_cc_ascii_upper (c) && kulak_cc_ascii_upper (next));
}

/* The bytes that may_start_mask may hold for, of sixteen: an '@', a digit, '+', '(' or a
   capital. */
static inline lanes16_t
mask_start_lanes (bytes16_t b)
{
    return (lanes16_t) ((b - '0' <= 9) | (b - '@' <= 'Z' - '@') | (b == '+') | (b == '('));
}

/* The first byte at or after `i` that may start a mask, or len: sixteen bytes at a time,
   as first_byte_where, the lanes that mask_start_lanes gives asked of may_start_mask one
   by one (most texts are lower-case letters and spaces, and the byte loop, six
   instructions a byte, was a fortieth of tagging's instructions). */
static inline size_t
next_mask_start (const uint8_t *s, size_t i, size_t len)
{
    for (; i + 16 <= len; i += 16)
        for (uint32_t bits = lane_bits (mask_start_lanes (load16 (s + i))); bits;
             bits &= bits - 1) {
            size_t at = i + (size_t) __builtin_ctz (bits);
            if (may_start_mask (s + at))
                return at;
        }
    if (i < len && len >= 16) {          /* the last sixteen, from i on */
        size_t last = len - 16;
        for (uint32_t bits = lane_bits (mask_start_lanes (load16 (s + last))) >> (i - last)
                             << (i - last); bits; bits &= bits - 1) {
            size_t at = last + (size_t) __builtin_ctz (bits);
            if (may_start_mask (s + at))
                return at;
        }
        return len;
    }
    while (i < len && !may_start_mask (s + i))
        i++;
    return i;
}

char *
kulak_text_mask_pii (const char *utf8, int *masked_count)
{
    int count = 0;
    char *masked = kulak_mask_pii_or_null (utf8, strlen (utf8), &count);
    if (masked_count)
        *masked_count = count;
    return masked ? masked : kulak_strdup (utf8);
}

char *
kulak_mask_pii_or_null (const char *utf8, size_t len, int *masked_count)
{
    const uint8_t *s = (const uint8_t *) utf8;
    kulak_buf_t buf = { NULL, 0, 0 };   /* only filled once something is masked */
    int count = 0;
    size_t copied = 0;   /* bytes of s already in buf */
    for (size_t i = next_mask_start (s, 0, len); i < len; i = next_mask_start (s, i + 1, len)) {
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
        bool boundary = i == 0 || !kulak_cc_ascii_alnum (s [i - 1]);
        if (!boundary || i < copied)
            continue;
        /* (a capital starts nothing unless another one follows: an IBAN's country) */
        if (kulak_cc_ascii_digit (s [i])
            || (s [i] == '+' && i + 1 < len && kulak_cc_ascii_digit (s [i + 1]))
            || (s [i] == '(' && i + 1 < len && kulak_cc_ascii_digit (s [i + 1]))
            || (kulak_cc_ascii_upper (s [i]) && i + 1 < len && kulak_cc_ascii_upper (s [i + 1]))) {
            size_t end;
            const char *tag = number_at (s, i, len, &end);
            if (tag) {
                kulak_buf_append (&buf, s + copied, i - copied);
                kulak_buf_puts (&buf, tag);
                copied = end;
                i = end - 1;
                count++;
            }
            else if (end > i + 1 && kulak_cc_ascii_digit (s [end - 1]))
                i = end - 1;     /* a date or an amount: no new number starts inside it */
        }
    }
    *masked_count = count;
    if (!count)
        return NULL;
    kulak_buf_append (&buf, s + copied, len - copied);
    return kulak_buf_take (&buf);
}

/* ---- HTML entities ------------------------------------------------------------------- */

char *
kulak_text_decode_entities (const char *utf8, bool *changed)
{
    static const struct { const char *name; int32_t cp; } names [] = {
        { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
        { "nbsp", ' ' }, { "hellip", 0x2026 }, { "ndash", 0x2013 }, { "mdash", 0x2014 },
        { "rsquo", 0x2019 }, { "lsquo", 0x2018 }, { "rdquo", 0x201D }, { "ldquo", 0x201C },
    };
    kulak_buf_t buf;
    kulak_buf_init (&buf);
    bool any = false;
    for (const char *p = utf8; *p;) {
        if (*p == '&') {
            const char *semi = strchr (p, ';');
            int32_t cp = -1;
            if (semi && semi - p <= 10) {
                if (p [1] == '#') {
                    char *end;
                    long v = p [2] == 'x' || p [2] == 'X' ? strtol (p + 3, &end, 16)
                                                          : strtol (p + 2, &end, 10);
                    if (end == semi && v > 0 && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF))
                        cp = v < 0x20 && v != '\n' && v != '\t' ? ' ' : (int32_t) v;
                }
                else
                    for (size_t i = 0; i < sizeof names / sizeof names [0]; i++)
                        if ((size_t) (semi - p - 1) == strlen (names [i].name)
                            && strncmp (p + 1, names [i].name, (size_t) (semi - p - 1)) == 0)
                            cp = names [i].cp;
            }
            if (cp >= 0) {
                uint8_t bytes [4];
                utf8proc_ssize_t n = utf8proc_encode_char (cp, bytes);
                kulak_buf_append (&buf, bytes, (size_t) n);
                p = semi + 1;
                any = true;
                continue;
            }
        }
        /* up to the next '&' as it is, in one piece (a byte at a time was most of the
           work here) */
        const char *amp = strchr (p + 1, '&');
        size_t run = amp ? (size_t) (amp - p) : strlen (p);
        kulak_buf_append (&buf, p, run);
        p += run;
    }
    if (changed)
        *changed = any;
    return kulak_buf_take (&buf);
}
