/*  note.c: agent notes and control requests to a running collect (see note.h). */
#include "kulak/note.h"
#include "kulak/util.h"

#include <czmq.h>
#include <jansson.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

bool
kulak_endpoint_alive (const char *endpoint)
{
    /* An ipc endpoint is a Unix socket: if nobody listens, connect() says so at once, where
       a ZeroMQ request would wait for its timeout. */
    if (strncmp (endpoint, "ipc://", 6) != 0)
        return true;
    struct sockaddr_un address = { .sun_family = AF_UNIX };
    if (strlen (endpoint + 6) >= sizeof address.sun_path)
        return true;
    strcpy (address.sun_path, endpoint + 6);
    int fd = socket (AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        return true;
    bool alive = connect (fd, (struct sockaddr *) &address, sizeof address) == 0;
    close (fd);
    return alive;
}

char *
kulak_control_request (const char *endpoint, const char *message, int timeout_ms, char **err)
{
    if (!kulak_endpoint_alive (endpoint)) {
        *err = kulak_sprintf ("nothing is listening at %s", endpoint);
        return NULL;
    }
    zsock_t *req = zsock_new (ZMQ_REQ);
    if (!req) {
        *err = kulak_strdup ("cannot create a ZeroMQ socket");
        return NULL;
    }
    zsock_set_linger (req, 0);
    zsock_set_rcvtimeo (req, timeout_ms);
    zsock_set_sndtimeo (req, timeout_ms);
    char *reply = NULL;
    if (zsock_connect (req, "%s", endpoint) != 0)
        *err = kulak_sprintf ("cannot connect to %s", endpoint);
    else if (zstr_send (req, message) != 0 || !(reply = zstr_recv (req)))
        *err = kulak_sprintf ("no answer from %s within %d ms", endpoint, timeout_ms);
    zsock_destroy (&req);
    if (!reply)
        return NULL;
    char *copy = kulak_strdup (reply);
    zstr_free (&reply);
    return copy;
}

int
kulak_note_send (const char *endpoint, const kulak_note_t *note, int timeout_ms, char **id,
                 char **spooled_at, char **err)
{
    json_t *object = json_pack ("{s:s, s:s, s:s, s:s}", "channel", "agent_note",
                                "source", note->source ? note->source : "kulak note",
                                "author", note->author ? note->author : "agent",
                                "text", note->text ? note->text : "");
    if (!object) {
        *err = kulak_strdup ("the note is not valid UTF-8");
        return -1;
    }
    if (note->customer && *note->customer)
        json_object_set_new (object, "customer", json_string (note->customer));
    if (note->lang && *note->lang)
        json_object_set_new (object, "lang", json_string (note->lang));
    char *body = json_dumps (object, JSON_COMPACT);
    json_decref (object);
    char *message = kulak_sprintf ("NOTE %s", body);
    free (body);
    char *reply = kulak_control_request (endpoint, message, timeout_ms, err);
    free (message);
    if (!reply)
        return -1;
    json_error_t error;
    json_t *answer = json_loads (reply, 0, &error);
    int rc = -1;
    if (answer && json_is_true (json_object_get (answer, "ok"))) {
        *id = kulak_strdup (json_string_value (json_object_get (answer, "id")));
        *spooled_at = kulak_strdup (json_string_value (json_object_get (answer, "spooled_at")));
        rc = 0;
    }
    else
        *err = kulak_sprintf ("refused: %s", answer && json_string_value (json_object_get (answer, "error"))
                              ? json_string_value (json_object_get (answer, "error")) : reply);
    json_decref (answer);
    free (reply);
    return rc;
}
