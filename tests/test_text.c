/*  test_text.c: encoding repair, NFKC, Turkish-aware folding, squeezing, language id and
    personal-data masking (text.h), and the normalize step built from them (normalize.h). */
#include "check.h"
#include "kulak/normalize.h"
#include "kulak/text.h"
#include "kulak/util.h"

#include <stdlib.h>
#include <string.h>

/* ---- encoding repair ------------------------------------------------------------------ */

TEST (test_cp1254_bytes_repaired_next_to_valid_utf8)
{
    /* "Işık" typed in a legacy export: 0xFD ı, 0xFE ş, 0xF0 ğ, 0xDD İ; "çok" is real UTF-8. */
    const char bytes [] = "I\xFE\xFDk \xC3\xA7ok da\xF0 \xDDstanbul";
    bool repaired = false;
    char *text = kulak_text_to_utf8 (bytes, strlen (bytes), &repaired);
    CHECK_STR (text, "Işık çok dağ İstanbul");
    CHECK (repaired);
    CHECK (kulak_text_is_utf8 (text, strlen (text)));
    free (text);
}

TEST (test_valid_utf8_is_kept_as_is)
{
    const char *input = "Müşteri hizmetleri çok iyi 😍 İĞÜŞÖÇ";
    bool repaired = true;
    char *text = kulak_text_to_utf8 (input, strlen (input), &repaired);
    CHECK_STR (text, input);
    CHECK (!repaired);
    free (text);
}

TEST (test_single_stray_byte_keeps_the_rest)
{
    const char bytes [] = "Kargo h\xC4\xB1zl\xC4\xB1 geldi\xFF ama kutu ezikti, te\xC5\x9F" "ekk\xC3\xBC" "rler";
    bool repaired = false;
    char *text = kulak_text_to_utf8 (bytes, strlen (bytes), &repaired);
    CHECK (repaired);
    CHECK (strstr (text, "Kargo hızlı geldi") == text);
    CHECK (strstr (text, " ama kutu ezikti, teşekkürler") != NULL);
    CHECK (kulak_text_is_utf8 (text, strlen (text)));
    free (text);
    /* a truncated multi-byte sequence at the very end */
    char *cut = kulak_text_to_utf8 ("g\xC3\xBCzel \xC3", 8, NULL);
    CHECK (strncmp (cut, "güzel ", 7) == 0);
    CHECK (kulak_text_is_utf8 (cut, strlen (cut)));
    free (cut);
}

TEST (test_control_characters_become_spaces)
{
    const char bytes [] = "a\x01" "b\x1B" "c\x7F" "d\te\nf\0g";
    char *text = kulak_text_to_utf8 (bytes, sizeof bytes - 1, NULL);
    CHECK_STR (text, "a b c d\te\nf g");
    free (text);
}

TEST (test_is_utf8)
{
    CHECK (kulak_text_is_utf8 ("çok güzel", strlen ("çok güzel")));
    CHECK (!kulak_text_is_utf8 ("\xFD\xFE", 2));
    CHECK (!kulak_text_is_utf8 ("\xC0\xAF", 2));           /* overlong '/' */
    CHECK (!kulak_text_is_utf8 ("\xED\xA0\x80", 3));       /* a UTF-16 surrogate */
}

TEST (test_utf8_count)
{
    CHECK (kulak_utf8_count ("çok", strlen ("çok")) == 3);
    CHECK (kulak_utf8_count ("a😍b", strlen ("a😍b")) == 3);
    CHECK (kulak_utf8_count ("ığ", 2) == 1);               /* first 2 bytes: ı */
}

/* ---- NFKC and folding ---------------------------------------------------------------- */

TEST (test_nfkc)
{
    char *text = kulak_text_nfkc ("ＡＢＣ１２３");
    CHECK_STR (text, "ABC123");
    free (text);
    text = kulak_text_nfkc ("ﬁyat");
    CHECK_STR (text, "fiyat");
    free (text);
    /* decomposed ş (s + U+0327) composes */
    text = kulak_text_nfkc ("s\xCC\xA7" "ikayet");
    CHECK_STR (text, "şikayet");
    free (text);
}

