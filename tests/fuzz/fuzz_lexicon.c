/*  fuzz_lexicon.c: libFuzzer harness for lexicon files (kulak_patterns_parse). The same
    bytes are parsed as each kind of file (sentiment, theme, negators, intensifiers,
    contrast), in Turkish and English, and whatever parsed is matched against a fixed text
    and against the input itself. */
#include "kulak/lexicon.h"
#include "kulak/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static kulak_tokenizer_t *s_tokenizer;

static void
match (const kulak_patterns_t *patterns, const char *text, kulak_lang_t lang, bool per_tag)
{
    kulak_tokens_t *tokens = kulak_tokenize (s_tokenizer, text, lang);
    kulak_match_t *matches = NULL;
    size_t count = kulak_patterns_find (patterns, tokens, &matches);
    count = kulak_matches_select (patterns, matches, count, per_tag);
    for (size_t i = 0; i < count; i++) {
        const kulak_pattern_t *p = kulak_patterns_get (patterns, matches [i].pattern);
        if (!p || matches [i].first > matches [i].last || matches [i].last >= tokens->count)
            abort ();
    }
    free (matches);
    kulak_tokens_destroy (&tokens);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    if (!s_tokenizer)
        s_tokenizer = kulak_tokenizer_new ();
    char *text = kulak_strndup ((const char *) data, size);   /* stops at a NUL, as a file read does */
    static const char kinds [] = { 's', 't', 'n', 'i', 'c' };
    for (int lang = KULAK_LANG_TR; lang <= KULAK_LANG_EN; lang++) {
        for (size_t k = 0; k < sizeof kinds; k++) {
            kulak_strmap_t *emoticons = kulak_strmap_new ();
            kulak_tokenizer_set_emoticons (s_tokenizer, emoticons);
            kulak_patterns_t *patterns = kulak_patterns_new ((kulak_lang_t) lang);
            kulak_theme_info_t info = { 0 };
            char *err = NULL;
            int rc = kulak_patterns_parse (patterns, text, "fuzz.txt", kinds [k], 3,
                                           s_tokenizer, emoticons, &info, &err);
            if (rc != 0 && (!err || strncmp (err, "fuzz.txt:", 9) != 0))
                abort ();               /* every error names the file and line */
            if (rc == 0) {
                match (patterns, "Müşteri hizmetlerine bir türlü ulaşamadım, faturam yanlış!!! "
                       "not bad :) çoook güzeeel 😍 [phone]", (kulak_lang_t) lang, kinds [k] == 't');
                match (patterns, text, (kulak_lang_t) lang, kinds [k] == 't');
            }
            free (err);
            free (info.name_tr);
            free (info.name_en);
            kulak_patterns_destroy (&patterns);
            kulak_tokenizer_set_emoticons (s_tokenizer, NULL);
            kulak_strmap_destroy (&emoticons);
        }
    }
    free (text);
    return 0;
}
