/*  util.h: small helpers every module uses: checked allocation, growable byte buffers,
    string helpers and logging with the stage name in front.

    Allocation failure aborts: on the machines kulak runs on it means the process cannot
    do anything useful, and checking every small allocation would hide the real logic. */
#ifndef KULAK_UTIL_H
#define KULAK_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

void *kulak_malloc (size_t size);
void *kulak_calloc (size_t count, size_t size);
void *kulak_realloc (void *ptr, size_t size);
/* Zeroed memory for a large table read at random (huge pages where the kernel gives them);
   released with free (). */
void *kulak_calloc_huge (size_t size);
char *kulak_strdup (const char *s);                  /* NULL stays NULL */
char *kulak_strndup (const char *s, size_t len);
char *kulak_sprintf (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));
void kulak_free_str (char **s_p);                     /* frees and nulls */

/* A growable byte buffer; `data` is always NUL-terminated. */
typedef struct {
    char *data;
    size_t len;
    size_t cap;
} kulak_buf_t;

void kulak_buf_init (kulak_buf_t *buf);
void kulak_buf_reserve (kulak_buf_t *buf, size_t extra);
void kulak_buf_append (kulak_buf_t *buf, const void *bytes, size_t len);
void kulak_buf_puts (kulak_buf_t *buf, const char *s);
void kulak_buf_putc (kulak_buf_t *buf, char c);
void kulak_buf_printf (kulak_buf_t *buf, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));
void kulak_buf_put_uint (kulak_buf_t *buf, unsigned long long value);
void kulak_buf_put_fixed3 (kulak_buf_t *buf, double value);   /* as "%.3f" prints it */
void kulak_buf_reset (kulak_buf_t *buf);

/* strtof (same float, same *end), fast for plain decimals such as a model's weights. */
float kulak_strtof (const char *s, char **end);
char *kulak_buf_take (kulak_buf_t *buf);            /* hands the string to the caller */
void kulak_buf_free (kulak_buf_t *buf);

/* JSON string literal (with quotes) of a UTF-8 string: escapes quotes, control characters
   and `<`, `>`, `&` so the output is also safe inside HTML. */
void kulak_buf_json_string (kulak_buf_t *buf, const char *s);

bool kulak_str_empty (const char *s);              /* NULL, "" or only whitespace */
char *kulak_str_trim (char *s);                    /* in place; returns s */
bool kulak_str_ieq (const char *a, const char *b); /* ASCII case-insensitive */
bool kulak_str_ends_with (const char *s, const char *suffix);

/* Reads a whole file; NULL and *err set on failure. */
char *kulak_read_file (const char *path, size_t *len_p, char **err);
/* The next line of a text read whole, cut in place (without its '\n', nor a '\r' before it);
   NULL at the end. *cursor starts at the text; blank lines come as "" (count them for
   errors that name a line). */
char *kulak_next_line (char **cursor);
/* Writing a file whole or not at all: kulak_replace_open opens a temporary file beside
   `path` (*tmp_p: its name); kulak_replace_close closes it and renames it over `path`, or
   removes it and says "PATH: could not write the WHAT (why)". Frees *tmp. */
FILE *kulak_replace_open (const char *path, char **tmp_p, char **err);
int kulak_replace_close (FILE *file, char *tmp, const char *path, const char *what, char **err);

/* The directory holding the running executable (from /proc/self/exe). */
char *kulak_exe_dir (void);

/* Seconds since the epoch with sub-second precision, from CLOCK_REALTIME. */
double kulak_now (void);
/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ" into out[21]. */
void kulak_now_iso (char out[21]);

/* Logging: "kulak-<name>: message" on stderr. The name is set once per process. */
void kulak_log_set_name (const char *name);
void kulak_log (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));
void kulak_logv (const char *fmt, va_list args);

#endif
