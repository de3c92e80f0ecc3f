/*  sentiment.c: lexicon sentiment with negation, intensifiers, contrast and emphasis
    (see sentiment.h for the rules and where they come from). */
#include "kulak/sentiment.h"
#include "kulak/util.h"
#include "bytes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NEGATION_SCALAR  -0.74f   /* VADER's N_SCALAR */
#define CAPS_BOOST        0.733f  /* VADER's C_INCR */
#define ELONGATION_BOOST  0.3f
#define EXCLAIM_BOOST     0.292f
#define NEGATION_REACH    3       /* tokens a `next` negator reaches */
#define UNMET_REACH       5       /* and an `unmet` one ("could at least put in a good ...") */
#define SARCASM_AFTER    -0.5     /* bare praise after a sentence this negative is sarcasm */
#define POS_THRESHOLD     0.05

double
kulak_sentiment_squash (double sum)
{
    return sum / sqrt (sum * sum + 15.0);
}

kulak_label_t
kulak_sentiment_label (double compound)
{
    return compound >= POS_THRESHOLD ? KULAK_LABEL_POS
         : compound <= -POS_THRESHOLD ? KULAK_LABEL_NEG : KULAK_LABEL_NEU;
}

void
kulak_sentiment_free (kulak_sentiment_t *s)
{
    free (s->matches);           /* heads the one block of all four arrays */
    memset (s, 0, sizeof *s);
}

static float
sign_of (float v)
{
    return v > 0 ? 1.0f : v < 0 ? -1.0f : 0.0f;
}

/* "or" and "nor" carry a negation on to what they join: "not difficult to use or
   horrible", "never cheap nor quick" (VADER looks past them too). */
static bool
extends_negation (const kulak_token_t *token)
{
    return kulak_str_same (token->key, "or") || kulak_str_same (token->key, "nor");
}

/* "so", "this", "such": after "never" they make emphasis, not negation, of what follows
   ("never been so disappointed", "never had such a good meal"), as in VADER. */
static bool
is_emphasis_after_never (const kulak_token_t *token)
{
    return kulak_str_same (token->key, "so") || kulak_str_same (token->key, "this")
        || kulak_str_same (token->key, "such");
}

/* Whether a token is one of a phrase's words, not a token the phrase skipped. */
static bool
is_pattern_word (const kulak_pattern_t *p, const kulak_token_t *token)
{
    for (uint8_t w = 0; w < p->word_count; w++) {
        size_t len = strlen (p->words [w]);
        const char *keys [2] = { token->key, token->key1 };
        for (int k = 0; k < 2; k++)
            if (keys [k] && (p->prefix [w] ? strncmp (keys [k], p->words [w], len) == 0
                                           : strcmp (keys [k], p->words [w]) == 0))
                return true;
    }
    return false;
}

enum { LATER = 1, CONCESSIVE = 2 };
enum { IRONY = 2 };                      /* negate_prev of a KULAK_NEGATE_IRONY negator */
enum { UNMET = 2 };                      /* negate_next of a KULAK_NEGATE_UNMET negator, and
                                            next_scope of what it reaches: praise only */

/* Marks of where modifiers sit, by token index. */
typedef struct {
    uint8_t *negate_next;        /* a negator that flips what follows (UNMET: praise only) */
    uint8_t *negate_prev;        /* a negator that flips what precedes (IRONY: praise only) */
    float *boost;                /* intensifier factor at this token (its last token) */
    uint8_t *contrast;           /* LATER (but) or CONCESSIVE (although) starts here */
    uint8_t *in_phrase;          /* covered by a sentiment match: not a modifier */
    uint8_t *phrase_word;        /* one of the words of that match, not a token it skipped */
    uint8_t *booster;            /* covered by an intensifier or an `unmet` negator: carries
                                    no valence itself ("wish" in "I wish it was ...") */
} modifiers_t;

static void
mark_matches (const kulak_patterns_t *patterns, kulak_lexicon_matches_t *found, kulak_set_t set,
              void (*mark) (modifiers_t *, const kulak_pattern_t *, const kulak_match_t *),
              modifiers_t *mods)
{
    kulak_match_t *matches = found->items + found->start [set];
    size_t count = found->start [set + 1] - found->start [set];
    count = kulak_matches_select (patterns, matches, count, false);
    for (size_t i = 0; i < count; i++)
        mark (mods, kulak_patterns_get (patterns, matches [i].pattern), &matches [i]);
}

static void
mark_negator (modifiers_t *mods, const kulak_pattern_t *p, const kulak_match_t *m)
{
    if (mods->phrase_word [m->first])
        return;
    /* "could have" with words between is another thing: "could not have", "could easily
       have" (the `not` there is marked before overlaps are resolved, see below) */
    if (p->tag == KULAK_NEGATE_UNMET && m->last - m->first + 1u > p->word_count)
        return;
    /* the words of an `unmet` phrase say nothing of their own ("wish" +1.7 in "I wish the
       app was"); a one-word one keeps its valence, the regret itself ("keşke"), unless it
       flips praise after it, as a "no" does (see `spent` below) */
    if (p->tag == KULAK_NEGATE_UNMET && m->last > m->first)
        for (uint32_t t = m->first; t <= m->last; t++)
            mods->booster [t] = 1;
    if (p->tag == KULAK_NEGATE_PREV || p->tag == KULAK_NEGATE_IRONY)
        mods->negate_prev [m->first] = p->tag == KULAK_NEGATE_IRONY ? IRONY : 1;
    else
        mods->negate_next [m->last] = p->tag == KULAK_NEGATE_UNMET ? UNMET : 1;
}

static void
mark_intensifier (modifiers_t *mods, const kulak_pattern_t *p, const kulak_match_t *m)
{
    if (mods->in_phrase [m->last])
        return;
    mods->boost [m->last] = p->value;
    for (uint32_t t = m->first; t <= m->last; t++)
        mods->booster [t] = 1;
}

static void
mark_contrast (modifiers_t *mods, const kulak_pattern_t *p, const kulak_match_t *m)
{
    if (!mods->in_phrase [m->first])
        mods->contrast [m->first] = p->tag == KULAK_CONTRAST_CONCESSIVE ? CONCESSIVE : LATER;
}

