/*  test_tokens.c: the tokenizer (tokens.h): offsets, English n't, Turkish apostrophes, keys
    without Turkish marks, elongation, capitals, sentence and clause numbers, emoji, masks and
    numbers. */
#include "check.h"
#include "kulak/text.h"
#include "kulak/tokens.h"
#include "kulak/util.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

static kulak_tokenizer_t *s_tokenizer;

static kulak_tokens_t *
tokenize (const char *text, kulak_lang_t lang)
{
    return kulak_tokenize (s_tokenizer, text, lang);
}

/* The forms of all tokens joined by single spaces. */
static char *
forms_of (const kulak_tokens_t *tokens)
{
    kulak_buf_t buf;
    kulak_buf_init (&buf);
    for (size_t i = 0; i < tokens->count; i++)
        kulak_buf_printf (&buf, "%s%s", i ? " " : "", tokens->items [i].form);
    return kulak_buf_take (&buf);
}

/* The substring of `text` between code point offsets. */
static char *
span (const char *text, uint32_t start, uint32_t end)
{
    const char *p = text;
    for (uint32_t i = 0; i < start && *p; i++)
        for (p++; ((unsigned char) *p & 0xC0) == 0x80; p++)
            ;
    const char *q = p;
    for (uint32_t i = start; i < end && *q; i++)
        for (q++; ((unsigned char) *q & 0xC0) == 0x80; q++)
            ;
    return kulak_strndup (p, (size_t) (q - p));
}

TEST (test_offsets_are_code_points)
{
    const char *text = "Çok güzel 😍 teşekkürler İstanbul'dan";
    kulak_tokens_t *tokens = tokenize (text, KULAK_LANG_TR);
    CHECK (tokens->count == 5);
    if (tokens->count == 5) {
        CHECK (tokens->items [0].start == 0 && tokens->items [0].end == 3);
        CHECK (tokens->items [1].start == 4 && tokens->items [1].end == 9);
        CHECK (tokens->items [2].start == 10 && tokens->items [2].end == 11);
        CHECK (tokens->items [3].start == 12 && tokens->items [3].end == 23);
        CHECK (tokens->items [4].start == 24 && tokens->items [4].end == 36);
        const char *expected [] = { "Çok", "güzel", "😍", "teşekkürler", "İstanbul'dan" };
        for (size_t i = 0; i < 5; i++) {
            char *s = span (text, tokens->items [i].start, tokens->items [i].end);
            CHECK_STR (s, expected [i]);
            free (s);
        }
        CHECK_STR (tokens->items [4].form, "istanbuldan");
    }
    CHECK (kulak_utf8_count (text, strlen (text)) == 36);
    kulak_tokens_destroy (&tokens);
    CHECK (tokens == NULL);
}

TEST (test_english_nt_becomes_not)
{
    const char *text = "I didn't like it, can't say why and won't buy";
    kulak_tokens_t *tokens = tokenize (text, KULAK_LANG_EN);
    char *forms = forms_of (tokens);
    CHECK_STR (forms, "i did not like it can not say why and will not buy");
    free (forms);
    if (tokens->count >= 3) {
        /* "did" and "not" share the original word: "did" + "n't" */
        char *did = span (text, tokens->items [1].start, tokens->items [1].end);
        char *not = span (text, tokens->items [2].start, tokens->items [2].end);
        CHECK_STR (did, "did");
        CHECK_STR (not, "n't");
        CHECK_STR (tokens->items [2].key, "not");
        free (did);
        free (not);
    }
    kulak_tokens_destroy (&tokens);

    tokens = tokenize ("don’t", KULAK_LANG_EN);       /* typographic apostrophe */
    forms = forms_of (tokens);
    CHECK_STR (forms, "do not");
    free (forms);
    kulak_tokens_destroy (&tokens);
}

TEST (test_turkish_apostrophe_joins_the_word)
{
    kulak_tokens_t *tokens = tokenize ("Turkcell'e ve Pazarium’dan şikayetim var", KULAK_LANG_TR);
    CHECK (tokens->count == 5);
    if (tokens->count == 5) {
        CHECK_STR (tokens->items [0].form, "turkcelle");
        CHECK_STR (tokens->items [0].key, "turkcelle");
        CHECK_STR (tokens->items [2].form, "pazariumdan");
    }
    kulak_tokens_destroy (&tokens);
    /* In Turkish "n't" is not English negation. */
    tokens = tokenize ("Can't", KULAK_LANG_TR);
    CHECK (tokens->count == 1);
    kulak_tokens_destroy (&tokens);
}