TEST (test_fold_turkish)
{
    char *text = kulak_text_fold ("İSTANBUL IŞIK", KULAK_LANG_TR);
    CHECK_STR (text, "istanbul ışık");
    CHECK (strstr (text, "\xCC\x87") == NULL);             /* no combining dot above */
    free (text);
    text = kulak_text_fold ("ÇĞÖÜ", KULAK_LANG_TR);
    CHECK_STR (text, "çğöü");
    free (text);
}

TEST (test_fold_english)
{
    char *text = kulak_text_fold ("I LOVE IT", KULAK_LANG_EN);
    CHECK_STR (text, "i love it");
    free (text);
    text = kulak_text_fold ("İstanbul", KULAK_LANG_EN);
    CHECK_STR (text, "istanbul");
    free (text);
}

TEST (test_ascii_fold)
{
    char *text = kulak_text_ascii_fold ("çğıöşü");
    CHECK_STR (text, "cgiosu");
    free (text);
    text = kulak_text_ascii_fold ("hâlâ kâr");
    CHECK_STR (text, "hala kar");
    free (text);
    text = kulak_text_ascii_fold ("plain 😍");
    CHECK_STR (text, "plain 😍");
    free (text);
}

TEST (test_squeeze)
{
    bool changed = false;
    char *text = kulak_text_squeeze ("çoooook", 1, &changed);
    CHECK_STR (text, "çok");
    CHECK (changed);
    free (text);
    text = kulak_text_squeeze ("goooood", 2, &changed);
    CHECK_STR (text, "good");
    CHECK (changed);
    free (text);
    text = kulak_text_squeeze ("1000", 1, &changed);
    CHECK_STR (text, "1000");
    CHECK (!changed);
    free (text);
    text = kulak_text_squeeze ("good", 1, &changed);   /* only runs of 3+ are elongation */
    CHECK_STR (text, "good");
    CHECK (!changed);
    free (text);
    text = kulak_text_squeeze ("şşşşahane", 1, &changed);
    CHECK_STR (text, "şahane");
    free (text);
}

/* ---- language ------------------------------------------------------------------------ */

TEST (test_detect_turkish)
{
    double confidence = 0;
    CHECK (kulak_text_detect_lang ("Ürün çok güzel, kargo hızlı geldi. Teşekkürler!",
                                   &confidence) == KULAK_LANG_TR);
    CHECK (confidence > 0.5 && confidence <= 1.0);
}

TEST (test_detect_turkish_without_turkish_letters)
{
    CHECK (kulak_text_detect_lang ("cok kotu bir urun, musteri hizmetleri berbat", NULL)
           == KULAK_LANG_TR);
}

TEST (test_detect_english)
{
    double confidence = 0;
    CHECK (kulak_text_detect_lang ("The delivery was late and customer service did not help.",
                                   &confidence) == KULAK_LANG_EN);
    CHECK (confidence > 0.5);
}

/* One- and two-word survey answers: the verdict word itself says the language. */
TEST (test_detect_short_answers)
{
    const char *english [] = { "terrible", "Rubbish!", "broken again", "fine", "useless app" };
    const char *turkish [] = { "berbat", "rezalet", "idare eder", "maalesef", "kargom gelmedi" };
    for (size_t i = 0; i < 5; i++) {
        CHECK (kulak_text_detect_lang (english [i], NULL) == KULAK_LANG_EN);
        CHECK (kulak_text_detect_lang (turkish [i], NULL) == KULAK_LANG_TR);
    }
}

/* English words Turkish customers write too ("login", "update") say no language: the
   Turkish around them decides (seventh session: "login" made these English). */
TEST (test_detect_turkish_with_english_loanwords)
{
    const char *turkish [] = { "Login olamıyorum", "Uygulamaya login olamıyorum",
                               "Update sonrası uygulama açılmıyor" };
    for (size_t i = 0; i < 3; i++)
        CHECK (kulak_text_detect_lang (turkish [i], NULL) == KULAK_LANG_TR);
    CHECK (kulak_text_detect_lang ("Cannot login", NULL) == KULAK_LANG_EN);
    CHECK (kulak_text_detect_lang ("Login failed again", NULL) == KULAK_LANG_EN);
    /* English negations typed without their apostrophe, beside a loanword */
    CHECK (kulak_text_detect_lang ("cant login since yesterday", NULL) == KULAK_LANG_EN);
    CHECK (kulak_text_detect_lang ("app wont open", NULL) == KULAK_LANG_EN);
    CHECK (kulak_text_detect_lang ("login olamiyorum", NULL) == KULAK_LANG_TR);
}