/* Praise that answers a complaint is sarcasm: a sentence of bare praise (at most three
   tokens, each inside an entry marked interjection ("brilliant", "great job", "nice") or an
   intensifier: no "product" it could be about; not "Recommended.", "Tavsiye ederim."),
   right after a sentence of complaint alone: entries summing to SARCASM_AFTER or less, none
   of them praise, a negator's own valence not counted ("waited 40 min to be told the system
   is down. brilliant", "delayed 4 hrs, no update. cool cool cool"; not "They resolved my
   complaint quickly. Great.", "No more dropped calls. Great job."). Its entries are
   flipped as a negation would. "Delivery was late. Great product!" is praise of something,
   and a text with a contrast word weighs its clauses already. A '!' makes it cheer, and
   laughter, thanks, emoji and emoticons are entries of their own, no interjections: "Fourth
   truck was the charm. Thanks!", "I always forget how long it takes. LOL". */
static bool
is_bare_praise (const kulak_tokens_t *tokens, const uint8_t *booster,
                const kulak_sentiment_t *out, size_t from, size_t to, size_t complaint)
{
    uint16_t sentence = tokens->items [out->matches [from].first].sentence;
    size_t first = out->matches [from].first, last = out->matches [to - 1].last;
    while (first > 0 && tokens->items [first - 1].sentence == sentence)
        first--;
    while (last + 1 < tokens->count && tokens->items [last + 1].sentence == sentence)
        last++;
    if (last - first + 1 > 3 || first == 0)
        return false;
    for (size_t t = first; t <= last; t++) {
        bool covered = booster [t] != 0;
        for (size_t i = from; i < to && !covered; i++)
            covered = out->matches [i].first <= t && t <= out->matches [i].last;
        if (!covered || (tokens->items [t].flags & KULAK_TOKEN_EXCLAIM))
            return false;
    }
    /* The complaint (its first match at token `complaint`) is the sentence right before,
       not one further back: "Was worried it would be late. It was not. Great." is praise.
       (Compared by token position: 16-bit sentence indexes wrap in very long texts.) */
    size_t before = first - 1;
    uint16_t previous = tokens->items [before].sentence;
    while (before > 0 && tokens->items [before - 1].sentence == previous)
        before--;
    return complaint >= before;
}

/* Whether a match reads as a complaint before modifiers: a negative entry, or praise
   negated by its suffix ("beğenmedim"); a complaint word so negated is praise ("kırılmadı"). */
static bool
reads_negative (const kulak_lexicon_t *lexicon, const kulak_match_t *m)
{
    float value = kulak_patterns_get (lexicon->sentiment, m->pattern)->value;
    return m->suffix != KULAK_SUFFIX_NONE ? value > 0 : value < 0;
}

/* Whether a Turkish word is a finite verb negated by its suffix, read from its ending
   (key without Turkish marks, or the written form of a spoken one): -mAdI, -mIyor,
   -mAyAcAk with at most five letters of person or tense endings after them, after a stem
   of three letters at least ("gelmedi", "çalışmıyorlar", "edilmedi"; not "komedi"). Not -mAz and -mAmIş,
   which are as often adjectives ("inanılmaz", "kırılmaz", "açılmamış kutu"), nor
   "beklemiyordum": praise one did not expect is praise ("bu kadar hızlı beklemiyordum"). */
static bool
is_negated_verb (const kulak_token_t *t)
{
    static const char *const negative [] = {
        "madi", "medi", "miyor", "muyor", "mayacak", "meyecek", NULL
    };
    const char *key = t->key1 ? t->key1 : t->key;
    if (t->kind != KULAK_TOKEN_WORD || !key || strncmp (key, "bekle", 5) == 0)
        return false;
    size_t len = strlen (key);
    for (size_t at = len > 12 ? len - 12 : 3; at + 4 <= len; at++) {
        if (key [at] != 'm' || at < 3)
            continue;
        for (const char *const *e = negative; *e; e++)
            if (strncmp (key + at, *e, strlen (*e)) == 0 && len - at - strlen (*e) <= 5)
                return true;
    }
    return false;
}

/* Turkish praise that a negated verb after it denies, the verb following it directly or
   after at most two words that say nothing, in its clause: "zamanında gelmedi", "iyi
   paketlenmedi", "düzgün çalışmıyor", "zamanında teslim edilmedi"; the verb may end the
   next sentiment match ("düzgün cevap vermediler") when that match is a complaint, not a
   complaint denied ("sağlam, kırılmadı": praise twice). No word of another match stands
   between. `next` is that next match and `next_negative` whether it reads as a complaint. */
static bool
denied_by_verb (const kulak_tokens_t *tokens, const modifiers_t *mods, uint32_t last,
                const kulak_match_t *next, bool next_negative)
{
    for (uint32_t t = last + 1; t < tokens->count && t <= last + 3; t++) {
        if (tokens->items [t].clause != tokens->items [last].clause || mods->contrast [t]
            || mods->negate_prev [t] || mods->negate_next [t])
            return false;
        bool in_next = next && next->first <= t && t <= next->last;
        if (is_negated_verb (&tokens->items [t]) && (!in_next || next_negative))
            return true;
        if (next && t >= next->last)
            return false;
    }
    return false;
}

/* Which tokens an irony mark ("(!)", 🙃) further on in their clause makes ironic, or one
   standing alone as the next sentence ("Thanks for the cold soup. 🙃"): one pass from the
   end, so a long clause costs no more than its length. */
static void
mark_irony_ahead (const kulak_tokens_t *tokens, const modifiers_t *mods, uint8_t *ironic)
{
    size_t n = tokens->count;
    bool ahead = false;
    for (size_t t = n; t-- > 0;) {
        if (t + 1 < n && tokens->items [t + 1].clause != tokens->items [t].clause) {
            const kulak_token_t *next = &tokens->items [t + 1];
            ahead = mods->negate_prev [t + 1] == IRONY
                    && next->sentence != tokens->items [t].sentence
                    && (t + 2 >= n || tokens->items [t + 2].sentence != next->sentence);
        }
        ironic [t] = ahead;
        if (mods->negate_prev [t] == IRONY)
            ahead = true;
    }
}

/* Flips matches [from, to) as a negation would. */
static void
flip_matches (kulak_sentiment_t *out, size_t from, size_t to)
{
    for (size_t k = from; k < to; k++) {
        float v = out->match_valence [k], flipped = v * NEGATION_SCALAR;
        uint32_t first = out->matches [k].first;
        out->match_valence [k] = flipped;
        out->valence [first] += flipped - v;
        out->negated [first] = 1;
        out->sum += flipped - v;
        out->positive -= v;
        out->negative -= flipped;
    }
}

