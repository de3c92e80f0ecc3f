/*  test_lexicon.c: lexicon files and pattern matching (lexicon.h, lexicons/README.md), on
    the small lexicons in tests/fixtures/lexicons and on pattern text held in memory. */
#include "check.h"
#include "fixture.h"
#include "kulak/lexicon.h"
#include "kulak/tagger.h"
#include "kulak/util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static kulak_tokenizer_t *s_tokenizer;
static kulak_strmap_t *s_emoticons;
static char *s_lexicons;                  /* tests/fixtures/lexicons */

/* Parses pattern text of one kind; NULL with *err on failure. */
static kulak_patterns_t *
parse (char kind, kulak_lang_t lang, const char *text, char **err)
{
    kulak_patterns_t *patterns = kulak_patterns_new (lang);
    kulak_theme_info_t info = { 0 };
    *err = NULL;
    int rc = kulak_patterns_parse (patterns, text, "mem.txt", kind, 0, s_tokenizer, s_emoticons,
                                   &info, err);
    free (info.name_tr);
    free (info.name_en);
    if (rc != 0)
        kulak_patterns_destroy (&patterns);
    return patterns;
}

/* Matches as "pattern@first-last" joined by spaces, with "/neg" or "/priv" when the suffix
   says so. */
static char *
matches_text (const kulak_patterns_t *patterns, const kulak_match_t *matches, size_t count)
{
    kulak_buf_t buf;
    kulak_buf_init (&buf);
    for (size_t i = 0; i < count; i++) {
        const kulak_pattern_t *p = kulak_patterns_get (patterns, matches [i].pattern);
        kulak_buf_printf (&buf, "%s%s@%u-%u%s", i ? " " : "", p->text, matches [i].first,
                          matches [i].last,
                          matches [i].suffix == KULAK_SUFFIX_NEGATIVE ? "/neg"
                          : matches [i].suffix == KULAK_SUFFIX_PRIVATIVE ? "/priv" : "");
    }
    return kulak_buf_take (&buf);
}

/* The selected matches of `patterns` in `text`, as matches_text writes them. */
static char *
matches_of (const kulak_patterns_t *patterns, kulak_lang_t lang, const char *text, bool select)
{
    kulak_tokens_t *tokens = kulak_tokenize (s_tokenizer, text, lang);
    kulak_match_t *matches = NULL;
    size_t count = kulak_patterns_find (patterns, tokens, &matches);
    if (select)
        count = kulak_matches_select (patterns, matches, count, false);
    char *text_of = matches_text (patterns, matches, count);
    free (matches);
    kulak_tokens_destroy (&tokens);
    return text_of;
}

#define CHECK_MATCHES(patterns, lang, text, expected) do { \
    char *check_m = matches_of (patterns, lang, text, true); \
    CHECK_STR (check_m, expected); \
    free (check_m); \
} while (0)

/* ---- loading ----------------------------------------------------------------------- */

TEST (test_load_fixture_lexicon)
{
    char *err = NULL;
    kulak_strmap_t *emoticons = kulak_strmap_new ();
    kulak_tokenizer_t *tokenizer = kulak_tokenizer_new ();
    kulak_lexicon_t *lexicon = kulak_lexicon_load (s_lexicons, KULAK_LANG_TR, tokenizer,
                                                   emoticons, &err);
    CHECK (lexicon != NULL);
    CHECK (err == NULL);
    if (lexicon) {
        CHECK (lexicon->lang == KULAK_LANG_TR);
        CHECK (lexicon->theme_count == 3);
        if (lexicon->theme_count == 3) {
            /* in file name order, so theme indexes are stable */
            CHECK_STR (lexicon->theme_info [0].id, "billing");
            CHECK_STR (lexicon->theme_info [1].id, "delay");
            CHECK_STR (lexicon->theme_info [2].id, "waiting");
            CHECK_STR (lexicon->theme_info [0].name_tr, "Fatura ve ücret");
            CHECK_STR (lexicon->theme_info [0].name_en, "Billing and charges");
        }
        CHECK (kulak_patterns_count (lexicon->sentiment) == 11 + 4);   /* + shared emoji.txt */
        CHECK (kulak_patterns_count (lexicon->negators) == 3);
        CHECK (kulak_patterns_count (lexicon->intensifiers) == 2);
        CHECK (kulak_patterns_count (lexicon->contrast) == 2);
        CHECK (kulak_strmap_get (lexicon->stopwords, "ve", 2) != NULL);
        CHECK (kulak_strmap_get (lexicon->stopwords, "harika", 6) == NULL);
        CHECK (kulak_strmap_get (emoticons, ":)", 2) != NULL);
        /* negator scopes */
        for (size_t i = 0; i < kulak_patterns_count (lexicon->negators); i++) {
            const kulak_pattern_t *p = kulak_patterns_get (lexicon->negators, (uint32_t) i);
            if (strcmp (p->text, "değil") == 0)
                CHECK (p->tag == KULAK_NEGATE_PREV);
            if (strcmp (p->text, "hiç") == 0)
                CHECK (p->tag == KULAK_NEGATE_NEXT);
        }
    }
    kulak_lexicon_destroy (&lexicon);
    CHECK (lexicon == NULL);
    kulak_lexicon_destroy (&lexicon);
    kulak_tokenizer_destroy (&tokenizer);
    kulak_strmap_destroy (&emoticons);
    free (err);
}

