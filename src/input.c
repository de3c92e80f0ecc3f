/*  input.c: CSV / TSV / JSON Lines readers and the field rules that turn a row into a
    record or a quarantine entry (see input.h). */
#include "kulak/input.h"
#include "kulak/text.h"
#include "kulak/util.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef enum {
    F_ID, F_CHANNEL, F_SOURCE, F_CUSTOMER, F_AUTHOR, F_TIME, F_LANG, F_RATING, F_NPS,
    F_CSAT, F_CES, F_TEXT, F_COUNT
} field_t;

static const char *s_field_names [F_COUNT] = {
    "id", "channel", "source", "customer", "author", "time", "lang", "rating", "nps", "csat",
    "ces", "text"
};

/* Aliases, already in the normalized form of normalize_name (lower, no marks, no spaces,
   underscores or dashes). */
static const char *s_aliases [F_COUNT][14] = {
    [F_ID] = { "reviewid", "responseid", "externalid", "tweetid", "postid", "noteid",
               "yanitno", "yanitid", "kayitno", NULL },
    [F_CHANNEL] = { "kanal", "type", NULL },
    [F_SOURCE] = { "platform", "site", "kaynak", "store", NULL },
    [F_CUSTOMER] = { "customerid", "customerkey", "clientid", "musteri", "musterino",
                     "musteriid", "accountid", NULL },
    [F_AUTHOR] = { "user", "username", "handle", "agent", "agentname", "screenname", "yazar",
                   "temsilci", NULL },
    [F_TIME] = { "date", "timestamp", "createdat", "submittedat", "datetime", "tarih",
                 "zaman", "postedat", NULL },
    [F_LANG] = { "language", "dil", NULL },
    [F_RATING] = { "stars", "star", "score", "puan", "yildiz", NULL },
    [F_NPS] = { "npsscore", "recommend", "likelihoodtorecommend", "tavsiyepuani", NULL },
    [F_CSAT] = { "satisfaction", "csatscore", "memnuniyet", NULL },
    [F_CES] = { "effort", "customereffort", "cesscore", "efor", NULL },
    [F_TEXT] = { "comment", "review", "body", "message", "content", "verbatim", "feedback",
                 "note", "yorum", "metin", "aciklama", "mesaj", "tweet", NULL },
};

/* "Müşteri No" -> "musterino": case, Turkish marks, spaces, '_' and '-' do not matter. */
static char *
normalize_name (const char *name)
{
    char *utf8 = kulak_text_to_utf8 (name, strlen (name), NULL);
    char *folded = kulak_text_fold (utf8, KULAK_LANG_TR);
    char *ascii = kulak_text_ascii_fold (folded);
    /* Turkish folding turns an English "I" into ı, which ascii_fold made i again. */
    size_t out = 0;
    for (size_t i = 0; ascii [i]; i++)
        if (ascii [i] != ' ' && ascii [i] != '_' && ascii [i] != '-' && ascii [i] != '\t')
            ascii [out++] = ascii [i];
    ascii [out] = 0;
    free (utf8);
    free (folded);
    return ascii;
}

/* ---- the field map ------------------------------------------------------------------ */

typedef struct {
    char *mapped [F_COUNT];      /* normalized column name the user gave, or NULL */
} field_map_t;

static void
field_map_free (field_map_t *map)
{
    for (int f = 0; f < F_COUNT; f++)
        kulak_free_str (&map->mapped [f]);
}

static int
field_map_parse (const char *text, field_map_t *map, char **err)
{
    memset (map, 0, sizeof *map);
    if (kulak_str_empty (text))
        return 0;
    char *copy = kulak_strdup (text);
    char *save = NULL;
    int rc = 0;
    for (char *pair = strtok_r (copy, ",", &save); pair && rc == 0;
         pair = strtok_r (NULL, ",", &save)) {
        char *eq = strchr (pair, '=');
        if (!eq) {
            *err = kulak_sprintf ("--map: '%s' should be field=Column (e.g. text=Yorum)", pair);
            rc = -1;
            break;
        }
        *eq = 0;
        char *field = kulak_str_trim (pair), *column = kulak_str_trim (eq + 1);
        int which = -1;
        for (int f = 0; f < F_COUNT; f++)
            if (kulak_str_ieq (field, s_field_names [f]))
                which = f;
        if (which < 0) {
            *err = kulak_sprintf ("--map: unknown field '%s'; fields are id, channel, source, "
                                  "customer, author, time, lang, rating, nps, csat, ces, text",
                                  field);
            rc = -1;
        }
        else if (!*column) {
            *err = kulak_sprintf ("--map: field '%s' has an empty column name", field);
            rc = -1;
        }
        else {
            free (map->mapped [which]);
            map->mapped [which] = normalize_name (column);
        }
    }
    free (copy);
    if (rc != 0)
        field_map_free (map);
    return rc;
}