/* Turkish typed as spoken drops the present tense's r: key1 is the written form. */
TEST (test_turkish_spoken_present)
{
    kulak_tokens_t *tokens = tokenize ("gelmiyo ulaşamıyom çözemiyolar gidiyooo radyo dinliyo",
                                       KULAK_LANG_TR);
    CHECK (tokens->count == 6);
    if (tokens->count == 6) {
        CHECK_STR (tokens->items [0].key1, "gelmiyor");
        CHECK_STR (tokens->items [1].key1, "ulasamiyorum");
        CHECK_STR (tokens->items [2].key1, "cozemiyorlar");
        CHECK_STR (tokens->items [3].key1, "gidiyor");              /* also when elongated */
        CHECK (tokens->items [4].key1 == NULL);                     /* "radyo" is no verb */
        CHECK_STR (tokens->items [5].key1, "dinliyor");
    }
    kulak_tokens_destroy (&tokens);
    /* the past ending "-du" too, which ends in none of the other endings' letters */
    tokens = tokenize ("geliyodu bekliyodum", KULAK_LANG_TR);
    CHECK (tokens->count == 2);
    if (tokens->count == 2) {
        CHECK_STR (tokens->items [0].key1, "geliyordu");
        CHECK_STR (tokens->items [1].key1, "bekliyordum");
    }
    kulak_tokens_destroy (&tokens);
    tokens = tokenize ("video radyo", KULAK_LANG_EN);               /* English: never */
    CHECK (tokens->count == 2 && !tokens->items [0].key1 && !tokens->items [1].key1);
    kulak_tokens_destroy (&tokens);
    /* spoken "bi" is "bir" ("bi daha almam"); "bil" and English "bi" stay */
    tokens = tokenize ("bi daha almam bil", KULAK_LANG_TR);
    CHECK (tokens->count == 4);
    if (tokens->count == 4) {
        CHECK_STR (tokens->items [0].key1, "bir");
        CHECK (tokens->items [3].key1 == NULL);
    }
    kulak_tokens_destroy (&tokens);
    tokens = tokenize ("bi weekly", KULAK_LANG_EN);
    CHECK (tokens->count == 2 && !tokens->items [0].key1);
    kulak_tokens_destroy (&tokens);
}

/* Words of a short double-quoted span are marked quoted; a long quotation and an
   unclosed quote mark nothing. */
TEST (test_quoted_words)
{
    kulak_tokens_t *tokens = tokenize ("refund \"approved\" on “2 August” said \"we will "
                                       "call you back soon\" then \"nothing", KULAK_LANG_EN);
    size_t quoted = 0;
    for (size_t i = 0; i < tokens->count; i++)
        if (tokens->items [i].flags & KULAK_TOKEN_QUOTED) {
            quoted++;
            CHECK (strcmp (tokens->items [i].key, "approved") == 0
                   || strcmp (tokens->items [i].key, "2") == 0
                   || strcmp (tokens->items [i].key, "august") == 0);
        }
    CHECK (quoted == 3);
    kulak_tokens_destroy (&tokens);
    /* an inch mark opens nothing; a text quoted as a whole is the writer's own; a sentence
       end drops an open quotation */
    const char *none [] = { "27\" monitor, great \"deal", "\"Great service\"",
                            "says \"fine. Then\" nothing" };
    for (size_t c = 0; c < 3; c++) {
        tokens = tokenize (none [c], KULAK_LANG_EN);
        for (size_t i = 0; i < tokens->count; i++)
            CHECK (!(tokens->items [i].flags & KULAK_TOKEN_QUOTED));
        kulak_tokens_destroy (&tokens);
    }
}