/* Writes `text` to dir/relative, creating the folders. */
static void
write_file (const char *dir, const char *relative, const char *text)
{
    char *path = kulak_sprintf ("%s/%s", dir, relative);
    for (char *slash = strchr (path + strlen (dir) + 1, '/'); slash; slash = strchr (slash + 1, '/')) {
        *slash = 0;
        mkdir (path, 0700);
        *slash = '/';
    }
    FILE *file = fopen (path, "w");
    fputs (text, file);
    fclose (file);
    free (path);
}

TEST (test_load_reports_file_and_line)
{
    char dir [] = "/tmp/kulak-lexicon-XXXXXX";
    CHECK (mkdtemp (dir) != NULL);
    write_file (dir, "tr/sentiment.txt", "# yorum\nharika\t3.1\nberbat -3.0\n");
    write_file (dir, "tr/negators.txt", "değil\tprev\n");
    write_file (dir, "tr/intensifiers.txt", "çok\t0.293\n");
    write_file (dir, "tr/themes/billing.txt", "fatura*\n");
    char *err = NULL;
    kulak_strmap_t *emoticons = kulak_strmap_new ();
    kulak_tokenizer_t *tokenizer = kulak_tokenizer_new ();
    kulak_lexicon_t *lexicon = kulak_lexicon_load (dir, KULAK_LANG_TR, tokenizer, emoticons, &err);
    CHECK (lexicon == NULL);
    char *where = kulak_sprintf ("%s/tr/sentiment.txt:3: ", dir);
    CHECK (err && strncmp (err, where, strlen (where)) == 0);
    if (err && strncmp (err, where, strlen (where)) != 0)
        printf ("     (error was: %s)\n", err);
    free (where);
    free (err);
    err = NULL;

    /* fixed sentiment, broken theme file */
    write_file (dir, "tr/sentiment.txt", "harika\t3.1\n");
    write_file (dir, "tr/themes/billing.txt", "@name_tr Fatura\n@nme_en Billing\nfatura*\n");
    lexicon = kulak_lexicon_load (dir, KULAK_LANG_TR, tokenizer, emoticons, &err);
    CHECK (lexicon == NULL);
    where = kulak_sprintf ("%s/tr/themes/billing.txt:2: ", dir);
    CHECK (err && strncmp (err, where, strlen (where)) == 0);
    free (where);
    free (err);
    err = NULL;

    /* everything fine now: loads */
    write_file (dir, "tr/themes/billing.txt", "@name_tr Fatura\nfatura*\n");
    lexicon = kulak_lexicon_load (dir, KULAK_LANG_TR, tokenizer, emoticons, &err);
    CHECK (lexicon != NULL);
    if (lexicon) {
        CHECK_STR (lexicon->theme_info [0].name_tr, "Fatura");
        CHECK_STR (lexicon->theme_info [0].name_en, "billing");       /* the id when unnamed */
    }
    kulak_lexicon_destroy (&lexicon);
    free (err);
    err = NULL;

    /* a language folder without the required files */
    lexicon = kulak_lexicon_load (dir, KULAK_LANG_EN, tokenizer, emoticons, &err);
    CHECK (lexicon == NULL);
    CHECK (err && strstr (err, "en/sentiment.txt") != NULL);
    free (err);
    char *cmd = kulak_sprintf ("rm -rf '%s'", dir);
    CHECK (system (cmd) == 0);
    free (cmd);
    kulak_tokenizer_destroy (&tokenizer);
    kulak_strmap_destroy (&emoticons);
}

/* ---- parsing in memory -------------------------------------------------------------- */

