/*  test_report.c: the Beta quantile, the Markdown digest and the silent-unhappy estimate
    (report.h), over small databases built with kulak_store_put. */
#include "check.h"
#include "kulak/report.h"
#include "kulak/util.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char s_dir [] = "/tmp/kulak-report-XXXXXX";

/* ---- the Beta distribution ------------------------------------------------------------ */

TEST (test_beta_quantile_known_values)
{
    /* Beta(1,1) is uniform: the quantile of q is q */
    for (double q = 0.05; q < 1; q += 0.15)
        CHECK (fabs (kulak_beta_quantile (1, 1, q) - q) < 1e-6);
    /* symmetric: the median is 1/2 */
    CHECK (fabs (kulak_beta_quantile (0.5, 0.5, 0.5) - 0.5) < 1e-6);
    CHECK (fabs (kulak_beta_quantile (7, 7, 0.5) - 0.5) < 1e-6);
    /* Beta(2,5) median 0.26445 */
    CHECK (fabs (kulak_beta_quantile (2, 5, 0.5) - 0.26445) < 1e-3);
    /* Beta(a,1): cdf x^a, quantile q^(1/a) */
    CHECK (fabs (kulak_beta_quantile (3, 1, 0.3) - pow (0.3, 1.0 / 3)) < 1e-6);
    /* Beta(1,b): quantile 1 - (1-q)^(1/b) */
    CHECK (fabs (kulak_beta_quantile (1, 4, 0.9) - (1 - pow (0.1, 0.25))) < 1e-6);
    /* Beta(0.5,0.5) is the arcsine law: quantile sin^2(pi q / 2) */
    CHECK (fabs (kulak_beta_quantile (0.5, 0.5, 0.05) - pow (sin (M_PI * 0.05 / 2), 2)) < 1e-6);
    /* mirror: Q(a,b,q) = 1 - Q(b,a,1-q) */
    CHECK (fabs (kulak_beta_quantile (10.5, 30.5, 0.05)
                 - (1 - kulak_beta_quantile (30.5, 10.5, 0.95))) < 1e-6);
}

TEST (test_beta_quantile_monotone)
{
    double previous = -1;
    bool monotone = true;
    for (int i = 1; i < 100; i++) {
        double x = kulak_beta_quantile (10.5, 30.5, i / 100.0);
        if (!(x > previous) || x < 0 || x > 1)
            monotone = false;
        previous = x;
    }
    CHECK (monotone);
    /* the 90% interval of Beta(10.5, 30.5) holds its mean 10.5/41 */
    double low = kulak_beta_quantile (10.5, 30.5, 0.05);
    double high = kulak_beta_quantile (10.5, 30.5, 0.95);
    CHECK (low < 10.5 / 41 && 10.5 / 41 < high);
    CHECK (low > 0.1 && high < 0.4);
}

/* ---- databases ----------------------------------------------------------------------- */

static int s_serial;

/* Adds a record: channel, customer (or NULL), time, complaint, score fields, text. */
static void
put (kulak_store_t *store, kulak_channel_t channel, const char *customer, const char *time,
     bool complaint, int rating, int nps, int csat, const char *theme, const char *text)
{
    kulak_record_t *r = kulak_record_new ();
    r->channel = channel;
    r->source = kulak_strdup (channel == KULAK_CHANNEL_SURVEY ? "survey_tool" : "google");
    r->external_id = kulak_sprintf ("X-%d", ++s_serial);
    r->customer = kulak_strdup (customer);
    r->time = kulak_strdup (time);
    r->lang = s_serial % 2 ? KULAK_LANG_TR : KULAK_LANG_EN;
    r->rating = rating;
    r->nps = nps;
    r->csat = csat;
    r->text = kulak_strdup (text ? text : "");
    r->norm_text = kulak_strdup (r->text);
    r->tagged = true;
    r->complaint = complaint;
    r->label = complaint ? KULAK_LABEL_NEG : KULAK_LABEL_POS;
    r->sentiment = complaint ? -0.7f : 0.6f;
    if (theme) {
        kulak_theme_hit_t *hit = kulak_record_add_theme (r, theme);
        hit->label = complaint ? KULAK_LABEL_NEG : KULAK_LABEL_POS;
        hit->sentiment = r->sentiment;
    }
    kulak_record_make_id (r);
    kulak_stored_t status;
    char *err = NULL;
    if (kulak_store_put (store, r, &status, &err) != 0)
        printf ("(put failed: %s)\n", err);
    free (err);
    kulak_record_destroy (&r);
}

