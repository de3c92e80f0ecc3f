/*  runner.c: process orchestration for `kulak run` (see runner.h). */
#include "kulak/runner.h"
#include "kulak/store.h"
#include "kulak/util.h"
#include "kulak/web.h"

#include <czmq.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

extern char **environ;

static volatile sig_atomic_t s_stop_requested;

static void
on_stop_signal (int signum)
{
    (void) signum;
    s_stop_requested = 1;
}

char *
kulak_run_dir (const char *db)
{
    char resolved [PATH_MAX];
    const char *path = realpath (db, resolved) ? resolved : db;
    char *absolute = NULL;
    if (path [0] != '/') {
        char cwd [PATH_MAX];
        absolute = kulak_sprintf ("%s/%s", getcwd (cwd, sizeof cwd) ? cwd : ".", path);
        path = absolute;
    }
    unsigned long long hash = (unsigned long long) XXH3_64bits (path, strlen (path));
    free (absolute);
    return kulak_sprintf ("/tmp/kulak-%u-%012llx", (unsigned) getuid (), hash & 0xFFFFFFFFFFFFULL);
}

char *
kulak_run_endpoint (const char *db, const char *name)
{
    char *dir = kulak_run_dir (db);
    char *endpoint = kulak_sprintf ("ipc://%s/%s.ipc", dir, name);
    free (dir);
    return endpoint;
}

char *
kulak_spool_path_for (const char *db)
{
    return kulak_sprintf ("%s.spool", db);
}

typedef struct {
    const char *name;
    pid_t pid;
    bool running;
    int status;
} child_t;

typedef struct {
    char *items [64];
    int count;
} argv_t;

static void
arg (argv_t *argv, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    char *value = NULL;
    if (vasprintf (&value, format, args) < 0)
        value = NULL;
    va_end (args);
    if (value && argv->count < 63)
        argv->items [argv->count++] = value;
    else
        free (value);
}

static void
arg_option (argv_t *argv, const char *option, const char *value)
{
    if (value) {
        arg (argv, "%s", option);
        arg (argv, "%s", value);
    }
}

static void
argv_free (argv_t *argv)
{
    for (int i = 0; i < argv->count; i++)
        free (argv->items [i]);
    argv->count = 0;
}