/* Parses text that must fail and checks the error starts with "mem.txt:<line>: ". */
static void
check_bad (char kind, const char *text, int line, int at)
{
    char *err = NULL;
    kulak_patterns_t *patterns = parse (kind, KULAK_LANG_TR, text, &err);
    char *where = kulak_sprintf ("mem.txt:%d: ", line);
    if (patterns || !err || strncmp (err, where, strlen (where)) != 0) {
        if (!check_failures_in_test++)
            printf ("FAIL %s: %s:%d: kind %c \"%s\": expected an error at %s, got %s\n",
                    check_current, __FILE__, at, kind, text, where, err ? err : "none");
        else
            printf ("     also %s:%d: kind %c: expected an error at %s, got %s\n", __FILE__, at,
                    kind, where, err ? err : "none");
    }
    kulak_patterns_destroy (&patterns);
    free (where);
    free (err);
}
#define CHECK_BAD(kind, text, line) check_bad (kind, text, line, __LINE__)

TEST (test_bad_lines_name_file_and_line)
{
    CHECK_BAD ('s', "harika\t3\nberbat -3\n", 2);                  /* no TAB */
    CHECK_BAD ('s', "# yorum\n\nharika\t9\n", 3);                  /* valence outside -4..4 */
    CHECK_BAD ('s', "harika\tçok\n", 1);                           /* not a number */
    CHECK_BAD ('s', "harika\tnan\n", 1);
    CHECK_BAD ('s', "yorum yok\t0\tnon-answer\nharika\t3\tgood\n", 2);    /* third column */
    CHECK_BAD ('s', "yorum yok\t1\tnon-answer\n", 1);              /* a non-answer is 0 */
    CHECK_BAD ('s', "berbat\t-3\tinterjection\n", 1);               /* an interjection praises */
    CHECK_BAD ('i', "çok\t0.3\naşırı\tlots\n", 2);
    CHECK_BAD ('i', "çok\t5\n", 1);                                /* factor outside -2..2 */
    CHECK_BAD ('n', "değil\tprev\nyok\tsideways\n", 2);
    CHECK_BAD ('t', "@name_tr Fatura\n@bogus x\n", 2);
    CHECK_BAD ('t', "fatura*\nücret\tabc\n", 2);
    CHECK_BAD ('t', "fatura*\nücret\t-1\n", 2);                    /* weight outside 0..10 */
    CHECK_BAD ('t', "fatura*\n\xFD\xFE\n", 2);                      /* not UTF-8 */
    CHECK_BAD ('t', "fatura*\n***\n", 2);                          /* nothing to match */
    CHECK_BAD ('t', "fatura*\n!\n", 2);                            /* exclusion of nothing */
    CHECK_BAD ('c', "ama\n\n\n...\n", 4);
    CHECK_BAD ('c', "ama\nrağmen\tconcessive\nfakat\tlater\n", 3);  /* kind: "" or concessive */

    char *err = NULL;
    kulak_patterns_t *patterns = parse ('s', KULAK_LANG_TR, "harika\t3\nberbat -3\n", &err);
    CHECK (err && strstr (err, "berbat") != NULL);                 /* and quotes the line */
    free (err);
    kulak_patterns_destroy (&patterns);
}

TEST (test_comments_blank_lines_bom_and_crlf)
{
    char *err = NULL;
    kulak_patterns_t *patterns = parse ('s', KULAK_LANG_TR,
                                        "\xEF\xBB\xBF# yorum\r\n\r\nharika\t3.1\r\n   \r\nberbat\t-3\r\n",
                                        &err);
    CHECK (patterns != NULL);
    if (patterns) {
        CHECK (kulak_patterns_count (patterns) == 2);
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "harika ama berbat", "harika@0-0 berbat@2-2");
        const kulak_pattern_t *p = kulak_patterns_get (patterns, 1);
        CHECK (p && p->value == -3.0f && p->line == 5);
    }
    kulak_patterns_destroy (&patterns);
    free (err);
}

TEST (test_commented_out_entry_is_not_active)
{
    /* README: "`#` starts a comment line". Disabling an entry by putting # in front of it
       must disable it, also in sentiment.txt where entries hold a TAB. */
    char *err = NULL;
    kulak_patterns_t *patterns = parse ('s', KULAK_LANG_TR, "harika\t3.1\n#berbat\t-3.0\n", &err);
    CHECK (patterns != NULL);
    if (patterns) {
        CHECK (kulak_patterns_count (patterns) == 1);
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "berbat", "");
    }
    kulak_patterns_destroy (&patterns);
    free (err);
}

