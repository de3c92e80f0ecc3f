/*  spool.h: collect's durable hand-off. Every record is written here (SQLite, WAL,
    synchronous=FULL) before it is sent on, and deleted only when the store acknowledges
    it. After a crash or restart, whatever is still here is sent again; the store's upsert
    by record id makes a second delivery harmless.

    The spool also remembers which files of a watched folder were ingested (path, size,
    modification time) so a restart does not ingest them twice. */
#ifndef KULAK_SPOOL_H
#define KULAK_SPOOL_H

#include "kulak/record.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct kulak_spool_t kulak_spool_t;

kulak_spool_t *kulak_spool_open (const char *path, char **err);
void kulak_spool_close (kulak_spool_t **self_p);

/* Writes records in one transaction; returns 0 once they are durable. Each gets a new
   spool_version (set in the record and its payload): a record added again replaces the
   waiting one, and an acknowledgement of the older version no longer removes it. */
int kulak_spool_add (kulak_spool_t *self, kulak_record_t *const *records, size_t count,
                     char **err);

/* Calls send() for up to `limit` records that were never sent or were sent more than
   `resend_after` seconds ago without an ack, oldest first, and marks them sent. send()
   returns 0 when the record went out, -1 to stop (the peer is not taking more). Returns
   how many went out, or -1 on a database error. */
typedef int (*kulak_spool_send_fn) (const char *id, const void *payload, size_t len,
                                    int attempts, void *arg);
int kulak_spool_send (kulak_spool_t *self, size_t limit, double resend_after,
                      kulak_spool_send_fn send, void *arg, char **err);

/* The same for records sent more than `resend_after` seconds ago and still unacknowledged
   only (a message lost downstream), whatever is in flight besides. */
int kulak_spool_resend (kulak_spool_t *self, size_t limit, double resend_after,
                        kulak_spool_send_fn send, void *arg, char **err);

/* Forgets acknowledged records: each id at the version the store stored (versions may be
   NULL, or hold 0, to forget whatever version is there). */
int kulak_spool_ack (kulak_spool_t *self, const char *const *ids, const uint64_t *versions,
                     size_t count, char **err);
/* Marks everything unsent (at start: whatever was in flight died with the last run). */
int kulak_spool_reset (kulak_spool_t *self, char **err);

size_t kulak_spool_pending (kulak_spool_t *self);       /* not yet acknowledged */
size_t kulak_spool_in_flight (kulak_spool_t *self);     /* sent, not yet acknowledged */
size_t kulak_spool_stuck (kulak_spool_t *self, int attempts);  /* sent >= attempts times */

bool kulak_spool_file_done (kulak_spool_t *self, const char *path, int64_t size, int64_t mtime);
int kulak_spool_mark_file (kulak_spool_t *self, const char *path, int64_t size, int64_t mtime,
                           size_t records, char **err);

#endif
