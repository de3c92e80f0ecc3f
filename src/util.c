/*  util.c: checked allocation, byte buffers, string helpers and logging (see util.h). */
#include "kulak/util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static void
out_of_memory (size_t size)
{
    fprintf (stderr, "kulak: out of memory allocating %zu bytes\n", size);
    abort ();
}

void *
kulak_malloc (size_t size)
{
    void *p = malloc (size ? size : 1);
    if (!p)
        out_of_memory (size);
    return p;
}

void *
kulak_calloc (size_t count, size_t size)
{
    if (!count)
        count = 1;
    if (!size)
        size = 1;
    if (count > SIZE_MAX / size)
        out_of_memory (SIZE_MAX);
    size_t total = count * size;
    /* Small arrays by malloc and memset: glibc's calloc skips the per-thread cache that
       makes the many small, short-lived arrays of tagging cheap. Large ones by calloc,
       which gets fresh pages already zero. */
    void *p = total < 65536 ? malloc (total) : calloc (count, size);
    if (!p)
        out_of_memory (total);
    if (total < 65536) {
        __asm__ volatile ("" : : "r" (p) : "memory");   /* or the compiler makes it calloc */
        memset (p, 0, total);
    }
    return p;
}

void *
kulak_calloc_huge (size_t size)
{
    /* A table read at random, several times per text: on huge pages (where the kernel
       gives them) its lookups cost no TLB misses. Aligned to the huge page size, so a
       table of 2 MiB or more starts on one. */
    size_t align = size >= (2u << 20) ? (2u << 20) : 4096;
    void *p = NULL;
    if (posix_memalign (&p, align, size ? size : 1) != 0)
        out_of_memory (size);
#ifdef MADV_HUGEPAGE
    if (size >= (2u << 20))
        madvise (p, size, MADV_HUGEPAGE);
#endif
    memset (p, 0, size);
    return p;
}

void *
kulak_realloc (void *ptr, size_t size)
{
    void *p = realloc (ptr, size ? size : 1);
    if (!p)
        out_of_memory (size);
    return p;
}

char *
kulak_strdup (const char *s)
{
    return s ? kulak_strndup (s, strlen (s)) : NULL;
}

char *
kulak_strndup (const char *s, size_t len)
{
    char *copy = kulak_malloc (len + 1);
    memcpy (copy, s, len);
    copy [len] = 0;
    return copy;
}

char *
kulak_sprintf (const char *fmt, ...)
{
    va_list args;
    va_start (args, fmt);
    char *out = NULL;
    if (vasprintf (&out, fmt, args) < 0)
        out_of_memory (strlen (fmt));
    va_end (args);
    return out;
}

void
kulak_free_str (char **s_p)
{
    free (*s_p);
    *s_p = NULL;
}

void
kulak_buf_init (kulak_buf_t *buf)
{
    buf->cap = 64;
    buf->len = 0;
    buf->data = kulak_malloc (buf->cap);
    buf->data [0] = 0;
}

void
kulak_buf_reserve (kulak_buf_t *buf, size_t extra)
{
    if (!buf->data)
        kulak_buf_init (buf);
    if (buf->len + extra + 1 <= buf->cap)
        return;
    while (buf->len + extra + 1 > buf->cap)
        buf->cap *= 2;
    buf->data = kulak_realloc (buf->data, buf->cap);
}

void
kulak_buf_append (kulak_buf_t *buf, const void *bytes, size_t len)
{
    kulak_buf_reserve (buf, len);
    memcpy (buf->data + buf->len, bytes, len);
    buf->len += len;
    buf->data [buf->len] = 0;
}

void
kulak_buf_puts (kulak_buf_t *buf, const char *s)
{
    kulak_buf_append (buf, s, strlen (s));
}

void
kulak_buf_putc (kulak_buf_t *buf, char c)
{
    kulak_buf_append (buf, &c, 1);
}

void
kulak_buf_printf (kulak_buf_t *buf, const char *fmt, ...)
{
    /* Formats straight into the room the buffer has; only output that does not fit is
       formatted a second time, after growing (most calls are short and fit). */
    if (!buf->data)
        kulak_buf_init (buf);
    va_list args, copy;
    va_start (args, fmt);
    va_copy (copy, args);
    size_t room = buf->cap - buf->len;
    int needed = vsnprintf (buf->data + buf->len, room, fmt, copy);
    va_end (copy);
    if (needed > 0 && (size_t) needed >= room) {
        kulak_buf_reserve (buf, (size_t) needed);
        vsnprintf (buf->data + buf->len, (size_t) needed + 1, fmt, args);
    }
    if (needed > 0)
        buf->len += (size_t) needed;
    buf->data [buf->len] = 0;
    va_end (args);
}