TEST (test_repeated_line_overrides)
{
    char *err = NULL;
    kulak_patterns_t *patterns = parse ('s', KULAK_LANG_TR, "harika\t3\nharika\t1.5\n", &err);
    CHECK (patterns && kulak_patterns_count (patterns) == 1);
    if (patterns)
        CHECK (kulak_patterns_get (patterns, 0)->value == 1.5f);
    kulak_patterns_destroy (&patterns);
    free (err);
    /* a sentiment line with a third column overrides the plain one, and takes its mark */
    patterns = parse ('s', KULAK_LANG_EN, "great\t3.1\ngreat\t3.1\tinterjection\n", &err);
    CHECK (patterns && kulak_patterns_count (patterns) == 1);
    if (patterns)
        CHECK (kulak_patterns_get (patterns, 0)->tag == KULAK_SENTIMENT_INTERJECTION);
    kulak_patterns_destroy (&patterns);
    free (err);
}

TEST (test_weights_and_values)
{
    char *err = NULL;
    kulak_patterns_t *patterns = parse ('t', KULAK_LANG_TR,
                                        "@name_tr Fatura\nkesinti\t0\nkart*\nücret*\t0.5\n"
                                        "kart itiraz*\t\n!ücretsiz*\n", &err);
    CHECK (patterns != NULL);
    CHECK (err == NULL);
    if (patterns && kulak_patterns_count (patterns) == 5) {
        const kulak_pattern_t *p = kulak_patterns_get (patterns, 0);
        CHECK_STR (p->text, "kesinti");
        CHECK (p->value == 0.0f);                      /* weight 0 is kept, not the default */
        CHECK (!p->prefix [0]);
        p = kulak_patterns_get (patterns, 1);
        CHECK (p->value == 1.0f && p->prefix [0] && p->word_count == 1);
        CHECK_STR (p->words [0], "kart");
        p = kulak_patterns_get (patterns, 2);
        CHECK (p->value == 0.5f);
        CHECK_STR (p->words [0], "ucret");             /* keys are without Turkish marks */
        p = kulak_patterns_get (patterns, 3);
        CHECK (p->value == 1.0f && p->word_count == 2 && !p->prefix [0] && p->prefix [1]);
        p = kulak_patterns_get (patterns, 4);
        CHECK (p->exclude);
        CHECK_STR (p->words [0], "ucretsiz");
        CHECK (!kulak_patterns_get (patterns, 1)->exclude);
    }
    else
        CHECK (patterns && kulak_patterns_count (patterns) == 5);
    kulak_patterns_destroy (&patterns);
    free (err);
    /* sentiment weight 0 is a valid line too */
    patterns = parse ('s', KULAK_LANG_TR, "nötr\t0\n", &err);
    CHECK (patterns && kulak_patterns_get (patterns, 0)->value == 0.0f);
    kulak_patterns_destroy (&patterns);
    free (err);
}

/* ---- matching ----------------------------------------------------------------------- */

TEST (test_prefix_and_exact_words)
{
    char *err = NULL;
    kulak_patterns_t *patterns = parse ('t', KULAK_LANG_TR, "fatura*\nücret\n", &err);
    CHECK (patterns != NULL);
    if (patterns) {
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "Faturam geldi, faturası yüksek",
                       "fatura*@0-0 fatura*@2-2");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "ücretler yüksek ama ücret iade edildi",
                       "ücret@3-3");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "fatur", "");
    }
    kulak_patterns_destroy (&patterns);
    free (err);
}

/* Keys are turned away before the trie by their first two bytes, unless a prefix word is
   their first byte alone: "f*" still matches "fx" and "f", though no prefix word starts
   with "fx" ("faturam" takes the longer fatura*). */
TEST (test_prefix_of_one_byte)
{
    char *err = NULL;
    kulak_patterns_t *patterns = parse ('t', KULAK_LANG_EN, "f*\nfatura*\nxy*\n", &err);
    CHECK (patterns != NULL);
    if (patterns) {
        CHECK_MATCHES (patterns, KULAK_LANG_EN, "fx faturam xyz xa f x",
                       "f*@0-0 fatura*@1-1 xy*@2-2 f*@4-4");
        CHECK_MATCHES (patterns, KULAK_LANG_EN, "xz ax fu", "f*@2-2");
    }
    kulak_patterns_destroy (&patterns);
    free (err);
}

TEST (test_phrase_gap_inside_one_clause)
{
    char *err = NULL;
    /* (the pattern's own root holds the inability -amA-: no suffix is read after it) */
    kulak_patterns_t *patterns = parse ('t', KULAK_LANG_TR, "müşteri hizmet* ulaşam*\n", &err);
    CHECK (patterns != NULL);
    if (patterns) {
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "Müşteri hizmetlerine ulaşamadım",
                       "müşteri hizmet* ulaşam*@0-2");
        /* two tokens between neighbours: still the phrase */
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "müşteri hizmetlerine bir türlü ulaşamadım",
                       "müşteri hizmet* ulaşam*@0-4");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "müşteri bir de hizmetlerine ulaşamadım",
                       "müşteri hizmet* ulaşam*@0-4");
        /* three tokens between: not */
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "müşteri hizmetlerine bir türlü asla ulaşamadım",
                       "");
        /* not across a sentence end */
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "Müşteri hizmetleri. Ulaşamadım", "");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "Müşteri hizmetleri! ulaşamadım", "");
        /* nor across a comma: a phrase stays in its clause */
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "Müşteri hizmetleri, ulaşamadım", "");
        /* order matters */
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "hizmetlerine müşteri ulaşamadı", "");
    }
    kulak_patterns_destroy (&patterns);
    free (err);
}

