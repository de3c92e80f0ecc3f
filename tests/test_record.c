/*  test_record.c: the record's wire form (encode / decode of untrusted MessagePack) and its
    stable id (record.h); the JSON writers of tag and the store (numbers as printf gives
    them, string escapes: util.h). */
#include "check.h"
#include "kulak/record.h"
#include "kulak/util.h"

#include <math.h>
#include <msgpack.h>
#include <stdlib.h>
#include <string.h>

/* A record with every field set, tagged, with two themes carrying evidence. */
static kulak_record_t *
full_record (void)
{
    kulak_record_t *r = kulak_record_new ();
    r->channel = KULAK_CHANNEL_REVIEW;
    r->source = kulak_strdup ("google_play");
    r->external_id = kulak_strdup ("RTR-0002");
    r->customer = kulak_strdup ("C-17270");
    r->author = kulak_strdup ("Ayşe");
    r->time = kulak_strdup ("2026-01-19T20:52:00Z");
    r->origin = kulak_strdup ("reviews_tr.csv:3");
    r->lang = KULAK_LANG_TR;
    r->lang_guessed = true;
    r->rating = 2;
    r->nps = 3;
    r->csat = 1;
    r->ces = 7;
    r->text = kulak_strdup ("Faturam yanlış, [phone] numarasından aradım 😡");
    r->norm_text = kulak_strdup ("Faturam yanlış, [phone] numarasından aradım 😡");
    r->tagged = true;
    r->sentiment = -0.75f;
    r->label = KULAK_LABEL_NEG;
    r->complaint = true;
    kulak_theme_hit_t *hit = kulak_record_add_theme (r, "billing");
    hit->sentiment = -0.5f;
    hit->label = KULAK_LABEL_NEG;
    kulak_evidence_push (&hit->evidence, &hit->evidence_count, 0, 7, 1.0f, "Faturam");
    kulak_evidence_push (&hit->evidence, &hit->evidence_count, 8, 14, 0.5f, "yanlış");
    hit = kulak_record_add_theme (r, "waiting");
    hit->sentiment = 0.25f;
    hit->label = KULAK_LABEL_POS;
    kulak_evidence_push (&r->sentiment_evidence, &r->sentiment_evidence_count, 8, 14, -2.5f,
                         "yanlış");
    kulak_record_make_id (r);
    return r;
}

TEST (test_round_trip_full_record)
{
    kulak_record_t *r = full_record ();
    size_t len = 0;
    char *wire = kulak_record_encode (r, &len);
    CHECK (wire && len > 0);
    kulak_record_t *d = NULL;
    char *err = NULL;
    CHECK (kulak_record_decode (wire, len, &d, &err) == 0);
    CHECK (err == NULL);
    CHECK (d != NULL);
    if (d) {
        CHECK_STR (d->id, r->id);
        CHECK (d->channel == KULAK_CHANNEL_REVIEW);
        CHECK_STR (d->source, "google_play");
        CHECK_STR (d->external_id, "RTR-0002");
        CHECK_STR (d->customer, "C-17270");
        CHECK_STR (d->author, "Ayşe");
        CHECK_STR (d->time, "2026-01-19T20:52:00Z");
        CHECK_STR (d->origin, "reviews_tr.csv:3");
        CHECK (d->lang == KULAK_LANG_TR);
        CHECK (d->lang_guessed);
        CHECK (d->rating == 2 && d->nps == 3 && d->csat == 1 && d->ces == 7);
        CHECK_STR (d->text, r->text);
        CHECK_STR (d->norm_text, r->norm_text);
        CHECK (d->tagged);
        CHECK (d->sentiment == -0.75f);
        CHECK (d->label == KULAK_LABEL_NEG);
        CHECK (d->complaint);
        CHECK (d->quarantine_reason == NULL);
        CHECK (d->theme_count == 2);
        if (d->theme_count == 2) {
            CHECK_STR (d->themes [0].theme, "billing");
            CHECK (d->themes [0].sentiment == -0.5f);
            CHECK (d->themes [0].label == KULAK_LABEL_NEG);
            CHECK (d->themes [0].evidence_count == 2);
            if (d->themes [0].evidence_count == 2) {
                CHECK (d->themes [0].evidence [1].start == 8);
                CHECK (d->themes [0].evidence [1].end == 14);
                CHECK (d->themes [0].evidence [1].weight == 0.5f);
                CHECK_STR (d->themes [0].evidence [1].word, "yanlış");
            }
            CHECK_STR (d->themes [1].theme, "waiting");
            CHECK (d->themes [1].label == KULAK_LABEL_POS);
            CHECK (d->themes [1].evidence_count == 0);
        }
        CHECK (d->sentiment_evidence_count == 1);
        if (d->sentiment_evidence_count == 1)
            CHECK (d->sentiment_evidence [0].weight == -2.5f);
        /* encoding the decoded record gives the same bytes */
        size_t len2 = 0;
        char *wire2 = kulak_record_encode (d, &len2);
        CHECK (len2 == len && memcmp (wire, wire2, len) == 0);
        free (wire2);
    }
    kulak_record_destroy (&d);
    kulak_record_destroy (&r);
    free (wire);
}