/* Words count in any case, whether they are one run of ASCII (scored where they stand) or
   hold other letters: function words, suffixes ("DRIVING", "KITAPLAR") and a word longer
   than the 63 letters kept. */
TEST (test_detect_in_capitals)
{
    const char *english [] = { "THE PARCEL", "DRIVING QUICKLY SADNESS", "Driving Quickly",
                               "IT'S DONE" };
    const char *turkish [] = { "BU KARGO", "KITAPLAR GELIYOR", "Kitaplar Geliyorlar",
                               "ÇOK GÜZEL" };
    for (size_t i = 0; i < sizeof english / sizeof english [0]; i++) {
        CHECK (kulak_text_detect_lang (english [i], NULL) == KULAK_LANG_EN);
        CHECK (kulak_text_detect_lang (turkish [i], NULL) == KULAK_LANG_TR);
    }
    char longer [200];                   /* 70 letters, then "ing": the end is cut off */
    memset (longer, 'x', 70);
    strcpy (longer + 70, "ing");
    CHECK (kulak_text_detect_lang (longer, NULL) == KULAK_LANG_UNKNOWN);
}

/* Short English texts (tweets, one-line reviews) by their everyday words and clitics, the
   apostrophe ASCII or typographic; Turkish case endings after an apostrophe stay Turkish;
   a word both languages write ("super", "film") counts for neither. */
TEST (test_detect_tweets_and_clitics)
{
    const char *english [] = { "i've bought 3 dvd players now.", "mine couldn't send texts",
                               "i’ve bought", "Night y'all.", "Heading home. Super short trip.",
                               "Bye bye Hanoi :-(", "Today Ben freaking Nevis!" };
    const char *turkish [] = { "Turkcell'e yazdım", "iPhone'u aldım", "Ankara'dan geldi",
                               "süper" };
    for (size_t i = 0; i < sizeof english / sizeof english [0]; i++) {
        if (kulak_text_detect_lang (english [i], NULL) != KULAK_LANG_EN)
            printf ("  not English: %s\n", english [i]);
        CHECK (kulak_text_detect_lang (english [i], NULL) == KULAK_LANG_EN);
    }
    for (size_t i = 0; i < sizeof turkish / sizeof turkish [0]; i++)
        CHECK (kulak_text_detect_lang (turkish [i], NULL) == KULAK_LANG_TR);
    CHECK (kulak_text_detect_lang ("Super", NULL) == KULAK_LANG_UNKNOWN);
}

TEST (test_detect_unknown)
{
    double confidence = 1;
    CHECK (kulak_text_detect_lang ("", &confidence) == KULAK_LANG_UNKNOWN);
    CHECK (confidence == 0);
    CHECK (kulak_text_detect_lang ("😍😍👍 !!!", NULL) == KULAK_LANG_UNKNOWN);
    /* as many clues for each: "bu" Turkish, "on" English */
    CHECK (kulak_text_detect_lang ("bu film on kere izlenir", &confidence) == KULAK_LANG_UNKNOWN);
    CHECK (confidence == 0.5);
}

/* What spelling alone says: letters and digraphs Turkish does not write, English word ends
   (not -ns -rs -ls, which Turkish has: "seans", "kurs"), Turkish letters. */
TEST (test_spelling_lang)
{
    /* two English clues at least */
    const char *english [] = { "quirky?", "Stormy weather", "boxy", "headphone jack", "wow" };
    for (size_t i = 0; i < sizeof english / sizeof english [0]; i++)
        CHECK (kulak_text_spelling_lang (english [i]) == KULAK_LANG_EN);
    /* one is as often a name or a typo in Turkish; Turkish word ends; doubled letters */
    const char *not_english [] = { "problems.", "tiny!", "matrix", "Ethem bey", "kurs",
                                   "ilk seans", "cips", "boks", "ayy", "yooo eee", "ılık" };
    for (size_t i = 0; i < sizeof not_english / sizeof not_english [0]; i++)
        CHECK (kulak_text_spelling_lang (not_english [i]) != KULAK_LANG_EN);
    CHECK (kulak_text_spelling_lang ("görüşürüz") == KULAK_LANG_TR);
    CHECK (kulak_text_spelling_lang ("Şahane") == KULAK_LANG_TR);
    CHECK (kulak_text_spelling_lang ("") == KULAK_LANG_UNKNOWN);
    CHECK (kulak_text_spelling_lang ("ok") == KULAK_LANG_UNKNOWN);
    CHECK (kulak_text_spelling_lang ("s") == KULAK_LANG_UNKNOWN);
    CHECK (kulak_text_spelling_lang ("\xff\xfes") == KULAK_LANG_UNKNOWN);   /* bad bytes: no crash */
}