void
kulak_buf_put_uint (kulak_buf_t *buf, unsigned long long value)
{
    char digits [24];
    size_t at = sizeof digits;
    do {
        digits [--at] = (char) ('0' + value % 10);
        value /= 10;
    } while (value);
    kulak_buf_append (buf, digits + at, sizeof digits - at);
}

void
kulak_buf_put_fixed3 (kulak_buf_t *buf, double value)
{
    /* What "%.3f" prints, without printf's exact decimal expansion: scale and round. The
       scaled value can land on the wrong side of a rounding boundary only when it is
       within a rounding error of one (…5 in the fourth decimal); for those, for large
       values (where that error grows) and for NaN and infinities, printf decides. */
    double scaled = fabs (value) * 1000.0;
    double whole = floor (scaled);
    if (!(scaled < 1e9) || fabs (scaled - whole - 0.5) < 1e-6) {
        kulak_buf_printf (buf, "%.3f", value);
        return;
    }
    unsigned long long thousandths = (unsigned long long) whole + (scaled - whole > 0.5);
    if (signbit (value))
        kulak_buf_putc (buf, '-');          /* printf keeps the sign of -0.0001: "-0.000" */
    kulak_buf_put_uint (buf, thousandths / 1000);
    char fraction [4] = { '.', (char) ('0' + thousandths / 100 % 10),
                          (char) ('0' + thousandths / 10 % 10), (char) ('0' + thousandths % 10) };
    kulak_buf_append (buf, fraction, sizeof fraction);
}

float
kulak_strtof (const char *s, char **end)
{
    /* A plain decimal of up to 15 digits, 6 of them after the point (what kulak's own
       files hold: "-0.1234"), as an exact integer over a power of ten: one double division,
       rounded once more to a float. That gives strtof's correctly rounded float: the double
       is within 2^-53 of the decimal, which is either a float midpoint itself (then a
       dyadic the double holds exactly) or at least 2^-25 / 10^6 (relative) away from one.
       Anything else (exponents, hex, inf, more digits) goes to strtof. */
    static const double powers [] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6 };
    const char *p = s;
    bool negative = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    uint64_t n = 0;
    int digits = 0, decimals = 0;
    for (; *p >= '0' && *p <= '9'; p++, digits++)
        n = n * 10 + (uint64_t) (*p - '0');
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++, digits++, decimals++)
            n = n * 10 + (uint64_t) (*p - '0');
    if (digits == 0 || digits > 15 || decimals > 6 || *p == 'e' || *p == 'E' || *p == 'x'
        || *p == 'X')
        return strtof (s, end);
    if (end)
        *end = (char *) p;
    double value = (double) n / powers [decimals];
    return (float) (negative ? -value : value);
}

void
kulak_buf_reset (kulak_buf_t *buf)
{
    if (!buf->data)
        kulak_buf_init (buf);
    buf->len = 0;
    buf->data [0] = 0;
}

char *
kulak_buf_take (kulak_buf_t *buf)
{
    if (!buf->data)
        kulak_buf_init (buf);
    char *s = buf->data;
    buf->data = NULL;
    buf->len = buf->cap = 0;
    return s;
}

void
kulak_buf_free (kulak_buf_t *buf)
{
    free (buf->data);
    buf->data = NULL;
    buf->len = buf->cap = 0;
}

void
kulak_buf_json_string (kulak_buf_t *buf, const char *s)
{
    kulak_buf_putc (buf, '"');
    const unsigned char *p = (const unsigned char *) (s ? s : "");
    for (;;) {
        /* Copy the run of bytes that need no escape in one go. */
        const unsigned char *run = p;
        while (*p >= 0x20 && *p != '"' && *p != '\\' && *p != '<' && *p != '>' && *p != '&')
            p++;
        if (p > run)
            kulak_buf_append (buf, run, (size_t) (p - run));
        if (!*p)
            break;
        switch (*p) {
            case '"':  kulak_buf_puts (buf, "\\\""); break;
            case '\\': kulak_buf_puts (buf, "\\\\"); break;
            case '\n': kulak_buf_puts (buf, "\\n"); break;
            case '\r': kulak_buf_puts (buf, "\\r"); break;
            case '\t': kulak_buf_puts (buf, "\\t"); break;
            case '<':  kulak_buf_puts (buf, "\\u003c"); break;
            case '>':  kulak_buf_puts (buf, "\\u003e"); break;
            case '&':  kulak_buf_puts (buf, "\\u0026"); break;
            default:   kulak_buf_printf (buf, "\\u%04x", *p);
        }
        p++;
    }
    kulak_buf_putc (buf, '"');
}

