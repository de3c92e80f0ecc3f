/*  report.c: the digest (Markdown) and the silent-unhappy estimate (JSON) over the store
    (see report.h for the method). The incomplete beta function is written here: it is the
    only numeric routine kulak needs, and GSL (GPL) would be a large dependency for it. */
#include "kulak/report.h"
#include "kulak/input.h"
#include "kulak/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIN_RESPONDENTS 20
#define CREDIBILITY 0.90
#define UNSOLICITED "('review','social','agent_note')"
#define PERIOD "COALESCE (r.time, r.first_stored) BETWEEN ?1 AND ?2"

void
kulak_report_options_default (kulak_report_options_t *o)
{
    memset (o, 0, sizeof *o);
    o->ratio = 26;
    o->ratio_low = 4;
    o->ratio_high = 26;
    o->lang = "en";
    o->top_themes = 10;
    o->quotes = 3;
    o->escape_html = true;
}

/* ---- the Beta distribution ----------------------------------------------------------- */

/* Continued fraction for the incomplete beta (modified Lentz), as in Press et al. */
static double
beta_fraction (double a, double b, double x)
{
    const double tiny = 1e-300;
    double qab = a + b, qap = a + 1, qam = a - 1;
    double c = 1, d = 1 - qab * x / qap;
    if (fabs (d) < tiny)
        d = tiny;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 300; m++) {
        int m2 = 2 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1 + aa * d;
        if (fabs (d) < tiny)
            d = tiny;
        c = 1 + aa / c;
        if (fabs (c) < tiny)
            c = tiny;
        d = 1 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1 + aa * d;
        if (fabs (d) < tiny)
            d = tiny;
        c = 1 + aa / c;
        if (fabs (c) < tiny)
            c = tiny;
        d = 1 / d;
        double delta = d * c;
        h *= delta;
        if (fabs (delta - 1) < 1e-12)
            break;
    }
    return h;
}

static double
beta_cdf (double a, double b, double x)
{
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    double front = exp (lgamma (a + b) - lgamma (a) - lgamma (b) + a * log (x) + b * log1p (-x));
    if (x < (a + 1) / (a + b + 2))
        return front * beta_fraction (a, b, x) / a;
    return 1 - front * beta_fraction (b, a, 1 - x) / b;
}

double
kulak_beta_quantile (double a, double b, double q)
{
    double low = 0, high = 1;
    for (int i = 0; i < 100; i++) {
        double mid = (low + high) / 2;
        if (beta_cdf (a, b, mid) < q)
            low = mid;
        else
            high = mid;
    }
    return (low + high) / 2;
}

/* ---- queries ------------------------------------------------------------------------ */

typedef struct {
    char since [21];
    char until [21];
} period_t;

static int
make_period (const kulak_report_options_t *o, period_t *period, char **err)
{
    strcpy (period->since, "0000-00-00T00:00:00Z");
    strcpy (period->until, "9999-12-31T23:59:59Z");
    if (o->since && kulak_input_parse_time (o->since, period->since) != 0) {
        *err = kulak_sprintf ("--since %s: not a date (use YYYY-MM-DD)", o->since);
        return -1;
    }
    if (o->until) {
        if (kulak_input_parse_time (o->until, period->until) != 0) {
            *err = kulak_sprintf ("--until %s: not a date (use YYYY-MM-DD)", o->until);
            return -1;
        }
        if (strlen (o->until) <= 10)                /* a date: the whole day counts */
            memcpy (period->until + 11, "23:59:59Z", 10);
    }
    return 0;
}

static sqlite3_stmt *
query (kulak_store_t *store, const period_t *period, const char *sql, char **err)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (kulak_store_db (store), sql, -1, &stmt, NULL) != SQLITE_OK) {
        *err = kulak_sprintf ("query failed: %s", sqlite3_errmsg (kulak_store_db (store)));
        return NULL;
    }
    if (period) {
        sqlite3_bind_text (stmt, 1, period->since, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text (stmt, 2, period->until, -1, SQLITE_TRANSIENT);
    }
    return stmt;
}

static long long
single_count (kulak_store_t *store, const period_t *period, const char *sql, const char *theme)
{
    char *err = NULL;
    sqlite3_stmt *stmt = query (store, period, sql, &err);
    long long n = 0;
    if (stmt) {
        if (theme)
            sqlite3_bind_text (stmt, 3, theme, -1, SQLITE_TRANSIENT);
        if (sqlite3_step (stmt) == SQLITE_ROW)
            n = sqlite3_column_int64 (stmt, 0);
        sqlite3_finalize (stmt);
    }
    free (err);
    return n;
}

