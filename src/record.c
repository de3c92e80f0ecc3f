/*  record.c: the record, its stable id, its MessagePack wire form and the JSON of its
    evidence, which `kulak tag` and the store share (see record.h). */
#include "kulak/record.h"
#include "kulak/util.h"
#include "bytes.h"

#include <msgpack.h>
#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

kulak_record_t *
kulak_record_new (void)
{
    /* (one struct written whole, where calloc's call to memset, then four stores, cost
       twice as many instructions: a record is made for every text) */
    kulak_record_t *self = kulak_malloc (sizeof *self);
    *self = (kulak_record_t) { .rating = -1, .nps = -1, .csat = -1, .ces = -1 };
    return self;
}

static void
evidence_free (kulak_evidence_t **items, size_t *count)
{
    free (*items);                       /* (and the words: they are in its block) */
    *items = NULL;
    *count = 0;
}

void
kulak_record_clear_tags (kulak_record_t *self)
{
    for (size_t i = 0; i < self->theme_count; i++) {
        free (self->themes [i].theme);
        evidence_free (&self->themes [i].evidence, &self->themes [i].evidence_count);
    }
    free (self->themes);
    self->themes = NULL;
    self->theme_count = 0;
    evidence_free (&self->sentiment_evidence, &self->sentiment_evidence_count);
    self->tagged = false;
    self->sentiment = 0;
    self->label = KULAK_LABEL_NEU;
    self->complaint = false;
}

void
kulak_record_destroy (kulak_record_t **self_p)
{
    kulak_record_t *self = *self_p;
    if (!self)
        return;
    kulak_record_clear_tags (self);
    free (self->source);
    free (self->external_id);
    free (self->customer);
    free (self->author);
    free (self->time);
    free (self->origin);
    if (self->norm_text != self->text)
        free (self->norm_text);          /* (else it is the text: see record.h) */
    free (self->text);
    free (self->quarantine_reason);
    free (self);
    *self_p = NULL;
}

static void
hash_field (XXH3_state_t *state, const char *value)
{
    /* A unit separator between fields keeps ("ab","c") apart from ("a","bc"). */
    if (value)
        XXH3_128bits_update (state, value, strlen (value));
    XXH3_128bits_update (state, "\x1f", 1);
}

void
kulak_record_make_id (kulak_record_t *self)
{
    XXH3_state_t state;
    XXH3_128bits_reset (&state);
    if (!kulak_str_empty (self->external_id)) {
        hash_field (&state, "xid");
        hash_field (&state, self->source);
        hash_field (&state, self->external_id);
    }
    else {
        hash_field (&state, "content");
        hash_field (&state, kulak_channel_name (self->channel));
        hash_field (&state, self->source);
        hash_field (&state, self->customer);
        hash_field (&state, self->author);
        hash_field (&state, self->time);
        hash_field (&state, self->text);
        if (self->quarantine_reason)
            hash_field (&state, self->origin);
    }
    XXH128_hash_t hash = XXH3_128bits_digest (&state);
    snprintf (self->id, sizeof self->id, "%016llx%016llx",
              (unsigned long long) hash.high64, (unsigned long long) hash.low64);
}

kulak_theme_hit_t *
kulak_record_add_theme (kulak_record_t *self, const char *theme)
{
    self->themes = kulak_realloc (self->themes, (self->theme_count + 1) * sizeof *self->themes);
    kulak_theme_hit_t *hit = &self->themes [self->theme_count++];
    memset (hit, 0, sizeof *hit);
    hit->theme = kulak_strdup (theme);
    return hit;
}

kulak_evidence_t *
kulak_evidence_push (kulak_evidence_t **items, size_t *count, uint32_t start, uint32_t end,
                     float weight, const char *word)
{
    word = word ? word : "";
    return kulak_evidence_push_n (items, count, start, end, weight, word, strlen (word));
}

/* The room an evidence block has for `n` items: the count rounded up to a power of two,
   four at least; and for `used` bytes of words after them, 64 at least. Both follow from
   what the block holds, so it needs no field to say them (see kulak_evidence_push_n). */
