/*  test_tagging.c: tagging with the shipped lexicons and models, as a user sees it:
    the acceptance sentences, Turkish morphology, Turkish typed without its letters,
    English idioms, contrast, emoji, evidence offsets, and floors on the hand-labelled
    fixtures so a lexicon or model change that makes tagging worse fails here. */
#include "check.h"
#include "kulak/evaluate.h"
#include "kulak/normalize.h"
#include "kulak/strmap.h"
#include "kulak/tagger.h"
#include "kulak/util.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

static kulak_tagger_t *s_tagger;
static kulak_tagger_t *s_rules;          /* the lexicon rules alone, no model */

static kulak_record_t *
tag (const char *text)
{
    kulak_record_t *record = kulak_record_new ();
    record->text = kulak_strdup (text);
    kulak_normalize (record, KULAK_LANG_TR);
    kulak_tagger_tag (s_tagger, record);
    return record;
}

static bool
has_theme (const kulak_record_t *record, const char *theme)
{
    for (size_t i = 0; i < record->theme_count; i++)
        if (strcmp (record->themes [i].theme, theme) == 0)
            return true;
    return false;
}

static kulak_label_t
label_of (const char *text)
{
    kulak_record_t *record = tag (text);
    kulak_label_t label = record->label;
    kulak_record_destroy (&record);
    return label;
}

static double rules_score (const char *text, kulak_lang_t lang, kulak_label_t *label);

/* How many evidence items of the texts weigh against `sign`: with 1 the negative ones (the
   texts hold no complaint word), with -1 the positive ones (no praise word). */
static size_t
evidence_against (const char *const *texts, size_t n, int sign)
{
    size_t against = 0;
    for (size_t i = 0; i < n; i++) {
        kulak_record_t *r = tag (texts [i]);
        for (size_t k = 0; k < r->sentiment_evidence_count; k++)
            against += r->sentiment_evidence [k].weight * (float) sign < 0;
        kulak_record_destroy (&r);
    }
    return against;
}

/* The lexicon's own say on a text: how many sentiment entries it found and the weight of
   the first (0 when none), with the label the tagger gave. */
static size_t
lexicon_evidence (const char *text, float *first_weight, kulak_label_t *label)
{
    kulak_record_t *record = tag (text);
    size_t count = record->sentiment_evidence_count;
    *first_weight = count ? record->sentiment_evidence [0].weight : 0;
    *label = record->label;
    kulak_record_destroy (&record);
    return count;
}

/* How many of the texts the lexicon does not read as wanted: a sentiment entry at least,
   the first of sign `sign` (1 or -1) and more than `beyond` from 0, and the label
   `label` (-1: any). Misses are printed. */
static size_t
lexicon_misses (const char *const *texts, size_t n, int sign, float beyond, int label)
{
    size_t misses = 0;
    for (size_t i = 0; i < n; i++) {
        float weight;
        kulak_label_t got;
        size_t count = lexicon_evidence (texts [i], &weight, &got);
        bool ok = count >= 1 && (float) sign * weight > beyond
                  && (label < 0 || (int) got == label);
        if (!ok) {
            fprintf (stderr, "  lexicon reads \"%s\" otherwise: %zu entries, first %.2f, %s\n",
                     texts [i], count, weight, kulak_label_name (got));
            misses++;
        }
    }
    return misses;
}

TEST (test_acceptance_turkish_delay_and_waiting)
{
    kulak_record_t *r = tag ("Kargo üç gündür gelmedi, müşteri hizmetlerine de ulaşamıyorum");
    CHECK (r->lang == KULAK_LANG_TR);
    CHECK (r->label == KULAK_LABEL_NEG);
    CHECK (has_theme (r, "delay"));
    CHECK (has_theme (r, "waiting"));
    CHECK (r->complaint);
    kulak_record_destroy (&r);
}

/* "Where is my order?" is the commonest complaint to a shop, in both languages; an app
   that shows where the order is is none. */
TEST (test_where_is_my_order)
{
    const char *texts [] = { "Siparişim nerede?", "kargom nerede arkadaşlar",
                             "Where is my order?" };
    for (size_t i = 0; i < sizeof texts / sizeof texts [0]; i++) {
        kulak_record_t *r = tag (texts [i]);
        CHECK (has_theme (r, "delay") && r->complaint);
        kulak_record_destroy (&r);
    }
    kulak_record_t *r = tag ("Uygulama siparişim nerede olduğunu gösteriyor, teşekkürler");
    CHECK (!has_theme (r, "delay") && !r->complaint);
    kulak_record_destroy (&r);
}

/* A text and a theme it must get. */
typedef struct {
    const char *text, *theme;
} theme_case_t;

/* None of the texts gets `theme`; those that do are printed. */
static void
expect_no_theme (const char *const *texts, size_t count, const char *theme)
{
    for (size_t i = 0; i < count; i++) {
        kulak_record_t *r = tag (texts [i]);
        if (has_theme (r, theme))
            fprintf (stderr, "  \"%s\": %s\n", texts [i], theme);
        CHECK (!has_theme (r, theme));
        kulak_record_destroy (&r);
    }
}

/* Checks that each text gets its theme, naming the ones that do not. */
static void
expect_themes (const theme_case_t *cases, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        kulak_record_t *r = tag (cases [i].text);
        if (!has_theme (r, cases [i].theme))
            fprintf (stderr, "  \"%s\": no %s\n", cases [i].text, cases [i].theme);
        CHECK (has_theme (r, cases [i].theme));
        kulak_record_destroy (&r);
    }
}

/* How longer complaints name their subject without the theme's usual words (checked
   against the complaint-site dev sets en_cs and tr_cs): each text gets its theme. */
TEST (test_themes_of_implicit_complaints)
{
    theme_case_t cases [] = {
        { "Ordered two weeks ago and nobody tells me anything", "communication" },
        { "The plumber was supposed to finish on Monday, still here on Friday", "delay" },
        { "Every time I pay it says something went wrong", "outage_errors" },
        { "My renewal quote went up by 40 percent", "pricing" },
        { "They will not let me change the date without a fee", "policy" },
        { "The man at the desk laughed at my question", "staff_attitude" },
        { "No service in my area since Monday", "availability" },
        { "Kargom 4 gündür dağıtıma çıktı görünüyor", "delay" },
        { "Servis bunun garanti kapsamında olmadığını söyledi", "policy" },
        { "Temsilci sürekli lafımı kesti", "staff_attitude" },
        { "Aidat iadesi 3 haftadır hesabıma geçmedi", "billing" },
        { "Mahallede 2 gündür su yok, açıklama da yok", "outage_errors" },
        { "Kredi kartimdan para cekildi ama siparis sistemde yok", "ordering" },
        { "Kargo geldi ama kutunun içinde bir şey yok", "lost_damaged" },
    };
    expect_themes (cases, sizeof cases / sizeof cases [0]);
    /* nothing in the box is a complaint, "bir şey yok" alone a survey's non-answer */
    CHECK (label_of ("Kutunun içinde bir şey yok") == KULAK_LABEL_NEG);
    CHECK (label_of ("bir şey yok") == KULAK_LABEL_NEU);
    /* "bir kere olsun" (just once) makes a request a complaint */
    CHECK (label_of ("Telefonu bir kere olsun açabilir misiniz?") == KULAK_LABEL_NEG);
    CHECK (label_of ("Telefonla randevu alabilir miyim?") == KULAK_LABEL_NEU);
    /* a phrase's gap does not make "su ... yok" out of other words */
    kulak_record_t *r = tag ("Şu ilgi alaka yok, ATM'si de yok");
    CHECK (!has_theme (r, "outage_errors"));
    kulak_record_destroy (&r);
    /* asking when a branch closes is no outage ("uygulama kapanıyor" is one) */
    r = tag ("Şube cumartesi kaçta kapanıyor?");
    CHECK (!has_theme (r, "outage_errors") && !r->complaint);
    kulak_record_destroy (&r);
}

/* Complaints in words the theme lists lacked until the sixth session of 2026-11-23
   (batteries of complaints written per theme, lexicons/SOURCES): each text gets its theme; a vague hint alone ("makes no sense", "self checkout") is not enough. */
TEST (test_theme_phrases_written_per_theme)
{
    theme_case_t cases [] = {
        { "Order cancelled after an hour. No reason given.", "communication" },
        { "They keep asking for documents and will not say what is missing", "communication" },
        { "Got a reply answering a completely different question", "communication" },
        { "The instructions made no sense", "communication" },
        { "They substituted half my shopping", "ordering" },
        { "The minimum term is 24 months", "policy" },
        { "It takes eight taps to check my balance", "usability" },
        { "The form kept clearing everything I typed", "usability" },
        { "Self checkout says unexpected item in bagging area every time", "automation" },
        { "All the slots are booked up for weeks", "availability" },
        { "Nobody picks up the phone", "waiting" },
        { "Waited two hours and nobody apologised", "staff_attitude" },
        { "The repair took twice as long as promised", "delay" },
    };
    expect_themes (cases, sizeof cases / sizeof cases [0]);
    /* and in Turkish, with and without its letters */
    theme_case_t turkish [] = {
        { "Beni geri arayacaklardı, hala arayan yok", "waiting" },
        { "Kimse özür dilemedi bile", "staff_attitude" },
        { "Kargom bir haftadır yolda", "delay" },
        { "Tamir söylenenden iki kat uzun sürdü", "delay" },
        { "Internet butun gun yoktu", "outage_errors" },
        { "Kahve yanık tadındaydı", "product_quality" },
        { "Taahhüt süresi 24 ay", "policy" },
        { "Neden iptal edildiğini söylemediler", "communication" },
        { "Bakiyemi görmek için sekiz ekran geçmem gerekiyor", "usability" },
    };
    expect_themes (turkish, sizeof turkish / sizeof turkish [0]);
    kulak_record_t *r = tag ("The price makes no sense");
    CHECK (!has_theme (r, "communication"));
    kulak_record_destroy (&r);
    r = tag ("The self checkout was quick");
    CHECK (!has_theme (r, "automation"));
    kulak_record_destroy (&r);
    /* a thing named is no theme of its own: a card reader works until it is said not to,
       and Apple Pay or dark mode is a missing feature when it is missing (seventh session) */
    const char *named [] = { "I paid with Apple Pay at the store", "Dark mode looks great",
                             "The widget shows the weather", "It contains a card reader",
                             "Uygulamaya login oldum, her şey yolunda",
                             "Widget çok güzel olmuş" };
    expect_no_theme (named, sizeof named / sizeof named [0], "missing_feature");
    expect_no_theme (named, sizeof named / sizeof named [0], "outage_errors");
    theme_case_t missing [] = {
        { "No Apple Pay support, really?", "missing_feature" },
        { "Please add dark mode", "missing_feature" },
        { "The card reader is not working again", "outage_errors" },
        { "Login olamıyorum", "outage_errors" },
        { "Widget yok mu?", "missing_feature" },
        { "Bakiye widget'ı gelse çok iyi olur", "missing_feature" },
    };
    expect_themes (missing, sizeof missing / sizeof missing [0]);
    /* a robot that is the product is no bot that answers (eighth session) */
    const char *products [] = { "Love my robot vacuum", "The robot mower cuts well",
                                "Robot süpürge 3. haftada şarj olmamaya başladı",
                                "robot supurge aldim", "Oğlum robotik kodlama kursuna başladı" };
    expect_no_theme (products, sizeof products / sizeof products [0], "automation");
    theme_case_t bots [] = {
        { "I've been stuck with a robot for 20 mins", "automation" },
        { "robotla konuşmaktan bıktım", "automation" },
        { "Robot süpürge aldım, çağrı merkezinde de robot cevap veriyor", "automation" },
    };
    expect_themes (bots, sizeof bots / sizeof bots [0]);
    /* a queue system is the queue, where "sıra" alone may be a turn or a row */
    theme_case_t queues [] = {
        { "Şube çalışanları çok ilgili ama sıra sistemi kötü.", "waiting" },
        { "siramatik yine bozuk", "waiting" },
    };
    expect_themes (queues, sizeof queues / sizeof queues [0]);
}