/* ---- the estimate ------------------------------------------------------------------- */

typedef struct {
    long long complainers;
    double fixed_unhappy, fixed_low, fixed_high;
    bool calibrated;             /* enough survey data */
    long long respondents;       /* unhappy survey respondents with a customer key */
    long long also_complained;
    double rate, rate_low, rate_high;
    double unhappy, unhappy_low, unhappy_high;
    bool own_rate;               /* per theme: its own respondents, not the overall rate */
} estimate_t;

static const char *s_complainers_sql =
    "SELECT count (DISTINCT COALESCE (r.customer, 'record:' || r.id)) FROM records r"
    " WHERE r.complaint = 1 AND r.channel IN " UNSOLICITED " AND " PERIOD;
static const char *s_theme_complainers_sql =
    "SELECT count (DISTINCT COALESCE (r.customer, 'record:' || r.id)) FROM records r"
    " JOIN record_themes t ON t.record_id = r.id"
    " WHERE r.complaint = 1 AND r.channel IN " UNSOLICITED " AND " PERIOD " AND t.theme = ?3";
static const char *s_respondents_sql =
    "SELECT count (*), COALESCE (sum (EXISTS (SELECT 1 FROM records c WHERE c.customer = s.customer"
    "   AND c.complaint = 1 AND c.channel IN " UNSOLICITED ")), 0)"
    " FROM (SELECT DISTINCT r.customer FROM records r WHERE r.channel = 'survey'"
    "   AND r.customer IS NOT NULL AND (r.nps <= 6 OR r.csat <= 2) AND " PERIOD ") s";
/* Per theme: respondents unhappy about the theme, and which of them complained about it. */
static const char *s_theme_respondents_sql =
    "SELECT count (*), COALESCE (sum (EXISTS (SELECT 1 FROM records c JOIN record_themes ct"
    "   ON ct.record_id = c.id AND ct.theme = ?3 WHERE c.customer = s.customer"
    "   AND c.complaint = 1 AND c.channel IN " UNSOLICITED ")), 0)"
    " FROM (SELECT DISTINCT r.customer FROM records r JOIN record_themes t ON t.record_id = r.id"
    "   WHERE r.channel = 'survey' AND r.customer IS NOT NULL AND (r.nps <= 6 OR r.csat <= 2)"
    "   AND " PERIOD " AND t.theme = ?3) s";

static void
calibrate (estimate_t *e, long long n, long long k)
{
    e->respondents = n;
    e->also_complained = k;
    e->calibrated = n >= MIN_RESPONDENTS && k >= 1;
    if (!e->calibrated)
        return;
    double a = (double) k + 0.5, b = (double) (n - k) + 0.5;
    e->rate = (double) k / (double) n;
    e->rate_low = kulak_beta_quantile (a, b, (1 - CREDIBILITY) / 2);
    e->rate_high = kulak_beta_quantile (a, b, 1 - (1 - CREDIBILITY) / 2);
    e->unhappy = (double) e->complainers / e->rate;
    e->unhappy_low = (double) e->complainers / e->rate_high;
    e->unhappy_high = (double) e->complainers / e->rate_low;
}

static void
estimate_for (kulak_store_t *store, const period_t *period, const kulak_report_options_t *o,
              const char *theme, const estimate_t *overall, estimate_t *e)
{
    memset (e, 0, sizeof *e);
    e->complainers = single_count (store, period, theme ? s_theme_complainers_sql
                                                        : s_complainers_sql, theme);
    e->fixed_unhappy = (double) e->complainers * o->ratio;
    /* the interval holds the chosen ratio even when --ratio lies outside --ratio-range */
    e->fixed_low = (double) e->complainers * fmin (o->ratio_low, o->ratio);
    e->fixed_high = (double) e->complainers * fmax (o->ratio_high, o->ratio);
    char *err = NULL;
    sqlite3_stmt *stmt = query (store, period, theme ? s_theme_respondents_sql : s_respondents_sql,
                                &err);
    long long n = 0, k = 0;
    if (stmt) {
        if (theme)
            sqlite3_bind_text (stmt, 3, theme, -1, SQLITE_TRANSIENT);
        if (sqlite3_step (stmt) == SQLITE_ROW) {
            n = sqlite3_column_int64 (stmt, 0);
            k = sqlite3_column_int64 (stmt, 1);
        }
        sqlite3_finalize (stmt);
    }
    free (err);
    calibrate (e, n, k);
    e->own_rate = e->calibrated;
    if (!e->calibrated && overall && overall->calibrated) {
        /* Too few respondents mention this theme: use the overall complaint rate. */
        e->respondents = n;
        e->also_complained = k;
        e->calibrated = true;
        e->rate = overall->rate;
        e->rate_low = overall->rate_low;
        e->rate_high = overall->rate_high;
        e->unhappy = (double) e->complainers / e->rate;
        e->unhappy_low = (double) e->complainers / e->rate_high;
        e->unhappy_high = (double) e->complainers / e->rate_low;
    }
}