/* A phrase in double quotes takes its words next to each other only: "sıra yoktu" is no
   queue, "sıra numarası yoktu" no queue ticket. Unquoted, the same words take gaps. */
TEST (test_quoted_phrase_has_no_gap)
{
    char *err = NULL;
    kulak_patterns_t *patterns = parse ('s', KULAK_LANG_TR,
                                        "\"sıra yok*\"\t1.5\nfatura* düş*\t1.2\n", &err);
    CHECK (patterns != NULL);
    if (patterns) {
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "Şubede sıra yoktu", "\"sıra yok*\"@1-2");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "sira yoktu", "\"sıra yok*\"@0-1");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "Sıra numarası yoktu", "");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "Faturam iki kez düştü", "fatura* düş*@0-3");
    }
    kulak_patterns_destroy (&patterns);
    /* a quote at one end only is a mistake, with its line */
    patterns = parse ('s', KULAK_LANG_EN, "good\t1.9\n\"no wait\t1.5\n", &err);
    CHECK (err && strstr (err, ":2:") && strstr (err, "quote at both ends"));
    kulak_patterns_destroy (&patterns);
    free (err);
}

TEST (test_longest_match_wins)
{
    char *err = NULL;
    kulak_patterns_t *en = parse ('s', KULAK_LANG_EN, "bad\t-2.5\nnot bad\t1.5\n", &err);
    CHECK (en != NULL);
    if (en) {
        CHECK_MATCHES (en, KULAK_LANG_EN, "not bad at all", "not bad@0-1");
        CHECK_MATCHES (en, KULAK_LANG_EN, "really bad", "bad@1-1");
        char *all = matches_of (en, KULAK_LANG_EN, "not bad", false);
        CHECK (strstr (all, "bad@1-1") != NULL && strstr (all, "not bad@0-1") != NULL);
        free (all);
    }
    kulak_patterns_destroy (&en);
    free (err);
    kulak_patterns_t *tr = parse ('s', KULAK_LANG_TR, "sorun*\t-1.5\nsorunsuz\t2\n", &err);
    CHECK (tr != NULL);
    if (tr) {
        CHECK_MATCHES (tr, KULAK_LANG_TR, "teslimat sorunsuz", "sorunsuz@1-1");
        CHECK_MATCHES (tr, KULAK_LANG_TR, "teslimat sorunlu", "sorun*@1-1");
        CHECK_MATCHES (tr, KULAK_LANG_TR, "sorunsuzdu", "sorun*@0-0/priv");
    }
    kulak_patterns_destroy (&tr);
    free (err);
}

TEST (test_suffix_read)
{
    const char *negative [] = { "medim", "miyorum", "amadim", "mayacak", "maz", "mez", "madi",
                                "yamadim", "emiyor", "mam", "me", NULL };
    const char *privative [] = { "suz", "siz", "suzdu", "sizlik", NULL };
    const char *none [] = { "si", "lar", "dan", "mek", "", "dim", "iyor", "ler", NULL };
    for (const char **s = negative; *s; s++)
        if (kulak_suffix_read (*s) != KULAK_SUFFIX_NEGATIVE) {
            CHECK (kulak_suffix_read (*s) == KULAK_SUFFIX_NEGATIVE);
            printf ("     (suffix %s)\n", *s);
        }
    for (const char **s = privative; *s; s++)
        if (kulak_suffix_read (*s) != KULAK_SUFFIX_PRIVATIVE) {
            CHECK (kulak_suffix_read (*s) == KULAK_SUFFIX_PRIVATIVE);
            printf ("     (suffix %s)\n", *s);
        }
    for (const char **s = none; *s; s++)
        if (kulak_suffix_read (*s) != KULAK_SUFFIX_NONE) {
            CHECK (kulak_suffix_read (*s) == KULAK_SUFFIX_NONE);
            printf ("     (suffix %s)\n", *s);
        }
    CHECK (kulak_suffix_read (NULL) == KULAK_SUFFIX_NONE);
}