static size_t
power_room (size_t n, size_t least)
{
    size_t room = least;
    while (room < n)
        room *= 2;
    return n ? room : 0;
}

static size_t
evidence_item_room (size_t n)
{
    return power_room (n, 4);
}

static size_t
evidence_word_room (size_t used)
{
    return power_room (used, 64);
}

kulak_evidence_t *
kulak_evidence_push_n (kulak_evidence_t **items, size_t *count, uint32_t start, uint32_t end,
                       float weight, const char *word, size_t len)
{
    /* One block holds the items and, after their room, their words one after another: most
       texts have a few items, one allocation in all, not one per item and per word. The
       words in use end at the last item's word (the block is only ever grown here). */
    size_t n = *count;
    kulak_evidence_t *block = *items;
    size_t rooms = evidence_item_room (n), used = 0;
    if (n) {
        const char *last = block [n - 1].word;
        used = (size_t) (last - (const char *) (block + rooms)) + strlen (last) + 1;
    }
    size_t new_rooms = evidence_item_room (n + 1);
    if (new_rooms != rooms || evidence_word_room (used + len + 1) != evidence_word_room (used)) {
        /* A bigger block: the words move with it, and after more items' room, further.
           (Where they were, as a number: the block is NULL at first.) */
        uintptr_t old_words = (uintptr_t) block + rooms * sizeof *block;
        size_t size = new_rooms * sizeof *block + evidence_word_room (used + len + 1);
        /* (a text's first item, most often its only block: realloc of NULL costs twice
           malloc's instructions) */
        block = block ? kulak_realloc (block, size) : kulak_malloc (size);
        char *words = (char *) (block + new_rooms);
        if (new_rooms != rooms)
            memmove (words, block + rooms, used);
        for (size_t i = 0; i < n; i++)
            block [i].word = words + ((uintptr_t) block [i].word - old_words);
        *items = block;
    }
    char *copy = (char *) (block + new_rooms) + used;
    kulak_bytes_copy (copy, word, len);  /* (most often a word: inline, not a call) */
    copy [len] = 0;
    kulak_evidence_t *item = &block [(*count)++];
    item->start = start;
    item->end = end;
    item->weight = weight;
    item->word = copy;
    return item;
}

void
kulak_evidence_json (kulak_buf_t *buf, const kulak_evidence_t *items, size_t count,
                     bool weights)
{
    kulak_buf_putc (buf, '[');
    for (size_t i = 0; i < count; i++) {
        kulak_buf_puts (buf, i ? ",{\"text\":" : "{\"text\":");
        kulak_buf_json_string (buf, items [i].word);
        kulak_buf_puts (buf, ",\"start\":");
        kulak_buf_put_uint (buf, items [i].start);
        kulak_buf_puts (buf, ",\"end\":");
        kulak_buf_put_uint (buf, items [i].end);
        if (weights) {
            kulak_buf_puts (buf, ",\"weight\":");
            kulak_buf_put_fixed3 (buf, items [i].weight);
        }
        kulak_buf_putc (buf, '}');
    }
    kulak_buf_putc (buf, ']');
}

/* ---- names ------------------------------------------------------------------------- */

const char *
kulak_channel_name (kulak_channel_t channel)
{
    switch (channel) {
        case KULAK_CHANNEL_REVIEW: return "review";
        case KULAK_CHANNEL_SURVEY: return "survey";
        case KULAK_CHANNEL_SOCIAL: return "social";
        case KULAK_CHANNEL_AGENT_NOTE: return "agent_note";
        default: return "";
    }
}