TEST (test_round_trip_quarantine_and_absent_fields)
{
    kulak_record_t *r = kulak_record_new ();
    r->origin = kulak_strdup ("x.csv:7");
    r->text = kulak_strdup ("\"a\",\"9\"");
    r->quarantine_reason = kulak_strdup ("x.csv:7: field rating: '9' is outside 1-5");
    kulak_record_make_id (r);
    size_t len;
    char *wire = kulak_record_encode (r, &len);
    kulak_record_t *d = NULL;
    char *err = NULL;
    CHECK (kulak_record_decode (wire, len, &d, &err) == 0);
    if (d) {
        CHECK_STR (d->quarantine_reason, r->quarantine_reason);
        CHECK (d->channel == KULAK_CHANNEL_NONE);
        CHECK (d->rating == -1 && d->nps == -1 && d->csat == -1 && d->ces == -1);
        CHECK (d->source == NULL && d->time == NULL && d->norm_text == NULL);
        CHECK (!d->tagged && d->theme_count == 0);
        CHECK (!d->lang_guessed);
    }
    free (err);
    kulak_record_destroy (&d);
    kulak_record_destroy (&r);
    free (wire);
}

TEST (test_decode_truncated_at_every_length)
{
    kulak_record_t *r = full_record ();
    size_t len;
    char *wire = kulak_record_encode (r, &len);
    int bad = 0;
    for (size_t cut = 0; cut < len; cut++) {
        /* a fresh heap copy so AddressSanitizer sees any read past the end */
        char *part = kulak_malloc (cut ? cut : 1);
        memcpy (part, wire, cut);
        kulak_record_t *d = (kulak_record_t *) 1;
        char *err = NULL;
        int rc = kulak_record_decode (part, cut, &d, &err);
        if (rc != -2 || d != NULL || !err || strlen (err) == 0)
            bad++;
        free (err);
        kulak_record_destroy (&d);
        free (part);
    }
    CHECK (bad == 0);
    kulak_record_destroy (&r);
    free (wire);
}

TEST (test_decode_rejects_trailing_bytes)
{
    kulak_record_t *r = full_record ();
    size_t len;
    char *wire = kulak_record_encode (r, &len);
    char *longer = kulak_malloc (len + 1);
    memcpy (longer, wire, len);
    longer [len] = (char) 0xC0;                    /* a MessagePack nil */
    kulak_record_t *d = NULL;
    char *err = NULL;
    CHECK (kulak_record_decode (longer, len + 1, &d, &err) == -2);
    CHECK (d == NULL);
    CHECK (err && strstr (err, "trailing") != NULL);
    free (err);
    free (longer);
    free (wire);
    kulak_record_destroy (&r);
}

/* ---- hand-built messages --------------------------------------------------------------- */

typedef struct {
    msgpack_sbuffer sbuf;
    msgpack_packer pk;
} msg_t;

static void
msg_init (msg_t *m, size_t entries)
{
    msgpack_sbuffer_init (&m->sbuf);
    msgpack_packer_init (&m->pk, &m->sbuf, msgpack_sbuffer_write);
    msgpack_pack_map (&m->pk, entries);
}