static kulak_store_t *
new_store (const char *name, char **path_p)
{
    char *path = kulak_sprintf ("%s/%s", s_dir, name);
    unlink (path);
    char *err = NULL;
    kulak_store_t *store = kulak_store_open (path, false, &err);
    if (!store)
        printf ("(store %s: %s)\n", path, err);
    free (err);
    *path_p = path;
    return store;
}

/* The small database of the digest tests:
   reviews  C1 complaint 03-01 (<script>), C2 complaint 03-05, C1 complaint 03-20, C3 happy
   social   no customer, complaint 03-12
   surveys  NPS 10, 9, 3, 7, 0, 10 (customers C1, C4, C5, C6, C2, C7), CSAT on two of them
   complainers: C1, C2 and the social post = 3
   NULL (a failed check, *path_p freed) when it cannot be made. */
static kulak_store_t *
small_store (char **path_p)
{
    kulak_store_t *store = new_store ("small.db", path_p);
    CHECK (store != NULL);
    if (!store) {
        kulak_free_str (path_p);
        return NULL;
    }
    kulak_lexicon_t lexicon = { 0 };
    kulak_theme_info_t info [1] = { { "delay", "Gecikme", "Delivery delay" } };
    lexicon.theme_info = info;
    lexicon.theme_count = 1;
    char *err = NULL;
    kulak_store_put_themes (store, &lexicon, &err);
    free (err);
    put (store, KULAK_CHANNEL_REVIEW, "C1", "2026-03-01T09:00:00Z", true, 1, -1, -1, "delay",
         "<script>alert(1)</script> kargo tam 9 gün sonra geldi & kutu ezikti");
    put (store, KULAK_CHANNEL_REVIEW, "C2", "2026-03-05T15:00:00Z", true, 2, -1, -1, "delay",
         "Teslimat gecikti, kimse haber vermedi, çok kötü bir deneyimdi");
    put (store, KULAK_CHANNEL_REVIEW, "C1", "2026-03-20T10:00:00Z", true, 1, -1, -1, NULL,
         "yine aynı sorun");
    put (store, KULAK_CHANNEL_REVIEW, "C3", "2026-03-21T10:00:00Z", false, 5, -1, -1, NULL,
         "harika");
    put (store, KULAK_CHANNEL_SOCIAL, NULL, "2026-03-12T10:00:00Z", true, -1, -1, -1, "delay",
         "@Pazarium kargom nerede, bir haftadır bekliyorum");
    put (store, KULAK_CHANNEL_SURVEY, "C1", "2026-03-02T10:00:00Z", false, -1, 10, 5, NULL, "");
    put (store, KULAK_CHANNEL_SURVEY, "C4", "2026-03-03T10:00:00Z", false, -1, 9, -1, NULL, "");
    put (store, KULAK_CHANNEL_SURVEY, "C5", "2026-03-04T10:00:00Z", false, -1, 3, 2, NULL, "");
    put (store, KULAK_CHANNEL_SURVEY, "C6", "2026-03-06T10:00:00Z", false, -1, 7, -1, NULL, "");
    put (store, KULAK_CHANNEL_SURVEY, "C2", "2026-03-07T10:00:00Z", false, -1, 0, -1, NULL, "");
    put (store, KULAK_CHANNEL_SURVEY, "C7", "2026-03-08T10:00:00Z", false, -1, 10, -1, NULL, "");
    return store;
}

static char *
digest_of (kulak_store_t *store, const char *path, const kulak_report_options_t *options,
           int *rc)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&text, &size);
    char *err = NULL;
    *rc = kulak_digest (store, path, options, out, &err);
    fclose (out);
    if (*rc != 0)
        printf ("(digest: %s)\n", err ? err : "?");
    free (err);
    return text;
}

static json_t *
estimate_of (kulak_store_t *store, const kulak_report_options_t *options)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&text, &size);
    char *err = NULL;
    int rc = kulak_estimate (store, options, out, &err);
    fclose (out);
    json_t *root = NULL;
    if (rc == 0) {
        json_error_t error;
        root = json_loads (text, 0, &error);
        if (!root)
            printf ("(estimate is not JSON: %s: %s)\n", error.text, text);
    }
    else
        printf ("(estimate: %s)\n", err ? err : "?");
    free (err);
    free (text);
    return root;
}

/* A number at a path like "calibrated.complaint_rate" (NAN when absent). */
static double
number_at (json_t *root, const char *path)
{
    char *copy = kulak_strdup (path);
    json_t *node = root;
    for (char *save = NULL, *key = strtok_r (copy, ".", &save); key && node;
         key = strtok_r (NULL, ".", &save))
        node = json_object_get (node, key);
    free (copy);
    return json_is_number (node) ? json_number_value (node) : NAN;
}

