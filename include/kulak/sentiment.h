/*  sentiment.h: lexicon sentiment of a tokenized text, with every decision kept.

    The rules follow VADER (Hutto & Gilbert 2014) and extend them for Turkish:
    - each sentiment word or phrase gives its valence (-4..+4); the longest pattern wins,
      so idioms ("not bad", "fena değil", "no complaints") override their words;
    - Turkish negating suffixes after a root (beğen|medim, ulaş|amadım, sorun|suz) flip it;
      a verb so negated also flips praise right before it (zamanında gelmedi, iyi
      paketlenmedi, not -mAz or -mAmIş adjectives: "sağlam kırılmamış");
    - negators flip the next three words (not, never, hiç bir) or the word before them
      (değil, yok), and "ne ... ne" flips what each "ne" introduces;
    - praise in scare quotes (at most three quoted words) is irony and flips, as is praise
      before an irony mark ((!), 🙃) in its clause and thanks for something bad ("soğuk
      çorba için teşekkürler", "thanks for the delay again");
    - intensifiers before a word strengthen or soften it, with decay over distance;
    - words in capitals (when the text is not all capitals) and elongated words count more;
    - in a sentence with a contrast word (ama, fakat, but, however) what comes before
      weighs half and what comes after one and a half times;
    - exclamation marks push the total away from zero;
    - the sum is squashed to a compound score in (-1, 1): sum / sqrt(sum^2 + 15). */
#ifndef KULAK_SENTIMENT_H
#define KULAK_SENTIMENT_H

#include "kulak/lexicon.h"
#include "kulak/tokens.h"

typedef struct {
    float *valence;              /* per token: the final valence of a match starting there */
    uint8_t *negated;            /* per token: inside a negation scope (for the model) */
    uint8_t *contrast;           /* per token: nonzero where a contrast word starts (but,
                                    ama, although): the clause's later part begins there */
    kulak_match_t *matches;      /* the sentiment matches that counted */
    float *match_valence;        /* their final valences */
    size_t match_count;
    double sum;                  /* valences before squashing */
    double positive;             /* sum of positive valences */
    double negative;             /* sum of negative valences, as a positive number */
    double compound;             /* in (-1, 1) */
    size_t room;                 /* bytes of the block `matches` heads (all the arrays) */
} kulak_sentiment_t;

void kulak_sentiment_score (const kulak_lexicon_t *lexicon, const kulak_tokens_t *tokens,
                            kulak_sentiment_t *out);
/* The same from the lexicon's matches, already found (the sets it reads are reordered). */
void kulak_sentiment_score_found (const kulak_lexicon_t *lexicon, const kulak_tokens_t *tokens,
                                  kulak_lexicon_matches_t *found, kulak_sentiment_t *out);
/* The same into the memory of an earlier score (or of a zeroed *out), grown when it is too
   small: a caller that scores text after text allocates nothing per text. Free it with
   kulak_sentiment_free when done. */
void kulak_sentiment_score_found_again (const kulak_lexicon_t *lexicon,
                                        const kulak_tokens_t *tokens,
                                        kulak_lexicon_matches_t *found, kulak_sentiment_t *out);
void kulak_sentiment_free (kulak_sentiment_t *sentiment);

double kulak_sentiment_squash (double sum);
kulak_label_t kulak_sentiment_label (double compound);

#endif