static void
msg_str (msg_t *m, const char *s)
{
    msgpack_pack_str (&m->pk, strlen (s));
    msgpack_pack_str_body (&m->pk, s, strlen (s));
}

static void
msg_key_int (msg_t *m, const char *key, int64_t value)
{
    msg_str (m, key);
    msgpack_pack_int64 (&m->pk, value);
}

static void
msg_key_str (msg_t *m, const char *key, const char *value)
{
    msg_str (m, key);
    msg_str (m, value);
}

#define GOOD_ID "0123456789abcdef0123456789abcdef"

/* The four fields every record needs: v, id, ch, txt. */
static void
msg_base (msg_t *m, size_t extra, int version, const char *id)
{
    msg_init (m, 4 + extra);
    msg_key_int (m, "v", version);
    msg_key_str (m, "id", id);
    msg_key_int (m, "ch", KULAK_CHANNEL_REVIEW);
    msg_key_str (m, "txt", "iyi");
}

/* Decodes the message, expecting -2 with a reason that holds `why`; frees the message. */
static void
expect_malformed (msg_t *m, const char *why, int line)
{
    kulak_record_t *d = (kulak_record_t *) 1;
    char *err = NULL;
    int rc = kulak_record_decode (m->sbuf.data, m->sbuf.size, &d, &err);
    if (rc != -2 || d != NULL || !err || (why && !strstr (err, why))) {
        if (!check_failures_in_test++)
            printf ("FAIL %s: %s:%d: expected -2 with \"%s\", got %d \"%s\"\n", check_current,
                    __FILE__, line, why ? why : "", rc, err ? err : "(no reason)");
        else
            printf ("     also %s:%d: expected -2 with \"%s\", got %d \"%s\"\n", __FILE__, line,
                    why ? why : "", rc, err ? err : "(no reason)");
    }
    if (rc == 0)
        kulak_record_destroy (&d);
    free (err);
    msgpack_sbuffer_destroy (&m->sbuf);
}
#define EXPECT_MALFORMED(m, why) expect_malformed (m, why, __LINE__)

TEST (test_decode_minimal_message)
{
    msg_t m;
    msg_base (&m, 0, 1, GOOD_ID);
    kulak_record_t *d = NULL;
    char *err = NULL;
    CHECK (kulak_record_decode (m.sbuf.data, m.sbuf.size, &d, &err) == 0);
    CHECK (d && strcmp (d->id, GOOD_ID) == 0 && d->rating == -1);
    kulak_record_destroy (&d);
    free (err);
    msgpack_sbuffer_destroy (&m.sbuf);
    /* unknown keys from a newer sender of the same version are skipped */
    msg_base (&m, 1, 1, GOOD_ID);
    msg_key_str (&m, "future_field", "x");
    CHECK (kulak_record_decode (m.sbuf.data, m.sbuf.size, &d, &err) == 0);
    kulak_record_destroy (&d);
    free (err);
    msgpack_sbuffer_destroy (&m.sbuf);
}