TEST (test_suffix_only_after_prefix_match)
{
    char *err = NULL;
    kulak_patterns_t *patterns = parse ('s', KULAK_LANG_TR, "beğen*\t2\nmemnun\t2\n", &err);
    CHECK (patterns != NULL);
    if (patterns) {
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "hiç beğenmedim", "beğen*@1-1/neg");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "beğendim", "beğen*@0-0");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "beğenemedik", "beğen*@0-0/neg");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "memnun", "memnun@0-0");
    }
    kulak_patterns_destroy (&patterns);
    free (err);
}

/* A root's last a or e narrows before -(I)yor, the new vowel following the one before it
   (bekle- "bekliyor", oyala- "oyalıyor", söyle- "söylüyor"), also inside a phrase and typed
   without marks, and its negation read as before; not after m (a verbal noun: "oyalama*"
   is not "oyalamıyor"). */
TEST (test_turkish_narrowed_roots)
{
    char *err = NULL;
    kulak_patterns_t *patterns = parse ('t', KULAK_LANG_TR,
                                        "@name_tr Bekleme\nbekle*\noyalama*\nsöyle*\n"
                                        "işe yara*\n", &err);
    CHECK (patterns != NULL);
    if (patterns) {
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "bekliyorum", "bekle*@0-0");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "beklemiyorum", "bekle*@0-0/neg");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "söylüyorlar", "söyle*@0-0");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "ise yariyor", "işe yara*@0-1");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "oyalamıyorlar", "");
    }
    kulak_patterns_destroy (&patterns);
    free (err);
}

/* A root's last k or p softens before a vowel (destek -> desteği, hesap -> hesabı, renk ->
   rengi): a prefix word matches both forms, as the same pattern, also typed without marks
   and when the value is changed by a later line. One-syllable roots (kart) and t
   (beklet-) are left as they are. */
TEST (test_turkish_softened_roots)
{
    char *err = NULL;
    kulak_patterns_t *patterns = parse ('s', KULAK_LANG_TR,
                                        "destek*\t1\nhesap*\t0.5\nrenk* farklı\t-1\n"
                                        "seçenek* olmalı*\t-1\nkart*\t0.2\nbeklet*\t-2\n"
                                        "destek*\t1.5\n", &err);
    CHECK (patterns != NULL);
    if (patterns) {
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "desteğiniz için", "destek*@0-0");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "destegi", "destek*@0-0");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "hesabım", "hesap*@0-0");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "rengi farklı", "renk* farklı@0-1");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "seçeneği olmalı", "seçenek* olmalı*@0-1");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "kardeşim", "");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "bekledim", "");
        /* the repeated line changed the copy too */
        for (size_t i = 0; i < kulak_patterns_count (patterns); i++) {
            const kulak_pattern_t *p = kulak_patterns_get (patterns, (uint32_t) i);
            if (strcmp (p->text, "destek*") == 0)
                CHECK (p->value == 1.5f);
        }
    }
    kulak_patterns_destroy (&patterns);
    free (err);
}

TEST (test_turkish_patterns_match_ascii_typed_text)
{
    char *err = NULL;
    kulak_patterns_t *patterns = parse ('s', KULAK_LANG_TR,
                                        "çok kötü\t-3.2\nbeğen*\t2\nteşekkür*\t2\n", &err);
    CHECK (patterns != NULL);
    if (patterns) {
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "cok kotu", "çok kötü@0-1");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "ÇOK KÖTÜ", "çok kötü@0-1");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "begenmedim", "beğen*@0-0/neg");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "TESEKKURLER", "teşekkür*@0-0");
    }
    kulak_patterns_destroy (&patterns);
    free (err);
}

TEST (test_elongated_text_matches)
{
    /* README: letters repeated three or more times are squeezed to one before matching. */
    char *err = NULL;
    kulak_patterns_t *patterns = parse ('s', KULAK_LANG_TR, "çok kötü\t-3.2\nberbat\t-3\n", &err);
    CHECK (patterns != NULL);
    if (patterns) {
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "berbaaaat", "berbat@0-0");
        CHECK_MATCHES (patterns, KULAK_LANG_TR, "çoooook kötüüüü", "çok kötü@0-1");
    }
    kulak_patterns_destroy (&patterns);
    free (err);
}

/* ---- through the tagger: exclusions and weights decide themes ------------------------ */

static kulak_tagger_t *s_tagger;

/* Theme ids the tagger gives a Turkish text, joined by spaces. */
static char *
themes_of (const char *text, kulak_lang_t lang)
{
    kulak_record_t *record = kulak_record_new ();
    record->norm_text = kulak_strdup (text);
    record->lang = lang;
    kulak_tagger_tag (s_tagger, record);
    kulak_buf_t buf;
    kulak_buf_init (&buf);
    for (size_t i = 0; i < record->theme_count; i++)
        kulak_buf_printf (&buf, "%s%s", i ? " " : "", record->themes [i].theme);
    kulak_record_destroy (&record);
    return kulak_buf_take (&buf);
}

