/*  tagger.h: themes, sentiment and the complaint flag of a normalized record.

    The tagger holds what tagging needs for both languages: the tokenizer with its
    stemmers, the lexicons (lexicons/tr, lexicons/en) and the trained models
    (lexicons/<lang>/model.tsv by default). It is what the tag stage runs per record
    and what `kulak tag` and `kulak eval` run in one process.

    - Sentiment: the model's probabilities when a model is loaded (score = P(pos) -
      P(neg)), else the lexicon's compound score. The evidence lists the lexicon words
      and phrases that counted, with their final valence.
    - Themes: a theme is assigned when the weights of its matched patterns reach 1.0;
      its sentiment is that of the clauses holding its evidence, or the document's when
      those clauses carry no sentiment words. The theme model (lexicons/<lang>/themes.tsv
      by default, theme_model.h) then adds the themes it gives its threshold that the
      lexicons did not find (at most two, the likeliest first), with the words whose
      features pushed hardest towards each as their evidence.
    - Complaint: negative document, a negative theme, or a review rating of 1-2 stars. */
#ifndef KULAK_TAGGER_H
#define KULAK_TAGGER_H

#include "kulak/lexicon.h"
#include "kulak/model.h"
#include "kulak/record.h"
#include "kulak/theme_model.h"

typedef struct {
    const char *lexicon_dir;     /* NULL: kulak_lexicon_default_dir () */
    const char *model_tr;        /* NULL: <lexicons>/tr/model.tsv when present; "none": off */
    const char *model_en;
    const char *themes_tr;       /* NULL: <lexicons>/tr/themes.tsv when present; "none": off */
    const char *themes_en;
} kulak_tagger_options_t;

typedef struct kulak_tagger_t kulak_tagger_t;

kulak_tagger_t *kulak_tagger_new (const kulak_tagger_options_t *options, char **err);
void kulak_tagger_destroy (kulak_tagger_t **self_p);

/* Tags a normalized record (norm_text and lang set). Replaces earlier tags. */
void kulak_tagger_tag (kulak_tagger_t *self, kulak_record_t *record);

/* Pieces for training and explanation. */
const kulak_lexicon_t *kulak_tagger_lexicon (const kulak_tagger_t *self, kulak_lang_t lang);
const kulak_model_t *kulak_tagger_model (const kulak_tagger_t *self, kulak_lang_t lang);
/* Replaces the model for a language (the tagger takes ownership; NULL: lexicon only). */
void kulak_tagger_set_model (kulak_tagger_t *self, kulak_lang_t lang, kulak_model_t *model);
/* Puts `model` in place for `lang` and gives back the one it replaces (neither is freed):
   cross-validation tags each row with its fold's model through the same path. */
kulak_model_t *kulak_tagger_swap_model (kulak_tagger_t *self, kulak_lang_t lang,
                                        kulak_model_t *model);
const kulak_theme_model_t *kulak_tagger_theme_model (const kulak_tagger_t *self,
                                                     kulak_lang_t lang);
/* As kulak_tagger_swap_model, for the theme model. */
kulak_theme_model_t *kulak_tagger_swap_theme_model (kulak_tagger_t *self, kulak_lang_t lang,
                                                    kulak_theme_model_t *model);
/* Features of a normalized text, as the model sees them (names kept when asked). */
void kulak_tagger_features (kulak_tagger_t *self, const char *norm_text, kulak_lang_t lang,
                            kulak_features_t *out);

/* Top model features behind a record's label, as a JSON array string (caller frees);
   "[]" without a model. */
char *kulak_tagger_explain (kulak_tagger_t *self, const kulak_record_t *record);

/* One JSON object for `kulak tag`: lang, sentiment, label, themes (ids), complaint, then
   theme_evidence and evidence with code point offsets into the normalized text, and the
   model's top features when model_evidence (a JSON array) is given. */
char *kulak_tagger_json (const kulak_record_t *record, const char *model_evidence);

#endif
