/*  note.h: talking to a running pipeline's collect stage: sending an agent's note and
    asking for status. Used by `kulak note`, `kulak status` and the browser form. */
#ifndef KULAK_NOTE_H
#define KULAK_NOTE_H

#include <stdbool.h>

typedef struct {
    const char *text;
    const char *author;
    const char *customer;        /* may be NULL */
    const char *lang;            /* "tr", "en" or NULL: detected */
    const char *source;          /* "kulak note", "web form"... */
} kulak_note_t;

/* Sends the note; 0 with *id and *spooled_at (caller frees) once collect has it in its
   spool, -1 with the reason otherwise (nothing was taken). */
int kulak_note_send (const char *endpoint, const kulak_note_t *note, int timeout_ms,
                     char **id, char **spooled_at, char **err);

/* One request/reply on a control endpoint; NULL with a reason on timeout or refusal. */
char *kulak_control_request (const char *endpoint, const char *message, int timeout_ms,
                             char **err);

/* False when an ipc:// endpoint has nobody listening (answers at once, no timeout). */
bool kulak_endpoint_alive (const char *endpoint);

#endif
