/*  report.h: what CX managers read: the Markdown digest and the silent-unhappy estimate.
    Both are queries over the store; neither changes it.

    The estimate states where its ratio comes from and how sure it is:
    - fixed ratio (default 26, the widely quoted TARP rule of thumb): unhappy = complainers
      x ratio, silent = unhappy - complainers; the interval uses the range TARP reports by
      severity (about 1 in 4 complain about serious problems, 1 in 20 or fewer about
      irritations), 4 to 26 unless --ratio-range says otherwise;
    - calibrated from surveys: among unhappy survey respondents (NPS 0-6 or CSAT 1-2) with a
      customer key, the share p who also complained in an unsolicited channel (review,
      social, agent note) at any time estimates the complaint rate (a complaint may come
      before or after the survey, so only the respondents follow --since/--until); unhappy = complainers / p, with a
      90% interval from the Jeffreys Beta(k + 1/2, n - k + 1/2) posterior of p. With fewer
      than 20 such respondents or none who complained it says "not enough data".
    Per theme, the rate comes from respondents unhappy about that theme (their survey comment
    names it) and whether they complained about it; with fewer than 20 such respondents the
    overall rate is used, and the JSON says so.
    Complainers are distinct customers with a complaint in those channels; a complaint with
    no customer key counts as one customer. --since/--until are UTC dates. */
#ifndef KULAK_REPORT_H
#define KULAK_REPORT_H

#include "kulak/store.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct {
    const char *since;           /* inclusive; date or timestamp; NULL: from the start */
    const char *until;           /* inclusive; NULL: to the end */
    double ratio;                /* fixed ratio, default 26 */
    double ratio_low;            /* interval of the fixed ratio, default 4..26 */
    double ratio_high;
    const char *lang;            /* theme names in "tr" or "en" */
    int top_themes;              /* themes listed in the digest, default 10 */
    int quotes;                  /* quotes per top theme, default 3 */
    bool escape_html;            /* customers' < > & as entities (default); off when the page
                                    that shows the Markdown escapes it itself */
} kulak_report_options_t;

void kulak_report_options_default (kulak_report_options_t *options);
int kulak_digest (kulak_store_t *store, const char *db_path, const kulak_report_options_t *options,
                  FILE *out, char **err);
int kulak_estimate (kulak_store_t *store, const kulak_report_options_t *options, FILE *out,
                    char **err);

/* Quantile of the Beta(a, b) distribution (bisection on the regularized incomplete beta). */
double kulak_beta_quantile (double a, double b, double q);

#endif
