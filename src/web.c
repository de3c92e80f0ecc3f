/*  web.c: the note form, digest page and status JSON over libmicrohttpd (see web.h). */
#include "kulak/web.h"
#include "kulak/note.h"
#include "kulak/report.h"
#include "kulak/store.h"
#include "kulak/util.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FIELD_MAX 65536

struct kulak_web_t {
    struct MHD_Daemon *daemon;
    char *db;
    char *control;
};

typedef struct {
    struct MHD_PostProcessor *post;
    kulak_buf_t text;
    kulak_buf_t author;
    kulak_buf_t customer;
    bool too_big;
    bool not_a_form;             /* a body that is not form data */
    bool foreign;                /* posted from another site's page */
} post_state_t;

static void
html_text (kulak_buf_t *out, const char *text)
{
    for (const char *p = text ? text : ""; *p; p++)
        switch (*p) {
            case '&': kulak_buf_puts (out, "&amp;"); break;
            case '<': kulak_buf_puts (out, "&lt;"); break;
            case '>': kulak_buf_puts (out, "&gt;"); break;
            case '"': kulak_buf_puts (out, "&quot;"); break;
            case '\'': kulak_buf_puts (out, "&#39;"); break;
            default: kulak_buf_putc (out, *p);
        }
}

static void
page_start (kulak_buf_t *out, const char *title)
{
    kulak_buf_puts (out, "<!doctype html><html lang=\"tr\"><head><meta charset=\"utf-8\">"
                         "<meta name=\"viewport\" content=\"width=device-width\"><title>");
    html_text (out, title);
    kulak_buf_puts (out, "</title><style>body{font-family:sans-serif;max-width:46em;margin:2em auto;"
                         "padding:0 1em}textarea,input{width:100%;box-sizing:border-box;font:inherit;"
                         "margin:.3em 0 1em}textarea{height:9em}button{font:inherit;padding:.4em 1.2em}"
                         "pre{white-space:pre-wrap}.ok{color:#064}.err{color:#900}</style></head><body>"
                         "<nav><a href=\"/\">Not / Note</a> · <a href=\"/digest\">Özet / Digest</a> · "
                         "<a href=\"/status\">Durum / Status</a></nav>");
}