TEST (test_decode_rejects_bad_fields)
{
    msg_t m;
    /* not a map at all */
    msgpack_sbuffer_init (&m.sbuf);
    msgpack_packer_init (&m.pk, &m.sbuf, msgpack_sbuffer_write);
    msgpack_pack_array (&m.pk, 1);
    msgpack_pack_int (&m.pk, 1);
    EXPECT_MALFORMED (&m, "not a map");

    /* id: not 32 lower-case hex digits */
    msg_base (&m, 0, 1, "0123456789abcdef");
    EXPECT_MALFORMED (&m, "id");
    msg_base (&m, 0, 1, "0123456789ABCDEF0123456789ABCDEF");
    EXPECT_MALFORMED (&m, "id");
    msg_base (&m, 0, 1, "0123456789abcdef0123456789abcdeg");
    EXPECT_MALFORMED (&m, "id");

    /* rating 9, nps 11, ces 0 */
    msg_base (&m, 1, 1, GOOD_ID);
    msg_key_int (&m, "rat", 9);
    EXPECT_MALFORMED (&m, "rat");
    msg_base (&m, 1, 1, GOOD_ID);
    msg_key_int (&m, "nps", 11);
    EXPECT_MALFORMED (&m, "nps");
    msg_base (&m, 1, 1, GOOD_ID);
    msg_key_int (&m, "ces", 0);
    EXPECT_MALFORMED (&m, "ces");
    msg_base (&m, 1, 1, GOOD_ID);
    msg_key_int (&m, "ch", 99);
    EXPECT_MALFORMED (&m, "ch");

    /* wrong types */
    msg_base (&m, 1, 1, GOOD_ID);
    msg_str (&m, "rat");
    msg_str (&m, "5");
    EXPECT_MALFORMED (&m, "rat");
    msg_base (&m, 1, 1, GOOD_ID);
    msg_str (&m, "src");
    msgpack_pack_int (&m.pk, 7);
    EXPECT_MALFORMED (&m, "src");
    msg_base (&m, 1, 1, GOOD_ID);
    msg_str (&m, "th");
    msg_str (&m, "billing");
    EXPECT_MALFORMED (&m, "th");
    msg_base (&m, 1, 1, GOOD_ID);
    msg_str (&m, "sev");
    msgpack_pack_array (&m.pk, 1);
    msgpack_pack_array (&m.pk, 3);                 /* not [start, end, weight, word] */
    msgpack_pack_int (&m.pk, 0);
    msgpack_pack_int (&m.pk, 1);
    msgpack_pack_float (&m.pk, 1);
    EXPECT_MALFORMED (&m, "sev");
    msg_base (&m, 1, 1, GOOD_ID);                  /* evidence ending before it starts */
    msg_str (&m, "sev");
    msgpack_pack_array (&m.pk, 1);
    msgpack_pack_array (&m.pk, 4);
    msgpack_pack_int (&m.pk, 5);
    msgpack_pack_int (&m.pk, 2);
    msgpack_pack_float (&m.pk, 1);
    msg_str (&m, "x");
    EXPECT_MALFORMED (&m, "sev");
    msg_base (&m, 1, 1, GOOD_ID);                  /* a NUL inside a string */
    msg_str (&m, "auth");
    msgpack_pack_str (&m.pk, 3);
    msgpack_pack_str_body (&m.pk, "a\0b", 3);
    EXPECT_MALFORMED (&m, "auth");

    /* NaN and out-of-range sentiment */
    msg_base (&m, 1, 1, GOOD_ID);
    msg_str (&m, "s");
    msgpack_pack_double (&m.pk, NAN);
    EXPECT_MALFORMED (&m, "s");
    msg_base (&m, 1, 1, GOOD_ID);
    msg_str (&m, "s");
    msgpack_pack_double (&m.pk, 1.5);
    EXPECT_MALFORMED (&m, "s");

    /* no channel on a record that is not a quarantine entry */
    msg_init (&m, 3);
    msg_key_int (&m, "v", 1);
    msg_key_str (&m, "id", GOOD_ID);
    msg_key_str (&m, "txt", "x");
    EXPECT_MALFORMED (&m, "ch");
    /* no version */
    msg_init (&m, 2);
    msg_key_str (&m, "id", GOOD_ID);
    msg_key_int (&m, "ch", 1);
    EXPECT_MALFORMED (&m, "v");
}

TEST (test_decode_rejects_newer_version)
{
    msg_t m;
    msg_base (&m, 0, KULAK_WIRE_VERSION + 1, GOOD_ID);
    EXPECT_MALFORMED (&m, "upgrade");
    msg_base (&m, 0, 0, GOOD_ID);
    EXPECT_MALFORMED (&m, "v");
}