int
kulak_input_check_map (const char *map, char **err)
{
    field_map_t parsed;
    if (field_map_parse (map, &parsed, err) != 0)
        return -1;
    field_map_free (&parsed);
    return 0;
}

/* Which field a column name stands for, and how sure: 0 the user's --map, 1 our own
   name, 2 an alias. A mapped name wins over the others when a file has both. */
static int
field_of_column (const field_map_t *map, const char *column, int *rank)
{
    char *name = normalize_name (column);
    int which = -1;
    *rank = 3;
    for (int f = 0; f < F_COUNT && which < 0; f++)
        if (map->mapped [f] && strcmp (map->mapped [f], name) == 0) {
            which = f;
            *rank = 0;
        }
    for (int f = 0; f < F_COUNT && which < 0; f++)
        if (strcmp (s_field_names [f], name) == 0) {
            which = f;
            *rank = 1;
        }
    for (int f = 0; f < F_COUNT && which < 0; f++)
        for (int a = 0; s_aliases [f][a] && which < 0; a++)
            if (strcmp (s_aliases [f][a], name) == 0) {
                which = f;
                *rank = 2;
            }
    free (name);
    return which;
}

/* ---- values ------------------------------------------------------------------------- */

static int
parse_score (const char *text, int low, int high, int *out, char **why)
{
    char *copy = kulak_str_trim (kulak_strdup (text));
    char *end = NULL;
    errno = 0;
    long value = strtol (copy, &end, 10);
    if (end && (*end == '.' || *end == ',') && end [1] == '0' && end [2] == 0)
        end += 2;                             /* "4.0" from spreadsheets */
    int rc = 0;
    if (end == copy || *end || errno) {
        *why = kulak_sprintf ("'%s' is not a whole number", copy);
        rc = -1;
    }
    else if (value < low || value > high) {
        *why = kulak_sprintf ("'%s' is outside %d-%d", copy, low, high);
        rc = -1;
    }
    else
        *out = (int) value;
    free (copy);
    return rc;
}

static bool
read_digits (const char **p, int count, int *out)
{
    int value = 0;
    for (int i = 0; i < count; i++) {
        if (!isdigit ((unsigned char) (*p) [i]))
            return false;
        value = value * 10 + ((*p) [i] - '0');
    }
    *p += count;
    *out = value;
    return true;
}

int
kulak_input_parse_time (const char *text, char out [21])
{
    return kulak_input_parse_time_zoned (text, 0, out);
}

int
kulak_input_parse_offset (const char *text, int *seconds)
{
    int sign = 1, hours = 0, minutes = 0;
    const char *p = text;
    if (*p == '+' || *p == '-')
        sign = *p++ == '-' ? -1 : 1;
    size_t digits = strspn (p, "0123456789");
    if (digits == 4 && !p [4])                           /* +0530 */
        hours = (p [0] - '0') * 10 + (p [1] - '0'), minutes = (p [2] - '0') * 10 + (p [3] - '0');
    else if (digits >= 1 && digits <= 2 && (!p [digits] || p [digits] == ':')) {
        hours = atoi (p);                                /* +3, +03, +03:00 */
        if (p [digits] == ':') {
            const char *m = p + digits + 1;
            if (strspn (m, "0123456789") != 2 || m [2])
                return -1;
            minutes = atoi (m);
        }
    }
    else
        return -1;
    if (hours < 0 || hours > 14 || minutes < 0 || minutes > 59)
        return -1;
    *seconds = sign * (hours * 3600 + minutes * 60);
    return 0;
}

