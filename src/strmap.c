/*  strmap.c: open-addressing string hash map with linear probing (see strmap.h). */
#include "kulak/strmap.h"
#include "kulak/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

typedef struct {
    char *key;
    size_t key_len;
    uint64_t hash;
    void *value;
} slot_t;

struct kulak_strmap_t {
    slot_t *slots;
    size_t capacity;     /* power of two */
    size_t size;
};

kulak_strmap_t *
kulak_strmap_new (void)
{
    kulak_strmap_t *self = kulak_calloc (1, sizeof *self);
    self->capacity = 64;
    self->slots = kulak_calloc (self->capacity, sizeof (slot_t));
    return self;
}

void
kulak_strmap_destroy (kulak_strmap_t **self_p)
{
    kulak_strmap_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->capacity; i++)
        free (self->slots [i].key);
    free (self->slots);
    free (self);
    *self_p = NULL;
}

static slot_t *
find_slot (slot_t *slots, size_t capacity, const char *key, size_t key_len, uint64_t hash)
{
    size_t i = hash & (capacity - 1);
    for (;;) {
        slot_t *slot = &slots [i];
        if (!slot->key || (slot->hash == hash && slot->key_len == key_len
                           && memcmp (slot->key, key, key_len) == 0))
            return slot;
        i = (i + 1) & (capacity - 1);
    }
}

static void
grow (kulak_strmap_t *self)
{
    size_t capacity = self->capacity * 2;
    slot_t *slots = kulak_calloc (capacity, sizeof (slot_t));
    for (size_t i = 0; i < self->capacity; i++) {
        slot_t *old = &self->slots [i];
        if (old->key)
            *find_slot (slots, capacity, old->key, old->key_len, old->hash) = *old;
    }
    free (self->slots);
    self->slots = slots;
    self->capacity = capacity;
}

void **
kulak_strmap_put (kulak_strmap_t *self, const char *key, size_t key_len, void *value)
{
    if ((self->size + 1) * 4 > self->capacity * 3)
        grow (self);
    uint64_t hash = XXH3_64bits (key, key_len);
    slot_t *slot = find_slot (self->slots, self->capacity, key, key_len, hash);
    if (!slot->key) {
        slot->key = kulak_strndup (key, key_len);
        slot->key_len = key_len;
        slot->hash = hash;
        self->size++;
    }
    slot->value = value;
    return &slot->value;
}

void **
kulak_strmap_get (const kulak_strmap_t *self, const char *key, size_t key_len)
{
    if (!self->size)
        return NULL;             /* an empty set (no stopwords file) costs no hashing */
    uint64_t hash = XXH3_64bits (key, key_len);
    slot_t *slot = find_slot (self->slots, self->capacity, key, key_len, hash);
    return slot->key ? &slot->value : NULL;
}

size_t
kulak_strmap_size (const kulak_strmap_t *self)
{
    return self->size;
}

bool
kulak_strmap_next (const kulak_strmap_t *self, size_t *cursor, const char **key,
                   void **value)
{
    while (*cursor < self->capacity) {
        slot_t *slot = &self->slots [(*cursor)++];
        if (slot->key) {
            *key = slot->key;
            if (value)
                *value = slot->value;
            return true;
        }
    }
    return false;
}