TEST (test_acceptance_english_not_bad)
{
    kulak_record_t *r = tag ("The app is not bad at all, support answered in minutes");
    CHECK (r->lang == KULAK_LANG_EN);
    CHECK (r->label == KULAK_LABEL_POS);
    CHECK (!r->complaint);
    kulak_record_destroy (&r);
}

TEST (test_turkish_verbal_negation)
{
    CHECK (label_of ("Ürünü çok beğendim, herkese tavsiye ederim") == KULAK_LABEL_POS);
    CHECK (label_of ("Ürünü hiç beğenmedim, kimseye tavsiye etmem") == KULAK_LABEL_NEG);
    CHECK (label_of ("Paketi açtım, hiç memnun kalmadım") == KULAK_LABEL_NEG);
}

/* A root ending in a or e narrows before -(I)yor: "oyala-" gives "oyalıyor". */
TEST (test_turkish_present_tense_of_vowel_roots)
{
    /* the lexicon, not only the model, says so; the last three are listed only as roots
       (saattir bekle*, problem yaşa*, oyala*) */
    const char *texts [] = { "Müşteri hizmetleri beni oyalıyor",
                             "Personel müşterileri küçümsüyor",
                             "3 saattir bekliyorum",
                             "Sürekli problem yaşıyorum",
                             "hala oyaliyorlar" };
    CHECK (lexicon_misses (texts, sizeof texts / sizeof texts [0], -1, 1, KULAK_LABEL_NEG) == 0);
    kulak_record_t *r = tag ("45 dakikadır bekliyorum");
    CHECK (has_theme (r, "waiting"));
    kulak_record_destroy (&r);
    /* "işe yara*" (it works) knows "işe yarıyor"; a verbal noun in -mA is not narrowed:
       "oyalamıyorlar" is the negation of stalling */
    const char *praise [] = { "Bu uygulama gerçekten işe yarıyor",
                              "Beni hiç oyalamıyorlar, hemen çözdüler" };
    CHECK (lexicon_misses (praise, 2, 1, 0, KULAK_LABEL_POS) == 0);
    /* a noun's narrowed form that is another word is excluded: tane- is not tanı- */
    r = tag ("Sizi yıllardır tanıyorum");
    CHECK (!has_theme (r, "availability"));
    kulak_record_destroy (&r);
}

/* -mAdAn is "without": an entry that is a verbal noun in -mA ("oyalama*", stalling) read
   with -dAn says the bad thing did not happen, as the negated verb does; "uğraşmadan"
   (without hassle) and "beklemeden" (without waiting) are entries of their own. */
TEST (test_turkish_without_converb)
{
    const char *texts [] = { "Müşteri hizmetleri hiç oyalamadan çözdü",
                             "Oyun hiç kasmadan çalışıyor", "Telefon donmadan çalışıyor",
                             "Ürün hiç uğraşmadan kuruldu", "Beklemeden cevap verdiler" };
    CHECK (lexicon_misses (texts, sizeof texts / sizeof texts [0], 1, 0, KULAK_LABEL_POS) == 0);
    /* the noun itself stays a complaint */
    float weight;
    kulak_label_t label;
    CHECK (lexicon_evidence ("Sürekli oyalama var", &weight, &label) == 1 && weight < -1);
    CHECK (label == KULAK_LABEL_NEG);
    /* -mAdAn önce is "before ...": the crash did happen, after a verbal noun ("donma*")
       as after a root ("bozul*") */
    const char *before [] = { "Telefon donmadan önce yedek aldım",
                              "Uygulama cokmeden once kaydettim",
                              "Telefon bozulmadan önce yedek aldım" };
    CHECK (lexicon_misses (before, 3, -1, 1, -1) == 0);
}

/* Money taken or packages added without consent, pages and codes that come late, long
   waits, points never loaded: bank and telecom complaints the lexicon reads, not only the
   model. A short wait is no complaint. */
TEST (test_turkish_bank_and_telecom_complaints)
{
    CHECK (label_of ("Çok beklemedim, hemen ilgilendiler") != KULAK_LABEL_NEG);
    const char *texts [] = { "Hesabımdan onayım olmadan para çekildi",
                             "Haberim olmadan hattım taşındı",
                             "Uygulama çok yavaş, sayfalar geç açılıyor",
                             "Şubede çok uzun süre bekledim, gişe sayısı az",
                             "SMS şifresi geç geliyor", "Puanım hala yüklenmedi",
                             "Ne arayan var ne soran", "İlk ay faturam iki katı geldi",
                             "Kestikleri ücreti geri ödemediler" };
    CHECK (lexicon_misses (texts, sizeof texts / sizeof texts [0], -1, 1, KULAK_LABEL_NEG) == 0);
    /* money coming back, or saved, is praise: amounts alone lean the model to complaints */
    const char *praise [] = { "Paramı 2 günde geri ödediler", "Ayda 150 TL tasarruf ediyorum",
                              "param bir haftada geri odendi", "İade 2 günde hesabıma geçti",
                              "Paramı geri aldım, teşekkürler" };
    CHECK (lexicon_misses (praise, 5, 1, 1, KULAK_LABEL_POS) == 0);
    const char *not_paid [] = { "param hala hesabima gecmedi", "Param yatmadı, bekliyorum" };
    CHECK (lexicon_misses (not_paid, 2, -1, 1, KULAK_LABEL_NEG) == 0);
    /* a score out of ten; "5 puan" is none: on a five-star scale it is the top */
    CHECK (label_of ("Hizmete 10 üzerinden 9 veririm") == KULAK_LABEL_POS);
    const char *low [] = { "Hizmete 2 puan veriyorum" };
    CHECK (lexicon_misses (low, 1, -1, 1, KULAK_LABEL_NEG) == 0);
    CHECK (lexicon_evidence ("5 puan verdim", &(float) { 0 }, &(kulak_label_t) { 0 }) == 0);
    /* a return's parcel and code are no complaint about a refund ("iade*" leans negative) */
    const char *return_parcel [] = { "İade kargosu için kod verildi, PTT'ye teslim edeceğim" };
    CHECK (evidence_against (return_parcel, 1, 1) == 0);
    /* money paid in ("yattı") is praise; a punctual technician too ("dakik", not "dakika") */
    const char *paid_in [] = { "Param 3 günde yattı", "Teknisyen dakikti" };
    CHECK (lexicon_misses (paid_in, 2, 1, 1, -1) == 0);
    CHECK (label_of ("Teknisyen dakikti, işini iyi yaptı") == KULAK_LABEL_POS);
    /* and not: minutes, points a shop gives per purchase, a refund approval waited for, a
       question whether the money came */
    const char *not_praise [] = { "Teknisyen 40 dakika geç geldi",
                                  "Her alışverişte 10 puan veriyorlar",
                                  "İade onayı bekliyorum", "Param yattı mı diye kontrol ettim" };
    CHECK (evidence_against (not_praise, 4, -1) == 0);
    /* no queue and a late fee taken back: praise (a late fee itself is a fee); but no queue
       ticket or system, a bill taken twice, or "I repaid" are no praise of the company */
    const char *good [] = { "Şubede sıra yoktu", "Gecikme faizini sildiler" };
    CHECK (lexicon_misses (good, 2, 1, 1, KULAK_LABEL_POS) == 0);
    const char *not_good [] = { "Sıra numarası yoktu", "Şubede sıra sistemi yoktu, herkes öne geçti" };
    CHECK (lexicon_misses (not_good, 2, -1, 0.5, KULAK_LABEL_NEG) == 0);
    CHECK (label_of ("Faturam iki kez düştü") != KULAK_LABEL_POS);
    /* a lower bill and no queue, said with the words next to each other ("faturam az geldi",
       quoted entries), are praise by the lexicon and no complaint; with words between, they
       are not read so (above). ("Faturam düştü" is no entry: it also says the bill was
       issued.) */
    const char *lower [] = { "Bu ay faturam az geldi", "Kuyruk yoktu, hemen işlemim yapıldı" };
    CHECK (lexicon_misses (lower, 2, 1, 1, -1) == 0);
    for (size_t i = 0; i < 2; i++)
        CHECK (label_of (lower [i]) != KULAK_LABEL_NEG);
    kulak_record_t *r = tag ("Kredimi erken geri ödedim, kapama yazısı hâlâ gelmedi");
    for (size_t i = 0; i < r->sentiment_evidence_count; i++)
        CHECK (r->sentiment_evidence [i].weight < 0);
    kulak_record_destroy (&r);
}

/* "(!)" after praise is irony on complaint sites: it flips what precedes it. */
TEST (test_irony_mark)
{
    const char *ironic [] = { "Harika bir hizmet(!) siparişim 3 haftadır yolda",
                              "Great service (!) three weeks and still waiting" };
    CHECK (lexicon_misses (ironic, 2, -1, 1, KULAK_LABEL_NEG) == 0);
    CHECK (label_of ("Great service!") == KULAK_LABEL_POS);
    /* after a complaint it is emphasis: the complaint stays one */
    const char *emphatic [] = { "Rezalet(!)", "Berbat hizmet (!)", "Terrible (!)",
                                "Awful service (!)" };
    CHECK (lexicon_misses (emphatic, 4, -1, 1, KULAK_LABEL_NEG) == 0);
    /* at the end of a sentence, or alone after it, it makes all of its praise ironic */
    const char *whole [] = { "Soğuk lahmacun için teşekkürler, çok lezzetliydi 🙃",
                             "Thanks for the cold soup. 🙃" };
    for (size_t i = 0; i < 2; i++)
        CHECK (rules_score (whole [i], i ? KULAK_LANG_EN : KULAK_LANG_TR, NULL) < 0);
    /* thanks for something bad is sarcasm; thanks for a deed that mentions a problem is not */
    const char *thanked [] = { "Soğuk çorba için teşekkürler",
                               "3 saatlik gecikme için teşekkürler",
                               "Thank you for another 2 hour delay",
                               "Thanks for the delay again" };
    for (size_t i = 0; i < 4; i++)
        CHECK (rules_score (thanked [i], i < 2 ? KULAK_LANG_TR : KULAK_LANG_EN, NULL) < 0);
    CHECK (rules_score ("Ücreti iade ettiğiniz için teşekkürler", KULAK_LANG_TR, NULL) > 0);
    CHECK (rules_score ("Thanks for fixing the crash", KULAK_LANG_EN, NULL)
           > rules_score ("Thanks for the crash", KULAK_LANG_EN, NULL) + 0.2);
    /* nor thanks for a good thing the bad word only names */
    const char *named [] = { "Thanks for the quick bug fix", "Thanks for the low prices",
                             "Gecikme bildirimi için teşekkürler" };
    for (size_t i = 0; i < 3; i++)
        CHECK (rules_score (named [i], i < 2 ? KULAK_LANG_EN : KULAK_LANG_TR, NULL) > 0);
    CHECK (rules_score ("Hızlı kargo için teşekkürler", KULAK_LANG_TR, NULL) > 0);
    /* praise in another sentence keeps its sign */
    CHECK (lexicon_misses ((const char *[]) { "Thanks, the app is great. Delivery was late 🙃" },
                           1, 1, 0, -1) == 0);
}