/* ---- personal data ------------------------------------------------------------------- */

/* Masks `input` and checks the result and the count. */
static void
check_mask (const char *input, const char *expected, int expected_count, int line)
{
    int count = -1;
    char *masked = kulak_text_mask_pii (input, &count);
    if (strcmp (masked, expected) != 0 || count != expected_count) {
        if (!check_failures_in_test++)
            printf ("FAIL %s: %s:%d: mask \"%s\" gave \"%s\" (%d), expected \"%s\" (%d)\n",
                    check_current, __FILE__, line, input, masked, count, expected,
                    expected_count);
        else
            printf ("     also %s:%d: mask \"%s\" gave \"%s\" (%d), expected \"%s\" (%d)\n",
                    __FILE__, line, input, masked, count, expected, expected_count);
    }
    free (masked);
}
#define CHECK_MASK(input, expected, count) check_mask (input, expected, count, __LINE__)

TEST (test_mask_email)
{
    CHECK_MASK ("Bana ali.veli+kargo@example.com.tr adresinden yazın",
                "Bana [email] adresinden yazın", 1);
    CHECK_MASK ("Write to x@example.org.", "Write to [email].", 1);
    CHECK_MASK ("a@b.co, c_d@mail.example.net", "[email], [email]", 2);
    CHECK_MASK ("@PazariumDestek neden cevap yok", "@PazariumDestek neden cevap yok", 0);
    CHECK_MASK ("fiyat 5@10 TL", "fiyat 5@10 TL", 0);
}

TEST (test_mask_phone)
{
    CHECK_MASK ("Numaram 0532 123 45 67, arayın.", "Numaram [phone], arayın.", 1);
    CHECK_MASK ("+90 532 123 4567", "[phone]", 1);
    CHECK_MASK ("tel:05321234567", "tel:[phone]", 1);
    CHECK_MASK ("(0532) 123 45 67 numarasından", "[phone] numarasından", 1);
    CHECK_MASK ("Call me on +44 7700 900123 please", "Call me on [phone] please", 1);
    CHECK_MASK ("0532-123-45-67", "[phone]", 1);
}

TEST (test_mask_numbers_next_to_other_numbers)
{
    /* Two phone numbers separated by a space, or a phone number after a date or an order
       number, must still be masked: each is personal data on its own. */
    const char *inputs [] = {
        "Numaralarım 0532 123 45 67 0533 987 65 43",
        "14.03.2026 05321234567 numarasından aradı",
        "sipariş 1234567 05321234567",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs [0]; i++) {
        char *masked = kulak_text_mask_pii (inputs [i], NULL);
        CHECK (strstr (masked, "0532") == NULL);
        CHECK (strstr (masked, "0533") == NULL);
        CHECK (strstr (masked, "[phone]") != NULL);
        if (strstr (masked, "0532"))
            printf ("     (\"%s\" masked as \"%s\")\n", inputs [i], masked);
        free (masked);
    }
}

TEST (test_mask_card_and_iban)
{
    CHECK_MASK ("kart 4111 1111 1111 1111 ile ödedim", "kart [card] ile ödedim", 1);
    CHECK_MASK ("4111-1111-1111-1111", "[card]", 1);
    CHECK_MASK ("IBAN: TR33 0006 1005 1978 6457 8413 26 hesabıma", "IBAN: [iban] hesabıma", 1);
    CHECK_MASK ("TR330006100519786457841326", "[iban]", 1);
}

TEST (test_mask_leaves_dates_amounts_and_order_ids)
{
    CHECK_MASK ("14.03.2026 tarihinde", "14.03.2026 tarihinde", 0);
    CHECK_MASK ("on 2026-03-14 at 10:22", "on 2026-03-14 at 10:22", 0);
    CHECK_MASK ("tutar 1.250,00 TL", "tutar 1.250,00 TL", 0);
    CHECK_MASK ("sipariş 123456 ve 12345678 gelmedi", "sipariş 123456 ve 12345678 gelmedi", 0);
    CHECK_MASK ("#1234567 nolu sipariş", "#1234567 nolu sipariş", 0);
    CHECK_MASK ("TR yi seviyorum, ABD de", "TR yi seviyorum, ABD de", 0);
}