static const char *
string_at (json_t *root, const char *path)
{
    char *copy = kulak_strdup (path);
    json_t *node = root;
    for (char *save = NULL, *key = strtok_r (copy, ".", &save); key && node;
         key = strtok_r (NULL, ".", &save))
        node = json_object_get (node, key);
    free (copy);
    return json_is_string (node) ? json_string_value (node) : NULL;
}

TEST (test_digest_counts_and_nps)
{
    char *path = NULL;
    kulak_store_t *store = small_store (&path);
    if (!store)
        return;
    kulak_report_options_t options;
    kulak_report_options_default (&options);
    int rc;
    char *digest = digest_of (store, path, &options, &rc);
    CHECK (rc == 0);
    CHECK (strstr (digest, "11 records") != NULL);
    /* channel rows: Turkish, English, total, complaints, negative, positive */
    CHECK (strstr (digest, "| survey | 3 | 3 | 6 | 0 | 0 | 6 |") != NULL);
    CHECK (strstr (digest, "| review | 2 | 2 | 4 | 3 | 3 | 1 |") != NULL);
    CHECK (strstr (digest, "| social | 1 | 0 | 1 | 1 | 1 | 0 |") != NULL);
    CHECK (strstr (digest, "| **all** | **6** | **5** | **11** | **4** | **4** | **7** |") != NULL);
    /* NPS: 3 promoters, 2 detractors of 6: 100 * 1/6 = +17 */
    CHECK (strstr (digest, "NPS +17") != NULL);
    CHECK (strstr (digest, "3 promoters") != NULL && strstr (digest, "2 detractors") != NULL);
    CHECK (strstr (digest, "1 passives") != NULL);
    /* CSAT 5 and 2: 3.50, half satisfied */
    CHECK (strstr (digest, "CSAT 3.50 / 5") != NULL);
    CHECK (strstr (digest, "50% satisfied") != NULL);
    CHECK (strstr (digest, "CES: no answers") != NULL);
    /* the theme with its English name, 3 records, 3 complaints */
    CHECK (strstr (digest, "Delivery delay (`delay`) | 3 | 3 |") != NULL);
    /* complainers C1, C2 and one social post; 26 each */
    CHECK (strstr (digest, "3 customers complained") != NULL);
    CHECK (strstr (digest, "about **78 unhappy customers, 75 of them silent**") != NULL);
    CHECK (strstr (digest, "not enough data") != NULL);
    if (rc == 0 && !strstr (digest, "NPS +17"))
        printf ("%s\n", digest);
    free (digest);

    options.lang = "tr";
    digest = digest_of (store, path, &options, &rc);
    CHECK (strstr (digest, "Gecikme (`delay`)") != NULL);
    free (digest);
    kulak_store_close (&store);
    free (path);
}

TEST (test_digest_escapes_html)
{
    char *path = NULL;
    kulak_store_t *store = small_store (&path);
    if (!store)
        return;
    kulak_report_options_t options;
    kulak_report_options_default (&options);
    int rc;
    char *digest = digest_of (store, path, &options, &rc);
    CHECK (rc == 0);
    CHECK (strstr (digest, "<script") == NULL);
    CHECK (strstr (digest, "</script") == NULL);
    CHECK (strstr (digest, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);  /* quoted */
    CHECK (strstr (digest, "geldi &amp; kutu") != NULL);
    free (digest);
    kulak_store_close (&store);
    free (path);
}

TEST (test_digest_period)
{
    char *path = NULL;
    kulak_store_t *store = small_store (&path);
    if (!store)
        return;
    kulak_report_options_t options;
    kulak_report_options_default (&options);
    int rc;
    /* until a date: that whole day counts (C2's review at 15:00 on 03-05) */
    options.until = "2026-03-05";
    char *digest = digest_of (store, path, &options, &rc);
    CHECK (rc == 0);
    CHECK (strstr (digest, "5 records") != NULL);
    CHECK (strstr (digest, "| review | 1 | 1 | 2 | 2 | 2 | 0 |") != NULL);
    CHECK (strstr (digest, "2 customers complained") != NULL);
    free (digest);
    options.until = NULL;
    options.since = "2026-03-10";
    digest = digest_of (store, path, &options, &rc);
    CHECK (strstr (digest, "3 records") != NULL);
    CHECK (strstr (digest, "NPS: no answers") != NULL);
    free (digest);
    options.since = "2027-01-01";
    digest = digest_of (store, path, &options, &rc);
    CHECK (rc == 0 && strstr (digest, "No records in this period") != NULL);
    free (digest);
    options.since = "last tuesday";
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&text, &size);
    char *err = NULL;
    CHECK (kulak_digest (store, path, &options, out, &err) == -1);
    CHECK (err && strstr (err, "last tuesday") != NULL);
    fclose (out);
    free (text);
    free (err);
    kulak_store_close (&store);
    free (path);
}