static enum MHD_Result
respond (struct MHD_Connection *connection, unsigned int status, const char *type, kulak_buf_t *body)
{
    struct MHD_Response *response = MHD_create_response_from_buffer (body->len, body->data,
                                                                     MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header (response, "Content-Type", type);
    MHD_add_response_header (response, "Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'");
    MHD_add_response_header (response, "X-Content-Type-Options", "nosniff");
    enum MHD_Result rc = MHD_queue_response (connection, status, response);
    MHD_destroy_response (response);
    kulak_buf_free (body);
    return rc;
}

static enum MHD_Result
form_page (struct MHD_Connection *connection)
{
    kulak_buf_t out;
    kulak_buf_init (&out);
    page_start (&out, "kulak: not bırak / leave a note");
    kulak_buf_puts (&out, "<h1>Not bırak · Leave a note</h1>"
        "<p>Müşterinin söylediği ya da işinizi zorlaştıran bir kural, süreç... / What a customer "
        "told you, or a rule or process that makes service hard.</p>"
        "<form method=\"post\" action=\"/note\">"
        "<label>Not / Note<textarea name=\"text\" required maxlength=\"20000\"></textarea></label>"
        "<label>Adınız / Your name<input name=\"author\" maxlength=\"200\"></label>"
        "<label>Müşteri no (isteğe bağlı) / Customer key (optional)"
        "<input name=\"customer\" maxlength=\"200\"></label>"
        "<button type=\"submit\">Gönder / Send</button></form>");
    kulak_buf_puts (&out, "</body></html>");
    return respond (connection, MHD_HTTP_OK, "text/html; charset=utf-8", &out);
}

static enum MHD_Result
collect_field (void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
               const char *content_type, const char *encoding, const char *data, uint64_t off,
               size_t size)
{
    (void) kind; (void) filename; (void) content_type; (void) encoding; (void) off;
    post_state_t *state = cls;
    kulak_buf_t *target = strcmp (key, "text") == 0 ? &state->text
                        : strcmp (key, "author") == 0 ? &state->author
                        : strcmp (key, "customer") == 0 ? &state->customer : NULL;
    if (target) {
        if (target->len + size > FIELD_MAX) {
            state->too_big = true;
            return MHD_NO;
        }
        kulak_buf_append (target, data, size);
    }
    return MHD_YES;
}

static enum MHD_Result
note_page (kulak_web_t *self, struct MHD_Connection *connection, post_state_t *state)
{
    kulak_buf_t out;
    kulak_buf_init (&out);
    page_start (&out, "kulak: not / note");
    unsigned int status = MHD_HTTP_OK;
    if (state->too_big || kulak_str_empty (state->text.data)) {
        status = MHD_HTTP_BAD_REQUEST;
        kulak_buf_puts (&out, state->too_big
            ? "<p class=\"err\">Not çok uzun (en çok 64 KiB). / The note is too long (64 KiB at most).</p>"
            : "<p class=\"err\">Not boş. / The note is empty.</p>");
    }
    else {
        kulak_note_t note = {
            .text = state->text.data,
            .author = kulak_str_empty (state->author.data) ? "agent (web)" : state->author.data,
            .customer = state->customer.data,
            .source = "web form",
        };
        char *id = NULL, *spooled_at = NULL, *err = NULL;
        if (kulak_note_send (self->control, &note, 10000, &id, &spooled_at, &err) == 0) {
            kulak_buf_puts (&out, "<p class=\"ok\">Not alındı. / Note received.</p><p>Kayıt / "
                                  "Receipt: <code id=\"receipt\">");
            html_text (&out, id);
            kulak_buf_puts (&out, "</code>, ");
            html_text (&out, spooled_at);
            kulak_buf_puts (&out, "</p>");
        }
        else {
            status = MHD_HTTP_SERVICE_UNAVAILABLE;
            kulak_buf_puts (&out, "<p class=\"err\">Not ALINMADI, tekrar deneyin. / The note was NOT "
                                  "taken; please try again.</p><pre>");
            html_text (&out, err);
            kulak_buf_puts (&out, "</pre>");
        }
        free (id);
        free (spooled_at);
        free (err);
    }
    kulak_buf_puts (&out, "<p><a href=\"/\">Yeni not / Another note</a></p></body></html>");
    return respond (connection, status, "text/html; charset=utf-8", &out);
}

static enum MHD_Result
digest_page (kulak_web_t *self, struct MHD_Connection *connection)
{
    kulak_report_options_t options;
    kulak_report_options_default (&options);
    options.escape_html = false;         /* the page escapes the Markdown as a whole */
    options.since = MHD_lookup_connection_value (connection, MHD_GET_ARGUMENT_KIND, "since");
    options.until = MHD_lookup_connection_value (connection, MHD_GET_ARGUMENT_KIND, "until");
    const char *lang = MHD_lookup_connection_value (connection, MHD_GET_ARGUMENT_KIND, "lang");
    if (lang && (strcmp (lang, "tr") == 0 || strcmp (lang, "en") == 0))
        options.lang = lang;
    kulak_buf_t out;
    kulak_buf_init (&out);
    page_start (&out, "kulak digest");
    char *err = NULL;
    kulak_store_t *store = kulak_store_open (self->db, true, &err);
    unsigned int status = MHD_HTTP_OK;
    if (store) {
        char *markdown = NULL;
        size_t len = 0;
        FILE *memory = open_memstream (&markdown, &len);
        if (kulak_digest (store, self->db, &options, memory, &err) != 0)
            status = MHD_HTTP_BAD_REQUEST;
        fclose (memory);
        /* The Markdown, escaped once for HTML (customers' text included). */
        kulak_buf_puts (&out, "<pre>");
        html_text (&out, markdown);
        kulak_buf_puts (&out, "</pre>");
        free (markdown);
        kulak_store_close (&store);
    }
    else
        status = MHD_HTTP_SERVICE_UNAVAILABLE;
    if (err) {
        kulak_buf_puts (&out, "<p class=\"err\">");
        html_text (&out, err);
        kulak_buf_puts (&out, "</p>");
        free (err);
    }
    kulak_buf_puts (&out, "</body></html>");
    return respond (connection, status, "text/html; charset=utf-8", &out);
}

static enum MHD_Result
status_page (kulak_web_t *self, struct MHD_Connection *connection)
{
    kulak_buf_t out;
    kulak_buf_init (&out);
    char *err = NULL;
    char *stage = kulak_control_request (self->control, "STATUS", 2000, &err);
    char *spool = stage ? kulak_control_request (self->control, "SPOOL", 2000, &err) : NULL;
    if (stage && spool)
        kulak_buf_printf (&out, "{\"collect\":%s,\"spool\":%s}\n", stage, spool);
    else {
        kulak_buf_puts (&out, "{\"error\":");
        kulak_buf_json_string (&out, err);
        kulak_buf_puts (&out, "}\n");
    }
    free (stage);
    free (spool);
    free (err);
    return respond (connection, stage && spool ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE,
                    "application/json", &out);
}

/* A browser says which page a form came from (Origin, else Referer): a note may only come
   from this server's own form, so another site cannot make an agent's browser post one.
   Tools such as curl send neither and are let through. */
static bool
same_origin (struct MHD_Connection *connection)
{
    const char *host = MHD_lookup_connection_value (connection, MHD_HEADER_KIND, "Host");
    const char *from = MHD_lookup_connection_value (connection, MHD_HEADER_KIND, "Origin");
    if (!from || strcmp (from, "null") == 0)
        from = MHD_lookup_connection_value (connection, MHD_HEADER_KIND, "Referer");
    if (!from)
        return true;
    const char *scheme = strstr (from, "://");
    if (!scheme || !host)
        return false;
    const char *authority = scheme + 3;
    size_t length = strcspn (authority, "/?#");
    return strlen (host) == length && strncasecmp (authority, host, length) == 0;
}

static enum MHD_Result
handle (void *cls, struct MHD_Connection *connection, const char *url, const char *method,
        const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void) version;
    kulak_web_t *self = cls;
    if (strcmp (method, "POST") == 0 && strcmp (url, "/note") == 0) {
        post_state_t *state = *con_cls;
        if (!state) {
            state = kulak_calloc (1, sizeof *state);
            kulak_buf_init (&state->text);
            kulak_buf_init (&state->author);
            kulak_buf_init (&state->customer);
            state->post = MHD_create_post_processor (connection, 8192, collect_field, state);
            state->not_a_form = !state->post;
            state->foreign = !same_origin (connection);
            *con_cls = state;
            return MHD_YES;
        }
        if (*upload_size) {
            if (state->post && !state->foreign
                && MHD_post_process (state->post, upload_data, *upload_size) != MHD_YES)
                state->too_big = true;
            *upload_size = 0;
            return MHD_YES;
        }
        if (state->foreign || state->not_a_form) {
            kulak_buf_t out;
            kulak_buf_init (&out);
            kulak_buf_puts (&out, state->foreign
                ? "refused: the note was posted from another site's page\n"
                : "send the note as a form (application/x-www-form-urlencoded or multipart/form-data)\n");
            return respond (connection, state->foreign ? MHD_HTTP_FORBIDDEN
                                                       : MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
                            "text/plain; charset=utf-8", &out);
        }
        return note_page (self, connection, state);
    }
    if (strcmp (method, "GET") != 0 && strcmp (method, "HEAD") != 0) {
        kulak_buf_t out;
        kulak_buf_init (&out);
        kulak_buf_puts (&out, "method not allowed\n");
        return respond (connection, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", &out);
    }
    if (strcmp (url, "/") == 0)
        return form_page (connection);
    if (strcmp (url, "/digest") == 0)
        return digest_page (self, connection);
    if (strcmp (url, "/status") == 0)
        return status_page (self, connection);
    kulak_buf_t out;
    kulak_buf_init (&out);
    kulak_buf_puts (&out, "not found: try / , /digest or /status\n");
    return respond (connection, MHD_HTTP_NOT_FOUND, "text/plain", &out);
}

static void
request_done (void *cls, struct MHD_Connection *connection, void **con_cls,
              enum MHD_RequestTerminationCode code)
{
    (void) cls; (void) connection; (void) code;
    post_state_t *state = *con_cls;
    if (!state)
        return;
    if (state->post)
        MHD_destroy_post_processor (state->post);
    kulak_buf_free (&state->text);
    kulak_buf_free (&state->author);
    kulak_buf_free (&state->customer);
    free (state);
    *con_cls = NULL;
}

kulak_web_t *
kulak_web_start (const char *address, const char *db, const char *control_endpoint, char **err)
{
    struct sockaddr_in sin = { .sin_family = AF_INET };
    char host [64] = "127.0.0.1";
    int port = 0;
    const char *colon = strrchr (address, ':');
    if (colon) {
        snprintf (host, sizeof host, "%.*s", (int) (colon - address), address);
        port = atoi (colon + 1);
    }
    else
        port = atoi (address);
    if (port <= 0 || port > 65535 || inet_pton (AF_INET, host, &sin.sin_addr) != 1) {
        *err = kulak_sprintf ("--http %s: expected PORT or IPV4:PORT, e.g. 8080 or 0.0.0.0:8080",
                              address);
        return NULL;
    }
    sin.sin_port = htons ((uint16_t) port);
    kulak_web_t *self = kulak_calloc (1, sizeof *self);
    self->db = kulak_strdup (db);
    self->control = kulak_strdup (control_endpoint);
    self->daemon = MHD_start_daemon (MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG,
                                     (uint16_t) port, NULL, NULL, handle, self,
                                     MHD_OPTION_SOCK_ADDR, (struct sockaddr *) &sin,
                                     MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL,
                                     MHD_OPTION_CONNECTION_LIMIT, (unsigned int) 64,
                                     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int) 30,
                                     MHD_OPTION_END);
    if (!self->daemon) {
        *err = kulak_sprintf ("cannot serve http on %s:%d (in use?)", host, port);
        kulak_web_stop (&self);
        return NULL;
    }
    return self;
}

void
kulak_web_stop (kulak_web_t **self_p)
{
    kulak_web_t *self = *self_p;
    if (!self)
        return;
    if (self->daemon)
        MHD_stop_daemon (self->daemon);
    free (self->db);
    free (self->control);
    free (self);
    *self_p = NULL;
}