static void
json_estimate (kulak_buf_t *buf, const estimate_t *e, const kulak_report_options_t *o)
{
    double c = (double) e->complainers;
    kulak_buf_printf (buf, "\"complainers\":%lld,\"fixed_ratio\":{\"ratio\":%g,"
                      "\"source\":\"%s\",\"unhappy\":%.0f,\"silent\":%.0f,\"interval\":{"
                      "\"ratio_range\":[%g,%g],\"range_source\":\"TARP: about 1 in 4 complain "
                      "about serious problems, 1 in 20 or fewer about irritations\","
                      "\"unhappy\":[%.0f,%.0f],\"silent\":[%.0f,%.0f]}}",
                      e->complainers, o->ratio, o->ratio == 26
                      ? "widely quoted rule of thumb (TARP): 1 in 26 unhappy customers complains"
                      : "the ratio given with --ratio", e->fixed_unhappy, e->fixed_unhappy - c,
                      fmin (o->ratio_low, o->ratio), fmax (o->ratio_high, o->ratio),
                      e->fixed_low, e->fixed_high,
                      e->fixed_low - c, e->fixed_high - c);
    kulak_buf_printf (buf, ",\"calibrated\":{\"unhappy_respondents\":%lld,\"also_complained\":%lld,",
                      e->respondents, e->also_complained);
    if (!e->calibrated) {
        kulak_buf_printf (buf, "\"status\":\"not enough data\",\"needs\":\"at least %d unhappy "
                          "survey respondents with a customer key, and at least one of them "
                          "complaining elsewhere\"}", MIN_RESPONDENTS);
        return;
    }
    kulak_buf_printf (buf, "\"status\":\"ok\",\"rate_from\":\"%s\",\"complaint_rate\":%.4f,"
                      "\"rate_interval\":[%.4f,%.4f],\"credibility\":%.2f,\"prior\":\"Jeffreys "
                      "Beta(1/2, 1/2)\",\"unhappy\":%.0f,\"silent\":%.0f,\"interval\":{\"unhappy\":"
                      "[%.0f,%.0f],\"silent\":[%.0f,%.0f]}}",
                      e->own_rate ? "these respondents" : "all unhappy respondents (too few for "
                      "this theme alone)", e->rate, e->rate_low, e->rate_high, CREDIBILITY,
                      e->unhappy, e->unhappy - c, e->unhappy_low, e->unhappy_high,
                      e->unhappy_low - c, e->unhappy_high - c);
}

static sqlite3_stmt *
top_themes_query (kulak_store_t *store, const period_t *period, int limit, char **err)
{
    char *sql = kulak_sprintf (
        "SELECT t.theme, count (*), sum (r.complaint), sum (t.label = 'neg'), avg (t.sentiment),"
        " COALESCE ((SELECT name_en FROM themes WHERE id = t.theme), t.theme),"
        " COALESCE ((SELECT name_tr FROM themes WHERE id = t.theme), t.theme)"
        " FROM record_themes t JOIN records r ON r.id = t.record_id WHERE " PERIOD
        " GROUP BY t.theme ORDER BY sum (r.complaint) DESC, count (*) DESC, t.theme LIMIT %d",
        limit);
    sqlite3_stmt *stmt = query (store, period, sql, err);
    free (sql);
    return stmt;
}