/* Whether matches [from, to) are a complaint alone: none of them praise, summing to
   SARCASM_AFTER or less without a negator's own valence ("No" in "No more dropped calls"
   is no complaint). */
static bool
is_complaint_alone (const kulak_sentiment_t *out, const modifiers_t *mods, size_t from,
                    size_t to)
{
    double sum = 0;
    for (size_t i = from; i < to; i++) {
        const kulak_match_t *m = &out->matches [i];
        if (out->match_valence [i] > 0)
            return false;
        if (!(m->first == m->last && mods->negate_next [m->first]))
            sum += out->match_valence [i];
    }
    return to > from && sum <= SARCASM_AFTER;
}

/* Bare praise that opens a text to answer the complaint right after it is sarcasm too:
   "great, another delay", "Oh nice. The app crashed again", "harika, yine iptal". The
   opening is the text's first clause, ended by a comma or a full stop (a '!' makes it
   cheer: "Great! Arrived a day early"), of at most three tokens, each inside an entry
   marked interjection or an intensifier; the complaint is the rest of the sentence after
   it, or the next sentence when the opening is a sentence of its own, as in
   is_complaint_alone. Not "Great, no problems at all" (no complaint there), "Great
   service, slow delivery" (praise of something). "Love how", "love that" and the like
   open it too, the complaint being the rest of their clause: "really love how you make
   me verify my identity 4 times and then can't help"; not "love how quiet it is, the old
   one was so noisy" (the next clause is about something else). */
static void
flip_sarcastic_opening (const kulak_patterns_t *sentiment, const kulak_tokens_t *tokens,
                        const modifiers_t *mods, kulak_sentiment_t *out)
{
    size_t opening = 0;                  /* matches in the first clause */
    while (opening < out->match_count && tokens->items [out->matches [opening].first].clause == 0)
        opening++;
    size_t last = 0;                     /* the first clause's last token */
    while (last + 1 < tokens->count && tokens->items [last + 1].clause == 0)
        last++;
    /* "love how ...", "I really love that ...", "gotta love when ...": an interjection that
       ends in how, that or when opens the complaint in its own clause, after at most a
       subject and intensifiers */
    const kulak_match_t *head = out->match_count ? &out->matches [0] : NULL;
    bool subordinate = false;
    if (head && head->last < last && head->last <= 3) {
        const char *key = tokens->items [head->last].key;
        subordinate = strcmp (key, "how") == 0 || strcmp (key, "that") == 0
                      || strcmp (key, "when") == 0;
        if (subordinate) {
            last = head->last;
            opening = 1;
        }
    }
    if (opening == 0 || opening == out->match_count || (last >= 3 && !subordinate)
        || last + 1 >= tokens->count || (tokens->items [last].flags & KULAK_TOKEN_EXCLAIM))
        return;
    for (size_t i = 0; i < opening; i++)
        if (out->match_valence [i] <= 0
            || kulak_patterns_get (sentiment, out->matches [i].pattern)->tag
                   != KULAK_SENTIMENT_INTERJECTION)
            return;
    for (size_t t = 0; t <= last; t++) {
        bool covered = mods->booster [t] != 0
                    || (subordinate && (strcmp (tokens->items [t].key, "i") == 0
                                        || strcmp (tokens->items [t].key, "we") == 0));
        for (size_t i = 0; i < opening && !covered; i++)
            covered = out->matches [i].first <= t && t <= out->matches [i].last;
        if (!covered)
            return;
    }
    /* The complaint's last token: the end of its clause after "love how", of its sentence
       otherwise. (Found by walking tokens, as is_bare_praise compares token positions:
       16-bit sentence and clause indexes wrap in very long texts.) */
    size_t stop = last + 1;
    const kulak_token_t *first = &tokens->items [last + 1];
    while (stop + 1 < tokens->count
           && (subordinate ? tokens->items [stop + 1].clause == first->clause
                           : tokens->items [stop + 1].sentence == first->sentence))
        stop++;
    size_t end = opening;
    while (end < out->match_count && out->matches [end].first <= stop)
        end++;
    if (is_complaint_alone (out, mods, opening, end))
        flip_matches (out, 0, opening);
}

static void
flip_sarcastic_praise (const kulak_patterns_t *sentiment, const kulak_tokens_t *tokens,
                       const modifiers_t *mods, kulak_sentiment_t *out)
{
    size_t i = 0;
    double previous_sum = 0;             /* of the last sentence with entries */
    bool previous_praise = false;        /* it held praise ("resolved my complaint") */
    size_t previous = 0;                 /* its first match */
    while (i < out->match_count) {
        uint16_t sentence = tokens->items [out->matches [i].first].sentence;
        size_t end = i;
        double sum = 0;
        bool interjections = true, praise = false;
        for (; end < out->match_count
               && tokens->items [out->matches [end].first].sentence == sentence; end++) {
            /* a negator's own valence ("No" in "No more dropped calls") is no complaint */
            const kulak_match_t *m = &out->matches [end];
            if (!(m->first == m->last && mods->negate_next [m->first]))
                sum += out->match_valence [end];
            praise = praise || out->match_valence [end] > 0;
            interjections = interjections && out->match_valence [end] > 0
                         && kulak_patterns_get (sentiment, out->matches [end].pattern)->tag
                                == KULAK_SENTIMENT_INTERJECTION;
        }
        if (i > 0 && interjections && previous_sum <= SARCASM_AFTER && !previous_praise
            && is_bare_praise (tokens, mods->booster, out, i, end,
                               out->matches [previous].first)) {
            double before = out->sum;
            flip_matches (out, i, end);
            sum += out->sum - before;
        }
        previous_sum = sum;
        previous_praise = praise;
        previous = i;
        i = end;
    }
}

/* The final valence of the match that covers token t, or 0. */
static float
valence_at (const kulak_sentiment_t *out, size_t t)
{
    for (size_t i = 0; i < out->match_count; i++)
        if (out->matches [i].first <= t && t <= out->matches [i].last)
            return out->match_valence [i];
    return 0;
}

static bool
key_is (const kulak_token_t *t, const char *key)
{
    return t->kind == KULAK_TOKEN_WORD && kulak_str_same (t->key, key);
}

/* Words after which a noun phrase has ended: "thanks for the delay again". */
static bool
is_phrase_end_word (const kulak_token_t *t)
{
    static const char *const words [] = { "and", "again", "today", "yesterday", "on", "at",
                                          "in", "with", "from", "this", "last", "guys",
                                          "team", NULL };
    for (size_t i = 0; words [i]; i++)
        if (key_is (t, words [i]))
            return true;
    return false;
}

