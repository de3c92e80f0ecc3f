/*  input.h: reading feedback files (CSV, TSV, JSON Lines) into records.

    Every row becomes a record or a quarantine entry; nothing is skipped silently. A
    quarantine entry keeps the raw row and a reason that names the file, the line, the
    field and what is wrong ("reviews.csv:12: field rating: '9' is outside 1-5").

    Field names are matched case-insensitively against our names (id, channel, source,
    customer, author, time, lang, rating, nps, csat, ces, text), common aliases (comment,
    stars, created_at, ...) and the user's --map (`text=Yorum,rating=Puan`), which wins.
    The channel of a record is, in order: --channel, the record's channel field, a hint
    in the file name (review, survey/anket, social/tweet/mention, note/agent), survey
    scores in the record; else the record is quarantined with a hint how to say it.
    Bytes that are not UTF-8 are read as Windows-1254 (legacy Turkish exports). */
#ifndef KULAK_INPUT_H
#define KULAK_INPUT_H

#include "kulak/record.h"

#include <jansson.h>

typedef struct {
    kulak_channel_t channel;     /* NONE: decide per file / record */
    const char *source;          /* NULL: the record's source field, else the file name */
    kulak_lang_t lang;           /* UNKNOWN: the record's lang field, else detected later */
    const char *map;             /* "field=Column,field=Column" or NULL */
    int utc_offset;              /* seconds east of UTC of times that give no zone */
} kulak_input_options_t;

typedef struct kulak_input_t kulak_input_t;

/* Checks the map and opens the file; NULL with a reason in *err. */
kulak_input_t *kulak_input_open (const char *path, const kulak_input_options_t *options,
                                 char **err);
/* 1: *record is the next record (maybe a quarantine entry); 0: end of file;
   -1: the file cannot be read on (reason in *err). */
int kulak_input_next (kulak_input_t *self, kulak_record_t **record, char **err);
void kulak_input_close (kulak_input_t **self_p);

/* Validates a --map string; 0 or -1 with a reason. */
int kulak_input_check_map (const char *map, char **err);

/* A record from one JSON object (a JSONL line, or an agent note sent to collect).
   Returns a record or a quarantine entry; origin is "file:line" or "note". */
kulak_record_t *kulak_input_from_json (json_t *object, const kulak_input_options_t *options,
                                       kulak_channel_t hint, const char *default_source,
                                       const char *origin);

/* Parses a timestamp into UTC "YYYY-MM-DDTHH:MM:SSZ" (out[21]); -1 when unreadable.
   A time without a zone is taken as UTC, or as `utc_offset` seconds east of it (the
   _zoned form): Turkish exports usually write Istanbul time, +03:00. */
int kulak_input_parse_time (const char *text, char out [21]);
int kulak_input_parse_time_zoned (const char *text, int utc_offset, char out [21]);
/* Parses "+03:00", "-0500", "3" (hours) into seconds; -1 with nothing set when malformed. */
int kulak_input_parse_offset (const char *text, int *seconds);

#endif