/* Sizes and colours that do not match are complaints in store reviews. */
TEST (test_turkish_fit_and_colour)
{
    const char *texts [] = { "Ayakkabı küçük geldi", "Bedeni uymadı, iade ettim",
                             "Rengi farklı geldi" };
    CHECK (lexicon_misses (texts, sizeof texts / sizeof texts [0], -1, 0, -1) == 0);
}

TEST (test_turkish_degil_yok_and_privative)
{
    CHECK (label_of ("Fiyatı biraz yüksek ama kalitesi fena değil") != KULAK_LABEL_NEG);
    CHECK (label_of ("Hiç memnun değilim") == KULAK_LABEL_NEG);
    CHECK (label_of ("Kurulum sorunsuz geçti, teşekkürler") == KULAK_LABEL_POS);
    CHECK (label_of ("İki yıldır kullanıyorum, hiçbir sorun yok") != KULAK_LABEL_NEG);
}

TEST (test_turkish_ne_ne)
{
    CHECK (label_of ("Ne hızlı ne de güvenilir bir hizmet") == KULAK_LABEL_NEG);
    /* also a phrase that reaches across the first "ne" ("kargolama hızlı") */
    CHECK (label_of ("Kargolama ne hızlı ne özenli") == KULAK_LABEL_NEG);
    CHECK (label_of ("Kargo ne hızlı ne de sağlam geldi") == KULAK_LABEL_NEG);
    CHECK (label_of ("Kargo ne hızlı!") == KULAK_LABEL_POS);      /* one "ne": how fast! */
}

TEST (test_turkish_without_its_letters)
{
    kulak_record_t *r = tag ("kargo 3 gundur gelmedi, musteri hizmetlerine ulasamiyorum, cok kotu");
    CHECK (r->lang == KULAK_LANG_TR);
    CHECK (r->label == KULAK_LABEL_NEG);
    CHECK (has_theme (r, "delay"));
    CHECK (has_theme (r, "waiting"));
    kulak_record_destroy (&r);
}

TEST (test_turkish_capitals)
{
    /* İ and I fold the Turkish way, so shouted text matches the lexicons too. */
    kulak_record_t *r = tag ("İADE PARAMI HALA ALAMADIM, REZALET");
    CHECK (r->lang == KULAK_LANG_TR);
    CHECK (r->label == KULAK_LABEL_NEG);
    CHECK (has_theme (r, "billing"));
    kulak_record_destroy (&r);
}

TEST (test_contrast_weighs_the_later_clause)
{
    CHECK (label_of ("Ürün güzel ama kargo berbat, bir daha sipariş vermem") == KULAK_LABEL_NEG);
    CHECK (label_of ("The delivery was late but the product is excellent and I love it")
           == KULAK_LABEL_POS);
    /* no phrase reaches across the contrast word: "good ... service" and "basit ... bir" are
       entries, but here the words on either side count on their own */
    const char *texts [] = { "The food was good but the service was painfully slow",
                             "Konusu basit ama etkileyici bir film" };
    const char *alone [] = { "good", "etkileyici" };
    for (size_t i = 0; i < 2; i++) {
        kulak_record_t *r = tag (texts [i]);
        bool found = false;
        for (size_t e = 0; e < r->sentiment_evidence_count; e++) {
            CHECK (!strstr (r->sentiment_evidence [e].word, " but ")
                   && !strstr (r->sentiment_evidence [e].word, " ama "));
            found = found || strcmp (r->sentiment_evidence [e].word, alone [i]) == 0;
        }
        CHECK (found);
        kulak_record_destroy (&r);
    }
    CHECK (label_of ("The food was good but the service was painfully slow") == KULAK_LABEL_NEG);
    /* a concession opened by although / though / despite weighs less than the main clause */
    CHECK (label_of ("Though the price is great, the quality is poor") == KULAK_LABEL_NEG);
    CHECK (label_of ("Even though the staff were friendly, the wait was ridiculous")
           == KULAK_LABEL_NEG);
    CHECK (label_of ("Although delivery was slow, the product is excellent") == KULAK_LABEL_POS);
    CHECK (label_of ("The product is excellent, although delivery was slow") == KULAK_LABEL_POS);
}

/* A theme's sentiment is the clause around its evidence, and a contrast word starts a
   clause: a late delivery is a complaint next to a great product, whichever comes first.
   (-1: the record has no such theme.) */
static int
theme_label (const kulak_record_t *record, const char *theme)
{
    for (size_t i = 0; i < record->theme_count; i++)
        if (strcmp (record->themes [i].theme, theme) == 0)
            return (int) record->themes [i].label;
    return -1;
}

TEST (test_theme_sentiment_is_its_clause)
{
    const char *texts [] = { "Great product but the delivery was late",
                             "The delivery was late but the product is great",
                             "Ürün harika ama kargo çok geç geldi",
                             "Kargo geç geldi ama ürün harika",
                             "The staff were lovely although the flight was delayed" };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        kulak_record_t *r = tag (texts [i]);
        if (theme_label (r, "delay") != KULAK_LABEL_NEG || !r->complaint)
            fprintf (stderr, "  \"%s\": delay label %d, complaint %d\n", texts [i],
                     theme_label (r, "delay"), r->complaint);
        CHECK (theme_label (r, "delay") == (int) KULAK_LABEL_NEG);
        CHECK (r->complaint);
        kulak_record_destroy (&r);
    }
}

TEST (test_english_idioms)
{
    CHECK (label_of ("No complaints, works fine") == KULAK_LABEL_POS);
    CHECK (label_of ("The app could be better, it is slow") == KULAK_LABEL_NEG);
    kulak_record_t *r = tag ("I was on hold for two hours and nobody answered");
    CHECK (r->label == KULAK_LABEL_NEG);
    CHECK (has_theme (r, "waiting"));
    kulak_record_destroy (&r);
    /* "not only" and "not just" negate nothing */
    r = tag ("Not only fast but also cheap");
    CHECK (!has_theme (r, "slow_performance") && r->label != KULAK_LABEL_NEG);
    kulak_record_destroy (&r);
    CHECK (label_of ("not just good, great") == KULAK_LABEL_POS);
    /* service-tweet praise and a refund that came */
    CHECK (label_of ("you guys rock! fixed in 5 minutes") == KULAK_LABEL_POS);
    /* a refund that came is praise, however soon; "refund" alone leans to complaints */
    CHECK (label_of ("Refund arrived in 2 days") == KULAK_LABEL_POS);
    CHECK (label_of ("Got my money back within 24 hours") != KULAK_LABEL_NEG);
    CHECK (label_of ("my refund still hasn't arrived") == KULAK_LABEL_NEG);
    /* good service told plainly: done as quoted, kept informed, knew the job; "not as
       promised" stays a complaint */
    CHECK (label_of ("The engineer knew his stuff") == KULAK_LABEL_POS);
    CHECK (label_of ("Delivered in no time and the sofa looks like new") == KULAK_LABEL_POS);
    CHECK (label_of ("She went out of her way to find my bag") == KULAK_LABEL_POS);
    CHECK (label_of ("The kitchen was not fitted as promised") == KULAK_LABEL_NEG);
    /* no wait is praise, and so is a fee waived */
    CHECK (label_of ("no wait at all") == KULAK_LABEL_POS);
    CHECK (label_of ("They waived the late fee") == KULAK_LABEL_POS);
    /* names of things VADER scores are no complaint: the car maker (VADER's "kia" is "killed
       in action"), a care home, blood pressure, a bus stop, dropping off a parcel */
    const char *things [] = { "The lease is 289 pounds a month for the Kia",
                              "My mum moved into a care home in March",
                              "The nurse checked my blood pressure",
                              "Used the parcel shop to drop off the return",
                              "The new bus stop is on Queen Street" };
    CHECK (evidence_against (things, 5, 1) == 0);
    /* a score is "9/10" or given ("give them a 9"); "a scale of 1 to 10" and "1-10 days"
       are no score */
    CHECK (label_of ("On a scale of 1 to 10 I would give them a 9") == KULAK_LABEL_POS);
    CHECK (label_of ("On a scale of 1-10 I would give them a 9") == KULAK_LABEL_POS);
    CHECK (label_of ("I gave a 5 star review") == KULAK_LABEL_POS);
    /* a number after "give" that is no score, and complaint boilerplate, have no entry */
    const char *no_score [] = { "They gave me a 2 hour delivery slot for Tuesday",
                                "Give a 4 digit PIN when you call",
                                "As stated above, the router keeps dropping" };
    CHECK (evidence_against (no_score, 3, -1) == 0);
    CHECK (label_of ("1/10, would not recommend") == KULAK_LABEL_NEG);
    /* every score out of 10 or 5, and "N out of 10", where it stands as a score: the first
       evidence is the score, of its sign */
    const char *low_scores [] = { "Rated it 3/10", "I'd give them 3 out of 10",
                                  "Rated them 2/5, would not use again", "Kargo geldi, 2/10",
                                  "Hizmetinize 2/10 veririm", "2/10 app",
                                  "The app is 1 / 10", "Kargo 2 /10 bence" };
    CHECK (lexicon_misses (low_scores, 8, -1, 1, -1) == 0);
    const char *high_scores [] = { "Rated it 9/10", "4/5 would use again", "Kargo geldi, 9/10",
                                   "Overall 4.5/5 stars from me", "10/10 service",
                                   "Kargo 10/10 hizmet", "10/10 pizza", "10/10 yemek",
                                   "Kargo 10/10 servis", "Rated it 9 / 10",
                                   "They delivered 10/10 service" };
    CHECK (lexicon_misses (high_scores, 11, 1, 1, -1) == 0);
    /* a low score negated still complains */
    const char *negated_low [] = { "Not even a 1/10", "I wouldn't give them 2/10" };
    CHECK (evidence_against (negated_low, 2, -1) == 0);
    CHECK (label_of ("Not even a 1/10") == KULAK_LABEL_NEG);
    /* a middle score is neither, as people label one */
    float weight;
    kulak_label_t label;
    CHECK (lexicon_evidence ("Rated it 5/10", &weight, &label) == 1 && fabsf (weight) < 0.5f);
    /* and no score: a range, a date, a share, a step, an instalment */
    const char *no_low [] = { "Delivery in 1-10 days", "Parcel delivered 1/10/2024",
                              "The engineer came on 1/10 as booked", "Paid 2/10 instalments so far",
                              "Kargo 1/5'te teslim edildi", "Randevum 2/10 saat 14:00" };
    CHECK (evidence_against (no_low, 6, 1) == 0);
    const char *no_high [] = { "8 out of 10 calls get dropped", "I got 9/10 of my order missing",
                               "Siparişimi 9/10 tarihinde verdim", "Taksit 9/10 ödendi",
                               "Page 9/10 of the form", "Appointment moved from 9/10 to 10/10",
                               "The app froze 9/10 times", "Kargo 9/10'da geldi",
                               "Page 9 / 10 of the form", "Parcel due 9 / 10 / 2026",
                               "Ordered 9/10, still not here", "Arrived 10/10 - late",
                               "Delivered 10/10 morning", "Engineer came 9/10 at 10 am" };
    CHECK (evidence_against (no_high, 14, -1) == 0);
    CHECK (lexicon_misses ((const char *[]) { "9/10 at best" }, 1, 1, 1, -1) == 0);
    /* food that came cold, lukewarm or soggy (VADER has none of them) */
    const char *cold_food [] = { "cold when it arrived", "the soup was lukewarm",
                                 "chips were soggy" };
    CHECK (lexicon_misses (cold_food, 3, -1, 1, KULAK_LABEL_NEG) == 0);
    /* service praise words VADER lacks */
    CHECK (label_of ("The mechanic was thorough and punctual") == KULAK_LABEL_POS);
    CHECK (label_of ("Nurse was attentive, doctor meticulous") == KULAK_LABEL_POS);
    /* a bill payment page that went down is no lower bill */
    CHECK (label_of ("Bill payment went down again, cannot pay") == KULAK_LABEL_NEG);
    /* but not a refund asked for because of how it arrived, nor no wait staff */
    const char *not_praise [] = { "Requested a refund as it arrived late",
                                  "There was no wait staff" };
    for (size_t i = 0; i < 2; i++) {
        r = tag (not_praise [i]);
        CHECK (r->label != KULAK_LABEL_POS);
        for (size_t k = 0; k < r->sentiment_evidence_count; k++)
            CHECK (r->sentiment_evidence [k].weight < 0);
        kulak_record_destroy (&r);
    }
    r = tag ("Third time this week the internet has dropped");
    CHECK (has_theme (r, "outage_errors") && r->label == KULAK_LABEL_NEG && r->complaint);
    kulak_record_destroy (&r);
    CHECK (label_of ("Nobody called me back") == KULAK_LABEL_NEG);
    /* a negated negative word that is no praise, and warnings said with positive words */
    CHECK (label_of ("Honestly I am not crazy about the new design") == KULAK_LABEL_NEG);
    CHECK (label_of ("Save yourself the hassle and go elsewhere") == KULAK_LABEL_NEG);
    CHECK (label_of ("More trouble than it's worth") == KULAK_LABEL_NEG);
    CHECK (label_of ("The food was cold when it finally came") == KULAK_LABEL_NEG);
    /* "could not be more X" is X at its strongest, not X negated */
    CHECK (label_of ("I couldn't be more disappointed with this service") == KULAK_LABEL_NEG);
    CHECK (label_of ("The staff could not have been more helpful") == KULAK_LABEL_POS);
    CHECK (label_of ("Setup couldn't have been easier") == KULAK_LABEL_POS);
    CHECK (label_of ("The roadside guy couldn't have been nicer") == KULAK_LABEL_POS);
    /* laughing at a customer is no joy; at a show it is */
    CHECK (label_of ("The nurse was laughing at my father's accent") == KULAK_LABEL_NEG);
    CHECK (label_of ("We were laughing at the jokes all night") == KULAK_LABEL_POS);
    r = tag ("refund received, thanks");
    CHECK (r->label == KULAK_LABEL_POS && !r->complaint);
    kulak_record_destroy (&r);
    r = tag ("The checkout page is not fast at all");
    CHECK (has_theme (r, "slow_performance"));
    kulak_record_destroy (&r);
    /* a slow app is slow performance, a slow delivery a delay */
    r = tag ("The app has become slow since the update");
    CHECK (has_theme (r, "slow_performance") && !has_theme (r, "delay"));
    kulak_record_destroy (&r);
    r = tag ("Delivery was slow");
    CHECK (has_theme (r, "delay") && !has_theme (r, "slow_performance"));
    kulak_record_destroy (&r);
}