/* ---- normalize ----------------------------------------------------------------------- */

TEST (test_normalize_record)
{
    kulak_record_t *record = kulak_record_new ();
    record->text = kulak_strdup ("Ｆｉｙａｔ çok yüksek, ali@example.com adresine yazdım, "
                                 "0532 123 45 67 arayın");
    int masked = kulak_normalize (record, KULAK_LANG_EN);
    CHECK (masked >= 2);
    CHECK (strstr (record->text, "ali@example.com") == NULL);
    CHECK (strstr (record->text, "[email]") != NULL);
    CHECK (strstr (record->text, "[phone]") != NULL);
    CHECK (strstr (record->text, "Ｆｉｙａｔ") != NULL);         /* text is kept as received */
    CHECK_STR (record->norm_text, "Fiyat çok yüksek, [email] adresine yazdım, [phone] arayın");
    CHECK (record->lang == KULAK_LANG_TR);
    kulak_record_destroy (&record);
    CHECK (record == NULL);
}

TEST (test_normalize_repairs_legacy_bytes)
{
    kulak_record_t *record = kulak_record_new ();
    record->text = kulak_strdup ("\xDD" "ade i\xE7in te\xFE" "ekk\xFCrler, kargo h\xFDzl\xFD");
    kulak_normalize (record, KULAK_LANG_EN);
    CHECK_STR (record->text, "İade için teşekkürler, kargo hızlı");
    CHECK_STR (record->norm_text, "İade için teşekkürler, kargo hızlı");
    CHECK (record->lang == KULAK_LANG_TR);
    kulak_record_destroy (&record);
}

TEST (test_normalize_masks_full_width_digits_in_text_too)
{
    /* NFKC turns full-width digits into a phone number; the stored text (shown in the digest)
       must not keep the number either. */
    kulak_record_t *record = kulak_record_new ();
    record->text = kulak_strdup ("Beni ０５３２ １２３ ４５ ６７ numarasından arayın");
    kulak_normalize (record, KULAK_LANG_TR);
    CHECK (strstr (record->norm_text, "[phone]") != NULL);
    CHECK (strstr (record->norm_text, "0532") == NULL);
    CHECK (strstr (record->text, "０５３２") == NULL);
    kulak_record_destroy (&record);
}

TEST (test_normalize_language_given_or_fallback)
{
    kulak_record_t *record = kulak_record_new ();
    record->text = kulak_strdup ("çok güzel bir ürün");
    record->lang = KULAK_LANG_EN;             /* the record says it: keep it */
    kulak_normalize (record, KULAK_LANG_TR);
    CHECK (record->lang == KULAK_LANG_EN);
    kulak_record_destroy (&record);

    record = kulak_record_new ();
    record->text = kulak_strdup ("😍👍");
    kulak_normalize (record, KULAK_LANG_TR);
    CHECK (record->lang == KULAK_LANG_TR);
    CHECK_STR (record->norm_text, "😍👍");
    kulak_record_destroy (&record);

    record = kulak_record_new ();             /* no text at all */
    kulak_normalize (record, KULAK_LANG_EN);
    CHECK_STR (record->text, "");
    CHECK_STR (record->norm_text, "");
    CHECK (record->lang == KULAK_LANG_EN);
    kulak_record_destroy (&record);
}

/* A text normalize knows is not ASCII alone skips the detector's pass for ASCII texts:
   the language is the one the whole detector finds, whether the first byte that is not
   ASCII opens the text, comes late, follows an '&' or was repaired. */