kulak_channel_t
kulak_channel_parse (const char *name)
{
    static const struct { const char *name; kulak_channel_t channel; } names [] = {
        { "review", KULAK_CHANNEL_REVIEW },   { "reviews", KULAK_CHANNEL_REVIEW },
        { "survey", KULAK_CHANNEL_SURVEY },   { "surveys", KULAK_CHANNEL_SURVEY },
        { "social", KULAK_CHANNEL_SOCIAL },   { "mention", KULAK_CHANNEL_SOCIAL },
        { "agent_note", KULAK_CHANNEL_AGENT_NOTE }, { "note", KULAK_CHANNEL_AGENT_NOTE },
        { "agent", KULAK_CHANNEL_AGENT_NOTE }, { "agent-note", KULAK_CHANNEL_AGENT_NOTE },
    };
    if (!name)
        return KULAK_CHANNEL_NONE;
    for (size_t i = 0; i < sizeof names / sizeof names [0]; i++)
        if (kulak_str_ieq (name, names [i].name))
            return names [i].channel;
    return KULAK_CHANNEL_NONE;
}

const char *
kulak_lang_name (kulak_lang_t lang)
{
    return lang == KULAK_LANG_TR ? "tr" : lang == KULAK_LANG_EN ? "en" : "und";
}

kulak_lang_t
kulak_lang_parse (const char *name)
{
    if (kulak_str_ieq (name, "tr") || kulak_str_ieq (name, "tur") || kulak_str_ieq (name, "turkish"))
        return KULAK_LANG_TR;
    if (kulak_str_ieq (name, "en") || kulak_str_ieq (name, "eng") || kulak_str_ieq (name, "english"))
        return KULAK_LANG_EN;
    return KULAK_LANG_UNKNOWN;
}

const char *
kulak_label_name (kulak_label_t label)
{
    return label == KULAK_LABEL_POS ? "pos" : label == KULAK_LABEL_NEG ? "neg" : "neu";
}

int
kulak_label_parse (const char *name)
{
    if (kulak_str_ieq (name, "pos") || kulak_str_ieq (name, "positive"))
        return KULAK_LABEL_POS;
    if (kulak_str_ieq (name, "neg") || kulak_str_ieq (name, "negative"))
        return KULAK_LABEL_NEG;
    if (kulak_str_ieq (name, "neu") || kulak_str_ieq (name, "neutral"))
        return KULAK_LABEL_NEU;
    return -1;
}

/* ---- encoding ---------------------------------------------------------------------- */

static void
pack_str (msgpack_packer *pk, const char *s)
{
    size_t len = strlen (s);
    msgpack_pack_str (pk, len);
    msgpack_pack_str_body (pk, s, len);
}

static void
pack_key_str (msgpack_packer *pk, const char *key, const char *value)
{
    pack_str (pk, key);
    pack_str (pk, value);
}

static void
pack_key_int (msgpack_packer *pk, const char *key, int64_t value)
{
    pack_str (pk, key);
    msgpack_pack_int64 (pk, value);
}

static void
pack_evidence (msgpack_packer *pk, const kulak_evidence_t *items, size_t count)
{
    msgpack_pack_array (pk, count);
    for (size_t i = 0; i < count; i++) {
        msgpack_pack_array (pk, 4);
        msgpack_pack_uint32 (pk, items [i].start);
        msgpack_pack_uint32 (pk, items [i].end);
        msgpack_pack_float (pk, items [i].weight);
        pack_str (pk, items [i].word ? items [i].word : "");
    }
}