TEST (test_estimate_fixed_ratio)
{
    char *path = NULL;
    kulak_store_t *store = small_store (&path);
    if (!store)
        return;
    kulak_report_options_t options;
    kulak_report_options_default (&options);
    json_t *root = estimate_of (store, &options);
    CHECK (root != NULL);
    if (root) {
        CHECK (number_at (root, "complainers") == 3);
        CHECK (number_at (root, "fixed_ratio.ratio") == 26);
        CHECK (number_at (root, "fixed_ratio.unhappy") == 78);
        CHECK (number_at (root, "fixed_ratio.silent") == 75);
        json_t *range = json_object_get (json_object_get (json_object_get (root, "fixed_ratio"),
                                                          "interval"), "unhappy");
        CHECK (json_array_size (range) == 2
               && json_number_value (json_array_get (range, 0)) == 12
               && json_number_value (json_array_get (range, 1)) == 78);
        /* 2 unhappy respondents (NPS 3 and 0): too few */
        CHECK_STR (string_at (root, "calibrated.status"), "not enough data");
        CHECK (number_at (root, "calibrated.unhappy_respondents") == 2);
        CHECK (number_at (root, "calibrated.also_complained") == 1);       /* C2 */
        json_t *themes = json_object_get (root, "themes");
        CHECK (json_array_size (themes) == 1);
        json_t *delay = json_array_get (themes, 0);
        CHECK_STR (string_at (delay, "theme"), "delay");
        CHECK (number_at (delay, "complainers") == 3);
    }
    json_decref (root);

    options.ratio = 10;
    options.ratio_low = 5;
    options.ratio_high = 20;
    options.since = "2026-03-10";                  /* C1 again and the social post */
    root = estimate_of (store, &options);
    CHECK (root && number_at (root, "complainers") == 2);
    CHECK (root && number_at (root, "fixed_ratio.unhappy") == 20);
    CHECK (root && number_at (root, "fixed_ratio.silent") == 18);
    json_decref (root);
    kulak_store_close (&store);
    free (path);
}

/* A database with `respondents` unhappy survey customers (NPS 4), the first `complained` of
   whom also wrote a complaint review, plus `others` complainers who answered no survey. */
static kulak_store_t *
survey_store (const char *name, int respondents, int complained, int others, char **path_p)
{
    kulak_store_t *store = new_store (name, path_p);
    if (!store)
        return NULL;
    char *err = NULL;
    kulak_store_begin (store, &err);
    for (int i = 0; i < respondents; i++) {
        char customer [16];
        snprintf (customer, sizeof customer, "U%d", i);
        put (store, KULAK_CHANNEL_SURVEY, customer, "2026-03-02T10:00:00Z", false, -1, 4, -1,
             NULL, "");
        if (i < complained)
            put (store, KULAK_CHANNEL_REVIEW, customer, "2026-03-03T10:00:00Z", true, 1, -1, -1,
                 "delay", "kargo gecikti");
    }
    for (int i = 0; i < others; i++) {
        char customer [16];
        snprintf (customer, sizeof customer, "X%d", i);
        put (store, KULAK_CHANNEL_SOCIAL, customer, "2026-03-04T10:00:00Z", true, -1, -1, -1,
             NULL, "rezalet");
    }
    /* happy respondents do not count */
    put (store, KULAK_CHANNEL_SURVEY, "H1", "2026-03-02T10:00:00Z", false, -1, 9, -1, NULL, "");
    kulak_store_commit (store, &err);
    free (err);
    return store;
}

