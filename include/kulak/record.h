/*  record.h: the record that travels the pipeline, its stable id, and its wire form.

    A record is one piece of customer feedback (review, survey answer, social mention or an
    agent's note) plus what the stages add to it: normalized text, language, themes with
    evidence, sentiment, complaint flag. A record can also be a quarantine entry: input that
    could not be read, carried to the store with the raw bytes and the reason, so nothing
    is lost silently.

    On the wire a record is a MessagePack map with short string keys and a version field
    "v". Every decoded message is untrusted: kulak_record_decode() checks types and limits
    and tells a malformed message (-2) apart from success (0). */
#ifndef KULAK_RECORD_H
#define KULAK_RECORD_H

#include "kulak/util.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KULAK_WIRE_VERSION 1
#define KULAK_ID_LEN 32              /* hex digits of an XXH3-128 hash */
#define KULAK_MAX_TEXT (1 << 20)     /* longest accepted text, bytes */
#define KULAK_MAX_THEMES 64
#define KULAK_MAX_EVIDENCE 256

typedef enum {
    KULAK_CHANNEL_NONE = 0,
    KULAK_CHANNEL_REVIEW,
    KULAK_CHANNEL_SURVEY,
    KULAK_CHANNEL_SOCIAL,
    KULAK_CHANNEL_AGENT_NOTE
} kulak_channel_t;

typedef enum { KULAK_LANG_UNKNOWN = 0, KULAK_LANG_TR, KULAK_LANG_EN } kulak_lang_t;

typedef enum { KULAK_LABEL_NEU = 0, KULAK_LABEL_POS, KULAK_LABEL_NEG } kulak_label_t;

/* One piece of evidence: a word or phrase of the normalized text and what it weighed.
   start/end are code point offsets into norm_text (so SQLite's substr() finds them). */
typedef struct {
    uint32_t start;
    uint32_t end;
    float weight;
    char *word;                  /* in the block of its array (kulak_evidence_push) */
} kulak_evidence_t;

typedef struct {
    char *theme;                 /* stable theme id, e.g. "billing" */
    float sentiment;             /* of the clause around the evidence, [-1, 1] */
    kulak_label_t label;
    kulak_evidence_t *evidence;
    size_t evidence_count;
} kulak_theme_hit_t;

typedef struct {
    char id [KULAK_ID_LEN + 1];
    kulak_channel_t channel;
    char *source;                /* google, app_store, twitter, call_center, a file name... */
    char *external_id;
    char *customer;
    char *author;
    char *time;                  /* UTC "YYYY-MM-DDTHH:MM:SSZ", or NULL when unknown */
    char *origin;                /* where it came from: "file:line" or "note" */
    kulak_lang_t lang;
    bool lang_guessed;           /* the text gave no clue: lang is the default, and the
                                    tagger may pick the language whose lexicons know it */
    int rating;                  /* review stars 1-5; -1 when absent */
    int nps;                     /* 0-10; -1 when absent */
    int csat;                    /* 1-5; -1 when absent */
    int ces;                     /* 1-7; -1 when absent */
    char *text;                  /* as received, UTF-8, personal data masked */
    char *norm_text;             /* NFKC of text with personal data masked; kulak_normalize
                                    makes it text itself (the same pointer) when that is
                                    so already: free it only when it is not text, and take
                                    both away together */
    bool tagged;
    float sentiment;             /* document sentiment, [-1, 1] */
    kulak_label_t label;
    bool complaint;
    kulak_theme_hit_t *themes;
    size_t theme_count;
    kulak_evidence_t *sentiment_evidence;  /* the words that decided the sentiment */
    size_t sentiment_evidence_count;
    char *quarantine_reason;     /* set: this is a quarantine entry and text is the raw input */
    uint64_t spool_version;      /* which spooled version this is; the store's ack names it */
} kulak_record_t;

kulak_record_t *kulak_record_new (void);
void kulak_record_destroy (kulak_record_t **self_p);
/* Drops tagging results (themes, evidence, sentiment) so a record can be tagged again. */
void kulak_record_clear_tags (kulak_record_t *self);

/* Stable id: XXH3-128 of source + external id when there is an external id, else of the
   channel, source, customer, author, time and text. Sets self->id. */
void kulak_record_make_id (kulak_record_t *self);

/* Wire form. encode returns a malloc'd buffer; decode returns 0, or -2 when the message is
   malformed (reason in *err, caller frees). */
char *kulak_record_encode (const kulak_record_t *self, size_t *len_p);
int kulak_record_decode (const char *data, size_t len, kulak_record_t **record_p, char **err);

/* True when every size a MessagePack buffer declares fits in it. Call before msgpack-c
   unpacks untrusted bytes: it allocates declared sizes up front. */
bool kulak_msgpack_plausible (const uint8_t *bytes, size_t len);

const char *kulak_channel_name (kulak_channel_t channel);
kulak_channel_t kulak_channel_parse (const char *name);   /* accepts a few aliases */
const char *kulak_lang_name (kulak_lang_t lang);          /* "tr", "en", "und" */
kulak_lang_t kulak_lang_parse (const char *name);
const char *kulak_label_name (kulak_label_t label);       /* "pos", "neg", "neu" */
int kulak_label_parse (const char *name);                 /* -1 when unknown */

/* Adds a theme hit / evidence item; returns the new element for the caller to fill.
   An evidence array must be grown only by kulak_evidence_push: it keeps spare room, and
   its items' words in the same block, so free () of the array frees them too (never free
   a word alone). */
kulak_theme_hit_t *kulak_record_add_theme (kulak_record_t *self, const char *theme);
kulak_evidence_t *kulak_evidence_push (kulak_evidence_t **items, size_t *count,
                                       uint32_t start, uint32_t end, float weight,
                                       const char *word);
/* The same with the word's `len` bytes, which need not end in a NUL (a span of a text). */
kulak_evidence_t *kulak_evidence_push_n (kulak_evidence_t **items, size_t *count,
                                         uint32_t start, uint32_t end, float weight,
                                         const char *word, size_t len);
/* Appends the JSON array of evidence items: [{"text","start","end"[,"weight"]}...]. */
void kulak_evidence_json (kulak_buf_t *buf, const kulak_evidence_t *items, size_t count,
                          bool weights);

#endif