TEST (test_turkish_key_without_marks)
{
    kulak_tokens_t *tokens = tokenize ("ÇOK GÜZEL ışık", KULAK_LANG_TR);
    CHECK (tokens->count == 3);
    if (tokens->count == 3) {
        CHECK_STR (tokens->items [0].form, "çok");
        CHECK_STR (tokens->items [0].key, "cok");
        CHECK_STR (tokens->items [1].key, "guzel");
        CHECK_STR (tokens->items [2].form, "ışık");
        CHECK_STR (tokens->items [2].key, "isik");
        CHECK (tokens->items [0].key1 == NULL);
        CHECK (strchr (tokens->items [2].stem, (char) 0xC4) == NULL);   /* stem without ı */
    }
    kulak_tokens_destroy (&tokens);
    /* English keeps its form: no Turkish fold of I */
    tokens = tokenize ("I LIKE IT", KULAK_LANG_EN);
    CHECK_STR (tokens->items [0].key, "i");
    CHECK_STR (tokens->items [2].key, "it");
    kulak_tokens_destroy (&tokens);
    char *key = kulak_token_key ("Çok", KULAK_LANG_TR);
    CHECK_STR (key, "cok");
    free (key);
    key = kulak_token_key ("IŞIK", KULAK_LANG_TR);
    CHECK_STR (key, "isik");
    free (key);
}

TEST (test_elongation)
{
    kulak_tokens_t *tokens = tokenize ("sooo goooood good", KULAK_LANG_EN);
    CHECK (tokens->count == 3);
    if (tokens->count == 3) {
        kulak_token_t *so = &tokens->items [0];
        CHECK_STR (so->form, "soo");
        CHECK_STR (so->key, "soo");
        CHECK_STR (so->key1, "so");
        CHECK (so->flags & KULAK_TOKEN_ELONGATED);
        CHECK_STR (tokens->items [1].form, "good");
        CHECK (tokens->items [1].flags & KULAK_TOKEN_ELONGATED);
        CHECK (!(tokens->items [2].flags & KULAK_TOKEN_ELONGATED));
        CHECK (tokens->items [2].key1 == NULL);
    }
    kulak_tokens_destroy (&tokens);
    tokens = tokenize ("çoooook güzeeeel", KULAK_LANG_TR);
    CHECK (tokens->count == 2);
    if (tokens->count == 2) {
        CHECK_STR (tokens->items [0].form, "çook");
        CHECK_STR (tokens->items [0].key1, "cok");
        CHECK_STR (tokens->items [1].key1, "guzel");
    }
    kulak_tokens_destroy (&tokens);
}

/* Typed laughter and a dropped final g get the lexicon's spelling as key1; words that
   only look alike keep theirs. */
TEST (test_laughter_and_dropped_g)
{
    const char *words [][2] = {
        { "hahahaha", "hahaha" }, { "ahahah", "haha" }, { "ahahahah", "hahaha" }, { "HAHAHAHA", "hahaha" },
        { "hehe", "haha" }, { "jajaja", "hahaha" }, { "hahah", "haha" },
        { "haaaahaaaa", "haha" }, { "lololol", "lol" },
        { "lovin", "loving" }, { "talkin", "talking" },
        { "haha", NULL }, { "aha", NULL }, { "hah", NULL }, { "heh", NULL },
        { "hahx", NULL }, { "loli", NULL },
        { "again", NULL }, { "certain", NULL }, { "protein", NULL }, { "in", NULL },
        /* words and names of their own, though "robing" and "grating" are entries */
        { "robin", NULL }, { "Robin", NULL }, { "gratin", NULL },
    };
    for (size_t i = 0; i < sizeof words / sizeof words [0]; i++) {
        kulak_tokens_t *tokens = tokenize (words [i][0], KULAK_LANG_EN);
        CHECK (tokens->count == 1);
        if (tokens->count == 1) {
            const char *key1 = tokens->items [0].key1;
            bool ok = words [i][1] ? key1 && strcmp (key1, words [i][1]) == 0 : key1 == NULL;
            if (!ok)
                printf ("  %s: key1 %s, expected %s\n", words [i][0], key1 ? key1 : "none",
                        words [i][1] ? words [i][1] : "none");
            CHECK (ok);
        }
        kulak_tokens_destroy (&tokens);
    }
    /* Turkish words end in -in by the thousand (genitive): no g for them */
    kulak_tokens_t *tokens = tokenize ("kargonun", KULAK_LANG_TR);
    CHECK (tokens->count == 1 && tokens->items [0].key1 == NULL);
    kulak_tokens_destroy (&tokens);
}

