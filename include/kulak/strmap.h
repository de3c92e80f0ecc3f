/*  strmap.h: a string-keyed hash map (open addressing, XXH3 hashes) used for lexicon
    indexes, model feature weights and stopword sets. Keys are copied; values are borrowed
    pointers or small integers, whatever the owner decides. */
#ifndef KULAK_STRMAP_H
#define KULAK_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct kulak_strmap_t kulak_strmap_t;

kulak_strmap_t *kulak_strmap_new (void);
void kulak_strmap_destroy (kulak_strmap_t **self_p);
/* Inserts or replaces; returns the slot's value pointer so callers can update in place. */
void **kulak_strmap_put (kulak_strmap_t *self, const char *key, size_t key_len, void *value);
/* NULL when absent. */
void **kulak_strmap_get (const kulak_strmap_t *self, const char *key, size_t key_len);
size_t kulak_strmap_size (const kulak_strmap_t *self);
/* Iteration: *cursor starts at 0; returns false when done. */
bool kulak_strmap_next (const kulak_strmap_t *self, size_t *cursor, const char **key,
                        void **value);

#endif