/* Service complaints said without a verdict word: the lexicon reads them, not only the
   model ("Pages take ages to load" had no evidence and was neutral). */
/* Missing what was taken away complains: an old version praised over the new one, a feature
   asked back, its removal questioned. The lexicons alone say so (the model only adds to it);
   a comparison the other way, and memories brought back, stay praise. */
TEST (test_old_version_missed_and_features_taken_away)
{
    const char *complaints [] = {
        "The old version was much better, please bring it back.",
        "The previous app was way better",
        "It used to be better",
        "Why did you remove the sleep timer?",
        "Eski arayüz çok daha iyiydi, lütfen geri getirin.",
        "Önceki versiyon çok daha iyiydi",
        "eski surum daha iyiydi",
        "Bildirim ayarını neden kaldırdınız?",
    };
    CHECK (lexicon_misses (complaints, sizeof complaints / sizeof complaints [0], -1, 0.5f,
                           KULAK_LABEL_NEG) == 0);
    const char *praise [] = {
        "The new version is better than the old one",
        "Yeni sürüm eskisinden çok daha iyi",
        "This game brings back memories, love it",
    };
    for (size_t i = 0; i < sizeof praise / sizeof praise [0]; i++)
        CHECK (label_of (praise [i]) == KULAK_LABEL_POS);
    const theme_case_t asked_back [] = {
        { "Why did you remove the sleep timer?", "missing_feature" },
        { "Bildirim ayarını neden kaldırdınız?", "missing_feature" },
    };
    expect_themes (asked_back, sizeof asked_back / sizeof asked_back [0]);
}

TEST (test_english_implicit_complaints)
{
    const char *texts [] = { "Pages take ages to load on your app",
                             "Waited all day for the engineer and nobody turned up",
                             "My parcel says delivered but it's nowhere to be found",
                             "Your website is down again",
                             "Third time this month the internet has gone down",
                             "The instructions were impossible to follow",
                             "Can't get through on the phone, emails go unanswered",
                             "After three engineer visits the broadband still drops",
                             "Been a customer for years, never had an issue until now",
                             "Nothing works since the update" };
    CHECK (lexicon_misses (texts, sizeof texts / sizeof texts [0], -1, 1, KULAK_LABEL_NEG) == 0);
    const char *themed [][2] = { { "Third time this month the internet has gone down",
                                   "outage_errors" },
                                 { "Nothing works since the update", "outage_errors" },
                                 { "The parcel I ordered never arrived", "lost_damaged" },
                                 { "They sent a different size", "ordering" },
                                 { "Bedeni yanlış gönderdiniz", "ordering" } };
    for (size_t i = 0; i < sizeof themed / sizeof themed [0]; i++) {
        kulak_record_t *r = tag (themed [i][0]);
        CHECK (has_theme (r, themed [i][1]));
        kulak_record_destroy (&r);
    }
    CHECK (label_of ("Nothing works better than a cold shower") != KULAK_LABEL_NEG);
    /* the same words negated or about something else */
    CHECK (label_of ("The issue is not fixed yet") != KULAK_LABEL_POS);
    CHECK (label_of ("The issue is fixed now, thanks") == KULAK_LABEL_POS);
    CHECK (label_of ("Prices have gone down this year") != KULAK_LABEL_NEG);
    /* a "no" that negates a complaint word is not a complaint of its own */
    const char *denied [] = { "No long wait at all, in and out in five minutes",
                              "No delay this time" };
    CHECK (lexicon_misses (denied, 2, 1, 0, -1) == 0);
    CHECK (label_of (denied [0]) != KULAK_LABEL_NEG);
    /* a loyal customer let down; a fault fixed is praise */
    CHECK (label_of ("I have been a loyal customer for 10 years and this is how you treat me")
           == KULAK_LABEL_NEG);
    CHECK (label_of ("The engineer fixed the fault in ten minutes, brilliant") == KULAK_LABEL_POS);
}

/* The account a tweet is addressed to says nothing: "@united" is not "united" (+1.8),
   "@comcastcares" not "cares", "@AmazonHelp" not "help". */
TEST (test_handles_carry_no_sentiment)
{
    const char *complaints [] = { "@united flight delayed 3 hours again",
                                  "@comcastcares no internet since monday",
                                  "@AmazonHelp where is my package" };
    for (size_t i = 0; i < sizeof complaints / sizeof complaints [0]; i++) {
        kulak_record_t *r = tag (complaints [i]);
        CHECK (r->label == KULAK_LABEL_NEG);
        CHECK (r->complaint);
        for (size_t k = 0; k < r->sentiment_evidence_count; k++)
            CHECK (r->sentiment_evidence [k].weight < 0);
        kulak_record_destroy (&r);
    }
    CHECK (label_of ("@united can I change my flight online?") == KULAK_LABEL_NEU);
    CHECK (label_of ("thanks @united, great crew") == KULAK_LABEL_POS);
}

/* A plain question is no complaint; a question with a complaint in it still is. */
TEST (test_questions)
{
    const char *asking [] = { "Bu hafta sonu mağaza açık mı?", "magaza pazar gunu acik mi",
                              "Is the store on High Street open on Sunday?" };
    for (size_t i = 0; i < sizeof asking / sizeof asking [0]; i++) {
        kulak_record_t *r = tag (asking [i]);
        CHECK (r->label == KULAK_LABEL_NEU);
        CHECK (!r->complaint);
        kulak_record_destroy (&r);
    }
    CHECK (label_of ("Siparişim neden hala gelmedi?") == KULAK_LABEL_NEG);
    kulak_record_t *q = tag ("Siparişim neden hala gelmedi?");
    CHECK (q->sentiment < 0);                  /* the score agrees with the label */
    kulak_record_destroy (&q);
    CHECK (label_of ("Why is my order still not here?") == KULAK_LABEL_NEG);
    CHECK (label_of ("My parcel hasn't arrived") == KULAK_LABEL_NEG);
    /* a request asks, even with a theme or a praise word in it ("free") */
    const char *requests [] = { "@united can I change my seat online?",
                                "Is there a program to get a free energy audit?",
                                "online check-in'den sonra koltuk değiştirebilir miyim?",
                                "Hesap dökümünü şubeden alabilir miyim?",
                                "iade alabilir miiiyim" };                 /* drawn out */
    for (size_t i = 0; i < sizeof requests / sizeof requests [0]; i++)
        CHECK (label_of (requests [i]) == KULAK_LABEL_NEU);
    /* not when the lexicon says more, or the question is not a request */
    CHECK (label_of ("Can I get a refund for this disgusting meal?") == KULAK_LABEL_NEG);
    CHECK (label_of ("Do you even care about your customers?") == KULAK_LABEL_NEG);
    /* a rhetorical question with no sentiment word is left to the model, not made neutral */
    CHECK (label_of ("Kredi kartı başvurumu reddettiniz, neden?") == KULAK_LABEL_NEG);
    CHECK (label_of ("Would love to meet up. What time works for you?") == KULAK_LABEL_POS);
    CHECK (label_of ("Bu kadar rezil bir hizmeti nasıl verebiliyorsunuz?") == KULAK_LABEL_NEG);
    CHECK (label_of ("Why is the app so slow and buggy?") == KULAK_LABEL_NEG);
}

/* A survey's non-answer alone is neutral and no complaint, whatever the model learned from
   reviews ("yorum yok" had been a complaint); with a verdict beside it, the verdict counts. */
TEST (test_survey_non_answers)
{
    const char *none [] = { "yorum yok", "Eklemek istediğim bir şey yok.", "bilmiyorum",
                            "tamam", "bir sey yok", "bilmem", "no comment", "Nothing to add", "n/a",
                            "I don't know" };
    for (size_t i = 0; i < sizeof none / sizeof none [0]; i++) {
        kulak_record_t *r = tag (none [i]);
        if (r->label != KULAK_LABEL_NEU || r->complaint)
            printf ("  \"%s\": %s\n", none [i], kulak_label_name (r->label));
        CHECK (r->label == KULAK_LABEL_NEU && !r->complaint);
        kulak_record_destroy (&r);
    }
    CHECK (label_of ("yorum yok, rezalet") == KULAK_LABEL_NEG);
    /* words of valence-0 guard entries are no non-answer: "please improve it" */
    kulak_record_t *r = tag ("Lütfen iyileştirin");
    CHECK (r->complaint);
    kulak_record_destroy (&r);
    CHECK (label_of ("no comment, the service was terrible") == KULAK_LABEL_NEG);
}