TEST (test_normalize_language_of_texts_not_ascii)
{
    static const struct { const char *text; kulak_lang_t lang; } cases [] = {
        { "Çok güzel bir ürün, kargo hızlı geldi", KULAK_LANG_TR },
        { "The delivery was late and the café did not help", KULAK_LANG_EN },
        { "Tom & Jerry: the kids loved it, the naïve plot too", KULAK_LANG_EN },
        { "Fiyat & kalite iyi, teşekkürler", KULAK_LANG_TR },
        { "kargo h\xFDzl\xFD geldi, te\xFE" "ekk\xFCrler", KULAK_LANG_TR },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases [0]; i++) {
        kulak_record_t *record = kulak_record_new ();
        record->text = kulak_strdup (cases [i].text);
        kulak_normalize (record, KULAK_LANG_UNKNOWN);
        CHECK (record->lang == cases [i].lang);
        CHECK (record->lang == kulak_text_detect_lang (record->norm_text, NULL));
        kulak_record_destroy (&record);
    }
}

TEST (test_normalize_decodes_entities_short_and_long)
{
    /* The '&' is found in the pass that finds the first byte that is not ASCII: sixteen
       bytes at a time, the last ones again, a short text byte by byte. */
    const char *texts [][2] = {
        { "A&amp;B", "A&B" },
        { "Fast delivery &amp; great price, I&#39;d buy again",
          "Fast delivery & great price, I'd buy again" },
        { "Fast delivery and great price &gt; expected",
          "Fast delivery and great price > expected" },
        { "Kargo &amp; paketleme çok iyi", "Kargo & paketleme çok iyi" },
        { "Kargo çok iyi &amp; hızlı geldi", "Kargo çok iyi & hızlı geldi" },
        { "fast & cheap, no entity here", "fast & cheap, no entity here" },
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts [0]; i++) {
        kulak_record_t *record = kulak_record_new ();
        record->text = kulak_strdup (texts [i][0]);
        kulak_normalize (record, KULAK_LANG_EN);
        CHECK_STR (record->norm_text, texts [i][1]);
        kulak_record_destroy (&record);
    }
    CHECK (kulak_text_plain_prefix ("no ampersand in this ascii text", 31) == 31);
    CHECK (kulak_text_plain_prefix ("short", 5) == 5);
    CHECK (kulak_text_plain_prefix ("a & b", 5) == 2);
    CHECK (kulak_text_plain_prefix ("sixteen bytes!! then & later", 28) == 21);
    CHECK (kulak_text_plain_prefix ("çok", 4) == 0);
}

TEST (test_normalize_leaves_quarantine_untouched)
{
    kulak_record_t *record = kulak_record_new ();
    const char raw [] = "\"broken,\xFD row with ali@example.com";
    record->text = kulak_strdup (raw);
    record->quarantine_reason = kulak_strdup ("x.csv:3: field rating: '9' is outside 1-5");
    CHECK (kulak_normalize (record, KULAK_LANG_TR) == 0);
    CHECK (memcmp (record->text, raw, sizeof raw) == 0);
    CHECK (record->norm_text == NULL);
    CHECK (record->lang == KULAK_LANG_UNKNOWN);
    kulak_record_destroy (&record);
}

int
main (void)
{
    RUN (test_cp1254_bytes_repaired_next_to_valid_utf8);
    RUN (test_valid_utf8_is_kept_as_is);
    RUN (test_single_stray_byte_keeps_the_rest);
    RUN (test_control_characters_become_spaces);
    RUN (test_is_utf8);
    RUN (test_utf8_count);
    RUN (test_nfkc);
    RUN (test_fold_turkish);
    RUN (test_fold_english);
    RUN (test_ascii_fold);
    RUN (test_squeeze);
    RUN (test_detect_turkish);
    RUN (test_detect_turkish_without_turkish_letters);
    RUN (test_detect_english);
    RUN (test_spelling_lang);
    RUN (test_detect_short_answers);
    RUN (test_detect_turkish_with_english_loanwords);
    RUN (test_detect_in_capitals);
    RUN (test_detect_tweets_and_clitics);
    RUN (test_detect_unknown);
    RUN (test_mask_email);
    RUN (test_mask_phone);
    RUN (test_mask_numbers_next_to_other_numbers);
    RUN (test_mask_card_and_iban);
    RUN (test_mask_leaves_dates_amounts_and_order_ids);
    RUN (test_normalize_record);
    RUN (test_normalize_repairs_legacy_bytes);
    RUN (test_normalize_masks_full_width_digits_in_text_too);
    RUN (test_normalize_language_given_or_fallback);
    RUN (test_normalize_language_of_texts_not_ascii);
    RUN (test_normalize_decodes_entities_short_and_long);
    RUN (test_normalize_leaves_quarantine_untouched);
    return CHECK_RESULT ();
}