int
kulak_input_parse_time_zoned (const char *text, int utc_offset, char out [21])
{
    const char *p = text;
    while (isspace ((unsigned char) *p))
        p++;
    struct tm tm = { 0 };
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, offset = utc_offset;
    const char *start = p;
    size_t digits = strspn (p, "0123456789");
    if ((digits == 10 || digits == 13) && p [digits] == 0) {
        long long epoch = strtoll (p, NULL, 10);
        time_t t = (time_t) (digits == 13 ? epoch / 1000 : epoch);
        gmtime_r (&t, &tm);
        strftime (out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return 0;
    }
    if (digits == 4 && p [4] == '-') {                      /* 2026-03-14 */
        if (!read_digits (&p, 4, &year) || *p++ != '-' || !read_digits (&p, 2, &month)
            || *p++ != '-' || !read_digits (&p, 2, &day))
            return -1;
    }
    else if (digits >= 1 && digits <= 2 && (p [digits] == '.' || p [digits] == '/')) {
        char sep = p [digits];                              /* 14.03.2026, 14/03/2026 */
        int a, b;
        if (!read_digits (&p, (int) digits, &a) || *p++ != sep)
            return -1;
        size_t d2 = strspn (p, "0123456789");
        if (d2 < 1 || d2 > 2 || !read_digits (&p, (int) d2, &b) || *p++ != sep
            || !read_digits (&p, 4, &year))
            return -1;
        day = a;
        month = b;
        if (sep == '/' && b > 12 && a <= 12) {              /* 03/14/2026 is American */
            day = b;
            month = a;
        }
    }
    else {
        /* Twitter's export format: "Wed Oct 10 20:19:24 +0000 2018" */
        const char *end = strptime (start, "%a %b %d %H:%M:%S %z %Y", &tm);
        if (!end || *end)
            return -1;
        time_t t = timegm (&tm) - tm.tm_gmtoff;
        gmtime_r (&t, &tm);
        strftime (out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return 0;
    }
    if (*p == 'T' || *p == ' ') {
        p++;
        if (!read_digits (&p, 2, &hour) || *p++ != ':' || !read_digits (&p, 2, &minute))
            return -1;
        if (*p == ':') {
            p++;
            if (!read_digits (&p, 2, &second))
                return -1;
            if (*p == '.' || *p == ',')
                for (p++; isdigit ((unsigned char) *p); p++)
                    ;
        }
        while (*p == ' ')
            p++;
        if (*p == 'Z' || *p == 'z') {
            p++;
            offset = 0;
        }
        else if (*p == '+' || *p == '-') {
            int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
            if (!read_digits (&p, 2, &oh))
                return -1;
            if (*p == ':')
                p++;
            if (isdigit ((unsigned char) *p) && !read_digits (&p, 2, &om))
                return -1;
            if (oh > 14 || om > 59)
                return -1;                   /* no zone is further from UTC */
            offset = sign * (oh * 3600 + om * 60);
        }
        else if (strncmp (p, "UTC", 3) == 0) {
            p += 3;
            offset = 0;
        }
    }
    while (isspace ((unsigned char) *p))
        p++;
    if (*p)
        return -1;
    if (year < 1970 || year > 2100 || month < 1 || month > 12 || day < 1 || day > 31
        || hour > 23 || minute > 59 || second > 60)
        return -1;
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    time_t t = timegm (&tm);
    struct tm check;
    gmtime_r (&t, &check);
    if (check.tm_mday != day)
        return -1;                                          /* 31.02.2026 */
    t -= offset;
    gmtime_r (&t, &tm);
    strftime (out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return 0;
}

/* ---- building a record --------------------------------------------------------------- */

typedef struct {
    const char *value [F_COUNT];   /* UTF-8 values, NULL when absent or empty */
    bool present [F_COUNT];        /* the input has the field (maybe empty) */
    char *problem;                 /* a field that could not even be read */
} row_values_t;

#define QUARANTINE_RAW_MAX 65536

static kulak_record_t *
quarantine (const char *origin, const char *raw, size_t raw_len, char *reason)
{
    kulak_record_t *record = kulak_record_new ();
    record->origin = kulak_strdup (origin);
    if (raw_len > QUARANTINE_RAW_MAX) {
        /* The entry must still fit a message between the stages; its start shows the row. */
        char *longer = kulak_sprintf ("%s (the row is %zu bytes; the first %d are kept)", reason,
                                      raw_len, QUARANTINE_RAW_MAX);
        free (reason);
        reason = longer;
        raw_len = QUARANTINE_RAW_MAX;
    }
    record->text = kulak_strndup (raw, raw_len);
    record->quarantine_reason = reason;
    kulak_record_make_id (record);
    return record;
}

static kulak_channel_t
channel_from_file_name (const char *path)
{
    const char *base = strrchr (path, '/');
    char *name = normalize_name (base ? base + 1 : path);
    kulak_channel_t channel = KULAK_CHANNEL_NONE;
    if (strstr (name, "survey") || strstr (name, "anket") || strstr (name, "nps"))
        channel = KULAK_CHANNEL_SURVEY;
    else if (strstr (name, "review") || strstr (name, "yorum") || strstr (name, "degerlendirme"))
        channel = KULAK_CHANNEL_REVIEW;
    else if (strstr (name, "social") || strstr (name, "tweet") || strstr (name, "mention")
             || strstr (name, "sosyal"))
        channel = KULAK_CHANNEL_SOCIAL;
    else if (strstr (name, "note") || strstr (name, "agent") || strstr (name, "temsilci"))
        channel = KULAK_CHANNEL_AGENT_NOTE;
    free (name);
    return channel;
}

static char *
default_source_of (const char *path)
{
    const char *base = strrchr (path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr (base, '.');
    return kulak_strndup (base, dot && dot != base ? (size_t) (dot - base) : strlen (base));
}

/* What exports write for a skipped question: the score is absent, the answer is kept. */
static bool
is_no_answer (const char *value)
{
    static const char *blanks [] = { "n/a", "na", "-", "--", "\u2013", "\u2014", "?", "yok",
                                     "none", "null", "nan", "cevapsız", "yanıtsız", NULL };
    char *copy = kulak_str_trim (kulak_strdup (value));
    bool blank = !*copy;
    for (const char **b = blanks; *b && !blank; b++)
        blank = strcasecmp (copy, *b) == 0;
    free (copy);
    return blank;
}

/* The rules every input format shares. Takes the values of one row. */
static kulak_record_t *
build_record (const row_values_t *row, const kulak_input_options_t *options,
              kulak_channel_t hint, const char *default_source, const char *origin,
              const char *raw, size_t raw_len)
{
    if (row->problem)
        return quarantine (origin, raw, raw_len, kulak_sprintf ("%s: %s", origin, row->problem));
    kulak_record_t *record = kulak_record_new ();
    char *why = NULL;
    const char *bad_field = NULL;
    const char *const *v = row->value;

    record->channel = options->channel;
    if (!record->channel && v [F_CHANNEL]) {
        record->channel = kulak_channel_parse (v [F_CHANNEL]);
        if (!record->channel) {
            bad_field = "channel";
            why = kulak_sprintf ("'%s' is not one of review, survey, social, agent_note",
                                 v [F_CHANNEL]);
        }
    }
    if (!record->channel)
        record->channel = hint;
    static const struct { field_t field; int low, high; } scores [] = {
        { F_RATING, 1, 5 }, { F_NPS, 0, 10 }, { F_CSAT, 1, 5 }, { F_CES, 1, 7 }
    };
    int *targets [] = { &record->rating, &record->nps, &record->csat, &record->ces };
    for (size_t i = 0; i < 4 && !why; i++)
        if (v [scores [i].field] && !is_no_answer (v [scores [i].field])
            && parse_score (v [scores [i].field], scores [i].low, scores [i].high, targets [i],
                            &why) != 0)
            bad_field = s_field_names [scores [i].field];
    bool has_scores = record->nps >= 0 || record->csat >= 0 || record->ces >= 0;
    if (!why && !record->channel && has_scores)
        record->channel = KULAK_CHANNEL_SURVEY;
    if (!why && !record->channel) {
        bad_field = "channel";
        why = kulak_strdup ("missing: add a channel column (review, survey, social, agent_note), "
                            "name the file after it, or run with --channel");
    }
    char time_out [21];
    if (!why && v [F_TIME]) {
        if (kulak_input_parse_time_zoned (v [F_TIME], options->utc_offset, time_out) == 0)
            record->time = kulak_strdup (time_out);
        else {
            bad_field = "time";
            why = kulak_sprintf ("'%s' is not a date; use ISO 8601 (2026-03-14T10:22:00Z), "
                                 "DD.MM.YYYY HH:MM or Unix seconds", v [F_TIME]);
        }
    }
    if (!why) {
        const char *text = v [F_TEXT] ? v [F_TEXT] : "";
        if (strlen (text) > KULAK_MAX_TEXT) {
            bad_field = "text";
            why = kulak_strdup ("is longer than 1 MiB");
        }
        else if (kulak_str_empty (text) && !(record->channel == KULAK_CHANNEL_SURVEY && has_scores)) {
            bad_field = "text";
            why = kulak_strdup (v [F_TEXT] || row->present [F_TEXT]
                                ? "is empty" : "is missing (name the column with --map text=COLUMN)");
        }
        else
            record->text = kulak_str_trim (kulak_strdup (text));
    }
    if (why) {
        kulak_record_destroy (&record);
        char *reason = kulak_sprintf ("%s: field %s: %s", origin, bad_field, why);
        free (why);
        return quarantine (origin, raw, raw_len, reason);
    }
    record->external_id = v [F_ID] ? kulak_str_trim (kulak_strdup (v [F_ID])) : NULL;
    record->source = kulak_strdup (options->source ? options->source
                                   : v [F_SOURCE] ? v [F_SOURCE] : default_source);
    record->customer = v [F_CUSTOMER] ? kulak_str_trim (kulak_strdup (v [F_CUSTOMER])) : NULL;
    record->author = v [F_AUTHOR] ? kulak_str_trim (kulak_strdup (v [F_AUTHOR])) : NULL;
    record->lang = options->lang ? options->lang
                 : v [F_LANG] ? kulak_lang_parse (v [F_LANG]) : KULAK_LANG_UNKNOWN;
    record->origin = kulak_strdup (origin);
    /* Personal data never reaches the spool: mask now (normalize masks again). */
    char *masked = kulak_text_mask_pii (record->text, NULL);
    free (record->text);
    record->text = masked;
    kulak_record_make_id (record);
    return record;
}

/* ---- JSON ---------------------------------------------------------------------------- */

static char *
json_value_text (json_t *value, const char *key, char **problem)
{
    char number [64];
    switch (json_typeof (value)) {
        case JSON_STRING:
            return kulak_text_to_utf8 (json_string_value (value), json_string_length (value), NULL);
        case JSON_INTEGER:
            snprintf (number, sizeof number, "%" JSON_INTEGER_FORMAT, json_integer_value (value));
            return kulak_strdup (number);
        case JSON_REAL:
            snprintf (number, sizeof number, "%g", json_real_value (value));
            return kulak_strdup (number);
        case JSON_TRUE: return kulak_strdup ("true");
        case JSON_FALSE: return kulak_strdup ("false");
        case JSON_NULL: return NULL;
        default:
            if (!*problem)
                *problem = kulak_sprintf ("field %s: is %s, expected text or a number", key,
                                          json_is_array (value) ? "an array" : "an object");
            return NULL;
    }
}

static kulak_record_t *
record_from_json (json_t *object, const field_map_t *map, const kulak_input_options_t *options,
                  kulak_channel_t hint, const char *default_source, const char *origin,
                  const char *raw, size_t raw_len)
{
    row_values_t row = { { 0 }, { false }, NULL };
    char *owned [F_COUNT] = { 0 };
    int ranks [F_COUNT];
    for (int f = 0; f < F_COUNT; f++)
        ranks [f] = 3;
    const char *key;
    json_t *value;
    json_object_foreach (object, key, value) {
        int rank;
        int f = field_of_column (map, key, &rank);
        if (f < 0 || rank >= ranks [f])
            continue;
        free (owned [f]);
        owned [f] = json_value_text (value, key, &row.problem);
        if (owned [f] && kulak_str_empty (owned [f]))
            kulak_free_str (&owned [f]);     /* "" is absent, as an empty CSV cell */
        row.value [f] = owned [f];
        row.present [f] = true;
        ranks [f] = rank;
    }
    kulak_record_t *record = build_record (&row, options, hint, default_source, origin, raw,
                                           raw_len);
    for (int f = 0; f < F_COUNT; f++)
        free (owned [f]);
    free (row.problem);
    return record;
}

kulak_record_t *
kulak_input_from_json (json_t *object, const kulak_input_options_t *options,
                       kulak_channel_t hint, const char *default_source, const char *origin)
{
    field_map_t map;
    char *err = NULL;
    if (field_map_parse (options->map, &map, &err) != 0) {
        free (err);
        memset (&map, 0, sizeof map);
    }
    char *raw = json_dumps (object, JSON_COMPACT);
    kulak_record_t *record = record_from_json (object, &map, options, hint, default_source,
                                               origin, raw ? raw : "", raw ? strlen (raw) : 0);
    free (raw);
    field_map_free (&map);
    return record;
}

/* ---- files --------------------------------------------------------------------------- */

typedef struct {
    char **fields;
    size_t *lengths;
    size_t count;
    size_t cap;
    size_t line;                 /* where the row starts */
} csv_row_t;

struct kulak_input_t {
    char *path;
    char *default_source;
    FILE *file;
    bool jsonl;
    kulak_input_options_t options;
    field_map_t map;
    kulak_channel_t hint;
    size_t line;                 /* physical lines read */
    char *line_buf;
    size_t line_cap;
    /* CSV */
    struct csv_parser parser;
    bool parser_ready;
    csv_row_t current;           /* the row being parsed */
    csv_row_t *ready;            /* completed rows not yet returned */
    size_t ready_count;
    size_t ready_cap;
    size_t ready_next;
    int *column_field;           /* per column: field_t or -1 */
    size_t column_count;
    size_t row_start;            /* line where the row being parsed began */
    kulak_buf_t row_lines;       /* the lines of that row as read, for quarantine */
    bool have_header;
    bool eof;
};

/* libcsv's parser states (libcsv.c) that tell where a line starts and a quote is open. */
#define CSV_ROW_NOT_BEGUN 0
#define CSV_FIELD_BEGUN 2

static void
row_free (csv_row_t *row)
{
    for (size_t i = 0; i < row->count; i++)
        free (row->fields [i]);
    free (row->fields);
    free (row->lengths);
    memset (row, 0, sizeof *row);
}

static void
on_csv_field (void *data, size_t len, void *user)
{
    kulak_input_t *self = user;
    csv_row_t *row = &self->current;
    if (row->count == 0)
        row->line = self->row_start;
    if (row->count == row->cap) {
        row->cap = row->cap ? row->cap * 2 : 16;
        row->fields = kulak_realloc (row->fields, row->cap * sizeof *row->fields);
        row->lengths = kulak_realloc (row->lengths, row->cap * sizeof *row->lengths);
    }
    row->fields [row->count] = kulak_strndup (data ? data : "", data ? len : 0);
    row->lengths [row->count] = data ? len : 0;
    row->count++;
}

static void
on_csv_row (int terminator, void *user)
{
    (void) terminator;
    kulak_input_t *self = user;
    if (self->ready_count == self->ready_cap) {
        self->ready_cap = self->ready_cap ? self->ready_cap * 2 : 16;
        self->ready = kulak_realloc (self->ready, self->ready_cap * sizeof *self->ready);
    }
    self->ready [self->ready_count++] = self->current;
    memset (&self->current, 0, sizeof self->current);
}

static char
sniff_delimiter (const char *path, const char *first_line)
{
    if (kulak_str_ends_with (path, ".tsv") || kulak_str_ends_with (path, ".tab"))
        return '\t';
    size_t commas = 0, semicolons = 0, tabs = 0;
    bool quoted = false;
    for (const char *p = first_line; *p && *p != '\n'; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted) {
            commas += *p == ',';
            semicolons += *p == ';';
            tabs += *p == '\t';
        }
    }
    if (tabs > commas && tabs > semicolons)
        return '\t';
    return semicolons > commas ? ';' : ',';   /* Turkish Excel exports use ';' */
}

kulak_input_t *
kulak_input_open (const char *path, const kulak_input_options_t *options, char **err)
{
    kulak_input_t *self = kulak_calloc (1, sizeof *self);
    self->options = *options;
    if (field_map_parse (options->map, &self->map, err) != 0) {
        free (self);
        return NULL;
    }
    self->file = fopen (path, "rb");
    if (!self->file) {
        *err = kulak_sprintf ("%s: %s", path, strerror (errno));
        field_map_free (&self->map);
        free (self);
        return NULL;
    }
    self->path = kulak_strdup (path);
    self->default_source = default_source_of (path);
    self->hint = channel_from_file_name (path);
    self->jsonl = kulak_str_ends_with (path, ".jsonl") || kulak_str_ends_with (path, ".ndjson")
               || kulak_str_ends_with (path, ".json");
    if (!self->jsonl) {
        int c = fgetc (self->file);
        while (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            c = fgetc (self->file);
        self->jsonl = c == '{';               /* JSON Lines whatever the file is called */
        rewind (self->file);
    }
    return self;
}

void
kulak_input_close (kulak_input_t **self_p)
{
    kulak_input_t *self = *self_p;
    if (!self)
        return;
    if (self->file)
        fclose (self->file);
    if (self->parser_ready)
        csv_free (&self->parser);
    row_free (&self->current);
    for (size_t i = self->ready_next; i < self->ready_count; i++)
        row_free (&self->ready [i]);
    free (self->ready);
    free (self->column_field);
    free (self->line_buf);
    kulak_buf_free (&self->row_lines);
    free (self->path);
    free (self->default_source);
    field_map_free (&self->map);
    free (self);
    *self_p = NULL;
}

/* Reads one physical line into line_buf (without the newline); -1 at end of file. */
static ssize_t
read_line (kulak_input_t *self)
{
    ssize_t len = getline (&self->line_buf, &self->line_cap, self->file);
    if (len < 0)
        return -1;
    self->line++;
    if (self->line == 1 && len >= 3 && memcmp (self->line_buf, "\xEF\xBB\xBF", 3) == 0) {
        memmove (self->line_buf, self->line_buf + 3, (size_t) len - 2);
        len -= 3;
    }
    return len;
}

static int
next_jsonl (kulak_input_t *self, kulak_record_t **record, char **err)
{
    for (;;) {
        ssize_t len = read_line (self);
        if (len < 0) {
            if (ferror (self->file)) {
                *err = kulak_sprintf ("%s:%zu: read error", self->path, self->line);
                return -1;
            }
            return 0;
        }
        while (len > 0 && (self->line_buf [len - 1] == '\n' || self->line_buf [len - 1] == '\r'))
            self->line_buf [--len] = 0;
        if (kulak_str_empty (self->line_buf))
            continue;
        char *origin = kulak_sprintf ("%s:%zu", self->path, self->line);
        char *utf8 = kulak_text_to_utf8 (self->line_buf, (size_t) len, NULL);
        json_error_t error;
        json_t *root = json_loads (utf8, 0, &error);
        if (!root)
            *record = quarantine (origin, self->line_buf, (size_t) len,
                                  kulak_sprintf ("%s: column %d: invalid JSON: %s", origin,
                                                 error.column, error.text));
        else if (!json_is_object (root))
            *record = quarantine (origin, self->line_buf, (size_t) len,
                                  kulak_sprintf ("%s: expected a JSON object {...}, found %s",
                                                 origin, json_is_array (root) ? "an array"
                                                                              : "a single value"));
        else
            *record = record_from_json (root, &self->map, &self->options, self->hint,
                                        self->default_source, origin, self->line_buf,
                                        (size_t) len);
        json_decref (root);
        free (utf8);
        free (origin);
        return 1;
    }
}

/* Reconstructs a CSV row for the quarantine table. */
static char *
row_raw (const csv_row_t *row, char delimiter, size_t *len)
{
    kulak_buf_t buf;
    kulak_buf_init (&buf);
    for (size_t i = 0; i < row->count; i++) {
        if (i)
            kulak_buf_putc (&buf, delimiter);
        kulak_buf_putc (&buf, '"');
        for (size_t k = 0; k < row->lengths [i]; k++) {
            if (row->fields [i][k] == '"')
                kulak_buf_putc (&buf, '"');
            kulak_buf_putc (&buf, row->fields [i][k]);
        }
        kulak_buf_putc (&buf, '"');
    }
    *len = buf.len;
    return kulak_buf_take (&buf);
}

static int
setup_header (kulak_input_t *self, csv_row_t *row, char **err)
{
    self->column_count = row->count;
    self->column_field = kulak_calloc (row->count + 1, sizeof *self->column_field);
    int best_rank [F_COUNT];
    size_t best_column [F_COUNT];
    for (int f = 0; f < F_COUNT; f++)
        best_rank [f] = 3;
    bool has_text = false, has_scores = false;
    kulak_buf_t names;
    kulak_buf_init (&names);
    for (size_t i = 0; i < row->count; i++) {
        char *name = kulak_text_to_utf8 (row->fields [i], row->lengths [i], NULL);
        int rank;
        int f = field_of_column (&self->map, name, &rank);
        self->column_field [i] = -1;
        if (f >= 0 && rank < best_rank [f]) {      /* the best-named column of a field wins */
            if (best_rank [f] < 3)
                self->column_field [best_column [f]] = -1;
            best_rank [f] = rank;
            best_column [f] = i;
            self->column_field [i] = f;
        }
        has_text = has_text || f == F_TEXT;
        has_scores = has_scores || f == F_NPS || f == F_CSAT || f == F_CES;
        kulak_buf_printf (&names, "%s%s", i ? ", " : "", name);
        free (name);
    }
    if (!has_text && !has_scores) {
        *err = kulak_sprintf ("%s:%zu: no column holds the text (columns: %s); name it with "
                              "--map text=COLUMN", self->path, row->line, names.data);
        kulak_buf_free (&names);
        return -1;
    }
    kulak_buf_free (&names);
    self->have_header = true;
    return 0;
}

static kulak_record_t *
record_from_row (kulak_input_t *self, csv_row_t *row)
{
    char *origin = kulak_sprintf ("%s:%zu", self->path, row->line);
    size_t raw_len;
    char *raw = row_raw (row, (char) csv_get_delim (&self->parser), &raw_len);
    row_values_t values = { { 0 }, { false }, NULL };
    char *owned [F_COUNT] = { 0 };
    if (row->count > self->column_count)
        values.problem = kulak_sprintf ("%zu fields but the header has %zu (an unquoted "
                                        "delimiter in the text?)", row->count,
                                        self->column_count);
    for (size_t i = 0; i < self->column_count; i++)
        if (self->column_field [i] >= 0)
            values.present [self->column_field [i]] = true;
    for (size_t i = 0; i < row->count && i < self->column_count && !values.problem; i++) {
        int f = self->column_field [i];
        if (f < 0 || kulak_str_empty (row->fields [i]))
            continue;
        owned [f] = kulak_text_to_utf8 (row->fields [i], row->lengths [i], NULL);
        values.value [f] = owned [f];
    }
    kulak_record_t *record = build_record (&values, &self->options, self->hint,
                                           self->default_source, origin, raw, raw_len);
    for (int f = 0; f < F_COUNT; f++)
        free (owned [f]);
    free (values.problem);
    free (raw);
    free (origin);
    return record;
}

static int
next_csv (kulak_input_t *self, kulak_record_t **record, char **err)
{
    for (;;) {
        if (self->ready_next < self->ready_count) {
            csv_row_t row = self->ready [self->ready_next++];
            if (self->ready_next == self->ready_count)
                self->ready_next = self->ready_count = 0;
            int rc = 1;
            if (!self->have_header) {
                rc = setup_header (self, &row, err) == 0 ? 2 : -1;
            }
            else
                *record = record_from_row (self, &row);
            row_free (&row);
            if (rc == 2)
                continue;
            return rc;
        }
        if (self->eof)
            return 0;
        ssize_t len = read_line (self);
        if (!self->parser_ready) {
            /* Strict: a stray quote is an error here, rather than a field that silently
               swallows the rows after it; the row goes to quarantine and reading goes on. */
            csv_init (&self->parser, CSV_APPEND_NULL | CSV_STRICT);
            csv_set_delim (&self->parser, (unsigned char) sniff_delimiter (
                self->path, len > 0 ? self->line_buf : ""));
            self->parser_ready = true;
        }
        if (len < 0) {
            self->eof = true;
            if (ferror (self->file)) {
                *err = kulak_sprintf ("%s:%zu: read error", self->path, self->line);
                return -1;
            }
            bool open_quote = self->parser.pstate == CSV_FIELD_BEGUN && self->parser.quoted;
            size_t start = self->row_start;
            csv_fini (&self->parser, on_csv_field, on_csv_row, self);
            if (open_quote && self->ready_count > 0 && self->have_header) {
                /* A quote never closed: what it swallowed goes to quarantine whole. */
                csv_row_t row = self->ready [--self->ready_count];
                size_t raw_len;
                char *raw = row_raw (&row, (char) csv_get_delim (&self->parser), &raw_len);
                char *origin = kulak_sprintf ("%s:%zu", self->path, start);
                *record = quarantine (origin, raw, raw_len,
                    kulak_sprintf ("%s: a quote opened here is never closed; the rest of "
                                   "the file is kept here as one row", origin));
                free (origin);
                free (raw);
                row_free (&row);
                return 1;
            }
            continue;
        }
        if (self->parser.pstate == CSV_ROW_NOT_BEGUN) {
            self->row_start = self->line;
            kulak_buf_reset (&self->row_lines);
        }
        kulak_buf_append (&self->row_lines, self->line_buf, (size_t) len);
        if (csv_parse (&self->parser, self->line_buf, (size_t) len, on_csv_field, on_csv_row,
                       self) != (size_t) len) {
            if (csv_error (&self->parser) != CSV_EPARSE) {
                *err = kulak_sprintf ("%s:%zu: CSV parser: %s", self->path, self->line,
                                      csv_strerror (csv_error (&self->parser)));
                return -1;
            }
            /* The row's lines as read go to quarantine; the parser starts afresh on the
               next line. */
            char *origin = kulak_sprintf ("%s:%zu", self->path, self->row_start);
            char *reason = kulak_sprintf ("%s: a quote inside a field that does not start "
                                          "with one, or text right after a closing quote; "
                                          "quote the whole field and double the quotes in it "
                                          "(\"5\"\" tablet\")", origin);
            size_t raw_len = self->row_lines.len;
            while (raw_len && (self->row_lines.data [raw_len - 1] == '\n'
                               || self->row_lines.data [raw_len - 1] == '\r'))
                raw_len--;
            *record = quarantine (origin, self->row_lines.data, raw_len, reason);
            free (origin);
            kulak_buf_reset (&self->row_lines);
            row_free (&self->current);
            unsigned char delimiter = csv_get_delim (&self->parser);
            csv_free (&self->parser);
            csv_init (&self->parser, CSV_APPEND_NULL | CSV_STRICT);
            csv_set_delim (&self->parser, delimiter);
            if (!self->have_header) {
                kulak_record_destroy (record);
                *err = kulak_sprintf ("%s:%zu: the header row has a stray quote", self->path,
                                      self->line);
                return -1;
            }
            return 1;
        }
    }
}

int
kulak_input_next (kulak_input_t *self, kulak_record_t **record, char **err)
{
    *record = NULL;
    return self->jsonl ? next_jsonl (self, record, err) : next_csv (self, record, err);
}