/* Thanks for something bad is sarcasm: "soğuk çorba için teşekkürler", "3 saatlik
   gecikme için teşekkürler", "thanks for the cold soup", "thank you for another delay".
   The bad thing is what is thanked for, right before "için" (one word between at most, no
   participle: "ücreti iade ettiğiniz için" thanks a deed) or
   right after "for" and its determiners; not a thanked deed that mentions a problem
   ("bozuk ürünü değiştirdiğiniz için", "thanks for fixing the broken link"). */
static void
flip_sarcastic_thanks (const kulak_tokens_t *tokens, bool english, kulak_sentiment_t *out)
{
    static const char *const skip [] = { "the", "a", "an", "my", "our", "your", "this",
                                         "that", "these", "those", "another", "all", NULL };
    for (size_t k = 0; k < out->match_count; k++) {
        const kulak_match_t *m = &out->matches [k];
        const kulak_token_t *first = &tokens->items [m->first];
        if (out->match_valence [k] <= 0 || first->kind != KULAK_TOKEN_WORD)
            continue;
        bool bad = false;
        if (!english) {
            if (strncmp (first->key, "tesekkur", 8) != 0 || m->first < 2
                || !key_is (&tokens->items [m->first - 1], "icin"))
                continue;
            /* (a word between is no deed: "iade ettiğiniz için", "-DIğInIz") */
            size_t before = m->first - 2;
            const char *between = tokens->items [before].key;
            bool deed = strstr (between, "dig") || strstr (between, "dug")
                     || strstr (between, "tig") || strstr (between, "tug");
            /* (nor a compound's head, which the bad word only names: "gecikme bildirimi
               için"; a head without the compound suffix keeps an adjective: "soğuk çorba") */
            size_t between_len = strlen (between);
            bool compound = between_len > 0 && (between [between_len - 1] == 'i'
                                                || between [between_len - 1] == 'u');
            bad = valence_at (out, before) < 0
                  || (before > 0 && !deed && !compound && valence_at (out, before) == 0
                      && tokens->items [before - 1].clause == first->clause
                      && valence_at (out, before - 1) < 0);
        }
        else {
            if (!(key_is (first, "thanks") || key_is (first, "thank") || key_is (first, "thx")))
                continue;
            size_t t = m->last + 1;
            if (t < tokens->count && key_is (&tokens->items [t], "you"))   /* "thank you" */
                t++;
            if (t >= tokens->count || !key_is (&tokens->items [t], "for"))
                continue;
            t++;
            for (bool skipped = true; skipped && t < tokens->count;) {
                skipped = tokens->items [t].kind == KULAK_TOKEN_NUMBER;
                for (size_t s = 0; skip [s] && !skipped; s++)
                    skipped = key_is (&tokens->items [t], skip [s]);
                t += skipped;
            }
            /* the bad word is the head of what is thanked for: the phrase ends with it
               ("another 2 hour delay"), not a word naming a good thing ("the quick bug
               fix", "the low prices") */
            for (size_t u = t; u < tokens->count && u < t + 2 && !bad; u++) {
                const kulak_token_t *w = &tokens->items [u];
                float v = valence_at (out, u);
                if (w->clause != tokens->items [m->last].clause || v > 0
                    || (w->key_len > 4 && kulak_str_ends_with (w->key, "ing")))
                    break;
                bool head = u + 1 >= tokens->count
                            || tokens->items [u + 1].clause != w->clause
                            || tokens->items [u + 1].kind != KULAK_TOKEN_WORD
                            || is_phrase_end_word (&tokens->items [u + 1]);
                bad = v < 0 && head;
            }
        }
        if (bad)
            flip_matches (out, k, k + 1);
    }
}

/* Sentence indexes are 16 bits and wrap in very long texts: size arrays by the largest. */
static size_t
sentence_count (const kulak_tokens_t *tokens)
{
    size_t most = 0;
    for (size_t i = 0; i < tokens->count; i++)
        if (tokens->items [i].sentence > most)
            most = tokens->items [i].sentence;
    return most + 1;
}

/* Where the weaker and the stronger part of each sentence meet, so each token's weight is
   found at once. A boundary is a doubled token position: 2j at a "but" in token j (the
   word itself is neither side), 2k - 1 between tokens k - 1 and k where a concession
   ("although it was cheap,") ends and the main clause begins. */
typedef struct {
    int32_t *first;              /* [sentence] first boundary, or -1 */
    int32_t *last;               /* [sentence] last boundary, or -1 */
    uint8_t *opens;              /* [sentence] it opens with a contrast word */
    int32_t *trailing;           /* [sentence] first token of a concession that ends the
                                    sentence ("it broke, although it was cheap"), or -1 */
    int32_t *heap;               /* the block of the arrays when `stack` was too small */
    int32_t stack [4 * 32];      /* the arrays of a text of up to 32 sentences */
} contrast_map_t;

static void
add_boundary (contrast_map_t *map, uint16_t sentence, int32_t boundary)
{
    if (map->first [sentence] < 0 || boundary < map->first [sentence])
        map->first [sentence] = boundary;
    if (boundary > map->last [sentence])
        map->last [sentence] = boundary;
}

/* Whether the concessive word at token j opens its clause (a trailing "though" does not:
   "it broke, though"). */
static bool
opens_clause (const kulak_tokens_t *tokens, size_t j)
{
    return j == 0 || tokens->items [j - 1].clause != tokens->items [j].clause;
}

/* The token where the main clause after a concession opened at token j begins, or 0 when
   no clause of the sentence follows it. */
static size_t
concession_end (const kulak_tokens_t *tokens, size_t j)
{
    const kulak_token_t *t = &tokens->items [j];
    for (size_t k = j + 1; k < tokens->count && tokens->items [k].sentence == t->sentence; k++)
        if (tokens->items [k].clause != t->clause)
            return k;
    return 0;
}