TEST (test_caps)
{
    kulak_tokens_t *tokens = tokenize ("This is TERRIBLE, A disaster", KULAK_LANG_EN);
    CHECK (tokens->count == 5);
    if (tokens->count == 5) {
        CHECK (!(tokens->items [0].flags & KULAK_TOKEN_CAPS));
        CHECK (tokens->items [2].flags & KULAK_TOKEN_CAPS);
        CHECK_STR (tokens->items [2].form, "terrible");
        CHECK (!(tokens->items [3].flags & KULAK_TOKEN_CAPS));    /* one letter is no shout */
    }
    CHECK (!tokens->all_caps);
    kulak_tokens_destroy (&tokens);
    tokens = tokenize ("THIS IS TERRIBLE", KULAK_LANG_EN);
    CHECK (tokens->all_caps);
    kulak_tokens_destroy (&tokens);
}

TEST (test_sentences_and_clauses)
{
    kulak_tokens_t *tokens = tokenize ("Good. Bad! Ok? Fine, great; done", KULAK_LANG_EN);
    CHECK (tokens->count == 6);
    if (tokens->count == 6) {
        const uint16_t sentences [] = { 0, 1, 2, 3, 3, 3 };
        const uint16_t clauses [] = { 0, 1, 2, 3, 4, 5 };
        for (size_t i = 0; i < 6; i++) {
            CHECK (tokens->items [i].sentence == sentences [i]);
            CHECK (tokens->items [i].clause == clauses [i]);
        }
        CHECK (tokens->items [0].flags & KULAK_TOKEN_SENTENCE_END);
        CHECK (tokens->items [1].flags & KULAK_TOKEN_EXCLAIM);
        CHECK (tokens->items [2].flags & KULAK_TOKEN_QUESTION);
        CHECK (tokens->items [3].flags & KULAK_TOKEN_CLAUSE_END);
        CHECK (!(tokens->items [3].flags & KULAK_TOKEN_SENTENCE_END));
    }
    CHECK (tokens->exclaims == 1);
    CHECK (tokens->questions == 1);
    kulak_tokens_destroy (&tokens);
}

TEST (test_repeated_sentence_ends_count_once)
{
    kulak_tokens_t *tokens = tokenize ("Rezalet!!! Bir daha asla... Neden???\nYazık", KULAK_LANG_TR);
    CHECK (tokens->count == 6);
    if (tokens->count == 6) {
        /* Rezalet | Bir daha asla | Neden | Yazık ("???" then a newline: still one break) */
        const uint16_t sentences [] = { 0, 1, 1, 1, 2, 3 };
        for (size_t i = 0; i < 6; i++)
            CHECK (tokens->items [i].sentence == sentences [i]);
        CHECK (tokens->items [0].flags & KULAK_TOKEN_EXCLAIM);
        CHECK (tokens->items [4].flags & KULAK_TOKEN_QUESTION);
    }
    CHECK (tokens->exclaims == 3);
    CHECK (tokens->questions == 3);
    kulak_tokens_destroy (&tokens);
}

TEST (test_emoji_tokens)
{
    kulak_tokens_t *tokens = tokenize ("harika😍👍🏽 ok", KULAK_LANG_TR);
    CHECK (tokens->count == 4);
    if (tokens->count == 4) {
        CHECK (tokens->items [0].kind == KULAK_TOKEN_WORD);
        CHECK (tokens->items [1].kind == KULAK_TOKEN_EMOJI);
        CHECK_STR (tokens->items [1].form, "😍");
        CHECK (tokens->items [2].kind == KULAK_TOKEN_EMOJI);    /* thumbs up + skin tone */
        CHECK_STR (tokens->items [2].form, "👍");
        CHECK (tokens->items [2].start == 7 && tokens->items [2].end == 9);
        CHECK (tokens->items [3].start == 10);
    }
    kulak_tokens_destroy (&tokens);
}

TEST (test_emoticons_when_known)
{
    kulak_strmap_t *emoticons = kulak_strmap_new ();
    kulak_strmap_put (emoticons, ":)", 2, NULL);
    kulak_tokenizer_t *tokenizer = kulak_tokenizer_new ();
    kulak_tokenizer_set_emoticons (tokenizer, emoticons);
    kulak_tokens_t *tokens = kulak_tokenize (tokenizer, "good :) bad :(", KULAK_LANG_EN);
    CHECK (tokens->count == 3);
    if (tokens->count == 3) {
        CHECK (tokens->items [1].kind == KULAK_TOKEN_EMOTICON);
        CHECK_STR (tokens->items [1].key, ":)");
        CHECK_STR (tokens->items [2].form, "bad");
    }
    kulak_tokens_destroy (&tokens);
    kulak_tokenizer_destroy (&tokenizer);
    CHECK (tokenizer == NULL);
    kulak_tokenizer_destroy (&tokenizer);                  /* a second destroy is harmless */
    kulak_strmap_destroy (&emoticons);
}