static int
spawn (child_t *child, const char *name, argv_t *argv)
{
    argv->items [argv->count] = NULL;
    posix_spawnattr_t attr;
    posix_spawnattr_init (&attr);
    posix_spawnattr_setflags (&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup (&attr, 0);
    int rc = posix_spawn (&child->pid, argv->items [0], NULL, &attr, argv->items, environ);
    posix_spawnattr_destroy (&attr);
    child->name = name;
    child->running = rc == 0;
    if (rc != 0)
        kulak_log ("cannot start %s: %s", argv->items [0], strerror (rc));
    argv_free (argv);
    return rc == 0 ? 0 : -1;
}

/* Sends SIGTERM and waits up to `seconds`; then SIGKILL. */
static void
stop_child (child_t *child, double seconds)
{
    if (!child->running)
        return;
    kill (child->pid, SIGTERM);
    double deadline = kulak_now () + seconds;
    while (kulak_now () < deadline) {
        if (waitpid (child->pid, &child->status, WNOHANG) == child->pid) {
            child->running = false;
            return;
        }
        usleep (20000);
    }
    kulak_log ("%s did not stop within %.0f s; killing it", child->name, seconds);
    kill (child->pid, SIGKILL);
    waitpid (child->pid, &child->status, 0);
    child->running = false;
}

static void
describe_exit (const child_t *child)
{
    if (WIFSIGNALED (child->status))
        kulak_log ("%s (pid %d) was killed by signal %d", child->name, (int) child->pid,
                   WTERMSIG (child->status));
    else
        kulak_log ("%s (pid %d) exited with status %d", child->name, (int) child->pid,
                   WEXITSTATUS (child->status));
}

static void
print_summary (const char *db)
{
    char *err = NULL;
    kulak_store_t *store = kulak_store_open (db, true, &err);
    if (!store) {
        kulak_log ("%s", err);
        free (err);
        return;
    }
    sqlite3 *handle = kulak_store_db (store);
    sqlite3_stmt *stmt;
    kulak_buf_t line;
    kulak_buf_init (&line);
    long long total = 0;
    if (sqlite3_prepare_v2 (handle, "SELECT channel, count(*) FROM records GROUP BY 1 ORDER BY 1",
                            -1, &stmt, NULL) == SQLITE_OK) {
        while (sqlite3_step (stmt) == SQLITE_ROW) {
            long long n = sqlite3_column_int64 (stmt, 1);
            kulak_buf_printf (&line, "%s%s %lld", line.len ? ", " : "",
                              (const char *) sqlite3_column_text (stmt, 0), n);
            total += n;
        }
        sqlite3_finalize (stmt);
    }
    long long quarantined = 0;
    if (sqlite3_prepare_v2 (handle, "SELECT count(*) FROM quarantine", -1, &stmt, NULL) == SQLITE_OK) {
        if (sqlite3_step (stmt) == SQLITE_ROW)
            quarantined = sqlite3_column_int64 (stmt, 0);
        sqlite3_finalize (stmt);
    }
    printf ("kulak: %s holds %lld records (%s) and %lld in quarantine\n", db, total,
            line.len ? line.data : "none", quarantined);
    if (quarantined)
        printf ("kulak: see why with: sqlite3 %s 'select origin, reason from quarantine'\n", db);
    kulak_buf_free (&line);
    kulak_store_close (&store);
}

int
kulak_run (const kulak_run_options_t *o)
{
    char *bin = kulak_exe_dir ();
    char *dir = kulak_run_dir (o->db);
    char *spool = kulak_spool_path_for (o->db);
    /* The database's folder must exist: say so now, not after the stages failed. */
    char *db_dir = kulak_strdup (o->db);
    char *slash = strrchr (db_dir, '/');
    if (slash)
        *(slash == db_dir ? slash + 1 : slash) = 0;
    if (access (slash ? db_dir : ".", W_OK) != 0) {
        kulak_log ("cannot write the database %s: its folder %s is missing or not writable", o->db,
                   slash ? db_dir : ".");
        free (db_dir);
        return 1;
    }
    free (db_dir);
    if (mkdir (dir, 0700) != 0 && errno != EEXIST) {
        kulak_log ("cannot create %s: %s", dir, strerror (errno));
        return 1;
    }
    /* The folder holds the sockets everybody trusts: it must be ours and closed to others
       (its name is predictable from the database path). */
    struct stat st;
    if (lstat (dir, &st) != 0 || !S_ISDIR (st.st_mode) || st.st_uid != getuid ()
        || (st.st_mode & 077)) {
        kulak_log ("refusing %s: it is not a folder of yours closed to others; remove it", dir);
        return 1;
    }
    /* One pipeline per database: a second would bind the same sockets and cross-wire. */
    char *lock_path = kulak_sprintf ("%s/lock", dir);
    int lock = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock < 0 || flock (lock, LOCK_EX | LOCK_NB) != 0) {
        kulak_log ("another `kulak run` is using %s; stop it first (kulak status --db %s)", o->db,
                   o->db);
        if (lock >= 0)
            close (lock);
        free (lock_path);
        return 1;
    }
    setenv ("KULAK_SUPERVISED", "1", 1);   /* stages end when kulak run ends, however it ends */
    char *collect_out = kulak_run_endpoint (o->db, "collect");
    char *acks = kulak_run_endpoint (o->db, "acks");
    char *normalize_out = kulak_run_endpoint (o->db, "normalize");
    char *store_in = kulak_run_endpoint (o->db, "store");
    char *control = kulak_run_endpoint (o->db, "control");

    /* czmq installs its own SIGINT handler the first time it is used (the web form talks
       to collect through it); initialise it now without one, so ours stays in charge. */
    zsys_init ();
    zsys_handler_set (NULL);
    struct sigaction action = { .sa_handler = on_stop_signal };
    sigemptyset (&action.sa_mask);
    sigaction (SIGINT, &action, NULL);
    sigaction (SIGTERM, &action, NULL);
    sigaction (SIGHUP, &action, NULL);       /* the terminal closed: stop cleanly too */
    signal (SIGPIPE, SIG_IGN);

    int count = 0;
    child_t children [3 + 64 + 1];
    memset (children, 0, sizeof children);
    argv_t argv = { { 0 }, 0 };
    int rc = 0;

    arg (&argv, "%s/kulak-store", bin);
    arg_option (&argv, "--db", o->db);
    arg_option (&argv, "--bind", store_in);
    arg_option (&argv, "--acks", acks);
    arg_option (&argv, "--lexicons", o->lexicons);
    char *control_store = kulak_run_endpoint (o->db, "store-control");
    arg_option (&argv, "--control", control_store);
    free (control_store);
    rc |= spawn (&children [count++], "kulak-store", &argv);

    for (int w = 0; w < o->workers && rc == 0; w++) {
        arg (&argv, "%s/kulak-tag", bin);
        arg_option (&argv, "--connect", normalize_out);
        arg_option (&argv, "--store", store_in);
        arg_option (&argv, "--lexicons", o->lexicons);
        arg_option (&argv, "--model-tr", o->model_tr);
        arg_option (&argv, "--model-en", o->model_en);
        arg_option (&argv, "--themes-tr", o->themes_tr);
        arg_option (&argv, "--themes-en", o->themes_en);
        char *name = kulak_sprintf ("tag-%d-control", w + 1);
        char *endpoint = kulak_run_endpoint (o->db, name);
        arg_option (&argv, "--control", endpoint);
        free (endpoint);
        free (name);
        rc |= spawn (&children [count++], "kulak-tag", &argv);
    }
    if (rc == 0) {
        arg (&argv, "%s/kulak-normalize", bin);
        arg_option (&argv, "--connect", collect_out);
        arg_option (&argv, "--bind", normalize_out);
        arg_option (&argv, "--default-lang", o->default_lang);
        char *endpoint = kulak_run_endpoint (o->db, "normalize-control");
        arg_option (&argv, "--control", endpoint);
        free (endpoint);
        rc |= spawn (&children [count++], "kulak-normalize", &argv);
    }
    int collect_index = count;
    if (rc == 0) {
        arg (&argv, "%s/kulak-collect", bin);
        arg_option (&argv, "--spool", spool);
        arg_option (&argv, "--bind", collect_out);
        arg_option (&argv, "--acks", acks);
        arg_option (&argv, "--control", control);
        arg_option (&argv, "--watch", o->watch_dir);
        arg_option (&argv, "--map", o->map);
        arg_option (&argv, "--utc-offset", o->utc_offset);
        arg_option (&argv, "--channel", o->channel);
        arg_option (&argv, "--source", o->source);
        arg_option (&argv, "--lang", o->lang);
        if (!o->serve)
            arg (&argv, "--until-drained");
        arg (&argv, "--");
        for (int i = 0; i < o->input_count; i++)
            arg (&argv, "%s", o->inputs [i]);
        rc |= spawn (&children [count++], "kulak-collect", &argv);
    }
    kulak_web_t *web = NULL;
    if (rc == 0 && o->serve && o->http) {
        char *err = NULL;
        web = kulak_web_start (o->http, o->db, control, &err);
        if (!web) {
            kulak_log ("%s", err);
            free (err);
            s_stop_requested = 1;
            rc = 1;
        }
    }
    if (rc == 0 && o->serve) {
        printf ("kulak: serving %s; agents send notes with: kulak note --db %s \"...\"\n", o->db,
                o->db);
        if (web)
            printf ("kulak: note form and digest at http://%s%s/\n",
                    strchr (o->http, ':') ? "" : "127.0.0.1:", o->http);
        printf ("kulak: press Ctrl-C to stop\n");
    }
    fflush (stdout);

    /* Wait for collect to finish (or a stop request), watching the others. */
    bool collect_done = false;
    while (rc == 0 && !collect_done) {
        if (s_stop_requested) {
            kulak_log ("stopping: unacknowledged records stay in the spool for the next run");
            stop_child (&children [collect_index], 30);
            collect_done = true;
            rc = o->serve ? 0 : 130;
            break;
        }
        int status;
        pid_t pid = waitpid (-1, &status, WNOHANG);
        if (pid > 0) {
            for (int i = 0; i < count; i++) {
                if (children [i].pid != pid)
                    continue;
                children [i].running = false;
                children [i].status = status;
                if (i == collect_index) {
                    collect_done = true;
                    if (!WIFEXITED (status) || WEXITSTATUS (status) != 0) {
                        describe_exit (&children [i]);
                        rc = 1;
                    }
                }
                else {
                    describe_exit (&children [i]);
                    kulak_log ("a stage died; records not yet stored stay in the spool %s and "
                               "are sent again on the next run", spool);
                    rc = 1;
                }
            }
            continue;
        }
        usleep (50000);
    }
    kulak_web_stop (&web);
    /* Collect first (so nothing new enters), then the chain in order. */
    const char *order [] = { "kulak-collect", "kulak-normalize", "kulak-tag", "kulak-store" };
    for (size_t k = 0; k < 4; k++)
        for (int i = 0; i < count; i++)
            if (children [i].name && strcmp (children [i].name, order [k]) == 0)
                stop_child (&children [i], k == 0 || k == 3 ? 30 : 10);

    /* ZeroMQ leaves ipc socket files behind; without them `kulak note` and `kulak status`
       know at once that nothing runs. */
    const char *sockets [] = { "collect", "acks", "normalize", "store", "control",
                               "store-control", "normalize-control", NULL };
    for (const char **name = sockets; *name; name++) {
        char *path = kulak_sprintf ("%s/%s.ipc", dir, *name);
        unlink (path);
        free (path);
    }
    for (int w = 1; w <= o->workers; w++) {
        char *path = kulak_sprintf ("%s/tag-%d-control.ipc", dir, w);
        unlink (path);
        free (path);
    }
    unlink (lock_path);
    close (lock);
    free (lock_path);
    rmdir (dir);                             /* empty now; a later run makes it again */
    if (rc != 130)
        print_summary (o->db);
    free (collect_out);
    free (acks);
    free (normalize_out);
    free (store_in);
    free (control);
    free (spool);
    free (dir);
    free (bin);
    return rc;
}