static void
contrast_map_build (const kulak_tokens_t *tokens, const modifiers_t *mods, contrast_map_t *map)
{
    size_t sentences = sentence_count (tokens) + 1;
    /* first, last, trailing, then opens (bytes) in one block */
    map->heap = 4 * sentences > sizeof map->stack / sizeof *map->stack
              ? kulak_malloc (4 * sentences * sizeof *map->heap) : NULL;
    int32_t *block = map->heap ? map->heap : map->stack;
    map->first = block;
    map->last = block + sentences;
    map->trailing = block + 2 * sentences;
    map->opens = (uint8_t *) (block + 3 * sentences);
    memset (map->opens, 0, sentences);
    for (size_t k = 0; k < sentences; k++)
        map->first [k] = map->last [k] = map->trailing [k] = -1;
    for (size_t j = 0; j < tokens->count; j++) {
        uint16_t cs = tokens->items [j].sentence;
        if (mods->contrast [j] == LATER) {
            add_boundary (map, cs, (int32_t) (2 * j));
            if (j == 0 || tokens->items [j - 1].sentence != cs)
                map->opens [cs] = 1;
        }
        else if (mods->contrast [j] == CONCESSIVE && opens_clause (tokens, j)) {
            size_t main = concession_end (tokens, j);
            if (main)
                add_boundary (map, cs, (int32_t) (2 * main - 1));
            else if (j > 0 && tokens->items [j - 1].sentence == cs && map->trailing [cs] < 0)
                map->trailing [cs] = (int32_t) j;        /* the main clause came first */
        }
    }
}

static void
contrast_map_free (contrast_map_t *map)
{
    free (map->heap);
}

/* Weight of token i from contrast words: after a boundary in its sentence 1.5, before one
   in its sentence (or when the next sentence opens with a contrast word) 0.5; "before"
   wins between two. A concession that ends the sentence weighs 0.5, what precedes it in
   the sentence 1.5 where nothing else says otherwise. */
static float
contrast_weight (const kulak_tokens_t *tokens, const contrast_map_t *map, size_t i)
{
    uint16_t sentence = tokens->items [i].sentence;
    int32_t at = (int32_t) (2 * i);
    bool after = map->first [sentence] >= 0 && map->first [sentence] < at;
    bool before = (map->last [sentence] >= 0 && map->last [sentence] > at)
               || map->opens [sentence + 1];
    int32_t trailing = map->trailing [sentence];
    if (trailing >= 0 && (int32_t) i >= trailing)
        return 0.5f;
    return before ? 0.5f : after || trailing >= 0 ? 1.5f : 1.0f;
}

void
kulak_sentiment_score (const kulak_lexicon_t *lexicon, const kulak_tokens_t *tokens,
                       kulak_sentiment_t *out)
{
    kulak_lexicon_matches_t found;
    kulak_lexicon_find (lexicon, tokens, &found);
    kulak_sentiment_score_found (lexicon, tokens, &found, out);
    kulak_lexicon_matches_free (&found);
}

/* A phrase must not reach across a contrast word it skips: "good ... service" is no
   phrase in "the food was good but the service was slow", whose "good" then counts alone.
   Nor, with words between, reach a contrast word among its own: "nothing but" is the two
   words together; "nothing was good but the room" keeps its negation and its "but". Drops
   such matches from `words` (count of them); returns how many are left. */
static size_t
drop_phrases_across_contrast (const kulak_lexicon_t *lexicon,
                              const kulak_lexicon_matches_t *found, kulak_match_t *words,
                              size_t count)
{
    const kulak_match_t *contrasts = found->items + found->start [KULAK_SET_CONTRAST];
    size_t contrast_count = found->start [KULAK_SET_CONTRAST + 1]
                          - found->start [KULAK_SET_CONTRAST];
    if (contrast_count == 0)
        return count;
    size_t kept = 0;
    for (size_t i = 0; i < count; i++) {
        const kulak_match_t *m = &words [i];
        const kulak_pattern_t *p = kulak_patterns_get (lexicon->sentiment, m->pattern);
        bool across = false;
        if (m->last - m->first + 1 > p->word_count)          /* a phrase with gaps */
            for (size_t c = 0; c < contrast_count && !across; c++)
                for (uint32_t t = contrasts [c].first; t <= contrasts [c].last && !across; t++)
                    across = t > m->first && t <= m->last;
        if (!across)
            words [kept++] = *m;
    }
    return kept;
}

/* What may follow a score in its clause. Any word that is what was scored ("10/10 pizza",
   "2/10 app") or the giving of it ("10/10 would recommend", "9/10 puan veririm"), but not
   one that makes the number a count, a date or a time: "of" ("9/10 of my order"), a plural
   ("8 out of 10 calls", "2/10 instalments"), a unit ("3/10 kez", "2/10 saat 14:00"), a
   date's case ending or "tarihinde" ("9/10'da", "9/10 tarihinde"), a time of day ("10/10
   morning", "9/10 sabah"), a range's other end ("9/10 to 10/10"), or another number.
   Words before one that make it no score: a date ("on 1/10"), a step, a page, an
   instalment ("page 9/10", "taksit 9/10"). Keys: Turkish without its marks. */
static const char *const s_score_followers [] = {     /* plurals, yet a score's words */
    "stars", "points", "thanks", NULL
};
static const char *const s_score_blockers [] = {
    "of", "to", "and", "or", "until", "till", "through", "times", "time", "per", "percent",
    "kez", "kere", "defa", "saat", "saatte", "gun", "gunde", "hafta", "ay", "yil", "dakika",
    "taksit", "tane", "adet", "kisi", "da", "de", "ta", "te", "dan", "den", "tan", "ten", "a",
    "e", "ya", "ye", "i", "u", "yi", "yu", "nin", "nun", "in", "un", "deki", "daki", "teki",
    "taki", "ile", "ve", "ila", "morning", "afternoon", "evening", "night", "am", "pm",
    "sabah", "ogle", "ogleden", "aksam", "gece", NULL
};
static const char *const s_score_openers [] = {
    "on", "by", "from", "to", "until", "till", "between", "since", "due", "the", "page",
    "step", "part", "taksit", "sayfa", "adim", NULL
};
/* Words after which a number that ends its clause is a date: what happened on it
   ("Ordered 9/10, still not here", "Arrived 9/10 - late"). Followed by a word in its clause
   it stays a score ("delivered 10/10 service"). English only. */
static const char *const s_score_date_verbs [] = {
    "ordered", "arrived", "delivered", "shipped", "dispatched", "posted", "placed", "booked",
    "received", "returned", "cancelled", "canceled", "paid", "purchased", "bought", "called",
    "emailed", "came", "scheduled", "charged", "billed", "refunded", "opened", "closed",
    "collected", "installed", "expected", NULL
};

static bool
key_in (const char *key, const char *const *list)
{
    for (; *list; list++)
        if (strcmp (key, *list) == 0)
            return true;
    return false;
}