int
kulak_estimate (kulak_store_t *store, const kulak_report_options_t *o, FILE *out, char **err)
{
    period_t period;
    if (make_period (o, &period, err) != 0)
        return -1;
    estimate_t overall;
    estimate_for (store, &period, o, NULL, NULL, &overall);
    kulak_buf_t buf;
    kulak_buf_init (&buf);
    kulak_buf_printf (&buf, "{\"period\":{\"since\":\"%s\",\"until\":\"%s\"},", period.since,
                      period.until);
    json_estimate (&buf, &overall, o);
    kulak_buf_puts (&buf, ",\"themes\":[");
    sqlite3_stmt *stmt = top_themes_query (store, &period, 1000, err);
    if (!stmt) {
        kulak_buf_free (&buf);
        return -1;
    }
    bool first = true;
    while (sqlite3_step (stmt) == SQLITE_ROW) {
        const char *theme = (const char *) sqlite3_column_text (stmt, 0);
        estimate_t e;
        estimate_for (store, &period, o, theme, &overall, &e);
        if (e.complainers == 0)
            continue;
        kulak_buf_puts (&buf, first ? "{\"theme\":" : ",{\"theme\":");
        kulak_buf_json_string (&buf, theme);
        kulak_buf_putc (&buf, ',');
        json_estimate (&buf, &e, o);
        kulak_buf_putc (&buf, '}');
        first = false;
    }
    sqlite3_finalize (stmt);
    kulak_buf_puts (&buf, "]}\n");
    fputs (buf.data, out);
    kulak_buf_free (&buf);
    return 0;
}

/* ---- the digest ----------------------------------------------------------------------- */

/* Text for Markdown: one line, HTML-significant characters as entities (a review can hold
   <script>), Markdown's own characters escaped. */
static bool s_escape_html = true;     /* set per report from its options */

static void
md_text (FILE *out, const char *text, size_t limit)
{
    size_t written = 0;
    for (const unsigned char *p = (const unsigned char *) text; *p; p++) {
        if (written >= limit && (*p & 0xC0) != 0x80) {
            fputs ("…", out);
            break;
        }
        switch (*p) {
            case '&': fputs (s_escape_html ? "&amp;" : "&", out); break;
            case '<': fputs (s_escape_html ? "&lt;" : "<", out); break;
            case '>': fputs (s_escape_html ? "&gt;" : ">", out); break;
            case '\n': case '\r': case '\t': fputc (' ', out); break;
            case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '#':
                fputc ('\\', out);
                fputc (*p, out);
                break;
            default: fputc (*p, out);
        }
        written++;
    }
}

static void
digest_volume (kulak_store_t *store, const period_t *period, FILE *out)
{
    char *err = NULL;
    sqlite3_stmt *stmt = query (store, period,
        "SELECT r.channel, sum (r.lang = 'tr'), sum (r.lang = 'en'), count (*), sum (r.complaint),"
        " sum (r.label = 'neg'), sum (r.label = 'pos')"
        " FROM records r WHERE " PERIOD " GROUP BY r.channel ORDER BY count (*) DESC", &err);
    if (!stmt) {
        free (err);
        return;
    }
    fprintf (out, "## Volume\n\n| channel | Turkish | English | total | complaints | negative | positive |\n"
                  "|---|---:|---:|---:|---:|---:|---:|\n");
    long long totals [6] = { 0 };
    while (sqlite3_step (stmt) == SQLITE_ROW) {
        fprintf (out, "| %s |", (const char *) sqlite3_column_text (stmt, 0));
        for (int c = 1; c <= 6; c++) {
            long long n = sqlite3_column_int64 (stmt, c);
            totals [c - 1] += n;
            fprintf (out, " %lld |", n);
        }
        fprintf (out, "\n");
    }
    fprintf (out, "| **all** |");
    for (int c = 0; c < 6; c++)
        fprintf (out, " **%lld** |", totals [c]);
    fprintf (out, "\n\n");
    sqlite3_finalize (stmt);
}

