/*  fuzz_tag.c: libFuzzer harness for the text path a record takes after collect: normalize
    (kulak_normalize), then the tagger with the shipped lexicons and models (tokens,
    negation, stems, lexicon matches, scores, themes, both models), its JSON and its model
    explanation. The first byte picks the language (given or detected) and the fallback;
    the rest is the text, up to a NUL as a line read from a file.

    Besides not crashing, what a user reads must hold: a sentiment in [-1, 1], a label, the
    evidence offsets inside the normalized text, JSON that parses, and the same tags when
    the same text is tagged again (the tokenizer's stem cache and the lexicons' memos carry
    over from text to text: a stale one would tag the second time differently). */
#include "fuzz_assert.h"
#include "kulak/normalize.h"
#include "kulak/record.h"
#include "kulak/tagger.h"
#include "kulak/text.h"
#include "kulak/util.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static kulak_tagger_t *s_tagger;

static void
check_evidence (const kulak_evidence_t *items, size_t count, size_t text_len, const char *what)
{
    FUZZ_ASSERT (count <= KULAK_MAX_EVIDENCE, "%zu %s evidence items", count, what);
    for (size_t i = 0; i < count; i++) {
        const kulak_evidence_t *e = &items [i];
        FUZZ_ASSERT (e->start < e->end && e->end <= text_len,
                     "%s evidence [%u, %u) outside a text of %zu code points", what, e->start,
                     e->end, text_len);
        FUZZ_ASSERT (e->word && kulak_text_is_utf8 (e->word, strlen (e->word)),
                     "%s evidence word is not UTF-8", what);
        FUZZ_ASSERT (isfinite (e->weight), "%s evidence weight %f", what, (double) e->weight);
    }
}

static void
check_tags (const kulak_record_t *record)
{
    /* (evidence offsets count code points) */
    size_t text_len = kulak_utf8_count (record->norm_text, strlen (record->norm_text));
    FUZZ_ASSERT (record->tagged, "tagged is false after tagging");
    FUZZ_ASSERT (record->sentiment >= -1 && record->sentiment <= 1, "sentiment %f",
                 (double) record->sentiment);
    FUZZ_ASSERT (record->label <= KULAK_LABEL_NEG, "label %d", (int) record->label);
    FUZZ_ASSERT (record->theme_count <= KULAK_MAX_THEMES, "%zu themes", record->theme_count);
    for (size_t t = 0; t < record->theme_count; t++) {
        const kulak_theme_hit_t *hit = &record->themes [t];
        FUZZ_ASSERT (hit->theme && *hit->theme, "a theme without an id");
        FUZZ_ASSERT (hit->evidence_count > 0, "theme %s without evidence", hit->theme);
        FUZZ_ASSERT (hit->sentiment >= -1 && hit->sentiment <= 1, "theme %s sentiment %f",
                     hit->theme, (double) hit->sentiment);
        for (size_t u = 0; u < t; u++)
            FUZZ_ASSERT (strcmp (record->themes [u].theme, hit->theme) != 0,
                         "theme %s given twice", hit->theme);
        check_evidence (hit->evidence, hit->evidence_count, text_len, hit->theme);
    }
    check_evidence (record->sentiment_evidence, record->sentiment_evidence_count, text_len,
                    "sentiment");
}

/* The record's JSON, checked to parse as an object (caller frees). */
static char *
checked_json (const kulak_record_t *record)
{
    char *explained = kulak_tagger_explain (s_tagger, record);
    json_error_t error;
    json_t *features = json_loads (explained, 0, &error);
    FUZZ_ASSERT (json_is_array (features), "explanation is not a JSON array: %s", error.text);
    json_decref (features);
    char *json = kulak_tagger_json (record, explained);
    free (explained);
    json_t *object = json_loads (json, 0, &error);
    FUZZ_ASSERT (json_is_object (object), "tag JSON does not parse: %s: %s", error.text, json);
    json_decref (object);
    return json;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    if (!s_tagger) {
        char *err = NULL;
        s_tagger = kulak_tagger_new (&(kulak_tagger_options_t) { 0 }, &err);
        if (!s_tagger) {
            fprintf (stderr, "fuzz_tag: %s (run from the repository, or set KULAK_LEXICONS)\n",
                     err ? err : "no tagger");
            abort ();
        }
    }
    if (size == 0)
        return 0;
    static const kulak_lang_t langs [4] = {
        KULAK_LANG_UNKNOWN, KULAK_LANG_TR, KULAK_LANG_EN, KULAK_LANG_UNKNOWN
    };
    kulak_lang_t given = langs [data [0] & 3];
    kulak_lang_t fallback = data [0] & 4 ? KULAK_LANG_EN : KULAK_LANG_TR;
    char *text = kulak_strndup ((const char *) data + 1, size - 1);
    char *first = NULL;
    for (int pass = 0; pass < 2; pass++) {
        kulak_record_t *record = kulak_record_new ();
        record->text = kulak_strdup (text);
        record->lang = given;
        kulak_normalize (record, fallback);
        if (!record->quarantine_reason) {
            FUZZ_ASSERT (record->norm_text
                         && kulak_text_is_utf8 (record->norm_text, strlen (record->norm_text)),
                         "norm_text is not UTF-8");
            kulak_tagger_tag (s_tagger, record);
            check_tags (record);
            char *json = checked_json (record);
            if (pass == 0)
                first = json;
            else {
                FUZZ_ASSERT (strcmp (first, json) == 0,
                             "the same text tagged twice differs:\n%s\n%s", first, json);
                free (json);
            }
        }
        kulak_record_destroy (&record);
    }
    free (first);
    free (text);
    return 0;
}