TEST (test_decode_limits)
{
    msg_t m;
    /* 65 themes */
    msg_base (&m, 1, 1, GOOD_ID);
    msg_str (&m, "th");
    msgpack_pack_array (&m.pk, KULAK_MAX_THEMES + 1);
    for (int i = 0; i < KULAK_MAX_THEMES + 1; i++) {
        msgpack_pack_map (&m.pk, 1);
        msg_key_str (&m, "id", "billing");
    }
    EXPECT_MALFORMED (&m, "th");

    /* exactly 64 is fine */
    msg_base (&m, 1, 1, GOOD_ID);
    msg_str (&m, "th");
    msgpack_pack_array (&m.pk, KULAK_MAX_THEMES);
    for (int i = 0; i < KULAK_MAX_THEMES; i++) {
        msgpack_pack_map (&m.pk, 1);
        msg_key_str (&m, "id", "billing");
    }
    kulak_record_t *d = NULL;
    char *err = NULL;
    CHECK (kulak_record_decode (m.sbuf.data, m.sbuf.size, &d, &err) == 0);
    CHECK (d && d->theme_count == KULAK_MAX_THEMES);
    kulak_record_destroy (&d);
    free (err);
    msgpack_sbuffer_destroy (&m.sbuf);

    /* a theme without id */
    msg_base (&m, 1, 1, GOOD_ID);
    msg_str (&m, "th");
    msgpack_pack_array (&m.pk, 1);
    msgpack_pack_map (&m.pk, 1);
    msg_key_int (&m, "lbl", 1);
    EXPECT_MALFORMED (&m, "th");

    /* too much evidence */
    msg_base (&m, 1, 1, GOOD_ID);
    msg_str (&m, "sev");
    msgpack_pack_array (&m.pk, KULAK_MAX_EVIDENCE + 1);
    for (int i = 0; i < KULAK_MAX_EVIDENCE + 1; i++) {
        msgpack_pack_array (&m.pk, 4);
        msgpack_pack_int (&m.pk, 0);
        msgpack_pack_int (&m.pk, 1);
        msgpack_pack_float (&m.pk, 1);
        msg_str (&m, "x");
    }
    EXPECT_MALFORMED (&m, "sev");

    /* text over 1 MiB */
    msg_base (&m, 1, 1, GOOD_ID);
    msg_str (&m, "norm");
    char *big = kulak_malloc (KULAK_MAX_TEXT + 1);
    memset (big, 'a', KULAK_MAX_TEXT + 1);
    msgpack_pack_str (&m.pk, KULAK_MAX_TEXT + 1);
    msgpack_pack_str_body (&m.pk, big, KULAK_MAX_TEXT + 1);
    free (big);
    EXPECT_MALFORMED (&m, "norm");
}

TEST (test_decode_repeated_keys_stay_within_limits)
{
    /* "th" sent twice with 64 themes each must not give a record of 128 themes. */
    msg_t m;
    msg_base (&m, 2, 1, GOOD_ID);
    for (int k = 0; k < 2; k++) {
        msg_str (&m, "th");
        msgpack_pack_array (&m.pk, KULAK_MAX_THEMES);
        for (int i = 0; i < KULAK_MAX_THEMES; i++) {
            msgpack_pack_map (&m.pk, 1);
            msg_key_str (&m, "id", "billing");
        }
    }
    kulak_record_t *d = NULL;
    char *err = NULL;
    int rc = kulak_record_decode (m.sbuf.data, m.sbuf.size, &d, &err);
    CHECK (rc == -2 || (d && d->theme_count <= KULAK_MAX_THEMES));
    kulak_record_destroy (&d);
    free (err);
    msgpack_sbuffer_destroy (&m.sbuf);

    /* the same for "sev" and KULAK_MAX_EVIDENCE */
    msg_base (&m, 2, 1, GOOD_ID);
    for (int k = 0; k < 2; k++) {
        msg_str (&m, "sev");
        msgpack_pack_array (&m.pk, KULAK_MAX_EVIDENCE);
        for (int i = 0; i < KULAK_MAX_EVIDENCE; i++) {
            msgpack_pack_array (&m.pk, 4);
            msgpack_pack_int (&m.pk, 0);
            msgpack_pack_int (&m.pk, 1);
            msgpack_pack_float (&m.pk, 1);
            msg_str (&m, "x");
        }
    }
    err = NULL;
    rc = kulak_record_decode (m.sbuf.data, m.sbuf.size, &d, &err);
    CHECK (rc == -2 || (d && d->sentiment_evidence_count <= KULAK_MAX_EVIDENCE));
    kulak_record_destroy (&d);
    free (err);
    msgpack_sbuffer_destroy (&m.sbuf);
}