/* A text the detector has no clue about goes to the language whose lexicons know it,
   whatever the default; one that both or neither know goes by its spelling (two English
   clues at least), else keeps the default, and so does one with as many clues for each
   language. Emoji and emoticons are in both languages'
   lexicons: they decide nothing ("Hanoi :-(" went to English while only the English
   lexicon had emoticons). */
TEST (test_language_of_clueless_texts)
{
    struct { const char *text; kulak_lang_t fallback, lang; } cases [] = {
        { "absolute shambles", KULAK_LANG_TR, KULAK_LANG_EN },
        { "felaket", KULAK_LANG_EN, KULAK_LANG_TR },
        { "vasat", KULAK_LANG_EN, KULAK_LANG_TR },
        { "👍👍", KULAK_LANG_TR, KULAK_LANG_TR },
        { "👍👍", KULAK_LANG_EN, KULAK_LANG_EN },
        { "Hanoi :-(", KULAK_LANG_TR, KULAK_LANG_TR },
        { "Hanoi :-(", KULAK_LANG_EN, KULAK_LANG_EN },
        { "bu film on kere izlenir", KULAK_LANG_EN, KULAK_LANG_TR },   /* a tie of clues */
        /* no lexicon word either: the spelling decides, or else the default */
        { "Stormy weather", KULAK_LANG_TR, KULAK_LANG_EN },
        { "quirky?", KULAK_LANG_TR, KULAK_LANG_EN },
        { "Hanoi", KULAK_LANG_TR, KULAK_LANG_TR },
        { "Hanoi", KULAK_LANG_EN, KULAK_LANG_EN },
        /* not acronyms, masks or names: "THY" has a "th", "[phone]" a "ph" */
        { "THY ucusu", KULAK_LANG_TR, KULAK_LANG_TR },
        { "0532 111 22 33", KULAK_LANG_TR, KULAK_LANG_TR },
        { "tek kelimeyle quentin tarantino", KULAK_LANG_TR, KULAK_LANG_TR },
        { "ayyy", KULAK_LANG_TR, KULAK_LANG_TR },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases [0]; i++) {
        kulak_record_t *r = kulak_record_new ();
        r->text = kulak_strdup (cases [i].text);
        kulak_normalize (r, cases [i].fallback);
        CHECK (r->lang_guessed);
        kulak_tagger_tag (s_tagger, r);
        CHECK (r->lang == cases [i].lang);
        kulak_record_destroy (&r);
    }
    kulak_record_t *r = tag ("absolute shambles");
    CHECK (r->label == KULAK_LABEL_NEG);
    kulak_record_destroy (&r);
}

/* Tagging hashes word and bigram features from their words' hashes; the model file keeps
   names. Every feature must hash as its name does, or the model would not find it: also a
   bigram with an emoticon that holds the '|' bigram names are split at, and words too long
   for a name (left out alike, however the feature is hashed). */
/* A short quoted span gives the model a feature of its own ("quote"): in messages to a
   company, "in stock" and "gigabit" in quotes are doubt, whatever the words. */
static bool
has_feature (const char *text, kulak_lang_t lang, const char *name)
{
    kulak_features_t features = { .keep_names = true };
    kulak_tagger_features (s_tagger, text, lang, &features);
    bool found = false;
    for (size_t i = 0; i < features.count && !found; i++)
        found = strcmp (features.names [i], name) == 0;
    kulak_features_free (&features);
    return found;
}

TEST (test_quote_feature)
{
    CHECK (has_feature ("this is the speed I get on \"gigabit\"", KULAK_LANG_EN, "quote"));
    CHECK (has_feature ("“stokta var” yazıyordu", KULAK_LANG_TR, "quote"));
    CHECK (!has_feature ("this is the speed I get on gigabit", KULAK_LANG_EN, "quote"));
}

TEST (test_feature_hashes_and_places_match_their_names)
{
    char long_words [600];               /* "w:" and 253 letters: 255 bytes, the longest name */
    size_t at = 0;
    for (size_t len = 253; len <= 254; len++) {
        for (size_t k = 0; k < len; k++)
            long_words [at++] = "abcdefghijklmnopqrstuvwxyz" [(k * 7) % 26];
        long_words [at++] = ' ';
    }
    strcpy (long_words + at, "ok but it works fine, thanks");
    struct { const char *text; kulak_lang_t lang; } cases [] = {
        { "Not bad :| but the 2 cables didn't fit :-||", KULAK_LANG_EN },
        { "Call me at [phone], sooo slow!!! see https://example.com", KULAK_LANG_EN },
        { "Kargo üç gündür gelmedi, hiç memnun değilim", KULAK_LANG_TR },
        { "|: kargo =| geldi |-o ama", KULAK_LANG_TR },
        { long_words, KULAK_LANG_EN },
    };
    bool split_bar = false;
    size_t longest = 0;
    bool placed_first_word = false;
    for (size_t c = 0; c < sizeof cases / sizeof cases [0]; c++) {
        kulak_features_t features = { .keep_names = true };
        kulak_tagger_features (s_tagger, cases [c].text, cases [c].lang, &features);
        CHECK (features.count > 10);
        for (size_t i = 0; i < features.count; i++) {
            CHECK (features.items [i].hash == kulak_feature_hash (features.names [i]));
            /* its place: one token for a word or root, two for a bigram, a lexicon entry's
               own, and none for the whole text's */
            const char *name = features.names [i];
            uint16_t first = features.items [i].first, last = features.items [i].last;
            if (!strncmp (name, "w:", 2) || !strncmp (name, "w~:", 3) || !strncmp (name, "p:", 2))
                CHECK (first == last && first != KULAK_FEATURE_NOWHERE);
            else if (!strncmp (name, "b:", 2))
                CHECK (last == first + 1);
            else if (!strncmp (name, "L:", 2) || !strncmp (name, "L~:", 3))
                CHECK (first <= last && last != KULAK_FEATURE_NOWHERE);
            else
                CHECK (first == KULAK_FEATURE_NOWHERE && last == KULAK_FEATURE_NOWHERE);
            placed_first_word = placed_first_word || (first == 0 && !strncmp (name, "w:", 2));
            const char *bar = strchr (features.names [i], '|');
            split_bar = split_bar || (bar && strchr (bar + 1, '|'));
            if (strlen (features.names [i]) > longest)
                longest = strlen (features.names [i]);
        }
        kulak_features_free (&features);
    }
    CHECK (split_bar);                   /* the cases above were really tried */
    CHECK (placed_first_word);
    CHECK (longest == 255);
}

/* The rules' score of a text in a language (detection is tested elsewhere). */
static double
rules_score (const char *text, kulak_lang_t lang, kulak_label_t *label)
{
    kulak_record_t *record = kulak_record_new ();
    record->text = kulak_strdup (text);
    record->lang = lang;
    kulak_normalize (record, lang);
    kulak_tagger_tag (s_rules, record);
    double score = record->sentiment;
    if (label)
        *label = record->label;
    kulak_record_destroy (&record);
    return score;
}

/* Turkish praise right before a verb negated by its suffix is what did not happen: the
   lexicon rules read these as complaints (they had summed to praise or to nothing). */
TEST (test_turkish_negated_verb_denies_praise)
{
    const char *denied [] = { "Kargo zamanında gelmedi", "Ürün iyi paketlenmedi",
                              "Makine düzgün çalışmıyor", "Siparişim zamanında teslim edilmedi",
                              "Temsilci doğru düzgün cevap vermedi",
                              "urun saglam gelmedi" };
    for (size_t i = 0; i < sizeof denied / sizeof denied [0]; i++) {
        kulak_label_t label;
        double score = rules_score (denied [i], KULAK_LANG_TR, &label);
        if (score >= 0 || label != KULAK_LABEL_NEG)
            fprintf (stderr, "  \"%s\": %.2f\n", denied [i], score);
        CHECK (score < 0 && label == KULAK_LABEL_NEG);
    }
    /* not across a comma or a contrast word, not a noun that only ends so ("komedi"): the
       praise keeps its sign */
    const char *kept [] = { "Çok güzel, hiç bozulmadı", "Kaliteli ürün ama kargo gelmedi",
                            "Harika komedi", "Çok lezzetli inanılmaz",
                            "Ürün sağlam kırılmamış", "Temiz kullanılmamış geldi",
                            "Kargo hızlı gecikmedi" };
    CHECK (lexicon_misses (kept, sizeof kept / sizeof kept [0], 1, 0, -1) == 0);
    /* not praise one did not expect: surprise is praise */
    CHECK (rules_score ("Bu kadar hızlı beklemiyordum", KULAK_LANG_TR, NULL) > 0);
    /* a repair done is praise, one not done a complaint */
    CHECK (rules_score ("Patlayan boruyu 2 saatte tamir ettiler", KULAK_LANG_TR, NULL) > 0);
    CHECK (rules_score ("Servis üç kez geldi, tamir edemedi", KULAK_LANG_TR, NULL) < 0);
}

/* Praise in scare quotes is irony, in both languages. */
TEST (test_scare_quotes)
{
    const char *texts [] = { "Refund \"approved\" on 2 August, not in my account yet",
                             "Our “friendly” host ignored every message",
                             "Paketim “sağlam” geldi, kutu ezik" };
    for (size_t i = 0; i < sizeof texts / sizeof texts [0]; i++)
        CHECK (rules_score (texts [i], i < 2 ? KULAK_LANG_EN : KULAK_LANG_TR, NULL) < 0);
    /* unquoted, the same words praise */
    CHECK (rules_score ("Refund approved on 2 August", KULAK_LANG_EN, NULL) > 0);
}

/* Emoji and emoticons count in both languages: a Turkish ":(" is a frown too. */
TEST (test_emoji)
{
    CHECK (label_of ("Kargo erken geldi 👍👍") == KULAK_LABEL_POS);
    CHECK (label_of ("Siparişim yine gelmedi 😡") == KULAK_LABEL_NEG);
    CHECK (label_of ("Siparişim bugün geldi :(") == KULAK_LABEL_NEG);
    CHECK (label_of ("kargo geldi :D") == KULAK_LABEL_POS);
    kulak_label_t label;
    CHECK (rules_score ("Siparişim bugün geldi :)", KULAK_LANG_TR, &label) > 0.2
           && label == KULAK_LABEL_POS);
    CHECK (rules_score ("Müşteri hizmetleri aradı :-(", KULAK_LANG_TR, &label) < -0.2
           && label == KULAK_LABEL_NEG);
    CHECK (rules_score ("Paket açıldı <3", KULAK_LANG_TR, NULL) > 0.2);
}