static void
digest_scores (kulak_store_t *store, const period_t *period, FILE *out)
{
    char *err = NULL;
    sqlite3_stmt *stmt = query (store, period,
        "SELECT count (r.nps), sum (r.nps >= 9), sum (r.nps <= 6),"
        " count (r.csat), avg (r.csat), sum (r.csat >= 4),"
        " count (r.ces), avg (r.ces), sum (r.ces <= 3)"
        " FROM records r WHERE r.channel = 'survey' AND " PERIOD, &err);
    if (!stmt) {
        free (err);
        return;
    }
    fprintf (out, "## Survey scores\n\n");
    if (sqlite3_step (stmt) == SQLITE_ROW) {
        long long nps_n = sqlite3_column_int64 (stmt, 0);
        long long promoters = sqlite3_column_int64 (stmt, 1);
        long long detractors = sqlite3_column_int64 (stmt, 2);
        long long csat_n = sqlite3_column_int64 (stmt, 3);
        long long ces_n = sqlite3_column_int64 (stmt, 6);
        if (nps_n)
            fprintf (out, "- **NPS %+.0f** from %lld answers: %lld promoters (9-10), %lld passives, "
                     "%lld detractors (0-6)\n", 100.0 * (double) (promoters - detractors) / (double) nps_n,
                     nps_n, promoters, nps_n - promoters - detractors, detractors);
        else
            fprintf (out, "- NPS: no answers in this period\n");
        if (csat_n)
            fprintf (out, "- **CSAT %.2f / 5** from %lld answers; %.0f%% satisfied (4-5)\n",
                     sqlite3_column_double (stmt, 4), csat_n,
                     100.0 * (double) sqlite3_column_int64 (stmt, 5) / (double) csat_n);
        else
            fprintf (out, "- CSAT: no answers in this period\n");
        if (ces_n)
            fprintf (out, "- **CES %.2f / 7** from %lld answers (lower is easier); %.0f%% found it "
                     "easy (1-3)\n", sqlite3_column_double (stmt, 7), ces_n,
                     100.0 * (double) sqlite3_column_int64 (stmt, 8) / (double) ces_n);
        else
            fprintf (out, "- CES: no answers in this period\n");
    }
    fprintf (out, "\n");
    sqlite3_finalize (stmt);
}

static void
digest_estimate (kulak_store_t *store, const period_t *period, const kulak_report_options_t *o,
                 FILE *out)
{
    estimate_t e;
    estimate_for (store, period, o, NULL, NULL, &e);
    double c = (double) e.complainers;
    fprintf (out, "## Silent unhappy customers\n\n");
    fprintf (out, "%lld customers complained in reviews, social media or to agents.\n\n",
             e.complainers);
    fprintf (out, "- **Fixed ratio %g** (%s): about **%.0f unhappy customers, %.0f of them silent**. TARP reports from "
             "about 1 in %g complaining (serious problems) to 1 in %g (irritations): "
             "%.0f to %.0f unhappy, %.0f to %.0f silent.\n",
             o->ratio, o->ratio == 26 ? "a widely quoted rule of thumb from TARP studies, not a law"
                                      : "the ratio given with --ratio",
             e.fixed_unhappy, e.fixed_unhappy - c, fmin (o->ratio_low, o->ratio),
             fmax (o->ratio_high, o->ratio),
             e.fixed_low, e.fixed_high, e.fixed_low - c, e.fixed_high - c);
    if (e.calibrated)
        fprintf (out, "- **Calibrated from your surveys**: of %lld unhappy respondents (NPS 0-6 or "
                 "CSAT 1-2) with a customer key, %lld also complained elsewhere: a complaint "
                 "rate of %.0f%% (90%% interval %.0f%%-%.0f%%, Jeffreys prior). That means about "
                 "**%.0f unhappy customers, %.0f silent** (90%% interval %.0f-%.0f silent).\n",
                 e.respondents, e.also_complained, 100 * e.rate, 100 * e.rate_low,
                 100 * e.rate_high, e.unhappy, e.unhappy - c, e.unhappy_low - c,
                 e.unhappy_high - c);
    else
        fprintf (out, "- Calibrated from surveys: not enough data (%lld unhappy respondents with "
                 "a customer key, %lld of them complained elsewhere; at least %d respondents "
                 "and one complaint are needed).\n", e.respondents, e.also_complained,
                 MIN_RESPONDENTS);
    fprintf (out, "\nPer theme: `kulak estimate` (JSON).\n\n");
}