bool
kulak_str_empty (const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (!isspace ((unsigned char) *s))
            return false;
    return true;
}

char *
kulak_str_trim (char *s)
{
    if (!s)
        return s;
    char *start = s;
    while (*start && isspace ((unsigned char) *start))
        start++;
    size_t len = strlen (start);
    while (len && isspace ((unsigned char) start [len - 1]))
        len--;
    memmove (s, start, len);
    s [len] = 0;
    return s;
}

bool
kulak_str_ieq (const char *a, const char *b)
{
    return a && b && strcasecmp (a, b) == 0;
}

bool
kulak_str_ends_with (const char *s, const char *suffix)
{
    size_t ls = strlen (s), lx = strlen (suffix);
    return ls >= lx && strcasecmp (s + ls - lx, suffix) == 0;
}

char *
kulak_read_file (const char *path, size_t *len_p, char **err)
{
    FILE *file = fopen (path, "rb");
    if (!file) {
        if (err)
            *err = kulak_sprintf ("%s: %s", path, strerror (errno));
        return NULL;
    }
    kulak_buf_t buf;
    kulak_buf_init (&buf);
    char chunk [65536];
    size_t got;
    while ((got = fread (chunk, 1, sizeof chunk, file)) > 0)
        kulak_buf_append (&buf, chunk, got);
    bool failed = ferror (file);
    fclose (file);
    if (failed) {
        if (err)
            *err = kulak_sprintf ("%s: read error", path);
        kulak_buf_free (&buf);
        return NULL;
    }
    if (len_p)
        *len_p = buf.len;
    return kulak_buf_take (&buf);
}

char *
kulak_next_line (char **cursor)
{
    char *line = *cursor;
    if (!line || !*line)
        return NULL;
    char *newline = strchr (line, '\n');
    if (newline) {
        *newline = 0;
        *cursor = newline + 1;
    }
    else
        *cursor = NULL;
    size_t len = strlen (line);
    if (len && line [len - 1] == '\r')
        line [len - 1] = 0;
    return line;
}

FILE *
kulak_replace_open (const char *path, char **tmp_p, char **err)
{
    *tmp_p = kulak_sprintf ("%s.tmp", path);
    FILE *file = fopen (*tmp_p, "w");
    if (!file) {
        *err = kulak_sprintf ("%s: %s", *tmp_p, strerror (errno));
        kulak_free_str (tmp_p);
    }
    return file;
}

int
kulak_replace_close (FILE *file, char *tmp, const char *path, const char *what, char **err)
{
    errno = 0;
    bool failed = ferror (file) != 0;
    failed |= fclose (file) != 0;
    int rc = 0;
    if (failed || rename (tmp, path) != 0) {
        *err = kulak_sprintf ("%s: could not write the %s (%s)", path, what,
                              strerror (errno ? errno : EIO));
        unlink (tmp);
        rc = -1;
    }
    free (tmp);
    return rc;
}

char *
kulak_exe_dir (void)
{
    char path [4096];
    ssize_t len = readlink ("/proc/self/exe", path, sizeof path - 1);
    if (len <= 0)
        return kulak_strdup (".");
    path [len] = 0;
    char *slash = strrchr (path, '/');
    if (slash)
        *slash = 0;
    return kulak_strdup (path);
}

double
kulak_now (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_REALTIME, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

void
kulak_now_iso (char out [21])
{
    time_t now = time (NULL);
    struct tm tm;
    gmtime_r (&now, &tm);
    strftime (out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static char s_log_name [64] = "kulak";

void
kulak_log_set_name (const char *name)
{
    snprintf (s_log_name, sizeof s_log_name, "%s", name);
}

void
kulak_logv (const char *fmt, va_list args)
{
    char line [4096];
    vsnprintf (line, sizeof line, fmt, args);
    fprintf (stderr, "%s: %s\n", s_log_name, line);
}

void
kulak_log (const char *fmt, ...)
{
    va_list args;
    va_start (args, fmt);
    kulak_logv (fmt, args);
    va_end (args);
}