#define CHECK_THEMES(text, lang, expected) do { \
    char *check_t = themes_of (text, lang); \
    CHECK_STR (check_t, expected); \
    free (check_t); \
} while (0)

TEST (test_exclusion_blocks_theme)
{
    CHECK (s_tagger != NULL);
    if (!s_tagger)
        return;
    CHECK_THEMES ("Saatlerce bekledim", KULAK_LANG_TR, "waiting");
    CHECK_THEMES ("Beklentimi karşılamadı", KULAK_LANG_TR, "");          /* !beklenti* */
    CHECK_THEMES ("ücretsiz kargo", KULAK_LANG_TR, "");                  /* !ücretsiz* */
}

TEST (test_theme_weights)
{
    CHECK (s_tagger != NULL);
    if (!s_tagger)
        return;
    CHECK_THEMES ("faturam yanlış", KULAK_LANG_TR, "billing");
    CHECK_THEMES ("kesinti", KULAK_LANG_TR, "");                 /* weight 0: no evidence */
    CHECK_THEMES ("ücret yüksek", KULAK_LANG_TR, "");            /* 0.5 needs a second hint */
    CHECK_THEMES ("ücret yüksek, ödemesi de zor", KULAK_LANG_TR, "billing");   /* two hints */
    CHECK_THEMES ("ücret yüksek, ücretler de", KULAK_LANG_TR, "");  /* one hint said twice */
    CHECK_THEMES ("müşteri hizmetlerine bir türlü ulaşamadım, fatura yanlış", KULAK_LANG_TR,
                  "billing waiting");
    CHECK_THEMES ("I was charged twice and waited on hold", KULAK_LANG_EN, "billing waiting");
}

/* kulak_lexicon_find's matches of one set, selected, as matches_text writes them. */
static char *
set_matches_of (const kulak_lexicon_t *lexicon, kulak_set_t set, const kulak_patterns_t *patterns,
                const char *text)
{
    kulak_tokens_t *tokens = kulak_tokenize (s_tokenizer, text, lexicon->lang);
    kulak_lexicon_matches_t found;
    kulak_lexicon_find (lexicon, tokens, &found);
    kulak_match_t *matches = found.items + found.start [set];
    size_t count = kulak_matches_select (patterns, matches,
                                         found.start [set + 1] - found.start [set], false);
    char *text_of = matches_text (patterns, matches, count);
    kulak_lexicon_matches_free (&found);
    kulak_tokens_destroy (&tokens);
    return text_of;
}

/* One pass over the merged index finds, set by set, what each set finds on its own; so does
   a lexicon put together by hand, which has no merged index. */
TEST (test_one_pass_finds_what_each_set_finds)
{
    static const char *texts [] = {
        "Çok kötü değil ama faturam hiç gelmedi, müşteri hizmetlerine ulaşamadım :)",
        "cok kotu degil fakat ucret yuksek, beklemek sorunsuz; beğenmedim",
        "not bad at all, but I was charged twice and waited... no complaints!!",
        "very very good however the bill is terrible, never again",
        "",
    };
    for (int lang = KULAK_LANG_TR; lang <= KULAK_LANG_EN; lang++) {
        char *err = NULL;
        kulak_lexicon_t *lexicon = kulak_lexicon_load (s_lexicons, (kulak_lang_t) lang,
                                                       s_tokenizer, s_emoticons, &err);
        CHECK (lexicon != NULL && lexicon->merged != NULL);
        if (!lexicon) {
            free (err);
            continue;
        }
        kulak_lexicon_t by_hand = *lexicon;
        by_hand.merged = NULL;
        const kulak_patterns_t *sets [KULAK_SET_COUNT] = {
            lexicon->sentiment, lexicon->themes, lexicon->negators, lexicon->intensifiers,
            lexicon->contrast
        };
        for (size_t t = 0; t < sizeof texts / sizeof texts [0]; t++)
            for (int set = 0; set < KULAK_SET_COUNT; set++) {
                char *alone = matches_of (sets [set], (kulak_lang_t) lang, texts [t], true);
                char *merged = set_matches_of (lexicon, (kulak_set_t) set, sets [set], texts [t]);
                char *hand = set_matches_of (&by_hand, (kulak_set_t) set, sets [set], texts [t]);
                CHECK_STR (merged, alone);
                CHECK_STR (hand, alone);
                free (alone);
                free (merged);
                free (hand);
            }
        kulak_lexicon_destroy (&lexicon);
    }
}