/* Whether a token right after a number, in its clause, leaves it a score (see
   s_score_blockers). In English a plural is a word of four letters or more in -s, not -ss;
   Turkish words in -s are no plurals ("10/10 servis"). */
static bool
follows_score (const kulak_token_t *next, kulak_lang_t lang)
{
    if (next->kind == KULAK_TOKEN_NUMBER)
        return false;
    if (next->kind != KULAK_TOKEN_WORD || !next->key)
        return true;
    const char *key = next->key;
    size_t len = strlen (key);
    if (key_in (key, s_score_followers))
        return true;
    if (key_in (key, s_score_blockers) || strncmp (key, "tarih", 5) == 0)
        return false;
    bool plural = lang == KULAK_LANG_EN && len >= 4 && key [len - 1] == 's'
                  && key [len - 2] != 's';
    return !plural;
}

/* Whether a score matched ("9/10", "3 out of 10") stands as one: no word after it in its
   clause, or one that goes with a score (follows_score); no word before it in its clause
   that makes it a date or a step. "9 out of 10 times the app crashes", "I got 9/10 of my
   order missing", "Siparişimi 9/10 tarihinde verdim" and "Taksit 9/10 ödendi" hold no
   score. */
static bool
stands_as_score (const kulak_tokens_t *tokens, const kulak_match_t *m)
{
    const kulak_token_t *first = &tokens->items [m->first], *last = &tokens->items [m->last];
    bool clause_end = true;
    if (m->last + 1 < tokens->count) {
        const kulak_token_t *next = last + 1;
        if (next->clause == last->clause && !follows_score (next, tokens->lang))
            return false;
        /* a time after it: "Came 2/10 at 9 am", "9/10 saat 14:00" (saat: a blocker) */
        if (next->clause == last->clause && next->key && strcmp (next->key, "at") == 0
            && m->last + 2 < tokens->count && next [1].kind == KULAK_TOKEN_NUMBER)
            return false;
        clause_end = next->clause != last->clause;
    }
    if (m->first > 0) {
        const kulak_token_t *before = first - 1;
        if (before->clause == first->clause && before->kind == KULAK_TOKEN_WORD
            && (key_in (before->key, s_score_openers)
                || (clause_end && tokens->lang == KULAK_LANG_EN
                    && key_in (before->key, s_score_date_verbs))))
            return false;
    }
    return true;
}

/* Drops from `words` (count of them) the scores that do not stand as scores; returns how
   many are left. A score starts with a number: the entry of any other match is not read. */
static size_t
drop_misplaced_scores (const kulak_lexicon_t *lexicon, const kulak_tokens_t *tokens,
                       kulak_match_t *words, size_t count)
{
    size_t kept = 0;
    for (size_t i = 0; i < count; i++) {
        bool misplaced = tokens->items [words [i].first].kind == KULAK_TOKEN_NUMBER
                         && kulak_patterns_get (lexicon->sentiment, words [i].pattern)->score
                         && !stands_as_score (tokens, &words [i]);
        if (!misplaced)
            words [kept++] = words [i];
    }
    return kept;
}

/* Whether a key is Turkish "ne" (the strcmp, without the call: asked of every word). */
static inline bool
is_ne (const char *key)
{
    return key [0] == 'n' && key [1] == 'e' && key [2] == 0;
}