/* Do the forms of the tokens of `text`, joined by spaces, read `expected`? */
static bool
forms_are (const char *text, const char *expected)
{
    kulak_tokens_t *tokens = tokenize (text, KULAK_LANG_EN);
    char *forms = forms_of (tokens);
    bool same = strcmp (forms, expected) == 0;
    if (!same)
        printf ("     forms of \"%s\": \"%s\"\n", text, forms);
    free (forms);
    kulak_tokens_destroy (&tokens);
    return same;
}

TEST (test_web_addresses_are_url_tokens)
{
    /* in any case, without the sentence's full stop; words starting with h or w stay words */
    const char *text = "What was HTTPS://Example.com/a? see www.shop.com. how http://x.y";
    CHECK (forms_are (text, "what was url see url how url"));
    kulak_tokens_t *tokens = tokenize (text, KULAK_LANG_EN);
    if (tokens->count == 7) {
        char *s = span (text, tokens->items [4].start, tokens->items [4].end);
        CHECK_STR (s, "www.shop.com");
        free (s);
        CHECK (tokens->items [2].kind == KULAK_TOKEN_MASK);
    }
    kulak_tokens_destroy (&tokens);
    /* "http" without "://" is a word */
    CHECK (forms_are ("http https: whatever", "http https whatever"));
}

/* A tweet's "@account" is no token; an e-mail's '@' and a lone '@' change nothing. */
TEST (test_handles_are_left_out)
{
    const char *text = "@united thanks @Comcast_Cares. bye";
    CHECK (forms_are (text, "thanks bye"));
    kulak_tokens_t *tokens = tokenize (text, KULAK_LANG_EN);
    if (tokens->count == 2) {
        char *s = span (text, tokens->items [1].start, tokens->items [1].end);
        CHECK_STR (s, "bye");
        free (s);
        CHECK (tokens->items [1].sentence == 1);
    }
    kulak_tokens_destroy (&tokens);
    CHECK (forms_are ("ali@united.com meet @ 5pm", "ali united com meet 5pm"));
    CHECK (forms_are ("(@turkcell) hat yok", "hat yok"));
    /* a quoted retweet's curly quote, an emoji or a retweet's "RT" before it: a handle still */
    CHECK (forms_are ("\u201c@united: terrible\u201d", "terrible"));
    CHECK (forms_are ("\U0001F621@united terrible", "\U0001F621 terrible"));
    CHECK (forms_are ("RT@united terrible", "rt terrible"));
    /* a non-ASCII letter before it: an e-mail address */
    CHECK (forms_are ("ömer@united.com", "ömer united com"));
    CHECK (forms_are ("PART@united", "part united"));
}

TEST (test_masks_are_single_tokens)
{
    const char *text = "Beni [phone] numarasından arayın, [email].";
    kulak_tokens_t *tokens = tokenize (text, KULAK_LANG_TR);
    CHECK (tokens->count == 5);
    if (tokens->count == 5) {
        CHECK (tokens->items [1].kind == KULAK_TOKEN_MASK);
        CHECK_STR (tokens->items [1].form, "phone");
        char *s = span (text, tokens->items [1].start, tokens->items [1].end);
        CHECK_STR (s, "[phone]");
        free (s);
        CHECK (tokens->items [4].kind == KULAK_TOKEN_MASK);
        CHECK (tokens->items [4].flags & KULAK_TOKEN_SENTENCE_END);
    }
    kulak_tokens_destroy (&tokens);
    /* brackets that are not a mask are punctuation */
    tokens = tokenize ("[not a mask]", KULAK_LANG_EN);
    CHECK (tokens->count == 3);
    kulak_tokens_destroy (&tokens);
}