char *
kulak_record_encode (const kulak_record_t *self, size_t *len_p)
{
    msgpack_sbuffer sbuf;
    msgpack_sbuffer_init (&sbuf);
    msgpack_packer pk;
    msgpack_packer_init (&pk, &sbuf, msgpack_sbuffer_write);

    const char *optional_keys [] = { "src", "xid", "cust", "auth", "t", "org", "txt", "norm", "q" };
    const char *optional_values [] = { self->source, self->external_id, self->customer,
                                       self->author, self->time, self->origin, self->text,
                                       self->norm_text, self->quarantine_reason };
    const char *int_keys [] = { "rat", "nps", "csat", "ces" };
    const int int_values [] = { self->rating, self->nps, self->csat, self->ces };

    size_t count = 4;   /* v, id, ch, lang */
    count += self->spool_version != 0;
    count += self->lang_guessed;
    for (size_t i = 0; i < 9; i++)
        count += optional_values [i] != NULL;
    for (size_t i = 0; i < 4; i++)
        count += int_values [i] >= 0;
    if (self->tagged)
        count += 6;     /* tg, s, lbl, cmp, th, sev */

    msgpack_pack_map (&pk, count);
    pack_key_int (&pk, "v", KULAK_WIRE_VERSION);
    pack_key_str (&pk, "id", self->id);
    pack_key_int (&pk, "ch", self->channel);
    pack_key_int (&pk, "lang", self->lang);
    if (self->lang_guessed) {
        pack_str (&pk, "lg");
        msgpack_pack_true (&pk);
    }
    if (self->spool_version) {
        pack_str (&pk, "sv");
        msgpack_pack_uint64 (&pk, self->spool_version);
    }
    for (size_t i = 0; i < 9; i++)
        if (optional_values [i])
            pack_key_str (&pk, optional_keys [i], optional_values [i]);
    for (size_t i = 0; i < 4; i++)
        if (int_values [i] >= 0)
            pack_key_int (&pk, int_keys [i], int_values [i]);
    if (self->tagged) {
        pack_str (&pk, "tg");
        msgpack_pack_true (&pk);
        pack_str (&pk, "s");
        msgpack_pack_float (&pk, self->sentiment);
        pack_key_int (&pk, "lbl", self->label);
        pack_str (&pk, "cmp");
        if (self->complaint)
            msgpack_pack_true (&pk);
        else
            msgpack_pack_false (&pk);
        pack_str (&pk, "th");
        msgpack_pack_array (&pk, self->theme_count);
        for (size_t i = 0; i < self->theme_count; i++) {
            const kulak_theme_hit_t *hit = &self->themes [i];
            msgpack_pack_map (&pk, 4);
            pack_key_str (&pk, "id", hit->theme);
            pack_str (&pk, "s");
            msgpack_pack_float (&pk, hit->sentiment);
            pack_key_int (&pk, "lbl", hit->label);
            pack_str (&pk, "ev");
            pack_evidence (&pk, hit->evidence, hit->evidence_count);
        }
        pack_str (&pk, "sev");
        pack_evidence (&pk, self->sentiment_evidence, self->sentiment_evidence_count);
    }
    *len_p = sbuf.size;
    char *out = kulak_malloc (sbuf.size);
    memcpy (out, sbuf.data, sbuf.size);
    msgpack_sbuffer_destroy (&sbuf);
    return out;
}

/* ---- decoding: every field is checked, nothing is trusted -------------------------- */

typedef struct {
    char *err;
} decode_ctx_t;

static bool
fail (decode_ctx_t *ctx, const char *reason, const char *key)
{
    if (!ctx->err)
        ctx->err = kulak_sprintf ("malformed record: %s%s%s", key ? "field " : "",
                                  key ? key : "", reason);
    return false;
}

static bool
key_is (const msgpack_object *key, const char *name)
{
    size_t len = strlen (name);
    return key->type == MSGPACK_OBJECT_STR && key->via.str.size == len
        && memcmp (key->via.str.ptr, name, len) == 0;
}

static bool
get_string (decode_ctx_t *ctx, const msgpack_object *value, const char *key, char **out)
{
    if (value->type == MSGPACK_OBJECT_NIL)
        return true;
    if (value->type != MSGPACK_OBJECT_STR)
        return fail (ctx, " is not a string", key);
    if (value->via.str.size > KULAK_MAX_TEXT)
        return fail (ctx, " is longer than 1 MiB", key);
    if (memchr (value->via.str.ptr, 0, value->via.str.size))
        return fail (ctx, " holds a NUL byte", key);
    free (*out);
    *out = kulak_strndup (value->via.str.ptr, value->via.str.size);
    return true;
}