/* kulak_sentiment_score_found, in out's block when `reuse` and it is large enough. */
static void
score_found (const kulak_lexicon_t *lexicon, const kulak_tokens_t *tokens,
             kulak_lexicon_matches_t *found, kulak_sentiment_t *out, bool reuse)
{
    uint8_t *reused = reuse ? (uint8_t *) out->matches : NULL;
    size_t room = reuse ? out->room : 0;
    memset (out, 0, sizeof *out);
    size_t n = tokens->count;
    /* The sentiment matches that count are kept in *out: a copy of the selected ones. */
    kulak_match_t *words = NULL;
    size_t count = 0;
    if (n) {
        words = found->items + found->start [KULAK_SET_SENTIMENT];
        count = found->start [KULAK_SET_SENTIMENT + 1] - found->start [KULAK_SET_SENTIMENT];
        count = drop_phrases_across_contrast (lexicon, found, words, count);
        count = drop_misplaced_scores (lexicon, tokens, words, count);
        count = kulak_matches_select (lexicon->sentiment, words, count, false);
    }
    /* One zeroed block per text, not six allocations (and with `reuse` the last text's
       block, zeroed again): the matches (kulak_sentiment_free frees them, and with them
       the rest), the valences per token and per match, then the per-token marks of this
       function (the boosts and nine byte arrays), then negated. */
    size_t floats = (n + 1) + (count + 1) + n;
    size_t bytes = (count + 1) * sizeof (kulak_match_t) + floats * sizeof (float) + 9 * n + n + 1;
    uint8_t *whole;
    if (reused && room >= bytes) {
        whole = reused;
        memset (whole, 0, bytes);
    }
    else {
        free (reused);
        room = reuse && bytes < 1024 ? 1024 : bytes;
        whole = kulak_calloc (room, 1);
    }
    out->room = room;
    kulak_match_t *matches = (kulak_match_t *) whole;
    out->matches = matches;
    out->valence = (float *) (matches + count + 1);
    out->match_valence = out->valence + n + 1;
    uint8_t *block = (uint8_t *) (out->match_valence + count + 1);
    out->negated = block + n * (sizeof (float) + 9);
    if (n == 0)
        return;
    memcpy (matches, words, count * sizeof *matches);

    modifiers_t mods;
    mods.boost = (float *) block;
    mods.negate_next = block + n * sizeof (float);
    mods.negate_prev = mods.negate_next + n;
    mods.contrast = out->contrast = mods.negate_prev + n;
    mods.in_phrase = mods.contrast + n;
    mods.booster = mods.in_phrase + n;
    uint8_t *ne_scope = mods.booster + n;
    uint8_t *next_scope = ne_scope + n;      /* in reach of a `next` negator */
    mods.phrase_word = next_scope + n;
    uint8_t *spent = mods.phrase_word + n;   /* a negator that negated a sentiment word */
    /* A phrase's tokens are no modifiers of their own ("not bad"), but a negator among the
       tokens it skips still negates ("will NEVER buy this again" against "will buy again"). */
    for (size_t i = 0; i < count; i++)
        if (matches [i].last > matches [i].first) {
            const kulak_pattern_t *p = kulak_patterns_get (lexicon->sentiment,
                                                           matches [i].pattern);
            bool gaps = matches [i].last - matches [i].first + 1 > p->word_count;
            for (uint32_t t = matches [i].first; t <= matches [i].last; t++) {
                mods.in_phrase [t] = 1;
                if (!gaps || is_pattern_word (p, &tokens->items [t]))
                    mods.phrase_word [t] = 1;
            }
        }
    /* A one-word `next` negator counts even inside a longer negator's match, which the
       selection below would drop it for: the `not` in "could not have". */
    for (size_t i = found->start [KULAK_SET_NEGATORS];
         i < found->start [KULAK_SET_NEGATORS + 1]; i++) {
        const kulak_match_t *m = &found->items [i];
        const kulak_pattern_t *p = kulak_patterns_get (lexicon->negators, m->pattern);
        if (m->first == m->last && p->tag == KULAK_NEGATE_NEXT)
            mark_negator (&mods, p, m);
    }
    mark_matches (lexicon->negators, found, KULAK_SET_NEGATORS, mark_negator, &mods);
    mark_matches (lexicon->intensifiers, found, KULAK_SET_INTENSIFIERS, mark_intensifier, &mods);
    mark_matches (lexicon->contrast, found, KULAK_SET_CONTRAST, mark_contrast, &mods);
    /* (contrast words alone mark mods.contrast: without one, nothing to look for) */
    bool contrasts_found = found->start [KULAK_SET_CONTRAST + 1]
                           > found->start [KULAK_SET_CONTRAST];
    bool any_contrast = contrasts_found && (memchr (mods.contrast, LATER, n)
                                            || memchr (mods.contrast, CONCESSIVE, n));
    /* Negators alone mark negate_next and negate_prev: without one (most texts) the passes
       over them below have nothing to find. */
    bool negators = found->start [KULAK_SET_NEGATORS + 1] > found->start [KULAK_SET_NEGATORS];
    uint8_t *ironic = NULL;              /* praise an irony mark ahead makes ironic */
    if (negators && memchr (mods.negate_prev, IRONY, n)) {
        ironic = kulak_malloc (n);
        mark_irony_ahead (tokens, &mods, ironic);
    }
    contrast_map_t contrasts;           /* (set by contrast_map_build when used) */
    if (any_contrast)
        contrast_map_build (tokens, &mods, &contrasts);

    /* Negation scopes for the model: the next words after a `next` negator, the word(s)
       before a `prev` one, within the clause. */
    bool english = lexicon->lang == KULAK_LANG_EN;
    for (size_t i = 0; negators && i < n; i++) {
        if (mods.negate_next [i] == UNMET) {
            /* "could have put in nice headphones": the praise is what did not happen; not
               marked negated for the model, which has the words themselves. A negation
               before it undoes it: "nobody could have done better"; so does "to" after
               it, an obligation, no wish: "I would have to say it is great". */
            bool undone = i + 1 < n && tokens->items [i + 1].key
                          && kulak_str_same (tokens->items [i + 1].key, "to");
            for (size_t k = i; k-- > 0 && k + 3 >= i
                 && tokens->items [k].clause == tokens->items [i].clause;)
                undone = undone || mods.negate_next [k] == 1;
            for (size_t j = i + 1; !undone && j < n && j <= i + UNMET_REACH
                 && tokens->items [j].clause == tokens->items [i].clause; j++)
                if (!next_scope [j])
                    next_scope [j] = UNMET;
        }
        else if (mods.negate_next [i]) {
            size_t reach = i + NEGATION_REACH;
            bool never = english && kulak_str_same (tokens->items [i].key, "never");
            for (size_t j = i + 1; j < n && j <= reach + 1
                 && tokens->items [j].clause == tokens->items [i].clause; j++) {
                if (never && is_emphasis_after_never (&tokens->items [j]))
                    break;
                if (english && extends_negation (&tokens->items [j]))
                    reach = j + NEGATION_REACH;
                else if (j <= reach)
                    next_scope [j] = out->negated [j] = 1;   /* (over an UNMET too) */
            }
        }
        if (mods.negate_prev [i])
            for (size_t j = i; j-- > 0 && j + 2 >= i
                 && tokens->items [j].clause == tokens->items [i].clause;)
                out->negated [j] = 1;
    }
    /* "ne hızlı ne ucuz": with two or more "ne" in a sentence, each introduces a negation. */
    size_t ne_total = 0;                 /* (most texts have one "ne" at most: done) */
    for (size_t i = 0; lexicon->lang == KULAK_LANG_TR && i < n && ne_total < 2; i++)
        ne_total += is_ne (tokens->items [i].key);
    if (ne_total >= 2) {
        /* one pass counts the "ne"s of each sentence, a second marks what they introduce */
        size_t sentences = sentence_count (tokens);
        uint16_t *ne_count = kulak_calloc (sentences, sizeof *ne_count);
        for (size_t i = 0; i < n; i++)
            if (is_ne (tokens->items [i].key) && ne_count [tokens->items [i].sentence] < 2)
                ne_count [tokens->items [i].sentence]++;
        for (size_t i = 0; i < n; i++) {
            if (ne_count [tokens->items [i].sentence] < 2 || !is_ne (tokens->items [i].key))
                continue;
            for (size_t j = i + 1; j < n && j <= i + 2 && !is_ne (tokens->items [j].key); j++)
                ne_scope [j] = out->negated [j] = 1;
        }
        free (ne_count);
    }

    /* A `next` negator with a valence of its own ("no" -1.2) that negates a sentiment word
       after it acts on that word, it is no verdict of its own: "No long wait" is the wait
       negated, not that plus a negative "no". */
    for (size_t i = 0; i < count; i++) {
        const kulak_match_t *m = &matches [i];
        const kulak_token_t *first = &tokens->items [m->first];
        bool single = m->first == m->last;
        if (!next_scope [m->first] || first->kind == KULAK_TOKEN_EMOJI
            || first->kind == KULAK_TOKEN_EMOTICON
            || (single && (mods.booster [m->first] || mods.negate_next [m->first])))
            continue;
        /* (an `unmet` one flips praise alone: after a complaint it has acted on nothing
           and keeps its own valence, "keşke bu kadar yavaş olmasaydı") */
        float sign = kulak_patterns_get (lexicon->sentiment, m->pattern)->value
                   * (m->suffix != KULAK_SUFFIX_NONE ? -1.0f : 1.0f);
        for (size_t t = m->first; t-- > 0 && tokens->items [t].clause == first->clause;)
            if (mods.negate_next [t]) {
                spent [t] |= mods.negate_next [t] != UNMET || sign > 0;
                break;
            }
    }

    out->match_count = count;
    static const float decay [4] = { 0, 1.0f, 0.95f, 0.9f };
    size_t kept = 0;
    for (size_t i = 0; i < count; i++) {
        const kulak_match_t *m = &matches [i];
        /* An intensifier carries no valence of its own ("kind of", "pretty"), as in VADER. */
        if (m->first == m->last && (mods.booster [m->first] || spent [m->first]))
            continue;
        matches [kept] = *m;
        m = &matches [kept++];
        const kulak_pattern_t *p = kulak_patterns_get (lexicon->sentiment, m->pattern);
        const kulak_token_t *first = &tokens->items [m->first];
        bool symbol = first->kind == KULAK_TOKEN_EMOJI || first->kind == KULAK_TOKEN_EMOTICON;
        float v = p->value;
        bool flipped = false;
        if (m->suffix != KULAK_SUFFIX_NONE) {
            v *= NEGATION_SCALAR;
            flipped = true;
        }
        /* intensifiers up to three tokens before, in the same clause */
        for (int k = 1; k <= 3 && m->first >= (uint32_t) k; k++) {
            size_t t = m->first - (uint32_t) k;
            if (tokens->items [t].clause != first->clause)
                break;
            if (mods.boost [t] != 0)
                v += sign_of (v) * mods.boost [t] * decay [k] * 1.0f;
        }
        /* a phrase is shouted or drawn out when one of its words is ("kargo BERBAT") */
        uint16_t flags = 0;
        for (uint32_t t = m->first; t <= m->last; t++)
            flags |= tokens->items [t].flags;
        if ((flags & KULAK_TOKEN_CAPS) && !tokens->all_caps)
            v += sign_of (v) * CAPS_BOOST;
        if (flags & KULAK_TOKEN_ELONGATED)
            v += sign_of (v) * ELONGATION_BOOST;
        /* a `next` negator up to three tokens before, same clause (more past "or");
           emoticons and emoji say what they say whatever precedes them, and a negator with
           a valence of its own repeats rather than flips ("no no no") */
        bool repeated_negator = m->first == m->last && mods.negate_next [m->first];
        /* nor a low score: "not even a 1/10", "wouldn't give them 2/10" still complain */
        bool unflipped = symbol || (p->score && v < 0);
        if (!unflipped && !repeated_negator && next_scope [m->first]
            && (next_scope [m->first] != UNMET || v > 0)) {
            v *= NEGATION_SCALAR;
            flipped = !flipped;
        }
        /* a `next` negator the phrase skipped over */
        for (uint32_t t = m->first + 1; !unflipped && t < m->last; t++)
            if (mods.negate_next [t] && (mods.negate_next [t] != UNMET || v > 0)) {
                v *= NEGATION_SCALAR;
                flipped = !flipped;
                break;
            }
        /* a `prev` negator right after (değil, yok), allowing one word between */
        for (uint32_t t = m->last + 1; !unflipped && t < n && t <= m->last + 2; t++) {
            if (tokens->items [t].clause != tokens->items [m->last].clause)
                break;
            if (mods.negate_prev [t]) {
                /* the irony mark turns praise into a complaint; after a complaint
                   ("Rezalet(!)") it is emphasis, not praise */
                if (mods.negate_prev [t] != IRONY || v > 0) {
                    v *= NEGATION_SCALAR;
                    flipped = !flipped;
                }
                break;
            }
        }
        /* praise not meant: before an irony mark or 🙃 in its clause (or one standing
           alone after its sentence: "harika, çok lezzetliydi 🙃"), in scare quotes (refund
           "approved"), or in Turkish right before a verb that denies it ("zamanında
           gelmedi") */
        if (!symbol && v > 0
            && ((ironic && ironic [m->last]) || (first->flags & KULAK_TOKEN_QUOTED)
                || (!english && !flipped
                    && denied_by_verb (tokens, &mods, m->last,
                                       i + 1 < count ? &matches [i + 1] : NULL,
                                       i + 1 < count
                                       && reads_negative (lexicon, &matches [i + 1]))))) {
            v *= NEGATION_SCALAR;
            flipped = !flipped;
        }
        /* "ne ... ne" denies the good words, also a phrase that reaches into it across
           the "ne" ("kargo hızlı" in "kargo ne hızlı ne ucuz") */
        bool denied = false;
        for (uint32_t t = m->first; t <= m->last; t++)
            denied = denied || ne_scope [t];
        if (denied) {
            v = v > 0 ? v * NEGATION_SCALAR : v;
            flipped = true;
        }
        if (any_contrast)
            v *= contrast_weight (tokens, &contrasts, m->first);
        out->match_valence [kept - 1] = v;
        out->valence [m->first] += v;
        if (flipped)
            out->negated [m->first] = 1;
        out->sum += v;
        if (v > 0)
            out->positive += v;
        else
            out->negative -= v;
    }
    out->match_count = kept;
    if (!any_contrast && kept >= 2) {
        flip_sarcastic_opening (lexicon->sentiment, tokens, &mods, out);
        flip_sarcastic_praise (lexicon->sentiment, tokens, &mods, out);
    }
    if (kept >= 2)
        flip_sarcastic_thanks (tokens, english, out);
    if (out->sum != 0 && tokens->exclaims > 0)
        out->sum += sign_of ((float) out->sum) * EXCLAIM_BOOST
                  * (tokens->exclaims > 4 ? 4 : tokens->exclaims);
    if (out->sum != 0 && tokens->questions > 1)      /* "??" emphasises, as in VADER */
        out->sum += sign_of ((float) out->sum) * (tokens->questions > 3 ? 0.96 : 0.18 * tokens->questions);
    out->compound = kulak_sentiment_squash (out->sum);

    if (any_contrast)
        contrast_map_free (&contrasts);
    free (ironic);
}

void
kulak_sentiment_score_found (const kulak_lexicon_t *lexicon, const kulak_tokens_t *tokens,
                             kulak_lexicon_matches_t *found, kulak_sentiment_t *out)
{
    score_found (lexicon, tokens, found, out, false);
}

void
kulak_sentiment_score_found_again (const kulak_lexicon_t *lexicon,
                                   const kulak_tokens_t *tokens,
                                   kulak_lexicon_matches_t *found, kulak_sentiment_t *out)
{
    score_found (lexicon, tokens, found, out, true);
}