TEST (test_numbers)
{
    kulak_tokens_t *tokens = tokenize ("Fiyat 1.250,00 TL oldu, 3 gün 2026.", KULAK_LANG_TR);
    char *forms = forms_of (tokens);
    CHECK_STR (forms, "fiyat 1.250,00 tl oldu 3 gün 2026");
    free (forms);
    if (tokens->count == 7) {
        CHECK (tokens->items [1].kind == KULAK_TOKEN_NUMBER);
        CHECK (tokens->items [4].kind == KULAK_TOKEN_NUMBER);
        CHECK (tokens->items [6].kind == KULAK_TOKEN_NUMBER);
        CHECK (tokens->items [6].flags & KULAK_TOKEN_SENTENCE_END);
        CHECK (tokens->items [0].kind == KULAK_TOKEN_WORD);
    }
    kulak_tokens_destroy (&tokens);
    /* a score, a date and a range are one number each: "9/10" is not "9-10" nor a date's
       start; a sign between a number and a word, or after a space, joins nothing */
    tokens = tokenize ("9/10, on 1/10/2024 in 5-10 days: e-mail, COVID-19, 3 -4", KULAK_LANG_EN);
    forms = forms_of (tokens);
    CHECK_STR (forms, "9/10 on 1/10/2024 in 5-10 days e mail covid 19 3 4");
    free (forms);
    if (tokens->count == 13) {
        CHECK (tokens->items [0].kind == KULAK_TOKEN_NUMBER && tokens->items [0].end == 4);
        CHECK (tokens->items [2].kind == KULAK_TOKEN_NUMBER);
        CHECK (tokens->items [4].kind == KULAK_TOKEN_NUMBER);
        CHECK (tokens->items [0].flags & KULAK_TOKEN_CLAUSE_END);
    }
    kulak_tokens_destroy (&tokens);
}

/* A fraction with a space beside its slash is one number as "9/10" is, over the code
   points it covers; not a run of three numbers (a date), nor a long number over another. */
TEST (test_spaced_fraction_is_one_number)
{
    kulak_tokens_t *tokens = tokenize ("App 1 / 10, kargo 2 /5 ve 9/ 10 oldu", KULAK_LANG_TR);
    char *forms = forms_of (tokens);
    CHECK_STR (forms, "app 1/10 kargo 2/5 ve 9/10 oldu");
    free (forms);
    if (tokens->count == 7) {
        CHECK (tokens->items [1].kind == KULAK_TOKEN_NUMBER);
        CHECK (tokens->items [1].start == 4 && tokens->items [1].end == 10);
        CHECK (tokens->items [3].start == 18 && tokens->items [3].end == 22);
        CHECK (tokens->items [1].flags & KULAK_TOKEN_CLAUSE_END);
    }
    kulak_tokens_destroy (&tokens);
    tokens = tokenize ("on 1 / 10 / 2024 or 1 / 10-2024 or 1250 / 10 or 1 / 2500 or "
                       "2024 / 1 / 5 late", KULAK_LANG_EN);
    forms = forms_of (tokens);
    CHECK_STR (forms, "on 1 10 2024 or 1 10-2024 or 1250 10 or 1 2500 or 2024 1 5 late");
    free (forms);
    kulak_tokens_destroy (&tokens);
}

/* The same words wherever they fall in a text: from its start to past 64 bytes in (the
   tokenizer reads the runs of most words from 64 bytes at a time), in texts of 91 to 170
   bytes, before a space or a mark. Each is one token, its offsets its own. */
TEST (test_words_wherever_they_fall)
{
    const char *words [] = { "a", "to", "the", "very", "quick", "Brown", "jumping",
                             "elephant", "notebooks", "incomprehensibilities", "pen", "dont",
                             "why" };
    const char *after [] = { " ", " ", ", ", " ", "\n", " ", " ", "- ", " ", " ", "! ", " ",
                             "." };
    size_t count = sizeof words / sizeof words [0];
    char text [256], expected [256];
    for (size_t shift = 0; shift < 80; shift++) {
        memset (text, ' ', shift);                   /* leading spaces move the words */
        size_t at = shift, out = 0;
        for (size_t w = 0; w < count; w++) {
            at += (size_t) sprintf (text + at, "%s%s", words [w], after [w]);
            out += (size_t) sprintf (expected + out, "%s%s", w ? " " : "", words [w]);
        }
        for (size_t k = 0; expected [k]; k++)        /* forms are lower case; dont: do not */
            expected [k] = (char) (expected [k] == 'B' ? 'b' : expected [k]);
        strcpy (strstr (expected, "dont"), "do not why");
        kulak_tokens_t *tokens = tokenize (text, KULAK_LANG_EN);
        char *forms = forms_of (tokens);
        CHECK_STR (forms, expected);
        free (forms);
        for (size_t i = 0; i < tokens->count && i < 11; i++) {
            char *s = span (text, tokens->items [i].start, tokens->items [i].end);
            CHECK_STR (s, words [i]);
            free (s);
        }
        kulak_tokens_destroy (&tokens);
    }
}