/* The stopword lookup through the token's key hash agrees with the stopword map, for
   tokens from the tokenizer and for a token made by hand (no hash). */
TEST (test_stopwords_by_token)
{
    char *err = NULL;
    kulak_lexicon_t *lexicon = kulak_lexicon_load (s_lexicons, KULAK_LANG_TR, s_tokenizer,
                                                   s_emoticons, &err);
    CHECK (lexicon != NULL);
    if (!lexicon) {
        free (err);
        return;
    }
    kulak_tokens_t *tokens = kulak_tokenize (s_tokenizer, "Ve bu fatura bir harika",
                                             KULAK_LANG_TR);
    CHECK (tokens->count == 5);
    if (tokens->count == 5) {
        CHECK (kulak_lexicon_is_stopword (lexicon, &tokens->items [0]));      /* ve */
        CHECK (kulak_lexicon_is_stopword (lexicon, &tokens->items [1]));      /* bu */
        CHECK (!kulak_lexicon_is_stopword (lexicon, &tokens->items [2]));
        CHECK (kulak_lexicon_is_stopword (lexicon, &tokens->items [3]));      /* bir */
        CHECK (!kulak_lexicon_is_stopword (lexicon, &tokens->items [4]));
        uint8_t stop [5];                /* all at once, as the model asks */
        kulak_lexicon_mark_stopwords (lexicon, tokens, stop);
        CHECK (stop [0] == 1 && stop [1] == 1 && stop [2] == 0 && stop [3] == 1 && stop [4] == 0);
        kulak_lexicon_matches_t found;   /* and as the lexicon's search marks them */
        kulak_lexicon_find (lexicon, tokens, &found);
        CHECK (found.stopword && memcmp (found.stopword, stop, 5) == 0);
        kulak_lexicon_matches_free (&found);
    }
    kulak_token_t by_hand = { .key = "bir" };
    CHECK (kulak_lexicon_is_stopword (lexicon, &by_hand));
    kulak_tokens_t by_hand_list = { .lang = KULAK_LANG_TR, .items = &by_hand, .count = 1 };
    kulak_lexicon_matches_t found;
    kulak_lexicon_find (lexicon, &by_hand_list, &found);
    CHECK (found.stopword && found.stopword [0] == 1);
    kulak_lexicon_matches_free (&found);
    by_hand.key = "bi";
    CHECK (!kulak_lexicon_is_stopword (lexicon, &by_hand));
    kulak_lexicon_find (lexicon, &by_hand_list, &found);
    CHECK (found.stopword && found.stopword [0] == 0);
    kulak_lexicon_matches_free (&found);
    kulak_tokens_destroy (&tokens);
    kulak_lexicon_destroy (&lexicon);
}

int
main (void)
{
    s_tokenizer = kulak_tokenizer_new ();
    s_emoticons = kulak_strmap_new ();
    kulak_tokenizer_set_emoticons (s_tokenizer, s_emoticons);
    s_lexicons = fixture ("lexicons");
    kulak_tagger_options_t options = { .lexicon_dir = s_lexicons, .model_tr = "none",
                                       .model_en = "none" };
    char *err = NULL;
    s_tagger = kulak_tagger_new (&options, &err);
    if (!s_tagger)
        printf ("(tagger on %s: %s)\n", s_lexicons, err ? err : "?");
    free (err);

    RUN (test_load_fixture_lexicon);
    RUN (test_load_reports_file_and_line);
    RUN (test_bad_lines_name_file_and_line);
    RUN (test_comments_blank_lines_bom_and_crlf);
    RUN (test_commented_out_entry_is_not_active);
    RUN (test_repeated_line_overrides);
    RUN (test_weights_and_values);
    RUN (test_prefix_and_exact_words);
    RUN (test_prefix_of_one_byte);
    RUN (test_phrase_gap_inside_one_clause);
    RUN (test_quoted_phrase_has_no_gap);
    RUN (test_longest_match_wins);
    RUN (test_suffix_read);
    RUN (test_suffix_only_after_prefix_match);
    RUN (test_turkish_softened_roots);
    RUN (test_turkish_narrowed_roots);
    RUN (test_turkish_patterns_match_ascii_typed_text);
    RUN (test_elongated_text_matches);
    RUN (test_exclusion_blocks_theme);
    RUN (test_theme_weights);
    RUN (test_one_pass_finds_what_each_set_finds);
    RUN (test_stopwords_by_token);

    kulak_tagger_destroy (&s_tagger);
    kulak_tokenizer_destroy (&s_tokenizer);
    kulak_strmap_destroy (&s_emoticons);
    free (s_lexicons);
    return CHECK_RESULT ();
}