static bool
get_int (decode_ctx_t *ctx, const msgpack_object *value, const char *key, int64_t low,
         int64_t high, int64_t *out)
{
    int64_t v;
    if (value->type == MSGPACK_OBJECT_POSITIVE_INTEGER && value->via.u64 <= INT64_MAX)
        v = (int64_t) value->via.u64;
    else if (value->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
        v = value->via.i64;
    else
        return fail (ctx, " is not an integer", key);
    if (v < low || v > high)
        return fail (ctx, " is out of range", key);
    *out = v;
    return true;
}

static bool
get_float (decode_ctx_t *ctx, const msgpack_object *value, const char *key, float low,
           float high, float *out)
{
    double v;
    if (value->type == MSGPACK_OBJECT_FLOAT32 || value->type == MSGPACK_OBJECT_FLOAT64)
        v = value->via.f64;
    else if (value->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
        v = (double) value->via.u64;
    else if (value->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
        v = (double) value->via.i64;
    else
        return fail (ctx, " is not a number", key);
    if (!(v >= low && v <= high))      /* also rejects NaN */
        return fail (ctx, " is out of range", key);
    *out = (float) v;
    return true;
}

static bool
get_evidence (decode_ctx_t *ctx, const msgpack_object *value, const char *key,
              kulak_evidence_t **items, size_t *count)
{
    if (value->type != MSGPACK_OBJECT_ARRAY)
        return fail (ctx, " is not an array", key);
    if (value->via.array.size > KULAK_MAX_EVIDENCE - *count)   /* also across repeated keys */
        return fail (ctx, " has too many items", key);
    for (uint32_t i = 0; i < value->via.array.size; i++) {
        const msgpack_object *item = &value->via.array.ptr [i];
        if (item->type != MSGPACK_OBJECT_ARRAY || item->via.array.size != 4)
            return fail (ctx, " item is not [start, end, weight, word]", key);
        int64_t start, end;
        float weight;
        char *word = NULL;
        if (!get_int (ctx, &item->via.array.ptr [0], key, 0, KULAK_MAX_TEXT, &start)
        ||  !get_int (ctx, &item->via.array.ptr [1], key, start, KULAK_MAX_TEXT, &end)
        ||  !get_float (ctx, &item->via.array.ptr [2], key, -1e6f, 1e6f, &weight)
        ||  !get_string (ctx, &item->via.array.ptr [3], key, &word))
            return false;
        kulak_evidence_push (items, count, (uint32_t) start, (uint32_t) end, weight, word);
        free (word);
    }
    return true;
}

static bool
get_themes (decode_ctx_t *ctx, const msgpack_object *value, kulak_record_t *record)
{
    if (value->type != MSGPACK_OBJECT_ARRAY)
        return fail (ctx, " is not an array", "th");
    if (value->via.array.size > KULAK_MAX_THEMES - record->theme_count)
        return fail (ctx, " has too many themes", "th");
    for (uint32_t i = 0; i < value->via.array.size; i++) {
        const msgpack_object *item = &value->via.array.ptr [i];
        if (item->type != MSGPACK_OBJECT_MAP)
            return fail (ctx, " item is not a map", "th");
        kulak_theme_hit_t *hit = kulak_record_add_theme (record, "");
        for (uint32_t k = 0; k < item->via.map.size; k++) {
            const msgpack_object *key = &item->via.map.ptr [k].key;
            const msgpack_object *val = &item->via.map.ptr [k].val;
            int64_t label;
            bool ok = true;
            if (key_is (key, "id"))
                ok = get_string (ctx, val, "th.id", &hit->theme);
            else if (key_is (key, "s"))
                ok = get_float (ctx, val, "th.s", -1, 1, &hit->sentiment);
            else if (key_is (key, "lbl")) {
                ok = get_int (ctx, val, "th.lbl", 0, 2, &label);
                hit->label = (kulak_label_t) label;
            }
            else if (key_is (key, "ev"))
                ok = get_evidence (ctx, val, "th.ev", &hit->evidence, &hit->evidence_count);
            if (!ok)
                return false;
        }
        if (kulak_str_empty (hit->theme))
            return fail (ctx, " item has no id", "th");
    }
    return true;
}

static bool
is_valid_id (const char *id)
{
    if (!id || strlen (id) != KULAK_ID_LEN)
        return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

static bool
decode_map (decode_ctx_t *ctx, const msgpack_object *root, kulak_record_t *record)
{
    if (root->type != MSGPACK_OBJECT_MAP)
        return fail (ctx, "not a map", NULL);
    char *id = NULL;
    bool ok = true, seen_version = false;
    for (uint32_t i = 0; ok && i < root->via.map.size; i++) {
        const msgpack_object *key = &root->via.map.ptr [i].key;
        const msgpack_object *val = &root->via.map.ptr [i].val;
        int64_t n;
        if (key_is (key, "v")) {
            ok = get_int (ctx, val, "v", 1, INT32_MAX, &n);
            if (ok && n > KULAK_WIRE_VERSION)
                ok = fail (ctx, " is newer than this stage understands; upgrade it", "v");
            seen_version = true;
        }
        else if (key_is (key, "id"))   ok = get_string (ctx, val, "id", &id);
        else if (key_is (key, "ch")) {
            ok = get_int (ctx, val, "ch", KULAK_CHANNEL_NONE, KULAK_CHANNEL_AGENT_NOTE, &n);
            record->channel = (kulak_channel_t) n;
        }
        else if (key_is (key, "lang")) {
            ok = get_int (ctx, val, "lang", 0, KULAK_LANG_EN, &n);
            record->lang = (kulak_lang_t) n;
        }
        else if (key_is (key, "lg"))
            record->lang_guessed = val->type == MSGPACK_OBJECT_BOOLEAN && val->via.boolean;
        else if (key_is (key, "src"))  ok = get_string (ctx, val, "src", &record->source);
        else if (key_is (key, "xid"))  ok = get_string (ctx, val, "xid", &record->external_id);
        else if (key_is (key, "cust")) ok = get_string (ctx, val, "cust", &record->customer);
        else if (key_is (key, "auth")) ok = get_string (ctx, val, "auth", &record->author);
        else if (key_is (key, "t"))    ok = get_string (ctx, val, "t", &record->time);
        else if (key_is (key, "org"))  ok = get_string (ctx, val, "org", &record->origin);
        else if (key_is (key, "txt"))  ok = get_string (ctx, val, "txt", &record->text);
        else if (key_is (key, "norm")) ok = get_string (ctx, val, "norm", &record->norm_text);
        else if (key_is (key, "q"))    ok = get_string (ctx, val, "q", &record->quarantine_reason);
        else if (key_is (key, "rat")) {
            ok = get_int (ctx, val, "rat", 1, 5, &n);
            record->rating = (int) n;
        }
        else if (key_is (key, "nps")) {
            ok = get_int (ctx, val, "nps", 0, 10, &n);
            record->nps = (int) n;
        }
        else if (key_is (key, "csat")) {
            ok = get_int (ctx, val, "csat", 1, 5, &n);
            record->csat = (int) n;
        }
        else if (key_is (key, "ces")) {
            ok = get_int (ctx, val, "ces", 1, 7, &n);
            record->ces = (int) n;
        }
        else if (key_is (key, "sv")) {
            if (val->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
                ok = fail (ctx, " is not a version number", "sv");
            else
                record->spool_version = val->via.u64;
        }
        else if (key_is (key, "tg"))
            record->tagged = val->type == MSGPACK_OBJECT_BOOLEAN && val->via.boolean;
        else if (key_is (key, "s"))    ok = get_float (ctx, val, "s", -1, 1, &record->sentiment);
        else if (key_is (key, "lbl")) {
            ok = get_int (ctx, val, "lbl", 0, 2, &n);
            record->label = (kulak_label_t) n;
        }
        else if (key_is (key, "cmp"))
            record->complaint = val->type == MSGPACK_OBJECT_BOOLEAN && val->via.boolean;
        else if (key_is (key, "th"))   ok = get_themes (ctx, val, record);
        else if (key_is (key, "sev"))
            ok = get_evidence (ctx, val, "sev", &record->sentiment_evidence,
                               &record->sentiment_evidence_count);
        /* unknown keys are skipped: newer senders may add fields */
    }
    if (ok && !seen_version)
        ok = fail (ctx, " is missing", "v");
    if (ok && !is_valid_id (id))
        ok = fail (ctx, " is not 32 lower-case hex digits", "id");
    if (ok && record->channel == KULAK_CHANNEL_NONE && !record->quarantine_reason)
        ok = fail (ctx, " is missing", "ch");
    if (ok)
        memcpy (record->id, id, KULAK_ID_LEN + 1);
    free (id);
    return ok;
}

/* msgpack-c allocates what a container header declares before it reads the contents, so
   five bytes could ask for gigabytes. Walk the headers first: every declared element needs
   at least one byte, every string its length. */
bool
kulak_msgpack_plausible (const uint8_t *p, size_t len)
{
    size_t pos = 0;
    uint64_t pending = 1;
    while (pending > 0) {
        if (pos >= len)
            return false;
        uint8_t b = p [pos++];
        pending--;
        uint64_t items = 0, skip = 0;
        size_t width = 0;                    /* bytes of a length field that follows */
        if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3)
            ;                                /* fixint, nil, bool */
        else if ((b & 0xf0) == 0x80)
            items = 2 * (uint64_t) (b & 0x0f);           /* fixmap */
        else if ((b & 0xf0) == 0x90)
            items = b & 0x0f;                            /* fixarray */
        else if ((b & 0xe0) == 0xa0)
            skip = b & 0x1f;                             /* fixstr */
        else switch (b) {
            case 0xcc: case 0xd0: skip = 1; break;
            case 0xcd: case 0xd1: skip = 2; break;
            case 0xca: case 0xce: case 0xd2: skip = 4; break;
            case 0xcb: case 0xcf: case 0xd3: skip = 8; break;
            case 0xd4: skip = 2; break;                  /* fixext 1 */
            case 0xd5: skip = 3; break;
            case 0xd6: skip = 5; break;
            case 0xd7: skip = 9; break;
            case 0xd8: skip = 17; break;
            case 0xc4: case 0xd9: width = 1; break;      /* bin8, str8 */
            case 0xc5: case 0xda: width = 2; break;
            case 0xc6: case 0xdb: width = 4; break;
            case 0xc7: width = 1; break;                 /* ext8: length + type byte */
            case 0xc8: width = 2; break;
            case 0xc9: width = 4; break;
            case 0xdc: case 0xde: width = 2; break;      /* array16, map16 */
            case 0xdd: case 0xdf: width = 4; break;      /* array32, map32 */
            default: return false;                       /* 0xc1: never used */
        }
        if (width) {
            if (len - pos < width)
                return false;
            uint64_t n = 0;
            for (size_t i = 0; i < width; i++)
                n = (n << 8) | p [pos++];
            if (b == 0xdc || b == 0xdd)
                items = n;
            else if (b == 0xde || b == 0xdf)
                items = 2 * n;
            else
                skip = n + (b >= 0xc7 && b <= 0xc9);     /* ext has a type byte */
        }
        if (skip > len - pos)
            return false;
        pos += (size_t) skip;
        pending += items;
        if (pending > len - pos)
            return false;
    }
    return true;
}

int
kulak_record_decode (const char *data, size_t len, kulak_record_t **record_p, char **err)
{
    *record_p = NULL;
    decode_ctx_t ctx = { NULL };
    msgpack_unpacked result;
    msgpack_unpacked_init (&result);
    size_t offset = 0;
    kulak_record_t *record = NULL;
    if (!kulak_msgpack_plausible ((const uint8_t *) data, len)) {
        msgpack_unpacked_destroy (&result);
        if (err)
            *err = kulak_strdup ("malformed record: sizes larger than the message");
        return -2;
    }
    msgpack_unpack_return ret = msgpack_unpack_next (&result, data, len, &offset);
    if (ret != MSGPACK_UNPACK_SUCCESS)
        fail (&ctx, "not a complete MessagePack object", NULL);
    else if (offset != len)
        fail (&ctx, "trailing bytes after the record", NULL);
    else {
        record = kulak_record_new ();
        if (!decode_map (&ctx, &result.data, record))
            kulak_record_destroy (&record);
    }
    msgpack_unpacked_destroy (&result);
    if (!record) {
        if (err)
            *err = ctx.err;
        else
            free (ctx.err);
        return -2;
    }
    *record_p = record;
    return 0;
}