TEST (test_empty_and_punctuation_only)
{
    kulak_tokens_t *tokens = tokenize ("", KULAK_LANG_TR);
    CHECK (tokens->count == 0);
    kulak_tokens_destroy (&tokens);
    tokens = tokenize ("... !!! ???", KULAK_LANG_UNKNOWN);
    CHECK (tokens->count == 0);
    CHECK (tokens->lang == KULAK_LANG_EN);                 /* unknown is read as English */
    kulak_tokens_destroy (&tokens);
}

/* Stems come from a cache after a word's first time: the same stem, length and hash (the
   model's word features start from it) as Snowball gave, for words that fit a cache slot,
   that fill it (word and stem 48 bytes together) and that do not. */
TEST (test_stem_cache_gives_what_stemming_gave)
{
    /* 24 to 26 letters whose stem drops "ing" (45 to 49 bytes with it), 47 to 49 letters
       that are their own stem; no letter three times in a row */
    char ascii [6][64];
    for (int k = 0; k < 6; k++) {
        size_t len = 0;
        for (; len < (size_t) (k < 3 ? 21 + k : 43 + k); len++)
            ascii [k][len] = "abcdefghijklmnopqrstuvwxyz" [(len * 7) % 26];
        memcpy (ascii [k] + len, k < 3 ? "ing" : "t", k < 3 ? 4 : 2);
    }
    char *english = kulak_sprintf ("cat running happily %s %s %s %s %s %s", ascii [0], ascii [1],
                                   ascii [2], ascii [3], ascii [4], ascii [5]);
    const struct { const char *text; kulak_lang_t lang; } cases [] = {
        { english, KULAK_LANG_EN },
        { "kitaplarımızdan güzelleştirilemeyenlerdenmişsinizcesine ÇOK sooo gelmediii",
          KULAK_LANG_TR },
    };
    kulak_tokenizer_t *fresh = kulak_tokenizer_new ();
    for (size_t c = 0; c < sizeof cases / sizeof cases [0]; c++) {
        kulak_tokens_t *first = kulak_tokenize (fresh, cases [c].text, cases [c].lang);
        kulak_tokens_t *cached = kulak_tokenize (fresh, cases [c].text, cases [c].lang);
        CHECK (first->count == cached->count && first->count >= 5);
        for (size_t i = 0; i < first->count && i < cached->count; i++) {
            const kulak_token_t *a = &first->items [i], *b = &cached->items [i];
            CHECK_STR (b->stem, a->stem);
            CHECK (a->stem_len == strlen (a->stem) && b->stem_len == a->stem_len);
            CHECK (a->stem_hash == kulak_token_word_hash (a->stem, a->stem_len));
            CHECK (b->stem_hash == a->stem_hash);
        }
        if (c == 0 && first->count == 9) {
            CHECK_STR (first->items [0].stem, "cat");
            CHECK_STR (cached->items [1].stem, "run");
            CHECK_STR (cached->items [2].stem, "happili");
            CHECK (cached->items [3].stem_len == 21 && cached->items [7].stem_len == 48);
        }
        kulak_tokens_destroy (&first);
        kulak_tokens_destroy (&cached);
    }
    kulak_tokenizer_destroy (&fresh);
    free (english);
}

int
main (void)
{
    s_tokenizer = kulak_tokenizer_new ();
    RUN (test_offsets_are_code_points);
    RUN (test_english_nt_becomes_not);
    RUN (test_turkish_apostrophe_joins_the_word);
    RUN (test_spaced_fraction_is_one_number);
    RUN (test_turkish_key_without_marks);
    RUN (test_turkish_spoken_present);
    RUN (test_quoted_words);
    RUN (test_elongation);
    RUN (test_laughter_and_dropped_g);
    RUN (test_caps);
    RUN (test_sentences_and_clauses);
    RUN (test_repeated_sentence_ends_count_once);
    RUN (test_emoji_tokens);
    RUN (test_emoticons_when_known);
    RUN (test_web_addresses_are_url_tokens);
    RUN (test_handles_are_left_out);
    RUN (test_masks_are_single_tokens);
    RUN (test_numbers);
    RUN (test_words_wherever_they_fall);
    RUN (test_empty_and_punctuation_only);
    RUN (test_stem_cache_gives_what_stemming_gave);
    kulak_tokenizer_destroy (&s_tokenizer);
    return CHECK_RESULT ();
}