/* The rules alone, without a model: emoticons in any case, "no no no", "not A or B". */
TEST (test_lexicon_rules_without_a_model)
{
    struct { const char *text; kulak_label_t label; } cases [] = {
        { "I was watching the match :-P", KULAK_LABEL_POS },    /* ":-p" in the lexicon */
        { "Must wake up early tomorrow :S", KULAK_LABEL_NEG },
        { "NO NO NO NO", KULAK_LABEL_NEG },                     /* repeated, not flipped */
        { "The menu is not confusing to use or slow", KULAK_LABEL_POS },
        { "The menu is confusing to use and slow", KULAK_LABEL_NEG },
        { "the app doesnt work since the update", KULAK_LABEL_NEG },   /* "does not work" */
        { "the app isnt bad", KULAK_LABEL_POS },
        { "I will never buy this again", KULAK_LABEL_NEG },     /* skipped by "will buy again" */
        { "I will buy this again", KULAK_LABEL_POS },
        { "I have never been so disappointed", KULAK_LABEL_NEG },     /* emphasis */
        { "never had such a great experience", KULAK_LABEL_POS },
        { "I never liked this phone", KULAK_LABEL_NEG },        /* "this" after the word */
        { "honestly it is garbage", KULAK_LABEL_NEG },          /* product verdicts */
        { "a decent phone for the price", KULAK_LABEL_POS },
        { "the charger didnt last a week", KULAK_LABEL_NEG },
        { "Though the price is great, the quality is poor", KULAK_LABEL_NEG },  /* concession */
        { "The wait was ridiculous, even though the staff were friendly", KULAK_LABEL_NEG },
        { "hahahaha the new app is out", KULAK_LABEL_POS },     /* laughter however typed */
        { "@support ahahahah", KULAK_LABEL_POS },
        { "lovin the new app", KULAK_LABEL_POS },               /* "loving" without its g */
        { "Robin called me back", KULAK_LABEL_NEU },            /* a name, not "robing" */
        { "so freaking good", KULAK_LABEL_POS },                /* an intensifier here, */
        { "freaking out about the bill", KULAK_LABEL_NEG },     /* and not here */
        /* an expectation not met: the praise after "could have" is what was missing */
        { "they could have thrown in nice headphones", KULAK_LABEL_NEG },
        { "they could at least put in a good pair of earphones", KULAK_LABEL_NEG },
        { "it should have been better", KULAK_LABEL_NEG },
        { "I wish the app was easier to use", KULAK_LABEL_NEG },
        { "nobody could have done a better job", KULAK_LABEL_POS },     /* negated: praise */
        { "he could not have thrown that ball any better", KULAK_LABEL_POS },
        { "I would not have bought it, it is bad", KULAK_LABEL_NEG },   /* "not" still counts */
        { "i wish you all the best", KULAK_LABEL_POS },
        { "I would have to say it is great", KULAK_LABEL_POS },  /* an obligation, no wish */
        { "nothing but problems since the update", KULAK_LABEL_NEG },   /* "but" undoes */
        { "nothing but praise for the staff", KULAK_LABEL_POS },
        /* "nothing but" is the two words together; "nothing X but" keeps its negation */
        { "nothing was good but the room", KULAK_LABEL_NEG },
        { "nothing is fine but the staff", KULAK_LABEL_NEG },
        /* bare praise answering a complaint is sarcasm; praise of something is not */
        { "waited 40 min in branch to be told the system is down. brilliant", KULAK_LABEL_NEG },
        { "flight delayed 4 hrs and not one update at the gate. cool cool cool",
          KULAK_LABEL_NEG },
        { "Parcel lost again. Nice one", KULAK_LABEL_NEG },
        { "Charged twice for one order. How generous", KULAK_LABEL_NEG },
        { "Delivery was late. Great product!", KULAK_LABEL_POS },
        { "Delivery was slow. Lovely staff.", KULAK_LABEL_POS },
        { "They resolved my complaint quickly. Great.", KULAK_LABEL_POS },  /* praise before */
        { "No more dropped calls. Great job.", KULAK_LABEL_POS },  /* "No" is no complaint */
        /* only right after the complaint: a sentence between tells what happened since */
        { "Was worried it would be late. It was not. Great.", KULAK_LABEL_POS },
        { "Last month my delivery was late. This time it came the next morning. Great.",
          KULAK_LABEL_POS },
        /* bare praise opening a text to answer the complaint after it, too */
        { "great, another delay", KULAK_LABEL_NEG },
        { "Oh great. My flight is cancelled again.", KULAK_LABEL_NEG },
        { "nice, the app crashed again", KULAK_LABEL_NEG },
        { "Great, no problems at all", KULAK_LABEL_POS },       /* no complaint after it */
        { "Perfect, thank you", KULAK_LABEL_POS },
        { "Great service, slow delivery", KULAK_LABEL_POS },    /* praise of something */
        { "Great! Arrived a day early", KULAK_LABEL_POS },      /* '!' cheers */
        /* "love how/that ..." opening a complaint alone in its sentence */
        { "really love how you make me verify my identity 4 times and then can't help",
          KULAK_LABEL_NEG },
        { "gotta love when the app crashes mid payment", KULAK_LABEL_NEG },
        { "I love that you fixed it so fast", KULAK_LABEL_POS },
        { "love how my dog sleeps all day", KULAK_LABEL_POS },
        /* ... in its clause: a complaint in the next clause is about something else */
        { "Love how quiet it is, the old one was so noisy.", KULAK_LABEL_POS },
        { "Love how the battery lasts forever, my last phone died in a day.", KULAK_LABEL_POS },
        { "app won't open and my card keeps being declined", KULAK_LABEL_NEG },
        { "the driver carried my shopping up 4 floors. legend", KULAK_LABEL_POS },
        { "the crew were incredible. hats off", KULAK_LABEL_POS },
        /* what is missing, or how often, says the complaint */
        { "day 4 without my bag", KULAK_LABEL_NEG },
        { "delivery rescheduled for the 4th time", KULAK_LABEL_NEG },
        { "no electricity since 2pm", KULAK_LABEL_NEG },
        { "cancelled in august and still being billed", KULAK_LABEL_NEG },
        /* "like" that compares is no liking */
        { "the room smells like an ashtray", KULAK_LABEL_NEU },
        { "streaming in like 480p", KULAK_LABEL_NEU },
        { "I like the new app", KULAK_LABEL_POS },
        /* a thing's name, a polite request: no praise */
        { "the smart meter was installed today", KULAK_LABEL_NEU },
        { "would appreciate a call back about my bill", KULAK_LABEL_NEU },
        /* survey answers: a wish is a complaint, a thanks beyond words is praise */
        { "would be good if the wifi actually reached the rooms", KULAK_LABEL_NEG },
        { "please add an export to excel, copying everything by hand takes forever",
          KULAK_LABEL_NEG },
        { "not a single complaint", KULAK_LABEL_POS },
        { "Can't thank them enough", KULAK_LABEL_POS },
        /* "fix the" and "fix your" complain as an imperative, not in "to fix the" */
        { "fix the roads", KULAK_LABEL_NEG },
        { "an engineer is coming on Monday to fix the line", KULAK_LABEL_NEU },
        { "they fix your boiler the same day", KULAK_LABEL_NEU },
        { "nobody answers the phone", KULAK_LABEL_NEG },
        { "the pizza arrived cold", KULAK_LABEL_NEG },
        { "claim took 5 months", KULAK_LABEL_NEG },                /* how long, the gap */
        { "waited 3 hours past my appointment time", KULAK_LABEL_NEG },
        { "bit of a learning curve but now i cant live without it", KULAK_LABEL_POS },
        /* customer-service idioms */
        { "900mbps on speedtest, not complaining", KULAK_LABEL_POS },
        { "never flying with you again tbh", KULAK_LABEL_NEG },
        { "had to chase them six times for a letter", KULAK_LABEL_NEG },
        { "fees are too high", KULAK_LABEL_NEG },
        /* thanks and praise for a harm are irony */
        { "thanks for ruining my holiday", KULAK_LABEL_NEG },
        { "Great job losing my package", KULAK_LABEL_NEG },
        { "thanks for cancelling the duplicate payment so quickly", KULAK_LABEL_POS },
        /* what did not happen, typed fast */
        { "cant login since yesterday", KULAK_LABEL_NEG },
        { "didnt receive my order", KULAK_LABEL_NEG },
        { "It never arrived late once", KULAK_LABEL_POS },
        /* an agent's note closing a case */
        { "Customer satisfied with resolution, no further action.", KULAK_LABEL_POS },
        { "No further action, case closed.", KULAK_LABEL_NEU },
        /* a question that complains */
        { "Why does it take 10 working days to transfer an ISA?", KULAK_LABEL_NEG },
        { "why do I have to call three times for a refund?", KULAK_LABEL_NEG },
        { "Is anybody actually reading the orders?", KULAK_LABEL_NEG },
        { "great service 🙃", KULAK_LABEL_NEG },                /* the upside-down face */
        { "terrible service 🙃", KULAK_LABEL_NEG },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases [0]; i++) {
        kulak_label_t label;
        rules_score (cases [i].text, KULAK_LANG_EN, &label);
        if (label != cases [i].label)
            printf ("  \"%s\": %s\n", cases [i].text, kulak_label_name (label));
        CHECK (label == cases [i].label);
    }
    /* arrived late and not told, as "geç geldi" and "haber vermedi" */
    CHECK (rules_score ("hediye geç ulaştı", KULAK_LANG_TR, NULL) < 0);
    CHECK (rules_score ("kapalı olacağınızı bildirmediniz", KULAK_LANG_TR, NULL) < 0);
    /* a question that complains, and one that wonders */
    CHECK (rules_score ("Neden bu kadar uzun sürüyor?", KULAK_LANG_TR, NULL) < 0);
    CHECK (rules_score ("Neden şubeye gitmek zorundayım?", KULAK_LANG_TR, NULL) < 0);
    CHECK (rules_score ("Neden bu kadar güzel?", KULAK_LANG_TR, NULL) > 0);
    /* "keşke" (if only) is unmet too, and a complaint after it stays one */
    CHECK (rules_score ("keşke kargo daha hızlı olsaydı", KULAK_LANG_TR, NULL) < 0);
    CHECK (rules_score ("keşke bu kadar yavaş olmasaydı", KULAK_LANG_TR, NULL) < 0);
    /* it flips no complaint, so it keeps its own valence: more negative than without it */
    CHECK (rules_score ("keşke bu kadar yavaş olmasaydı", KULAK_LANG_TR, NULL)
           < rules_score ("bu kadar yavaş olmasaydı", KULAK_LANG_TR, NULL));
    CHECK (rules_score ("keşke hiç almasaydım berbat", KULAK_LANG_TR, NULL)
           < rules_score ("hiç almasaydım berbat", KULAK_LANG_TR, NULL));
    /* the complaint after an opening is the next sentence, not one 65536 sentences on
       (16-bit sentence indexes wrap) */
    kulak_buf_t buf;
    kulak_buf_init (&buf);
    kulak_buf_printf (&buf, "Great. ");
    for (int i = 0; i < 65536; i++)
        kulak_buf_printf (&buf, "x. ");
    kulak_buf_printf (&buf, "delayed again.");
    char *long_text = kulak_buf_take (&buf);
    CHECK (rules_score (long_text, KULAK_LANG_EN, NULL) > 0);
    free (long_text);
    /* sarcasm in Turkish: praise marked interjection before or after a complaint alone */
    CHECK (rules_score ("harika, yine iptal", KULAK_LANG_TR, NULL) < 0);
    CHECK (rules_score ("Ne güzel, 3 saattir bekliyorum", KULAK_LANG_TR, NULL) < 0);
    CHECK (rules_score ("Kargo yine gecikti. Süper.", KULAK_LANG_TR, NULL) < 0);
    CHECK (rules_score ("bravo, yine internet yok", KULAK_LANG_TR, NULL) < 0);
    CHECK (rules_score ("Harika, çok teşekkürler", KULAK_LANG_TR, NULL) > 0);
    CHECK (rules_score ("Süper, kargo bir günde geldi", KULAK_LANG_TR, NULL) > 0);
    /* a fault fixed is praise, also typed without ğ; not fixed is a complaint */
    CHECK (rules_score ("guncellemeden sonra sorun duzeldi, saolun", KULAK_LANG_TR, NULL) > 0);
    CHECK (rules_score ("arıza aynı gün giderildi", KULAK_LANG_TR, NULL) > 0);
    CHECK (rules_score ("internet hala düzelmedi", KULAK_LANG_TR, NULL) < 0);
    /* Turkish survey answers and complaint-site phrases */
    CHECK (rules_score ("soguk geldi, pide hamur gibiydi", KULAK_LANG_TR, NULL) < 0);
    CHECK (rules_score ("hastaneyi arayınca da açan yok", KULAK_LANG_TR, NULL) < 0);
    CHECK (rules_score ("Abonelik iptal edilemiyor", KULAK_LANG_TR, NULL) < 0);
    CHECK (rules_score ("fatura cok yuksek geliyor", KULAK_LANG_TR, NULL) < 0);
    CHECK (rules_score ("bina eski ama hocalar gerçekten işini biliyor", KULAK_LANG_TR, NULL)
           > 0);
    /* "bir şey yok" after a fault says nothing was wrong */
    CHECK (rules_score ("şikayet edecek bir şey yok, teşekkürler", KULAK_LANG_TR, NULL) > 0);
    CHECK (rules_score ("beğenmediğim bir şey yok", KULAK_LANG_TR, NULL) > 0);
    /* Turkish typed as spoken: "açılmıyo" is "açılmıyor" */
    CHECK (rules_score ("uygulama açılmıyo", KULAK_LANG_TR, NULL) < 0);
    CHECK (rules_score ("valla bi daha almam", KULAK_LANG_TR, NULL) < 0);
    CHECK (rules_score ("müşteri hizmetlerine ulaşamıyom", KULAK_LANG_TR, NULL) < 0);
    CHECK (rules_score ("ürünü hiç beğenmiyom", KULAK_LANG_TR, NULL) < 0);   /* negated too */
    CHECK (rules_score ("begenmiyodum ama simdi seviyorum", KULAK_LANG_TR, NULL) > 0);
    /* Turkish customer-service idioms */
    CHECK (rules_score ("destekteki arkadaş çok yardımcıydı", KULAK_LANG_TR, NULL) > 0);
    CHECK (rules_score ("hayat kurtardınız", KULAK_LANG_TR, NULL) > 0);
    CHECK (rules_score ("eksi bakiyeye 150 TL ücret mi? ciddi misiniz", KULAK_LANG_TR, NULL) < 0);
}