TEST (test_decode_garbage)
{
    const char *inputs [] = { "", "\xC1", "\xFF\xFF\xFF", "\x81\xA1v", "\x81\xA1v\x01", "hello",
                              "\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91"
                              "\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91"
                              "\x91\x91\x91\x91\x91\x91\x91\x91\xC0" };
    const size_t lengths [] = { 0, 1, 3, 3, 4, 5, 41 };
    for (size_t i = 0; i < sizeof lengths / sizeof lengths [0]; i++) {
        kulak_record_t *d = NULL;
        char *err = NULL;
        CHECK (kulak_record_decode (inputs [i], lengths [i], &d, &err) == -2);
        CHECK (d == NULL);
        free (err);
    }
    /* err may be NULL when the caller does not want the reason */
    kulak_record_t *d = NULL;
    CHECK (kulak_record_decode ("\xC1", 1, &d, NULL) == -2);
}

/* Peak virtual memory of this process in kB, from /proc/self/status (0 when unknown). */
static long
vm_peak_kb (void)
{
    FILE *file = fopen ("/proc/self/status", "r");
    char line [256];
    long kb = 0;
    while (file && fgets (line, sizeof line, file))
        if (strncmp (line, "VmPeak:", 7) == 0)
            kb = atol (line + 7);
    if (file)
        fclose (file);
    return kb;
}

TEST (test_decode_does_not_trust_declared_sizes)
{
    /* Five bytes that declare a 134-million-element array (or a 67-million-entry map) and
       hold nothing: the decoder must reject them without first reserving the 2 GiB the
       declared elements would need. A wire message is untrusted; a peer must not be able to
       make a stage allocate gigabytes with a few bytes. */
    const char *inputs [] = { "\xDD\x08\x00\x00\x00", "\xDF\x04\x00\x00\x00",
                              "\x81\xA2th\xDD\x08\x00\x00\x00" };
    const size_t lengths [] = { 5, 5, 9 };
    for (size_t i = 0; i < sizeof lengths / sizeof lengths [0]; i++) {
        long before = vm_peak_kb ();
        kulak_record_t *d = NULL;
        char *err = NULL;
        CHECK (kulak_record_decode (inputs [i], lengths [i], &d, &err) == -2);
        long grown_mb = (vm_peak_kb () - before) / 1024;
        CHECK (grown_mb < 256);
        if (grown_mb >= 256)
            printf ("     (input %zu: peak virtual memory grew by %ld MiB)\n", i, grown_mb);
        kulak_record_destroy (&d);
        free (err);
    }
}

/* ---- ids ----------------------------------------------------------------------------- */

