/*  standalone.c: runs a libFuzzer harness without libFuzzer (gcc, valgrind, a machine
    without clang's fuzzer runtime). Link it with one fuzz_*.c instead of -fsanitize=fuzzer.

        fuzz_csv_smoke SEED_DIR [MUTATIONS [RANDOM_SEED]]   every seed, then MUTATIONS
                                                            pseudo-random mutations of them
        fuzz_csv_smoke FILE...                              just these inputs (a crash to
                                                            reproduce)

    The mutations are deterministic for a given RANDOM_SEED (default 1): a failure found in
    CI reproduces on any machine. Each mutation applies 1-4 edits of the kinds libFuzzer
    uses: bit flips, random and "interesting" bytes, inserted and erased runs, repeated
    chunks, and splices with another seed. With KULAK_FUZZ_SAVE=DIR the input of each run is
    written to DIR/current first, so a crash leaves its input behind. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
__attribute__ ((weak)) int LLVMFuzzerInitialize (int *argc, char ***argv);

#define FUZZ_MAX_INPUT (64 * 1024)

typedef struct {
    uint8_t *data;
    size_t size;
    char *name;
} seed_t;

static uint64_t s_random;

static uint64_t
next_random (void)
{
    /* splitmix64 */
    uint64_t z = (s_random += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static size_t
below (size_t n)
{
    return n ? (size_t) (next_random () % n) : 0;
}

static uint8_t *
read_whole (const char *path, size_t *size_p)
{
    FILE *file = fopen (path, "rb");
    if (!file)
        return NULL;
    uint8_t *data = malloc (FUZZ_MAX_INPUT);
    size_t size = fread (data, 1, FUZZ_MAX_INPUT, file);
    fclose (file);
    *size_p = size;
    return data;
}

static void
save_current (const uint8_t *data, size_t size)
{
    const char *dir = getenv ("KULAK_FUZZ_SAVE");
    if (!dir || !*dir)
        return;
    char path [4096];
    snprintf (path, sizeof path, "%s/current", dir);
    FILE *file = fopen (path, "wb");
    if (file) {
        fwrite (data, 1, size, file);
        fclose (file);
    }
}

static void
run_one (const uint8_t *data, size_t size)
{
    save_current (data, size);
    /* an exact-size heap copy: ASan sees reads past the end as libFuzzer would */
    uint8_t *copy = malloc (size ? size : 1);
    memcpy (copy, data, size);
    LLVMFuzzerTestOneInput (copy, size);
    free (copy);
}

static const uint8_t s_interesting [] = {
    0x00, 0x01, 0x7F, 0x80, 0xFF, 0xC0, 0xC2, 0xDF, 0xE0, 0xEF, 0xF0, 0xF4, 0xFD, 0xFE,
    '"', ',', ';', '\t', '\n', '\r', '{', '}', '[', ']', ':', '\\', '*', '!', '#', '@', ' ',
    0x90, 0xDC, 0xDD, 0xDE, 0xDF, 0xCB, 0xCA, 0xD9, 0xDB,
};

/* One mutation of `in` into out (capacity FUZZ_MAX_INPUT); returns the new size. */
static size_t
mutate (const seed_t *seeds, size_t seed_count, const uint8_t *in, size_t size, uint8_t *out)
{
    memcpy (out, in, size);
    int edits = 1 + (int) below (4);
    for (int e = 0; e < edits; e++) {
        switch (below (8)) {
            case 0:                                          /* flip a bit */
                if (size)
                    out [below (size)] ^= (uint8_t) (1u << below (8));
                break;
            case 1:                                          /* a random byte */
                if (size)
                    out [below (size)] = (uint8_t) next_random ();
                break;
            case 2:                                          /* an interesting byte */
                if (size)
                    out [below (size)] = s_interesting [below (sizeof s_interesting)];
                break;
            case 3: {                                        /* insert bytes */
                size_t n = 1 + below (8), at = below (size + 1);
                if (size + n > FUZZ_MAX_INPUT)
                    break;
                memmove (out + at + n, out + at, size - at);
                for (size_t i = 0; i < n; i++)
                    out [at + i] = below (2) ? s_interesting [below (sizeof s_interesting)]
                                             : (uint8_t) next_random ();
                size += n;
                break;
            }
            case 4: {                                        /* erase bytes */
                if (!size)
                    break;
                size_t at = below (size), n = 1 + below (size - at < 16 ? size - at : 16);
                memmove (out + at, out + at + n, size - at - n);
                size -= n;
                break;
            }
            case 5: {                                        /* repeat a chunk */
                if (!size)
                    break;
                size_t from = below (size), n = 1 + below (size - from), at = below (size + 1);
                size_t times = 1 + below (4);
                for (size_t t = 0; t < times && size + n <= FUZZ_MAX_INPUT; t++) {
                    memmove (out + at + n, out + at, size - at);
                    memmove (out + at, out + (from < at ? from : from + n), n);
                    size += n;
                }
                break;
            }
            case 6: {                                        /* splice another seed */
                const seed_t *other = &seeds [below (seed_count)];
                if (!other->size)
                    break;
                size_t from = below (other->size), n = 1 + below (other->size - from);
                size_t at = below (size + 1);
                if (at + n > FUZZ_MAX_INPUT)
                    n = FUZZ_MAX_INPUT - at;
                memcpy (out + at, other->data + from, n);
                if (at + n > size)
                    size = at + n;
                break;
            }
            default:                                         /* truncate */
                size = below (size + 1);
                break;
        }
    }
    return size;
}

static int
compare_names (const void *a, const void *b)
{
    return strcmp (((const seed_t *) a)->name, ((const seed_t *) b)->name);
}

int
main (int argc, char **argv)
{
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize (&argc, &argv);
    if (argc < 2) {
        fprintf (stderr, "usage: %s SEED_DIR [MUTATIONS [RANDOM_SEED]] | %s FILE...\n", argv [0],
                 argv [0]);
        return 2;
    }
    struct stat st;
    if (stat (argv [1], &st) == 0 && !S_ISDIR (st.st_mode)) {
        for (int i = 1; i < argc; i++) {                     /* reproduce given inputs */
            size_t size;
            uint8_t *data = read_whole (argv [i], &size);
            if (!data) {
                fprintf (stderr, "%s: %s\n", argv [i], strerror (errno));
                return 2;
            }
            run_one (data, size);
            free (data);
        }
        printf ("%s: %d inputs ran\n", argv [0], argc - 1);
        return 0;
    }
    long mutations = argc > 2 ? atol (argv [2]) : 1000;
    s_random = argc > 3 ? strtoull (argv [3], NULL, 10) : 1;

    DIR *dir = opendir (argv [1]);
    if (!dir) {
        fprintf (stderr, "%s: %s\n", argv [1], strerror (errno));
        return 2;
    }
    seed_t *seeds = NULL;
    size_t seed_count = 0;
    for (struct dirent *entry; (entry = readdir (dir));) {
        if (entry->d_name [0] == '.')
            continue;
        char path [4096];
        snprintf (path, sizeof path, "%s/%s", argv [1], entry->d_name);
        if (stat (path, &st) != 0 || !S_ISREG (st.st_mode))
            continue;
        seed_t seed = { NULL, 0, strdup (entry->d_name) };
        seed.data = read_whole (path, &seed.size);
        if (!seed.data) {
            free (seed.name);
            continue;
        }
        seeds = realloc (seeds, (seed_count + 1) * sizeof *seeds);
        seeds [seed_count++] = seed;
    }
    closedir (dir);
    if (seed_count == 0) {
        fprintf (stderr, "%s: no seed files\n", argv [1]);
        return 2;
    }
    qsort (seeds, seed_count, sizeof *seeds, compare_names);   /* readdir order varies */
    for (size_t i = 0; i < seed_count; i++)
        run_one (seeds [i].data, seeds [i].size);
    run_one ((const uint8_t *) "", 0);

    uint8_t *buffer = malloc (FUZZ_MAX_INPUT);
    for (long m = 0; m < mutations; m++) {
        const seed_t *seed = &seeds [below (seed_count)];
        size_t size = mutate (seeds, seed_count, seed->data, seed->size, buffer);
        run_one (buffer, size);
    }
    free (buffer);
    printf ("%s: %zu seeds and %ld mutations ran (random seed %llu)\n", argv [0], seed_count,
            mutations, (unsigned long long) (argc > 3 ? strtoull (argv [3], NULL, 10) : 1));
    for (size_t i = 0; i < seed_count; i++) {
        free (seeds [i].data);
        free (seeds [i].name);
    }
    free (seeds);
    return 0;
}