/* Emphasis makes a verdict stronger, never flips it: intensifiers, elongation, capitals
   in a mixed-case text, '!'; a contrast word makes the later clause weigh more. */
TEST (test_emphasis_strengthens)
{
    struct { const char *plain, *stronger; kulak_lang_t lang; } pairs [] = {
        { "ürün güzel", "ürün çok güzel", KULAK_LANG_TR },
        { "ürün kötü", "ürün aşırı kötü", KULAK_LANG_TR },
        { "hizmet iyi", "hizmet gerçekten iyi", KULAK_LANG_TR },
        { "ürün güzel", "ürün çoook güzel", KULAK_LANG_TR },
        { "kargo berbat", "kargo BERBAT", KULAK_LANG_TR },
        { "kargo berbat", "kargo berbat!!", KULAK_LANG_TR },
        { "the app is good", "the app is sooo good", KULAK_LANG_EN },
        { "the app is good", "the app is really good", KULAK_LANG_EN },
        { "support was bad", "support was BAD", KULAK_LANG_EN },
        { "support was bad", "support was extremely bad", KULAK_LANG_EN },
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs [0]; i++) {
        double plain = rules_score (pairs [i].plain, pairs [i].lang, NULL);
        double stronger = rules_score (pairs [i].stronger, pairs [i].lang, NULL);
        if (!(fabs (stronger) > fabs (plain) && stronger * plain > 0))
            printf ("  \"%s\" %.3f vs \"%s\" %.3f\n", pairs [i].plain, plain,
                    pairs [i].stronger, stronger);
        CHECK (fabs (stronger) > fabs (plain) && stronger * plain > 0);
    }
    /* the same two verdicts, in either order around the contrast word: the later wins */
    CHECK (rules_score ("ürün güzel ama kargo kötü", KULAK_LANG_TR, NULL) < 0);
    CHECK (rules_score ("kargo kötü ama ürün güzel", KULAK_LANG_TR, NULL) > 0);
    CHECK (rules_score ("the screen is nice, however the battery is bad", KULAK_LANG_EN, NULL) < 0);
    CHECK (rules_score ("the battery is bad, however the screen is nice", KULAK_LANG_EN, NULL) > 0);
    CHECK (rules_score ("ürün güzel fakat pahalı", KULAK_LANG_TR, NULL)
           < rules_score ("ürün güzel", KULAK_LANG_TR, NULL));
}

TEST (test_evidence_offsets_point_into_the_text)
{
    kulak_record_t *r = tag ("Çağrı merkezinde 40 dakika bekledim, sonra hat kapandı.");
    CHECK (r->theme_count > 0);
    for (size_t t = 0; t < r->theme_count; t++)
        for (size_t e = 0; e < r->themes [t].evidence_count; e++) {
            const kulak_evidence_t *ev = &r->themes [t].evidence [e];
            /* code point offsets: walk the text to them */
            const char *p = r->norm_text;
            for (uint32_t cp = 0; cp < ev->start && *p; cp++) {
                p++;
                while (((uint8_t) *p & 0xC0) == 0x80)
                    p++;
            }
            CHECK (strncmp (p, ev->word, strlen (ev->word)) == 0);
        }
    kulak_record_destroy (&r);
}

/* Every labelled fixture row typed again without Turkish letters: the labels and themes
   must (almost always) stay the same. */
TEST (test_fixture_without_turkish_letters_tags_alike)
{
    char *err = NULL;
    char *data = kulak_read_file ("tests/fixtures/tagging_tr.tsv", NULL, &err);
    CHECK (data != NULL);
    if (!data)
        return;
    static const char *from [] = { "ç", "ğ", "ı", "ö", "ş", "ü", "Ç", "Ğ", "İ", "Ö", "Ş", "Ü" };
    static const char *to [] = { "c", "g", "i", "o", "s", "u", "C", "G", "I", "O", "S", "U" };
    int rows = 0, same_label = 0, same_themes = 0;
    char *save = NULL;
    for (char *line = strtok_r (data, "\n", &save); line; line = strtok_r (NULL, "\n", &save)) {
        char *text = strchr (line, '\t') ? strchr (strchr (line, '\t') + 1, '\t') : NULL;
        if (!text || strncmp (line, "id\t", 3) == 0)
            continue;
        text++;
        char *tab = strchr (text, '\t');
        if (tab)
            *tab = 0;
        kulak_buf_t ascii;
        kulak_buf_init (&ascii);
        for (const char *p = text; *p;) {
            size_t k;
            for (k = 0; k < 12; k++)
                if (strncmp (p, from [k], strlen (from [k])) == 0)
                    break;
            if (k < 12) {
                kulak_buf_puts (&ascii, to [k]);
                p += strlen (from [k]);
            }
            else
                kulak_buf_putc (&ascii, *p++);
        }
        kulak_record_t *a = tag (text), *b = tag (ascii.data);
        rows++;
        same_label += a->label == b->label;
        bool themes = a->theme_count == b->theme_count;
        for (size_t t = 0; themes && t < a->theme_count; t++)
            themes = has_theme (b, a->themes [t].theme);
        same_themes += themes;
        kulak_record_destroy (&a);
        kulak_record_destroy (&b);
        kulak_buf_free (&ascii);
    }
    free (data);
    CHECK (rows >= 50);
    CHECK (same_label * 100 >= rows * 90);
    CHECK (same_themes * 100 >= rows * 90);
}

/* A metric of `kulak eval --json` and the least it may be. */
typedef struct {
    const char *key;
    double floor;
} floor_t;

/* `kulak eval --json` of the files: each file's line holds every metric at its floor or
   above (a missing metric fails too), and there is one line a file. */
static void
check_floors (char **files, size_t count, const floor_t *floors, size_t floor_count)
{
    kulak_eval_options_t options = { .json = true };
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream (&text, &len);
    CHECK (kulak_eval (s_tagger, files, count, &options, out) == 0);
    fclose (out);
    size_t lines = 0;
    char *save = NULL;
    for (char *line = strtok_r (text, "\n", &save); line; line = strtok_r (NULL, "\n", &save)) {
        lines++;
        for (size_t f = 0; f < floor_count; f++) {
            char key [64];
            snprintf (key, sizeof key, "\"%s\":", floors [f].key);
            const char *at = strstr (line, key);
            double value = at ? atof (at + strlen (key)) : -1;
            if (value < floors [f].floor)
                printf ("  %.60s...: %s %.3f, floor %.2f\n", line, floors [f].key, value,
                        floors [f].floor);
            CHECK (value >= floors [f].floor);
        }
    }
    CHECK (lines == count);
    free (text);
}

/* Floors on the hand-labelled fixtures (written for kulak, not used to build lexicons). */
TEST (test_fixture_scores_stay_above_floors)
{
    char *files [] = { "tests/fixtures/tagging_tr.tsv", "tests/fixtures/tagging_en.tsv" };
    const floor_t floors [] = {
        { "accuracy", 0.75 }, { "theme_recall", 0.75 }, { "theme_precision", 0.70 },
    };
    check_floors (files, 2, floors, sizeof floors / sizeof floors [0]);
}

/* The customer-service sets written for kulak (bench/cx): 3-class macro-F1 stays above
   0.70 in both languages (English 0.774, Turkish 0.737 when this floor was set; VADER 0.537
   on the English one), so a change that helps the dev sets but hurts this text fails. */
TEST (test_customer_service_sets_stay_above_floors)
{
    char *files [] = { "bench/cx/en_cx/eval.tsv", "bench/cx/tr_cx/eval.tsv" };
    const floor_t floors [] = { { "macro_f1", 0.70 } };
    check_floors (files, 2, floors, 1);
}

/* A model is never scored on rows it was trained on: a part of its training file, with
   other line ends, is cross-validated; a file sharing a few rows has them left out. */
/* --errors lists the mistakes furthest from their gold label first: a confident flip, then
   a verdict the tagger missed (said neu), then a neutral row called mildly positive. */
TEST (test_eval_errors_worst_first)
{
    char path [] = "/tmp/kulak-test-errors-XXXXXX";
    int fd = mkstemp (path);
    CHECK (fd >= 0);
    FILE *tsv = fd >= 0 ? fdopen (fd, "w") : NULL;
    if (!tsv)
        return;
    fputs ("id\tlabel\ttext\n"
           "missed\tpos\tThe store opens at 9 on weekdays\n"
           "flip\tpos\tTerrible, awful, the worst service ever\n"
           "mild\tneu\tThe staff were nice\n", tsv);
    fclose (tsv);
    char *files [] = { path };
    kulak_eval_options_t eval_options = { .errors = 5 };
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream (&text, &len);
    CHECK (kulak_eval (s_tagger, files, 1, &eval_options, out) == 0);
    fclose (out);
    const char *flip = text ? strstr (text, "  flip gold pos, said neg") : NULL;
    const char *missed = text ? strstr (text, "  missed gold pos, said neu") : NULL;
    const char *mild = text ? strstr (text, "  mild gold neu, said pos") : NULL;
    CHECK (flip && missed && mild && flip < missed && missed < mild);
    free (text);
    unlink (path);
}