int
kulak_digest (kulak_store_t *store, const char *db_path, const kulak_report_options_t *o,
              FILE *out, char **err)
{
    period_t period;
    if (make_period (o, &period, err) != 0)
        return -1;
    s_escape_html = o->escape_html;
    char now [21];
    kulak_now_iso (now);
    long long records = single_count (store, &period,
                                      "SELECT count (*) FROM records r WHERE " PERIOD, NULL);
    fprintf (out, "# kulak digest\n\n");
    fprintf (out, "Period: %s to %s. %lld records. Generated %s from `", o->since ? o->since
             : "the first record", o->until ? o->until : "the last record", records, now);
    md_text (out, db_path, 200);
    fprintf (out, "`.\n\n");
    if (records == 0) {
        fprintf (out, "No records in this period.\n");
        return 0;
    }
    digest_volume (store, &period, out);

    bool turkish = o->lang && strcmp (o->lang, "tr") == 0;
    sqlite3_stmt *stmt = top_themes_query (store, &period, o->top_themes, err);
    if (!stmt)
        return -1;
    fprintf (out, "## Complaint themes\n\n| # | theme | records | complaints | negative | "
                  "mean sentiment |\n|---:|---|---:|---:|---:|---:|\n");
    char **themes = NULL;
    char **names = NULL;
    long long *counts = NULL;
    int theme_count = 0;
    while (sqlite3_step (stmt) == SQLITE_ROW) {
        const char *theme = (const char *) sqlite3_column_text (stmt, 0);
        const char *name = (const char *) sqlite3_column_text (stmt, turkish ? 6 : 5);
        long long n = sqlite3_column_int64 (stmt, 1);
        fprintf (out, "| %d | ", theme_count + 1);
        md_text (out, name, 80);
        fprintf (out, " (`%s`) | %lld | %lld | %.0f%% | %+.2f |\n", theme, n,
                 (long long) sqlite3_column_int64 (stmt, 2),
                 100.0 * (double) sqlite3_column_int64 (stmt, 3) / (double) n,
                 sqlite3_column_double (stmt, 4));
        themes = kulak_realloc (themes, (size_t) (theme_count + 1) * sizeof *themes);
        names = kulak_realloc (names, (size_t) (theme_count + 1) * sizeof *names);
        counts = kulak_realloc (counts, (size_t) (theme_count + 1) * sizeof *counts);
        themes [theme_count] = kulak_strdup (theme);
        names [theme_count] = kulak_strdup (name);
        counts [theme_count] = n;
        theme_count++;
    }
    sqlite3_finalize (stmt);
    if (theme_count == 0)
        fprintf (out, "| | no themes found | | | | |\n");
    fprintf (out, "\n");
    digest_scores (store, &period, out);
    digest_estimate (store, &period, o, out);

    fprintf (out, "## What customers say\n\nPersonal data is masked; quotes are the most negative "
                  "complaints of each theme.\n\n");
    for (int i = 0; i < theme_count && i < 5; i++) {
        fprintf (out, "### ");
        md_text (out, names [i], 80);
        fprintf (out, " (%lld)\n\n", counts [i]);
        sqlite3_stmt *quotes = query (store, &period,
            "SELECT r.text, r.channel, r.source, substr (COALESCE (r.time, r.first_stored), 1, 10)"
            " FROM record_themes t JOIN records r ON r.id = t.record_id"
            " WHERE t.theme = ?3 AND r.complaint = 1 AND " PERIOD
            " ORDER BY (length (r.text) BETWEEN 30 AND 400) DESC, t.sentiment, r.sentiment, r.id"
            " LIMIT ?4", err);
        if (!quotes)
            break;
        sqlite3_bind_text (quotes, 3, themes [i], -1, SQLITE_TRANSIENT);
        sqlite3_bind_int (quotes, 4, o->quotes);
        while (sqlite3_step (quotes) == SQLITE_ROW) {
            fprintf (out, "> ");
            md_text (out, (const char *) sqlite3_column_text (quotes, 0), 400);
            fprintf (out, "\n>\n> — %s, ", (const char *) sqlite3_column_text (quotes, 1));
            md_text (out, sqlite3_column_text (quotes, 2)
                          ? (const char *) sqlite3_column_text (quotes, 2) : "", 60);
            fprintf (out, ", %s\n\n", (const char *) sqlite3_column_text (quotes, 3));
        }
        sqlite3_finalize (quotes);
    }
    long long quarantined = single_count (store, NULL, "SELECT count (*) FROM quarantine", NULL);
    if (quarantined)
        fprintf (out, "## Quarantine\n\n%lld input rows could not be read; see them with "
                 "`sqlite3 %s 'select origin, reason from quarantine'`.\n", quarantined, db_path);
    for (int i = 0; i < theme_count; i++) {
        free (themes [i]);
        free (names [i]);
    }
    free (themes);
    free (names);
    free (counts);
    return 0;
}