static bool
is_hex_id (const char *id)
{
    if (strlen (id) != KULAK_ID_LEN)
        return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

TEST (test_id_from_external_id)
{
    kulak_record_t *a = kulak_record_new (), *b = kulak_record_new (), *c = kulak_record_new ();
    a->source = kulak_strdup ("google");
    a->external_id = kulak_strdup ("R-1");
    a->text = kulak_strdup ("ilk hali");
    a->channel = KULAK_CHANNEL_REVIEW;
    b->source = kulak_strdup ("google");
    b->external_id = kulak_strdup ("R-1");
    b->text = kulak_strdup ("düzenlenmiş hali");          /* an edited review: same id */
    b->customer = kulak_strdup ("C-9");
    c->source = kulak_strdup ("app_store");
    c->external_id = kulak_strdup ("R-1");
    c->text = kulak_strdup ("ilk hali");
    kulak_record_make_id (a);
    kulak_record_make_id (b);
    kulak_record_make_id (c);
    CHECK (is_hex_id (a->id));
    CHECK_STR (a->id, b->id);
    CHECK (strcmp (a->id, c->id) != 0);
    kulak_record_destroy (&a);
    kulak_record_destroy (&b);
    kulak_record_destroy (&c);
}

TEST (test_id_from_content)
{
    kulak_record_t *a = kulak_record_new (), *b = kulak_record_new ();
    a->channel = b->channel = KULAK_CHANNEL_SOCIAL;
    a->source = kulak_strdup ("twitter");
    b->source = kulak_strdup ("twitter");
    a->text = kulak_strdup ("kargo gecikti");
    b->text = kulak_strdup ("kargo gecikti");
    kulak_record_make_id (a);
    kulak_record_make_id (b);
    CHECK (is_hex_id (a->id));
    CHECK_STR (a->id, b->id);                          /* same content: same id */
    free (b->text);
    b->text = kulak_strdup ("kargo gecikmedi");
    kulak_record_make_id (b);
    CHECK (strcmp (a->id, b->id) != 0);
    /* fields stay apart: author "ab" + customer "c" is not author "a" + customer "bc" */
    free (b->text);
    b->text = kulak_strdup ("kargo gecikti");
    a->author = kulak_strdup ("ab");
    a->customer = kulak_strdup ("c");
    b->author = kulak_strdup ("a");
    b->customer = kulak_strdup ("bc");
    kulak_record_make_id (a);
    kulak_record_make_id (b);
    CHECK (strcmp (a->id, b->id) != 0);
    /* an empty external id is no external id */
    char before [KULAK_ID_LEN + 1];
    memcpy (before, a->id, sizeof before);
    a->external_id = kulak_strdup ("  ");
    kulak_record_make_id (a);
    CHECK_STR (a->id, before);
    kulak_record_destroy (&a);
    kulak_record_destroy (&b);
}

TEST (test_names)
{
    CHECK_STR (kulak_channel_name (KULAK_CHANNEL_AGENT_NOTE), "agent_note");
    CHECK (kulak_channel_parse ("Reviews") == KULAK_CHANNEL_REVIEW);
    CHECK (kulak_channel_parse ("agent-note") == KULAK_CHANNEL_AGENT_NOTE);
    CHECK (kulak_channel_parse ("fax") == KULAK_CHANNEL_NONE);
    CHECK (kulak_lang_parse ("Turkish") == KULAK_LANG_TR);
    CHECK_STR (kulak_lang_name (KULAK_LANG_UNKNOWN), "und");
    CHECK (kulak_label_parse ("negative") == KULAK_LABEL_NEG);
    CHECK (kulak_label_parse ("meh") == -1);
}

/* kulak tag's and the store's JSON write numbers without printf: they must read as
   printf's "%.3f" would, ties, signs and extremes included. */
TEST (test_fixed3_as_printf)
{
    const double edge [] = { 0, -0.0, 0.0005, 0.0015, 0.0625, -0.0625, 0.1235, 2.5, -0.0001,
                             -0.0004999, 0.9995, 0.99949999, -0.9995, 1.0 / 3, 123456.7895,
                             999999.9996, 1e12 + 0.5, -1e300, NAN, INFINITY, -INFINITY };
    char expected [400];
    kulak_buf_t buf;
    kulak_buf_init (&buf);
    for (size_t i = 0; i < sizeof edge / sizeof edge [0]; i++) {
        kulak_buf_reset (&buf);
        kulak_buf_put_fixed3 (&buf, edge [i]);
        snprintf (expected, sizeof expected, "%.3f", edge [i]);
        CHECK_STR (buf.data, expected);
    }
    uint64_t state = 42;
    int differ = 0;
    for (int i = 0; i < 200000; i++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        /* values like sentiment scores and weights, every 1/16000 step (exact ties), ties
           far from 0, and values of every size, across the million where printf takes
           over (the scaled value's rounding error grows with it) */
        double v;
        switch (i % 5) {
            case 0:  v = (double) (i - 100000) / 16000.0; break;
            case 1:  v = ((double) (state >> 11) / (double) (1ULL << 53) - 0.5) * 8; break;
            case 2:  v = (double) (int64_t) (state >> 28) / 16.0 - 5e8; break;
            case 3:                      /* a few steps from a decimal tie, up to 1e9 */
                v = (double) (state >> 24 & 0xffffffffff) / 1000.0 + 0.0005;
                for (int step = (int) (state % 9) - 4; step; step += step < 0 ? 1 : -1)
                    v = nextafter (v, step < 0 ? -INFINITY : INFINITY);
                break;
            default: v = ldexp ((double) (state >> 11), (int) (state % 64) - 78); break;
        }
        kulak_buf_reset (&buf);
        kulak_buf_put_fixed3 (&buf, v);
        snprintf (expected, sizeof expected, "%.3f", v);
        differ += strcmp (buf.data, expected) != 0;
    }
    CHECK (differ == 0);
    kulak_buf_reset (&buf);
    kulak_buf_put_uint (&buf, 0);
    kulak_buf_put_uint (&buf, 4294967295u);
    CHECK_STR (buf.data, "04294967295");
    kulak_buf_free (&buf);
}

/* Models are read with kulak_strtof: the same float and end as strtof, whatever the text. */
TEST (test_strtof_as_libc)
{
    const char *edge [] = { "0", "-0", "-0.0000", "1.", ".5", "-.25", "+3.5", "0.1234", "-2.5e3",
                            "0x1p3", "inf", "-nan", " 1.5", "1.5x", "", "-", ".", "3.4028235e38",
                            "123456789012345678", "0.0000001", "1.0000005", "16777217",
                            "0.33333333333333333333" };
    for (size_t i = 0; i < sizeof edge / sizeof edge [0]; i++) {
        char *end_a, *end_b;
        float a = kulak_strtof (edge [i], &end_a);
        float b = strtof (edge [i], &end_b);
        CHECK ((memcmp (&a, &b, sizeof a) == 0 || (isnan (a) && isnan (b))) && end_a == end_b);
    }
    uint64_t state = 7;
    int differ = 0;
    char text [64];
    for (int i = 0; i < 200000; i++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        int decimals = (int) (state >> 60) % 8;                  /* 0..7, past the fast path */
        long long n = (long long) ((state >> 20) % 100000000) - 50000000;
        snprintf (text, sizeof text, "%.*f", decimals, (double) n / 1e4);
        char *end_a, *end_b;
        float a = kulak_strtof (text, &end_a);
        float b = strtof (text, &end_b);
        differ += memcmp (&a, &b, sizeof a) != 0 || end_a != end_b;
    }
    CHECK (differ == 0);
}

TEST (test_json_string_escapes)
{
    kulak_buf_t buf;
    kulak_buf_init (&buf);
    kulak_buf_json_string (&buf, "a\"b\\c\n\r\t<x>&\x01\x1fçok İyi 😀");
    CHECK_STR (buf.data, "\"a\\\"b\\\\c\\n\\r\\t\\u003cx\\u003e\\u0026\\u0001\\u001fçok İyi 😀\"");
    kulak_buf_reset (&buf);
    kulak_buf_json_string (&buf, NULL);
    kulak_buf_json_string (&buf, "");
    CHECK_STR (buf.data, "\"\"\"\"");
    /* printf into a buffer: output longer than its room is written whole */
    kulak_buf_reset (&buf);
    char long_word [300];
    memset (long_word, 'x', sizeof long_word - 1);
    long_word [sizeof long_word - 1] = 0;
    kulak_buf_printf (&buf, "%s|%d", long_word, 7);
    CHECK (buf.len == 301 && strlen (buf.data) == 301 && strcmp (buf.data + 299, "|7") == 0);
    kulak_buf_free (&buf);
}

int
main (void)
{
    RUN (test_round_trip_full_record);
    RUN (test_round_trip_quarantine_and_absent_fields);
    RUN (test_decode_truncated_at_every_length);
    RUN (test_decode_rejects_trailing_bytes);
    RUN (test_decode_minimal_message);
    RUN (test_decode_rejects_bad_fields);
    RUN (test_decode_rejects_newer_version);
    RUN (test_decode_limits);
    RUN (test_decode_repeated_keys_stay_within_limits);
    RUN (test_decode_garbage);
    RUN (test_decode_does_not_trust_declared_sizes);
    RUN (test_id_from_external_id);
    RUN (test_id_from_content);
    RUN (test_names);
    RUN (test_fixed3_as_printf);
    RUN (test_json_string_escapes);
    RUN (test_strtof_as_libc);
    return CHECK_RESULT ();
}