TEST (test_eval_never_scores_training_rows)
{
    char dir [] = "/tmp/kulak-test-eval-XXXXXX";
    CHECK (mkdtemp (dir) != NULL);
    char *model_path = kulak_sprintf ("%s/en.model", dir);
    char *part_path = kulak_sprintf ("%s/part.tsv", dir);
    char *mixed_path = kulak_sprintf ("%s/mixed\tcopy.tsv", dir);  /* a TAB in a path */
    char *train [] = { "tests/fixtures/tagging_en.tsv" };
    kulak_train_cli_options_t train_options = { .lang = KULAK_LANG_EN, .output = model_path,
                                                 .balance = 1 };
    CHECK (kulak_train_files (s_tagger, train, 1, &train_options) == 0);
    char *data = kulak_read_file ("tests/fixtures/tagging_en.tsv", NULL, NULL);
    FILE *part = fopen (part_path, "w"), *mixed = fopen (mixed_path, "w");
    CHECK (data && part && mixed);
    if (data && part && mixed) {
        int line = 0;
        char *save = NULL;
        fputs ("id\tlabel\ttext\n", mixed);
        for (char *l = strtok_r (data, "\n", &save); l; l = strtok_r (NULL, "\n", &save), line++) {
            if (line <= 60)
                fprintf (part, "%s\r\n", l);                      /* header + 60 rows, CRLF */
            if (line >= 1 && line <= 3) {                           /* 3 shared rows ... */
                char *tab = strchr (strchr (l, '\t') + 1, '\t');
                *strchr (tab + 1, '\t') = 0;
                fprintf (mixed, "m%d\tneg%s\n", line, tab);
            }
        }
        for (int i = 0; i < 5; i++)                                 /* ... and 5 new ones */
            fprintf (mixed, "n%d\tneg\tThe parcel never arrived and nobody answers %d\n", i, i);
        /* a row in another language, which no model scores here */
        fputs ("t1\tneg\tKargo üç gündür gelmedi, müşteriye ulaşamıyorum\n", mixed);
    }
    if (part)
        fclose (part);
    if (mixed)
        fclose (mixed);
    free (data);
    kulak_tagger_options_t options = { "lexicons", "none", model_path, NULL, NULL };
    char *err = NULL;
    kulak_tagger_t *tagger = kulak_tagger_new (&options, &err);
    CHECK (tagger != NULL);
    if (tagger) {
        char *files [] = { part_path, mixed_path };
        char *rows = NULL;
        size_t rows_len = 0;
        kulak_eval_options_t eval_options = { .json = true,
                                              .predictions = open_memstream (&rows, &rows_len) };
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream (&text, &len);
        CHECK (kulak_eval (tagger, files, 2, &eval_options, out) == 0);
        fclose (out);
        fclose (eval_options.predictions);
        /* --predictions: a line per row saying what scored it; the 3 rows that trained the
           model are marked, not passed off as scored */
        CHECK (rows && strncmp (rows, KULAK_EVAL_PREDICTIONS_HEADER,
                                strlen (KULAK_EVAL_PREDICTIONS_HEADER)) == 0);
        size_t by [4] = { 0 }, lines = 0, ragged = 0;
        const char *kinds [] = { "\tcv\n", "\ttraining\n", "\tmodel\n", "\tlexicon\n" };
        for (const char *l = rows, *end; l && (end = strchr (l, '\n')); l = end + 1) {
            lines++;
            size_t tabs = 0;
            for (const char *c = l; c < end; c++)
                tabs += *c == '\t';
            ragged += tabs != 6;                  /* seven fields, whatever the path holds */
            for (int k = 0; k < 4; k++)
                by [k] += (size_t) (end - l) >= strlen (kinds [k])
                          && strncmp (end - strlen (kinds [k]) + 1, kinds [k],
                                      strlen (kinds [k])) == 0;
        }
        CHECK (lines == 1 + 60 + 9);
        CHECK (ragged == 0);
        /* the Turkish row was scored by the lexicon: no Turkish model here */
        CHECK (by [0] == 60 && by [1] == 3 && by [2] == 5 && by [3] == 1);
        CHECK (rows && strstr (rows, "\tm1\tneg\t") != NULL);
        CHECK (rows && strstr (rows, "\tt1\tneg\t") != NULL);
        free (rows);
        char *second = text ? strchr (text, '\n') : NULL;
        CHECK (second != NULL);
        if (second) {
            *second++ = 0;
            CHECK (strstr (text, "\"method\":\"model, cross-validated\"") != NULL);
            CHECK (strstr (second, "\"left_out\":3") != NULL);
            CHECK (strstr (second, "\"scored\":6") != NULL);
        }
        free (text);
        kulak_tagger_destroy (&tagger);
    }
    free (err);
    unlink (model_path);
    unlink (part_path);
    unlink (mixed_path);
    rmdir (dir);
    free (model_path);
    free (part_path);
    free (mixed_path);
}

/* "FILE:W" counts a file's rows W times; the model file keeps the weight (eval re-trains
   with it) and the plain path; a weight that is no positive number is refused. `--seed`
   reaches the model file too. */
/* The own sections of the shipped sentiment lexicons: no phrase twice (the later line would
   silently win over the earlier, as "please add" 0.0 did over a guard; the `interjection`
   lines repeat earlier entries on purpose), and as many entries as lexicons/SOURCES says.
   English part 2 begins at its marker line; the Turkish own work ends at AFINN's section. */
static void
check_own_section (const char *path, const char *start, const char *end, const char *claim)
{
    char *data = kulak_read_file (path, NULL, NULL);
    char *sources = kulak_read_file ("lexicons/SOURCES", NULL, NULL);
    CHECK (data && sources);
    if (!data || !sources) {
        free (data);
        free (sources);
        return;
    }
    kulak_strmap_t *seen = kulak_strmap_new ();
    bool inside = start == NULL;
    size_t entries = 0;
    char *save = NULL;
    for (char *l = strtok_r (data, "\n", &save); l; l = strtok_r (NULL, "\n", &save)) {
        if (start && strncmp (l, start, strlen (start)) == 0)
            inside = true;
        if (end && strncmp (l, end, strlen (end)) == 0)
            inside = false;
        if (!inside || l [0] == '#' || strspn (l, " \t\r") == strlen (l))
            continue;
        entries++;
        if (strstr (l, "\tinterjection"))
            continue;
        size_t len = strcspn (l, "\t");
        if (kulak_strmap_get (seen, l, len)) {
            fprintf (stderr, "  %s: \"%.*s\" twice in the own entries\n", path, (int) len, l);
            CHECK (!"a phrase twice");
        }
        kulak_strmap_put (seen, l, len, "");
    }
    char *said = kulak_sprintf (claim, entries);
    if (!strstr (sources, said))
        fprintf (stderr, "  lexicons/SOURCES lacks \"%s\"\n", said);
    CHECK (strstr (sources, said) != NULL);
    free (said);
    kulak_strmap_destroy (&seen);
    free (data);
    free (sources);
}

TEST (test_own_lexicon_sections)
{
    check_own_section ("lexicons/en/sentiment.txt",
                       "# ---- Part 2: kulak customer-service additions ----", NULL,
                       "part 2, %zu entries");
    check_own_section ("lexicons/tr/sentiment.txt", NULL, "# AFINN-165 (Nielsen",
                       "every section except the last (%zu entries)");
}

TEST (test_train_file_weights)
{
    char dir [] = "/tmp/kulak-test-weights-XXXXXX";
    CHECK (mkdtemp (dir) != NULL);
    char *model_path = kulak_sprintf ("%s/en.model", dir);
    kulak_train_cli_options_t options = { .lang = KULAK_LANG_EN, .output = model_path,
                                          .balance = 0.75, .seed = 5 };
    char *weighted [] = { "tests/fixtures/tagging_en.tsv:0.5" };
    CHECK (kulak_train_files (s_tagger, weighted, 1, &options) == 0);
    char *err = NULL;
    kulak_model_t *model = kulak_model_load (model_path, &err);
    CHECK (model != NULL);
    if (model) {
        const kulak_model_source_t *source = kulak_model_source (model, 0);
        CHECK (source && strcmp (source->path, "tests/fixtures/tagging_en.tsv") == 0);
        CHECK (source && source->weight == 0.5);
        CHECK (kulak_model_train_options (model)->balance == 0.75);
        CHECK (kulak_model_train_options (model)->seed == 5);
        kulak_model_destroy (&model);
    }
    free (err);
    unlink (model_path);
    char *bad [] = { "tests/fixtures/tagging_en.tsv:0", "tests/fixtures/tagging_en.tsv:-1" };
    CHECK (kulak_train_files (s_tagger, bad, 1, &options) != 0);
    CHECK (kulak_train_files (s_tagger, bad + 1, 1, &options) != 0);
    CHECK (access (model_path, F_OK) != 0);
    rmdir (dir);
    free (model_path);
}

int
main (void)
{
    setenv ("KULAK_LEXICONS", "lexicons", 0);
    char *err = NULL;
    s_tagger = kulak_tagger_new (NULL, &err);
    kulak_tagger_options_t rules_only = { .model_tr = "none", .model_en = "none" };
    s_rules = s_tagger ? kulak_tagger_new (&rules_only, &err) : NULL;
    if (!s_tagger || !s_rules) {
        printf ("FAIL test_tagging_setup: %s\n", err);
        return 1;
    }
    RUN (test_acceptance_turkish_delay_and_waiting);
    RUN (test_acceptance_english_not_bad);
    RUN (test_themes_of_implicit_complaints);
    RUN (test_theme_phrases_written_per_theme);
    RUN (test_where_is_my_order);
    RUN (test_turkish_verbal_negation);
    RUN (test_turkish_present_tense_of_vowel_roots);
    RUN (test_turkish_without_converb);
    RUN (test_turkish_bank_and_telecom_complaints);
    RUN (test_irony_mark);
    RUN (test_turkish_fit_and_colour);
    RUN (test_turkish_degil_yok_and_privative);
    RUN (test_turkish_ne_ne);
    RUN (test_turkish_without_its_letters);
    RUN (test_turkish_capitals);
    RUN (test_contrast_weighs_the_later_clause);
    RUN (test_theme_sentiment_is_its_clause);
    RUN (test_english_idioms);
    RUN (test_old_version_missed_and_features_taken_away);
    RUN (test_english_implicit_complaints);
    RUN (test_handles_carry_no_sentiment);
    RUN (test_questions);
    RUN (test_survey_non_answers);
    RUN (test_language_of_clueless_texts);
    RUN (test_turkish_negated_verb_denies_praise);
    RUN (test_scare_quotes);
    RUN (test_emoji);
    RUN (test_feature_hashes_and_places_match_their_names);
    RUN (test_quote_feature);
    RUN (test_lexicon_rules_without_a_model);
    RUN (test_emphasis_strengthens);
    RUN (test_evidence_offsets_point_into_the_text);
    RUN (test_fixture_without_turkish_letters_tags_alike);
    RUN (test_fixture_scores_stay_above_floors);
    RUN (test_customer_service_sets_stay_above_floors);
    RUN (test_eval_errors_worst_first);
    RUN (test_eval_never_scores_training_rows);
    RUN (test_train_file_weights);
    RUN (test_own_lexicon_sections);
    kulak_tagger_destroy (&s_tagger);
    kulak_tagger_destroy (&s_rules);
    return CHECK_RESULT ();
}
