/*  web.h: the browser face of a running pipeline (`kulak run --serve --http ADDR`):
    a form where agents write notes (each answered with a receipt once the note is in the
    spool), the digest as a page, and the stages' counters as JSON for monitoring.

        GET  /          the note form
        POST /note      form fields text, author, customer -> receipt page
        GET  /digest    the digest (HTML; ?since=&until=)
        GET  /status    collect's counters and spool as JSON

    Everything a customer wrote is escaped before it reaches a page. */
#ifndef KULAK_WEB_H
#define KULAK_WEB_H

typedef struct kulak_web_t kulak_web_t;

/* address: "PORT" (on 127.0.0.1) or "HOST:PORT". */
kulak_web_t *kulak_web_start (const char *address, const char *db, const char *control_endpoint,
                              char **err);
void kulak_web_stop (kulak_web_t **self_p);

#endif
