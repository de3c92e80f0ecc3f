/*  normalize.h: what the normalize stage does to a record, as a library call so `kulak
    tag`, `kulak eval` and the tests run exactly the same code as the stage.

    In order: text to valid UTF-8 (legacy Turkish bytes repaired), personal data masked,
    Unicode NFKC into norm_text, masked again (NFKC can turn full-width digits into
    ordinary ones), and the language identified when the record does not say it.
    Tokens, negation marks and stems are derived from norm_text by the tagger: they are
    deterministic, so the wire carries the text once instead of every token. */
#ifndef KULAK_NORMALIZE_H
#define KULAK_NORMALIZE_H

#include "kulak/record.h"

/* Returns the number of personal-data items masked. `fallback` is the language used when
   the text gives no clue (an emoji, "ok"). */
int kulak_normalize (kulak_record_t *record, kulak_lang_t fallback);

#endif