TEST (test_estimate_calibrated)
{
    char *path = NULL;
    kulak_store_t *store = survey_store ("calibrated.db", 40, 10, 2, &path);
    CHECK (store != NULL);
    if (!store) {
        free (path);
        return;
    }
    kulak_report_options_t options;
    kulak_report_options_default (&options);
    json_t *root = estimate_of (store, &options);
    CHECK (root != NULL);
    if (root) {
        CHECK (number_at (root, "complainers") == 12);
        CHECK_STR (string_at (root, "calibrated.status"), "ok");
        CHECK (number_at (root, "calibrated.unhappy_respondents") == 40);
        CHECK (number_at (root, "calibrated.also_complained") == 10);
        double rate = number_at (root, "calibrated.complaint_rate");
        CHECK (fabs (rate - 10.0 / 40) < 1e-4);
        json_t *interval = json_object_get (json_object_get (root, "calibrated"),
                                            "rate_interval");
        double low = json_number_value (json_array_get (interval, 0));
        double high = json_number_value (json_array_get (interval, 1));
        CHECK (json_array_size (interval) == 2 && low < rate && rate < high);
        /* the Jeffreys interval: Beta(10.5, 30.5) at 5% and 95% */
        CHECK (fabs (low - kulak_beta_quantile (10.5, 30.5, 0.05)) < 1e-4);
        CHECK (fabs (high - kulak_beta_quantile (10.5, 30.5, 0.95)) < 1e-4);
        /* unhappy = complainers / rate = 12 / 0.25 */
        CHECK (number_at (root, "calibrated.unhappy") == 48);
        CHECK (number_at (root, "calibrated.silent") == 36);
        json_t *unhappy = json_object_get (json_object_get (json_object_get (root, "calibrated"),
                                                            "interval"), "unhappy");
        CHECK (json_number_value (json_array_get (unhappy, 0)) <= 48
               && json_number_value (json_array_get (unhappy, 1)) >= 48);
        /* the fixed ratio is still given next to it */
        CHECK (number_at (root, "fixed_ratio.unhappy") == 12 * 26);
    }
    json_decref (root);
    kulak_store_close (&store);
    free (path);
}

TEST (test_estimate_needs_twenty_respondents)
{
    char *path = NULL;
    kulak_store_t *store = survey_store ("nineteen.db", 19, 5, 0, &path);
    kulak_report_options_t options;
    kulak_report_options_default (&options);
    json_t *root = store ? estimate_of (store, &options) : NULL;
    CHECK (root != NULL);
    CHECK_STR (string_at (root, "calibrated.status"), "not enough data");
    CHECK (number_at (root, "calibrated.unhappy_respondents") == 19);
    json_decref (root);
    kulak_store_close (&store);
    free (path);

    store = survey_store ("twenty.db", 20, 5, 0, &path);
    root = store ? estimate_of (store, &options) : NULL;
    CHECK (root != NULL);
    CHECK_STR (string_at (root, "calibrated.status"), "ok");
    CHECK (fabs (number_at (root, "calibrated.complaint_rate") - 0.25) < 1e-4);
    CHECK (number_at (root, "calibrated.unhappy") == 20);
    json_decref (root);
    kulak_store_close (&store);
    free (path);

    /* enough respondents but none complained elsewhere: no rate to divide by */
    store = survey_store ("none.db", 25, 0, 3, &path);
    root = store ? estimate_of (store, &options) : NULL;
    CHECK (root != NULL);
    CHECK_STR (string_at (root, "calibrated.status"), "not enough data");
    CHECK (number_at (root, "complainers") == 3);
    json_decref (root);
    kulak_store_close (&store);
    free (path);
}

TEST (test_estimate_until_filters)
{
    char *path = NULL;
    kulak_store_t *store = survey_store ("period.db", 40, 10, 2, &path);
    kulak_report_options_t options;
    kulak_report_options_default (&options);
    options.until = "2026-03-03";                 /* before the two social complaints */
    json_t *root = store ? estimate_of (store, &options) : NULL;
    CHECK (root != NULL);
    CHECK (number_at (root, "complainers") == 10);
    CHECK (number_at (root, "calibrated.unhappy") == 40);
    options.until = "2026-03-02";                 /* before any complaint */
    json_decref (root);
    root = store ? estimate_of (store, &options) : NULL;
    CHECK (number_at (root, "complainers") == 0);
    CHECK (number_at (root, "fixed_ratio.unhappy") == 0);
    json_decref (root);
    kulak_store_close (&store);
    free (path);
}

int
main (void)
{
    if (!mkdtemp (s_dir)) {
        printf ("FAIL setup: cannot create a temporary folder\n");
        return 1;
    }
    RUN (test_beta_quantile_known_values);
    RUN (test_beta_quantile_monotone);
    RUN (test_digest_counts_and_nps);
    RUN (test_digest_escapes_html);
    RUN (test_digest_period);
    RUN (test_estimate_fixed_ratio);
    RUN (test_estimate_calibrated);
    RUN (test_estimate_needs_twenty_respondents);
    RUN (test_estimate_until_filters);
    char *cmd = kulak_sprintf ("rm -rf '%s'", s_dir);
    if (system (cmd) != 0)
        printf ("(could not remove %s)\n", s_dir);
    free (cmd);
    return CHECK_RESULT ();
}
